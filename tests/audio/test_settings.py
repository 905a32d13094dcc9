"""Audio preferences round-trip through QSettings and survive garbage values."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from hipflex_desktop.audio.settings import (
    KEY_BEEPS,
    KEY_LEAD_IN,
    KEY_QUIET_REST,
    KEY_VOICE,
    KEY_VOICE_NAME,
    KEY_VOICE_RATE,
    KEY_VOLUME,
    AudioSettings,
    load_audio_settings,
    save_audio_settings,
)


def _ini(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_defaults_when_nothing_is_stored(tmp_path: Path) -> None:
    assert load_audio_settings(_ini(tmp_path)) == AudioSettings()


def test_round_trip_through_an_ini_file(tmp_path: Path) -> None:
    chosen = AudioSettings(volume=0.35, beeps_enabled=False, voice_enabled=False,
                           voice_name="English (Great Britain)+Andy", voice_rate=-0.4,
                           quiet_rest=True, lead_in_s=12)
    store = _ini(tmp_path)
    save_audio_settings(store, chosen)
    store.sync()
    assert load_audio_settings(_ini(tmp_path)) == chosen  # a fresh reader, from disk
    text = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert "[audio]" in text


def test_all_keys_live_under_audio() -> None:
    keys = [KEY_VOLUME, KEY_BEEPS, KEY_VOICE, KEY_VOICE_NAME, KEY_VOICE_RATE, KEY_QUIET_REST,
            KEY_LEAD_IN]
    assert all(key.startswith("audio/") for key in keys)
    assert len(set(keys)) == 7


@pytest.mark.parametrize(
    ("key", "raw", "field", "expected"),
    [
        (KEY_VOLUME, "loud", "volume", 1.0),
        (KEY_VOLUME, "7", "volume", 1.0),
        (KEY_VOLUME, "nan", "volume", 1.0),
        (KEY_BEEPS, "maybe", "beeps_enabled", True),
        (KEY_QUIET_REST, "yes", "quiet_rest", True),
        (KEY_LEAD_IN, "-4", "lead_in_s", 0),
        (KEY_LEAD_IN, "99", "lead_in_s", 30),
        (KEY_LEAD_IN, "ten", "lead_in_s", 5),
        (KEY_VOICE_RATE, "3", "voice_rate", 1.0),
    ],
)
def test_garbage_values_fall_back_or_clamp(
    tmp_path: Path, key: str, raw: str, field: str, expected: object
) -> None:
    store = _ini(tmp_path)
    store.setValue(key, raw)
    assert getattr(load_audio_settings(store), field) == expected
