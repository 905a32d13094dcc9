"""Progression suggestions from the last session(s), and what accepting one changes."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.catalog_loader import load_builtin_workouts, load_catalog
from hipflex_desktop.domain.coaching import (
    LoadChange,
    Suggestion,
    SuggestionDecisions,
    SuggestionKind,
    apply_suggestion,
    apply_to_block,
    load_step,
    longer_time,
    suggestions_for_exercise,
    suggestions_for_workout,
)
from hipflex_desktop.domain.history import Entry, EntryKind, Side
from hipflex_desktop.domain.prescription import Prescription
from hipflex_desktop.domain.workouts import Block, Workout

DAY = 86400.0
_ids = itertools.count()

HANGING = Prescription(sets=3, reps_min=8, reps_max=10, rest_seconds=90)
LSIT = Prescription(sets=2, hold_seconds=30, accumulate=True, brief_hold_min=5,
                    brief_hold_max=15, rest_seconds=90)
CLIMBERS = Prescription(sets=1, rounds=3, work_seconds=30, interval_rest_seconds=30)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def reps_session(
    session: str, reps: list[int], load: float | None = None, unit: str | None = "kg", *,
    exercise: str = "hanging-leg-raise", day: int = 0, **extra: Any,
) -> list[Entry]:
    return [
        Entry(f"e{next(_ids)}", session, exercise, EntryKind.REP_SET, i, day * DAY + i * 60,
              day * DAY + i * 60 + 30, reps=r, load=load, unit=unit, **extra)
        for i, r in enumerate(reps)
    ]


def hold_session(
    session: str, sets: list[tuple[float, ...]], *, exercise: str = "l-sit-tucked", day: int = 0
) -> list[Entry]:
    return [
        Entry(f"e{next(_ids)}", session, exercise, EntryKind.HOLD, i, day * DAY + i * 120,
              day * DAY + i * 120 + 60, duration_s=sum(holds), holds_s=holds)
        for i, holds in enumerate(sets)
    ]


def interval_session(
    session: str, works: list[float], *, exercise: str = "mountain-climber", day: int = 0
) -> list[Entry]:
    return [
        Entry(f"e{next(_ids)}", session, exercise, EntryKind.INTERVAL_ROUND, 0,
              day * DAY + i * 60, day * DAY + i * 60 + w, work_s=w, planned_s=30.0)
        for i, w in enumerate(works)
    ]


def suggest(
    catalog: Catalog, exercise: str, prescription: Prescription, entries: list[Entry],
    **kwargs: Any,
) -> tuple[Suggestion, ...]:
    return suggestions_for_exercise(exercise, prescription, entries, catalog, **kwargs)


# --- double progression ----------------------------------------------------------------------


def test_no_history_no_suggestion(catalog: Catalog) -> None:
    assert suggest(catalog, "hanging-leg-raise", HANGING, []) == ()


def test_every_set_at_the_top_adds_a_little_load_and_restarts_at_the_bottom(
    catalog: Catalog,
) -> None:
    entries = reps_session("s1", [10, 10, 10])
    (s,) = suggest(catalog, "hanging-leg-raise", HANGING, entries)
    assert s.kind is SuggestionKind.ADD_LOAD
    assert s.load_change == LoadChange("kg", 0.0, 0.5)
    assert s.start_reps == 8
    assert s.swap_to is None
    assert s.id == "add_load:hanging-leg-raise:s1"
    assert s.based_on_session_id == "s1"
    assert "10 reps" in s.reason
    assert "0.5 kg" in s.reason
    assert apply_suggestion(HANGING, s) == HANGING  # the range stays; the load changes


@pytest.mark.parametrize(
    ("load", "unit", "expected"),
    [(2.0, "kg", 2.5), (5.0, "kg", 6.0), (4.0, "lb", 5.0), (10.0, "lb", 12.0)],
)
def test_load_steps_are_small_and_in_the_persons_unit(
    catalog: Catalog, load: float, unit: str, expected: float
) -> None:
    entries = reps_session("s1", [10, 11, 10], load, unit)
    (s,) = suggest(catalog, "hanging-leg-raise", HANGING, entries)
    assert s.load_change is not None
    assert (s.load_change.unit, s.load_change.from_load, s.load_change.to_load) == (
        unit, load, expected,
    )
    assert s.load_change.step == pytest.approx(expected - load)


def test_a_new_lb_user_gets_pounds(catalog: Catalog) -> None:
    (s,) = suggest(catalog, "hanging-leg-raise", HANGING, reps_session("s1", [10] * 3),
                   unit="lb")
    assert s.load_change == LoadChange("lb", 0.0, 1.0)


def test_not_every_set_at_the_top_means_keep_going(catalog: Catalog) -> None:
    assert suggest(catalog, "hanging-leg-raise", HANGING, reps_session("s", [10, 10, 9])) == ()
    # Fewer sets than prescribed is not "every working set".
    assert suggest(catalog, "hanging-leg-raise", HANGING, reps_session("s", [10, 10])) == ()


def test_only_straight_working_sets_are_judged(catalog: Catalog) -> None:
    entries = [
        *reps_session("s1", [4], warmup=True),
        *reps_session("s1", [10, 10, 10]),
        *reps_session("s1", [5], set_type="drop"),
    ]
    (s,) = suggest(catalog, "hanging-leg-raise", HANGING, entries)
    assert s.kind is SuggestionKind.ADD_LOAD


def test_only_the_latest_session_is_judged(catalog: Catalog) -> None:
    entries = [*reps_session("old", [10, 10, 10], day=0), *reps_session("new", [9, 9, 8], day=3)]
    assert suggest(catalog, "hanging-leg-raise", HANGING, entries) == ()


def test_band_only_exercises_move_to_the_next_band(catalog: Catalog) -> None:
    march = catalog.get("banded-hip-march").prescription
    entries = reps_session("s1", [12, 12, 12], 0, exercise="banded-hip-march")
    (s,) = suggest(catalog, "banded-hip-march", march, entries)
    assert s.load_change == LoadChange("kg", 0.0, None, next_band=True)
    assert s.load_change.step is None
    assert "band" in s.reason
    assert s.start_reps == 10


def test_a_loaded_set_short_of_the_range_takes_load_off(catalog: Catalog) -> None:
    entries = reps_session("s1", [9, 8, 6], 2.0)
    (s,) = suggest(catalog, "hanging-leg-raise", HANGING, entries)
    assert s.kind is SuggestionKind.REDUCE_LOAD
    assert s.load_change == LoadChange("kg", 2.0, 1.5)
    assert "6 reps" in s.reason


def test_hanging_leg_raise_short_of_the_range_switches_to_lying(catalog: Catalog) -> None:
    entries = reps_session("s1", [8, 7, 5])
    (s,) = suggest(catalog, "hanging-leg-raise", HANGING, entries)
    assert s.kind is SuggestionKind.EASIER_MOVEMENT
    assert s.swap_to == "lying-leg-raise"
    assert s.changes == {"reps_min": 10, "reps_max": 15}
    assert s.start_reps == 10
    assert "Lying Leg Raise" in s.reason
    new = apply_suggestion(HANGING, s)
    assert (new.sets, new.reps_min, new.reps_max, new.rest_seconds) == (3, 10, 15, 90)
    block = Block("hanging-leg-raise", HANGING, fallback_movement_id="lying-leg-raise",
                  note="Swap to lying if you swing.")
    swapped = apply_to_block(block, s)
    assert swapped == Block("lying-leg-raise", new)


def test_other_bodyweight_exercises_short_of_the_range_get_nothing(catalog: Catalog) -> None:
    nordic = catalog.get("reverse-nordic").prescription
    entries = reps_session("s1", [5, 4, 4], exercise="reverse-nordic")
    assert suggest(catalog, "reverse-nordic", nordic, entries) == ()


def test_lying_leg_raise_at_the_top_moves_on_to_hanging(catalog: Catalog) -> None:
    lying = catalog.get("lying-leg-raise").prescription
    entries = reps_session("s1", [15, 15, 16], exercise="lying-leg-raise")
    (s,) = suggest(catalog, "lying-leg-raise", lying, entries)
    assert s.kind is SuggestionKind.HARDER_MOVEMENT
    assert s.swap_to == "hanging-leg-raise"
    assert s.changes == {"reps_min": 8, "reps_max": 10}
    assert s.start_reps == 8


# --- the L-sit ladder ------------------------------------------------------------------------


def test_target_met_in_few_long_holds_moves_up_a_rung(catalog: Catalog) -> None:
    entries = hold_session("s1", [(12, 10, 8), (15, 15)])
    (s,) = suggest(catalog, "l-sit-tucked", LSIT, entries)
    assert s.kind is SuggestionKind.LADDER_UP
    assert s.swap_to == "l-sit-one-leg"
    assert s.prescription_changes == ()
    assert "One-Leg L-Sit" in s.reason
    block = apply_to_block(Block("l-sit-tucked", LSIT), s)
    assert block == Block("l-sit-one-leg", LSIT)


def test_many_brief_holds_averaging_ten_seconds_also_count_as_long(catalog: Catalog) -> None:
    entries = hold_session("s1", [(10, 10, 10, 10), (12, 10, 10)])
    (s,) = suggest(catalog, "l-sit-tucked", LSIT, entries)
    assert s.kind is SuggestionKind.LADDER_UP


def test_target_met_only_in_many_short_holds_stays_on_the_rung(catalog: Catalog) -> None:
    entries = hold_session("s1", [(6, 6, 6, 6, 6), (5, 5, 5, 5, 5, 5)])
    assert suggest(catalog, "l-sit-tucked", LSIT, entries) == ()


def test_target_missed_steps_down_a_rung(catalog: Catalog) -> None:
    entries = hold_session("s1", [(8, 7, 6), (15, 15)], exercise="l-sit-one-leg")
    (s,) = suggest(catalog, "l-sit-one-leg", LSIT, entries)
    assert s.kind is SuggestionKind.LADDER_DOWN
    assert s.swap_to == "l-sit-tucked"


def test_the_bottom_rung_has_nowhere_lower(catalog: Catalog) -> None:
    entries = hold_session("s1", [(8, 7), (10,)])
    assert suggest(catalog, "l-sit-tucked", LSIT, entries) == ()


def test_top_rung_grows_the_total_after_two_completed_sessions(catalog: Catalog) -> None:
    once = hold_session("s1", [(15, 15), (16, 14)], exercise="l-sit-hold", day=0)
    assert suggest(catalog, "l-sit-hold", LSIT, once) == ()
    twice = [*once, *hold_session("s2", [(20, 10), (15, 15.2)], exercise="l-sit-hold", day=2)]
    (s,) = suggest(catalog, "l-sit-hold", LSIT, twice)
    assert s.kind is SuggestionKind.LONGER_HOLD
    assert s.changes == {"hold_seconds": 35}
    assert apply_suggestion(LSIT, s) == LSIT.with_changes(hold_seconds=35)
    assert s.id == "longer_hold:l-sit-hold:s2"


def test_a_hold_a_fraction_short_still_counts_as_done(catalog: Catalog) -> None:
    entries = [
        *hold_session("s1", [(29.7,), (30,)], exercise="l-sit-hold", day=0),
        *hold_session("s2", [(30,), (29.6,)], exercise="l-sit-hold", day=2),
    ]
    assert [s.kind for s in suggest(catalog, "l-sit-hold", LSIT, entries)] == [
        SuggestionKind.LONGER_HOLD,
    ]


@pytest.mark.parametrize(("now", "later"), [(20, 25), (30, 35), (60, 65), (100, 110),
                                             (600, 660)])
def test_time_grows_by_five_seconds_or_ten_percent(now: int, later: int) -> None:
    assert longer_time(now) == later


def test_load_step_sizes() -> None:
    assert [load_step(x, "kg") for x in (0, 4.5, 5, 20)] == [0.5, 0.5, 1.0, 1.0]
    assert [load_step(x, "lb") for x in (0, 9, 10)] == [1.0, 1.0, 2.0]


# --- intervals and stretches -----------------------------------------------------------------


def test_intervals_get_longer_after_two_completed_sessions(catalog: Catalog) -> None:
    entries = [*interval_session("s1", [30, 30, 30], day=0),
               *interval_session("s2", [30, 30, 29.8], day=2)]
    (s,) = suggest(catalog, "mountain-climber", CLIMBERS, entries)
    assert s.kind is SuggestionKind.LONGER_INTERVALS
    assert s.changes == {"work_seconds": 35}
    assert apply_suggestion(CLIMBERS, s).work_seconds == 35


def test_a_cut_short_round_or_a_missing_round_means_no_change(catalog: Catalog) -> None:
    short = [*interval_session("s1", [30, 30, 30], day=0),
             *interval_session("s2", [30, 30, 21], day=2)]
    missing = [*interval_session("s1", [30, 30, 30], day=0),
               *interval_session("s2", [30, 30], day=2)]
    assert suggest(catalog, "mountain-climber", CLIMBERS, short) == ()
    assert suggest(catalog, "mountain-climber", CLIMBERS, missing) == ()


def test_stretches_get_no_suggestions(catalog: Catalog) -> None:
    entry = Entry("x", "s1", "pigeon-pose", EntryKind.PER_SIDE, 0, 0, 30, side=Side.LEFT,
                  duration_s=30)
    stretch = catalog.get("pigeon-pose").prescription
    assert suggest(catalog, "pigeon-pose", stretch, [entry]) == ()


def test_custom_imported_exercises_follow_double_progression(catalog: Catalog) -> None:
    entries = reps_session("imp", [12, 12, 12], 20, "kg", exercise="custom:cable-knee-raise")
    (s,) = suggest(catalog, "custom:cable-knee-raise", Prescription(3, 10, 12), entries)
    assert s.load_change == LoadChange("kg", 20, 21)


# --- ids and decisions -----------------------------------------------------------------------


def test_ids_are_stable_until_a_newer_session(catalog: Catalog) -> None:
    first = reps_session("s1", [10, 10, 10], day=0)
    again = suggest(catalog, "hanging-leg-raise", HANGING, first)
    assert again == suggest(catalog, "hanging-leg-raise", HANGING, list(reversed(first)))
    later = [*first, *reps_session("s2", [10, 10, 10], day=3)]
    (newer,) = suggest(catalog, "hanging-leg-raise", HANGING, later)
    assert newer.id != again[0].id


def test_decisions_are_remembered_and_round_trip() -> None:
    decisions = SuggestionDecisions()
    suggestions = [
        Suggestion(f"id{i}", "x", SuggestionKind.ADD_LOAD, "reason", "s") for i in range(3)
    ]
    decisions = decisions.accept("id0").dismiss("id1")
    assert [s.id for s in decisions.open(suggestions)] == ["id2"]
    assert decisions.is_decided("id0")
    assert decisions.is_decided("id1")
    changed_mind = decisions.accept("id1")
    assert changed_mind.accepted == {"id0", "id1"}
    assert changed_mind.dismissed == frozenset()
    assert not decisions.forget("id0").is_decided("id0")
    assert SuggestionDecisions.from_dict(decisions.to_dict()) == decisions
    assert decisions.to_dict() == {"accepted": ["id0"], "dismissed": ["id1"]}
    assert decisions.pruned(["id1"]) == SuggestionDecisions(frozenset(), frozenset({"id1"}))
    assert SuggestionDecisions.from_dict({}) == SuggestionDecisions()


# --- whole workouts --------------------------------------------------------------------------


def test_workout_suggestions_in_block_order(catalog: Catalog) -> None:
    workout = next(w for w in load_builtin_workouts(catalog) if w.id == "hip-flexor-workout")
    entries = [
        *reps_session("s1", [10, 10, 10], day=0),
        *interval_session("s1", [30, 30, 30], day=0),
        *interval_session("s2", [30, 30, 30], day=2),
    ]
    found = suggestions_for_workout(workout, entries, catalog)
    assert [s.kind for s in found] == [SuggestionKind.ADD_LOAD, SuggestionKind.LONGER_INTERVALS]


def test_a_fallback_done_more_recently_is_the_one_judged(catalog: Catalog) -> None:
    workout = Workout("w", "W", (Block("hanging-leg-raise", HANGING,
                                       fallback_movement_id="lying-leg-raise"),))
    entries = [
        *reps_session("s1", [6, 5, 5], day=0),
        *reps_session("s2", [15, 15, 15], exercise="lying-leg-raise", day=2),
    ]
    (s,) = suggestions_for_workout(workout, entries, catalog)
    assert (s.exercise_id, s.kind, s.swap_to) == (
        "lying-leg-raise", SuggestionKind.HARDER_MOVEMENT, "hanging-leg-raise",
    )
    assert apply_to_block(workout.blocks[0], s) == Block(
        "hanging-leg-raise", HANGING, fallback_movement_id="lying-leg-raise"
    )
