"""Audio failures degrade, notify once and never raise: missing QtMultimedia, no output
device, an unreadable sound file, a broken speech engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QObject, Signal
from pytestqt.qtbot import QtBot

from hipflex_desktop.audio import SOUND_NAMES, Health, VoiceState
from hipflex_desktop.audio.cues import AudioCues
from hipflex_desktop.audio.recording import RecordingSoundPlayer
from hipflex_desktop.audio.settings import AudioSettings

REPO = Path(__file__).resolve().parents[2]

# Runs create_audio_cues in a fresh interpreter, spins the event loop briefly and
# reports what the facade said. BLOCK names modules made unimportable first.
CHILD = r"""
import json, os, sys
for name in json.loads(os.environ["BLOCK"]):
    sys.modules[name] = None  # `import name` now raises ImportError
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
app = QCoreApplication([])
from hipflex_desktop.audio.cues import create_audio_cues
settings = QSettings(os.environ["SETTINGS"], QSettings.Format.IniFormat)
audio = create_audio_cues(settings, enable_voice=os.environ.get("VOICE") == "1")
fallbacks, voice_notices = [], []
audio.fallback_to_visual.connect(fallbacks.append)
audio.voice_unavailable.connect(voice_notices.append)
errors = []
def drive():
    try:
        audio.warm_up()
        for kind in ("lead_in_tick", "go", "rest_start", "ten_seconds_left", "session_complete"):
            audio.cue(kind, "words")
        audio.set_muted(True)
        audio.announce_personal_best("New best")
    except Exception as error:
        errors.append(repr(error))
    QTimer.singleShot(300, app.quit)
QTimer.singleShot(200, drive)
app.exec()
status = audio.status
audio.close()
print(json.dumps({"fallbacks": fallbacks, "voice_notices": voice_notices, "errors": errors,
                  "health": status.health.value, "message": status.message,
                  "beeps": status.beeps_available, "voice": status.voice_available,
                  "multimedia_loaded": "PySide6.QtMultimedia" in sys.modules
                                       and sys.modules["PySide6.QtMultimedia"] is not None}))
