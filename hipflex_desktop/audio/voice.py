"""Spoken cues through QTextToSpeech, kept off the GUI thread.

Why a worker thread: creating the speechd engine takes ~1.3 s (it enumerates every
espeak-ng voice) and ``say()`` itself can take ~15 ms, because libspeechd waits for
the dispatcher's reply. Either would delay a beep on the GUI thread. The engine is
created and used in a QThread; the GUI thread only emits queued signals.

``say()`` is dropped unless the voice is READY: queued behind engine start-up it
would be heard seconds late, which is worse than not at all.

Only real engines count: the ``mock`` engine shipped with the wheels says nothing.
On Linux the wheels carry ``speechd`` only, which needs the speech-dispatcher daemon
and an output module (Debian: speech-dispatcher speech-dispatcher-espeak-ng).
"""

from __future__ import annotations

import functools
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

from hipflex_desktop.audio.qtlog import quiet_optional_backend_probe

quiet_optional_backend_probe()

from PySide6.QtCore import (  # noqa: E402
    QLocale,
    QObject,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtTextToSpeech import QTextToSpeech, QVoice  # noqa: E402

from hipflex_desktop.audio import VOICE_INSTALL_HINT, FailureHandler, VoiceState  # noqa: E402

IGNORED_ENGINES = frozenset({"mock"})
THREAD_STOP_TIMEOUT_MS = 5000

EngineFactory = Callable[[QObject], QTextToSpeech]


def real_engines() -> list[str]:
    """Installed text-to-speech engines that actually produce sound."""
    return [name for name in QTextToSpeech.availableEngines() if name not in IGNORED_ENGINES]


def default_engine_factory(parent: QObject) -> QTextToSpeech:
    """The first real engine; raises LookupError when there is none.

    The speechd engine's constructor waits for the dispatcher while holding Python's
    GIL, which would freeze the GUI thread (and every timer) for as long as a hung
    dispatcher stays silent. So the dispatcher is first reached from Python, which
    waits without the GIL, with a deadline (``speechd_problem``).
    """
    engines = real_engines()
    if not engines:
        raise LookupError(f"No text-to-speech engine is installed. {VOICE_INSTALL_HINT}")
    if engines[0] == "speechd":
        problem = speechd_problem()
        if problem:
            raise ConnectionError(f"Speech is unavailable: {problem}. {VOICE_INSTALL_HINT}")
    return QTextToSpeech(engines[0], parent)


SPEECHD_PROBE_TIMEOUT_S = 3.0


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
        return f"speech-dispatcher cannot be reached ({error.strerror or error})"
    if not reply.startswith(b"2"):
        return "speech-dispatcher refused the connection"
    return ""


def english_voices(engine: QTextToSpeech) -> list[QVoice]:
    """Cue texts are English, so only English voices are offered (sorted by name)."""
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
    """Lives in the speech thread; owns the engine. Talk to it only through signals."""

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
        try:
            engine = self._factory(self)
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

    @Slot(str)
    def say(self, text: str) -> None:
        if self._engine is not None:
            self._engine.say(text)  # interrupts anything still being spoken

    @Slot()
    def stop(self) -> None:
        if self._engine is not None:
            self._engine.stop(QTextToSpeech.BoundaryHint.Immediate)

    @Slot(str, float, float)
    def configure(self, voice_name: str, rate: float, volume: float) -> None:
        if self._engine is None:
            return
        voice = self._voices.get(voice_name, self._default_voice)
        if voice is not None and voice.name() != self._engine.voice().name():
            self._engine.setVoice(voice)
        self._engine.setRate(rate)
        self._engine.setVolume(volume)

    @Slot()
    def shut_down(self) -> None:
        if self._engine is not None:
            self._engine.errorOccurred.disconnect(self._on_error)
            self._engine.stop(QTextToSpeech.BoundaryHint.Immediate)
            self._engine = None  # deleted with this worker, in this thread

    def _on_error(self, _reason: QTextToSpeech.ErrorReason, message: str) -> None:
        self.failed.emit(f"Speech stopped working: {message or 'engine error'}.")


def _join_thread(thread: QThread, *_args: object) -> None:
    if thread.isRunning():
        thread.quit()
        thread.wait(THREAD_STOP_TIMEOUT_MS)


class QtVoice(QObject):
    """A :class:`~hipflex_desktop.audio.Voice` that runs its engine in a worker thread."""

    _say_requested = Signal(str)
    _stop_requested = Signal()
    _configure_requested = Signal(str, float, float)
    _shut_down_requested = Signal()

    def __init__(
        self, factory: EngineFactory = default_engine_factory, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._state = VoiceState.STARTING
        self._reason = ""
        self._names: list[str] = []
        self._config: tuple[str, float, float] | None = None
        self._on_ready: Callable[[], None] | None = None
        self._on_failure: FailureHandler | None = None
        self._thread = QThread(self)
        self._thread.setObjectName("hipflex-speech")
        self._worker = SpeechWorker(factory)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.start_engine)
        self._thread.finished.connect(self._worker.deleteLater)
        self._worker.ready.connect(self._on_worker_ready)
        self._worker.failed.connect(self._on_worker_failed)
        self._say_requested.connect(self._worker.say)
        self._stop_requested.connect(self._worker.stop)
        self._configure_requested.connect(self._worker.configure)
        self._shut_down_requested.connect(self._worker.shut_down)
        # Deleted without close() (e.g. its parent went first)? A running QThread being
        # destroyed aborts the process, so join it from the destroyed signal.
        self.destroyed.connect(functools.partial(_join_thread, self._thread))
        self._thread.start()

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
            self._say_requested.emit(text)

    def stop(self) -> None:
        if self._state is VoiceState.READY:
            self._stop_requested.emit()

    def configure(self, voice_name: str, rate: float, volume: float) -> None:
        self._config = (voice_name, rate, volume)
        if self._state is VoiceState.READY:
            self._configure_requested.emit(voice_name, rate, volume)

    def set_handlers(self, on_ready: Callable[[], None], on_failure: FailureHandler) -> None:
        self._on_ready = on_ready
        self._on_failure = on_failure

    def close(self) -> None:
        """Stop speaking and end the thread (waits for a still-starting engine)."""
        if not self._thread.isRunning():
            return
        self._shut_down_requested.emit()
        self._thread.quit()
        self._thread.wait(THREAD_STOP_TIMEOUT_MS)
        if self._state is not VoiceState.UNAVAILABLE:
            self._state = VoiceState.UNAVAILABLE
            self._reason = "Speech was shut down."

    def _on_worker_ready(self, names: list[str]) -> None:
        if self._state is not VoiceState.STARTING:
            return
        self._names = [str(name) for name in names]
        self._state = VoiceState.READY
        if self._config is not None:
            self._configure_requested.emit(*self._config)
        if self._on_ready is not None:
            self._on_ready()

    def _on_worker_failed(self, reason: str) -> None:
        if self._state is VoiceState.UNAVAILABLE:
            return
        self._state = VoiceState.UNAVAILABLE
        self._reason = reason
        self._names = []
        if self._on_failure is not None:
            self._on_failure(reason)
