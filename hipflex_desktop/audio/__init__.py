"""Sound and voice cues for guided sessions; the only package that imports QtMultimedia.

The session runner speaks to one object, a :class:`CuePlayer`, with a cue's ``kind``
(the engine's cue-kind string) and a short text. The real implementation
(:class:`hipflex_desktop.audio.cues.AudioCues`) turns that into a preloaded beep
and, where a speech engine exists, spoken words, following this table:

======================  ==================  ============================================
cue kind                sound               spoken (the cue's text)
======================  ==================  ============================================
lead_in_tick            lead_in_tick        –
go                      go                  –
halfway                 halfway             yes ("Halfway")
last_seconds_tick       last_seconds_tick   –
ten_seconds_left        –                   yes ("10 seconds left"); voice only
rest_start              rest                yes ("Rest, 60 seconds")
rest_end                go                  –
switch_sides            switch_sides        yes ("Switch sides")
hold_start              go                  –
hold_stop               hold_stop           –
hold_target_reached     target_reached      yes ("Target reached")
set_complete            –                   – (a rest or the next set follows at once)
exercise_change         –                   yes (the exercise's name)
session_complete        session_complete    –
======================  ==================  ============================================

When a cue has both a sound and words, the words follow the end of the sound so the
two never overlap. A voice-only cue may be started ``speech_lead_s`` early
(:meth:`CuePlayer.lead_time_s` says how early) if an engine's speech is heard later
after it is requested than a beep is; for speechd it is not (the lead is 0).

With "quiet rest" on, ticks (``lead_in_tick``, ``last_seconds_tick``) are not played
between ``rest_start`` and the next ``rest_end``/``go``/``hold_start``/
``exercise_change``/``session_complete``.

During a session (from ``warm_up()`` to ``end_session()`` or ``session_complete``) the
facade keeps the sound output warm: after 4 s without a sound it plays a faint primer
(34 dB below the cues), because Qt's output otherwise starts ~1 ms late per silent
second (60 ms after a one-minute quiet rest).

Unknown kinds are ignored (no sound, no words), so a newer engine never crashes an
older audio layer.

Nothing here imports QtMultimedia: the modules that do (``qt_sound``, ``voice``) are
imported lazily by :func:`hipflex_desktop.audio.cues.create_audio_cues`, which falls
back to silent players when they cannot be loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

SOUND_NAMES: tuple[str, ...] = (
    "lead_in_tick",
    "go",
    "halfway",
    "last_seconds_tick",
    "rest",
    "switch_sides",
    "hold_stop",
    "target_reached",
    "session_complete",
)

CUE_SOUNDS: dict[str, str | None] = {
    "lead_in_tick": "lead_in_tick",
    "go": "go",
    "halfway": "halfway",
    "last_seconds_tick": "last_seconds_tick",
    "ten_seconds_left": None,
    "rest_start": "rest",
    "rest_end": "go",
    "switch_sides": "switch_sides",
    "hold_start": "go",
    "hold_stop": "hold_stop",
    "hold_target_reached": "target_reached",
    "set_complete": None,
    "exercise_change": None,
    "session_complete": "session_complete",
}

SPOKEN_KINDS: frozenset[str] = frozenset(
    {
        "halfway",
        "ten_seconds_left",
        "rest_start",
        "switch_sides",
        "hold_target_reached",
        "exercise_change",
    }
)

TICK_KINDS: frozenset[str] = frozenset({"lead_in_tick", "last_seconds_tick"})
# Cues that end a rest (for "quiet rest"): the next effort has begun.
REST_ENDING_KINDS: frozenset[str] = frozenset(
    {"rest_end", "go", "hold_start", "exercise_change", "session_complete"}
)

VOICE_INSTALL_HINT = (
    "On Debian or Ubuntu install speech-dispatcher and speech-dispatcher-espeak-ng."
)

# How much later than a beep requested at the same moment speech is heard. Measured with
# speechd + espeak-ng on PulseAudio: -13..+2 ms, i.e. no lead is needed (both are heard
# ~40-50 ms after the request); docs/audio-notes.md. Kept as a knob for other engines.
SPEECH_LEAD_S = 0.0


def sound_for(kind: str) -> str | None:
    """The sound file name (without ``.wav``) a cue kind plays, or None."""
    return CUE_SOUNDS.get(kind)


def is_spoken(kind: str) -> bool:
    """Whether the cue's text is spoken (when voice is on and available)."""
    return kind in SPOKEN_KINDS


def is_voice_only(kind: str) -> bool:
    return is_spoken(kind) and sound_for(kind) is None


class Health(Enum):
    OK = "ok"
    DEGRADED = "degraded"


@dataclass(frozen=True)
class AudioStatus:
    """What the audio layer can do right now, with a plain-words reason when not all."""

    health: Health
    message: str
    beeps_available: bool
    voice_available: bool

    @property
    def ok(self) -> bool:
        return self.health is Health.OK


FailureHandler = Callable[[str], None]


class SoundPlayer(Protocol):
    """Plays named, preloaded sounds. Every method returns at once and never raises."""

    def play(self, sound: str) -> None: ...

    def prime(self) -> None:
        """Play something barely audible so the next real sound starts on time."""

    def is_loaded(self) -> bool:
        """Every sound is decoded and can start at once."""

    def set_volume(self, volume: float) -> None:
        """Volume as the user sees it, 0.0-1.0 on a perceptual (logarithmic) scale."""

    def duration_s(self, sound: str) -> float: ...

    def set_failure_handler(self, handler: FailureHandler) -> None:
        """Called once, with a plain-words reason, when the player can no longer play."""

    def close(self) -> None: ...


class VoiceState(Enum):
    STARTING = "starting"  # the engine is being created in the speech helper process
    READY = "ready"
    UNAVAILABLE = "unavailable"


class Voice(Protocol):
    """Text to speech. ``say`` is fire-and-forget and dropped unless the voice is READY."""

    @property
    def state(self) -> VoiceState: ...

    @property
    def unavailable_reason(self) -> str: ...

    def voice_names(self) -> list[str]: ...

    def say(self, text: str) -> None: ...

    def stop(self) -> None: ...

    def configure(self, voice_name: str, rate: float, volume: float) -> None:
        """Voice ('' = the engine's default English voice), rate -1..1, volume 0..1."""

    def set_handlers(self, on_ready: Callable[[], None], on_failure: FailureHandler) -> None: ...

    def close(self) -> None: ...


class CuePlayer(Protocol):
    """What the session runner calls. Implementations never block and never raise."""

    speech_lead_s: float

    def cue(self, kind: str, text: str = "") -> None:
        """Sound and/or speak the cue of this kind now."""

    def lead_time_s(self, kind: str) -> float:
        """How much earlier than its deadline to call :meth:`cue` for this kind."""

    def warm_up(self) -> None:
        """Session start: play an audible "get ready" sound at least 1 s before the first
        timed cue, and keep the sound output warm until ``end_session``."""

    def end_session(self) -> None:
        """Stop keeping the output warm (also implied by a ``session_complete`` cue)."""

    def announce_personal_best(self, text: str) -> None: ...

    def set_muted(self, muted: bool) -> None: ...

    def is_muted(self) -> bool: ...