"""


def _run_child(tmp_path: Path, *, block: list[str], env_extra: dict[str, str],
               voice: bool = False) -> dict[str, object]:
    env = dict(os.environ)
    env.update(env_extra)
    env.update({"BLOCK": json.dumps(block), "SETTINGS": str(tmp_path / "settings.ini"),
                "VOICE": "1" if voice else "0", "QT_QPA_PLATFORM": "offscreen"})
    result = subprocess.run([sys.executable, "-c", CHILD], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_missing_qtmultimedia_falls_back_to_silence(tmp_path: Path) -> None:
    """What happens without libpulse0: `import PySide6.QtMultimedia` raises ImportError."""
    report = _run_child(
        tmp_path,
        block=["PySide6.QtMultimedia", "PySide6.QtTextToSpeech"],
        env_extra={},
        voice=True,
    )
    assert report["errors"] == []
    assert report["multimedia_loaded"] is False
    assert report["health"] == "degraded"
    assert report["beeps"] is False
    assert report["voice"] is False
    fallbacks = report["fallbacks"]
    assert isinstance(fallbacks, list)
    assert len(fallbacks) == 1
    assert "libpulse0" in fallbacks[0]
    assert "on screen" in fallbacks[0]
    notices = report["voice_notices"]
    assert isinstance(notices, list)
    assert len(notices) == 1
    assert "speech-dispatcher" in notices[0]


def test_no_sound_output_device_falls_back(tmp_path: Path) -> None:
    """A sound server that cannot be reached leaves Qt with no output device."""
    report = _run_child(
        tmp_path, block=[], env_extra={"PULSE_SERVER": f"unix:{tmp_path / 'no-such-socket'}"}
    )
    assert report["errors"] == []
    assert report["multimedia_loaded"] is True
    assert report["beeps"] is False
    assert report["fallbacks"] == [
        "No sound output device was found. Cues will be shown on screen only."
    ]


@pytest.mark.audio
@pytest.mark.qt_log_ignore(
    r"Could not open media", r"Error decoding source", r"not supported on the selected",
)
def test_unreadable_sound_file_puts_effect_in_error_and_falls_back(
    qtbot: QtBot, tmp_path: Path, pulse_env: dict[str, str]
) -> None:
    from hipflex_desktop.audio.qt_sound import QtSoundPlayer
    from hipflex_desktop.audio.recording import RecordingVoice

    for name in SOUND_NAMES:
        (tmp_path / f"{name}.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk-not-audio")
    player = QtSoundPlayer(tmp_path)
    voice = RecordingVoice()
    audio = AudioCues(AudioSettings(), player, voice)  # type: ignore[arg-type]
    try:
        with qtbot.waitSignal(audio.fallback_to_visual, timeout=5000) as blocker:
            pass
        assert "could not be loaded or played" in blocker.args[0]
        assert player.failure is not None
        audio.cue("go")  # the broken effects are not touched again; no exception
        audio.cue("ten_seconds_left", "10 seconds left")
        assert voice.said == ["10 seconds left"]
        assert audio.status.health is Health.DEGRADED
    finally:
        audio.close()


@pytest.mark.audio
def test_missing_sound_file_falls_back(
    qtbot: QtBot, tmp_path: Path, pulse_env: dict[str, str]
) -> None:
    from hipflex_desktop.audio.qt_sound import QtSoundPlayer
    from hipflex_desktop.audio.recording import RecordingVoice

    audio = AudioCues(AudioSettings(), QtSoundPlayer(tmp_path), RecordingVoice())  # type: ignore[arg-type]
    try:
        with qtbot.waitSignal(audio.fallback_to_visual, timeout=2000) as blocker:
            pass
        assert "missing" in blocker.args[0]
    finally:
        audio.close()


# -- speech engines that fail --------------------------------------------------


class FakeEngine(QObject):
    """Enough of QTextToSpeech for the speech worker; records calls across threads."""

    errorOccurred = Signal(object, str)  # noqa: N815 - Qt's name

    def __init__(self, parent: QObject, *, start_error: str = "", error_on_say: bool = False):
        super().__init__(parent)
        self.start_error = start_error
        self.error_on_say = error_on_say
        self.said: list[str] = []
        self.lock = threading.Lock()
        self.thread_name = threading.current_thread().name

    def state(self):
        from PySide6.QtTextToSpeech import QTextToSpeech

        return QTextToSpeech.State.Error if self.start_error else QTextToSpeech.State.Ready

    def errorString(self) -> str:  # noqa: N802
        return self.start_error

    def availableLocales(self) -> list[QLocale]:  # noqa: N802
        return [QLocale("en_GB"), QLocale("fr_FR")]

    def setLocale(self, locale: QLocale) -> None:  # noqa: N802
        self.locale = locale

    def availableVoices(self) -> list[object]:  # noqa: N802
        return []

    def voice(self):
        from PySide6.QtTextToSpeech import QVoice

        return QVoice()

    def say(self, text: str) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        with self.lock:
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


def _facade_with_voice(factory) -> tuple[AudioCues, RecordingSoundPlayer]:
    from hipflex_desktop.audio.voice import QtVoice

    sounds = RecordingSoundPlayer()
    audio = AudioCues(AudioSettings(), sounds, QtVoice(factory))  # type: ignore[arg-type]
    return audio, sounds


def test_engine_that_raises_on_creation_falls_back(qtbot: QtBot) -> None:
    def explode(parent: QObject) -> FakeEngine:
        raise RuntimeError("the speech engine exploded")

    audio, sounds = _facade_with_voice(explode)
    try:
        with qtbot.waitSignal(audio.voice_unavailable, timeout=5000) as blocker:
            pass
        assert blocker.args == ["the speech engine exploded"]
        assert audio.voice_state is VoiceState.UNAVAILABLE
        audio.cue("switch_sides", "Switch sides")
        assert sounds.played == ["switch_sides"]
        assert audio.status.health is Health.DEGRADED
        assert "exploded" in audio.status.message
    finally:
        audio.close()


def test_engine_in_error_state_falls_back(qtbot: QtBot) -> None:
    audio, _ = _facade_with_voice(
        lambda parent: FakeEngine(parent, start_error="cannot connect to speech-dispatcher")
    )
    try:
        with qtbot.waitSignal(audio.voice_unavailable, timeout=5000) as blocker:
            pass
        assert "cannot connect to speech-dispatcher" in blocker.args[0]
        assert "speech-dispatcher-espeak-ng" in blocker.args[0]  # says how to fix it
    finally:
        audio.close()


def test_engine_runs_off_the_gui_thread_and_failing_speech_falls_back(qtbot: QtBot) -> None:
    engines: list[FakeEngine] = []

    def make(parent: QObject) -> FakeEngine:
        engines.append(FakeEngine(parent, error_on_say=True))
        return engines[-1]

    audio, sounds = _facade_with_voice(make)
    try:
        qtbot.waitUntil(lambda: audio.voice_state is VoiceState.READY, timeout=5000)
        assert engines[0].thread_name != threading.current_thread().name
        notices: list[str] = []
        audio.voice_unavailable.connect(notices.append)
        audio.cue("ten_seconds_left", "10 seconds left")
        qtbot.waitUntil(lambda: notices != [], timeout=5000)
        assert engines[0].said == ["10 seconds left"]
        assert notices == ["Speech stopped working: the device is busy."]
        audio.cue("ten_seconds_left", "10 seconds left")  # dropped, no error
        audio.cue("go")
        qtbot.wait(50)
        assert engines[0].said == ["10 seconds left"]
        assert notices == ["Speech stopped working: the device is busy."]
        assert sounds.played == ["go"]
    finally:
        audio.close()


DELETE_WITHOUT_CLOSE = r"""
from PySide6.QtCore import QCoreApplication, QObject, QTimer
import shiboken6
from hipflex_desktop.audio import VoiceState
from hipflex_desktop.audio.voice import QtVoice
from tests.audio.test_failures import FakeEngine

app = QCoreApplication([])
owner = QObject()
voice = QtVoice(FakeEngine, parent=owner)

def drop_owner():
    assert voice.state is VoiceState.READY, voice.state
    shiboken6.delete(owner)  # takes the voice and its running thread with it
    QTimer.singleShot(100, app.quit)

QTimer.singleShot(500, drop_owner)
app.exec()
print("survived")
"""


def test_voice_deleted_without_close_does_not_abort() -> None:
    """A running QThread destroyed by its parent aborts the process; the voice joins it."""
    result = subprocess.run([sys.executable, "-c", DELETE_WITHOUT_CLOSE], cwd=REPO,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "survived" in result.stdout
    assert "Destroyed while thread" not in result.stderr
