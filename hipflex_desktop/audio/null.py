"""Players that do nothing, for machines without sound and for headless runs.

They keep the same contract as the real ones (never block, never raise) so the
runner's code path is identical with or without audio.
"""

from __future__ import annotations

from collections.abc import Callable

from hipflex_desktop.audio import FailureHandler, VoiceState


class NullSoundPlayer:
    """Plays nothing. Used when QtMultimedia or the audio device is missing."""

    def __init__(self, durations: dict[str, float] | None = None) -> None:
        self._durations = dict(durations or {})

    def play(self, sound: str) -> None:
        pass

    def prime(self) -> None:
        pass

    def is_loaded(self) -> bool:
        return True

    def set_volume(self, volume: float) -> None:
        pass

    def duration_s(self, sound: str) -> float:
        return self._durations.get(sound, 0.0)

    def set_failure_handler(self, handler: FailureHandler) -> None:
        pass  # a silent player has nothing left to lose

    def close(self) -> None:
        pass


class NullVoice:
    """No speech engine; ``reason`` says why, for the settings screen."""

    def __init__(self, reason: str) -> None:
        self._reason = reason

    @property
    def state(self) -> VoiceState:
        return VoiceState.UNAVAILABLE

    @property
    def unavailable_reason(self) -> str:
        return self._reason

    def voice_names(self) -> list[str]:
        return []

    def say(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass

    def configure(self, voice_name: str, rate: float, volume: float) -> None:
        pass

    def set_handlers(self, on_ready: Callable[[], None], on_failure: FailureHandler) -> None:
        pass

    def close(self) -> None:
        pass


class NullCuePlayer:
    """A :class:`~hipflex_desktop.audio.CuePlayer` for headless runs (e.g. the CLI timer)."""

    speech_lead_s = 0.0

    def __init__(self) -> None:
        self._muted = False

    def cue(self, kind: str, text: str = "") -> None:
        pass

    def lead_time_s(self, kind: str) -> float:
        return 0.0

    def warm_up(self) -> None:
        pass

    def end_session(self) -> None:
        pass

    def announce_personal_best(self, text: str) -> None:
        pass

    def set_muted(self, muted: bool) -> None:
        self._muted = muted

    def is_muted(self) -> bool:
        return self._muted
