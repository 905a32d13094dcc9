"""The session engine on a fake clock: every step kind, every intent, suspend and the summary."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from hipflex_desktop.domain.cues import (
    BriefHoldRecorded,
    Cue,
    CueKind,
    Phase,
    PhaseChanged,
    SessionFinished,
)
from hipflex_desktop.domain.engine import SUSPEND_MESSAGE, EngineConfig, FakeClock, SessionEngine
from hipflex_desktop.domain.history import EntryKind, Side
from hipflex_desktop.domain.prescription import Kind
from hipflex_desktop.domain.steps import (
    QUICK_TIMER_ID,
    PlanError,
    StepKind,
    build_plan,
    quick_accumulated_hold_plan,
    quick_hold_plan,
    quick_interval_plan,
    quick_sides_plan,
)
from tests.domain.factories import (
    T0,
    accumulated,
    block,
    cues,
    engine_for,
    hold,
    intervals,
    logged,
    plan,
    plan_block,
    reps,
    run_deadlines,
    schedule,
    sides,
    small_catalog,
    workout,
)

WALL0 = 1_800_000_000.0  # FakeClock's wall at T0


def phases(events: Sequence[object]) -> list[Phase]:
    return [e.phase for e in events if isinstance(e, PhaseChanged)]


# --- plans ---------------------------------------------------------------------------------


def test_workout_becomes_flat_steps_with_catalog_names_and_no_trailing_rest() -> None:
    w = workout(
        block("leg-raise", sets=2, reps_min=8, reps_max=10, rest_seconds=90),
        block("l-sit", sets=1, hold_seconds=20, rest_seconds=60),
        block("climber", rounds=2, work_seconds=30, interval_rest_seconds=15, rest_seconds=60),
        block("lunge-stretch", sets=1, side_seconds=30, transition_seconds=5, rest_seconds=30),
    )
    p = build_plan(w, small_catalog())
    assert [s.kind for s in p.steps] == [
        StepKind.REP_SET, StepKind.LOG, StepKind.REST,
        StepKind.REP_SET, StepKind.LOG, StepKind.REST,
        StepKind.HOLD, StepKind.REST,
        StepKind.INTERVAL_WORK, StepKind.INTERVAL_REST, StepKind.INTERVAL_WORK, StepKind.REST,
        StepKind.SIDE, StepKind.SWITCH, StepKind.SIDE,
    ]
    assert [s.index for s in p.steps] == list(range(len(p.steps)))
    assert p.steps[0].exercise_name == "Leg Raise"
    assert p.steps[0].key_cue == "Lower slowly"
    assert p.steps[3].set_label == "Set 2 of 2"
    assert p.steps[10].round_label == "Round 2 of 2"
    assert p.steps[10].entry_set_index == 1
    assert (p.steps[12].side, p.steps[14].side) == (Side.LEFT, Side.RIGHT)
    assert p.workout_id == "test-workout"
    assert not p.fully_timed
    assert p.timed_duration_s(5.0) is None


def test_engine_for_a_workout_uses_the_catalog() -> None:
    w = workout(block("climber", rounds=1, work_seconds=10, interval_rest_seconds=5))
    engine = SessionEngine.for_workout(w, small_catalog(), FakeClock(T0))
    assert engine.plan.title == "Test workout"
    events = engine.start(T0)
    assert cues(events)[0].text == "Climber"
    assert engine.snapshot(T0).key_cue == "Drive the knees"


def test_plan_rejects_invalid_blocks_with_every_problem() -> None:
    with pytest.raises(PlanError) as caught:
        plan(intervals(work=0), reps(low=10, high=8))
    fields = {(i, e.field) for i, e in caught.value.problems}
    assert fields == {(0, "work_seconds"), (1, "reps_max")}
    with pytest.raises(PlanError):
        plan()


def test_timed_duration_counts_lead_ins_only_where_they_happen() -> None:
    p = plan(intervals(30, 30, 3, rest_seconds=60), sides(30, transition=5))
    # lead-in 5 + 3*30 + 2*30 + rest 60 + (no lead-in after a rest) 30 + 5 + 30
    assert p.timed_duration_s(5.0) == 5 + 150 + 60 + 65
    back_to_back = plan(intervals(30, 30, 1), sides(20))
    assert back_to_back.timed_duration_s(5.0) == 5 + 30 + 5 + 40  # new exercise, no rest: lead-in


def test_quick_timer_plans() -> None:
    single = quick_hold_plan(30, sets=3, rest_seconds=60)
    assert [s.kind for s in single.steps] == [StepKind.HOLD, StepKind.REST] * 2 + [StepKind.HOLD]
    assert single.workout_id is None
    assert single.steps[0].exercise_id == QUICK_TIMER_ID
    total = quick_accumulated_hold_plan(60, 5, 15)
    assert [s.kind for s in total.steps] == [StepKind.ACCUMULATED_HOLD]
    assert total.steps[0].seconds == 60
    rounds = quick_interval_plan(20, 10, 4, lead_in_s=3)
    assert rounds.lead_in_s == 3
    assert rounds.timed_duration_s(5.0) == 3 + 4 * 20 + 3 * 10
    assert quick_interval_plan(20, 0, 3).timed_duration_s(0.0) == 60  # back to back allowed
    both = quick_sides_plan(45, transition_seconds=5)
    assert [s.kind for s in both.steps] == [StepKind.SIDE, StepKind.SWITCH, StepKind.SIDE]
    with pytest.raises(PlanError):
        quick_hold_plan(0)


def test_engine_refuses_an_empty_plan() -> None:
    from hipflex_desktop.domain.steps import Plan

    with pytest.raises(ValueError, match="no steps"):
        SessionEngine(Plan("x", None, (), ()), FakeClock())


# --- timed schedules -----------------------------------------------------------------------


def test_interval_cue_schedule_for_three_rounds_of_thirty_seconds_is_exact() -> None:
    engine, _ = engine_for(plan(intervals(30, 30, 3)))
    events = engine.start(T0) + run_deadlines(engine)
    work: list[tuple[float, str, float | None]] = [
        (20.0, "halfway", None), (25.0, "ten_seconds_left", 10.0),
        (32.0, "last_seconds_tick", 3.0), (33.0, "last_seconds_tick", 2.0),
        (34.0, "last_seconds_tick", 1.0),
    ]
    rest: list[tuple[float, str, float | None]] = [
        (20.0, "ten_seconds_left", 10.0), (27.0, "last_seconds_tick", 3.0),
        (28.0, "last_seconds_tick", 2.0), (29.0, "last_seconds_tick", 1.0),
    ]

    def at(
        offset: float, items: list[tuple[float, str, float | None]]
    ) -> list[tuple[float, str, float | None]]:
        return [(offset + t, k, v) for t, k, v in items]

    expected = [
        (0.0, "exercise_change", None),
        (0.0, "lead_in_tick", 5.0), (1.0, "lead_in_tick", 4.0), (2.0, "lead_in_tick", 3.0),
        (3.0, "lead_in_tick", 2.0), (4.0, "lead_in_tick", 1.0),
        (5.0, "go", None), *at(0.0, work),
        (35.0, "rest_start", 30.0), *at(35.0, rest), (65.0, "rest_end", None),
        (65.0, "go", None), *at(60.0, work),
        (95.0, "rest_start", 30.0), *at(95.0, rest), (125.0, "rest_end", None),
        (125.0, "go", None), *at(120.0, work),
        (155.0, "session_complete", None),
    ]
    assert schedule(events) == expected
    rounds = logged(events)
    assert [(e.entry.kind, e.entry.set_index, e.entry.work_s, e.entry.planned_s)
            for e in rounds] == [(EntryKind.INTERVAL_ROUND, i, 30.0, 30.0) for i in range(3)]
    assert rounds[0].entry.started_at == WALL0 + 5
    assert rounds[0].entry.ended_at == WALL0 + 35
    # The rest ends on "go", so rest_end carries no speech of its own.
    assert [c.text for c in cues(events) if c.kind is CueKind.REST_END] == ["", ""]
    assert isinstance(events[-1], SessionFinished)
    assert events[-1].summary.duration_s == 155.0


def test_lead_in_ticks_each_second_then_go_and_can_be_configured() -> None:
    engine, _ = engine_for(plan(intervals(10, 10, 1)), lead_in_s=3)
    events = engine.start(T0)
    assert engine.snapshot(T0).phase is Phase.LEAD_IN
    assert engine.snapshot(T0 + 1).remaining_s == 2.0
    events += run_deadlines(engine)
    assert schedule(events)[:6] == [
        (0.0, "exercise_change", None),
        (0.0, "lead_in_tick", 3.0), (1.0, "lead_in_tick", 2.0), (2.0, "lead_in_tick", 1.0),
        (3.0, "go", None), (8.0, "halfway", None),
    ]
    assert [c.text for c in cues(events)][:5] == ["Climber", "3", "2", "1", "Go"]
    no_lead_in, _ = engine_for(plan(intervals(10, 10, 1)), lead_in_s=0)
    assert schedule(no_lead_in.start(T0))[:2] == [(0.0, "exercise_change", None),
                                                   (0.0, "go", None)]
    override, _ = engine_for(plan(intervals(10, 10, 1), lead_in_s=2), lead_in_s=5)
    assert override.lead_in_s == 2


def test_per_side_switch_cue_and_transition_countdown() -> None:
    engine, _ = engine_for(plan(sides(30, transition=5)))
    events = engine.start(T0) + run_deadlines(engine)
    got = schedule(events)
    assert (35.0, "switch_sides", None) in got
    assert [t for t, k, _ in got if k == "go"] == [5.0, 40.0]
    assert [t for t, k, _ in got if k == "last_seconds_tick"] == [
        32.0, 33.0, 34.0, 37.0, 38.0, 39.0, 67.0, 68.0, 69.0,
    ]
    entries = [e.entry for e in logged(events)]
    assert [(e.kind, e.side, e.duration_s, e.set_index) for e in entries] == [
        (EntryKind.PER_SIDE, Side.LEFT, 30.0, 0), (EntryKind.PER_SIDE, Side.RIGHT, 30.0, 0),
    ]
    assert got[-1] == (70.0, "session_complete", None)


def test_per_side_without_transition_switches_instead_of_go() -> None:
    engine, _ = engine_for(plan(sides(20, transition=0, sets=2, rest_seconds=10)))
    events = engine.start(T0) + run_deadlines(engine)
    got = schedule(events)
    assert [(t, k) for t, k, _ in got if k in ("go", "switch_sides", "set_complete")] == [
        (5.0, "go"), (25.0, "switch_sides"), (45.0, "set_complete"),
        (55.0, "go"), (75.0, "switch_sides"),
    ]
    # a 20 s side: "10 seconds left" and "Halfway" would coincide, only the first is kept
    assert [t for t, k, _ in got if k in ("halfway", "ten_seconds_left")] == [15.0, 35.0, 65.0,
                                                                               85.0]


def test_rest_before_a_new_exercise_announces_it_and_rest_end_speaks_when_no_go_follows() -> None:
    engine, _ = engine_for(plan(intervals(10, 5, 1, rest_seconds=30), reps()))
    events = engine.start(T0) + run_deadlines(engine)
    change = [c for c in cues(events) if c.kind is CueKind.EXERCISE_CHANGE]
    assert [(c.scheduled - T0, c.text, c.exercise_id) for c in change] == [
        (0.0, "Climber", "climber"), (15.0, "Next: Leg Raise", "leg-raise"),
    ]
    rest_end = [c for c in cues(events) if c.kind is CueKind.REST_END]
    assert [(c.scheduled - T0, c.text) for c in rest_end] == [(45.0, "Rest over")]
    assert engine.snapshot(T0 + 45).phase is Phase.REPS
    assert engine.next_deadline() is None


# --- user-paced steps ----------------------------------------------------------------------


def test_rep_set_then_log_then_rest() -> None:
    engine, _ = engine_for(plan(reps(8, 10, sets=2, rest_seconds=90, top_hold_seconds=2)))
    events = engine.start(T0)
    assert phases(events) == [Phase.REPS]
    assert engine.next_deadline() is None
    snap = engine.snapshot(T0 + 1)
    assert (snap.reps_text, snap.set_label, snap.key_cue) == ("8–10 reps", "Set 1 of 2",
                                                              "Leg Raise cue")
    assert engine.mark_rep(T0 + 3) == []
    assert engine.next_deadline() == T0 + 5  # the tempo cue
    tempo = engine.advance(T0 + 5)
    assert schedule(tempo) == [(5.0, "tempo", 1.0)]
    assert cues(tempo)[0].text == "Lower"
    engine.mark_rep(T0 + 8)
    events = engine.complete_set(T0 + 20)
    assert [c.kind for c in cues(events)] == [CueKind.TEMPO, CueKind.SET_COMPLETE]
    assert phases(events) == [Phase.LOG]
    assert engine.snapshot(T0 + 21).suggested_reps == 2
    assert engine.next_deadline() is None
    events = engine.accept_log(9, 5.0, "kg", rpe=8, note="clean", now=T0 + 30)
    entry = logged(events)[0].entry
    assert (entry.kind, entry.reps, entry.load, entry.unit, entry.rpe, entry.note) == (
        EntryKind.REP_SET, 9, 5.0, "kg", 8, "clean",
    )
    assert (entry.started_at, entry.ended_at, entry.set_index) == (WALL0, WALL0 + 20, 0)
    assert entry.session_id == engine.session_id
    assert entry.exercise_id == "leg-raise"
    assert schedule(events, T0 + 30)[0] == (0.0, "rest_start", 90.0)
    assert cues(events)[0].text == "Rest, 90 seconds"
    events = run_deadlines(engine)
    assert [c.text for c in cues(events) if c.kind is CueKind.REST_END] == ["Rest over"]
    snap = engine.snapshot(T0 + 120)
    assert (snap.phase, snap.set_number, snap.reps_counted) == (Phase.REPS, 2, 0)
    assert snap.suggested_reps is None


def test_accept_log_checks_its_values_and_only_applies_to_a_log() -> None:
    engine, _ = engine_for(plan(reps()))
    engine.start(T0)
    assert engine.accept_log(8, now=T0 + 1) == []  # still in the rep set
    for bad in (
        {"reps": -1}, {"reps": 2.5}, {"reps": True}, {"reps": 8, "load": -1.0},
        {"reps": 8, "unit": "stone"}, {"reps": 8, "rpe": 11},
    ):
        with pytest.raises(ValueError, match=r"reps|load|unit|RPE"):
            engine.accept_log(**bad)


def test_single_hold_counts_up_past_its_target_until_stopped() -> None:
    engine, _ = engine_for(plan(hold(30, sets=2, rest_seconds=60)))
    events = engine.start(T0) + run_deadlines(engine)
    assert schedule(events)[6:] == [
        (5.0, "hold_start", None), (20.0, "halfway", None), (25.0, "ten_seconds_left", 10.0),
        (32.0, "last_seconds_tick", 3.0), (33.0, "last_seconds_tick", 2.0),
        (34.0, "last_seconds_tick", 1.0), (35.0, "hold_target_reached", None),
    ]
    assert cues(events)[6].text == "Go"
    assert engine.next_deadline() is None  # counting up, waiting for the stop
    snap = engine.snapshot(T0 + 45)
    assert (snap.phase, snap.elapsed_s, snap.remaining_s, snap.past_target, snap.progress) == (
        Phase.HOLD, 40.0, 0.0, True, 1.0,
    )
    events = engine.toggle_hold(T0 + 45)
    assert schedule(events, T0 + 45)[:3] == [
        (0.0, "hold_stop", 40.0), (0.0, "set_complete", None), (0.0, "rest_start", 60.0),
    ]
    entry = logged(events)[0].entry
    assert (entry.kind, entry.duration_s, entry.holds_s) == (EntryKind.HOLD, 40.0, ())
    events = run_deadlines(engine)
    # the rest leads straight into the next hold: its 3-2-1 is the count-down
    assert [x for x in schedule(events, T0 + 45) if 57 <= x[0] <= 60] == [
        (57.0, "last_seconds_tick", 3.0), (58.0, "last_seconds_tick", 2.0),
        (59.0, "last_seconds_tick", 1.0), (60.0, "rest_end", None), (60.0, "hold_start", None),
    ]


def test_hold_toggle_during_lead_in_starts_the_hold_early() -> None:
    engine, _ = engine_for(plan(hold(10)))
    engine.start(T0)
    events = engine.toggle_hold(T0 + 2)
    assert phases(events) == [Phase.HOLD]
    assert schedule(events) == [
        (1.0, "lead_in_tick", 4.0), (2.0, "lead_in_tick", 3.0), (2.0, "hold_start", None),
    ]
    assert engine.next_deadline() == T0 + 2 + 5  # halfway of the 10 s target


def test_accumulated_hold_sums_brief_holds_and_records_each() -> None:
    engine, _ = engine_for(plan(accumulated(30)))
    events = engine.start(T0)
    assert phases(events) == [Phase.HOLD]
    assert engine.next_deadline() is None  # waits for the first hold
    events = engine.toggle_hold(T0 + 10)
    assert schedule(events) == [(10.0, "hold_start", None)]
    assert engine.snapshot(T0 + 15).accumulated_remaining_s == 25.0
    events = engine.toggle_hold(T0 + 22)
    assert schedule(events) == [(22.0, "hold_stop", 12.0)]
    assert cues(events)[0].text == "18 seconds to go"
    brief = [e for e in events if isinstance(e, BriefHoldRecorded)]
    assert [(b.seconds, b.total_s, b.remaining_s) for b in brief] == [(12.0, 12.0, 18.0)]
    assert engine.next_deadline() is None
    snap = engine.snapshot(T0 + 30)
    assert (snap.holding, snap.accumulated_s, snap.brief_holds, snap.elapsed_s) == (
        False, 12.0, (12.0,), 0.0,
    )
    engine.toggle_hold(T0 + 50)
    events = engine.advance(T0 + 70)
    assert schedule(events) == [
        (65.0, "last_seconds_tick", 3.0), (66.0, "last_seconds_tick", 2.0),
        (67.0, "last_seconds_tick", 1.0), (68.0, "hold_target_reached", None),
    ]
    assert cues(events)[-1].text == "Total reached"
    snap = engine.snapshot(T0 + 70)
    assert (snap.holding, snap.accumulated_s, snap.past_target, snap.progress) == (
        True, 32.0, True, 1.0,
    )
    events = engine.toggle_hold(T0 + 71)
    assert [c.text for c in cues(events)] == ["33 seconds in total", "Session complete"]
    entry = logged(events)[0].entry
    assert (entry.kind, entry.duration_s, entry.holds_s) == (EntryKind.HOLD, 33.0, (12.0, 21.0))
    assert (entry.started_at, entry.ended_at) == (WALL0 + 10, WALL0 + 71)
    summary = engine.summary
    assert summary is not None
    assert summary.longest_hold_s == 21.0
    assert summary.completed


def test_accumulated_hold_finished_early_logs_the_holds_so_far() -> None:
    engine, _ = engine_for(plan(accumulated(60), hold(10)))
    engine.start(T0)
    engine.toggle_hold(T0 + 1)
    events = engine.complete_set(T0 + 9)  # stops the running hold too
    entry = logged(events)[0].entry
    assert entry.holds_s == (8.0,)
    assert engine.snapshot(T0 + 9).phase is Phase.LEAD_IN


# --- adjust --------------------------------------------------------------------------------


def test_rest_adjust_by_fifteen_seconds_is_clamped_at_zero() -> None:
    engine, _ = engine_for(plan(reps(sets=2, rest_seconds=60)))
    engine.start(T0)
    engine.complete_set(T0 + 10)
    engine.accept_log(8, now=T0 + 20)
    assert engine.next_deadline() == T0 + 20 + 50  # "10 seconds left"
    engine.adjust(+15, T0 + 30)
    assert engine.snapshot(T0 + 30).remaining_s == 65.0
    assert engine.snapshot(T0 + 30).duration_s == 75.0
    engine.adjust(-15, T0 + 31)
    engine.adjust(-15, T0 + 32)
    engine.adjust(-15, T0 + 33)
    assert engine.snapshot(T0 + 33).remaining_s == 17.0
    events = engine.adjust(-15, T0 + 34) + engine.adjust(-15, T0 + 35)
    assert schedule(events, T0) == [(35.0, "rest_end", None)]
    assert engine.snapshot(T0 + 35).phase is Phase.REPS
    assert engine.adjust(+15, T0 + 36) == []  # user-paced: nothing to adjust


def test_adjust_on_timed_work_moves_its_cues_and_does_not_repeat_halfway() -> None:
    engine, _ = engine_for(plan(intervals(30, 30, 1)))
    engine.start(T0)
    engine.advance(T0 + 21)  # halfway (20) said
    engine.adjust(+15, T0 + 21)
    events = engine.advance(T0 + 60)
    assert schedule(events) == [
        (40.0, "ten_seconds_left", 10.0), (47.0, "last_seconds_tick", 3.0),
        (48.0, "last_seconds_tick", 2.0), (49.0, "last_seconds_tick", 1.0),
        (50.0, "session_complete", None),
    ]
    assert logged(events)[0].entry.work_s == 45.0


def test_adjust_moves_a_hold_target() -> None:
    engine, _ = engine_for(plan(hold(20)), lead_in_s=0)
    engine.start(T0)
    engine.adjust(+15, T0 + 1)
    assert next(c for c in engine.upcoming_cues(60, T0 + 1)
            if c.kind is CueKind.HOLD_TARGET_REACHED).scheduled == T0 + 35
    engine.adjust(-30, T0 + 2)
    assert engine.snapshot(T0 + 2).remaining_s == 3.0
    events = engine.adjust(-15, T0 + 3)  # below what is already held: reached now
    assert schedule(events) == [
        (3.0, "last_seconds_tick", 2.0),  # due at +3 on the old schedule, delivered first
        (3.0, "hold_target_reached", None),
    ]
    assert engine.snapshot(T0 + 3).past_target
    assert engine.adjust(-15, T0 + 4) == []  # reached already: not said twice
    engine.adjust(+15, T0 + 4)
    assert engine.snapshot(T0 + 4).remaining_s == 11.0
    assert not engine.snapshot(T0 + 4).past_target


# --- pause, skip, back, end ----------------------------------------------------------------


def test_pause_freezes_everything_and_paused_time_never_counts_as_work() -> None:
    engine, _ = engine_for(plan(intervals(30, 30, 1)))
    engine.start(T0)
    engine.advance(T0 + 15)
    events = engine.toggle_pause(T0 + 15)
    assert phases(events) == [Phase.PAUSED]
    assert engine.next_deadline() is None
    assert engine.advance(T0 + 115) == []
    snap = engine.snapshot(T0 + 115)
    assert (snap.phase, snap.active_phase, snap.paused, snap.remaining_s) == (
        Phase.PAUSED, Phase.WORK, True, 20.0,
    )
    assert engine.upcoming_cues(10, T0 + 115) == []
    events = engine.toggle_pause(T0 + 115)
    assert phases(events) == [Phase.WORK]
    assert engine.next_deadline() == T0 + 120  # halfway, moved by the 100 s pause
    events = run_deadlines(engine)
    assert logged(events)[0].entry.work_s == 30.0
    summary = engine.summary
    assert summary is not None
    assert (summary.duration_s, summary.paused_s, summary.active_s) == (135.0, 100.0, 35.0)


def test_pause_and_resume_helpers_are_idempotent() -> None:
    engine, _ = engine_for(plan(intervals(10, 10, 1)))
    assert engine.pause(T0) == []  # not started
    engine.start(T0)
    assert phases(engine.pause(T0 + 1)) == [Phase.PAUSED]
    assert engine.pause(T0 + 2) == []
    assert phases(engine.resume(T0 + 3)) == [Phase.LEAD_IN]
    engine.advance(T0 + 4)
    assert engine.resume(T0 + 4) == []


def test_skip_logs_work_done_and_moves_exactly_one_step() -> None:
    engine, _ = engine_for(plan(intervals(30, 20, 2)))
    engine.start(T0)
    events = engine.skip(T0 + 17)  # 12 s into round 1
    assert [(e.entry.work_s, e.entry.planned_s) for e in logged(events)] == [(12.0, 30.0)]
    snap = engine.snapshot(T0 + 17)
    assert (snap.step_kind, snap.phase, snap.remaining_s) == (StepKind.INTERVAL_REST,
                                                              Phase.REST, 20.0)
    events = engine.skip(T0 + 18)  # skipping a rest: the next round gets a lead-in
    assert (engine.snapshot(T0 + 18).phase, engine.step_index) == (Phase.LEAD_IN, 2)
    events = engine.skip(T0 + 19)  # skipping the last step ends the session
    assert isinstance(events[-1], SessionFinished)
    # "completed" means the plan ran to its end (not ended early); steps_done tells the rest
    assert engine.summary is not None
    assert engine.summary.completed
    assert engine.summary.steps_done == 0
    assert logged(events) == []  # nothing was done in the lead-in
    assert engine.skip(T0 + 20) == []
    assert engine.back(T0 + 20) == []


def test_skip_a_rep_set_goes_to_its_log_and_skipping_the_log_records_nothing() -> None:
    engine, _ = engine_for(plan(reps(sets=2, rest_seconds=30)))
    engine.start(T0)
    engine.skip(T0 + 5)
    assert engine.snapshot(T0 + 5).phase is Phase.LOG
    events = engine.skip(T0 + 6)
    assert logged(events) == []
    assert engine.snapshot(T0 + 6).phase is Phase.REST


def test_back_restarts_the_previous_step_and_redoing_replaces_its_entry() -> None:
    engine, _ = engine_for(plan(hold(20, sets=2, rest_seconds=30)))
    engine.start(T0)
    first = logged(engine.toggle_hold(T0 + 30))[0]  # held 25 s
    assert engine.snapshot(T0 + 31).phase is Phase.REST
    events = engine.back(T0 + 31)
    assert phases(events) == [Phase.LEAD_IN]
    assert engine.step_index == 0
    assert schedule(events, T0 + 31)[0] == (0.0, "lead_in_tick", 5.0)
    again = logged(engine.toggle_hold(T0 + 60))[0]  # held 24 s
    assert again.entry.id == first.entry.id
    assert again.replaces_previous
    assert again.entry.duration_s == 24.0
    assert len(engine.entries) == 1
    engine.back(T0 + 61)
    engine.back(T0 + 62)  # already on step 0: restarts it
    assert engine.step_index == 0
    assert engine.snapshot(T0 + 62).phase is Phase.LEAD_IN


def test_back_from_timed_work_logs_the_partial_work_first() -> None:
    engine, _ = engine_for(plan(intervals(30, 10, 2)))
    engine.start(T0)
    run_deadlines_until = T0 + 50  # round 2 started at 45
    engine.advance(run_deadlines_until)
    events = engine.back(T0 + 50)
    assert [e.entry.work_s for e in logged(events)] == [5.0]
    assert engine.snapshot(T0 + 50).step_kind is StepKind.INTERVAL_REST


def test_skip_and_back_resume_a_paused_session() -> None:
    engine, _ = engine_for(plan(intervals(30, 10, 2)))
    engine.start(T0)
    engine.toggle_pause(T0 + 10)  # 5 s of work done
    events = engine.skip(T0 + 40)
    assert [e.entry.work_s for e in logged(events)] == [5.0]
    assert not engine.paused
    assert engine.snapshot(T0 + 40).remaining_s == 10.0


def test_end_logs_partial_work_and_finishes() -> None:
    engine, _ = engine_for(plan(sides(30), reps()))
    engine.start(T0)
    events = engine.end(T0 + 12)
    assert [(e.entry.side, e.entry.duration_s) for e in logged(events)] == [(Side.LEFT, 7.0)]
    assert [c.text for c in cues(events) if c.kind is CueKind.SESSION_COMPLETE] == [
        "Session ended"
    ]
    assert phases(events) == [Phase.WORK, Phase.DONE]  # the lead-in ended at +5
    summary = engine.summary
    assert summary is not None
    assert not summary.completed
    assert summary.steps_done == 0
    assert summary.step_count == 4
    snap = engine.snapshot(T0 + 99)
    assert (snap.phase, snap.done, snap.session_progress, snap.session_elapsed_s) == (
        Phase.DONE, True, 1.0, 12.0,
    )
    assert engine.end(T0 + 13) == []
    assert engine.next_deadline() is None
    assert engine.toggle_pause(T0 + 13) == []
    assert engine.upcoming_cues(5, T0 + 13) == []


def test_end_in_an_accumulated_hold_logs_the_running_hold() -> None:
    engine, _ = engine_for(plan(accumulated(60)))
    engine.start(T0)
    engine.toggle_hold(T0 + 2)
    engine.toggle_hold(T0 + 10)
    engine.toggle_hold(T0 + 20)
    events = engine.end(T0 + 26)
    assert logged(events)[0].entry.holds_s == (8.0, 6.0)


def test_end_before_start_gives_an_empty_summary() -> None:
    engine, _ = engine_for(plan(reps()))
    events = engine.end(T0)
    summary = engine.summary
    assert summary is not None
    assert summary.entries == ()
    assert isinstance(events[-1],
                                                                        SessionFinished)


def test_intents_that_do_not_apply_do_nothing() -> None:
    engine, _ = engine_for(plan(intervals(10, 10, 1)))
    assert engine.skip(T0) == []
    assert engine.toggle_hold(T0) == []
    assert engine.adjust(15, T0) == []
    engine.start(T0)
    engine.advance(T0 + 1)
    assert engine.toggle_hold(T0 + 1) == []
    assert engine.mark_rep(T0 + 1) == []
    assert engine.complete_set(T0 + 1) == []
    assert engine.start(T0 + 1) == []


def test_summary_counts_sets_reps_and_longest_hold() -> None:
    engine, _ = engine_for(plan(reps(sets=2), hold(10), sides(5)), lead_in_s=0)
    engine.start(T0)
    engine.complete_set(T0 + 10)
    engine.accept_log(8, 10.0, "lb", now=T0 + 12)
    engine.complete_set(T0 + 30)
    engine.accept_log(7, 10.0, "lb", now=T0 + 32)
    engine.toggle_hold(T0 + 50)  # held 18 s (the hold follows a log: lead-in is 0 here)
    run_deadlines(engine)
    summary = engine.summary
    assert summary is not None
    assert (summary.sets, summary.total_reps, summary.longest_hold_s) == (4, 15, 18.0)
    assert len(summary.entries) == 5
    assert summary.completed
    assert summary.duration_s == 60.0
    assert summary.steps_done == summary.step_count == 7
    assert [e.kind for e in summary.entries] == [
        EntryKind.REP_SET, EntryKind.REP_SET, EntryKind.HOLD, EntryKind.PER_SIDE,
        EntryKind.PER_SIDE,
    ]
    session = summary.to_session("felt good")
    assert (session.id, session.notes, session.duration_s) == (engine.session_id, "felt good",
                                                               60.0)


# --- suspend -------------------------------------------------------------------------------


def _observe_ticks(engine: SessionEngine, clock: FakeClock, until: float) -> None:
    """What the repaint timer does: observe every 50 ms and wake at deadlines."""
    while clock.monotonic() < until:
        clock.advance(0.05)
        assert engine.observe(clock.monotonic(), clock.wall()) == []
        engine.advance(clock.monotonic())


def test_suspend_detected_from_the_wall_clock_pauses_at_the_last_observed_time() -> None:
    engine, clock = engine_for(plan(intervals(30, 30, 3)))
    engine.start(T0)
    _observe_ticks(engine, clock, T0 + 10)
    last = clock.monotonic()
    clock.suspend(3600)  # Linux: CLOCK_MONOTONIC stood still, the wall clock did not
    clock.advance(0.05)
    events = engine.observe(clock.monotonic(), clock.wall())
    assert events == [PhaseChanged(Phase.PAUSED, Phase.WORK, 0, last, suspended=True)]
    snap = engine.snapshot(clock.monotonic())
    assert (snap.paused, snap.suspended, snap.message) == (True, True, SUSPEND_MESSAGE)
    assert snap.remaining_s == pytest.approx(T0 + 35 - last)
    assert engine.next_deadline() is None
    assert engine.advance(T0 + 10_000) == []
    engine.toggle_pause(T0 + 20)
    snap = engine.snapshot(T0 + 20)
    assert not snap.suspended
    assert snap.message == ""
    assert snap.remaining_s == pytest.approx(T0 + 35 - last)


def test_suspend_detected_from_a_monotonic_jump_never_fast_forwards() -> None:
    engine, clock = engine_for(plan(intervals(30, 30, 3)))
    engine.start(T0)
    _observe_ticks(engine, clock, T0 + 10)
    last = clock.monotonic()
    clock.advance(600)  # both clocks kept counting through the sleep
    events = engine.observe(clock.monotonic(), clock.wall())
    assert events == [PhaseChanged(Phase.PAUSED, Phase.WORK, 0, last, suspended=True)]
    assert logged(events) == []  # no round ran on while nobody was there
    # the deadline timer waking late afterwards finds nothing to do
    assert engine.advance(clock.monotonic()) == []
    assert engine.snapshot().remaining_s == pytest.approx(T0 + 35 - last)


def test_ordinary_jitter_is_not_mistaken_for_a_suspend() -> None:
    engine, clock = engine_for(plan(intervals(30, 30, 1)))
    engine.start(T0)
    engine.observe(clock.monotonic(), clock.wall())
    clock.advance(1.5)  # a busy event loop
    assert engine.observe(clock.monotonic(), clock.wall()) == []
    clock.suspend(1.0)  # a small NTP step
    assert engine.observe(clock.monotonic(), clock.wall()) == []
    assert not engine.paused


def test_deadlines_due_before_the_last_observation_are_still_delivered() -> None:
    engine, clock = engine_for(plan(intervals(30, 30, 1)))
    engine.start(T0)
    clock.set(T0 + 6)
    engine.observe(clock.monotonic(), clock.wall())  # the go at +5 not yet delivered
    clock.advance(400)
    events = engine.observe(clock.monotonic(), clock.wall())
    assert [c.kind for c in cues(events)] == [CueKind.LEAD_IN_TICK] * 4 + [CueKind.GO]
    assert phases(events) == [Phase.WORK, Phase.PAUSED]


def test_a_paused_or_idle_engine_ignores_suspends() -> None:
    engine, clock = engine_for(plan(reps()))
    engine.observe(clock.monotonic(), clock.wall())
    clock.advance(900)
    assert engine.observe(clock.monotonic(), clock.wall()) == []  # not started


# --- look-ahead and rendering ---------------------------------------------------------------


def test_upcoming_cues_look_ahead_without_changing_anything() -> None:
    engine, _ = engine_for(plan(intervals(30, 30, 2)))
    engine.start(T0)
    before = engine.snapshot(T0 + 1)
    ahead = engine.upcoming_cues(34, T0 + 1)
    assert [(c.scheduled - T0, c.kind.value) for c in ahead] == [
        (1.0, "lead_in_tick"), (2.0, "lead_in_tick"), (3.0, "lead_in_tick"),
        (4.0, "lead_in_tick"), (5.0, "go"), (20.0, "halfway"), (25.0, "ten_seconds_left"),
        (32.0, "last_seconds_tick"), (33.0, "last_seconds_tick"), (34.0, "last_seconds_tick"),
        (35.0, "rest_start"),
    ]
    assert engine.snapshot(T0 + 1) == before
    assert engine.next_deadline() == T0 + 1
    assert cues(engine.advance(T0 + 35)) == ahead


def test_snapshot_before_start_and_during_work() -> None:
    engine, _ = engine_for(plan(intervals(30, 30, 2), reps()))
    snap = engine.snapshot(T0)
    assert (snap.phase, snap.step_index, snap.step_count, snap.exercise_name) == (
        Phase.READY, 0, 5, "Climber",
    )
    assert snap.session_elapsed_s == 0
    assert snap.next_text == "Next: Rest 30 s"
    engine.start(T0)
    assert engine.snapshot(T0 + 20).phase is Phase.LEAD_IN  # snapshot never advances
    engine.advance(T0 + 20)
    snap = engine.snapshot(T0 + 20)
    assert (snap.phase, snap.elapsed_s, snap.remaining_s, snap.progress, snap.round_label) == (
        Phase.WORK, 15.0, 15.0, 0.5, "Round 1 of 2",
    )
    assert (snap.round_number, snap.round_count, snap.block_count) == (1, 2, 2)
    assert snap.session_elapsed_s == 20.0
    assert snap.session_progress == 0.0


def test_advance_is_idempotent_and_never_goes_back_in_time() -> None:
    engine, _ = engine_for(plan(intervals(10, 10, 2)))
    engine.start(T0)
    assert engine.advance(T0 + 12) != []
    snap = engine.snapshot(T0 + 12)
    assert engine.advance(T0 + 12) == []
    assert engine.advance(T0 + 3) == []
    assert engine.snapshot(T0 + 12) == snap


def test_intents_default_to_the_injected_clock() -> None:
    clock = FakeClock(T0)
    engine = SessionEngine(plan(intervals(10, 10, 1)), clock, EngineConfig(lead_in_s=2))
    engine.start()
    clock.advance(4)
    events = engine.skip()
    assert logged(events)[0].entry.work_s == 2.0
    assert engine.snapshot().done


def test_cue_json_uses_stable_strings() -> None:
    cue = Cue(CueKind.TEN_SECONDS_LEFT, 12.5, 3, "climber", "10 seconds left", 10.0)
    assert cue.to_json() == {
        "kind": "ten_seconds_left", "scheduled": 12.5, "step": 3, "exercise_id": "climber",
        "text": "10 seconds left", "value": 10.0,
    }
    assert "value" not in Cue(CueKind.GO, 1.0, 0, "x", "Go").to_json()
    assert {k.value for k in CueKind} >= {
        "lead_in_tick", "go", "halfway", "last_seconds_tick", "ten_seconds_left", "rest_start",
        "rest_end", "switch_sides", "hold_start", "hold_stop", "hold_target_reached",
        "set_complete", "exercise_change", "session_complete",
    }


def test_plan_block_kinds_cover_every_movement_kind() -> None:
    made = {
        Kind.REPS: reps(), Kind.HOLD: hold(), Kind.INTERVAL: intervals(), Kind.PER_SIDE: sides(),
    }
    assert {b.kind for b in made.values()} == set(Kind)
    assert plan_block(Kind.HOLD, "X", hold_seconds=5).key_cue == "X cue"


def test_resume_index_skips_logged_work_and_engine_starts_there() -> None:
    from hipflex_desktop.domain.catalog_loader import load_builtin_workouts, load_catalog
    from hipflex_desktop.domain.engine import FakeClock, SessionEngine
    from hipflex_desktop.domain.history import Entry, EntryKind
    from hipflex_desktop.domain.steps import StepKind, build_plan, resume_index

    catalog = load_catalog()
    workout = next(w for w in load_builtin_workouts(catalog) if w.id == "hip-flexor-workout")
    plan = build_plan(workout, catalog)
    assert resume_index(plan, []) == 0
    logged = [
        Entry(f"e{i}", "s1", "hanging-leg-raise", EntryKind.REP_SET, i, 1.0, 2.0, reps=9)
        for i in range(3)
    ] + [Entry("e9", "s1", "standing-hip-flexor-raise", EntryKind.REP_SET, 0, 3.0, 4.0, reps=10)]
    index = resume_index(plan, logged)
    step = plan.steps[index]
    assert (step.kind, step.exercise_id, step.set_number) == (
        StepKind.REP_SET, "standing-hip-flexor-raise", 1)
    engine = SessionEngine(plan, FakeClock(), session_id="s1", first_step=index)
    engine.start()
    assert engine.step_index == index
    assert engine.session_id == "s1"
