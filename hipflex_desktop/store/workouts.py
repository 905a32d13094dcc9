"""Custom workouts, kept in ``workouts.json`` (TinyDB) in the data dir.

Built-in templates are not stored: they come from resources and are merged in
by :class:`WorkoutLibrary`, which is what the UI and CLI talk to.

Hardened like the history files: every write is atomic with a last-good
``.bak``; the file carries ``_meta.schema_version``; a damaged file found when
the repository opens is moved aside and its backup used, with a notice in
:attr:`TinyWorkoutRepository.notices`; a failed write raises
:class:`~hipflex_desktop.store.errors.StorageWriteError` and changes nothing.
Each operation reads the file afresh (it is small), so several repositories
on one folder (the GUI's and an import's) never see stale data.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from tinydb import Query, TinyDB

from hipflex_desktop.domain.workouts import Workout
from hipflex_desktop.store.atomic import AtomicJSONStorage
from hipflex_desktop.store.errors import StorageWriteError
from hipflex_desktop.store.files import RecoveryNotice, load_file
from hipflex_desktop.store.schema import (
    KIND_WORKOUTS,
    META_TABLE,
    Document,
    Tables,
    meta_document,
    numbered,
    tables_with_meta,
    validate_workouts,
)

WORKOUTS_FILE = "workouts.json"


class WorkoutRepository(Protocol):
    def list(self) -> list[Workout]: ...
    def save(self, workout: Workout) -> None: ...
    def delete(self, workout_id: str) -> None: ...


def workouts_tables(docs: Sequence[Document]) -> Tables:
    """The whole ``workouts.json`` body for these stored documents (with ``order``)."""
    return tables_with_meta(KIND_WORKOUTS, {"workouts": numbered([dict(d) for d in docs])})


class _WorkoutsStorage(AtomicJSONStorage):
    """Atomic writes that stamp the format version and speak in StorageWriteError."""

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        body = {META_TABLE: {"1": meta_document(KIND_WORKOUTS)}}
        body.update((name, table) for name, table in data.items() if name != META_TABLE)
        try:
            super().write(body)
        except OSError as exc:
            raise StorageWriteError.from_os_error(self._path, exc) from None


class TinyWorkoutRepository:
    """Workouts as one TinyDB document each; ``order`` keeps the user's list order."""

    def __init__(self, data_dir: Path) -> None:
        path = Path(data_dir) / WORKOUTS_FILE
        self.notices: list[RecoveryNotice] = self._check_file(path)
        self._db = TinyDB(path, storage=_WorkoutsStorage)
        self._table = self._db.table("workouts", cache_size=0)

    @staticmethod
    def _check_file(path: Path) -> list[RecoveryNotice]:
        """Move a damaged file aside and put its backup in place before TinyDB reads it."""
        writable = os.access(path.parent, os.W_OK)
        loaded = load_file(
            path,
            kind=KIND_WORKOUTS,
            label="your custom workouts",
            validator=validate_workouts,
            repair=writable,
            clock=time.time,
            meta_optional=True,
        )
        return list(loaded.notices)

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
            doc["order"] = max((d.get("order", 0) for d in self._table.all()), default=-1) + 1
            self._table.insert(doc)
        else:
            assert isinstance(existing, dict)
            doc["order"] = existing.get("order", 0)
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
