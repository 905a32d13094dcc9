"""Speech runs in a helper process: whatever it does, the app's timers never wait on it.

PySide6's QTextToSpeech calls hold the GIL while libspeechd waits for speech-dispatcher,
so an engine inside the app could freeze every cue timer. These tests drive the app
side (QtVoice) against stand-in helpers that fail, hang, crash or never answer; the
helper side (SpeechWorker, CommandDispatcher) with a fake engine in-process; and the
real helper through ``hipflex --speech-helper``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QObject, Qt, QTimer, Signal
from pytestqt.qtbot import QtBot

from hipflex_desktop.audio import Health, VoiceState
from hipflex_desktop.audio.cues import AudioCues
from hipflex_desktop.audio.recording import RecordingSoundPlayer
from hipflex_desktop.audio.settings import AudioSettings
from hipflex_desktop.audio.speech_helper import CommandDispatcher, SpeechWorker
from hipflex_desktop.audio.voice import QtVoice

REPO = Path(__file__).resolve().parents[2]
FAKE_HELPER = Path(__file__).with_name("fake_speech_helper.py")


def _fake(mode: str, log: Path) -> list[str]:
    return [sys.executable, str(FAKE_HELPER), mode, str(log)]


def _logged(log: Path) -> list[dict[str, Any]]:
    lines = log.read_text(encoding="utf-8").splitlines()[1:] if log.exists() else []
    return [json.loads(line) for line in lines]


def _helper_pid(log: Path) -> int:
    return int(log.read_text(encoding="utf-8").splitlines()[0])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


# -- the app side, against stand-in helpers ----------------------------------------


def test_a_helper_that_fails_leaves_beeps_alone(qtbot: QtBot, tmp_path: Path) -> None:
    sounds = RecordingSoundPlayer()
    audio = AudioCues(AudioSettings(), sounds, QtVoice(_fake("fail", tmp_path / "log")))
    try:
        with qtbot.waitSignal(audio.voice_unavailable, timeout=10_000) as blocker:
            pass
        assert blocker.args == ["Speech is unavailable: the fake engine is broken."]
        assert audio.voice_state is VoiceState.UNAVAILABLE
        audio.cue("switch_sides", "Switch sides")
        assert sounds.played == ["switch_sides"]
        assert audio.status.health is Health.DEGRADED
        assert "fake engine is broken" in audio.status.message
    finally:
        audio.close()


def test_phrases_and_voice_settings_reach_the_helper(qtbot: QtBot, tmp_path: Path) -> None:
    log = tmp_path / "log"
    voice = QtVoice(_fake("ready", log))
    try:
        voice.configure("Beta", 0.2, 0.8)  # before ready: sent once it is
        voice.say("dropped: not ready yet")
        qtbot.waitUntil(lambda: voice.state is VoiceState.READY, timeout=10_000)
        assert voice.voice_names() == ["Alpha", "Beta"]
        asked_at = time.monotonic()
        voice.say("Halfway")
        voice.stop()
        qtbot.waitUntil(lambda: len(_logged(log)) == 3, timeout=5000)
        configure, say, stop = _logged(log)
        assert configure == {"op": "configure", "voice": "Beta", "rate": 0.2, "volume": 0.8}
        assert say["op"] == "say"
        assert say["text"] == "Halfway"
        assert asked_at < say["expires"] <= time.monotonic() + 2.0
        assert stop == {"op": "stop"}
    finally:
        voice.close()
    assert not _alive(_helper_pid(log))


def test_a_helper_stuck_in_say_never_holds_up_the_gui(qtbot: QtBot, tmp_path: Path) -> None:
    """The bug this design exists for: a stuck engine used to freeze every timer."""
    log = tmp_path / "log"
    voice = QtVoice(_fake("ready", log))
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    try:
        qtbot.waitUntil(lambda: voice.state is VoiceState.READY, timeout=10_000)
        voice.say("hang")
        timer.start()
        for index in range(2000):  # far more than the pipe holds while nobody reads
            voice.say(f"Round {index} of many, a long phrase to fill the pipe quickly")
        qtbot.wait(500)
        timer.stop()
        assert len(ticks) >= 10  # the event loop kept running timers throughout
        assert voice.state is VoiceState.READY  # a slow helper is not a failed one
        started = time.monotonic()
        voice.close()  # a stuck helper is killed, not waited on forever
        assert time.monotonic() - started < 5
    finally:
        timer.stop()
        voice.close()
    assert not _alive(_helper_pid(log))


def test_a_helper_that_never_answers_times_out(qtbot: QtBot, tmp_path: Path) -> None:
    log = tmp_path / "log"
    voice = QtVoice(_fake("silent", log), start_timeout_ms=500)
    failures: list[str] = []
    voice.set_handlers(lambda: None, failures.append)
    try:
        qtbot.waitUntil(lambda: failures != [], timeout=10_000)
        assert voice.state is VoiceState.UNAVAILABLE
        assert "did not start" in failures[0]
        assert "speech-dispatcher" in failures[0]
        qtbot.waitUntil(lambda: not _alive(_helper_pid(log)), timeout=5000)
    finally:
        voice.close()


def test_a_helper_that_dies_mid_session_is_reported(qtbot: QtBot, tmp_path: Path) -> None:
    voice = QtVoice(_fake("crash", tmp_path / "log"))
    audio = AudioCues(AudioSettings(), RecordingSoundPlayer(), voice)
    try:
        qtbot.waitUntil(lambda: audio.voice_state is VoiceState.READY, timeout=10_000)
        with qtbot.waitSignal(audio.voice_unavailable, timeout=5000) as blocker:
            audio.cue("ten_seconds_left", "10 seconds left")
        assert blocker.args == [
            "Speech stopped working: its helper process ended (exit code 3)."
        ]
        audio.cue("ten_seconds_left", "10 seconds left")  # dropped quietly
    finally:
        audio.close()


def test_a_helper_that_cannot_start_is_reported(qtbot: QtBot, tmp_path: Path) -> None:
    voice = QtVoice([str(tmp_path / "no-such-helper")])
    try:
        qtbot.waitUntil(lambda: voice.state is VoiceState.UNAVAILABLE, timeout=5000)
        assert "could not be started" in voice.unavailable_reason
    finally:
        voice.close()


DELETE_WITHOUT_CLOSE = r"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, QTimer
import shiboken6
from hipflex_desktop.audio import VoiceState
from hipflex_desktop.audio.voice import QtVoice

app = QCoreApplication([])
owner = QObject()
voice = QtVoice([sys.executable, sys.argv[1], "ready", sys.argv[2]], parent=owner)

def drop_owner():
    assert voice.state is VoiceState.READY, voice.state
    shiboken6.delete(owner)  # takes the voice and its helper process with it
    QTimer.singleShot(100, app.quit)

QTimer.singleShot(3000, drop_owner)
app.exec()
print("survived")
"""


