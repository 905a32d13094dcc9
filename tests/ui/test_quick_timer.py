"""The Quick Timer page, alone and inside the main window."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hipflex_desktop.app import open_settings
from hipflex_desktop.audio.recording import RecordingCuePlayer
from hipflex_desktop.domain.catalog_loader import load_catalog
from hipflex_desktop.domain.engine import FakeClock
from hipflex_desktop.domain.steps import StepKind
from hipflex_desktop.services import open_workout_library
from hipflex_desktop.session import HistoryLink
from hipflex_desktop.ui.main_window import (
    SECTION_QUICK_TIMER,
    SECTION_SESSION,
    MainWindow,
    SessionServices,
)
from hipflex_desktop.ui.quick_timer_page import QuickTimerPage
from tests.ui.test_runner import T0, pump


def test_each_kind_builds_its_plan_and_says_how_long_it_takes(qtbot: QtBot) -> None:
    page = QuickTimerPage()
    qtbot.addWidget(page)
    assert page.kind == "hold"
    assert [s.kind for s in page.plan().steps] == [
        StepKind.HOLD, StepKind.REST, StepKind.HOLD, StepKind.REST, StepKind.HOLD,
    ]
    assert "at your pace" in page.duration.text()  # holds run until stopped
    page.kind_buttons["intervals"].click()
    assert page.kind == "intervals"
    page.set_timer("intervals", {"work": 20, "rest": 10, "rounds": 3, "lead_in": 5})
    assert page.values() == {"work": 20, "rest": 10, "rounds": 3, "lead_in": 5}
    assert page.duration.text() == "3 × 20 s on / 10 s off  ·  takes 1 min 25 s"
    page.fields["intervals"]["rounds"].setValue(4)
    assert page.duration.text().endswith("takes 1 min 55 s")
    page.set_timer("sides", {"seconds": 40, "transition": 5})
    assert page.kind == "sides"
    assert [s.kind for s in page.plan().steps] == [StepKind.SIDE, StepKind.SWITCH, StepKind.SIDE]
    page.kind_buttons["accumulate"].click()
    assert page.plan().steps[0].seconds == 60


def test_enter_starts_the_chosen_timer(qtbot: QtBot) -> None:
    page = QuickTimerPage()
    qtbot.addWidget(page)
    page.set_timer("intervals", {"work": 2, "rest": 1, "rounds": 40, "lead_in": 3})
    with qtbot.waitSignal(page.start_requested) as blocker:
        qtbot.keyClick(page, Qt.Key.Key_Return)
    kind, values, plan = blocker.args  # type: ignore[misc]
    assert (kind, values["rounds"]) == ("intervals", 40)
    assert plan.lead_in_s == 3
    assert len(plan.steps) == 79


class Window:
    """A main window with a fake clock, a recording player and a real store in tmp."""

    def __init__(self, qtbot: QtBot, data_dir: Path) -> None:
        self.clock = FakeClock(T0)
        self.players: list[RecordingCuePlayer] = []
        self.history_opens = 0
        self.data_dir = data_dir
        catalog = load_catalog()
        services = SessionServices(
            open_history=self.open_history,
            make_player=self.make_player,
            clock=self.clock,
            lead_in_s=self.lead_in,
        )
        self.window = MainWindow(catalog, partial(open_workout_library, data_dir, catalog),
                                 open_settings(data_dir), services=services)
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)
        self.window.show()
        # Its keyboard shortcuts arrive right after the first paint, as at a real start.
        qtbot.waitUntil(lambda: len(self.window.findChildren(QShortcut)) > 0)

    def open_history(self) -> HistoryLink:
        self.history_opens += 1
        return HistoryLink.open(self.data_dir)

    def make_player(self, parent: QObject) -> RecordingCuePlayer:
        player = RecordingCuePlayer(clock=self.clock.monotonic)
        self.players.append(player)
        return player

    @staticmethod
    def lead_in() -> float:
        return 3.0


@pytest.fixture
def app_window(qtbot: QtBot, data_dir: Path) -> Iterator[Window]:
    w = Window(qtbot, data_dir)
    yield w
    w.window.close()


def test_a_quick_timer_runs_in_the_session_section_and_returns(
    qtbot: QtBot, app_window: Window
) -> None:
    window = app_window.window
    assert not window.runner_built()  # nothing of the runner before it is needed
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == SECTION_QUICK_TIMER
    page = window.quick_timer
    page.kind_buttons["intervals"].click()
    page.set_timer("intervals", {"work": 5, "rest": 2, "rounds": 2, "lead_in": 2})
    qtbot.keyClick(page, Qt.Key.Key_Return)
    assert window.current_section() == SECTION_SESSION
    runner = window.runner
    assert runner.running
    assert runner.isVisible()
    assert QApplication.focusWidget() is runner
    assert runner.save_badge.text() == "Timer only · not recorded"
    assert app_window.history_opens == 0  # quick timers are not saved
    pump(runner, app_window.clock, 2 + 5 + 2 + 5 + 0.1)
    assert runner.session is not None
    assert runner.session.engine.finished
    player = app_window.players[0]
    assert [k for k, _ in player.cues][-1] == "session_complete"
    qtbot.keyClick(runner, Qt.Key.Key_Return)  # leave the summary
    assert window.current_section() == SECTION_QUICK_TIMER
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == SECTION_QUICK_TIMER  # no session: nothing to show


def test_start_quick_timer_from_the_command_line_values(app_window: Window) -> None:
    window = app_window.window
    assert window.start_quick_timer("sides", {"seconds": 10, "transition": 3, "lead_in": 0})
    assert window.quick_timer.kind == "sides"
    runner = window.runner
    assert runner.session is not None
    assert runner.session.engine.started  # the command line starts at once
    assert not window.start_quick_timer("hold", {"seconds": 10})  # one session at a time
    assert "already running" in runner.banner.text.text()
    runner.end_now()


def test_focus_mode_fills_the_screen_and_hides_the_navigation(
    qtbot: QtBot, app_window: Window
) -> None:
    window = app_window.window
    window.start_quick_timer("intervals", {"work": 30, "rest": 10, "rounds": 2, "lead_in": 0})
    runner = window.runner
    qtbot.keyClick(runner, Qt.Key.Key_F)
    assert window.isFullScreen()
    assert window.navigation.isHidden()
    assert window.menuBar().isHidden()
    qtbot.keyClick(runner, Qt.Key.Key_F11)
    assert not window.isFullScreen()
    assert window.navigation.isVisible()
    runner.end_now()
