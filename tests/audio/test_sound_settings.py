"""The sound settings widget: persists to QSettings, applies live, explains missing voice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from hipflex_desktop.audio import SOUND_NAMES, VoiceState
from hipflex_desktop.audio.cues import PREVIEW_CUES, AudioCues
from hipflex_desktop.audio.null import NullSoundPlayer
from hipflex_desktop.audio.recording import RecordingSoundPlayer, RecordingVoice
from hipflex_desktop.audio.settings import AudioSettings, load_audio_settings, save_audio_settings
from hipflex_desktop.ui.sound_settings import SoundSettingsWidget


@pytest.fixture
def store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def sounds() -> RecordingSoundPlayer:
    return RecordingSoundPlayer()


@pytest.fixture
def cleanup() -> Iterator[list[AudioCues]]:
    made: list[AudioCues] = []
    yield made
    for audio in made:
        audio.close()


def _widget(qtbot: QtBot, store: QSettings, audio: AudioCues) -> SoundSettingsWidget:
    widget = SoundSettingsWidget(store, audio)
    qtbot.addWidget(widget)
    return widget


def _audio(store: QSettings, sounds, voice, cleanup, **kwargs) -> AudioCues:
    audio = AudioCues(load_audio_settings(store), sounds, voice, **kwargs)
    cleanup.append(audio)
    return audio


def test_changes_are_saved_and_applied(qtbot: QtBot, store, sounds, cleanup) -> None:
    voice = RecordingVoice(names=["English (America)", "English (America)+Andy"])
    audio = _audio(store, sounds, voice, cleanup)
    widget = _widget(qtbot, store, audio)
    widget.volume_slider.setValue(40)
    widget.quiet_rest_check.setChecked(True)
    widget.lead_in_spin.setValue(8)
    widget.voice_combo.setCurrentIndex(widget.voice_combo.findData("English (America)+Andy"))
    widget.rate_slider.setValue(-3)
    widget.beeps_check.setChecked(False)
    expected = AudioSettings(volume=0.4, beeps_enabled=False, voice_enabled=True,
                             voice_name="English (America)+Andy", voice_rate=-0.3,
                             quiet_rest=True, lead_in_s=8)
    assert audio.settings == expected
    assert sounds.volume == 0.4
    assert voice.configured == ("English (America)+Andy", -0.3, 0.4)
    store.sync()
    reread = QSettings(store.fileName(), QSettings.Format.IniFormat)
    assert load_audio_settings(reread) == expected
    assert widget.volume_label.text() == "40 %"


def test_widget_shows_what_was_stored(qtbot: QtBot, store, sounds, cleanup) -> None:

    save_audio_settings(store, AudioSettings(volume=0.55, voice_enabled=False, lead_in_s=3,
                                             quiet_rest=True))
    audio = _audio(store, sounds, RecordingVoice(), cleanup)
    widget = _widget(qtbot, store, audio)
    assert widget.volume_slider.value() == 55
    assert not widget.voice_check.isChecked()
    assert widget.quiet_rest_check.isChecked()
    assert widget.lead_in_spin.value() == 3
    assert not widget.voice_combo.isEnabled()  # voice off: no voice to choose
    assert not widget.rate_slider.isEnabled()


def test_no_speech_engine_disables_voice_and_says_why(
    qtbot: QtBot, store, sounds, cleanup
) -> None:
    voice = RecordingVoice(state=VoiceState.STARTING)
    audio = _audio(store, sounds, voice, cleanup)
    widget = _widget(qtbot, store, audio)
    assert "Starting" in widget.voice_status.text()
    assert not widget.voice_combo.isEnabled()
    with qtbot.waitSignal(audio.voice_unavailable, timeout=1000):
        voice.fail("No text-to-speech engine is installed. On Debian or Ubuntu install "
                   "speech-dispatcher and speech-dispatcher-espeak-ng.")
    assert not widget.voice_check.isEnabled()
    assert not widget.voice_combo.isEnabled()
    assert not widget.rate_slider.isEnabled()
    assert "No text-to-speech engine is installed" in widget.voice_status.text()
    assert not widget.voice_status.isHidden()
    assert widget.beeps_check.isEnabled()  # beeps carry on


def test_voice_list_arrives_when_the_engine_is_ready(
    qtbot: QtBot, store, sounds, cleanup
) -> None:
    voice = RecordingVoice(state=VoiceState.STARTING, names=["English (Scotland)"])
    audio = _audio(store, sounds, voice, cleanup)
    widget = _widget(qtbot, store, audio)
    assert widget.voice_combo.count() == 1  # just "default"
    voice.become_ready()
    assert widget.voice_combo.count() == 2
    assert widget.voice_combo.itemData(1) == "English (Scotland)"
    assert widget.voice_combo.isEnabled()
    assert widget.rate_slider.isEnabled()
    assert widget.voice_status.isHidden()


def test_broken_beeps_are_explained(qtbot: QtBot, store, cleanup) -> None:
    audio = _audio(store, NullSoundPlayer(), RecordingVoice(), cleanup,
                   sound_problem="No sound output device was found.")
    widget = _widget(qtbot, store, audio)
    qtbot.waitUntil(lambda: "No sound output device" in widget.beeps_status.text(), timeout=1000)
    assert not widget.beeps_check.isEnabled()


def test_test_sound_plays_each_cue_in_turn(qtbot: QtBot, store, sounds, cleanup) -> None:
    voice = RecordingVoice()
    audio = _audio(store, sounds, voice, cleanup)
    widget = _widget(qtbot, store, audio)
    widget.preview_gap_ms = widget.preview_spoken_gap_ms = 5
    qtbot.mouseClick(widget.test_button, qtbot_button())
    assert widget.is_testing
    assert widget.test_button.text() == "Stop test"
    qtbot.waitUntil(lambda: not widget.is_testing, timeout=3000)
    assert set(sounds.played) == set(SOUND_NAMES)
    voice_only = {"ten_seconds_left", "exercise_change"}
    assert len(sounds.played) == len([k for k, _ in PREVIEW_CUES if k not in voice_only])
    assert "Hanging leg raise" in voice.said
    assert widget.test_button.text() == "Test sound"


def test_test_sound_can_be_stopped(qtbot: QtBot, store, sounds, cleanup) -> None:
    audio = _audio(store, sounds, RecordingVoice(), cleanup)
    widget = _widget(qtbot, store, audio)
    qtbot.mouseClick(widget.test_button, qtbot_button())
    qtbot.mouseClick(widget.test_button, qtbot_button())
    assert not widget.is_testing
    assert sounds.played == ["lead_in_tick"]


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_voice_off_at_launch_starts_when_ticked(
    qtbot: QtBot, store: QSettings, sounds: RecordingSoundPlayer, cleanup: list[AudioCues]
) -> None:
    """No speech engine runs while spoken cues are off; ticking the box starts one."""
    from hipflex_desktop.audio.null import NullVoice

    save_audio_settings(store, AudioSettings(voice_enabled=False))
    started: list[RecordingVoice] = []

    def start_voice() -> RecordingVoice:
        started.append(RecordingVoice(state=VoiceState.STARTING, names=["English (Wales)"]))
        return started[-1]

    audio = _audio(store, sounds, NullVoice("Spoken cues are off."), cleanup,
                   start_voice=start_voice)
    notices: list[str] = []
    audio.voice_unavailable.connect(notices.append)
    widget = _widget(qtbot, store, audio)
    qtbot.wait(10)  # let queued notices go out: there must be none
    assert notices == []
    assert widget.voice_check.isEnabled()
    assert not widget.voice_check.isChecked()
    assert widget.voice_status.isHidden()
    assert started == []
    widget.voice_check.setChecked(True)
    assert len(started) == 1
    assert "Starting" in widget.voice_status.text()
    assert not widget.voice_combo.isEnabled()
    started[0].become_ready()
    assert widget.voice_combo.findData("English (Wales)") > 0
    assert widget.voice_combo.isEnabled()
    assert widget.voice_status.isHidden()
    audio.cue("ten_seconds_left", "10 seconds left")
    assert started[0].said == ["10 seconds left"]
    widget.voice_check.setChecked(False)
    widget.voice_check.setChecked(True)
    assert len(started) == 1  # started once, then kept
