"""Progress analytics and the chart against ten years of synthetic history.

About 2,000 sessions and 25,000 entries are generated in memory with a fixed seed
(no store involved), then these are timed:

- one exercise's series for one metric (from the whole history, and from the
  exercise's own entries as ``HistoryStore.entries_for_exercise`` returns them);
- every personal best over the whole history;
- the first painted chart in a fresh interpreter, counted from the moment a main
  window is up and painted: importing the analytics and the chart module, building
  the series, creating the widget, setting the series, showing it and grabbing it;
- switching the metric and switching the exercise on a chart already shown.

    python bench/history.py [--runs 7] [--png DIR]

``--png DIR`` also writes the chart at 1000x500 for ten years, a few weeks, a single
session and no sessions, to look at.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hipflex_desktop.domain.history import Entry, EntryKind, Session, Side

END = datetime(2026, 11, 20, 18, 0, tzinfo=UTC).timestamp()
DAY = 86400.0
GOAL_MS = 250.0


def synthetic_history(
    seed: int = 20261120, years: int = 10, end: float = END
) -> tuple[list[Session], list[Entry]]:
    """Sessions and entries a keen person might log over ``years``, progressing slowly."""
    rng = random.Random(seed)
    sessions: list[Session] = []
    entries: list[Entry] = []
    start = end - years * 365.25 * DAY
    t = start
    n = 0

    def entry(session: Session, exercise: str, kind: EntryKind, at: float, length: float,
              **fields: object) -> float:
        """Append one entry starting at ``at``; returns when the next one starts."""
        nonlocal n
        n += 1
        entries.append(Entry(f"e{n}", session.id, exercise, kind, started_at=at,
                             ended_at=at + length, **fields))  # type: ignore[arg-type]
        return at + length + 60

    while t < end:
        t += rng.choice((1, 1, 2, 2, 2, 3)) * DAY + rng.uniform(-3, 3) * 3600
        if t >= end:
            break
        progress = (t - start) / (end - start)
        roll = rng.random()
        workout = ("hip-flexor-workout" if roll < 0.6 else
                   "l-sit-nordic-accessory" if roll < 0.85 else "hip-flexor-stretch-routine")
        session = Session(f"s{len(sessions)}", workout, workout.replace("-", " ").title(), t,
                          t + 1800)
        sessions.append(session)
        at = t
        if workout == "hip-flexor-workout":
            pounds = 0.35 < progress < 0.5  # a spell of logging in pounds
            load_kg = round(progress * 10 * 2) / 2
            load = round(load_kg / 0.45359237) if pounds else load_kg
            unit = "lb" if pounds else "kg"
            at = entry(session, "mountain-climber", EntryKind.INTERVAL_ROUND, at, 30, set_index=0,
                       work_s=30.0, planned_s=30.0, warmup=True)
            at = entry(session, "hanging-leg-raise", EntryKind.REP_SET, at, 40, set_index=0, reps=5,
                       load=0.0, unit=unit, warmup=True)
            for index in range(3):
                reps = max(4, min(12, 8 + round(rng.gauss(1 + progress, 1.1))))
                at = entry(session, "hanging-leg-raise", EntryKind.REP_SET, at, 45, set_index=index,
                           reps=reps, load=float(load), unit=unit)
            raise_load = round((2 + progress * 16) * 2) / 2
            at = entry(session, "standing-hip-flexor-raise", EntryKind.REP_SET, at, 40,
                       set_index=0, reps=8, load=raise_load / 2, unit="kg", warmup=True)
            for index in range(3):
                reps = max(6, min(12, 10 + round(rng.gauss(0, 1.2))))
                at = entry(session, "standing-hip-flexor-raise", EntryKind.REP_SET, at, 50,
                           set_index=index, reps=reps, load=raise_load, unit="kg")
            work = 30.0 + 5 * int(progress * 4)
            for index in range(3):
                done = work if rng.random() > 0.08 else work * rng.uniform(0.6, 0.95)
                at = entry(session, "mountain-climber", EntryKind.INTERVAL_ROUND, at, done,
                           set_index=index, work_s=done, planned_s=work)
        elif workout == "l-sit-nordic-accessory":
            rung = ("l-sit-tucked" if progress < 0.3 else
                    "l-sit-one-leg" if progress < 0.65 else "l-sit-hold")
            at = entry(session, "l-sit-tucked", EntryKind.HOLD, at, 20, set_index=0,
                       duration_s=10.0, holds_s=(5.0, 5.0), warmup=True)
            for index in range(2):
                holds = tuple(round(rng.uniform(5, 8 + 10 * progress), 1) for _ in range(4))
                at = entry(session, rung, EntryKind.HOLD, at, sum(holds) + 30, set_index=index,
                           duration_s=sum(holds), holds_s=holds)
            for index in range(3):
                reps = max(3, min(9, 6 + round(rng.gauss(progress, 1))))
                at = entry(session, "reverse-nordic", EntryKind.REP_SET, at, 40, set_index=index,
                           reps=reps, load=0.0, unit="kg")
        else:
            for exercise in ("kneeling-lunge-stretch", "pigeon-pose", "lizard-pose"):
                for index in range(2):
                    for side in (Side.LEFT, Side.RIGHT):
                        at = entry(session, exercise, EntryKind.PER_SIDE, at, 30, set_index=index,
                                   side=side, duration_s=30.0)
        if workout != "hip-flexor-stretch-routine":
            for side in (Side.LEFT, Side.RIGHT):
                at = entry(session, "kneeling-lunge-stretch", EntryKind.PER_SIDE, at, 30,
                           set_index=0, side=side, duration_s=30.0)
    return sessions, entries


def _median_ms(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


FIRST_CHART_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from bench.history import synthetic_history, END
from PySide6.QtWidgets import QApplication, QMainWindow
sessions, entries = synthetic_history()
own = [e for e in entries if e.exercise_id == "hanging-leg-raise"]
app = QApplication(sys.argv[:1])
window = QMainWindow(); window.resize(1280, 760); window.show()
app.processEvents(); window.grab()
began = time.perf_counter()
from hipflex_desktop.domain.progress import Metric, exercise_series
from hipflex_desktop.ui.progress_chart import ProgressChart, RangePreset
imported = time.perf_counter()
series = exercise_series(own, "hanging-leg-raise", Metric.BEST_SET_REPS, sessions=sessions)
computed = time.perf_counter()
chart = ProgressChart(window, clock=lambda: END)
window.setCentralWidget(chart)
chart.set_series(series, "Best set", "reps")
chart.set_range(RangePreset.ALL)
chart.show()
app.processEvents()
chart.grab()
painted = time.perf_counter()
print(json.dumps({"import": imported - began, "series": computed - imported,
                  "total": painted - began}))
"""


