"""Spoken cues, spoken by a helper process (``speech_helper``) that this object drives.

Why a process and not a thread: PySide6's QTextToSpeech calls hold Python's GIL while
libspeechd waits for speech-dispatcher, so an engine in this process, even in a worker
thread, could freeze the GUI thread and every cue timer whenever the dispatcher is slow
or hung. Across a pipe, a stuck engine can only silence speech. ``QProcess`` writes
are buffered and never block; replies arrive as ``readyRead`` on the GUI thread.

``say()`` is dropped unless the voice is READY (queued behind engine start-up it would
be heard seconds late), and each phrase carries an expiry so a helper that was stuck
for a moment never speaks a cue whose moment has passed.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTimer

from hipflex_desktop.audio import VOICE_INSTALL_HINT, FailureHandler, VoiceState

# Engine start enumerates every espeak-ng voice: ~1.3 s here; allow slow machines more.
START_TIMEOUT_MS = 20_000
# A phrase not yet spoken this long after it was asked for is stale.
PHRASE_EXPIRY_S = 1.5
QUIT_WAIT_MS = 1000


def helper_command() -> tuple[str, list[str]]:
    """How to start the helper: this interpreter, or the frozen executable itself."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--speech-helper"]  # cli.SPEECH_HELPER_FLAG
    return sys.executable, ["-m", "hipflex_desktop.audio.speech_helper"]


def _end_process(process: QProcess, *_args: object) -> None:
    """Kill a helper still running (voice deleted without close) and reap it."""
    if process.state() != QProcess.ProcessState.NotRunning:
        process.kill()
        process.waitForFinished(QUIT_WAIT_MS)


class QtVoice(QObject):
    """A :class:`~hipflex_desktop.audio.Voice` whose engine runs in a helper process."""

    def __init__(
        self,
        command: Sequence[str] | None = None,
        parent: QObject | None = None,
        *,
        start_timeout_ms: int = START_TIMEOUT_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._state = VoiceState.STARTING
        self._reason = ""
        self._names: list[str] = []
        self._config: tuple[str, float, float] | None = None
        self._on_ready: Callable[[], None] | None = None
        self._on_failure: FailureHandler | None = None
        self._clock = clock
        self._pending = b""
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.timeout.connect(self._on_start_timeout)
        self._process = QProcess(self)
        # The helper's diagnostics go where ours go; its stdout is the protocol.
        self._process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        self._process.readyReadStandardOutput.connect(self._on_output)
        self._process.errorOccurred.connect(self._on_process_error)
        self._process.finished.connect(self._on_finished)
        # Deleted without close() (its parent went first)? Do not leave the helper behind.
        self.destroyed.connect(functools.partial(_end_process, self._process))
        program, arguments = (command[0], list(command[1:])) if command else helper_command()
        self._start_timer.start(start_timeout_ms)
        self._process.start(program, arguments)

    @property
    def state(self) -> VoiceState:
        return self._state

    @property
    def unavailable_reason(self) -> str:
        return self._reason

    def voice_names(self) -> list[str]:
        return list(self._names)

    def say(self, text: str) -> None:
        if self._state is VoiceState.READY and text:
            self._send({"op": "say", "text": text, "expires": self._clock() + PHRASE_EXPIRY_S})

    def stop(self) -> None:
        if self._state is VoiceState.READY:
            self._send({"op": "stop"})

    def configure(self, voice_name: str, rate: float, volume: float) -> None:
        self._config = (voice_name, rate, volume)
        if self._state is VoiceState.READY:
            self._send_config()

    def set_handlers(self, on_ready: Callable[[], None], on_failure: FailureHandler) -> None:
        self._on_ready = on_ready
        self._on_failure = on_failure

    def close(self) -> None:
        """Ask the helper to quit; kill it if it does not within a second."""
        self._start_timer.stop()
        if self._state is not VoiceState.UNAVAILABLE:
            self._state = VoiceState.UNAVAILABLE
            self._reason = "Speech was shut down."
        if self._process.state() == QProcess.ProcessState.NotRunning:
            return
        self._process.finished.disconnect(self._on_finished)
        self._process.errorOccurred.disconnect(self._on_process_error)
        self._send({"op": "quit"})
        self._process.closeWriteChannel()
        if not self._process.waitForFinished(QUIT_WAIT_MS):
            _end_process(self._process)

    def _send(self, message: dict[str, Any]) -> None:
        if self._process.state() == QProcess.ProcessState.Running:
            self._process.write((json.dumps(message) + "\n").encode("utf-8"))

    def _send_config(self) -> None:
        if self._config is not None:
            voice, rate, volume = self._config
            self._send({"op": "configure", "voice": voice, "rate": rate, "volume": volume})

    def _on_output(self) -> None:
        self._pending += bytes(self._process.readAllStandardOutput().data())
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue  # not protocol (a library printing to stdout): ignore
            if isinstance(event, dict):
                self._on_event(event)

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "ready" and self._state is VoiceState.STARTING:
            voices = event.get("voices")
            self._names = [str(name) for name in voices] if isinstance(voices, list) else []
            self._start_timer.stop()
            self._state = VoiceState.READY
            self._send_config()
            if self._on_ready is not None:
                self._on_ready()
        elif kind == "failed":
            reason = event.get("reason")
            self._become_unavailable(str(reason) if reason else "Speech stopped working.")

    def _on_start_timeout(self) -> None:
        if self._state is VoiceState.STARTING:
            self._become_unavailable(
                f"Speech did not start within {self._start_timer.interval() / 1000:g} seconds; "
                f"speech-dispatcher may be stuck. {VOICE_INSTALL_HINT}"
            )
            _end_process(self._process)

    def _on_process_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._become_unavailable(
                f"Speech is unavailable: its helper could not be started "
                f"({self._process.errorString()})."
            )

    def _on_finished(self, exit_code: int, _status: QProcess.ExitStatus) -> None:
        self._become_unavailable(
            f"Speech stopped working: its helper process ended (exit code {exit_code})."
        )

    def _become_unavailable(self, reason: str) -> None:
        self._start_timer.stop()
        if self._state is VoiceState.UNAVAILABLE:
            return
        self._state = VoiceState.UNAVAILABLE
        self._reason = reason
        self._names = []
        self._send({"op": "quit"})  # a helper whose engine failed has nothing left to do
        if self._on_failure is not None:
            self._on_failure(reason)
