"""The runner's Qt-free glue: quick-timer plans, saving through the writer, the cue log."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import pytest

from hipflex_desktop.cue_log import CueLog, read_cue_log
from hipflex_desktop.domain.cues import Cue, CueKind, EntryLogged, SessionFinished
from hipflex_desktop.domain.engine import FakeClock
from hipflex_desktop.domain.history import Entry, EntryKind, Session
from hipflex_desktop.domain.steps import PlanError, StepKind
from hipflex_desktop.session import (
    GuidedSession,
    HistoryLink,
    SaveEvent,
    SaveWhat,
    format_duration,
    quick_plan,
)
from hipflex_desktop.store import atomic
from hipflex_desktop.store.history import HistoryStore
from tests.ui.test_runner_saving import two_set_plan

T0 = 1000.0


class Events:
    """Collects SaveEvents (they arrive on the writer thread)."""

    def __init__(self) -> None:
        self.items: list[SaveEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: SaveEvent) -> None:
        with self._lock:
            self.items.append(event)


def drive(session: GuidedSession, events: list[object]) -> None:
    """What the runner does with the driver's events."""
    for event in events:
        if isinstance(event, EntryLogged):
            session.on_entry(event)
        elif isinstance(event, SessionFinished):
            session.on_finished(event)


@pytest.mark.parametrize(
    ("kind", "values", "kinds", "lead_in"),
    [
        ("hold", {"seconds": 30, "sets": 2, "rest": 45}, ["hold", "rest", "hold"], None),
        ("accumulate", {"total": 90}, ["accumulated_hold"], None),
        ("intervals", {"work": 2, "rest": 1, "rounds": 2, "lead_in": 3},
         ["interval_work", "interval_rest", "interval_work"], 3.0),
        ("sides", {"seconds": 20, "transition": 5, "lead_in": 0}, ["side", "switch", "side"], 0.0),
    ],
)
def test_quick_plan_uses_the_command_line_names(
    kind: str, values: dict[str, int], kinds: list[str], lead_in: float | None
) -> None:
    plan = quick_plan(kind, values)
    assert [step.kind.value for step in plan.steps] == kinds
    assert plan.lead_in_s == lead_in
    assert plan.workout_id is None


def test_quick_plan_rejects_unknown_kinds_and_bad_values() -> None:
    with pytest.raises(ValueError, match="unknown quick timer"):
        quick_plan("stopwatch", {})
    with pytest.raises(PlanError):
        quick_plan("hold", {"seconds": 0})


def test_durations_read_naturally() -> None:
    assert [format_duration(s) for s in (0, 44.6, 65, 3725)] == [
        "0 s", "45 s", "1 min 05 s", "1 h 02 min",
    ]


