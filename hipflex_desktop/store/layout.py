"""Where each file lives in the data folder, and how a year of history is laid out.

::

    <data dir>/
      store.json                 manifest: schema_version of the whole store
      hipflex.lock               one writer at a time (see lock.py)
      session-in-progress.json   the session being trained right now (small, rewritten per set)
      history/<year>.json        finished sessions and their entries, one TinyDB file per year
      exercises.json             custom exercises (names met in imports)
      workouts.json              custom workouts (store/workouts.py)
      pending-change.json        only while a change spanning several files is applied
      *.bak                      last good copy of each file

The year of a session is the UTC calendar year of its start, so a session never
changes file when the computer's time zone changes.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from hipflex_desktop.store.schema import (
    KIND_HISTORY_YEAR,
    Document,
    Tables,
    numbered,
    tables_with_meta,
)

MANIFEST_FILE = "store.json"
JOURNAL_FILE = "session-in-progress.json"
HISTORY_DIR = "history"
EXERCISES_FILE = "exercises.json"
PENDING_FILE = "pending-change.json"
LEGACY_HISTORY_FILE = "history.json"  # schema version 1

_YEAR_FILE = re.compile(r"^(\d{4})\.json$")


def year_of(timestamp: float) -> int:
    return time.gmtime(timestamp).tm_year


def history_dir(data_dir: Path) -> Path:
    return data_dir / HISTORY_DIR


def year_path(data_dir: Path, year: int) -> Path:
    return history_dir(data_dir) / f"{year:04d}.json"


def year_files(data_dir: Path) -> dict[int, Path]:
    """Year files present on disk (or with only a backup left), by year."""
    folder = history_dir(data_dir)
    found: dict[int, Path] = {}
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return found
    for name in names:
        base = name.removesuffix(".bak")
        match = _YEAR_FILE.match(base)
        if match:
            found[int(match.group(1))] = folder / base
    return dict(sorted(found.items()))


@dataclass
class YearData:
    """One year of finished history in memory, kept as the raw stored documents.

    Documents stay as dicts (not ``Session``/``Entry`` objects) so opening ten
    years costs one JSON parse, not 25,000 object constructions.
    """

    year: int
    sessions: dict[str, Document] = field(default_factory=dict)  # id -> document
    entries: dict[str, list[Document]] = field(default_factory=dict)  # session id -> in order

    def copy(self) -> YearData:
        return YearData(
            self.year,
            dict(self.sessions),
            {sid: list(docs) for sid, docs in self.entries.items()},
        )

    def entry_count(self) -> int:
        return sum(len(docs) for docs in self.entries.values())

    def to_tables(self) -> Tables:
        ordered = sorted(self.sessions.values(), key=lambda d: (d["started_at"], d["id"]))
        entries: list[Document] = []
        for session in ordered:
            entries.extend(self.entries.get(session["id"], ()))
        return tables_with_meta(
            KIND_HISTORY_YEAR,
            {"sessions": numbered(ordered), "entries": numbered(entries)},
            year=self.year,
        )

    @classmethod
    def from_tables(cls, year: int, tables: Tables) -> YearData:
        data = cls(year)
        for doc in tables["sessions"].values():
            data.sessions[doc["id"]] = doc
            data.entries.setdefault(doc["id"], [])
        for doc in tables["entries"].values():
            data.entries[doc["session_id"]].append(doc)
        return data
