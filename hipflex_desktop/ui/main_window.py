"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from hipflex_desktop import __version__
from hipflex_desktop.domain.catalog import Catalog, Movement
from hipflex_desktop.ui.exercises_page import ExercisesPage
from hipflex_desktop.ui.svg import app_icon

if TYPE_CHECKING:
    from hipflex_desktop.services import WorkoutLibrary
    from hipflex_desktop.ui.exercise_detail import ExerciseDetail
    from hipflex_desktop.ui.muscles_page import MusclesPage
    from hipflex_desktop.ui.workouts_page import WorkoutsPage

SECTION_EXERCISES = "Exercises"
SECTION_WORKOUTS = "Workouts"
SECTION_MUSCLES = "Muscles"

class MainWindow(QMainWindow):
    """Owns the pages; pages talk to it only through signals."""

    first_painted = Signal(float)  # monotonic time of the first paint (start-up benchmark)

    def __init__(
        self,
        catalog: Catalog,
        library_factory: Callable[[], WorkoutLibrary],
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Hipflex")
        self.setWindowIcon(app_icon())
        self._settings = settings
        self._catalog = catalog
        self._library_factory = library_factory
        self._library: WorkoutLibrary | None = None
        self._painted = False

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(180)
        self.navigation.setAccessibleName("Sections")
        self.pages = QStackedWidget(self)

        self.exercises = ExercisesPage(catalog, self)
        self.library_stack = QStackedWidget(self)
        self.library_stack.addWidget(self.exercises)
        self._detail: ExerciseDetail | None = None

        # Pages other than the first are built when first shown, so start-up pays only
        # for what the first paint needs (bench/startup.py).
        self._factories: dict[str, Callable[[], QWidget]] = {
            SECTION_EXERCISES: self._existing_library_stack,
            SECTION_WORKOUTS: self._build_workouts_page,
            SECTION_MUSCLES: self._build_muscles_page,
        }
        self._built: dict[str, QWidget] = {}
        for name in self._factories:
            self.navigation.addItem(name)
            self.pages.addWidget(QWidget(self.pages))  # placeholder until first shown
        self.navigation.currentRowChanged.connect(self._on_section_changed)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.exercises.movement_opened.connect(self.open_movement)

        self._build_menus()
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.focus_search)
        for number, name in enumerate(self._factories, start=1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.setObjectName(name)
            shortcut.activated.connect(self._on_section_shortcut)

        self.navigation.setCurrentRow(0)
        self._restore_geometry()

    # -- pages, built on first use ------------------------------------------------------
    def page(self, name: str) -> QWidget:
        if name not in self._built:
            index = list(self._factories).index(name)
            page = self._factories[name]()
            placeholder = self.pages.widget(index)
            self.pages.insertWidget(index, page)
            if placeholder is not None:
                self.pages.removeWidget(placeholder)
                placeholder.deleteLater()
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
    def detail(self) -> ExerciseDetail:
        if self._detail is None:
            from hipflex_desktop.ui.exercise_detail import ExerciseDetail

            self._detail = ExerciseDetail(self._catalog, self.library_stack)
            self._detail.back_requested.connect(self.close_movement)
            self._detail.movement_requested.connect(self.open_movement_id)
            self.library_stack.addWidget(self._detail)
        return self._detail

    def _existing_library_stack(self) -> QWidget:
        return self.library_stack

    def _build_workouts_page(self) -> QWidget:
        from hipflex_desktop.ui.workouts_page import WorkoutsPage

        return WorkoutsPage(self.library, self.pages)

    def _build_muscles_page(self) -> QWidget:
        from hipflex_desktop.ui.muscles_page import MusclesPage

        page = MusclesPage(self._catalog, self.pages)
        page.movement_requested.connect(self.open_movement_id)
        return page

    # -- navigation -------------------------------------------------------------------
    def _on_section_changed(self, row: int) -> None:
        if row >= 0:
            self.pages.setCurrentWidget(self.page(list(self._factories)[row]))

    def show_section(self, name: str) -> None:
        self.navigation.setCurrentRow(list(self._factories).index(name))

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
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        keys = QAction("&Keyboard shortcuts", self)
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)
        about = QAction("&About Hipflex", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def show_shortcuts(self) -> None:
        QMessageBox.information(
            self,
            "Keyboard shortcuts",
            "Ctrl+F\tSearch exercises\n"
            "Enter\tOpen the selected card\n"
            "Esc\tBack to the library\n"
            "Ctrl+1 / 2 / 3\tExercises, Workouts, Muscles\n"
            "Ctrl+Q\tQuit",
        )

    def show_about(self) -> None:
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
        else:
            self.resize(1280, 760)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if SECTION_WORKOUTS in self._built and not self.workouts.maybe_save():
            event.ignore()
            return
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit(time.monotonic())