def test_cue_log_appends_one_json_line_per_cue(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "cues.jsonl"
    log = CueLog(path)
    log.write(Cue(CueKind.GO, 12.5, 3, "climber", "Go"), 12.5021)
    log.write(Cue(CueKind.LAST_SECONDS_TICK, 14.0, 3, "climber", "1", 1.0), 14.0004)
    log.close()
    again = CueLog(path)  # a second run appends
    again.write(Cue(CueKind.SESSION_COMPLETE, 15.0, 3, "climber", "Session complete"), 15.001)
    again.close()
    raw = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(raw[0]) == {
        "cue": "go", "scheduled": 12.5, "fired": 12.5021, "step": 3, "text": "Go",
        "exercise_id": "climber",
    }
    assert json.loads(raw[1])["value"] == 1.0
    lines = read_cue_log(path)
    assert [line.cue for line in lines] == ["go", "last_seconds_tick", "session_complete"]
    assert lines[0].lateness_s == pytest.approx(0.0021)
    with path.open("a", encoding="utf-8") as torn:
        torn.write('{"cue": "go", "sched')  # a writer killed mid-line
    assert len(read_cue_log(path)) == 3


def test_cue_log_that_cannot_be_written_switches_itself_off(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    log = CueLog(blocker / "cues.jsonl")
    log.write(Cue(CueKind.GO, 1.0, 0, "x", "Go"), 1.0)
    log.write(Cue(CueKind.GO, 2.0, 0, "x", "Go"), 2.0)
    assert isinstance(log.error, OSError)
    assert log.lines_written == 0


def test_a_session_with_nothing_logged_leaves_no_history_row(data_dir: Path) -> None:
    clock = FakeClock(T0)
    history = HistoryLink.open(data_dir)
    events = Events()
    session = GuidedSession(two_set_plan(), clock, history=history, on_save=events)
    session.begin()
    drive(session, session.engine.start())
    drive(session, session.engine.end())
    assert history.flush(5)
    assert [e.what for e in events.items] == [SaveWhat.BEGIN, SaveWhat.FINISH]
    assert all(e.ok for e in events.items)
    assert history.store.sessions() == []
    assert history.store.active_session() is None
    history.close()


def test_an_unfinished_session_from_a_crash_is_kept_before_a_new_one_begins(
    data_dir: Path,
) -> None:
    store, _ = HistoryStore.open(data_dir)
    store.begin_session(Session("crashed", None, "Yesterday", 1_799_000_000.0))
    store.log_entry(Entry("e1", "crashed", "leg-raise", EntryKind.REP_SET, 0, 1_799_000_010.0,
                          1_799_000_040.0, reps=8, load=0.0, unit="kg"))
    store.close()  # the app died here: the journal stays
    history = HistoryLink.open(data_dir)
    events = Events()
    session = GuidedSession(two_set_plan(), FakeClock(T0), history=history, on_save=events)
    session.begin()
    assert history.flush(5)
    assert events.items[0].ok
    assert "unfinished session (Yesterday) was saved" in events.items[0].notice
    assert [s.id for s in history.store.sessions()] == ["crashed"]
    assert history.store.active_session() is not None
    history.close()


def test_a_finish_that_fails_is_retried(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock(T0)
    history = HistoryLink.open(data_dir)
    events = Events()
    session = GuidedSession(two_set_plan(), clock, history=history, on_save=events)
    session.begin()
    drive(session, session.engine.start())
    drive(session, session.engine.complete_set())
    drive(session, session.engine.accept_log(9, 2.5, "kg"))
    assert history.flush(5)
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    drive(session, session.engine.end())
    assert history.flush(5)
    finish = events.items[-1]
    assert (finish.what, finish.ok) == (SaveWhat.FINISH, False)
    assert "disk is full" in finish.message
    assert history.store.sessions() == []
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    session.retry()
    assert history.flush(5)
    retry = events.items[-1]
    assert (retry.what, retry.ok, retry.unsaved) == (SaveWhat.RETRY, True, 0)
    (saved,) = history.store.sessions()
    assert saved.id == session.session_id
    assert [e.reps for e in history.store.entries_for_session(saved.id)] == [9]
    history.close()


def test_without_a_store_nothing_is_queued_and_defaults_come_from_the_plan() -> None:
    session = GuidedSession(two_set_plan(), FakeClock(T0))
    assert not session.saving
    session.begin()
    drive(session, session.engine.start())
    drive(session, session.engine.complete_set())
    step = session.engine.step
    assert step.kind is StepKind.LOG
    defaults = session.log_defaults(step, None)
    assert (defaults.reps, defaults.load, defaults.unit, defaults.hint) == (10, 0.0, "kg", "")
    drive(session, session.engine.accept_log(7, 10.0, "lb", rpe=9.0))
    drive(session, session.engine.skip())  # past the rest
    drive(session, session.engine.complete_set())
    again = session.log_defaults(session.engine.step, 6)
    assert (again.reps, again.load, again.unit, again.rpe) == (6, 10.0, "lb", 9.0)
    assert again.hint == "Previous set: 7 reps × 10 lb, RPE 9"
