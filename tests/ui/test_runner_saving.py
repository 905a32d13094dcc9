"""The runner saves through the real history store, off the UI thread, and survives failures."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hipflex_desktop.audio.recording import RecordingCuePlayer
from hipflex_desktop.domain.cues import Phase
from hipflex_desktop.domain.engine import FakeClock
from hipflex_desktop.domain.history import Entry, EntryKind, Session
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.domain.steps import Plan, PlanBlock, plan_from_blocks
from hipflex_desktop.session import GuidedSession, HistoryLink
from hipflex_desktop.store import atomic
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.ui.runner_page import RunnerPage
from tests.ui.test_runner import T0, pump

WAIT_MS = 5000


def two_set_plan() -> Plan:
    return plan_from_blocks(
        "Raises",
        [PlanBlock("leg-raise", "Leg Raise", Kind.REPS,
                   Prescription(sets=2, reps_min=8, reps_max=10, rest_seconds=60))],
        workout_id="raises",
    )


def seed_history(data_dir: Path, reps: int, load: float, unit: str) -> None:
    """A finished session from last week with one set of leg raises."""
    store, _ = HistoryStore.open(data_dir)
    with store:
        wall = 1_800_000_000.0 - 7 * 86400
        store.begin_session(Session("old", "raises", "Raises", wall))
        store.log_entry(Entry("old-1", "old", "leg-raise", EntryKind.REP_SET, 0, wall, wall + 30,
                              reps=reps, load=load, unit=unit, rpe=8.0))
        store.finish_session(wall + 600)


class Rig:
    def __init__(self, qtbot: QtBot, data_dir: Path) -> None:
        self.qtbot = qtbot
        self.clock = FakeClock(T0)
        self.player = RecordingCuePlayer(clock=self.clock.monotonic)
        self.runner = RunnerPage(player=self.player)
        qtbot.addWidget(self.runner)
        self.runner.resize(1186, 720)
        self.runner.show()
        self.history = HistoryLink.open(data_dir)
        self.session = GuidedSession(two_set_plan(), self.clock, history=self.history)
        self.runner.run(self.session, autostart=True)

    @property
    def store(self) -> HistoryStore:
        return self.history.store

    def key(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(self.runner, key)

    def wait_saved(self) -> None:
        self.qtbot.waitUntil(lambda: self.runner.save_badge.text() == "Saved ✓", timeout=WAIT_MS)


@pytest.fixture
def rig(qtbot: QtBot, data_dir: Path) -> Iterator[Rig]:
    seed_history(data_dir, reps=9, load=5.0, unit="lb")
    r = Rig(qtbot, data_dir)
    yield r
    r.runner.shutdown()
    r.history.close()


def test_log_sheet_is_prefilled_from_last_time_and_enter_saves_durably(rig: Rig) -> None:
    rig.wait_saved()  # the session's start is on disk
    rig.key(Qt.Key.Key_Return)
    sheet = rig.runner.log_sheet
    assert (sheet.reps.value(), sheet.load.value(), sheet.unit.currentText()) == (10, 5.0, "lb")
    assert sheet.rpe.currentData() == 8.0
    assert "Last time: 9 reps × 5 lb, RPE 8" in sheet.hint.text()
    rig.key(Qt.Key.Key_Return)
    entry = rig.session.engine.entries[0]
    assert sheet.status.text() in ("Saving…", "Saved ✓")
    rig.qtbot.waitUntil(lambda: sheet.status.text() == "Saved ✓", timeout=WAIT_MS)
    reopened_journal = rig.store.entry(entry.id)
    assert reopened_journal == entry
    assert not rig.store.has_unsaved()
    # The second set is prefilled from the first one today.
    pump(rig.runner, rig.clock, 60)
    rig.key(Qt.Key.Key_Return)
    assert "Previous set: 10 reps × 5 lb, RPE 8" in sheet.hint.text()


def test_redoing_a_set_after_back_replaces_its_entry(rig: Rig, data_dir: Path) -> None:
    rig.key(Qt.Key.Key_Return)
    rig.key(Qt.Key.Key_Return)  # 10 reps
    rig.key(Qt.Key.Key_Backspace)  # back to the log
    assert rig.session.engine.phase is Phase.LOG
    rig.qtbot.keyClick(rig.runner, Qt.Key.Key_8)
    rig.qtbot.keyClick(rig.runner.log_sheet.reps, Qt.Key.Key_Return)
    rig.wait_saved()
    entries = rig.store.active_entries()
    assert [(e.reps, e.set_index) for e in entries] == [(8, 0)]
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_Return)  # end the session
    rig.qtbot.waitUntil(
        lambda: rig.runner.summary_view.save_status.text() == "Saved to your history ✓",
        timeout=WAIT_MS,
    )
    rig.history.close()
    store, _ = HistoryStore.open(data_dir)
    with store:
        session = store.session(rig.session.session_id)
        assert session is not None
        assert session.ended_at is not None
        assert [e.reps for e in store.entries_for_session(session.id)] == [8]


class StuckDisk:
    """Makes fsync block (a slow disk) or fail (a full disk) on the writer thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()
        self.full = False
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            self.entered.set()
            self.gate.wait(10)
            if self.full:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        monkeypatch.setattr(atomic.os, "fsync", fsync)


