"""Test doubles that record what they were asked to play or say, with timestamps.

``RecordingSoundPlayer`` and ``RecordingVoice`` stand in for the Qt backends inside
:class:`~hipflex_desktop.audio.cues.AudioCues`; ``RecordingCuePlayer`` stands in for the
whole audio layer in runner tests. ``fail()``/``become_ready()`` script the backends'
life cycle so failure handling can be tested without real devices.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from hipflex_desktop.audio import SPEECH_LEAD_S, FailureHandler, VoiceState, is_voice_only

Clock = Callable[[], float]


@dataclass(frozen=True)
class RecordedCall:
    method: str
    args: tuple[object, ...]
    at: float  # the injected clock's time of the call


class _Recorder:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.calls: list[RecordedCall] = []

    def _record(self, method: str, *args: object) -> None:
        self.calls.append(RecordedCall(method, args, self._clock()))

    def args_of(self, method: str) -> list[tuple[object, ...]]:
        return [call.args for call in self.calls if call.method == method]


class RecordingSoundPlayer(_Recorder):
    def __init__(
        self, durations: dict[str, float] | None = None, clock: Clock = time.monotonic
    ) -> None:
        super().__init__(clock)
        self._durations = dict(durations or {})
        self._on_failure: FailureHandler | None = None
        self.volume: float | None = None
        self.closed = False

    @property
    def played(self) -> list[str]:
        return [str(args[0]) for args in self.args_of("play")]

    def play(self, sound: str) -> None:
        self._record("play", sound)

    def prime(self) -> None:
        self._record("prime")

    def is_loaded(self) -> bool:
        return True

    def set_volume(self, volume: float) -> None:
        self.volume = volume
        self._record("set_volume", volume)

    def duration_s(self, sound: str) -> float:
        return self._durations.get(sound, 0.0)

    def set_failure_handler(self, handler: FailureHandler) -> None:
        self._on_failure = handler

    def close(self) -> None:
        self.closed = True

    def fail(self, message: str) -> None:
        """Simulate the backend breaking (device gone, file unreadable)."""
        if self._on_failure is not None:
            self._on_failure(message)


class RecordingVoice(_Recorder):
    def __init__(
        self,
        state: VoiceState = VoiceState.READY,
        names: list[str] | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(clock)
        self._state = state
        self._reason = ""
        self._names = list(names or ["English (Great Britain)", "English (America)"])
        self._on_ready: Callable[[], None] | None = None
        self._on_failure: FailureHandler | None = None
        self.configured: tuple[str, float, float] | None = None
        self.closed = False

    @property
    def state(self) -> VoiceState:
        return self._state

    @property
    def unavailable_reason(self) -> str:
        return self._reason

    @property
    def said(self) -> list[str]:
        return [str(args[0]) for args in self.args_of("say")]

    def voice_names(self) -> list[str]:
        return list(self._names) if self._state is VoiceState.READY else []

    def say(self, text: str) -> None:
        self._record("say", text)

    def stop(self) -> None:
        self._record("stop")

    def configure(self, voice_name: str, rate: float, volume: float) -> None:
        self.configured = (voice_name, rate, volume)
        self._record("configure", voice_name, rate, volume)

    def set_handlers(self, on_ready: Callable[[], None], on_failure: FailureHandler) -> None:
        self._on_ready = on_ready
        self._on_failure = on_failure

    def close(self) -> None:
        self.closed = True

    def become_ready(self) -> None:
        self._state = VoiceState.READY
        if self._on_ready is not None:
            self._on_ready()

    def fail(self, reason: str) -> None:
        self._state = VoiceState.UNAVAILABLE
        self._reason = reason
        if self._on_failure is not None:
            self._on_failure(reason)


class RecordingCuePlayer(_Recorder):
    """Stands in for the audio layer in session-runner tests."""

    speech_lead_s = SPEECH_LEAD_S

    def __init__(self, clock: Clock = time.monotonic) -> None:
        super().__init__(clock)
        self._muted = False

    @property
    def cues(self) -> list[tuple[str, str]]:
        return [(str(a[0]), str(a[1])) for a in self.args_of("cue")]

    def cue(self, kind: str, text: str = "") -> None:
        self._record("cue", kind, text)

    def lead_time_s(self, kind: str) -> float:
        return self.speech_lead_s if is_voice_only(kind) else 0.0

    def warm_up(self) -> None:
        self._record("warm_up")

    def end_session(self) -> None:
        self._record("end_session")

    def announce_personal_best(self, text: str) -> None:
        self._record("announce_personal_best", text)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self._record("set_muted", muted)

    def is_muted(self) -> bool:
        return self._muted
