"""History store speed at 0, 1 and 10 years of history, next to raw TinyDB on the same data.

A synthetic history has 200 sessions a year of 10-15 entries each (10 years is
2,000 sessions and about 25,000 entries). For each size, in the same run:

- logging one entry: p50/p99 of ``HistoryStore.log_entry`` (durable: atomic
  replace + fsync) over many sets; for raw TinyDB, ``table.insert`` of the same
  entry document into one ``TinyDB(path)`` file holding the whole history;
- finishing a session (HistoryStore only: it rewrites that year's file);
- open: ``HistoryStore.open`` (parse, checks, lock) vs. TinyDB's first read;
- one exercise's full series: ``entries_for_exercise`` right after opening
  (index built on first use) vs. ``table.search`` on a fresh TinyDB.

    python bench/store.py [--sets 300] [--raw-inserts 20] [--runs 5] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import Query, TinyDB

from hipflex_desktop.domain.history import Entry, EntryKind, Session, Side
from hipflex_desktop.store.formats.aliases import CANONICAL_NAMES
from hipflex_desktop.store.formats.common import ImportBatch
from hipflex_desktop.store.history import HistoryStore

SESSIONS_PER_YEAR = 200
EXERCISES = sorted(CANONICAL_NAMES)
SERIES_EXERCISE = "hanging-leg-raise"
YEAR_S = 365 * 86_400.0
NOW = 1_790_000_000.0  # 2026-09: history ends here


def synthetic_history(years: int, seed: int = 7) -> tuple[list[Session], list[Entry]]:
    rng = random.Random(seed)
    sessions: list[Session] = []
    entries: list[Entry] = []
    count = years * SESSIONS_PER_YEAR
    for number in range(count):
        start = (
            NOW - years * YEAR_S + number * (years * YEAR_S / max(count, 1)) + rng.random() * 3600
        )
        session = Session(
            id=f"bench-s{number:05d}",
            workout_id="builtin-strength",
            workout_name=rng.choice(["Strength", "Mobility", "Quick hips"]),
            started_at=start,
            ended_at=start + 1800 + rng.random() * 1800,
            notes="" if rng.random() < 0.8 else "felt good",
        )
        sessions.append(session)
        for index in range(rng.randint(10, 15)):
            entries.append(_entry(rng, session, index, f"bench-e{number:05d}-{index:02d}"))
    return sessions, entries


def _entry(rng: random.Random, session: Session, index: int, entry_id: str) -> Entry:
    exercise = SERIES_EXERCISE if index % 4 == 0 else rng.choice(EXERCISES)
    start = session.started_at + 120 * index
    kind = rng.choice(list(EntryKind))
    common = {
        "id": entry_id,
        "session_id": session.id,
        "exercise_id": exercise,
        "kind": kind,
        "set_index": index,
        "started_at": start,
        "ended_at": start + 40,
        "warmup": index == 0,
    }
    if kind is EntryKind.REP_SET:
        return Entry(**common, reps=rng.randint(6, 15), load=rng.choice([0.0, 2.5, 5.0]), unit="kg")  # type: ignore[arg-type]
    if kind is EntryKind.HOLD:
        holds = tuple(rng.uniform(5, 15) for _ in range(3))
        return Entry(**common, duration_s=sum(holds), holds_s=holds)  # type: ignore[arg-type]
    if kind is EntryKind.INTERVAL_ROUND:
        return Entry(**common, work_s=30.0, planned_s=30.0)  # type: ignore[arg-type]
    return Entry(**common, side=rng.choice(list(Side)), duration_s=45.0)  # type: ignore[arg-type]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed(call: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    call(*args)
    return time.perf_counter() - start


def _raw_series(db: TinyDB) -> object:
    return db.table("entries").search(Query().exercise_id == SERIES_EXERCISE)


def bench_store(folder: Path, years: int, sets: int, runs: int) -> dict[str, float]:
    sessions, entries = synthetic_history(years)
    store, _ = HistoryStore.open(folder)
    if sessions:
        store.import_batch(ImportBatch("json", "synthetic", tuple(sessions), tuple(entries)))
    store.close()
    size_mb = (
        sum(p.stat().st_size for p in (folder / "history").glob("*.json")) / 1e6
        if sessions
        else 0.0
    )

    opens: list[float] = []
    series: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        store, _ = HistoryStore.open(folder)
        opens.append(time.perf_counter() - start)
        series.append(timed(store.entries_for_exercise, SERIES_EXERCISE))
        found = len(store.entries_for_exercise(SERIES_EXERCISE))
        store.close()

    store, _ = HistoryStore.open(folder)
    rng = random.Random(99)
    logs: list[float] = []
    finishes: list[float] = []
    number = 0
    while len(logs) < sets:
        session = Session(
            f"live-{years}-{number}", "builtin-strength", "Live", NOW + number * 86_400.0
        )
        store.begin_session(session)
        for index in range(12):
            entry = _entry(rng, session, index, f"live-{years}-{number}-{index}")
            logs.append(timed(store.log_entry, entry))
        finishes.append(timed(store.finish_session, session.started_at + 3000))
        number += 1
    store.close()
    return {
        "sessions": len(sessions),
        "entries": len(entries),
        "size_mb": size_mb,
        "log_p50": percentile(logs, 0.5),
        "log_p99": percentile(logs, 0.99),
        "log_max": max(logs),
        "log_samples": len(logs),
        "finish_p50": percentile(finishes, 0.5),
        "finish_max": max(finishes),
        "open": statistics.median(opens),
        "series": statistics.median(series),
        "series_count": found,
    }


def bench_raw_tinydb(folder: Path, years: int, inserts: int, runs: int) -> dict[str, float]:
    """The naive layout: one default-storage TinyDB file with everything in it."""
    sessions, entries = synthetic_history(years)
    path = folder / "raw.json"
    body = {
        "sessions": {str(i): s.to_dict() for i, s in enumerate(sessions, start=1)},
        "entries": {str(i): e.to_dict() for i, e in enumerate(entries, start=1)},
    }
    path.write_text(json.dumps(body))
    size_mb = path.stat().st_size / 1e6

    opens: list[float] = []
    series: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        db = TinyDB(path)
        len(db.table("entries"))  # TinyDB reads lazily: the first read is the open
        opens.append(time.perf_counter() - start)
        db.close()
        db = TinyDB(path)
        series.append(timed(_raw_series, db))
        db.close()

    db = TinyDB(path)
    table = db.table("entries")
    rng = random.Random(99)
    session = Session(f"raw-live-{years}", "builtin-strength", "Live", NOW)
    logs: list[float] = []
    for index in range(inserts):
        doc = _entry(rng, session, index, f"raw-{years}-{index}").to_dict()
        logs.append(timed(table.insert, doc))
    db.close()
    return {
        "size_mb": size_mb,
        "log_p50": percentile(logs, 0.5),
        "log_p99": percentile(logs, 0.99),
        "log_samples": len(logs),
        "open": statistics.median(opens),
        "series": statistics.median(series),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", type=int, default=300, help="entries logged per history size")
    parser.add_argument("--raw-inserts", type=int, default=20, help="raw TinyDB inserts per size")
    parser.add_argument("--runs", type=int, default=5, help="opens per size (median reported)")
    parser.add_argument("--years", default="0,1,10", help="history sizes in years")
    parser.add_argument("--dir", help="work folder (default: a temporary folder on /tmp's disk)")
    args = parser.parse_args()

    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="hipflex-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    ms = 1000.0
    print(f"Python {sys.version.split()[0]}, work folder {root}")
    print(
        "| History | Sessions / entries | Store: log p50 / p99 (max) | Store: finish p50 (max) | "
        "Store: open | Store: one exercise | Raw TinyDB: insert p50 / p99 | Raw: open | "
        "Raw: one exercise |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    try:
        for years in (int(y) for y in args.years.split(",")):
            store_dir = root / f"store-{years}y"
            raw_dir = root / f"raw-{years}y"
            store_dir.mkdir()
            raw_dir.mkdir()
            ours = bench_store(store_dir, years, args.sets, args.runs)
            raw = bench_raw_tinydb(raw_dir, years, args.raw_inserts, args.runs)
            cells = [
                f"{years} y ({ours['size_mb']:.1f} MB)",
                f"{ours['sessions']:,} / {ours['entries']:,}",
                f"{ours['log_p50'] * ms:.2f} / {ours['log_p99'] * ms:.2f} "
                f"({ours['log_max'] * ms:.1f}) ms",
                f"{ours['finish_p50'] * ms:.1f} ({ours['finish_max'] * ms:.1f}) ms",
                f"{ours['open'] * ms:.1f} ms",
                f"{ours['series'] * ms:.1f} ms ({ours['series_count']:,})",
                f"{raw['log_p50'] * ms:.1f} / {raw['log_p99'] * ms:.1f} ms",
                f"{raw['open'] * ms:.1f} ms",
                f"{raw['series'] * ms:.1f} ms",
            ]
            print("| " + " | ".join(cells) + " |", flush=True)
    finally:
        if not args.dir:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
