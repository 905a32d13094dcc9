"""The History page: every session with its sets, edits that can be undone, and progress charts.

Two views share one header. *Sessions* lists sessions newest first beside the
selected session's sets; a set can be edited or deleted, a session deleted, and
each change is saved at once and goes on a QUndoStack (Ctrl+Z / Ctrl+Shift+Z).
*Progress* charts one exercise's metric over time with its personal bests.

Everything shown is computed from the store: one pass over all entries when the
page is (re)loaded (``refresh()``), then only the session a change touched is
re-read, so an edit, an undo or a redo costs one session, not ten years. Edits
run on the UI thread: each rewrites one year file (about 15 ms at ten years).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.history import Entry, EntryKind, Session
from hipflex_desktop.domain.progress import (
    MONTH_NAMES,
    LoadUnit,
    LocalTime,
    Metric,
    PersonalBest,
    available_metrics,
    exercise_series,
    format_day,
    is_warmup,
    personal_bests,
    system_local_time,
)
from hipflex_desktop.store.coaching import SessionRow, summarise_session
from hipflex_desktop.store.errors import StoreError
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.ui import style
from hipflex_desktop.ui.asker import Asker, MessageBoxAsker
from hipflex_desktop.ui.history_widgets import (
    SESSION_ID_ROLE,
    EntryEditDialog,
    EntryTableModel,
    SessionTableModel,
    entry_result_text,
    session_duration_text,
    set_label,
    when_text,
)
from hipflex_desktop.ui.progress_chart import ProgressChart, RangePreset, RangeSelector
from hipflex_desktop.ui.svg import app_icon
from hipflex_desktop.ui.undo import (
    DeleteEntryCommand,
    DeleteSessionCommand,
    EditEntryCommand,
    HistoryCommand,
    apply_and_push,
    redo_safely,
    undo_safely,
)

PathChooser = Callable[[QWidget, str], str | None]
DialogRunner = Callable[[QDialog], int]
EXPORT_SIZE = QSize(1200, 600)
VIEW_SESSIONS = "sessions"
VIEW_PROGRESS = "progress"

PAGE_STYLE = f"""
QTableView {{
    background: {style.SURFACE}; border: 1px solid {style.BORDER}; border-radius: 8px;
    gridline-color: transparent; selection-background-color: {style.ACCENT_SOFT};
    selection-color: {style.INK}; alternate-background-color: #f8fafc; outline: 0;
}}
QTableView::item {{ padding: 0px 8px; border: none; }}
QTableView::item:selected {{ background: {style.ACCENT_SOFT}; color: {style.INK}; }}
QHeaderView::section {{
    background: {style.SURFACE}; color: {style.MUTED}; border: none;
    border-bottom: 1px solid {style.BORDER}; padding: 6px 8px; font-weight: 600;
}}
QFrame#detailCard, QFrame#bestsCard, QFrame#emptyCard {{
    background: {style.SURFACE}; border: 1px solid {style.BORDER}; border-radius: 8px;
}}
QLabel#detailTitle {{ font-size: 18px; font-weight: 600; color: {style.INK}; }}
QLabel#cardTitle {{ font-size: 15px; font-weight: 600; color: {style.INK}; }}
QLabel#bestValue {{ font-size: 15px; font-weight: 600; color: {style.INK}; }}
QLabel#bestLabel {{ color: {style.MUTED}; font-size: 12px; }}
QLabel#emptyTitle {{ font-size: 18px; font-weight: 600; color: {style.INK}; }}
QLabel#chip {{
    color: {style.MUTED}; background: #e4e7eb; border-radius: 8px; padding: 1px 8px;
    font-size: 11px; font-weight: 600;
}}
QToolButton#viewToggle {{
    background: {style.SURFACE}; color: {style.INK}; border: 1px solid {style.BORDER};
    padding: 5px 16px; margin-left: -1px;
}}
QToolButton#viewToggle:checked {{
    background: {style.INK}; color: white; border-color: {style.INK};
}}
QToolButton#viewToggle[position="first"] {{
    border-top-left-radius: 6px; border-bottom-left-radius: 6px;
}}
QToolButton#viewToggle[position="last"] {{
    border-top-right-radius: 6px; border-bottom-right-radius: 6px;
}}
QToolButton#undoButton {{
    background: transparent; border: 1px solid transparent; border-radius: 6px;
    padding: 4px 8px; color: {style.INK};
}}
QToolButton#undoButton:hover {{ background: {style.SURFACE}; border-color: {style.BORDER}; }}
QToolButton#undoButton:disabled {{ color: #9aa5b1; }}
QPushButton#dangerButton {{ color: {style.ERROR}; }}
"""


def exec_dialog(dialog: QDialog) -> int:
    return dialog.exec()


def choose_png_path(parent: QWidget, suggested: str) -> str | None:
    """Ask where to save the chart (the real file dialog; tests inject their own)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export chart as PNG", suggested,
                                          "PNG images (*.png)")
    if not path:
        return None
    return path if path.lower().endswith(".png") else path + ".png"