def _first_chart(runs: int) -> dict[str, float]:
    root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: list[dict[str, float]] = []
    for _ in range(runs + 1):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_CHART_CHILD, root], env=env, capture_output=True,
            text=True, timeout=120, check=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    results = results[1:]  # the first run only warms the OS file cache
    return {key: statistics.median(r[key] for r in results) * 1000 for key in results[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--png", type=Path, default=None)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from hipflex_desktop.domain.progress import Metric, exercise_series, personal_bests

    began = time.perf_counter()
    sessions, entries = synthetic_history()
    generated_ms = (time.perf_counter() - began) * 1000
    own = [e for e in entries if e.exercise_id == "hanging-leg-raise"]
    by_id = {s.id: s for s in sessions}

    rows: list[tuple[str, float]] = []
    rows.append(("series, one exercise, from all entries", _median_ms(
        lambda: exercise_series(entries, "hanging-leg-raise", Metric.BEST_SET_REPS,
                                sessions=by_id), args.runs)))
    rows.append(("series, one exercise, from its own entries", _median_ms(
        lambda: exercise_series(own, "hanging-leg-raise", Metric.BEST_SET_REPS, sessions=by_id),
        args.runs)))
    rows.append(("all personal bests, whole history", _median_ms(
        lambda: personal_bests(entries, sessions=by_id), args.runs)))

    first = _first_chart(args.runs)
    rows.append(("first chart: import analytics + chart module", first["import"]))
    rows.append(("first chart: compute the series", first["series"]))
    rows.append(("first chart: total, window up -> chart grabbed", first["total"]))

    from PySide6.QtWidgets import QApplication

    from hipflex_desktop.ui.progress_chart import ProgressChart, RangePreset

    app = QApplication.instance() or QApplication(sys.argv[:1])
    chart = ProgressChart(clock=lambda: END)
    chart.resize(1000, 500)
    chart.set_range(RangePreset.ALL)
    chart.set_series(exercise_series(own, "hanging-leg-raise", Metric.BEST_SET_REPS,
                                     sessions=by_id), "Best set", "reps")
    chart.show()
    app.processEvents()
    chart.grab()
    metrics = [Metric.BEST_SET_REPS, Metric.TOTAL_REPS, Metric.TOP_LOAD, Metric.VOLUME]
    cycle = iter(range(10**9))

    def switch_metric() -> None:
        metric = metrics[next(cycle) % len(metrics)]
        chart.set_series(exercise_series(own, "hanging-leg-raise", metric, sessions=by_id),
                         metric.label, metric.unit())
        chart.grab()

    exercises = [("hanging-leg-raise", Metric.BEST_SET_REPS),
                 ("l-sit-hold", Metric.LONGEST_HOLD),
                 ("mountain-climber", Metric.INTERVAL_WORK)]

    def switch_exercise() -> None:
        exercise, metric = exercises[next(cycle) % len(exercises)]
        chart.set_series(exercise_series(entries, exercise, metric, sessions=by_id),
                         metric.label, metric.unit())
        chart.grab()

    rows.append(("switch metric (series + repaint)", _median_ms(switch_metric, args.runs)))
    rows.append(("switch exercise (series from all entries + repaint)",
                 _median_ms(switch_exercise, args.runs)))

    if args.png is not None:
        _write_pngs(args.png, sessions, entries)
    chart.close()
    chart.deleteLater()

    print(f"history: {len(sessions):,} sessions, {len(entries):,} entries "
          f"(generated in {generated_ms:.0f} ms); median of {args.runs} runs; "
          f"python {sys.version.split()[0]}, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}")
    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)}  {'ms':>8}")
    for name, ms in rows:
        print(f"{name.ljust(width)}  {ms:8.1f}")
    verdict = "OK" if first["total"] <= GOAL_MS else "OVER"
    print(f"goal: first chart <= {GOAL_MS:.0f} ms after the window is up: {verdict}")
    return 0


