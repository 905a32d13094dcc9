"""The exercise library: movements loaded from TOML data files and validated.

Movements are data, not code (``resources/catalog/*.toml``), so a coach can edit
cues without touching Python. Loading is strict: a malformed file raises
:class:`CatalogError` naming the file and the field, and is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hipflex_desktop.domain.prescription import Kind, Prescription


class CatalogError(ValueError):
    """A catalog file is malformed. The message names the file and the field."""

    def __init__(self, file: str, field_name: str, problem: str) -> None:
        super().__init__(f"{file}: field '{field_name}': {problem}")
        self.file = file
        self.field_name = field_name
        self.problem = problem


@dataclass(frozen=True)
class Muscles:
    primary: tuple[str, ...]
    secondary: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        return self.primary + self.secondary


@dataclass(frozen=True)
class PrescriptionOption:
    """An alternative dose from the article, e.g. mountain climbers as a warm-up."""

    label: str
    prescription: Prescription


@dataclass(frozen=True)
class Movement:
    id: str
    name: str
    kind: Kind
    category: str  # "strength" or "stretch"
    summary: str
    muscles: Muscles
    equipment: tuple[str, ...]
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    progressions: tuple[str, ...]
    regressions: tuple[str, ...]
    prescription: Prescription
    source_note: str
    icon: str  # file name under resources/icons/movements/
    variant_of: str | None = None
    ladder: tuple[str, ...] = ()  # ordered movement ids, easiest first (e.g. L-sit rungs)
    options: tuple[PrescriptionOption, ...] = ()
    key_cue: str = ""  # the one cue the runner shows in big type
    tags: tuple[str, ...] = field(default=())

    def equipment_text(self) -> str:
        """Equipment for display; "none" in the data reads as "no equipment"."""
        return ", ".join(e for e in self.equipment if e != "none") or "no equipment"

    def to_json(self) -> dict[str, Any]:
        """The shape `hipflex catalog --json` prints (see README)."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "category": self.category,
            "summary": self.summary,
            "muscles": {"primary": list(self.muscles.primary),
                        "secondary": list(self.muscles.secondary)},
            "equipment": list(self.equipment),
            "steps": list(self.steps),
            "cues": list(self.cues),
            "mistakes": list(self.mistakes),
            "progressions": list(self.progressions),
            "regressions": list(self.regressions),
            "prescription": self.prescription.to_dict(),
            "prescription_options": [
                {"label": o.label, **o.prescription.to_dict()} for o in self.options
            ],
            "source_note": self.source_note,
            "variant_of": self.variant_of,
            "ladder": list(self.ladder),
        }


class Catalog:
    """Movements by id, in the order given (the loader sorts by each file's ``order``)."""

    def __init__(self, movements: Iterable[Movement]) -> None:
        self._by_id: dict[str, Movement] = {}
        for movement in movements:
            if movement.id in self._by_id:
                raise ValueError(f"duplicate movement id {movement.id!r}")
            self._by_id[movement.id] = movement

    def __iter__(self) -> Iterator[Movement]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, movement_id: object) -> bool:
        return movement_id in self._by_id

    def get(self, movement_id: str) -> Movement:
        try:
            return self._by_id[movement_id]
        except KeyError:
            raise KeyError(f"unknown movement id {movement_id!r}") from None

    def find(self, movement_id: str) -> Movement | None:
        return self._by_id.get(movement_id)

    def equipment(self) -> list[str]:
        return sorted({e for m in self for e in m.equipment})

    def muscles(self) -> list[str]:
        return sorted({x for m in self for x in m.muscles.all()})
