"""The knee-to-chest tightness check: results per side over time."""

from __future__ import annotations

import pytest

from hipflex_desktop.domain.history import Side
from hipflex_desktop.domain.selftest import (
    SELF_TEST_STEPS,
    Outcome,
    SelfTestResult,
    Trend,
    record_result,
    summarise,
)

P, L = Outcome.PASSED, Outcome.OTHER_LEG_LIFTED


def results(side: Side, outcomes: list[Outcome], start: float = 1000.0) -> list[SelfTestResult]:
    return [
        SelfTestResult(f"{side.value}{i}", start + i * 86400, side, outcome)
        for i, outcome in enumerate(outcomes)
    ]


def test_nothing_recorded_yet() -> None:
    summary = summarise([])
    assert summary.left.latest is None
    assert summary.right.trend is Trend.UNKNOWN
    assert summary.left.pass_rate is None
    assert not summary.both_passed
    assert summary.headline().startswith("Not checked yet")
    assert len(SELF_TEST_STEPS) == 4


def test_latest_result_per_side_regardless_of_input_order() -> None:
    data = results(Side.LEFT, [L, L, P]) + results(Side.RIGHT, [P, L])
    summary = summarise(reversed(data))
    assert summary.left.latest is not None
    assert summary.left.latest.id == "left2"
    right_latest = summary.side(Side.RIGHT).latest
    assert right_latest is not None
    assert right_latest.outcome is L
    assert [r.id for r in summary.left.recent] == ["left0", "left1", "left2"]
    assert summary.headline() == (
        "Last check: the right leg lifted, so give that side a little extra."
    )


@pytest.mark.parametrize(
    ("outcomes", "trend"),
    [
        ([P], Trend.UNKNOWN),
        ([L, P], Trend.IMPROVING),
        ([P, L], Trend.WORSENING),
        ([P, P, P], Trend.STEADY),
        ([L, L, L, P, L, P], Trend.IMPROVING),
        ([P, L, P, L], Trend.STEADY),
        # Only the last six count: four old failures are out of the window.
        ([L, L, L, L, P, P, P, P, P, P], Trend.STEADY),
    ],
)
def test_trend_compares_the_newer_half_with_the_older(
    outcomes: list[Outcome], trend: Trend
) -> None:
    assert summarise(results(Side.LEFT, outcomes)).left.trend is trend


def test_both_sides_passing() -> None:
    summary = summarise(results(Side.LEFT, [L, P]) + results(Side.RIGHT, [P]))
    assert summary.both_passed
    assert summary.headline() == "Last check: both legs stayed down."
    assert summary.left.pass_rate == 0.5


def test_both_sides_lifting() -> None:
    summary = summarise(results(Side.LEFT, [L]) + results(Side.RIGHT, [L]))
    assert "both legs lifted" in summary.headline()


def test_results_survive_a_round_trip() -> None:
    result = record_result(Side.RIGHT, L, at=12345.5, note="after a long drive")
    assert SelfTestResult.from_dict(result.to_dict()) == result
    plain = record_result(Side.LEFT, P, at=1.0)
    assert "note" not in plain.to_dict()
    assert plain.id != result.id
    assert Outcome.PASSED.label == "Stayed down"
