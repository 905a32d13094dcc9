"""What a block of work asks for: sets, reps, holds, intervals, sides and rest.

One type serves both a movement's default (from the catalog) and a workout
block (from the builder), so the builder can start from the catalog's figures
and the engine only has to understand one shape. Validation returns every
problem at once, keyed by field, so forms can show each message inline.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a movement is timed and logged."""

    REPS = "reps"
    HOLD = "hold"
    INTERVAL = "interval"
    PER_SIDE = "per_side"

    @property
    def label(self) -> str:
        return {
            Kind.REPS: "reps",
            Kind.HOLD: "hold",
            Kind.INTERVAL: "interval",
            Kind.PER_SIDE: "per side",
        }[self]


# Limits shared by the builder form, the catalog loader and the CLI.
SETS_RANGE = (1, 20)
REPS_RANGE = (1, 100)
HOLD_RANGE = (1, 600)
WORK_REST_RANGE = (1, 3600)
ROUNDS_RANGE = (1, 50)
REST_BETWEEN_SETS_RANGE = (0, 3600)
TRANSITION_RANGE = (0, 120)


@dataclass(frozen=True)
class FieldError:
    """One invalid field and a sentence a person can act on."""

    field: str
    message: str


@dataclass(frozen=True)
class Prescription:
    """The dose for one block. Which fields matter depends on the movement's kind.

    - reps: ``sets`` x ``reps_min``-``reps_max``; optional ``top_hold_seconds`` tempo cue.
    - hold: ``sets`` x ``hold_seconds``; with ``accumulate`` the target is a total
      built from brief holds of ``brief_hold_min``-``brief_hold_max`` seconds.
    - interval: ``rounds`` x (``work_seconds`` on, ``interval_rest_seconds`` off).
    - per_side: ``sets`` x ``side_seconds`` on each side, ``transition_seconds`` between.
    ``rest_seconds`` is the rest after each set (or round block) for every kind.
    """

    sets: int = 1
    reps_min: int | None = None
    reps_max: int | None = None
    top_hold_seconds: int | None = None
    hold_seconds: int | None = None
    accumulate: bool = False
    brief_hold_min: int | None = None
    brief_hold_max: int | None = None
    work_seconds: int | None = None
    interval_rest_seconds: int | None = None
    rounds: int | None = None
    side_seconds: int | None = None
    transition_seconds: int = 0
    rest_seconds: int = 0
    note: str = ""

    def with_changes(self, **changes: Any) -> Prescription:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready mapping without the fields that are unset."""
        return {k: v for k, v in asdict(self).items() if v is not None and v != ""}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Prescription:
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown prescription field(s): {', '.join(unknown)}")
        return cls(**data)

    def summary(self, kind: Kind) -> str:
        """Short human form, e.g. ``3 x 8-10``, ``3 x 30 s on / 30 s off``."""
        if kind is Kind.REPS:
            reps = _range_text(self.reps_min, self.reps_max)
            text = f"{self.sets} × {reps} reps"
            if self.top_hold_seconds:
                text += f", pause {self.top_hold_seconds} s at the top"
        elif kind is Kind.HOLD:
            if self.accumulate:
                text = f"{self.hold_seconds} s total in brief holds"
                if self.brief_hold_min and self.brief_hold_max:
                    text += f" of {self.brief_hold_min}–{self.brief_hold_max} s"
                if self.sets > 1:
                    text = f"{self.sets} × {text}"
            else:
                text = f"{self.sets} × {self.hold_seconds} s hold"
        elif kind is Kind.INTERVAL:
            text = f"{self.rounds} × {self.work_seconds} s on"
            if self.interval_rest_seconds:
                text += f" / {self.interval_rest_seconds} s off"
        else:
            text = f"{self.sets} × {self.side_seconds} s per side"
        if self.rest_seconds:
            text += f", rest {self.rest_seconds} s"
        return text

    def validate(self, kind: Kind) -> list[FieldError]:
        """Every rule the builder enforces; an empty list means the block can be saved."""
        errors: list[FieldError] = []
        _check_range(errors, "sets", self.sets, SETS_RANGE, "Sets")
        _check_range(
            errors, "rest_seconds", self.rest_seconds, REST_BETWEEN_SETS_RANGE, "Rest between sets"
        )
        if kind is Kind.REPS:
            _require(errors, "reps_min", self.reps_min, REPS_RANGE, "Minimum reps")
            _require(errors, "reps_max", self.reps_max, REPS_RANGE, "Maximum reps")
            if (
                self.reps_min is not None
                and self.reps_max is not None
                and self.reps_min > self.reps_max
            ):
                errors.append(
                    FieldError("reps_max", "Maximum reps must be at least the minimum.")
                )
            if self.top_hold_seconds is not None:
                _check_range(
                    errors, "top_hold_seconds", self.top_hold_seconds, (1, 10), "Pause at the top"
                )
        elif kind is Kind.HOLD:
            label = "Total hold" if self.accumulate else "Hold"
            _require(errors, "hold_seconds", self.hold_seconds, HOLD_RANGE, label)
            if self.accumulate:
                for name, value in (
                    ("brief_hold_min", self.brief_hold_min),
                    ("brief_hold_max", self.brief_hold_max),
                ):
                    if value is not None:
                        _check_range(errors, name, value, HOLD_RANGE, "Brief hold")
                if (
                    self.brief_hold_min is not None
                    and self.brief_hold_max is not None
                    and self.brief_hold_min > self.brief_hold_max
                ):
                    errors.append(
                        FieldError(
                            "brief_hold_max",
                            "The longest brief hold must be at least the shortest.",
                        )
                    )
        elif kind is Kind.INTERVAL:
            _require(errors, "work_seconds", self.work_seconds, WORK_REST_RANGE, "Work")
            _require(
                errors, "interval_rest_seconds", self.interval_rest_seconds, WORK_REST_RANGE, "Rest"
            )
            _require(errors, "rounds", self.rounds, ROUNDS_RANGE, "Rounds")
        else:
            _require(errors, "side_seconds", self.side_seconds, HOLD_RANGE, "Time per side")
            _check_range(
                errors, "transition_seconds", self.transition_seconds, TRANSITION_RANGE,
                "Switch time",
            )
        return errors


def _range_text(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "?"
    if low == high or high is None:
        return str(low)
    if low is None:
        return str(high)
    return f"{low}–{high}"


def _require(
    errors: list[FieldError], name: str, value: int | None, bounds: tuple[int, int], label: str
) -> None:
    if value is None:
        errors.append(FieldError(name, f"{label} is required."))
        return
    _check_range(errors, name, value, bounds, label)


def _check_range(
    errors: list[FieldError], name: str, value: int, bounds: tuple[int, int], label: str
) -> None:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(FieldError(name, f"{label} must be a whole number."))
    elif not low <= value <= high:
        unit = "" if name in {"sets", "reps_min", "reps_max", "rounds"} else " s"
        errors.append(FieldError(name, f"{label} must be between {low} and {high}{unit}."))


