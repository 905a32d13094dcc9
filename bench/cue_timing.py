"""Cue timing of a real timer in the real app on the real Qt event loop, against a naive timer.

What runs (one process, ``QT_QPA_PLATFORM=offscreen`` by default, the real clock):

1. **Ours.** ``hipflex timer intervals --work 2 --rest 1 --rounds 40 --lead-in 3
   --exit-when-done --cue-log FILE`` through the app's own entry point
   (``hipflex_desktop.app.run_gui`` with the same ``LaunchRequest`` the command
   line builds): main window, session runner, 20 Hz repaint, audio facade, qasync
   loop. The cue log gives each cue's deadline and the monotonic time the
   driver delivered it.
2. **Naive.** The same cue schedule, timed the way it should not be: under a
   qasync loop, ``await asyncio.sleep(1)`` per second and a tick counter; a cue
   "fires" when the counter reaches its second. A clock face repaints at 20 Hz
   meanwhile, as the runner's does.

During both, the history store is saving: a stream of entries goes through the
same path the runner uses (``GuidedSession.on_entry`` → ``BackgroundWriter`` →
``HistoryStore.log_entry``, an atomic, fsynced journal rewrite per entry, with
its completion sent back to the UI thread by a queued Qt signal), one entry
every ``--save-every-ms`` and a new session every 40 entries (a finished
session rewrites the year file). The store lives in its own temporary data
folder: a quick timer does not save, so this stands in for the sets a workout
saves while it is timed.

Reported per run: cues, max / p99 / median of |fired − scheduled|, and the
end-of-session drift (last cue fired − (first cue scheduled + the plan's
length)). Goal for ours: max ≤ 5 ms and no drift.

    python bench/cue_timing.py [--rounds 40] [--save-every-ms 250] [--skip-naive]
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from hipflex_desktop.app import LaunchRequest, create_application, run_gui
from hipflex_desktop.cue_log import CueLogLine, read_cue_log
from hipflex_desktop.domain.cues import Cue, EntryLogged
from hipflex_desktop.domain.engine import FakeClock, MonotonicClock, SessionEngine
from hipflex_desktop.domain.history import Entry, EntryKind, new_id
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.domain.steps import Plan, PlanBlock, plan_from_blocks
from hipflex_desktop.session import GuidedSession, HistoryLink, SaveEvent, quick_plan

ENTRIES_PER_SESSION = 40
AUDIO_PROBE_AFTER_MS = 4000
# A run that stops making progress prints every thread's stack and exits, not hangs.
WATCHDOG_S = 600


@dataclass(frozen=True)
class Figures:
    name: str
    cues: int
    seconds: float
    max_ms: float
    p99_ms: float
    median_ms: float
    drift_ms: float
    schedule_drift_ms: float

    def row(self) -> str:
        return (f"| {self.name} | {self.cues} | {self.seconds:.1f} s | {self.max_ms:.2f} ms | "
                f"{self.p99_ms:.2f} ms | {self.median_ms:.2f} ms | {self.drift_ms:+.2f} ms | "
                f"{self.schedule_drift_ms:+.3f} ms |")


def figures(name: str, pairs: list[tuple[float, float]], plan_total_s: float) -> Figures:
    """``pairs`` are (scheduled, fired) in monotonic seconds, in firing order.

    End-of-session drift: the last cue's firing time against the first cue's
    deadline plus the plan's length. Deadline drift: the last cue's *deadline*
    against the same (the naive timer's deadlines are ideal by construction, so
    only its firing drifts).
    """
    errors = sorted(abs(fired - scheduled) * 1000 for scheduled, fired in pairs)
    p99_index = min(len(errors) - 1, max(0, round(0.99 * len(errors)) - 1))
    first_scheduled = pairs[0][0]
    last_scheduled, last_fired = pairs[-1]
    return Figures(
        name=name,
        cues=len(pairs),
        seconds=last_fired - first_scheduled,
        max_ms=errors[-1],
        p99_ms=errors[p99_index],
        median_ms=statistics.median(errors),
        drift_ms=(last_fired - (first_scheduled + plan_total_s)) * 1000,
        schedule_drift_ms=(last_scheduled - first_scheduled - plan_total_s) * 1000,
    )


# -- the concurrent store writes ------------------------------------------------------------


class _Relay(QObject):
    """Writer-thread completions to the UI thread, as the runner does it."""

    saved = Signal(object)

    def forward(self, event: SaveEvent) -> None:
        self.saved.emit(event)


class StoreLoad(QObject):
    """Saves a synthetic entry every ``interval_ms`` through the runner's saving path."""

    def __init__(self, data_dir: Path, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = HistoryLink.open(data_dir)
        self._plan = plan_from_blocks(
            "Store load", [PlanBlock("leg-raise", "Leg raise", Kind.REPS,
                                     Prescription(sets=1, reps_min=8, reps_max=8))],
        )
        self._relay = _Relay(self)
        self._relay.saved.connect(self._on_saved, Qt.ConnectionType.QueuedConnection)
        self._session: GuidedSession | None = None
        self._count = 0
        self.saved = 0
        self.failed = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._save_one)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._finish_session()
        self.history.close()

    def _finish_session(self) -> None:
        """Move the session into the year file (a bigger write than a journal update)."""
        if self._session is not None:
            self.history.writer.submit(self.history.store.finish_session)
            self._session = None

    def _save_one(self) -> None:
        if self._session is None or self._count % ENTRIES_PER_SESSION == 0:
            self._finish_session()
            self._session = GuidedSession(self._plan, MonotonicClock(), history=self.history,
                                          on_save=self._relay.forward)
            self._session.begin()
        session = self._session
        now = time.time()
        entry = Entry(new_id(), session.session_id, "leg-raise", EntryKind.REP_SET,
                      self._count % ENTRIES_PER_SESSION, now - 20, now, reps=8, load=5.0,
                      unit="kg", rpe=8.0, note="bench")
        session.on_entry(EntryLogged(entry, 0))
        self._count += 1

    def _on_saved(self, event: SaveEvent) -> None:
        if event.ok:
            self.saved += 1
        else:
            self.failed += 1


