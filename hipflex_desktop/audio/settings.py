"""Audio preferences and their QSettings keys (all under ``audio/``).

QSettings hands back strings for INI files ("true", "0.8"), so every value is parsed
defensively: a hand-edited or corrupt value falls back to the default, never raises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from PySide6.QtCore import QSettings

KEY_VOLUME = "audio/volume"
KEY_BEEPS = "audio/beeps_enabled"
KEY_VOICE = "audio/voice_enabled"
KEY_VOICE_NAME = "audio/voice_name"
KEY_VOICE_RATE = "audio/voice_rate"
KEY_QUIET_REST = "audio/quiet_rest"
KEY_LEAD_IN = "audio/lead_in_s"

LEAD_IN_MIN_S = 0
LEAD_IN_MAX_S = 30


@dataclass(frozen=True)
class AudioSettings:
    volume: float = 1.0  # 0..1, perceptual scale; the system mixer does the rest
    beeps_enabled: bool = True
    voice_enabled: bool = True
    voice_name: str = ""  # "" = the engine's default English voice
    voice_rate: float = 0.0  # -1 (slow) .. 1 (fast)
    quiet_rest: bool = False  # no ticks while resting
    lead_in_s: int = 5  # get-ready countdown before the first effort

    def normalised(self) -> AudioSettings:
        return replace(
            self,
            volume=min(1.0, max(0.0, self.volume)),
            voice_rate=min(1.0, max(-1.0, self.voice_rate)),
            lead_in_s=min(LEAD_IN_MAX_S, max(LEAD_IN_MIN_S, self.lead_in_s)),
        )


def _as_bool(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "1", "yes", "on"}:
            return True
        if lowered in {"false", "0", "no", "off"}:
            return False
    if isinstance(value, int):
        return value != 0
    return default


def _as_float(value: object, default: float) -> float:
    if isinstance(value, bool):
        return default
    if isinstance(value, int | float | str):
        try:
            result = float(value)
        except ValueError:
            return default
        return default if math.isnan(result) else result
    return default


def _as_int(value: object, default: int) -> int:
    as_float = _as_float(value, float(default))
    return round(as_float) if abs(as_float) < 1e9 else default


def load_audio_settings(settings: QSettings) -> AudioSettings:
    defaults = AudioSettings()
    voice_name = settings.value(KEY_VOICE_NAME, defaults.voice_name)
    return AudioSettings(
        volume=_as_float(settings.value(KEY_VOLUME, defaults.volume), defaults.volume),
        beeps_enabled=_as_bool(settings.value(KEY_BEEPS, True), defaults.beeps_enabled),
        voice_enabled=_as_bool(settings.value(KEY_VOICE, True), defaults.voice_enabled),
        voice_name=voice_name if isinstance(voice_name, str) else defaults.voice_name,
        voice_rate=_as_float(settings.value(KEY_VOICE_RATE, 0.0), defaults.voice_rate),
        quiet_rest=_as_bool(settings.value(KEY_QUIET_REST, False), defaults.quiet_rest),
        lead_in_s=_as_int(settings.value(KEY_LEAD_IN, defaults.lead_in_s), defaults.lead_in_s),
    ).normalised()


def save_audio_settings(settings: QSettings, values: AudioSettings) -> None:
    values = values.normalised()
    settings.setValue(KEY_VOLUME, values.volume)
    settings.setValue(KEY_BEEPS, values.beeps_enabled)
    settings.setValue(KEY_VOICE, values.voice_enabled)
    settings.setValue(KEY_VOICE_NAME, values.voice_name)
    settings.setValue(KEY_VOICE_RATE, values.voice_rate)
    settings.setValue(KEY_QUIET_REST, values.quiet_rest)
    settings.setValue(KEY_LEAD_IN, values.lead_in_s)
