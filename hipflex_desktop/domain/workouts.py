"""Workout plans: an ordered list of blocks, each a movement with its prescription.

Built-in templates ship as data (``resources/workouts/*.toml``) and are read-only;
custom workouts come from the store. Both share this model so the runner and
the CLI never care where a workout came from.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.prescription import FieldError, Prescription

NAME_MAX_LENGTH = 80


@dataclass(frozen=True)
class Block:
    movement_id: str
    prescription: Prescription
    fallback_movement_id: str | None = None  # e.g. lying leg raise when hanging is too hard
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "movement_id": self.movement_id,
            "prescription": self.prescription.to_dict(),
        }
        if self.fallback_movement_id:
            data["fallback_movement_id"] = self.fallback_movement_id
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        return cls(
            movement_id=str(data["movement_id"]),
            prescription=Prescription.from_dict(dict(data.get("prescription", {}))),
            fallback_movement_id=data.get("fallback_movement_id"),
            note=str(data.get("note", "")),
        )


@dataclass(frozen=True)
class Workout:
    id: str
    name: str
    blocks: tuple[Block, ...]
    builtin: bool = False
    description: str = ""
    tags: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "builtin": self.builtin,
            "description": self.description,
            "tags": list(self.tags),
            "blocks": [b.to_dict() for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Workout:
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            builtin=bool(data.get("builtin", False)),
            description=str(data.get("description", "")),
            tags=tuple(str(t) for t in data.get("tags", ())),
            blocks=tuple(Block.from_dict(b) for b in data.get("blocks", ())),
        )

    def renamed(self, name: str) -> Workout:
        return replace(self, name=name)

    def duplicated(self, name: str) -> Workout:
        """An editable copy with a fresh id (how a built-in template becomes custom)."""
        return replace(self, id=new_workout_id(), name=name, builtin=False)


def new_workout_id() -> str:
    return "custom-" + uuid.uuid4().hex[:12]


def normalised_name(name: str) -> str:
    """Names compare case- and space-insensitively for uniqueness."""
    return re.sub(r"\s+", " ", name).strip().casefold()


def validate_name(name: str, workout_id: str, others: Iterable[Workout]) -> list[FieldError]:
    clean = normalised_name(name)
    if not clean:
        return [FieldError("name", "Give the workout a name.")]
    if len(name.strip()) > NAME_MAX_LENGTH:
        return [FieldError("name", f"Keep the name under {NAME_MAX_LENGTH} characters.")]
    for other in others:
        if other.id != workout_id and normalised_name(other.name) == clean:
            return [FieldError("name", f"A workout called “{other.name}” already exists.")]
    return []


def validate_workout(
    workout: Workout, catalog: Catalog, others: Iterable[Workout]
) -> list[tuple[int | None, FieldError]]:
    """All problems in a workout: ``(block_index or None, error)`` pairs."""
    problems: list[tuple[int | None, FieldError]] = [
        (None, e) for e in validate_name(workout.name, workout.id, others)
    ]
    if not workout.blocks:
        problems.append((None, FieldError("blocks", "Add at least one exercise.")))
    for index, block in enumerate(workout.blocks):
        movement = catalog.find(block.movement_id)
        if movement is None:
            problems.append(
                (index, FieldError("movement_id", f"Unknown exercise '{block.movement_id}'."))
            )
            continue
        problems.extend((index, e) for e in block.prescription.validate(movement.kind))
    return problems
