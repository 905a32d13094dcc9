"""Properties of the session engine over random plans and random intent sequences."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipflex_desktop.domain.cues import Cue, EngineEvent, EntryLogged, SessionFinished
from hipflex_desktop.domain.engine import ADJUST_STEP_S, SessionEngine
from hipflex_desktop.domain.history import EntryKind
from hipflex_desktop.domain.steps import Plan, PlanBlock, StepKind
from tests.domain.factories import (
    T0,
    accumulated,
    cues,
    engine_for,
    hold,
    intervals,
    plan,
    reps,
    run_deadlines,
    sides,
)

# Times are multiples of 1/4 s so every sum is exact in binary floating point.
gaps = st.integers(min_value=0, max_value=80).map(lambda quarters: quarters / 4)
lead_ins = st.sampled_from([0.0, 1.0, 3.0, 5.0])
set_rests = st.sampled_from([0, 0, 10, 30])

interval_blocks = st.builds(
    intervals,
    work=st.integers(1, 40),
    rest=st.integers(0, 20),
    rounds=st.integers(1, 4),
    sets=st.integers(1, 2),
    rest_seconds=set_rests,
)
side_blocks = st.builds(
    sides,
    seconds=st.integers(1, 40),
    transition=st.integers(0, 5),
    sets=st.integers(1, 2),
    rest_seconds=set_rests,
)
hold_blocks = st.builds(hold, seconds=st.integers(1, 40), sets=st.integers(1, 2),
                        rest_seconds=set_rests)
accumulated_blocks = st.builds(accumulated, total=st.integers(1, 40), rest_seconds=set_rests)
rep_blocks = st.integers(1, 12).flatmap(
    lambda low: st.builds(
        reps, low=st.just(low), high=st.integers(low, 15), sets=st.integers(1, 3),
        rest_seconds=set_rests, top_hold_seconds=st.sampled_from([None, 1, 2]),
    )
)
timed_blocks = st.one_of(interval_blocks, side_blocks)
any_blocks = st.one_of(interval_blocks, side_blocks, hold_blocks, accumulated_blocks, rep_blocks)


def plans(blocks: st.SearchStrategy[PlanBlock]) -> st.SearchStrategy[Plan]:
    return st.lists(blocks, min_size=1, max_size=3).map(lambda bs: plan(*bs))


INTENTS: dict[str, Callable[[SessionEngine, float], list[EngineEvent]]] = {
    "advance": lambda e, t: e.advance(t),
    "toggle_pause": lambda e, t: e.toggle_pause(t),
    "skip": lambda e, t: e.skip(t),
    "back": lambda e, t: e.back(t),
    "longer": lambda e, t: e.adjust(+ADJUST_STEP_S, t),
    "shorter": lambda e, t: e.adjust(-ADJUST_STEP_S, t),
    "complete_set": lambda e, t: e.complete_set(t),
    "accept_log": lambda e, t: e.accept_log(8, 20.0, "kg", rpe=8, now=t),
    "toggle_hold": lambda e, t: e.toggle_hold(t),
    "mark_rep": lambda e, t: e.mark_rep(t),
    "observe": lambda e, t: e.observe(t, t + 1e6),
    "suspend": lambda e, t: e.observe(t, t + 1e6 + 3600),
}
scripts = st.lists(st.tuples(gaps, st.sampled_from(sorted(INTENTS))), max_size=40)


def run_script(
    engine: SessionEngine,
    script: list[tuple[float, str]],
    check: Callable[[float, list[EngineEvent]], None],
) -> float:
    """Start at T0 and apply each intent after its gap; ``check`` sees every call's events."""
    t = T0
    check(t, engine.start(t))
    for gap, name in script:
        t += gap
        check(t, INTENTS[name](engine, t))
    return t


@settings(deadline=None)
@given(the_plan=plans(any_blocks), lead_in=lead_ins, script=scripts)
def test_cues_come_in_order_and_never_early(
    the_plan: Plan, lead_in: float, script: list[tuple[float, str]]
) -> None:
    engine, _ = engine_for(the_plan, lead_in_s=lead_in)
    delivered: list[Cue] = []

    def check(now: float, events: list[EngineEvent]) -> None:
        for cue in cues(events):
            assert cue.scheduled <= now + 1e-9, "a cue was delivered before its time"
            delivered.append(cue)

    t = run_script(engine, script, check)
    check(t + 1, engine.end(t + 1))
    scheduled = [c.scheduled for c in delivered]
    assert scheduled == sorted(scheduled)
    assert delivered[-1].text in ("Session complete", "Session ended")
    assert engine.finished


