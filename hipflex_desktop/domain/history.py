"""What a person did: sessions and the entries logged in them.

These records are shared by the session engine (which produces them), the
store (which keeps them durably) and the analytics (which read them). Times
are wall-clock POSIX seconds (UTC) so history survives reboots and time zones;
``docs/data-format.md`` documents the stored form.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class EntryKind(StrEnum):
    REP_SET = "rep_set"
    HOLD = "hold"
    INTERVAL_ROUND = "interval_round"
    PER_SIDE = "per_side"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Entry:
    """One logged set, hold, interval round or per-side stretch.

    Only the fields of its ``kind`` are set:
    - rep_set: ``reps``, ``load`` (added weight, 0 for bodyweight), ``unit`` ("kg"/"lb"),
      optional ``rpe`` and ``note``;
    - hold: ``duration_s``; for accumulated holds also ``holds_s`` (each single hold);
    - interval_round: ``work_s`` done and ``planned_s``;
    - per_side: ``side`` and ``duration_s``.

    Imported sets may also carry ``distance``/``distance_unit``, and a rep set
    imported with a time keeps it in ``duration_s``, so no imported figure is lost.
    """

    id: str
    session_id: str
    exercise_id: str
    kind: EntryKind
    set_index: int
    started_at: float
    ended_at: float
    warmup: bool = False
    reps: int | None = None
    load: float | None = None
    unit: str | None = None
    rpe: float | None = None
    note: str = ""
    duration_s: float | None = None
    holds_s: tuple[float, ...] = ()
    work_s: float | None = None
    planned_s: float | None = None
    side: Side | None = None
    set_type: str = "normal"  # normal | warmup | drop | failure (kept from imports)
    # Kept from imports of other apps' sets (e.g. a farmer's walk); never produced here.
    distance: float | None = None
    distance_unit: str | None = None  # "m" | "km" | "mi"

    def to_dict(self) -> dict[str, Any]:
        """The stored form: unset (None) and default-valued fields are left out.

        Ten years hold ~25,000 entries, so every omitted key shortens the files
        to parse at start; :meth:`from_dict` restores the defaults.
        """
        data = asdict(self)
        data["kind"] = self.kind.value
        data["side"] = self.side.value if self.side else None
        data["holds_s"] = list(self.holds_s)
        return {
            k: v
            for k, v in data.items()
            if v is not None and not (k in _ENTRY_DEFAULTS and v == _ENTRY_DEFAULTS[k])
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        values = dict(data)
        values["kind"] = EntryKind(values["kind"])
        if values.get("side") is not None:
            values["side"] = Side(values["side"])
        values["holds_s"] = tuple(float(x) for x in values.get("holds_s", ()))
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in values.items() if k in known})


_ENTRY_DEFAULTS: dict[str, Any] = {"warmup": False, "note": "", "holds_s": [], "set_type": "normal"}


@dataclass(frozen=True)
class Session:
    """A training session: which workout, when, and its notes. Entries are stored apart."""

    id: str
    workout_id: str | None
    workout_name: str
    started_at: float
    ended_at: float | None = None
    notes: str = ""
    source: str = "app"  # app | strong-csv | hevy-csv | json
    tags: tuple[str, ...] = field(default=())

    @property
    def duration_s(self) -> float | None:
        return None if self.ended_at is None else max(0.0, self.ended_at - self.started_at)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        data["duration_s"] = self.duration_s
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["tags"] = tuple(values.get("tags", ()))
        values.setdefault("workout_id", None)  # to_dict drops None, so an ad-hoc session has none
        return cls(**values)


@dataclass(frozen=True)
class CustomExercise:
    """An exercise the catalog does not know, usually met in an imported file.

    Its id is ``custom:<slug>`` (see ``hipflex_desktop.store.formats.aliases``); the
    name is kept exactly as first seen so the person recognises it.
    """

    id: str
    name: str
    source: str = "app"  # app | strong-csv | hevy-csv | json

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CustomExercise:
        return cls(
            id=str(data["id"]), name=str(data["name"]), source=str(data.get("source", "app"))
        )