def _write_pngs(folder: Path, sessions: list[Session], entries: list[Entry]) -> None:
    from PySide6.QtCore import QSize

    from hipflex_desktop.domain.progress import Metric, exercise_series
    from hipflex_desktop.ui.progress_chart import ProgressChart, RangePreset

    folder.mkdir(parents=True, exist_ok=True)
    by_id = {s.id: s for s in sessions}
    size = QSize(1000, 500)
    chart = ProgressChart(clock=lambda: END)
    full = exercise_series(entries, "hanging-leg-raise", Metric.BEST_SET_REPS, sessions=by_id)
    chart.set_series(full, "Best set", "reps")
    chart.set_range(RangePreset.ALL)
    chart.export_png(folder / "chart-10-years.png", size)
    recent = [e for e in entries if e.started_at > END - 24 * DAY]
    weeks = exercise_series(recent, "hanging-leg-raise", Metric.TOP_LOAD, sessions=by_id)
    chart.set_series(weeks, Metric.TOP_LOAD.label, "kg")
    chart.set_range(RangePreset.FOUR_WEEKS)
    chart.export_png(folder / "chart-few-weeks.png", size)
    single = exercise_series(recent[-40:], "mountain-climber", Metric.INTERVAL_WORK,
                             sessions=by_id)
    single = type(single)(single.exercise_id, single.metric, single.unit, single.points[-1:])
    chart.set_series(single, Metric.INTERVAL_WORK.label, "s")
    chart.export_png(folder / "chart-single.png", size)
    chart.set_series(exercise_series([], "reverse-nordic", Metric.BEST_SET_REPS), "Best set",
                     "reps")
    chart.export_png(folder / "chart-empty.png", size)
    chart.deleteLater()
    print(f"wrote four PNGs to {folder}")


if __name__ == "__main__":
    raise SystemExit(main())
