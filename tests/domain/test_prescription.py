"""Every rule of ``Prescription.validate``, tested on both sides of each boundary."""

from __future__ import annotations

from typing import Any

import pytest

from hipflex_desktop.domain.prescription import (
    HOLD_RANGE,
    REPS_RANGE,
    ROUNDS_RANGE,
    SETS_RANGE,
    WORK_REST_RANGE,
    FieldError,
    Kind,
    Prescription,
)

# A valid starting point for each kind; each test changes one field.
VALID: dict[Kind, Prescription] = {
    Kind.REPS: Prescription(sets=3, reps_min=8, reps_max=10),
    Kind.HOLD: Prescription(sets=2, hold_seconds=30),
    Kind.INTERVAL: Prescription(rounds=3, work_seconds=30, interval_rest_seconds=30),
    Kind.PER_SIDE: Prescription(sets=2, side_seconds=30, transition_seconds=5),
}
ACCUMULATED = Prescription(
    sets=2, hold_seconds=30, accumulate=True, brief_hold_min=5, brief_hold_max=15
)


def fields_in(errors: list[FieldError]) -> list[str]:
    return [e.field for e in errors]


def check(kind: Kind, base: Prescription, field: str, value: Any, ok: bool) -> None:
    errors = base.with_changes(**{field: value}).validate(kind)
    if ok:
        assert errors == [], (field, value, errors)
    else:
        assert fields_in(errors) == [field], (field, value, errors)
        assert errors[0].message.endswith("."), "messages are full sentences"


def boundary_cases(bounds: tuple[int, int]) -> list[tuple[int, bool]]:
    low, high = bounds
    return [(low - 1, False), (low, True), (high, True), (high + 1, False)]


def test_the_valid_examples_are_valid() -> None:
    for kind, prescription in VALID.items():
        assert prescription.validate(kind) == []
    assert ACCUMULATED.validate(Kind.HOLD) == []


def test_documented_limits() -> None:
    assert SETS_RANGE == (1, 20)
    assert REPS_RANGE == (1, 100)
    assert HOLD_RANGE == (1, 600)
    assert WORK_REST_RANGE == (1, 3600)
    assert ROUNDS_RANGE == (1, 50)


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize(("value", "ok"), boundary_cases((1, 20)))
def test_sets_between_1_and_20_for_every_kind(kind: Kind, value: int, ok: bool) -> None:
    check(kind, VALID[kind], "sets", value, ok)


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize(("value", "ok"), boundary_cases((0, 3600)))
def test_rest_between_sets_0_to_3600_for_every_kind(kind: Kind, value: int, ok: bool) -> None:
    check(kind, VALID[kind], "rest_seconds", value, ok)


@pytest.mark.parametrize("field", ["reps_min", "reps_max"])
@pytest.mark.parametrize(("value", "ok"), boundary_cases((1, 100)))
def test_reps_between_1_and_100(field: str, value: int, ok: bool) -> None:
    # Keep min <= max so only the range rule is under test.
    base = Prescription(sets=3, reps_min=1, reps_max=100)
    if field == "reps_min" and value == 101:
        base = base.with_changes(reps_max=101)
        errors = base.with_changes(reps_min=101).validate(Kind.REPS)
        assert fields_in(errors) == ["reps_min", "reps_max"]
        return
    if field == "reps_max" and value == 0:
        base = base.with_changes(reps_min=0)
        errors = base.with_changes(reps_max=0).validate(Kind.REPS)
        assert fields_in(errors) == ["reps_min", "reps_max"]
        return
    check(Kind.REPS, base, field, value, ok)


def test_reps_min_may_not_exceed_max() -> None:
    errors = VALID[Kind.REPS].with_changes(reps_min=11, reps_max=10).validate(Kind.REPS)
    assert fields_in(errors) == ["reps_max"]
    assert "at least the minimum" in errors[0].message
    assert VALID[Kind.REPS].with_changes(reps_min=10, reps_max=10).validate(Kind.REPS) == []


@pytest.mark.parametrize("field", ["reps_min", "reps_max"])
def test_reps_are_required(field: str) -> None:
    errors = VALID[Kind.REPS].with_changes(**{field: None}).validate(Kind.REPS)
    assert fields_in(errors) == [field]
    assert "required" in errors[0].message


@pytest.mark.parametrize(("value", "ok"), [*boundary_cases((1, 10)), (None, True)])
def test_pause_at_the_top_is_optional_and_1_to_10(value: int | None, ok: bool) -> None:
    check(Kind.REPS, VALID[Kind.REPS], "top_hold_seconds", value, ok)


@pytest.mark.parametrize("base", [VALID[Kind.HOLD], ACCUMULATED], ids=["single", "accumulated"])
@pytest.mark.parametrize(("value", "ok"), boundary_cases((1, 600)))
def test_hold_between_1_and_600_s(base: Prescription, value: int, ok: bool) -> None:
    check(Kind.HOLD, base, "hold_seconds", value, ok)


def test_hold_is_required_and_labelled_by_mode() -> None:
    single = VALID[Kind.HOLD].with_changes(hold_seconds=None).validate(Kind.HOLD)
    assert fields_in(single) == ["hold_seconds"]
    assert single[0].message == "Hold is required."
    total = ACCUMULATED.with_changes(hold_seconds=None).validate(Kind.HOLD)
    assert total[0].message == "Total hold is required."


