"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

import time

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
from hipflex_desktop.services import WorkoutLibrary
from hipflex_desktop.ui.exercise_detail import ExerciseDetail
from hipflex_desktop.ui.exercises_page import ExercisesPage
from hipflex_desktop.ui.muscles_page import MusclesPage
from hipflex_desktop.ui.svg import app_icon
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
        library: WorkoutLibrary,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Hipflex")
        self.setWindowIcon(app_icon())
        self._settings = settings
        self._painted = False

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(180)
        self.navigation.setAccessibleName("Sections")
        self.pages = QStackedWidget(self)

        self.exercises = ExercisesPage(catalog, self)
        self.detail = ExerciseDetail(catalog, self)
        self.library_stack = QStackedWidget(self)
        self.library_stack.addWidget(self.exercises)
        self.library_stack.addWidget(self.detail)
        self.workouts = WorkoutsPage(library, self)
        self.muscles = MusclesPage(catalog, self)

        self._sections: dict[str, QWidget] = {}
        for name, page in (
            (SECTION_EXERCISES, self.library_stack),
            (SECTION_WORKOUTS, self.workouts),
            (SECTION_MUSCLES, self.muscles),
        ):
            self._sections[name] = page
            self.navigation.addItem(name)
            self.pages.addWidget(page)
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.exercises.movement_opened.connect(self.open_movement)
        self.detail.back_requested.connect(self.close_movement)
        self.detail.movement_requested.connect(self.open_movement_id)
        self.muscles.movement_requested.connect(self.open_movement_id)
        self._catalog = catalog

        self._build_menus()
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.focus_search)
        for number, name in enumerate(self._sections, start=1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.setObjectName(name)
            shortcut.activated.connect(self._on_section_shortcut)

        self.navigation.setCurrentRow(0)
        self._restore_geometry()

    # -- navigation -------------------------------------------------------------------
    def show_section(self, name: str) -> None:
        self.navigation.setCurrentRow(list(self._sections).index(name))

    def current_section(self) -> str:
        return list(self._sections)[self.navigation.currentRow()]

    def open_movement(self, movement: Movement) -> None:
        self.show_section(SECTION_EXERCISES)
        self.detail.show_movement(movement)
        self.library_stack.setCurrentWidget(self.detail)

    def open_movement_id(self, movement_id: str) -> None:
        self.open_movement(self._catalog.get(movement_id))

    def close_movement(self) -> None:
        previous = self.detail.movement
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
        if not self.workouts.maybe_save():
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

