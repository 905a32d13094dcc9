"""``hipflex history``, ``hipflex progress`` and ``hipflex suggest``: the History page and the
Dashboard for scripts.

All three only read: they open the store read-only, take no lock and change
nothing, so they work while the app is open. The figures come from the same
functions the window uses (``store/coaching.py``, ``domain/progress.py``), so both
always agree. Store modules are imported inside the handlers because ``cli.py``
imports this module on every start.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hipflex_desktop.domain.catalog import Catalog
    from hipflex_desktop.domain.progress import Metric
    from hipflex_desktop.store.history import HistoryStore

# Metric names, kept literal so building the parser imports nothing heavy
# (tests/test_cli_progress.py checks them against domain.progress.Metric).
METRIC_NAMES = (
    "best_set_reps", "total_reps", "top_load", "volume",
    "longest_hold", "accumulated_hold", "interval_work",
)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``history``, ``progress`` and ``suggest`` to the ``hipflex`` parser."""
    history = commands.add_parser(
        "history",
        help="list finished sessions, newest first",
        description="One line per finished session, newest first: date, workout, duration, "
        "sets, total reps and longest hold (warm-ups not counted).",
    )
    history.add_argument("--json", action="store_true", help="print a JSON array")
    history.set_defaults(handler=cmd_history)

    progress = commands.add_parser(
        "progress",
        help="print one exercise's progress series (what the chart shows)",
        description="One value per session for one exercise, oldest first, with personal "
        "bests marked. EXERCISE_ID is a catalog id (see `hipflex catalog`) or an imported "
        "custom:... id.",
    )
    progress.add_argument("exercise", metavar="EXERCISE_ID")
    progress.add_argument(
        "--metric", choices=METRIC_NAMES, metavar="M",
        help="what to measure: " + ", ".join(METRIC_NAMES)
        + " (default: the first one the exercise's history offers)",
    )
    progress.add_argument("--unit", choices=("kg", "lb"), default="kg",
                          help="unit for load figures (default: kg)")
    progress.add_argument("--json", action="store_true", help="print a JSON object")
    progress.set_defaults(handler=cmd_progress, usage_error=progress.error)

    suggest = commands.add_parser(
        "suggest",
        help="print the open suggestions for the next workout",
        description="The next suggested workout and the progression suggestions for it that "
        "have not been accepted or dismissed yet, each with its reason.",
    )
    suggest.add_argument("--unit", choices=("kg", "lb"), default="kg",
                         help="unit for a first load suggestion (default: kg)")
    suggest.add_argument("--json", action="store_true", help="print a JSON object")
    suggest.set_defaults(handler=cmd_suggest)


# --- shared helpers ------------------------------------------------------------------------------


def _fail(message: str) -> int:
    print(f"hipflex: {message}", file=sys.stderr)
    return 1


def _open_store(data_dir_arg: str | None) -> HistoryStore:
    """The store, read-only (raises StoreError); start-up notices go to stderr."""
    from hipflex_desktop.paths import ensure_writable, resolve_data_dir
    from hipflex_desktop.store.history import HistoryStore
    from hipflex_desktop.store.migrations import StoreNeedsMigrationError

    data_dir = resolve_data_dir(data_dir_arg)
    try:
        store, notices = HistoryStore.open(data_dir, read_only=True)
    except StoreNeedsMigrationError:
        # An older layout must be brought up to date once, which needs the lock.
        store, notices = HistoryStore.open(ensure_writable(data_dir), lock_timeout_s=10.0)
    for notice in notices:
        print(f"hipflex: {notice.message}", file=sys.stderr)
    return store


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    print()