@pytest.mark.parametrize("field", ["brief_hold_min", "brief_hold_max"])
@pytest.mark.parametrize(("value", "ok"), boundary_cases((1, 600)))
def test_brief_holds_between_1_and_600_s(field: str, value: int, ok: bool) -> None:
    base = ACCUMULATED.with_changes(brief_hold_min=1, brief_hold_max=600)
    if (field, value) == ("brief_hold_min", 601):
        errors = base.with_changes(brief_hold_min=601, brief_hold_max=601).validate(Kind.HOLD)
        assert fields_in(errors) == ["brief_hold_min", "brief_hold_max"]
        return
    if (field, value) == ("brief_hold_max", 0):
        errors = base.with_changes(brief_hold_min=0, brief_hold_max=0).validate(Kind.HOLD)
        assert fields_in(errors) == ["brief_hold_min", "brief_hold_max"]
        return
    check(Kind.HOLD, base, field, value, ok)


def test_brief_hold_min_may_not_exceed_max() -> None:
    errors = ACCUMULATED.with_changes(brief_hold_min=16).validate(Kind.HOLD)
    assert fields_in(errors) == ["brief_hold_max"]
    assert ACCUMULATED.with_changes(brief_hold_min=15).validate(Kind.HOLD) == []


def test_brief_holds_are_optional_and_ignored_without_accumulate() -> None:
    assert ACCUMULATED.with_changes(brief_hold_min=None, brief_hold_max=None).validate(
        Kind.HOLD
    ) == []
    single = VALID[Kind.HOLD].with_changes(brief_hold_min=0, brief_hold_max=9999)
    assert single.validate(Kind.HOLD) == []


@pytest.mark.parametrize("field", ["work_seconds", "interval_rest_seconds"])
@pytest.mark.parametrize(("value", "ok"), boundary_cases((1, 3600)))
def test_work_and_rest_between_1_and_3600_s(field: str, value: int, ok: bool) -> None:
    check(Kind.INTERVAL, VALID[Kind.INTERVAL], field, value, ok)


@pytest.mark.parametrize(("value", "ok"), boundary_cases((1, 50)))
def test_rounds_between_1_and_50(value: int, ok: bool) -> None:
    check(Kind.INTERVAL, VALID[Kind.INTERVAL], "rounds", value, ok)


@pytest.mark.parametrize("field", ["work_seconds", "interval_rest_seconds", "rounds"])
def test_interval_fields_are_required(field: str) -> None:
    errors = VALID[Kind.INTERVAL].with_changes(**{field: None}).validate(Kind.INTERVAL)
    assert fields_in(errors) == [field]


@pytest.mark.parametrize(("value", "ok"), boundary_cases((1, 600)))
def test_time_per_side_between_1_and_600_s(value: int, ok: bool) -> None:
    check(Kind.PER_SIDE, VALID[Kind.PER_SIDE], "side_seconds", value, ok)


def test_time_per_side_is_required() -> None:
    errors = VALID[Kind.PER_SIDE].with_changes(side_seconds=None).validate(Kind.PER_SIDE)
    assert fields_in(errors) == ["side_seconds"]


@pytest.mark.parametrize(("value", "ok"), boundary_cases((0, 120)))
def test_switch_time_between_0_and_120_s(value: int, ok: bool) -> None:
    check(Kind.PER_SIDE, VALID[Kind.PER_SIDE], "transition_seconds", value, ok)


@pytest.mark.parametrize("value", [True, 2.5, "3"])
def test_sets_must_be_a_whole_number(value: Any) -> None:
    errors = VALID[Kind.REPS].with_changes(sets=value).validate(Kind.REPS)
    assert fields_in(errors) == ["sets"]
    assert "whole number" in errors[0].message


def test_fields_of_other_kinds_are_not_checked() -> None:
    """The builder may keep stale values from another kind; only the current kind counts."""
    stale = VALID[Kind.REPS].with_changes(hold_seconds=0, rounds=0, side_seconds=0)
    assert stale.validate(Kind.REPS) == []


def test_every_problem_is_reported_at_once() -> None:
    broken = Prescription(sets=0, rest_seconds=-1, reps_min=None, reps_max=200)
    assert fields_in(broken.validate(Kind.REPS)) == [
        "sets", "rest_seconds", "reps_min", "reps_max"
    ]


def test_messages_name_the_limits_and_units() -> None:
    (sets,) = VALID[Kind.REPS].with_changes(sets=21).validate(Kind.REPS)
    assert sets.message == "Sets must be between 1 and 20."
    (hold,) = VALID[Kind.HOLD].with_changes(hold_seconds=601).validate(Kind.HOLD)
    assert hold.message == "Hold must be between 1 and 600 s."


def test_summaries() -> None:
    assert VALID[Kind.REPS].with_changes(top_hold_seconds=2, rest_seconds=90).summary(
        Kind.REPS
    ) == "3 × 8–10 reps, pause 2 s at the top, rest 90 s"
    assert Prescription(sets=3, reps_min=10, reps_max=10).summary(Kind.REPS) == "3 × 10 reps"
    assert ACCUMULATED.summary(Kind.HOLD) == "2 × 30 s total in brief holds of 5–15 s"
    assert VALID[Kind.HOLD].summary(Kind.HOLD) == "2 × 30 s hold"
    assert VALID[Kind.INTERVAL].summary(Kind.INTERVAL) == "3 × 30 s on / 30 s off"
    assert VALID[Kind.PER_SIDE].summary(Kind.PER_SIDE) == "2 × 30 s per side"


def test_dict_round_trip_drops_unset_fields() -> None:
    data = ACCUMULATED.to_dict()
    assert "reps_min" not in data
    assert "note" not in data
    assert data["accumulate"] is True
    assert Prescription.from_dict(data) == ACCUMULATED


def test_from_dict_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError, match="speed"):
        Prescription.from_dict({"sets": 3, "speed": 2})


def test_kind_labels() -> None:
    assert [k.label for k in Kind] == ["reps", "hold", "interval", "per side"]
