"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6 import QtCore
from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from hipflex_desktop import __version__
from hipflex_desktop.domain.catalog import Catalog, Movement
from hipflex_desktop.ui.exercises_page import CardFaces, ExercisesPage, MuscleLike
from hipflex_desktop.ui.svg import app_icon

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent

    from hipflex_desktop.audio import CuePlayer
    from hipflex_desktop.domain.cues import SessionSummary
    from hipflex_desktop.domain.engine import Clock
    from hipflex_desktop.domain.progress import PersonalBest
    from hipflex_desktop.domain.steps import Plan
    from hipflex_desktop.domain.workouts import Workout
    from hipflex_desktop.services import WorkoutLibrary
    from hipflex_desktop.session import HistoryLink
    from hipflex_desktop.store.coaching import CoachingStore
    from hipflex_desktop.store.history import HistoryStore, UnfinishedSession
    from hipflex_desktop.ui.asker import Asker
    from hipflex_desktop.ui.dashboard_page import DashboardPage
    from hipflex_desktop.ui.exercise_detail import ExerciseDetail
    from hipflex_desktop.ui.file_actions import FileActions
    from hipflex_desktop.ui.history_page import HistoryPage
    from hipflex_desktop.ui.muscles_page import MusclesPage
    from hipflex_desktop.ui.quick_timer_page import QuickTimerPage
    from hipflex_desktop.ui.runner_page import RunnerPage
    from hipflex_desktop.ui.unfinished_dialog import UnfinishedChoice
    from hipflex_desktop.ui.workouts_page import WorkoutsPage

SECTION_EXERCISES = "Exercises"
SECTION_WORKOUTS = "Workouts"
SECTION_MUSCLES = "Muscles"
SECTION_QUICK_TIMER = "Quick Timer"
SECTION_SESSION = "Session"
SECTION_DASHBOARD = "Dashboard"
SECTION_HISTORY = "History"
SECTION_SETTINGS = "Settings"
# After --exit-when-done's session ends: long enough for the last sound to be heard.
EXIT_AFTER_FINISH_MS = 600


@dataclass
class SessionServices:
    """What guided sessions need from the app; injected so tests can use fakes.

    ``open_history`` raises ``StoreError`` when the history cannot be opened
    (sessions then run without saving, and say so). ``make_player`` builds the
    audio cue player the first time the runner is built. ``lead_in_s`` is the
    person's "get ready" preference for workouts.
    """

    open_history: Callable[[], HistoryLink] | None = None
    make_player: Callable[[QObject], CuePlayer] | None = None
    clock: Clock | None = None
    lead_in_s: Callable[[], float] | None = None
    asker: Asker | None = None
    open_coaching: Callable[[], CoachingStore] | None = None
    ask_unfinished: Callable[[QWidget, UnfinishedSession, Asker], UnfinishedChoice] | None = None
    data_dir: Path | None = None