# -- ours: the real app ---------------------------------------------------------------------


class AudioProbe(QObject):
    """Notes what the app's audio could do during the run (it differs between machines)."""

    def __init__(self) -> None:
        super().__init__()
        self.text = "not seen"
        QTimer.singleShot(AUDIO_PROBE_AFTER_MS, self.look)

    def look(self) -> None:
        for widget in QApplication.topLevelWidgets():
            built = getattr(widget, "runner_built", None)
            if built is None or not built():
                continue
            player = widget.runner.player  # type: ignore[attr-defined]
            status = getattr(player, "status", None)
            voice = getattr(player, "voice_state", None)
            if status is None:
                self.text = f"{type(player).__name__} (no sound)"
            else:
                self.text = (f"beeps {'on' if status.beeps_available else 'off'}, voice "
                             f"{voice.value if voice is not None else '?'}"
                             + (f" ({status.message})" if status.message else ""))


def run_ours(args: argparse.Namespace, work_dir: Path, load: StoreLoad) -> list[CueLogLine]:
    cue_log = work_dir / "cues.jsonl"
    request = LaunchRequest(
        timer_kind="intervals",
        timer={"work": args.work, "rest": args.rest, "rounds": args.rounds,
               "lead_in": args.lead_in},
        exit_when_done=True,
        cue_log=cue_log,
    )
    load.start()
    probe = AudioProbe()
    code = run_gui(str(work_dir / "app-data"), [sys.argv[0]], request)
    print(f"  ours: audio during the run: {probe.text}")
    if code != 0:
        raise SystemExit(f"the app exited with {code}")
    return list(read_cue_log(cue_log))


# -- naive: asyncio.sleep(1) per tick, counting ticks ----------------------------------------