def test_a_stuck_disk_never_holds_up_the_runner(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = StuckDisk(monkeypatch)
    rig = Rig(qtbot, data_dir)
    try:
        rig.wait_saved()
        disk.gate.clear()
        disk.entered.clear()
        rig.key(Qt.Key.Key_Return)
        rig.key(Qt.Key.Key_Return)  # logged; the save is now stuck in fsync
        assert disk.entered.wait(5)
        assert rig.runner.log_sheet.status.text() == "Saving…"
        cues_before = len(rig.player.cues)
        pump(rig.runner, rig.clock, 61)  # the rest runs out on time while the disk is stuck
        assert rig.session.engine.phase is Phase.REPS
        assert len(rig.player.cues) > cues_before
        disk.gate.set()
        rig.qtbot.waitUntil(lambda: rig.runner.log_sheet.status.text() == "Saved ✓"
                            or rig.runner.log_sheet.isHidden(), timeout=WAIT_MS)
        rig.wait_saved()
    finally:
        disk.gate.set()
        rig.runner.shutdown()
        rig.history.close()


def test_a_full_disk_shows_a_banner_keeps_the_session_going_and_retry_saves(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = StuckDisk(monkeypatch)
    rig = Rig(qtbot, data_dir)
    try:
        rig.wait_saved()
        disk.full = True
        rig.key(Qt.Key.Key_Return)
        rig.key(Qt.Key.Key_Return)
        banner = rig.runner.banner
        qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
        assert banner.text.text().startswith("Not saved yet: ")
        assert "disk is full" in banner.text.text()
        assert banner.action.text() == "Retry"
        assert banner.action.isVisible()
        assert rig.runner.log_sheet.status.text().startswith("Not saved yet")
        assert rig.runner.save_badge.text() == "● Not saved yet"
        assert rig.session.engine.phase is Phase.REST  # training goes on
        pump(rig.runner, rig.clock, 60)
        assert rig.session.engine.phase is Phase.REPS
        entry = rig.session.engine.entries[0]
        assert [e.id for e in rig.store.unsaved_entries()] == [entry.id]
        disk.full = False
        banner.action.click()
        rig.wait_saved()
        assert not rig.store.has_unsaved()
        assert "everything you logged is on disk" in banner.text.text()
    finally:
        rig.runner.shutdown()
        rig.history.close()


def test_a_record_set_is_announced_and_noted_in_the_summary(rig: Rig) -> None:
    rig.key(Qt.Key.Key_Return)
    rig.qtbot.keyClicks(rig.runner.log_sheet.reps, "")
    rig.qtbot.keyClick(rig.runner, Qt.Key.Key_1)
    rig.qtbot.keyClick(rig.runner.log_sheet.reps, Qt.Key.Key_2)
    rig.qtbot.keyClick(rig.runner.log_sheet.reps, Qt.Key.Key_Return)
    assert rig.session.engine.entries[0].reps == 12
    assert rig.player.args_of("announce_personal_best") == [("New best: 12 reps",)]
    rig.key(Qt.Key.Key_Escape)
    rig.key(Qt.Key.Key_Return)
    notable = rig.runner.summary_view.notable.text()
    assert "Most reps yet in a set of Leg Raise: 12 (before: 9)" in notable
