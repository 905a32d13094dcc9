"""Small catalogs, workouts and plans built in code, so engine tests never read data files."""

from __future__ import annotations

from typing import Any

from hipflex_desktop.domain.catalog import Catalog, Movement, Muscles
from hipflex_desktop.domain.cues import Cue, EngineEvent, EntryLogged
from hipflex_desktop.domain.engine import EngineConfig, FakeClock, SessionEngine
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.domain.steps import Plan, PlanBlock, plan_from_blocks
from hipflex_desktop.domain.workouts import Block, Workout

T0 = 1000.0


def movement(movement_id: str, kind: Kind, name: str | None = None, key_cue: str = "") -> Movement:
    return Movement(
        id=movement_id,
        name=name or movement_id.replace("-", " ").title(),
        kind=kind,
        category="strength",
        summary="",
        muscles=Muscles(primary=("hip flexors",)),
        equipment=(),
        steps=(),
        cues=(),
        mistakes=(),
        progressions=(),
        regressions=(),
        prescription=Prescription(),
        source_note="",
        icon="",
        key_cue=key_cue,
    )


def small_catalog() -> Catalog:
    return Catalog(
        [
            movement("leg-raise", Kind.REPS, "Leg Raise", "Lower slowly"),
            movement("l-sit", Kind.HOLD, "L-Sit", "Press the floor away"),
            movement("climber", Kind.INTERVAL, "Climber", "Drive the knees"),
            movement("lunge-stretch", Kind.PER_SIDE, "Lunge Stretch", "Squeeze the glute"),
        ]
    )


def block(movement_id: str, **prescription: Any) -> Block:
    return Block(movement_id=movement_id, prescription=Prescription(**prescription))


def workout(*blocks: Block, name: str = "Test workout") -> Workout:
    return Workout(id="test-workout", name=name, blocks=tuple(blocks))


def plan_block(kind: Kind, name: str = "Move", **prescription: Any) -> PlanBlock:
    exercise_id = name.lower().replace(" ", "-")
    return PlanBlock(exercise_id, name, kind, Prescription(**prescription), key_cue=f"{name} cue")


def plan(*blocks: PlanBlock, lead_in_s: float | None = None) -> Plan:
    return plan_from_blocks("Test plan", blocks, lead_in_s=lead_in_s)


def intervals(work: int = 30, rest: int = 30, rounds: int = 3, **extra: Any) -> PlanBlock:
    return plan_block(
        Kind.INTERVAL, "Climber", work_seconds=work, interval_rest_seconds=rest, rounds=rounds,
        **extra,
    )


def sides(seconds: int = 30, transition: int = 0, **extra: Any) -> PlanBlock:
    return plan_block(
        Kind.PER_SIDE, "Lunge", side_seconds=seconds, transition_seconds=transition, **extra
    )


def hold(seconds: int = 30, **extra: Any) -> PlanBlock:
    return plan_block(Kind.HOLD, "L-Sit", hold_seconds=seconds, **extra)


def accumulated(total: int = 30, **extra: Any) -> PlanBlock:
    return plan_block(Kind.HOLD, "L-Sit Total", hold_seconds=total, accumulate=True, **extra)


def reps(low: int = 8, high: int = 10, **extra: Any) -> PlanBlock:
    return plan_block(Kind.REPS, "Leg Raise", reps_min=low, reps_max=high, **extra)


def engine_for(
    the_plan: Plan, lead_in_s: float = 5.0, start: float = T0
) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock(start)
    return SessionEngine(the_plan, clock, EngineConfig(lead_in_s=lead_in_s)), clock


def run_deadlines(engine: SessionEngine, clock: FakeClock | None = None) -> list[EngineEvent]:
    """Wake exactly at every deadline until the engine waits on the person (or is done)."""
    events: list[EngineEvent] = []
    while (deadline := engine.next_deadline()) is not None:
        if clock is not None:
            clock.set(deadline)
        events += engine.advance(deadline)
    return events


def cues(events: list[EngineEvent]) -> list[Cue]:
    return [e for e in events if isinstance(e, Cue)]


def schedule(
    events: list[EngineEvent], origin: float = T0
) -> list[tuple[float, str, float | None]]:
    """``(seconds after origin, cue kind, value)`` for every cue: easy to compare exactly."""
    return [(c.scheduled - origin, c.kind.value, c.value) for c in cues(events)]


def logged(events: list[EngineEvent]) -> list[EntryLogged]:
    return [e for e in events if isinstance(e, EntryLogged)]
