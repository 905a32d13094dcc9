"""Where the cue sounds live and how long each one is (read from the WAV header)."""

from __future__ import annotations

import wave
from pathlib import Path

from hipflex_desktop.audio import SOUND_NAMES
from hipflex_desktop.resources import resource_path


def default_sound_dir() -> Path:
    return resource_path("sounds")


def wav_duration_s(path: Path) -> float:
    """Length in seconds; 0.0 for a file that is missing or not a readable WAV."""
    try:
        with wave.open(str(path), "rb") as wav:
            rate = wav.getframerate()
            return wav.getnframes() / rate if rate else 0.0
    except Exception:  # a corrupt header makes `wave` raise almost anything
        return 0.0


def sound_durations(sound_dir: Path | None = None) -> dict[str, float]:
    """Length of every cue sound; the facade uses it to start speech after a beep ends."""
    directory = sound_dir if sound_dir is not None else default_sound_dir()
    return {name: wav_duration_s(directory / f"{name}.wav") for name in SOUND_NAMES}
