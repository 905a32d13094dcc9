"""The fast entry check used at every open agrees with the careful one that explains."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipflex_desktop.store.schema import (
    SchemaError,
    _entry_looks_right,
    _explain_entry,
    check_entry,
)
from tests.store.conftest import every_kind, make_session

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.text(max_size=6),
    st.sampled_from(["rep_set", "hold", "left", "x", ""]),
    st.lists(st.one_of(st.floats(), st.integers(), st.text(max_size=2)), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
FIELDS = [
    "id", "session_id", "exercise_id", "kind", "set_index", "started_at", "ended_at", "warmup",
    "reps", "load", "unit", "rpe", "note", "duration_s", "holds_s", "work_s", "planned_s",
    "side", "set_type", "distance", "distance_unit",
]  # fmt: skip
GOOD = [e.to_dict() for e in every_kind(make_session())]


def _careful_accepts(doc: dict) -> bool:  # type: ignore[type-arg]
    try:
        _explain_entry(doc)
    except SchemaError:
        return False
    return True


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(GOOD),
    st.lists(st.tuples(st.sampled_from(FIELDS), ODD_VALUES | st.just("<delete>")), max_size=3),
)
def test_fast_and_careful_checks_agree(base: dict, changes: list) -> None:  # type: ignore[type-arg]
    doc = dict(base)
    for field, value in changes:
        if value == "<delete>":
            doc.pop(field, None)
        else:
            doc[field] = value
    assert _entry_looks_right(doc) == _careful_accepts(doc), doc


def test_every_kind_passes_and_a_bad_one_is_explained() -> None:
    for doc in GOOD:
        check_entry(doc)
    bad = {**GOOD[0], "reps": 2.5}
    with pytest.raises(SchemaError, match="reps that are not a whole number"):
        check_entry(bad)