def test_voice_deleted_without_close_takes_its_helper_along(tmp_path: Path) -> None:
    log = tmp_path / "log"
    result = subprocess.run(
        [sys.executable, "-c", DELETE_WITHOUT_CLOSE, str(FAKE_HELPER), str(log)], cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "survived" in result.stdout
    assert "Destroyed while process" not in result.stderr
    assert not _alive(_helper_pid(log))


# -- the helper side, in-process with a fake engine --------------------------------


class FakeEngine(QObject):
    """Enough of QTextToSpeech for the speech worker."""

    errorOccurred = Signal(object, str)  # noqa: N815 - Qt's name

    def __init__(self, parent: QObject, *, start_error: str = "", error_on_say: bool = False):
        super().__init__(parent)
        self.start_error = start_error
        self.error_on_say = error_on_say
        self.said: list[str] = []
        self.locale: QLocale | None = None

    def state(self) -> object:
        from PySide6.QtTextToSpeech import QTextToSpeech

        return QTextToSpeech.State.Error if self.start_error else QTextToSpeech.State.Ready

    def errorString(self) -> str:  # noqa: N802
        return self.start_error

    def availableLocales(self) -> list[QLocale]:  # noqa: N802
        return [QLocale("fr_FR"), QLocale("en_GB")]

    def setLocale(self, locale: QLocale) -> None:  # noqa: N802
        self.locale = locale

    def availableVoices(self) -> list[object]:  # noqa: N802
        return []

    def voice(self) -> object:
        from PySide6.QtTextToSpeech import QVoice

        return QVoice()

    def say(self, text: str) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        self.said.append(text)
        if self.error_on_say:
            self.errorOccurred.emit(QTextToSpeech.ErrorReason.Playback, "the device is busy")

    def stop(self, *_args: object) -> None:
        pass

    def setVoice(self, _voice: object) -> None:  # noqa: N802
        pass

    def setRate(self, _rate: float) -> None:  # noqa: N802
        pass

    def setVolume(self, _volume: float) -> None:  # noqa: N802
        pass


def _start(worker: SpeechWorker) -> tuple[list[list[str]], list[str]]:
    ready: list[list[str]] = []
    failed: list[str] = []
    worker.ready.connect(ready.append)
    worker.failed.connect(failed.append)
    worker.start_engine()
    return ready, failed


def test_worker_reports_an_engine_that_raises() -> None:
    def explode(parent: QObject) -> FakeEngine:
        raise RuntimeError("the speech engine exploded")

    worker = SpeechWorker(explode)  # type: ignore[arg-type]
    ready, failed = _start(worker)
    assert (ready, failed) == ([], ["the speech engine exploded"])


def test_worker_reports_an_engine_in_error_state_with_the_fix() -> None:
    worker = SpeechWorker(lambda parent: FakeEngine(parent, start_error="cannot connect"))  # type: ignore[arg-type, return-value]
    _, failed = _start(worker)
    assert "cannot connect" in failed[0]
    assert "speech-dispatcher-espeak-ng" in failed[0]  # says how to fix it


def test_worker_speaks_english_and_reports_a_failing_engine() -> None:
    engines: list[FakeEngine] = []

    def make(parent: QObject) -> FakeEngine:
        engines.append(FakeEngine(parent, error_on_say=True))
        return engines[-1]

    worker = SpeechWorker(make)  # type: ignore[arg-type]
    ready, failed = _start(worker)
    assert ready == [[]]
    assert failed == []
    assert engines[0].locale == QLocale("en_GB")
    worker.say("10 seconds left")
    assert engines[0].said == ["10 seconds left"]
    assert failed == ["Speech stopped working: the device is busy."]
    worker.shut_down()


class RecordingWorker:
    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def say(self, text: str) -> None:
        self.calls.append(("say", text))

    def stop(self) -> None:
        self.calls.append(("stop",))

    def configure(self, voice: str, rate: float, volume: float) -> None:
        self.calls.append(("configure", voice, rate, volume))


def test_dispatcher_drops_stale_phrases_and_bad_messages() -> None:
    now = [100.0]
    worker = RecordingWorker()
    dispatcher = CommandDispatcher(worker, clock=lambda: now[0])  # type: ignore[arg-type]
    quits: list[bool] = []
    dispatcher.quit_requested.connect(lambda: quits.append(True))
    dispatcher.handle({"op": "say", "text": "Go", "expires": 101.0})
    now[0] = 102.0
    dispatcher.handle({"op": "say", "text": "Too late", "expires": 101.0})
    dispatcher.handle({"op": "say", "text": ""})
    dispatcher.handle({"op": "say", "text": 7})
    dispatcher.handle({"op": "configure", "voice": "Beta", "rate": "fast", "volume": 1})
    dispatcher.handle({"op": "configure", "voice": "Beta", "rate": 0, "volume": 1})
    dispatcher.handle({"op": "dance"})
    dispatcher.handle({"op": "stop"})
    assert worker.calls == [("say", "Go"), ("configure", "Beta", 0.0, 1.0), ("stop",)]
    dispatcher.handle({"op": "quit"})
    assert quits == [True]


# -- the real helper ---------------------------------------------------------------


@pytest.mark.parametrize("launcher", ["module", "cli-flag"])
def test_real_helper_reports_a_missing_dispatcher_and_quits(
    tmp_path: Path, launcher: str
) -> None:
    """The real helper, as the app starts it (and as a frozen bundle would)."""
    env = {**os.environ, "SPEECHD_ADDRESS": f"unix_socket:{tmp_path / 'none.sock'}"}
    command = (
        [sys.executable, "-m", "hipflex_desktop.audio.speech_helper"]
        if launcher == "module"
        else [sys.executable, "-m", "hipflex_desktop", "--speech-helper"]
    )
    result = subprocess.run(
        command, cwd=REPO, env=env, input='not json\n{"op": "quit"}\n',
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["event"] == "failed"
    assert "no speech-dispatcher is listening" in events[0]["reason"]
    assert "Traceback" not in result.stderr
