"""Custom workouts, kept in ``workouts.json`` (TinyDB) in the data dir.

Built-in templates are not stored: they come from resources and are merged in
by :class:`WorkoutLibrary`, which is what the UI and CLI talk to.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from tinydb import Query, TinyDB

from hipflex_desktop.domain.workouts import Workout
from hipflex_desktop.store.atomic import AtomicJSONStorage

WORKOUTS_FILE = "workouts.json"


class WorkoutRepository(Protocol):
    def list(self) -> list[Workout]: ...
    def save(self, workout: Workout) -> None: ...
    def delete(self, workout_id: str) -> None: ...


class TinyWorkoutRepository:
    """Workouts as one TinyDB document each; ``order`` keeps the user's list order."""

    def __init__(self, data_dir: Path) -> None:
        self._db = TinyDB(data_dir / WORKOUTS_FILE, storage=AtomicJSONStorage)
        self._table = self._db.table("workouts")

    def list(self) -> list[Workout]:
        docs = sorted(self._table.all(), key=lambda d: (d.get("order", 0), d["name"]))
        return [Workout.from_dict(dict(d)) for d in docs]

    def save(self, workout: Workout) -> None:
        if workout.builtin:
            raise ValueError("built-in workouts are read-only; duplicate them first")
        q = Query()
        existing = self._table.get(q.id == workout.id)
        doc = workout.to_dict()
        if existing is None:
            doc["order"] = len(self._table)
            self._table.insert(doc)
        else:
            doc["order"] = existing.get("order", 0)  # type: ignore[union-attr]
            self._table.update(doc, q.id == workout.id)

    def delete(self, workout_id: str) -> None:
        self._table.remove(Query().id == workout_id)

    def close(self) -> None:
        self._db.close()


class MemoryWorkoutRepository:
    """In-memory stand-in for tests and for a data dir that cannot be written."""

    def __init__(self, workouts: Sequence[Workout] = ()) -> None:
        self._workouts = {w.id: w for w in workouts}

    def list(self) -> list[Workout]:
        return list(self._workouts.values())

    def save(self, workout: Workout) -> None:
        if workout.builtin:
            raise ValueError("built-in workouts are read-only; duplicate them first")
        self._workouts[workout.id] = workout

    def delete(self, workout_id: str) -> None:
        self._workouts.pop(workout_id, None)
