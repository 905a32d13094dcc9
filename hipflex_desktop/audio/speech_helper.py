"""The speech helper process: owns the QTextToSpeech engine and speaks phrases it is sent.

Why a separate process: PySide6's QTextToSpeech calls hold Python's GIL while libspeechd
waits for speech-dispatcher. In the app's process a dispatcher that stops answering
would freeze the GUI thread and every cue timer with it; here it can only silence
speech. The app talks to this process through :class:`hipflex_desktop.audio.voice.QtVoice`.

Protocol, one JSON object per line (UTF-8):

- app to helper, on stdin: ``{"op": "say", "text": str, "expires": float}`` (a monotonic
  time after which the phrase is stale and dropped), ``{"op": "stop"}``,
  ``{"op": "configure", "voice": str, "rate": float, "volume": float}``,
  ``{"op": "quit"}``. End of input also quits.
- helper to app, on stdout: ``{"event": "ready", "voices": [str]}`` once the engine runs,
  ``{"event": "failed", "reason": str}`` when it cannot start or stops working.

Only real engines count: the ``mock`` engine shipped with the wheels says nothing. On
Linux the wheels carry ``speechd`` only, which needs the speech-dispatcher daemon and
an output module (Debian: speech-dispatcher speech-dispatcher-espeak-ng).

Run as ``python -m hipflex_desktop.audio.speech_helper`` (or ``hipflex --speech-helper``
inside a frozen bundle).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer, Signal, Slot

from hipflex_desktop.audio import VOICE_INSTALL_HINT
from hipflex_desktop.audio.qtlog import quiet_optional_backend_probe

if TYPE_CHECKING:
    from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

IGNORED_ENGINES = frozenset({"mock"})
SPEECHD_PROBE_TIMEOUT_S = 3.0

EngineFactory = Callable[[QObject], "QTextToSpeech"]


def real_engines() -> list[str]:
    """Installed text-to-speech engines that actually produce sound."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    return [name for name in QTextToSpeech.availableEngines() if name not in IGNORED_ENGINES]


def default_engine_factory(parent: QObject) -> QTextToSpeech:
    """The first real engine; raises LookupError when there is none.

    A dispatcher that accepts connections but never answers would block the speechd
    engine's constructor for good, so it is first reached from Python with a deadline
    (``speechd_problem``): the person is told why, instead of speech just never starting.
    """
    from PySide6.QtTextToSpeech import QTextToSpeech

    engines = real_engines()
    if not engines:
        raise LookupError(f"No text-to-speech engine is installed. {VOICE_INSTALL_HINT}")
    if engines[0] == "speechd":
        problem = speechd_problem()
        if problem:
            raise ConnectionError(f"Speech is unavailable: {problem}. {VOICE_INSTALL_HINT}")
    return QTextToSpeech(engines[0], parent)


def speechd_socket_path() -> Path:
    """Where libspeechd looks for the dispatcher (SPEECHD_ADDRESS, runtime dir, cache)."""
    address = os.environ.get("SPEECHD_ADDRESS", "")
    if address.startswith("unix_socket:"):
        return Path(address.split(":", 1)[1])
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) if runtime else Path.home() / ".cache"
    return base / "speech-dispatcher" / "speechd.sock"


def speechd_problem(timeout_s: float = SPEECHD_PROBE_TIMEOUT_S) -> str:
    """'' when speech-dispatcher answers on its socket, else why not.

    When a dispatcher's socket exists, one SSIP command is sent and its reply awaited
    with a deadline: a hung dispatcher would otherwise block the engine's constructor.
    """
    address = os.environ.get("SPEECHD_ADDRESS", "")
    if address and not address.startswith("unix_socket:"):
        return ""  # an inet address: leave it to the library
    path = speechd_socket_path()
    if not path.exists():
        if address:
            return f"no speech-dispatcher is listening at {path}"
        return ""  # no dispatcher yet: libspeechd spawns one (quick when it works)
    deadline = time.monotonic() + timeout_s
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(max(0.1, deadline - time.monotonic()))
            probe.connect(str(path))
            probe.sendall(b"SET SELF CLIENT_NAME hipflex:probe:main\r\n")
            reply = probe.recv(256)
            probe.sendall(b"QUIT\r\n")
    except TimeoutError:
        return "speech-dispatcher did not answer"
    except OSError as error:
        if not address:
            return ""  # a stale socket from a dead dispatcher: libspeechd starts a new one
        return f"speech-dispatcher cannot be reached ({error.strerror or error})"
    if not reply.startswith(b"2"):
        return "speech-dispatcher refused the connection"
    return ""


def english_voices(engine: QTextToSpeech) -> list[QVoice]:
    """Cue texts are English, so only English voices are offered (sorted by name)."""
    from PySide6.QtTextToSpeech import QVoice

    return sorted(
        (v for v in engine.availableVoices() if v.locale().language() == QLocale.Language.English),
        key=QVoice.name,
    )


def preferred_locale(available: list[QLocale]) -> QLocale | None:
    """The user's English variant if they use one, else US, else any English."""
    system = QLocale.system()
    english = [loc for loc in available if loc.language() == QLocale.Language.English]
    for wanted in (system.name(), "en_US", "en_GB"):
        for locale in english:
            if locale.name() == wanted:
                return locale
    return english[0] if english else None