@settings(deadline=None)
@given(the_plan=plans(any_blocks), lead_in=lead_ins, script=scripts, extra=gaps)
def test_advance_is_idempotent_for_the_same_time(
    the_plan: Plan, lead_in: float, script: list[tuple[float, str]], extra: float
) -> None:
    engine, _ = engine_for(the_plan, lead_in_s=lead_in)
    t = run_script(engine, script, lambda _t, _e: None) + extra
    engine.advance(t)
    snap = engine.snapshot(t)
    deadline = engine.next_deadline()
    assert engine.advance(t) == []
    assert engine.snapshot(t) == snap
    assert engine.next_deadline() == deadline


@settings(deadline=None)
@given(the_plan=plans(any_blocks), lead_in=lead_ins, script=scripts, horizon=gaps)
def test_upcoming_cues_are_what_advance_then_delivers(
    the_plan: Plan, lead_in: float, script: list[tuple[float, str]], horizon: float
) -> None:
    engine, _ = engine_for(the_plan, lead_in_s=lead_in)
    t = run_script(engine, script, lambda _t, _e: None)
    ahead = engine.upcoming_cues(horizon, t)
    assert cues(engine.advance(t + horizon)) == ahead


@settings(deadline=None)
@given(
    the_plan=plans(any_blocks),
    lead_in=lead_ins,
    moves=st.lists(st.tuples(gaps, st.booleans()), max_size=12),
)
def test_back_then_skip_returns_to_the_same_step(
    the_plan: Plan, lead_in: float, moves: list[tuple[float, bool]]
) -> None:
    engine, _ = engine_for(the_plan, lead_in_s=lead_in)
    t = T0
    engine.start(t)
    for gap, skip in moves:
        t += gap
        engine.advance(t)
        if skip and engine.step_index < len(the_plan.steps) - 1:
            engine.skip(t)
    if engine.finished or engine.step_index == 0:
        return
    here = engine.step_index
    engine.back(t)
    assert engine.step_index == here - 1
    engine.skip(t)
    assert engine.step_index == here
    assert not engine.finished


timed_scripts = st.lists(
    st.tuples(gaps, st.sampled_from(["toggle_pause", "longer", "shorter", "advance"])),
    max_size=20,
)


@settings(deadline=None)
@given(the_plan=plans(timed_blocks), lead_in=lead_ins, script=timed_scripts)
def test_a_timed_plan_lasts_its_duration_plus_pauses_and_adjustments(
    the_plan: Plan, lead_in: float, script: list[tuple[float, str]]
) -> None:
    engine, _ = engine_for(the_plan, lead_in_s=lead_in)
    planned = the_plan.timed_duration_s(lead_in)
    assert planned is not None
    t = T0
    events = engine.start(t)
    paused_since: float | None = None
    paused = 0.0
    adjusted = 0.0
    for gap, name in script:
        t += gap
        events += engine.advance(t)
        if engine.finished:
            break
        if name == "toggle_pause":
            events += engine.toggle_pause(t)
            if paused_since is None:
                paused_since = t
            else:
                paused += t - paused_since
                paused_since = None
        elif name in ("longer", "shorter"):
            remaining = engine.snapshot(t).remaining_s
            assert remaining is not None  # every phase of a timed plan is a countdown
            delta = ADJUST_STEP_S if name == "longer" else -ADJUST_STEP_S
            adjusted += max(delta, -remaining)
            events += engine.adjust(delta, t)
    if paused_since is not None:
        events += engine.toggle_pause(t)
        paused += t - paused_since
    events += run_deadlines(engine)
    finished = [e for e in events if isinstance(e, SessionFinished)]
    assert len(finished) == 1
    summary = finished[0].summary
    assert summary.completed
    assert summary.duration_s == pytest.approx(planned + paused + adjusted, abs=1e-6)
    assert summary.paused_s == pytest.approx(paused, abs=1e-6)


@settings(deadline=None)
@given(
    the_plan=plans(timed_blocks),
    lead_in=lead_ins,
    pauses=st.lists(st.tuples(gaps, gaps), max_size=10),
)
def test_pausing_never_loses_work_time(
    the_plan: Plan, lead_in: float, pauses: list[tuple[float, float]]
) -> None:
    engine, _ = engine_for(the_plan, lead_in_s=lead_in)
    t = T0
    events = engine.start(t)
    for before, length in pauses:
        t += before
        events += engine.toggle_pause(t)
        t += length
        events += engine.toggle_pause(t)
    events += run_deadlines(engine)
    assert engine.finished
    work = [
        step.seconds for step in the_plan.steps
        if step.kind in (StepKind.INTERVAL_WORK, StepKind.SIDE)
    ]
    entries = [e.entry for e in events if isinstance(e, EntryLogged)]
    recorded = [
        e.work_s if e.kind is EntryKind.INTERVAL_ROUND else e.duration_s for e in entries
    ]
    assert recorded == pytest.approx(work, abs=1e-6)
