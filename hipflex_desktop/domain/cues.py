"""What the session engine tells the outside world: phases, cues and logged work.

These are plain immutable values so the runner screen, the audio layer and the
JSON cue log can all consume the same stream without knowing how the engine
decides anything. Every time here is absolute monotonic seconds from the
engine's clock, except where a field says "wall".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hipflex_desktop.domain.history import Entry, EntryKind, Session


class Phase(StrEnum):
    """What the person is doing right now, as the runner screen shows it."""

    READY = "ready"  # built, not started
    LEAD_IN = "lead_in"  # counting down to a timed work phase
    REPS = "reps"  # a user-paced rep set
    WORK = "work"  # a timed work countdown (interval round, one side)
    HOLD = "hold"  # a single hold counting up, or an accumulated hold
    REST = "rest"  # rest between sets, or between interval rounds
    SWITCH = "switch"  # changing sides
    LOG = "log"  # waiting for the person to log a rep set
    PAUSED = "paused"
    DONE = "done"


class CueKind(StrEnum):
    """Kinds of cue. The values are stable: they are written to the JSON cue log."""

    LEAD_IN_TICK = "lead_in_tick"
    GO = "go"
    HALFWAY = "halfway"
    LAST_SECONDS_TICK = "last_seconds_tick"
    TEN_SECONDS_LEFT = "ten_seconds_left"
    REST_START = "rest_start"
    REST_END = "rest_end"
    SWITCH_SIDES = "switch_sides"
    HOLD_START = "hold_start"
    HOLD_STOP = "hold_stop"
    HOLD_TARGET_REACHED = "hold_target_reached"
    SET_COMPLETE = "set_complete"
    EXERCISE_CHANGE = "exercise_change"
    SESSION_COMPLETE = "session_complete"
    TEMPO = "tempo"  # "lower" after the top pause of a rep (see SessionEngine.mark_rep)


@dataclass(frozen=True)
class Cue:
    """One moment the person should hear or see.

    ``scheduled`` is the exact deadline (monotonic seconds) the cue belongs to;
    the audio layer plays it then, however late the event loop delivered it.
    ``text`` is what to say; it is empty when another cue at the same instant
    already speaks for the moment (e.g. ``rest_end`` right before ``go``).
    ``value`` carries the number behind the cue: tick number, rest seconds,
    seconds held.
    """

    kind: CueKind
    scheduled: float
    step_index: int
    exercise_id: str
    text: str
    value: float | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind.value,
            "scheduled": self.scheduled,
            "step": self.step_index,
            "exercise_id": self.exercise_id,
            "text": self.text,
        }
        if self.value is not None:
            data["value"] = self.value
        return data


@dataclass(frozen=True)
class PhaseChanged:
    """The phase or the step changed at ``at`` (monotonic s)."""

    phase: Phase
    previous: Phase
    step_index: int
    at: float
    suspended: bool = False  # True when the engine paused itself after a suspend


@dataclass(frozen=True)
class EntryLogged:
    """Work was recorded. Redoing a step (after ``back``) re-logs it with the same
    entry id and ``replaces_previous=True``, so stores should upsert by id."""

    entry: Entry
    step_index: int
    replaces_previous: bool = False


@dataclass(frozen=True)
class BriefHoldRecorded:
    """One brief hold of an accumulated hold ended; the running total is given."""

    step_index: int
    seconds: float
    total_s: float
    remaining_s: float
    at: float


@dataclass(frozen=True)
class SessionSummary:
    """What the finish screen shows and what the store saves as the session."""

    session_id: str
    workout_id: str | None
    workout_name: str
    started_at: float  # wall
    ended_at: float  # wall
    duration_s: float  # start to finish, pauses included
    active_s: float  # pauses excluded
    paused_s: float
    sets: int  # distinct sets with at least one entry
    total_reps: int
    longest_hold_s: float | None  # longest single hold, brief holds counted singly
    entries: tuple[Entry, ...]
    completed: bool  # False when ended early
    steps_done: int
    step_count: int

    def to_session(self, notes: str = "") -> Session:
        return Session(
            id=self.session_id,
            workout_id=self.workout_id,
            workout_name=self.workout_name,
            started_at=self.started_at,
            ended_at=self.ended_at,
            notes=notes,
        )

    def entries_of(self, kind: EntryKind) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind is kind)


@dataclass(frozen=True)
class SessionFinished:
    summary: SessionSummary


EngineEvent = PhaseChanged | Cue | EntryLogged | BriefHoldRecorded | SessionFinished
