"""What happens right after start: unfinished sessions, repair notices, one window per folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from hipflex_desktop.app import AppContext, build_main_window, open_settings
from hipflex_desktop.domain.history import Entry, EntryKind, Session
from hipflex_desktop.domain.steps import StepKind
from hipflex_desktop.store.history import HistoryStore, UnfinishedSession
from hipflex_desktop.ui.asker import Asker
from hipflex_desktop.ui.main_window import MainWindow
from hipflex_desktop.ui.unfinished_dialog import UnfinishedChoice
from tests.ui.builder_factories import ScriptedAsker


def leave_unfinished_session(data_dir: Path) -> None:
    """A workout with its three hanging-leg-raise sets logged, then the app 'crashed'."""
    store, _ = HistoryStore.open(data_dir)
    store.begin_session(Session("crashed", "hip-flexor-workout", "Hip Flexor Workout",
                                time.time() - 600))
    for index in range(3):
        store.log_entry(Entry(f"e{index}", "crashed", "hanging-leg-raise", EntryKind.REP_SET,
                              index, time.time() - 500 + index, time.time() - 490 + index,
                              reps=9, load=0.0, unit="kg"))
    store.close()  # no finish_session: as if the process died


def window_answering(qtbot: QtBot, data_dir: Path, choice: UnfinishedChoice,
                     asker: ScriptedAsker) -> MainWindow:
    asked: list[UnfinishedSession] = []

    def answer(parent: QWidget, unfinished: UnfinishedSession, _: Asker) -> UnfinishedChoice:
        asked.append(unfinished)
        return choice

    window = build_main_window(AppContext(data_dir, open_settings(data_dir)),
                               asker=asker, ask_unfinished=answer, make_player=None)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.after_start()
    assert [u.session.id for u in asked] == ["crashed"]
    return window


def test_resume_carries_on_at_the_first_set_not_logged(qtbot: QtBot, data_dir: Path) -> None:
    leave_unfinished_session(data_dir)
    window = window_answering(qtbot, data_dir, UnfinishedChoice.RESUME, ScriptedAsker())
    assert window.current_section() == "Session"
    session = window.runner.session
    assert session is not None
    assert session.session_id == "crashed"
    step = session.engine.plan.steps[session.engine._first_step]
    assert (step.kind, step.exercise_id) == (StepKind.REP_SET, "standing-hip-flexor-raise")
    assert "3 sets already logged" in window.runner.banner.text.text()
    window.runner.shutdown()
    window.close()


def test_save_as_is_puts_it_in_the_history(qtbot: QtBot, data_dir: Path) -> None:
    leave_unfinished_session(data_dir)
    window = window_answering(qtbot, data_dir, UnfinishedChoice.SAVE, ScriptedAsker())
    link = window.history
    assert link is not None
    assert link.store.unfinished_session() is None
    assert [s.id for s in link.store.sessions()] == ["crashed"]
    assert len(link.store.entries_for_session("crashed")) == 3
    window.close()


def test_discard_removes_it_and_later_keeps_it(qtbot: QtBot, data_dir: Path) -> None:
    leave_unfinished_session(data_dir)
    window = window_answering(qtbot, data_dir, UnfinishedChoice.LATER, ScriptedAsker())
    link = window.history
    assert link is not None
    assert link.store.unfinished_session() is not None  # closing the prompt changes nothing
    window.close()
    window = window_answering(qtbot, data_dir, UnfinishedChoice.DISCARD, ScriptedAsker())
    link = window.history
    assert link is not None
    assert link.store.unfinished_session() is None
    assert link.store.sessions() == []
    window.close()


def test_damaged_history_is_explained_after_start(qtbot: QtBot, data_dir: Path) -> None:
    store, _ = HistoryStore.open(data_dir)
    store.close()
    (data_dir / "session-in-progress.json").write_text("{ not json", encoding="utf-8")
    asker = ScriptedAsker()
    window = build_main_window(AppContext(data_dir, open_settings(data_dir)), asker=asker)
    qtbot.addWidget(window)
    window.after_start()  # type: ignore[attr-defined]
    assert asker.informed, "the person must be told"
    assert "session-in-progress" in asker.informed[0]
    assert any(data_dir.glob("session-in-progress.damaged-*.json")), "kept aside, not deleted"
    window.close()


@pytest.mark.e2e
def test_second_gui_on_the_same_folder_hands_over_and_exits(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    data = str(tmp_path / "data")
    first = subprocess.Popen([sys.executable, "-m", "hipflex_desktop", "--data-dir", data],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not any((tmp_path / "data").glob("*.lock")) and time.monotonic() < deadline:
            assert first.poll() is None, first.communicate()
            time.sleep(0.1)
        second = subprocess.run([sys.executable, "-m", "hipflex_desktop", "--data-dir", data],
                                env=env, capture_output=True, text=True, timeout=30,
                                check=False)
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stderr
        assert first.poll() is None  # the first one keeps running
    finally:
        first.kill()
        first.communicate(timeout=10)  # reap it and close its pipes


