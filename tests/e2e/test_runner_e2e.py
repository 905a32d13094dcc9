"""The whole Hip Flexor Workout, from the Workouts page to the history, by keyboard only.

The real main window, the real runner, the real history store in a temporary
data folder; only the clock is fake (time is stepped, the driver's deadline
timer fires exactly at each deadline) and the audio is a recorder. Set
``HIPFLEX_SCREENSHOT_DIR`` to keep a PNG of the window in every phase.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hipflex_desktop.app import open_settings
from hipflex_desktop.audio.recording import RecordingCuePlayer
from hipflex_desktop.domain.catalog_loader import load_builtin_workouts, load_catalog
from hipflex_desktop.domain.cues import Phase
from hipflex_desktop.domain.engine import FakeClock
from hipflex_desktop.domain.history import EntryKind
from hipflex_desktop.domain.steps import StepKind, build_plan
from hipflex_desktop.services import open_workout_library
from hipflex_desktop.session import HistoryLink
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.ui.main_window import SECTION_SESSION, SECTION_WORKOUTS, MainWindow
from hipflex_desktop.ui.main_window import SessionServices as Services
from hipflex_desktop.ui.runner_page import RunnerPage

pytestmark = pytest.mark.e2e

T0 = 5000.0
WORKOUT_ID = "hip-flexor-workout"


class App:
    def __init__(self, qtbot: QtBot, data_dir: Path) -> None:
        self.qtbot = qtbot
        self.clock = FakeClock(T0)
        self.data_dir = data_dir
        self.player: RecordingCuePlayer | None = None
        catalog = load_catalog()
        self.window = MainWindow(
            catalog,
            partial(open_workout_library, data_dir, catalog),
            open_settings(data_dir),
            services=Services(open_history=partial(HistoryLink.open, data_dir),
                              make_player=self.make_player, clock=self.clock),
        )
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)
        self.window.show()
        self.window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is self.window)
        self.shots = os.environ.get("HIPFLEX_SCREENSHOT_DIR")
        self.shot_names: set[str] = set()

    def make_player(self, parent: QObject) -> RecordingCuePlayer:
        self.player = RecordingCuePlayer(clock=self.clock.monotonic)
        return self.player

    @property
    def runner(self) -> RunnerPage:
        return self.window.runner

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
              ) -> None:
        """A key as the keyboard delivers it: to whatever has the focus."""
        self.qtbot.keyClick(self.focused(), key, modifier)

    def phase(self) -> Phase:
        session = self.runner.session
        assert session is not None
        return session.engine.snapshot().active_phase

    def step_kind(self) -> StepKind:
        session = self.runner.session
        assert session is not None
        return session.engine.step.kind

    def wait(self, seconds: float) -> None:
        """Time passes: repaint ticks, and each deadline delivered exactly when due."""
        driver = self.runner.driver
        session = self.runner.session
        assert driver is not None
        assert session is not None
        start = self.clock.monotonic()
        ticks = max(1, round(seconds / 0.05))
        for tick in range(1, ticks + 1):
            target = start + seconds if tick == ticks else start + tick * 0.05
            while (deadline := session.engine.next_deadline()) is not None and (
                deadline <= target + 1e-9
            ):
                if self.clock.monotonic() < deadline:
                    self.clock.advance(deadline - self.clock.monotonic() + 1e-9)
                driver.deadline_timer.timeout.emit()
            if self.clock.monotonic() < target:
                self.clock.advance(target - self.clock.monotonic())
            driver.repaint_timer.timeout.emit()

    def shot(self, name: str) -> None:
        if self.shots and name not in self.shot_names:
            self.shot_names.add(name)
            self.runner.clock.stop_flash()
            QApplication.processEvents()
            self.window.grab().save(str(Path(self.shots) / f"{name}.png"))


def test_the_hip_flexor_workout_from_start_to_history_by_keyboard(
    qtbot: QtBot, data_dir: Path
) -> None:
    app = App(qtbot, data_dir)
    window = app.window
    app.press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == SECTION_WORKOUTS
    assert window.workouts.editor.workout_id == WORKOUT_ID  # the first workout is open
    app.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == SECTION_SESSION
    runner = app.runner
    assert app.focused() is runner
    assert runner.clock.main_text == "Start"
    app.shot("00-ready")

    app.press(Qt.Key.Key_Space)  # go
    reps_typed = {0: "9", 1: "8", 2: "", 3: "10", 4: "", 5: "9"}
    rep_sets = 0
    redone = False
    for _ in range(500):  # every pass moves the session on; a stuck runner fails, not hangs
        phase = app.phase()
        if phase is Phase.DONE:
            break
        if phase is Phase.REPS:
            app.shot("01-reps")
            if app.step_kind() is StepKind.REP_SET and rep_sets == 3:
                app.press(Qt.Key.Key_R)  # count a rep at the top: the tempo cue follows
                app.wait(2.1)
            app.press(Qt.Key.Key_Return)
        elif phase is Phase.LOG:
            app.shot("02-log")
            for digit in reps_typed[rep_sets]:
                app.press(Qt.Key(ord(digit)))
            app.press(Qt.Key.Key_Return)
            rep_sets += 1
            if rep_sets == 2 and not redone:
                redone = True  # back to the log just saved, and fix it: one entry, replaced
                app.press(Qt.Key.Key_Backspace)
                assert app.phase() is Phase.LOG
                rep_sets -= 1
                reps_typed[1] = "7"
        elif phase is Phase.REST:
            app.shot("03-rest" if app.step_kind() is StepKind.REST else "07-interval-rest")
            if rep_sets == 4:
                app.press(Qt.Key.Key_N)  # skip one rest
            else:
                app.press(Qt.Key.Key_Minus)  # a shorter rest, then wait it out
                app.wait(1.0)
                app.wait(max(0.05, runner.session.engine.snapshot().remaining_s or 0.05))  # type: ignore[union-attr]
        elif phase is Phase.LEAD_IN:
            app.shot("04-lead-in")
            app.wait(1.0)
        elif phase is Phase.WORK:
            app.shot("05-work")
            if "06-focus" not in app.shot_names:
                app.press(Qt.Key.Key_F)
                app.wait(0.5)
                app.shot("06-focus")
                app.press(Qt.Key.Key_F)
            app.wait(1.0)
        else:  # pragma: no cover - a phase this workout does not have
            pytest.fail(f"unexpected phase {phase}")
    else:
        pytest.fail(f"the session did not finish; it is in {app.phase()}")
    app.shot("08-summary")

    summary = runner.session.engine.summary  # type: ignore[union-attr]
    assert summary is not None
    assert summary.completed
    assert summary.workout_id == WORKOUT_ID
    assert summary.total_reps == 9 + 7 + 10 + 10 + 10 + 9
    view = runner.summary_view
    assert view.heading.text() == "Session complete"
    assert view.stat_values["Sets"].text() == "7"
    assert view.stat_values["Total reps"].text() == "55"
    qtbot.waitUntil(lambda: view.save_status.text() == "Saved to your history ✓", timeout=5000)
    assert app.player is not None
    kinds = [kind for kind, _ in app.player.cues]
    assert kinds.count("go") == 3  # three mountain-climber rounds
    assert "tempo" in kinds
    assert kinds[-1] == "session_complete"

    app.press(Qt.Key.Key_Return)  # leave the summary
    assert window.current_section() == SECTION_WORKOUTS
    window.close()  # releases the data folder

    store, _ = HistoryStore.open(data_dir)
    with store:
        (session,) = store.sessions()
        assert (session.workout_id, session.workout_name) == (WORKOUT_ID, "Hip Flexor Workout")
        assert session.ended_at is not None
        entries = store.entries_for_session(session.id)
    catalog = load_catalog()
    workout = next(w for w in load_builtin_workouts(catalog) if w.id == WORKOUT_ID)
    plan = build_plan(workout, catalog)
    expected_exercises = [s.exercise_id for s in plan.steps
                          if s.kind in (StepKind.LOG, StepKind.INTERVAL_WORK)]
    assert [e.exercise_id for e in entries] == expected_exercises
    assert [e.reps for e in entries if e.kind is EntryKind.REP_SET] == [9, 7, 10, 10, 10, 9]
    rounds = [e for e in entries if e.kind is EntryKind.INTERVAL_ROUND]
    assert [e.work_s for e in rounds] == [pytest.approx(30)] * 3
    assert len({e.id for e in entries}) == len(entries) == 9