def _table(rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                 for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return lines


# --- hipflex history -----------------------------------------------------------------------------


def cmd_history(args: argparse.Namespace) -> int:
    from hipflex_desktop.domain.progress import format_duration
    from hipflex_desktop.store.coaching import session_rows
    from hipflex_desktop.store.errors import StoreError

    try:
        store = _open_store(args.data_dir)
    except StoreError as exc:
        return _fail(str(exc))
    with store:
        rows = session_rows(store.sessions(), store.iter_all_entries())
    if args.json:
        _print_json([row.to_json() for row in rows])
        return 0
    if not rows:
        print("No sessions yet.")
        return 0
    table: list[tuple[str, ...]] = [
        ("Date", "Workout", "Duration", "Sets", "Reps", "Longest hold")
    ]
    for row in rows:
        session = row.session
        table.append((
            _local_text(session.started_at),
            session.workout_name or "Session",
            _minutes(session.duration_s),
            str(row.sets),
            str(row.total_reps) if row.total_reps else "-",
            format_duration(row.longest_hold_s) if row.longest_hold_s is not None else "-",
        ))
    for line in _table(table, right={2, 3, 4, 5}):
        print(line)
    return 0


def _local_text(timestamp: float) -> str:
    from hipflex_desktop.domain.progress import system_local_time

    return system_local_time(timestamp).strftime("%Y-%m-%d %H:%M")


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(whole / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


# --- hipflex progress ----------------------------------------------------------------------------


def _exercise_name(exercise_id: str, catalog: Catalog, custom: dict[str, str]) -> str | None:
    movement = catalog.find(exercise_id)
    if movement is not None:
        return movement.name
    return custom.get(exercise_id)


def _default_metric(exercise_id: str, catalog: Catalog) -> Metric:
    """For an exercise with no history: the chart a first session would start."""
    from hipflex_desktop.domain.prescription import Kind
    from hipflex_desktop.domain.progress import Metric

    movement = catalog.find(exercise_id)
    kind = movement.kind if movement is not None else Kind.REPS
    return {
        Kind.REPS: Metric.BEST_SET_REPS,
        Kind.HOLD: Metric.LONGEST_HOLD,
        Kind.INTERVAL: Metric.INTERVAL_WORK,
        Kind.PER_SIDE: Metric.LONGEST_HOLD,
    }[kind]


def cmd_progress(args: argparse.Namespace) -> int:
    from hipflex_desktop.domain.catalog_loader import load_catalog
    from hipflex_desktop.domain.progress import (
        Metric,
        available_metrics,
        exercise_series,
        format_day,
        format_value,
        personal_bests,
        system_local_time,
    )
    from hipflex_desktop.store.errors import StoreError

    usage_error: Callable[[str], Any] = args.usage_error
    catalog = load_catalog()
    try:
        store = _open_store(args.data_dir)
    except StoreError as exc:
        return _fail(str(exc))
    with store:
        exercise_id = args.exercise
        entries = store.entries_for_exercise(exercise_id)
        custom = {c.id: c.name for c in store.custom_exercises()}
        sessions = {s.id: s for s in store.sessions()}
    name = _exercise_name(exercise_id, catalog, custom)
    if name is None and not entries:
        usage_error(
            f"argument EXERCISE_ID: unknown exercise {exercise_id!r} (see `hipflex catalog` "
            "for ids; imported exercises are custom:...)")
    offered = available_metrics(entries, exercise_id)
    if args.metric is None:
        metric = offered[0] if offered else _default_metric(exercise_id, catalog)
    else:
        metric = Metric(args.metric)
        if offered and metric not in offered:
            usage_error(
                f"argument --metric: {metric.value!r} has no data for {name or exercise_id}; "
                f"choose from {', '.join(m.value for m in offered)}")
    series = exercise_series(entries, exercise_id, metric, unit=args.unit, sessions=sessions,
                             to_local=system_local_time)
    bests = personal_bests(entries, unit=args.unit, sessions=sessions).get(exercise_id, ())
    if args.json:
        _print_json({
            "exercise_id": exercise_id,
            "name": name or exercise_id,
            "metric": metric.value,
            "label": metric.label,
            "unit": series.unit,
            "available_metrics": [m.value for m in offered],
            "points": [
                {"date": p.day.isoformat(), "at": p.at, "value": p.value,
                 "session_id": p.session_id, "personal_best": p.personal_best}
                for p in series.points
            ],
            "personal_bests": [
                {"record": b.record.value, "label": b.record.label, "value": b.value,
                 "unit": b.unit, "text": b.text(), "session_id": b.session_id,
                 "date": system_local_time(b.at).date().isoformat()}
                for b in bests
            ],
        })
        return 0
    print(f"{name or exercise_id}: {metric.label} ({series.unit})")
    if not series.points:
        print("No sessions with this exercise yet.")
        return 0
    table: list[tuple[str, ...]] = [("Date", "Value", "")]
    for point in series.points:
        table.append((point.day.isoformat(), format_value(point.value, series.unit),
                      "personal best" if point.personal_best else ""))
    for line in _table(table, right={1}):
        print(line)
    if bests:
        print()
        print("Personal bests:")
        for best in bests:
            day = format_day(system_local_time(best.at).date())
            print(f"  {best.record.label}: {best.text()} ({day})")
    return 0


# --- hipflex suggest -----------------------------------------------------------------------------


def cmd_suggest(args: argparse.Namespace) -> int:
    import time

    from hipflex_desktop.paths import resolve_data_dir
    from hipflex_desktop.services import open_workout_library
    from hipflex_desktop.store.coaching import CoachingStore, coaching_snapshot
    from hipflex_desktop.store.errors import StoreError

    try:
        store = _open_store(args.data_dir)
        coaching = CoachingStore(Path(resolve_data_dir(args.data_dir)), read_only=True)
    except StoreError as exc:
        return _fail(str(exc))
    for notice in coaching.notices:
        print(f"hipflex: {notice.message}", file=sys.stderr)
    library = _read_only_library(resolve_data_dir(args.data_dir), open_workout_library)
    catalog = library.catalog
    with store:
        snapshot = coaching_snapshot(
            store, coaching.settings(), coaching.decisions(), library.all(), catalog,
            now=time.time(), unit=args.unit,
        )
    coaching.close()
    workout = snapshot.next_workout

    def name_of(exercise_id: str | None) -> str | None:
        if exercise_id is None:
            return None
        movement = catalog.find(exercise_id)
        return movement.name if movement is not None else exercise_id

    def as_json(suggestion: Any) -> dict[str, Any]:
        load = suggestion.load_change
        return {
            "id": suggestion.id,
            "exercise_id": suggestion.exercise_id,
            "exercise_name": name_of(suggestion.exercise_id),
            "kind": suggestion.kind.value,
            "reason": suggestion.reason,
            "based_on_session_id": suggestion.based_on_session_id,
            "prescription_changes": suggestion.changes,
            "swap_to": suggestion.swap_to,
            "start_reps": suggestion.start_reps,
            "load_change": None if load is None else {
                "unit": load.unit, "from": load.from_load, "to": load.to_load,
                "next_band": load.next_band,
            },
        }

    if args.json:
        _print_json({
            "workout_id": snapshot.progress.next_workout_id,
            "workout_name": workout.name if workout is not None else None,
            "open": [as_json(s) for s in snapshot.open],
            "accepted": [as_json(s) for s in snapshot.accepted],
        })
        return 0
    if workout is None:
        print(f"The next workout ({snapshot.progress.next_workout_id}) is not in your library.")
        return 0
    print(f"Next workout: {workout.name}")
    if not snapshot.open:
        print("No open suggestions.")
    for suggestion in snapshot.open:
        print(f"- {name_of(suggestion.exercise_id)}: {suggestion.reason}")
    for suggestion in snapshot.accepted:
        print(f"- {name_of(suggestion.exercise_id)} (accepted): {suggestion.reason}")
    return 0


def _read_only_library(data_dir: Path, opener: Callable[..., Any]) -> Any:
    """The workout library; a folder we cannot read workouts from gives the built-ins only."""
    from hipflex_desktop.domain.catalog_loader import load_builtin_workouts, load_catalog
    from hipflex_desktop.services import WorkoutLibrary
    from hipflex_desktop.store.workouts import MemoryWorkoutRepository

    if (data_dir / "workouts.json").exists():
        try:
            return opener(data_dir)
        except OSError:
            pass
    catalog = load_catalog()
    return WorkoutLibrary(catalog, load_builtin_workouts(catalog), MemoryWorkoutRepository())