class SpeechWorker(QObject):
    """Owns the engine; reports readiness and failure through signals."""

    ready = Signal(list)  # English voice names
    failed = Signal(str)

    def __init__(self, factory: EngineFactory) -> None:
        super().__init__()
        self._factory = factory
        self._engine: QTextToSpeech | None = None
        self._voices: dict[str, QVoice] = {}
        self._default_voice: QVoice | None = None

    @Slot()
    def start_engine(self) -> None:
        quiet_optional_backend_probe()  # before QtTextToSpeech pulls in QtMultimedia
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech

            engine = self._factory(self)
        except ImportError as error:
            self.failed.emit(f"Speech is unavailable ({error}). {VOICE_INSTALL_HINT}")
            return
        except Exception as error:  # any engine failure means "no voice"
            self.failed.emit(str(error) or type(error).__name__)
            return
        if engine.state() == QTextToSpeech.State.Error:
            reason = engine.errorString() or "the speech engine did not start"
            self.failed.emit(f"Speech is unavailable: {reason}. {VOICE_INSTALL_HINT}")
            return
        self._engine = engine
        engine.errorOccurred.connect(self._on_error)
        locale = preferred_locale(list(engine.availableLocales()))
        if locale is not None:
            engine.setLocale(locale)
        self._default_voice = engine.voice()
        self._voices = {voice.name(): voice for voice in english_voices(engine)}
        self.ready.emit(list(self._voices))

    def say(self, text: str) -> None:
        if self._engine is not None:
            self._engine.say(text)  # interrupts anything still being spoken

    def stop(self) -> None:
        if self._engine is not None:
            from PySide6.QtTextToSpeech import QTextToSpeech

            self._engine.stop(QTextToSpeech.BoundaryHint.Immediate)

    def configure(self, voice_name: str, rate: float, volume: float) -> None:
        if self._engine is None:
            return
        voice = self._voices.get(voice_name, self._default_voice)
        if voice is not None and voice.name() != self._engine.voice().name():
            self._engine.setVoice(voice)
        self._engine.setRate(rate)
        self._engine.setVolume(volume)

    def shut_down(self) -> None:
        if self._engine is not None:
            self._engine.errorOccurred.disconnect(self._on_error)
            self.stop()
            self._engine = None  # deleted with this worker

    def _on_error(self, _reason: object, message: str) -> None:
        self.failed.emit(f"Speech stopped working: {message or 'engine error'}.")


class CommandDispatcher(QObject):
    """Applies one protocol message to the worker; drops stale phrases."""

    quit_requested = Signal()

    def __init__(self, worker: SpeechWorker, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._worker = worker
        self._clock = clock

    @Slot(dict)
    def handle(self, message: dict[str, Any]) -> None:
        op = message.get("op")
        if op == "say":
            text = message.get("text")
            expires = message.get("expires")
            if not isinstance(text, str) or not text:
                return
            if isinstance(expires, int | float) and self._clock() > expires:
                return  # late speech is worse than none: the moment it announced is gone
            self._worker.say(text)
        elif op == "stop":
            self._worker.stop()
        elif op == "configure":
            voice, rate, volume = message.get("voice"), message.get("rate"), message.get("volume")
            if isinstance(voice, str) and isinstance(rate, int | float) and isinstance(
                volume, int | float
            ):
                self._worker.configure(voice, float(rate), float(volume))
        elif op == "quit":
            self.quit_requested.emit()


class CommandReader(QObject):
    """Reads protocol lines on a plain thread (blocking reads) and hands them over."""

    received = Signal(dict)
    ended = Signal()

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self._stream = stream

    def start(self) -> None:
        threading.Thread(target=self._run, name="hipflex-speech-input", daemon=True).start()

    def _run(self) -> None:
        try:
            for raw in self._stream:
                try:
                    message = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(message, dict):
                    self.received.emit(message)  # queued to the main thread
            self.ended.emit()
        except RuntimeError:
            pass  # the helper is already shutting down and this reader is gone


class EventWriter(QObject):
    """Writes the helper's events as JSON lines."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self._stream = stream

    @Slot(list)
    def ready(self, voices: list[str]) -> None:
        self._write({"event": "ready", "voices": [str(name) for name in voices]})

    @Slot(str)
    def failed(self, reason: str) -> None:
        self._write({"event": "failed", "reason": reason})

    def _write(self, event: dict[str, Any]) -> None:
        try:
            self._stream.write(json.dumps(event) + "\n")
            self._stream.flush()
        except (OSError, ValueError):
            pass  # the app is gone; end of input will end this process too


def _die_with_parent() -> None:
    """On Linux, end this process when the app dies, even if speech is stuck in C code."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # end of input still ends it


def main(factory: EngineFactory = default_engine_factory) -> int:
    _die_with_parent()
    quiet_optional_backend_probe()
    app = QCoreApplication(sys.argv[:1])
    worker = SpeechWorker(factory)
    writer = EventWriter(sys.stdout)
    dispatcher = CommandDispatcher(worker)
    reader = CommandReader(sys.stdin.buffer)
    worker.ready.connect(writer.ready)
    worker.failed.connect(writer.failed)
    reader.received.connect(dispatcher.handle)
    reader.ended.connect(app.quit)
    dispatcher.quit_requested.connect(app.quit)
    QTimer.singleShot(0, worker.start_engine)
    reader.start()
    app.exec()
    worker.shut_down()
    return 0


if __name__ == "__main__":
    sys.exit(main())
