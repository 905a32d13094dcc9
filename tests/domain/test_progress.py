"""Chart series and personal bests, recomputed from the entries on every call."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex_desktop.domain.history import Entry, EntryKind, Session, Side
from hipflex_desktop.domain.progress import (
    KG_PER_LB,
    Metric,
    Record,
    available_metrics,
    convert_load,
    exercise_series,
    format_day,
    format_duration,
    format_value,
    local_time_in,
    new_personal_bests,
    normalise_unit,
    personal_bests,
)

UTC_TIME = local_time_in(UTC)
DAY = 86400.0
T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC).timestamp()  # a Monday evening
_ids = itertools.count()


def at_day(day: int, minutes: float = 0.0) -> float:
    return T0 + day * DAY + minutes * 60


def rep_set(
    session: str, reps: int | None, load: float | None = None, unit: str | None = "kg",
    *, exercise: str = "hanging-leg-raise", day: int = 0, index: int = 0, **extra: Any,
) -> Entry:
    return Entry(
        id=f"e{next(_ids)}", session_id=session, exercise_id=exercise, kind=EntryKind.REP_SET,
        set_index=index, started_at=at_day(day, index), ended_at=at_day(day, index) + 30,
        reps=reps, load=load, unit=unit, **extra,
    )


def hold(
    session: str, seconds: float, holds: tuple[float, ...] = (), *, exercise: str = "l-sit-hold",
    day: int = 0, index: int = 0, **extra: Any,
) -> Entry:
    return Entry(
        id=f"e{next(_ids)}", session_id=session, exercise_id=exercise, kind=EntryKind.HOLD,
        set_index=index, started_at=at_day(day, index), ended_at=at_day(day, index) + seconds,
        duration_s=seconds, holds_s=holds, **extra,
    )


def interval(
    session: str, work: float, planned: float = 30.0, *, exercise: str = "mountain-climber",
    day: int = 0, index: int = 0,
) -> Entry:
    return Entry(
        id=f"e{next(_ids)}", session_id=session, exercise_id=exercise,
        kind=EntryKind.INTERVAL_ROUND, set_index=index, started_at=at_day(day, index),
        ended_at=at_day(day, index) + work, work_s=work, planned_s=planned,
    )


def stretch(session: str, seconds: float, side: Side, *, day: int = 0, index: int = 0) -> Entry:
    return Entry(
        id=f"e{next(_ids)}", session_id=session, exercise_id="pigeon-pose",
        kind=EntryKind.PER_SIDE, set_index=index, started_at=at_day(day, index),
        ended_at=at_day(day, index) + seconds, side=side, duration_s=seconds,
    )


def session(session_id: str, day: int, workout_id: str | None = "hip-flexor-workout") -> Session:
    return Session(session_id, workout_id, "Workout", at_day(day), at_day(day) + 1800)


def values(entries: list[Entry], metric: Metric, **kwargs: Any) -> list[float]:
    series = exercise_series(entries, entries[0].exercise_id, metric, to_local=UTC_TIME, **kwargs)
    return [p.value for p in series.points]


# --- units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [("kg", "kg"), ("KG", "kg"), (None, "kg"), ("", "kg"), ("lb", "lb"), ("lbs", "lb"),
     (" Pounds ", "lb")],
)
def test_unit_spellings(spelling: str | None, expected: str) -> None:
    assert normalise_unit(spelling) == expected


def test_loads_convert_both_ways() -> None:
    assert convert_load(10, "lb", "kg") == pytest.approx(4.5359237)
    assert convert_load(4.5359237, "kg", "lb") == pytest.approx(10)
    assert convert_load(7, "kg", "kg") == 7
    assert KG_PER_LB == 0.45359237


# --- series ----------------------------------------------------------------------------------


def test_no_history_gives_empty_series_no_bests_and_no_metrics() -> None:
    series = exercise_series([], "hanging-leg-raise", Metric.BEST_SET_REPS, to_local=UTC_TIME)
    assert series.points == ()
    assert series.best is None
    assert len(series) == 0
    assert personal_bests([]) == {}
    assert available_metrics([], "hanging-leg-raise") == ()


def test_rep_metrics_per_session_ignore_warmups() -> None:
    entries = [
        rep_set("s1", 15, index=0, warmup=True),
        rep_set("s1", 8, 2, index=1),
        rep_set("s1", 10, 2, index=2),
        rep_set("s1", 9, 3, index=3),
    ]
    assert values(entries, Metric.BEST_SET_REPS) == [10]
    assert values(entries, Metric.TOTAL_REPS) == [27]
    assert values(entries, Metric.TOP_LOAD) == [3]
    assert values(entries, Metric.VOLUME) == [8 * 2 + 10 * 2 + 9 * 3]


def test_mixed_kg_and_lb_are_shown_in_one_display_unit() -> None:
    entries = [
        rep_set("s1", 10, 5, "kg", day=0),
        rep_set("s2", 10, 10, "lb", day=7),
        rep_set("s3", 10, 12, "lbs", day=14),
    ]
    in_kg = exercise_series(entries, "hanging-leg-raise", Metric.TOP_LOAD, to_local=UTC_TIME)
    assert in_kg.unit == "kg"
    assert [p.value for p in in_kg.points] == pytest.approx([5, 4.5359237, 5.44310844])
    # 12 lb (5.44 kg) beats 5 kg; 10 lb (4.54 kg) does not.
    assert [p.personal_best for p in in_kg.points] == [False, False, True]
    in_lb = exercise_series(
        entries, "hanging-leg-raise", Metric.TOP_LOAD, unit="lb", to_local=UTC_TIME
    )
    assert in_lb.unit == "lb"
    assert [p.value for p in in_lb.points] == pytest.approx([11.0231131, 10, 12])
    assert values(entries, Metric.VOLUME, unit="lb") == pytest.approx([110.231131, 100, 120])


def test_personal_best_markers_need_to_beat_every_earlier_point() -> None:
    entries = [rep_set(f"s{i}", reps, day=i) for i, reps in enumerate([10, 12, 11, 13, 13, 14])]
    series = exercise_series(entries, "hanging-leg-raise", Metric.BEST_SET_REPS,
                             to_local=UTC_TIME)
    assert [p.personal_best for p in series.points] == [False, True, False, True, False, True]
    assert series.best is not None
    assert series.best.value == 14


def test_single_point_history_is_one_unmarked_point() -> None:
    series = exercise_series([rep_set("only", 9)], "hanging-leg-raise", Metric.BEST_SET_REPS,
                             to_local=UTC_TIME)
    assert len(series.points) == 1
    point = series.points[0]
    assert (point.value, point.session_id, point.personal_best) == (9, "only", False)
    assert point.day == date(2026, 3, 2)


def test_points_are_in_session_order_whatever_the_entry_order() -> None:
    entries = [rep_set("late", 12, day=5), rep_set("early", 8, day=1), rep_set("mid", 10, day=3)]
    series = exercise_series(entries, "hanging-leg-raise", Metric.BEST_SET_REPS,
                             to_local=UTC_TIME)
    assert [p.session_id for p in series.points] == ["early", "mid", "late"]
    assert [p.at for p in series.points] == sorted(p.at for p in series.points)


def test_point_dates_are_local_dates() -> None:
    late_sunday_utc = datetime(2026, 3, 8, 23, 30, tzinfo=UTC).timestamp()
    entry = Entry("x", "s", "hanging-leg-raise", EntryKind.REP_SET, 0, late_sunday_utc,
                  late_sunday_utc + 30, reps=10)
    utc = exercise_series([entry], "hanging-leg-raise", Metric.BEST_SET_REPS, to_local=UTC_TIME)
    plus_two = exercise_series([entry], "hanging-leg-raise", Metric.BEST_SET_REPS,
                               to_local=local_time_in(timezone(timedelta(hours=2))))
    assert utc.points[0].day == date(2026, 3, 8)
    assert plus_two.points[0].day == date(2026, 3, 9)


def test_session_start_time_is_used_when_sessions_are_given() -> None:
    entries = [rep_set("s1", 10, day=0, index=5)]
    series = exercise_series(entries, "hanging-leg-raise", Metric.BEST_SET_REPS,
                             sessions=[session("s1", 0)], to_local=UTC_TIME)
    assert series.points[0].at == at_day(0)


def test_a_deleted_session_leaves_no_point_and_no_best() -> None:
    entries = [rep_set("kept", 10, day=0), rep_set("deleted", 20, day=1)]
    kept_only = [session("kept", 0)]
    series = exercise_series(entries, "hanging-leg-raise", Metric.BEST_SET_REPS,
                             sessions=kept_only, to_local=UTC_TIME)
    assert [p.session_id for p in series.points] == ["kept"]
    bests = personal_bests(entries, sessions={"kept": kept_only[0]})
    assert bests["hanging-leg-raise"][0].value == 10
    # Entries gone with their session: the same answer without the sessions map.
    gone = [e for e in entries if e.session_id != "deleted"]
    assert values(gone, Metric.BEST_SET_REPS) == [10]
    assert personal_bests(gone)["hanging-leg-raise"][0].value == 10


def test_hold_series_use_single_holds_and_session_totals() -> None:
    entries = [
        hold("s1", 30, (12, 10, 8), index=0),
        hold("s1", 31, (16, 15), index=1),
        hold("s2", 35, (20, 15), day=3),
    ]
    assert values(entries, Metric.LONGEST_HOLD) == [16, 20]
    assert values(entries, Metric.ACCUMULATED_HOLD) == [61, 35]


def test_interval_work_per_session_sums_the_rounds() -> None:
    entries = [interval("s1", 30, index=0), interval("s1", 30, index=1),
               interval("s1", 22.5, index=2)]
    assert values(entries, Metric.INTERVAL_WORK) == [82.5]


def test_stretches_chart_their_time_per_side_and_in_total() -> None:
    entries = [stretch("s1", 30, Side.LEFT), stretch("s1", 32, Side.RIGHT, index=1)]
    assert values(entries, Metric.LONGEST_HOLD) == [32]
    assert values(entries, Metric.ACCUMULATED_HOLD) == [62]
    assert available_metrics(entries, "pigeon-pose") == (
        Metric.LONGEST_HOLD, Metric.ACCUMULATED_HOLD,
    )


def test_metrics_offered_follow_what_was_logged() -> None:
    bodyweight = [rep_set("s1", 10), rep_set("s1", 12, 2, warmup=True, index=1)]
    assert available_metrics(bodyweight, "hanging-leg-raise") == (
        Metric.BEST_SET_REPS, Metric.TOTAL_REPS,
    )
    loaded = [*bodyweight, rep_set("s2", 8, 1.5, day=2)]
    assert available_metrics(loaded, "hanging-leg-raise") == (
        Metric.BEST_SET_REPS, Metric.TOTAL_REPS, Metric.TOP_LOAD, Metric.VOLUME,
    )
    assert available_metrics([interval("s", 30)], "mountain-climber") == (Metric.INTERVAL_WORK,)


def test_imported_history_with_warmup_and_drop_sets_and_custom_exercises() -> None:
    custom = "custom:leg-press"
    entries = [
        # Imported warm-up: flagged only through set_type.
        rep_set("imp1", 20, 40, exercise=custom, index=0, set_type="warmup"),
        rep_set("imp1", 10, 100, exercise=custom, index=1),
        rep_set("imp1", 12, 60, exercise=custom, index=2, set_type="drop"),
        rep_set("imp1", 6, 110, exercise=custom, index=3, set_type="failure"),
        Entry("t", "imp1", custom, EntryKind.REP_SET, 4, at_day(0), at_day(0), duration_s=40),
    ]
    assert available_metrics(entries, custom) == (
        Metric.BEST_SET_REPS, Metric.TOTAL_REPS, Metric.TOP_LOAD, Metric.VOLUME,
    )
    assert values(entries, Metric.BEST_SET_REPS) == [12]
    assert values(entries, Metric.TOTAL_REPS) == [28]
    assert values(entries, Metric.TOP_LOAD) == [110]
    assert values(entries, Metric.VOLUME) == [1000 + 720 + 660]
    bests = {b.record: b for b in personal_bests(entries)[custom]}
    assert bests[Record.MOST_REPS].value == 12
    assert bests[Record.TOP_LOAD].value == 110
    assert bests[Record.TOP_LOAD].reps == 6


# --- personal bests --------------------------------------------------------------------------


def test_personal_bests_per_exercise() -> None:
    entries = [
        rep_set("s1", 10, 0, day=0),
        rep_set("s2", 12, 0, day=2),
        rep_set("s3", 8, 2, day=4),
        hold("s1", 30, (12, 10, 8), day=0),
        hold("s2", 30, (15, 15), day=2, index=0),
        hold("s2", 30, (14, 16), day=2, index=1),
        interval("s1", 30, day=0, index=0),
        interval("s1", 30, day=0, index=1),
        interval("s2", 25, day=2),
        stretch("s1", 45, Side.LEFT),
    ]
    bests = personal_bests(entries)
    assert set(bests) == {"hanging-leg-raise", "l-sit-hold", "mountain-climber"}
    legs = bests["hanging-leg-raise"]
    assert [b.record for b in legs] == [Record.MOST_REPS, Record.TOP_LOAD]
    assert (legs[0].value, legs[0].session_id, legs[0].unit) == (12, "s2", "reps")
    assert (legs[1].value, legs[1].reps, legs[1].unit) == (2, 8, "kg")
    assert legs[1].text() == "2 kg × 8"
    lsit = {b.record: b for b in bests["l-sit-hold"]}
    assert lsit[Record.LONGEST_HOLD].value == 16  # longest brief hold, not a set's total
    assert lsit[Record.ACCUMULATED_HOLD].value == 60
    assert lsit[Record.ACCUMULATED_HOLD].session_id == "s2"
    assert lsit[Record.ACCUMULATED_HOLD].entry_id is None
    climber = bests["mountain-climber"]
    assert [(b.record, b.value, b.session_id) for b in climber] == [
        (Record.INTERVAL_WORK, 60, "s1"),
    ]


def test_a_tie_keeps_the_earlier_best_and_bodyweight_has_no_top_load() -> None:
    entries = [rep_set("first", 10, day=0), rep_set("second", 10, day=3)]
    (best,) = personal_bests(entries)["hanging-leg-raise"]
    assert (best.record, best.session_id) == (Record.MOST_REPS, "first")


def test_bests_follow_edits_and_deletions_because_they_are_recomputed() -> None:
    entries = [rep_set("s1", 10, day=0), rep_set("s2", 14, day=2)]
    assert personal_bests(entries)["hanging-leg-raise"][0].value == 14
    edited = [entries[0], Entry(**{**entries[1].__dict__, "reps": 9})]
    assert personal_bests(edited)["hanging-leg-raise"][0].value == 10
    assert personal_bests(entries[:1])["hanging-leg-raise"][0].value == 10


def test_bests_in_pounds_keep_the_reps_context() -> None:
    entries = [rep_set("s1", 12, 4.5359237, "kg", day=0), rep_set("s2", 8, 12, "lb", day=2)]
    bests = {b.record: b for b in personal_bests(entries, unit="lb")["hanging-leg-raise"]}
    assert bests[Record.TOP_LOAD].value == pytest.approx(12)
    assert bests[Record.TOP_LOAD].text() == "12 lb × 8"
    assert bests[Record.MOST_REPS].text() == "12 reps with 10 lb"


# --- announcing a new best -------------------------------------------------------------------


def test_the_first_time_is_not_announced_as_a_best() -> None:
    first = rep_set("s1", 10)
    assert new_personal_bests([first], first) == ()


def test_more_reps_than_ever_is_announced_and_a_tie_is_not() -> None:
    history = [rep_set("s1", 10, day=0), rep_set("s1", 9, day=0, index=1)]
    better = rep_set("s2", 11, day=2)
    tie = rep_set("s2", 10, day=2)
    (best,) = new_personal_bests([*history, better], better)
    assert (best.record, best.value, best.entry_id) == (Record.MOST_REPS, 11, better.id)
    assert new_personal_bests(history, tie) == ()


def test_only_earlier_entries_count_and_later_ones_are_ignored() -> None:
    later = rep_set("s9", 20, day=9)
    logged = rep_set("s2", 12, day=2)
    history = [rep_set("s1", 10, day=0), later]
    assert [b.record for b in new_personal_bests(history, logged)] == [Record.MOST_REPS]


def test_an_edited_entry_is_judged_against_the_others_not_its_old_self() -> None:
    original = rep_set("s2", 12, day=2)
    history = [rep_set("s1", 10, day=0), original]
    edited = Entry(**{**original.__dict__, "reps": 11})
    assert [b.value for b in new_personal_bests(history, edited)] == [11]


def test_warmups_neither_set_nor_hold_records() -> None:
    history = [rep_set("s1", 10, day=0), rep_set("s1", 30, day=0, index=1, warmup=True)]
    assert new_personal_bests(history, rep_set("s2", 30, day=2, warmup=True)) == ()
    assert len(new_personal_bests(history, rep_set("s2", 11, day=2))) == 1


def test_first_added_load_after_bodyweight_is_a_load_best() -> None:
    history = [rep_set("s1", 10, 0, day=0), rep_set("s2", 10, None, None, day=2)]
    logged = rep_set("s3", 8, 0.5, day=4)
    assert [(b.record, b.value) for b in new_personal_bests(history, logged)] == [
        (Record.TOP_LOAD, 0.5),
    ]


def test_imported_sets_sharing_a_timestamp_are_ordered_by_set_number() -> None:
    same_time = at_day(0)

    def imported(index: int, reps: int) -> Entry:
        return Entry(f"i{index}", "imp", "custom:dips", EntryKind.REP_SET, index, same_time,
                     same_time, reps=reps)

    entries = [imported(0, 8), imported(1, 12), imported(2, 10)]
    assert [b.value for b in new_personal_bests(entries, entries[1])] == [12]
    assert new_personal_bests(entries, entries[2]) == ()


def test_session_totals_are_announced_once_when_they_pass_the_old_best() -> None:
    history = [hold("s1", 30, (10, 10, 10), day=0), hold("s1", 30, (15, 15), day=0, index=1)]
    first = hold("s2", 35, (15, 12, 8), day=2, index=0)
    second = hold("s2", 30, (15, 15), day=2, index=1)
    third = hold("s2", 30, (15, 15), day=2, index=2)
    assert new_personal_bests([*history, first], first) == ()
    crossing = new_personal_bests([*history, first, second], second)
    assert [(b.record, b.value) for b in crossing] == [(Record.ACCUMULATED_HOLD, 65)]
    assert new_personal_bests([*history, first, second, third], third) == ()


def test_single_hold_best_uses_the_longest_brief_hold() -> None:
    history = [hold("s1", 30, (12, 10, 8), day=0)]
    logged = hold("s2", 20, (13, 7), day=2)
    assert [(b.record, b.value) for b in new_personal_bests(history, logged)] == [
        (Record.LONGEST_HOLD, 13),
    ]


def test_interval_work_best_is_announced_by_the_round_that_passes_it() -> None:
    history = [interval("s1", 30, index=i) for i in range(3)]
    rounds = [interval("s2", 35, 35, day=2, index=i) for i in range(3)]
    announced = [new_personal_bests([*history, *rounds[: i + 1]], r) for i, r in
                 enumerate(rounds)]
    assert [len(a) for a in announced] == [0, 0, 1]
    assert announced[2][0].value == 105


def test_stretches_never_announce_bests() -> None:
    history = [stretch("s1", 30, Side.LEFT)]
    assert new_personal_bests(history, stretch("s2", 60, Side.LEFT, day=2)) == ()


# --- properties ------------------------------------------------------------------------------


@given(st.lists(st.lists(st.integers(1, 30), min_size=1, max_size=4), min_size=1, max_size=15))
def test_series_markers_and_bests_agree_with_a_running_maximum(sessions: list[list[int]]) -> None:
    entries = [
        rep_set(f"s{day}", reps, day=day, index=index)
        for day, session_reps in enumerate(sessions)
        for index, reps in enumerate(session_reps)
    ]
    series = exercise_series(entries, "hanging-leg-raise", Metric.BEST_SET_REPS,
                             to_local=UTC_TIME)
    expected_max = [max(s) for s in sessions]
    assert [p.value for p in series.points] == expected_max
    flags = [i > 0 and v > max(expected_max[:i]) for i, v in enumerate(expected_max)]
    assert [p.personal_best for p in series.points] == flags
    best = personal_bests(entries)["hanging-leg-raise"][0]
    assert best.value == max(expected_max)
    assert best.session_id == f"s{expected_max.index(max(expected_max))}"


# --- formatting ------------------------------------------------------------------------------


def test_values_read_as_people_say_them() -> None:
    assert format_value(1, "reps") == "1 rep"
    assert format_value(12, "reps") == "12 reps"
    assert format_value(12.5, "kg") == "12.5 kg"
    assert format_value(4.5359237, "kg") == "4.54 kg"
    assert format_value(10, "lb") == "10 lb"
    assert format_value(22.6796, "kg") == "22.7 kg"
    assert format_value(1349.234, "lb") == "1349 lb"
    assert format_value(45.2, "s") == "45.2 s"
    assert format_value(29.96, "s") == "30 s"
    assert format_value(75.4, "s") == "75 s"
    assert format_value(7.5, "s") == "7.5 s"
    assert format_duration(125) == "2 min 5 s"
    assert format_duration(180) == "3 min"
    assert format_day(date(2026, 3, 3)) == "Tue 3 Mar 2026"
