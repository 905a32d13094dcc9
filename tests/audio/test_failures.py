"""Audio failures degrade, notify once and never raise: missing QtMultimedia, no output
device, an unreadable sound file, a broken speech engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hipflex_desktop.audio import SOUND_NAMES, Health
from hipflex_desktop.audio.cues import AudioCues
from hipflex_desktop.audio.settings import AudioSettings

REPO = Path(__file__).resolve().parents[2]

# Makes the modules named in BLOCK unimportable in every Python process started with
# this folder on PYTHONPATH: the child and its speech helper process alike, as on a
# machine without libpulse0.
SITECUSTOMIZE = """
import json, os, sys
for name in json.loads(os.environ.get("BLOCK", "[]")):
    sys.modules[name] = None  # `import name` now raises ImportError
"""

# Runs create_audio_cues in a fresh interpreter, spins the event loop until the voice
# has settled (or briefly, without voice) and reports what the facade said.
CHILD = r"""
import json, os, sys
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
from hipflex_desktop.audio import VoiceState
waited = []
def when_voice_settled():
    waited.append(1)
    if audio.voice_state is VoiceState.STARTING and len(waited) < 300:
        QTimer.singleShot(50, when_voice_settled)
    else:
        drive()
QTimer.singleShot(200, when_voice_settled)
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
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
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
