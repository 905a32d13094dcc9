"""The knee-to-chest tightness check: results per side and how they change over time.

The check: lie on your back with both legs straight, hug one knee in to your chest,
and watch the other leg. If it stays flat on the floor the hip flexors on that side
have room; if its thigh rises off the floor they are probably tight. Each side is
tested on its own and recorded with the time, so the trend can be followed while
strength work and stretching do their job. The caller stores the results
(``to_dict``/``from_dict``); everything here is pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hipflex_desktop.domain.history import Side, new_id

# Steps for the person, in the app's own words.
SELF_TEST_STEPS = (
    "Lie on your back on a firm surface with both legs straight.",
    "Hug one knee in towards your chest with both hands and let your back settle flat.",
    "Look at the other leg: does the back of that thigh stay on the floor, or does it rise?",
    "Note the result, then swap legs and check the other side.",
)
SELF_TEST_MEANING = (
    "A thigh that rises off the floor hints that the hip flexors on that side are tight. "
    "It is a rough check, not a diagnosis: compare yourself with yourself over the weeks."
)
TREND_WINDOW = 6


class Outcome(StrEnum):
    PASSED = "passed"  # the straight leg stayed on the floor
    OTHER_LEG_LIFTED = "other_leg_lifted"

    @property
    def label(self) -> str:
        return "Stayed down" if self is Outcome.PASSED else "Leg lifted"


class Trend(StrEnum):
    IMPROVING = "improving"
    STEADY = "steady"
    WORSENING = "worsening"
    UNKNOWN = "unknown"  # fewer than two results on that side


@dataclass(frozen=True)
class SelfTestResult:
    """One side checked once; ``at`` is POSIX seconds.

    ``side`` is the hip being checked: the leg that lies straight on the floor while
    the *other* knee is hugged in (so "left" means the right knee was pulled in).
    """

    id: str
    at: float
    side: Side
    outcome: Outcome
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "at": self.at, "side": self.side.value, "outcome": self.outcome.value,
        }
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SelfTestResult:
        return cls(
            id=str(data["id"]),
            at=float(data["at"]),
            side=Side(data["side"]),
            outcome=Outcome(data["outcome"]),
            note=str(data.get("note", "")),
        )


def record_result(side: Side, outcome: Outcome, at: float, note: str = "") -> SelfTestResult:
    """A new result with a fresh id (the time comes from the caller's clock)."""
    return SelfTestResult(new_id(), at, side, outcome, note)


@dataclass(frozen=True)
class SideSummary:
    """One side over time: the latest result, the trend and the results it is based on."""

    side: Side
    latest: SelfTestResult | None
    trend: Trend
    recent: tuple[SelfTestResult, ...]  # oldest first, at most TREND_WINDOW

    @property
    def pass_rate(self) -> float | None:
        if not self.recent:
            return None
        return sum(r.passed for r in self.recent) / len(self.recent)


@dataclass(frozen=True)
class SelfTestSummary:
    left: SideSummary
    right: SideSummary

    def side(self, side: Side) -> SideSummary:
        return self.left if side is Side.LEFT else self.right

    @property
    def both_passed(self) -> bool:
        """Whether the latest result on each side was a pass."""
        return all(s.latest is not None and s.latest.passed for s in (self.left, self.right))

    def headline(self) -> str:
        """One sentence for the dashboard."""
        if self.left.latest is None and self.right.latest is None:
            return "Not checked yet: the knee-to-chest check takes a minute."
        lifted = [s.side.value for s in (self.left, self.right)
                  if s.latest is not None and not s.latest.passed]
        if not lifted:
            return "Last check: both legs stayed down."
        if len(lifted) == 2:
            return "Last check: both legs lifted, so keep up the strength work and stretching."
        return f"Last check: the {lifted[0]} leg lifted, so give that side a little extra."


def _trend(results: list[SelfTestResult]) -> Trend:
    """Pass rate of the newer half of the window against the older half."""
    if len(results) < 2:
        return Trend.UNKNOWN
    half = len(results) // 2
    older, newer = results[: len(results) - half], results[len(results) - half:]
    old_rate = sum(r.passed for r in older) / len(older)
    new_rate = sum(r.passed for r in newer) / len(newer)
    if new_rate > old_rate:
        return Trend.IMPROVING
    if new_rate < old_rate:
        return Trend.WORSENING
    return Trend.STEADY


def summarise(results: Iterable[SelfTestResult], window: int = TREND_WINDOW) -> SelfTestSummary:
    """Latest result and trend per side over the last ``window`` results of that side.

    The trend compares the pass rate of the newer half of the window with the older
    half (the middle result goes to the older half when the count is odd), so one
    early failure followed by passes reads as improving.
    """
    by_side: dict[Side, list[SelfTestResult]] = {Side.LEFT: [], Side.RIGHT: []}
    for result in sorted(results, key=lambda r: (r.at, r.id)):
        by_side[result.side].append(result)
    summaries = []
    for side in (Side.LEFT, Side.RIGHT):
        recent = by_side[side][-window:]
        summaries.append(
            SideSummary(side, recent[-1] if recent else None, _trend(recent), tuple(recent))
        )
    return SelfTestSummary(summaries[0], summaries[1])