class MainWindow(QMainWindow):
    """Owns the pages; pages talk to it only through signals.

    Its keyboard shortcuts, icon and File ▸ Import/Export arrive in ``finish_start()``:
    ``run_gui`` calls it right after the first frame, and the first paint queues it (a
    window that is never shown has none of them until it is called).
    """

    first_painted = Signal(float)  # monotonic time of the first paint (start-up benchmark)

    def __init__(
        self,
        catalog: Catalog,
        library_factory: Callable[[], WorkoutLibrary],
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        services: SessionServices | None = None,
        muscles: Mapping[str, MuscleLike] | None = None,
        card_faces: CardFaces | None = None,
    ) -> None:
        """``muscles``, ``card_faces``: see ExercisesPage."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Hipflex")  # the icon follows in finish_start()
        self._settings = settings
        self._catalog = catalog
        self._library_factory = library_factory
        self._library: WorkoutLibrary | None = None
        self._painted = False
        self._services = services or SessionServices()
        self._history: HistoryLink | None = None
        self._history_problem = ""
        self._exit_when_done = False
        self._cue_log_path: Path | None = None
        self._return_section = SECTION_EXERCISES
        self._was_maximized = False
        self._coaching: CoachingStore | None = None
        self._stale: set[str] = set()  # built pages to refresh when next shown
        self._file_actions: FileActions | None = None
        self._start_finished = False
        self._player: CuePlayer | None = None

        # Each widget is made inside its final parent: moving a built page to another
        # parent makes Qt re-apply the style sheet to all of it (~2 ms a move at start-up).
        central = QWidget(self)
        self.navigation = QListWidget(central)
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(180)
        self.navigation.setAccessibleName("Sections")
        self.pages = QStackedWidget(central)
        self.library_stack = QStackedWidget(self.pages)
        self.exercises = ExercisesPage(catalog, self.library_stack, muscles=muscles,
                                       card_faces=card_faces)
        self.library_stack.addWidget(self.exercises)
        self._detail: ExerciseDetail | None = None

        # Pages other than the first are built when first shown, so start-up pays only
        # for what the first paint needs (bench/startup.py).
        self._factories: dict[str, Callable[[], QWidget]] = {
            SECTION_EXERCISES: self._existing_library_stack,
            SECTION_WORKOUTS: self._build_workouts_page,
            SECTION_DASHBOARD: self._build_dashboard_page,
            SECTION_HISTORY: self._build_history_page,
            SECTION_QUICK_TIMER: self._build_quick_timer_page,
            SECTION_MUSCLES: self._build_muscles_page,
            SECTION_SETTINGS: self._build_settings_page,
            SECTION_SESSION: self._build_runner_page,
        }
        self._built: dict[str, QWidget] = {}
        for name in self._factories:
            self.navigation.addItem(name)
        self._session_item().setHidden(True)  # shown while a session is on
        self.navigation.currentRowChanged.connect(self._on_section_changed)

        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.exercises.movement_opened.connect(self.open_movement)

        self._build_menus()  # their keys come in finish_start()
        self.navigation.setCurrentRow(0)
        self._restore_geometry()

    # -- pages, built on first use ------------------------------------------------------
    def page(self, name: str) -> QWidget:
        if name not in self._built:
            page = self._factories[name]()
            self.pages.addWidget(page)  # the stack holds built pages only, in build order
            self._built[name] = page
        return self._built[name]

    @property
    def library(self) -> WorkoutLibrary:
        if self._library is None:
            self._library = self._library_factory()
        return self._library

    @property
    def workouts(self) -> WorkoutsPage:
        return cast("WorkoutsPage", self.page(SECTION_WORKOUTS))

    @property
    def muscles(self) -> MusclesPage:
        return cast("MusclesPage", self.page(SECTION_MUSCLES))

    @property
    def quick_timer(self) -> QuickTimerPage:
        return cast("QuickTimerPage", self.page(SECTION_QUICK_TIMER))

    @property
    def runner(self) -> RunnerPage:
        return cast("RunnerPage", self.page(SECTION_SESSION))

    def runner_built(self) -> bool:
        return SECTION_SESSION in self._built

    @property
    def history(self) -> HistoryLink | None:
        """The history store and its writer, opened on first use; None if it cannot open."""
        if self._history is None and not self._history_problem:
            opener = self._services.open_history
            if opener is None:
                self._history_problem = "No history store is configured."
                return None
            from hipflex_desktop.store.errors import StoreError

            try:
                self._history = opener()
            except (StoreError, OSError) as error:
                self._history_problem = str(error)
        return self._history

    @property
    def coaching(self) -> CoachingStore:
        """Weekly target, suggestion answers and self-test results (coaching.json)."""
        if self._coaching is None:
            from hipflex_desktop.store.coaching import CoachingStore

            opener = self._services.open_coaching
            self._coaching = opener() if opener else CoachingStore(Path("."), read_only=True)
        return self._coaching

    @property
    def dashboard(self) -> DashboardPage:
        return cast("DashboardPage", self.page(SECTION_DASHBOARD))

    @property
    def history_page(self) -> HistoryPage:
        return cast("HistoryPage", self.page(SECTION_HISTORY))

    def _bests_for(self, movement_id: str) -> list[PersonalBest]:
        """The card's "Your bests": read from the store only if it is already open."""
        if self._history is None:
            return []
        from hipflex_desktop.domain.progress import personal_bests

        entries = self._history.store.entries_for_exercise(movement_id)
        return list(personal_bests(entries).get(movement_id, ()))

    @property
    def detail(self) -> ExerciseDetail:
        if self._detail is None:
            from hipflex_desktop.ui.exercise_detail import ExerciseDetail

            self._detail = ExerciseDetail(self._catalog, self.library_stack,
                                          bests=self._bests_for)
            self._detail.back_requested.connect(self.close_movement)
            self._detail.movement_requested.connect(self.open_movement_id)
            self.library_stack.addWidget(self._detail)
        return self._detail

    def _existing_library_stack(self) -> QWidget:
        return self.library_stack

    def _build_workouts_page(self) -> QWidget:
        from hipflex_desktop.ui.workouts_page import WorkoutsPage

        page = WorkoutsPage(self.library, self.pages, can_start=True)
        page.start_requested.connect(self.start_workout)
        return page

    def _build_quick_timer_page(self) -> QWidget:
        from hipflex_desktop.ui.quick_timer_page import QuickTimerPage

        page = QuickTimerPage(self.pages)
        page.start_requested.connect(self._on_quick_timer_requested)
        return page

    def _build_runner_page(self) -> QWidget:
        """The runner, with the audio player made on first use (not at start-up)."""
        from hipflex_desktop.ui.runner_page import RunnerPage

        page = RunnerPage(self.pages)
        player = self.player
        if player is not None:
            page.set_player(player)
        page.finished.connect(self._on_session_finished)
        page.close_requested.connect(self.close_session)
        page.focus_mode_changed.connect(self._on_focus_mode_changed)
        return page

    def _build_history_page(self) -> QWidget:
        from hipflex_desktop.ui.history_page import HistoryPage

        link = self.history
        page = HistoryPage(link.store if link else None, self._catalog, self.pages,
                           asker=self._services.asker, problem=self._history_problem)
        page.open_exercise_requested.connect(self.open_movement_id)
        page.history_changed.connect(self._on_history_changed)
        self.edit_menu.addAction(page.undo_action)
        self.edit_menu.addAction(page.redo_action)
        return page

    def _build_dashboard_page(self) -> QWidget:
        from hipflex_desktop.ui.dashboard_page import DashboardPage

        link = self.history
        page = DashboardPage(link.store if link else None, self.coaching, self.library,
                             self.pages, asker=self._services.asker,
                             problem=self._history_problem)
        page.start_workout_requested.connect(self.start_workout)
        page.stretch_routine_requested.connect(self.start_workout)
        page.open_session_requested.connect(self.open_history_session)
        return page

    def open_history_session(self, session_id: str) -> None:
        self.show_section(SECTION_HISTORY)
        self.history_page.open_session(session_id)

    def _on_history_changed(self) -> None:
        """An edit, undo, import or finished session: pages built from history go stale."""
        self._stale |= {SECTION_HISTORY, SECTION_DASHBOARD}
        current = self.current_section()
        if current in self._stale and current in self._built:
            self._refresh(current)

    def _refresh(self, name: str) -> None:
        self._stale.discard(name)
        if self._history is not None:
            self._history.flush()
        page = self._built[name]
        if name in (SECTION_HISTORY, SECTION_DASHBOARD):
            cast("HistoryPage | DashboardPage", page).refresh()

    @property
    def player(self) -> CuePlayer | None:
        """The one audio player, shared by the runner and the Settings page's test button."""
        if self._player is None and self._services.make_player is not None:
            self._player = self._services.make_player(self)
        return self._player

    def _build_settings_page(self) -> QWidget:
        from hipflex_desktop.ui.settings_page import SettingsPage

        return SettingsPage(self._settings, self.player, self._services.data_dir, self.pages)

    def _build_muscles_page(self) -> QWidget:
        from hipflex_desktop.ui.muscles_page import MusclesPage

        page = MusclesPage(self._catalog, self.pages)
        page.movement_requested.connect(self.open_movement_id)
        return page

    # -- navigation -------------------------------------------------------------------
    def _on_section_changed(self, row: int) -> None:
        if row >= 0:
            name = list(self._factories)[row]
            self.pages.setCurrentWidget(self.page(name))
            if name in self._stale:
                self._refresh(name)
            # Keys go to the page just shown (Ctrl+Enter to start, Space in the runner).
            if name == SECTION_SESSION:
                self.runner.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            elif name == SECTION_WORKOUTS:
                self.workouts.workout_list.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            elif name == SECTION_QUICK_TIMER:
                self.quick_timer.focus_first_field()

    def show_section(self, name: str) -> None:
        if name == SECTION_SESSION and self._session_item().isHidden():
            return  # no session to show
        self.navigation.setCurrentRow(list(self._factories).index(name))

    def _session_item(self) -> QListWidgetItem:
        item = self.navigation.item(list(self._factories).index(SECTION_SESSION))
        assert item is not None
        return item

    # -- guided sessions --------------------------------------------------------------------
    def session_running(self) -> bool:
        return self.runner_built() and self.runner.running

    def start_workout(self, workout_id: str, *, autostart: bool = False) -> bool:
        """Open the runner on a saved or built-in workout (by id or name)."""
        from hipflex_desktop.domain.steps import PlanError, build_plan

        workout = self.library.find(workout_id)
        if workout is None:
            self._tell("No such workout", f"There is no workout called “{workout_id}”.")
            return False
        workout, planned_loads = self._with_accepted_suggestions(workout)
        try:
            plan = build_plan(workout, self._catalog)
        except PlanError as error:
            self._tell("This workout cannot run", str(error))
            return False
        return self.start_plan(plan, record=True, autostart=autostart,
                               planned_loads=planned_loads)

    def _with_accepted_suggestions(
        self, workout: Workout
    ) -> tuple[Workout, dict[str, tuple[float, str]]]:
        """Apply the progression suggestions the person accepted on the Dashboard.

        Returns the adjusted workout and the loads to prefill in the log, by exercise.
        """
        link = self.history
        if link is None:
            return workout, {}
        from hipflex_desktop.domain.coaching import suggestions_for_workout
        from hipflex_desktop.store.coaching import accepted_workout, workout_entries

        found = suggestions_for_workout(workout, workout_entries(link.store, workout),
                                        self._catalog)
        decisions = self.coaching.decisions()
        loads = {
            s.exercise_id: (s.load_change.to_load, str(s.load_change.unit))
            for s in found
            if s.id in decisions.accepted and s.load_change is not None
            and s.load_change.to_load is not None
        }
        return accepted_workout(workout, found, decisions), loads

    def start_quick_timer(self, kind: str, values: dict[str, int]) -> bool:
        """Show the Quick Timer with these numbers and start it at once."""
        page = self.quick_timer
        page.set_timer(kind, values)
        return self.start_plan(page.plan(), record=False, autostart=True)

    def _on_quick_timer_requested(self, kind: str, values: dict[str, int], plan: Plan) -> None:
        self.start_plan(plan, record=False, autostart=True)

    def bring_to_front(self) -> None:
        """Another `hipflex` was started on this data folder: show this window instead."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # -- after the first paint --------------------------------------------------------------
    def after_start(self) -> None:
        """Open the history, say what was repaired, and offer an unfinished session.

        Runs from the event loop right after the first paint, so start-up stays fast.
        """
        from hipflex_desktop.ui.asker import MessageBoxAsker

        asker = self._services.asker or MessageBoxAsker()
        link = self.history
        if link is None:
            asker.inform(self, "Your history could not be opened",
                         f"{self._history_problem} Sessions will run without being saved.")
            return
        notices = [n.message for n in link.notices]
        notices += [n.message for n in self.coaching.notices]
        if notices:
            asker.inform(self, "Hipflex checked your data", "\n\n".join(notices))
        unfinished = link.store.unfinished_session()
        if unfinished is None:
            return
        from hipflex_desktop.ui.unfinished_dialog import UnfinishedChoice, UnfinishedSessionPrompt

        ask = self._services.ask_unfinished
        choice = (ask(self, unfinished, asker) if ask is not None
                  else UnfinishedSessionPrompt(self, unfinished, asker).run())
        if choice is UnfinishedChoice.RESUME:
            self.resume_unfinished()
        elif choice is UnfinishedChoice.SAVE:
            link.store.save_unfinished()
            self._on_history_changed()
        elif choice is UnfinishedChoice.DISCARD:
            link.store.discard_unfinished()

    def resume_unfinished(self) -> bool:
        """Carry on with the unfinished session at its first set not yet logged."""
        link = self.history
        unfinished = link.store.unfinished_session() if link is not None else None
        if link is None or unfinished is None:
            return False
        workout_id = unfinished.session.workout_id
        workout = self.library.find(workout_id) if workout_id else None
        if workout is None:
            link.store.save_unfinished()
            self._tell("Saved instead of resumed",
                       "That session's workout no longer exists, so it was saved to your "
                       "history as it was.")
            self._on_history_changed()
            return False
        from hipflex_desktop.domain.steps import build_plan, resume_index

        plan = build_plan(workout, self._catalog)
        resumed = link.store.resume_unfinished()
        started = self.start_plan(plan, record=True, autostart=False,
                                  session_id=resumed.session.id,
                                  first_step=resume_index(plan, resumed.entries))
        if started:
            count = len(resumed.entries)
            self.runner.banner.show_message(
                f"Resumed “{resumed.session.workout_name}”: {count} set"
                f"{'s' if count != 1 else ''} already logged. Press Space to carry on.",
                level="info")
        return started

    def start_plan(self, plan: Plan, *, record: bool, autostart: bool,
                   session_id: str | None = None, first_step: int = 0,
                   planned_loads: dict[str, tuple[float, str]] | None = None) -> bool:
        """Run ``plan`` in the Session section; ``record`` saves it to the history."""
        if self.session_running():
            self.show_section(SECTION_SESSION)
            self.runner.banner.show_message(
                "A session is already running: end it first (Esc), then start the next one.",
                level="info",
            )
            return False
        from hipflex_desktop.cue_log import CueLog
        from hipflex_desktop.domain.engine import EngineConfig, MonotonicClock
        from hipflex_desktop.session import GuidedSession

        history = self.history if record else None
        lead_in = self._services.lead_in_s
        config = EngineConfig(lead_in_s=lead_in()) if lead_in is not None else None
        session = GuidedSession(
            plan,
            self._services.clock or MonotonicClock(),
            config=config,
            history=history,
            cue_log=CueLog(self._cue_log_path) if self._cue_log_path is not None else None,
            session_id=session_id,
            first_step=first_step,
            planned_loads=planned_loads,
        )
        current = self.current_section()
        if current != SECTION_SESSION:
            self._return_section = current
        runner = self.runner
        self._session_item().setHidden(False)
        self.show_section(SECTION_SESSION)
        runner.run(session, autostart=autostart)
        if record and history is None:
            runner.banner.show_message(
                f"This session will not be saved: {self._history_problem}", level="error"
            )
        return True

    def close_session(self) -> None:
        """Leave the runner (after the summary, or before starting)."""
        if self.session_running() and self.runner.session is not None:
            if self.runner.session.engine.started:
                return  # a running session ends through its own confirmation
            self.runner.shutdown()
        if self.runner_built():
            self.runner.set_focus_mode(False)
        self._session_item().setHidden(True)
        self.show_section(self._return_section)

    def _on_session_finished(self, summary: SessionSummary) -> None:
        self._on_history_changed()
        if self._exit_when_done:
            QTimer.singleShot(EXIT_AFTER_FINISH_MS, self.close)

    def _on_focus_mode_changed(self, on: bool) -> None:
        self.navigation.setVisible(not on)
        self.menuBar().setVisible(not on)
        if on:
            self._was_maximized = self.isMaximized()
            self.showFullScreen()
        elif self.isFullScreen():
            if self._was_maximized:
                self.showMaximized()
            else:
                self.showNormal()

    def set_launch_options(self, *, exit_when_done: bool, cue_log: Path | None) -> None:
        """Command-line options: close when the session ends, log every cue to a file."""
        self._exit_when_done = exit_when_done
        self._cue_log_path = cue_log

    def _tell(self, title: str, text: str) -> None:
        from hipflex_desktop.ui.asker import MessageBoxAsker

        (self._services.asker or MessageBoxAsker()).inform(self, title, text)

    def current_section(self) -> str:
        return list(self._factories)[self.navigation.currentRow()]

    def open_movement(self, movement: Movement) -> None:
        self.show_section(SECTION_EXERCISES)
        self.detail.show_movement(movement)
        self.library_stack.setCurrentWidget(self.detail)

    def open_movement_id(self, movement_id: str) -> None:
        self.open_movement(self._catalog.get(movement_id))

    def close_movement(self) -> None:
        previous = self._detail.movement if self._detail is not None else None
        self.library_stack.setCurrentWidget(self.exercises)
        if previous is not None:
            self.exercises.select_movement(previous.id)
        self.exercises.focus_grid()

    def focus_search(self) -> None:
        self.show_section(SECTION_EXERCISES)
        self.library_stack.setCurrentWidget(self.exercises)
        self.exercises.focus_search()

    def _on_section_shortcut(self) -> None:
        self.show_section(self.sender().objectName())

    # -- menus ------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.file_menu = file_menu
        # Import and export go above this line in finish_start(), after the first paint.
        self._file_separator = file_menu.addSeparator()
        file_menu.aboutToShow.connect(self.finish_start)
        # Text-only menu actions: a QAction made with its text loads QIcon's enums.
        self._quit_action: QAction = file_menu.addAction("&Quit")
        self._quit_action.triggered.connect(self.close)
        self.edit_menu = self.menuBar().addMenu("&Edit")  # History's undo/redo join it
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("&Keyboard shortcuts").triggered.connect(self.show_shortcuts)
        help_menu.addAction("&About Hipflex").triggered.connect(self.show_about)

    def _add_shortcuts(self) -> None:
        """Ctrl+F, Ctrl+1…8 and Quit's key: after the first paint (QKeySequence's enums
        cost start-up time), before the window takes any input."""
        from PySide6.QtGui import QKeySequence, QShortcut

        self._quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.focus_search)
        for number, name in enumerate(self._factories, start=1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.setObjectName(name)
            shortcut.activated.connect(self._on_section_shortcut)

    def finish_start(self) -> None:
        """Add what the first paint does not show: the keyboard shortcuts, the window icon,
        and File ▸ Import… and Export… (and their keys).

        The icon's SVG, the actions' module, file dialogs and message boxes cost
        start-up time, and the window's content shows none of them. run_gui calls
        this right after the first frame, before the window takes any input; the
        first paint also queues it (windows started some other way, as in tests).
        Safe to call again.
        """
        if self._start_finished:
            return
        self._start_finished = True
        self._add_shortcuts()
        self.setWindowIcon(app_icon())
        from hipflex_desktop.ui.asker import MessageBoxAsker
        from hipflex_desktop.ui.file_actions import FileActions

        self._file_actions = FileActions(self, self._history_store,
                                         self._services.asker or MessageBoxAsker())
        self._file_actions.history_changed.connect(self._on_history_changed)
        self.file_menu.insertActions(
            self._file_separator,
            [self._file_actions.import_action, self._file_actions.export_action],
        )

    def _history_store(self) -> HistoryStore | None:
        link = self.history
        return link.store if link is not None else None

    def show_shortcuts(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(
            self,
            "Keyboard shortcuts",
            "Ctrl+F\tSearch exercises\n"
            "Enter\tOpen the selected card\n"
            "Esc\tBack to the library\n"
            "Ctrl+1 … 8\tExercises, Workouts, Dashboard, History, Quick Timer, Muscles, "
            "Settings, Session\n"
            "Ctrl+Z / Ctrl+Shift+Z\tUndo / redo a history edit\n"
            "Ctrl+I / Ctrl+Shift+E\tImport / export history\n"
            "Ctrl+Enter\tStart the chosen workout or timer\n"
            "?\tKeys of the session runner (while training)\n"
            "Ctrl+Q\tQuit",
        )

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About Hipflex",
            f"Hipflex {__version__}\n\nA trainer for the hip flexors. "
            "Your data stays on this computer.",
        )

    # -- window state -----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self._settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            return
        # First start: roomy, but never larger than the screen (as a restored window is).
        width, height = 1280, 760
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width, height = min(width, available.width()), min(height, available.height())
        self.resize(width, height)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if SECTION_WORKOUTS in self._built and not self.workouts.maybe_save():
            event.ignore()
            return
        if self.session_running() and not self._confirm_quit_session():
            event.ignore()
            return
        if self.runner_built():
            self.runner.set_focus_mode(False)
            self.runner.shutdown()
        if not self.isFullScreen():
            self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.sync()
        if self._history is not None:
            self._history.close()  # waits for queued saves, then releases the folder
            self._history = None
        super().closeEvent(event)

    def _confirm_quit_session(self) -> bool:
        """Quitting mid-session ends it (logging the current work) after asking."""
        runner = self.runner
        session = runner.session
        if session is None or not session.engine.started:
            return True
        from hipflex_desktop.ui.asker import MessageBoxAsker

        asker = self._services.asker or MessageBoxAsker()
        if not asker.confirm(self, "End the session?",
                             "A session is running. Quitting ends it; everything logged so far "
                             "is kept.", "End and quit"):
            return False
        runner.end_now()
        return True

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit(time.monotonic())
            QTimer.singleShot(0, self.finish_start)