def cue_offsets(plan: Plan) -> list[float]:
    """Every cue's time from the start, from the engine itself on a fake clock."""
    clock = FakeClock(0.0)
    engine = SessionEngine(plan, clock)
    events = engine.start(0.0)
    while (deadline := engine.next_deadline()) is not None:
        events += engine.advance(deadline)
    return [event.scheduled for event in events if isinstance(event, Cue)]


async def naive_timer(offsets: list[float]) -> list[tuple[float, float]]:
    start = time.monotonic()
    pairs: list[tuple[float, float]] = []
    pending = sorted(offsets)
    tick = 0
    while pending:
        while pending and round(pending[0]) <= tick:
            offset = pending.pop(0)
            pairs.append((start + offset, time.monotonic()))
        if pending:
            await asyncio.sleep(1)  # the naive part: one sleep per second, then count
            tick += 1
    return pairs


def run_naive(app: QApplication, offsets: list[float]) -> list[tuple[float, float]]:
    import qasync

    from hipflex_desktop.ui.runner_widgets import ClockFace

    face = ClockFace()
    face.resize(600, 600)
    face.show()
    repaint = QTimer(face)
    repaint.setInterval(50)
    ticks = {"n": 0}

    def paint() -> None:  # the same 20 Hz redraw the runner does
        ticks["n"] += 1
        face.set_state("WORK", "#ff7043", f"0:{ticks['n'] % 60:02d}", "of 0:30",
                       (ticks["n"] % 20) / 20)

    repaint.timeout.connect(paint)
    repaint.start()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            pairs: list[tuple[float, float]] = loop.run_until_complete(naive_timer(offsets))
            return pairs
    finally:
        repaint.stop()
        face.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=int, default=2)
    parser.add_argument("--rest", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--lead-in", type=int, default=3)
    parser.add_argument("--save-every-ms", type=int, default=250)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--keep-cue-log", type=Path, metavar="FILE",
                        help="copy our run's cue log here (to look at single cues)")
    args = parser.parse_args()
    faulthandler.dump_traceback_later(WATCHDOG_S, exit=True)

    plan = quick_plan("intervals", {"work": args.work, "rest": args.rest,
                                    "rounds": args.rounds, "lead_in": args.lead_in})
    plan_total = plan.timed_duration_s(float(args.lead_in))
    assert plan_total is not None
    offsets = cue_offsets(plan)
    print(f"python {platform.python_version()}, PySide6 {pyside_version}, "
          f"{os.cpu_count()} CPUs, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}")
    print(f"plan: {plan.title}, {plan_total:.0f} s, {len(offsets)} cues; "
          f"a store write every {args.save_every_ms} ms")
    app = create_application([sys.argv[0]])
    results: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="hipflex-cue-bench-") as tmp:
        work_dir = Path(tmp)
        load = StoreLoad(work_dir / "store-load", args.save_every_ms)
        lines = run_ours(args, work_dir, load)
        load.stop()
        if args.keep_cue_log is not None:
            shutil.copyfile(work_dir / "cues.jsonl", args.keep_cue_log)
        ours = [(line.scheduled, line.fired) for line in lines]
        results.append(figures("ours: precise deadline timer", ours, plan_total))
        print(f"  ours: {load.saved} entries saved meanwhile, {load.failed} failed")
        if not args.skip_naive:
            naive_load = StoreLoad(work_dir / "store-load-naive", args.save_every_ms)
            naive_load.start()
            naive = run_naive(app, offsets)
            naive_load.stop()
            results.append(figures("naive: asyncio.sleep(1) ticks", naive, plan_total))
            print(f"  naive: {naive_load.saved} entries saved meanwhile, "
                  f"{naive_load.failed} failed")
    print()
    print("| timer | cues | length | max abs(fired − scheduled) | p99 | median | "
          "end-of-session drift | deadline drift |")
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        print(result.row())
    ours_figures = results[0]
    ok = (ours_figures.max_ms <= 5.0 and abs(ours_figures.schedule_drift_ms) < 0.001
          and abs(ours_figures.drift_ms) <= ours_figures.max_ms)
    print(f"\ngoal (ours): max <= 5 ms and no drift: {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
