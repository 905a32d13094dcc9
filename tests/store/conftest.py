"""Factories and helpers shared by the history-store tests (real files in tmp_path)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hipflex_desktop.domain.history import Entry, EntryKind, Session, Side
from hipflex_desktop.store.files import RecoveryNotice
from hipflex_desktop.store.history import HistoryStore

# 2024-03-10 09:00:00 UTC: fixed, so tests never depend on today's date.
T0 = 1_710_061_200.0
_ids = itertools.count(1)


class FakeClock:
    """Wall clock the tests move by hand; the store uses it for end times and file names."""

    def __init__(self, now: float = T0 + 86_400 * 400) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_session(started_at: float = T0, name: str = "Hip day", **changes: object) -> Session:
    values: dict[str, object] = {
        "id": f"s{next(_ids):05d}",
        "workout_id": "builtin-strength",
        "workout_name": name,
        "started_at": started_at,
    }
    values.update(changes)
    return Session(**values)  # type: ignore[arg-type]


def make_entry(
    session: Session,
    exercise_id: str = "hanging-leg-raise",
    kind: EntryKind = EntryKind.REP_SET,
    set_index: int = 0,
    **changes: object,
) -> Entry:
    start = session.started_at + 60.0 * (set_index + 1)
    values: dict[str, object] = {
        "id": f"e{next(_ids):06d}",
        "session_id": session.id,
        "exercise_id": exercise_id,
        "kind": kind,
        "set_index": set_index,
        "started_at": start,
        "ended_at": start + 30.0,
    }
    if kind is EntryKind.REP_SET:
        values.update(reps=10, load=0.0, unit="kg")
    elif kind is EntryKind.HOLD:
        values.update(duration_s=20.0)
    elif kind is EntryKind.INTERVAL_ROUND:
        values.update(work_s=30.0, planned_s=30.0)
    else:
        values.update(side=Side.LEFT, duration_s=45.0)
    values.update(changes)
    return Entry(**values)  # type: ignore[arg-type]


def every_kind(session: Session) -> list[Entry]:
    """One entry of each kind, with the optional fields filled in."""
    return [
        make_entry(
            session, "hanging-leg-raise", EntryKind.REP_SET, 0, warmup=True, set_type="warmup"
        ),
        make_entry(
            session, "hanging-leg-raise", EntryKind.REP_SET, 1, rpe=8.5, note="slow, 3 s down"
        ),
        make_entry(session, "standing-hip-flexor-raise", EntryKind.REP_SET, 0, load=7.5, unit="lb"),
        make_entry(
            session, "l-sit-hold", EntryKind.HOLD, 0, duration_s=21.5, holds_s=(7.0, 8.0, 6.5)
        ),
        make_entry(
            session, "mountain-climber", EntryKind.INTERVAL_ROUND, 0, work_s=28.0, planned_s=30.0
        ),
        make_entry(session, "pigeon-pose", EntryKind.PER_SIDE, 0, side=Side.RIGHT, duration_s=60.0),
    ]


def finished_session(
    store: HistoryStore, started_at: float = T0, n: int = 3, **kw: object
) -> tuple[Session, list[Entry]]:
    session = make_session(started_at, **kw)
    store.begin_session(session)
    entries = [make_entry(session, set_index=i) for i in range(n)]
    for entry in entries:
        store.log_entry(entry)
    return store.finish_session(started_at + 1800.0), entries


def parse_every_store_file(data_dir: Path) -> list[Path]:
    """json.loads every store file (and backup); returns them. Fails loudly on any bad one."""
    files = [
        p
        for p in data_dir.rglob("*")
        if p.is_file() and (p.name.endswith(".json") or p.name.endswith(".json.bak"))
    ]
    for path in files:
        json.loads(path.read_bytes())
    return files


def snapshot_files(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and p.name != "hipflex.lock"
    }


Opened = tuple[HistoryStore, list[RecoveryNotice]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_store(data_dir: Path, clock: FakeClock) -> Iterator[Callable[..., Opened]]:
    """Open the store in ``data_dir`` (closing every one at teardown)."""
    opened: list[HistoryStore] = []

    def _open(**kwargs: object) -> Opened:
        store, notices = HistoryStore.open(data_dir, clock=clock, **kwargs)  # type: ignore[arg-type]
        opened.append(store)
        return store, notices

    yield _open
    for store in opened:
        store.close()