class HistoryPage(QWidget):
    """Sessions and progress of one history store.

    Dependencies are injected: ``store`` (None shows ``problem`` instead), the
    catalog for names, an :class:`Asker` for confirmations and errors, a clock
    and ``to_local`` for dates, the display load ``unit``, ``choose_png_path``
    for Export PNG and ``run_dialog`` to show the entry editor (tests drive it).

    Signals: ``open_exercise_requested(exercise_id)`` for the library card,
    ``history_changed()`` after every edit, undo and redo (the dashboard listens).
    """

    open_exercise_requested = Signal(str)
    history_changed = Signal()

    def __init__(
        self,
        store: HistoryStore | None,
        catalog: Catalog,
        parent: QWidget | None = None,
        *,
        asker: Asker | None = None,
        clock: Callable[[], float] = time.time,
        to_local: LocalTime = system_local_time,
        unit: LoadUnit = "kg",
        choose_png_path: PathChooser = choose_png_path,
        run_dialog: DialogRunner = exec_dialog,
        problem: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setStyleSheet(PAGE_STYLE)
        self._store = store
        self._catalog = catalog
        self._asker: Asker = asker or MessageBoxAsker()
        self._clock = clock
        self._to_local = to_local
        self._unit: LoadUnit = unit
        self._choose_png_path = choose_png_path
        self._run_dialog = run_dialog
        self._problem = problem or "The history could not be opened."
        self._sessions: dict[str, Session] = {}
        self._by_session: dict[str, list[Entry]] = {}
        self._by_exercise: dict[str, list[Entry]] | None = None
        self._custom_names: dict[str, str] = {}
        self._metric_choice: dict[str, Metric] = {}
        self._progress_stale = True
        self._updating_choosers = False
        self.last_error = ""
        self._best_lines: list[str] = []

        self.undo_stack = QUndoStack(self)
        self.undo_action = QAction("Undo", self)
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = QAction("Redo", self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setEnabled(False)
            self.addAction(action)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action.triggered.connect(self.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(self._on_undo_text)
        self.undo_stack.redoTextChanged.connect(self._on_redo_text)

        self._build_header()
        self._build_sessions_view()
        self._build_progress_view()
        self._build_empty_card()

        self.views = QStackedWidget(self)
        self.views.addWidget(self.sessions_view)
        self.views.addWidget(self.progress_view)
        self.views.addWidget(self.empty_card)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(self._header)
        layout.addWidget(self.views, 1)
        self.refresh()

    # -- building -------------------------------------------------------------------------

    def _build_header(self) -> None:
        title = QLabel("History", self)
        title.setObjectName("pageTitle")
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("muted")
        self.sessions_button = self._toggle("Sessions", "first")
        self.progress_button = self._toggle("Progress", "last")
        self.sessions_button.setChecked(True)
        self._toggle_group = QButtonGroup(self)
        self._toggle_group.addButton(self.sessions_button)
        self._toggle_group.addButton(self.progress_button)
        self.sessions_button.clicked.connect(self.show_sessions)
        self.progress_button.clicked.connect(self.show_progress)
        toggles = QHBoxLayout()
        toggles.setSpacing(0)
        toggles.addWidget(self.sessions_button)
        toggles.addWidget(self.progress_button)

        self.undo_button = QToolButton(self)
        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.setObjectName("undoButton")
        self.redo_button = QToolButton(self)
        self.redo_button.setDefaultAction(self.redo_action)
        self.redo_button.setObjectName("undoButton")
        self.undo_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.redo_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(title)
        titles.addWidget(self.summary_label)
        self._header = QHBoxLayout()
        self._header.addLayout(titles)
        self._header.addStretch(1)
        self._header.addWidget(self.undo_button)
        self._header.addWidget(self.redo_button)
        self._header.addSpacing(12)
        self._header.addLayout(toggles)

    def _toggle(self, text: str, position: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setCheckable(True)
        button.setObjectName("viewToggle")
        button.setProperty("position", position)
        button.setAccessibleName(f"Show {text.lower()}")
        return button

    def _build_sessions_view(self) -> None:
        self.sessions_view = QSplitter(Qt.Orientation.Horizontal, self)
        self.sessions_view.setChildrenCollapsible(False)
        self.session_model = SessionTableModel(self, to_local=self._to_local)
        self.session_table = QTableView(self.sessions_view)
        self.session_table.setObjectName("sessionTable")
        self.session_table.setAccessibleName("Sessions, newest first")
        self.session_table.setModel(self.session_model)
        _tidy_table(self.session_table)
        header = self.session_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 178), (2, 82), (3, 50), (4, 56), (5, 108)):
            self.session_table.setColumnWidth(column, width)
        self.session_table.selectionModel().currentRowChanged.connect(self._on_session_chosen)
        delete_session = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete),
                                   self.session_table)
        delete_session.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_session.activated.connect(self.delete_selected_session)

        self.detail_card = QFrame(self.sessions_view)
        self.detail_card.setObjectName("detailCard")
        self.detail_title = QLabel(self.detail_card)
        self.detail_title.setObjectName("detailTitle")
        self.detail_title.setWordWrap(True)
        self.detail_meta = QLabel(self.detail_card)
        self.detail_meta.setObjectName("muted")
        self.detail_meta.setWordWrap(True)
        self.source_chip = QLabel(self.detail_card)
        self.source_chip.setObjectName("chip")
        self.detail_notes = QLabel(self.detail_card)
        self.detail_notes.setWordWrap(True)
        self.detail_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.delete_session_button = QPushButton("Delete session…", self.detail_card)
        self.delete_session_button.setObjectName("dangerButton")
        self.delete_session_button.setToolTip("Delete this session and its sets (Del in the list)")
        self.delete_session_button.clicked.connect(self.delete_selected_session)

        self.entry_model = EntryTableModel(self.exercise_name, self)
        self.entry_table = QTableView(self.detail_card)
        self.entry_table.setObjectName("entryTable")
        self.entry_table.setAccessibleName("Sets of the chosen session")
        self.entry_table.setModel(self.entry_model)
        _tidy_table(self.entry_table)
        entry_header = self.entry_table.horizontalHeader()
        entry_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        entry_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 96), (2, 48), (3, 140)):
            self.entry_table.setColumnWidth(column, width)
        self.entry_table.activated.connect(self._on_entry_activated)
        self.entry_table.selectionModel().currentRowChanged.connect(self._update_buttons)
        delete_entry = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.entry_table)
        delete_entry.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_entry.activated.connect(self.delete_selected_entry)

        self.edit_button = QPushButton("Edit set…", self.detail_card)
        self.edit_button.setToolTip("Change the chosen set (Enter)")
        self.edit_button.clicked.connect(self.edit_selected_entry)
        self.delete_entry_button = QPushButton("Delete set", self.detail_card)
        self.delete_entry_button.setToolTip("Delete the chosen set (Del)")
        self.delete_entry_button.clicked.connect(self.delete_selected_entry)
        self.no_selection_label = QLabel("Choose a session to see its sets.", self.detail_card)
        self.no_selection_label.setObjectName("muted")
        self.no_selection_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        title_row = QHBoxLayout()
        title_row.addWidget(self.detail_title, 1)
        title_row.addWidget(self.source_chip, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_entry_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_session_button)
        detail = QVBoxLayout(self.detail_card)
        detail.setContentsMargins(16, 14, 16, 14)
        detail.setSpacing(6)
        detail.addLayout(title_row)
        detail.addWidget(self.detail_meta)
        detail.addWidget(self.detail_notes)
        detail.addSpacing(4)
        detail.addWidget(self.entry_table, 1)
        detail.addWidget(self.no_selection_label, 1)
        detail.addLayout(buttons)

        self.sessions_view.addWidget(self.session_table)
        self.sessions_view.addWidget(self.detail_card)
        self.sessions_view.setStretchFactor(0, 1)
        self.sessions_view.setStretchFactor(1, 1)
        self.sessions_view.setSizes([700, 480])

    def _build_progress_view(self) -> None:
        self.progress_view = QWidget(self)
        self.exercise_box = QComboBox(self.progress_view)
        self.exercise_box.setAccessibleName("Exercise")
        self.exercise_box.setMinimumWidth(220)
        self.exercise_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.metric_box = QComboBox(self.progress_view)
        self.metric_box.setAccessibleName("Metric")
        self.metric_box.setMinimumWidth(190)
        self.metric_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.range_selector = RangeSelector(self.progress_view, RangePreset.ONE_YEAR)
        self.export_button = QPushButton("Export PNG…", self.progress_view)
        self.export_button.setToolTip("Save the chart as a picture")
        self.chart = ProgressChart(self.progress_view, clock=self._clock, to_local=self._to_local)
        self.chart.set_range(RangePreset.ONE_YEAR)
        self.chart_hint = QLabel(
            "Hover a point (or use ← →) to read it · scroll to zoom, drag to pan · "
            "click a point to open its session", self.progress_view)
        self.chart_hint.setObjectName("muted")

        self.exercise_box.currentIndexChanged.connect(self._on_exercise_chosen)
        self.metric_box.currentIndexChanged.connect(self._on_metric_chosen)
        self.range_selector.preset_chosen.connect(self.chart.set_range)
        self.export_button.clicked.connect(self.export_chart)
        self.chart.point_activated.connect(self.open_session)

        self.bests_card = QFrame(self.progress_view)
        self.bests_card.setObjectName("bestsCard")
        self.bests_card.setFixedWidth(270)
        bests_title = QLabel("Personal bests", self.bests_card)
        bests_title.setObjectName("cardTitle")
        self.bests_body = QVBoxLayout()
        self.bests_body.setSpacing(10)
        self.open_exercise_button = QPushButton("About this exercise", self.bests_card)
        self.open_exercise_button.clicked.connect(self._on_open_exercise)
        bests = QVBoxLayout(self.bests_card)
        bests.setContentsMargins(16, 12, 16, 14)
        self.exercise_stats = QLabel(self.bests_card)
        self.exercise_stats.setObjectName("muted")
        self.exercise_stats.setWordWrap(True)
        bests.addWidget(bests_title)
        bests.addWidget(self.exercise_stats)
        bests.addSpacing(6)
        bests.addLayout(self.bests_body)
        bests.addStretch(1)
        bests.addWidget(self.open_exercise_button)

        controls = QHBoxLayout()
        controls.addWidget(_caption("Exercise", self.progress_view))
        controls.addWidget(self.exercise_box)
        controls.addSpacing(8)
        controls.addWidget(_caption("Show", self.progress_view))
        controls.addWidget(self.metric_box)
        controls.addStretch(1)
        controls.addWidget(self.range_selector)
        controls.addSpacing(8)
        controls.addWidget(self.export_button)
        chart_column = QVBoxLayout()
        chart_column.setSpacing(6)
        chart_column.addWidget(self.chart, 1)
        chart_column.addWidget(self.chart_hint)
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addLayout(chart_column, 1)
        body.addWidget(self.bests_card)
        layout = QVBoxLayout(self.progress_view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(controls)
        layout.addLayout(body, 1)

    def _build_empty_card(self) -> None:
        self.empty_card = QFrame(self)
        self.empty_card.setObjectName("emptyCard")
        self.empty_title = QLabel(self.empty_card)
        self.empty_title.setObjectName("emptyTitle")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text = QLabel(self.empty_card)
        self.empty_text.setObjectName("muted")
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setFixedWidth(440)
        icon = QLabel(self.empty_card)
        icon.setPixmap(app_icon().pixmap(QSize(72, 72)))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self.empty_card)
        layout.setSpacing(8)
        layout.addStretch(2)
        layout.addWidget(icon)
        layout.addSpacing(4)
        layout.addWidget(self.empty_title)
        layout.addWidget(self.empty_text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    # -- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload everything from the store (after an import, a finished session, ...)."""
        store = self._store
        if store is None:
            self._show_empty("History is not available", self._problem)
            return
        chosen = self.selected_session_id()
        sessions = store.sessions()
        self._sessions = {s.id: s for s in sessions}
        self._by_session = {s.id: [] for s in sessions}
        for entry in store.iter_all_entries():
            found = self._by_session.get(entry.session_id)
            if found is not None:
                found.append(entry)
        self._by_exercise = None
        self._custom_names = {c.id: c.name for c in store.custom_exercises()}
        self.session_model.set_rows(
            [summarise_session(s, self._by_session[s.id]) for s in sessions]
        )
        self._after_change(select=chosen)

    def _after_change(self, select: str | None) -> None:
        count = self.session_model.rowCount()
        self._update_summary()
        if count == 0:
            self._show_empty(
                "No sessions yet",
                "Finish a guided workout and it appears here with every set, rep and hold, "
                "ready to chart. A history from another app can be brought in with "
                "Import in the File menu.",
            )
            self.show_session_detail(None)
            return
        if self.views.currentWidget() is self.empty_card:
            self.views.setCurrentWidget(
                self.progress_view if self.progress_button.isChecked() else self.sessions_view
            )
        self._set_toggles_enabled(True)
        row = self.session_model.row_of(select) if select else None
        self._select_row(0 if row is None else row)
        # The choosers and the chart are rebuilt when the Progress view is (next) shown.
        self._progress_stale = True
        if self.views.currentWidget() is self.progress_view:
            self._update_progress()

    def _show_empty(self, title: str, text: str) -> None:
        self.empty_title.setText(title)
        self.empty_text.setText(text)
        # A wrapped label under an alignment flag is not given its height for its width.
        self.empty_text.setFixedHeight(self.empty_text.heightForWidth(self.empty_text.width()))
        self.views.setCurrentWidget(self.empty_card)
        self._set_toggles_enabled(False)

    def _set_toggles_enabled(self, enabled: bool) -> None:
        for button in (self.sessions_button, self.progress_button):
            button.setEnabled(enabled)
            button.setVisible(enabled)  # nothing to switch between in an empty history

    def _update_summary(self) -> None:
        rows = self.session_model.rows()
        if self._store is None:
            self.summary_label.setText("")
            return
        if not rows:
            self.summary_label.setText("Nothing logged yet")
            return
        first = self._to_local(rows[-1].session.started_at)
        sets = sum(r.sets for r in rows)
        plural = "session" if len(rows) == 1 else "sessions"
        self.summary_label.setText(
            f"{len(rows):,} {plural} · {sets:,} set{'s' if sets != 1 else ''} · since "
            f"{MONTH_NAMES[first.month - 1]} {first.year}"
        )

    def _on_store_changed(self, session_id: str) -> None:
        """One session changed in the store (edit, delete, undo, redo): re-read only it."""
        store = self._store
        assert store is not None
        session = store.session(session_id)
        if session is None:
            self._sessions.pop(session_id, None)
            self._by_session.pop(session_id, None)
            row_number = self.session_model.row_of(session_id)
            self.session_model.remove(session_id)
            remaining = self.session_model.rowCount()
            following = None
            if remaining and row_number is not None:
                following = self.session_model.session_row(min(row_number, remaining - 1)).id
            select = following
        else:
            self._sessions[session_id] = session
            entries = store.entries_for_session(session_id)
            self._by_session[session_id] = entries
            self.session_model.put(summarise_session(session, entries))
            select = session_id
        self._by_exercise = None
        self._after_change(select=select)
        self.history_changed.emit()

    # -- names ------------------------------------------------------------------------------

    def exercise_name(self, exercise_id: str) -> str:
        movement = self._catalog.find(exercise_id)
        if movement is not None:
            return movement.name
        custom = self._custom_names.get(exercise_id)
        if custom:
            return custom
        return exercise_id.removeprefix("custom:").replace("-", " ").capitalize()

    # -- sessions view ----------------------------------------------------------------------

    def show_sessions(self) -> None:
        self.sessions_button.setChecked(True)
        if self.views.currentWidget() is not self.empty_card:
            self.views.setCurrentWidget(self.sessions_view)

    def show_progress(self) -> None:
        self.progress_button.setChecked(True)
        if self.views.currentWidget() is not self.empty_card:
            self.views.setCurrentWidget(self.progress_view)
            if self._progress_stale:
                self._update_progress()

    def selected_session_id(self) -> str | None:
        index = self.session_table.currentIndex()
        if not index.isValid():
            return None
        return str(index.data(SESSION_ID_ROLE))

    def open_session(self, session_id: str) -> None:
        """Show one session's sets (e.g. from a chart point)."""
        row = self.session_model.row_of(session_id)
        if row is None:
            return
        self.show_sessions()
        self._select_row(row)
        self.session_table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _select_row(self, row: int) -> None:
        index = self.session_model.index(row, 0)
        self.session_table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.session_table.scrollTo(index)
        self.show_session_detail(self.session_model.session_row(row).id)

    def _on_session_chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid():
            self.show_session_detail(str(current.data(SESSION_ID_ROLE)))

    def show_session_detail(self, session_id: str | None) -> None:
        session = self._sessions.get(session_id) if session_id else None
        showing = session is not None
        self.entry_table.setVisible(showing)
        self.no_selection_label.setVisible(not showing)
        self.delete_session_button.setEnabled(showing)
        if session is None:
            self.detail_title.setText("")
            self.detail_meta.setText("")
            self.detail_notes.hide()
            self.source_chip.hide()
            self.entry_model.set_entries([])
            self._update_buttons()
            return
        entries = self._by_session.get(session.id, [])
        row = summarise_session(session, entries)
        self.detail_title.setText(session.workout_name or "Session")
        self.detail_meta.setText(self._meta_text(session, row))
        self.detail_notes.setText(session.notes)
        self.detail_notes.setVisible(bool(session.notes))
        self.source_chip.setText("Imported" if session.source in ("strong-csv", "hevy-csv")
                                 else "From backup" if session.source == "json" else "")
        self.source_chip.setVisible(session.source != "app")
        current = self.selected_entry()
        self.entry_model.set_entries(entries)
        self.entry_table.clearSpans()
        columns = self.entry_model.columnCount()
        for index in range(self.entry_model.rowCount()):
            if self.entry_model.is_heading(index):
                self.entry_table.setSpan(index, 0, 1, columns)
        # RPE and notes are often never logged: their columns appear only when used.
        self.entry_table.setColumnHidden(EntryTableModel.RPE_COLUMN,
                                         all(e.rpe is None for e in entries))
        self.entry_table.setColumnHidden(EntryTableModel.NOTE_COLUMN,
                                         not any(e.note for e in entries))
        keep = self.entry_model.row_of(current.id) if current is not None else None
        first = self.entry_model.first_entry_row()
        if keep is not None or first is not None:
            self._select_entry(keep if keep is not None else first or 0)
        self._update_buttons()

    def _meta_text(self, session: Session, row: SessionRow) -> str:
        parts = [when_text(session.started_at, self._to_local),
                 session_duration_text(session.duration_s)]
        parts.append(f"{row.sets} set{'s' if row.sets != 1 else ''}")
        if row.warmups:
            parts.append(f"{row.warmups} warm-up")
        if row.total_reps:
            parts.append(f"{row.total_reps} reps")
        return " · ".join(parts)

    def _select_entry(self, row: int) -> None:
        index = self.entry_model.index(row, 0)
        self.entry_table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _update_buttons(self, *_: object) -> None:
        has_entry = self.selected_entry() is not None and self._store is not None
        writable = self._store is not None and not self._store.read_only
        self.edit_button.setEnabled(has_entry and writable)
        self.delete_entry_button.setEnabled(has_entry and writable)
        self.delete_session_button.setEnabled(writable and self.selected_session_id() is not None)

    def selected_entry(self) -> Entry | None:
        index = self.entry_table.currentIndex()
        if not index.isValid():
            return None
        return self.entry_model.entry_at(index.row())

    def select_entry(self, entry_id: str) -> None:
        row = self.entry_model.row_of(entry_id)
        if row is not None:
            self._select_entry(row)

    # -- editing ----------------------------------------------------------------------------

    def _on_entry_activated(self, index: QModelIndex) -> None:
        self.edit_selected_entry()

    def edit_selected_entry(self) -> None:
        entry = self.selected_entry()
        store = self._store
        if entry is None or store is None:
            return
        dialog = EntryEditDialog(entry, self.exercise_name(entry.exercise_id), self)
        try:
            if self._run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            edited = dialog.edited_entry()
        finally:
            dialog.deleteLater()
        if edited is None or edited == entry:
            return
        try:
            previous = store.edit_entry(edited)
        except (StoreError, ValueError) as error:
            self._tell_not_saved(error)
            return
        name = self.exercise_name(entry.exercise_id)
        apply_and_push(self.undo_stack, EditEntryCommand(
            store, edited, previous, f"edit {name} set", self._on_store_changed))
        self.select_entry(edited.id)

    def delete_selected_entry(self) -> None:
        entry = self.selected_entry()
        store = self._store
        if entry is None or store is None:
            return
        name = self.exercise_name(entry.exercise_id)
        session = self._sessions.get(entry.session_id)
        day = f" on {format_day(self._to_local(session.started_at).date())}" if session else ""
        if not self._asker.confirm(
            self, "Delete this set?",
            f"Delete {name}, {set_label(entry).lower()} ({entry_result_text(entry)}){day}?\n\n"
            "Undo (Ctrl+Z) brings it back.",
            "Delete set",
        ):
            return
        try:
            deleted = store.delete_entry(entry.id)
        except (StoreError, ValueError) as error:
            self._tell_not_saved(error)
            return
        apply_and_push(self.undo_stack, DeleteEntryCommand(
            store, deleted, f"delete {name} set", self._on_store_changed))

    def delete_selected_session(self) -> None:
        session_id = self.selected_session_id()
        store = self._store
        session = self._sessions.get(session_id) if session_id else None
        if session is None or store is None:
            return
        row = summarise_session(session, self._by_session.get(session.id, []))
        sets = f"{row.sets + row.warmups} set{'s' if row.sets + row.warmups != 1 else ''}"
        if not self._asker.confirm(
            self, "Delete this session?",
            f"Delete “{session.workout_name}” of "
            f"{when_text(session.started_at, self._to_local)} with its {sets}?\n\n"
            "Undo (Ctrl+Z) brings it back.",
            "Delete session",
        ):
            return
        try:
            deleted = store.delete_session(session.id)
        except (StoreError, ValueError) as error:
            self._tell_not_saved(error)
            return
        apply_and_push(self.undo_stack, DeleteSessionCommand(
            store, deleted, "delete session", self._on_store_changed))

    def undo(self) -> None:
        error = undo_safely(self.undo_stack)
        if error is not None:
            self._tell_not_saved(error, undoing=True)

    def redo(self) -> None:
        error = redo_safely(self.undo_stack)
        if error is not None:
            self._tell_not_saved(error, undoing=True)

    def _tell_not_saved(self, error: Exception, *, undoing: bool = False) -> None:
        what = "That change could not be undone or redone" if undoing else "Not saved"
        self.last_error = f"{error}"
        self._asker.inform(
            self, "Not saved",
            f"{what}: {error}\n\nYour history is exactly as it was before.",
        )

    def _on_undo_text(self, text: str) -> None:
        self.undo_action.setText(f"Undo {text}" if text else "Undo")
        self.undo_action.setToolTip(f"Undo {text} (Ctrl+Z)" if text else "Nothing to undo")

    def _on_redo_text(self, text: str) -> None:
        self.redo_action.setText(f"Redo {text}" if text else "Redo")
        self.redo_action.setToolTip(f"Redo {text} (Ctrl+Shift+Z)" if text else "Nothing to redo")

    def commands(self) -> list[HistoryCommand]:
        """The undo stack's commands, oldest first (for tests and diagnostics)."""
        found = []
        for index in range(self.undo_stack.count()):
            command = self.undo_stack.command(index)
            if isinstance(command, HistoryCommand):
                found.append(command)
        return found

    # -- progress view ----------------------------------------------------------------------

    def _exercise_entries(self) -> dict[str, list[Entry]]:
        if self._by_exercise is None:
            grouped: dict[str, list[Entry]] = {}
            for entries in self._by_session.values():
                for entry in entries:
                    grouped.setdefault(entry.exercise_id, []).append(entry)
            self._by_exercise = grouped
        return self._by_exercise

    def charted_exercises(self) -> list[tuple[str, str]]:
        """(id, name) of every exercise with something to chart, by name."""
        found = [
            (exercise_id, self.exercise_name(exercise_id))
            for exercise_id, entries in self._exercise_entries().items()
            if available_metrics(entries, exercise_id)
        ]
        found.sort(key=lambda pair: pair[1].casefold())
        return found

    def _latest_exercise(self, candidates: Iterable[str]) -> str | None:
        wanted = set(candidates)
        for row in self.session_model.rows():
            entries = self._by_session.get(row.id, [])
            for entry in entries:
                if (entry.exercise_id in wanted and entry.kind is not EntryKind.PER_SIDE
                        and not is_warmup(entry)):
                    return entry.exercise_id
        return next(iter(sorted(wanted)), None)

    def _fill_exercise_box(self) -> None:
        current = self.current_exercise()
        exercises = self.charted_exercises()
        self._updating_choosers = True
        try:
            self.exercise_box.clear()
            for exercise_id, name in exercises:
                self.exercise_box.addItem(name, exercise_id)
            ids = [e for e, _ in exercises]
            chosen = current if current in ids else self._latest_exercise(ids)
            if chosen is not None:
                self.exercise_box.setCurrentIndex(ids.index(chosen))
        finally:
            self._updating_choosers = False
        self._fill_metric_box()

    def _fill_metric_box(self) -> None:
        exercise_id = self.current_exercise()
        entries = self._exercise_entries().get(exercise_id or "", [])
        metrics = available_metrics(entries, exercise_id) if exercise_id else ()
        previous = self.current_metric()
        wanted = self._metric_choice.get(exercise_id or "", previous)
        self._updating_choosers = True
        try:
            self.metric_box.clear()
            for metric in metrics:
                self.metric_box.addItem(metric.label, metric.value)
            if metrics:
                chosen = wanted if wanted in metrics else metrics[0]
                self.metric_box.setCurrentIndex(metrics.index(chosen))
        finally:
            self._updating_choosers = False

    def current_exercise(self) -> str | None:
        data = self.exercise_box.currentData()
        return None if data is None else str(data)

    def current_metric(self) -> Metric | None:
        data = self.metric_box.currentData()
        return None if data is None else Metric(data)

    def choose_exercise(self, exercise_id: str) -> None:
        index = self.exercise_box.findData(exercise_id)
        if index < 0:
            raise KeyError(f"no history for {exercise_id!r}")
        self.exercise_box.setCurrentIndex(index)

    def choose_metric(self, metric: Metric | str) -> None:
        index = self.metric_box.findData(Metric(metric).value)
        if index < 0:
            raise KeyError(f"{metric} is not offered for this exercise")
        self.metric_box.setCurrentIndex(index)

    def _on_exercise_chosen(self, index: int) -> None:
        if self._updating_choosers:
            return
        self._fill_metric_box()
        self._update_progress()

    def _on_metric_chosen(self, index: int) -> None:
        if self._updating_choosers:
            return
        exercise_id, metric = self.current_exercise(), self.current_metric()
        if exercise_id is not None and metric is not None:
            self._metric_choice[exercise_id] = metric
        self._update_progress()

    def _update_progress(self) -> None:
        if self._progress_stale:
            self._progress_stale = False
            self._fill_exercise_box()
        exercise_id = self.current_exercise()
        metric = self.current_metric()
        if exercise_id is None or metric is None:
            self.chart.set_series(None, "Progress", "")
            self._show_bests(None, [])
            self.exercise_stats.setText("")
            return
        entries = self._exercise_entries().get(exercise_id, [])
        series = exercise_series(entries, exercise_id, metric, unit=self._unit,
                                 sessions=self._sessions, to_local=self._to_local)
        self.chart.set_series(series, metric.label, metric.unit(self._unit))
        bests = personal_bests(entries, unit=self._unit, sessions=self._sessions)
        self._show_bests(exercise_id, list(bests.get(exercise_id, ())))
        self.exercise_stats.setText(self._exercise_stats(entries))

    def _exercise_stats(self, entries: list[Entry]) -> str:
        times = sorted({self._sessions[e.session_id].started_at for e in entries
                        if e.session_id in self._sessions and not is_warmup(e)})
        if not times:
            return ""
        first = self._to_local(times[0]).date()
        count = len(times)
        text = f"Done in {count:,} session{'s' if count != 1 else ''}"
        if count > 1:
            text += f", first on {format_day(first)}"
        return text + "."

    def _show_bests(self, exercise_id: str | None, bests: list[PersonalBest]) -> None:
        self._best_lines = []
        while self.bests_body.count():
            item = self.bests_body.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # out of the layout now; it must not paint until deleted
                widget.deleteLater()
        self.open_exercise_button.setVisible(
            exercise_id is not None and exercise_id in self._catalog)
        if not bests:
            empty = QLabel("Nothing to show yet: bests appear once sets are logged.",
                           self.bests_card)
            empty.setObjectName("muted")
            empty.setWordWrap(True)
            self.bests_body.addWidget(empty)
            return
        for best in bests:
            self._best_lines.append(f"{best.record.label}: {best.text()}")
            value = QLabel(best.text(), self.bests_card)
            value.setObjectName("bestValue")
            day = format_day(self._to_local(best.at).date())
            label = QLabel(
                f"{best.record.label}<br><a href='{best.session_id}' "
                f"style='color:{style.MUTED}'>{day}</a>", self.bests_card)
            label.setWordWrap(True)
            label.setObjectName("bestLabel")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setToolTip("Open that session")
            label.linkActivated.connect(self.open_session)
            holder = QWidget(self.bests_card)
            value.setParent(holder)
            label.setParent(holder)
            box = QVBoxLayout(holder)
            box.setSpacing(0)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(value)
            box.addWidget(label)
            self.bests_body.addWidget(holder)

    def best_texts(self) -> list[str]:
        """The personal bests shown beside the chart, as ``label: value`` lines."""
        return list(self._best_lines)

    def _on_open_exercise(self) -> None:
        exercise_id = self.current_exercise()
        if exercise_id is not None:
            self.open_exercise_requested.emit(exercise_id)

    def export_chart(self) -> Path | None:
        """Ask where, then save the chart as a PNG; returns the path written."""
        exercise_id = self.current_exercise() or "chart"
        metric = self.current_metric()
        suggested = f"hipflex-{exercise_id.replace(':', '-')}"
        if metric is not None:
            suggested += f"-{metric.value.replace('_', '-')}"
        chosen = self._choose_png_path(self, suggested + ".png")
        if not chosen:
            return None
        path = Path(chosen)
        try:
            self.chart.export_png(path, EXPORT_SIZE)
        except OSError as error:
            self._asker.inform(self, "Chart not saved", f"{error}")
            return None
        return path

    # -- Qt ---------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.views.currentWidget() is self.progress_view and self._progress_stale:
            self._update_progress()


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("muted")
    return label


def _tidy_table(table: QTableView) -> None:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(30)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
