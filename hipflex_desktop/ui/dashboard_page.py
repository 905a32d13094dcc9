"""The Dashboard: this week against the target, the last session, what to train next,
suggestions for it, and the knee-to-chest check.

Everything is recomputed from the history store and ``coaching.json`` on
``refresh()`` (cheap: sessions plus the next workout's exercises). Answers to
suggestions, the target settings and self-test results are saved at once
through :class:`~hipflex_desktop.store.coaching.CoachingStore`; a failed save is
reported and leaves what is shown as it was.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.coaching import Suggestion, SuggestionKind
from hipflex_desktop.domain.history import Entry, EntryKind, Session, Side
from hipflex_desktop.domain.progress import (
    MONTH_NAMES,
    LoadUnit,
    LocalTime,
    WeekTally,
    format_day,
    format_duration,
    format_number,
    is_warmup,
    single_holds,
    system_local_time,
)
from hipflex_desktop.domain.selftest import SelfTestSummary, SideSummary, Trend, summarise
from hipflex_desktop.domain.workouts import Workout
from hipflex_desktop.services import WorkoutLibrary
from hipflex_desktop.store.coaching import (
    SESSIONS_PER_WEEK_RANGE,
    STRETCH_ROUTINE_ID,
    CoachingSettings,
    CoachingSnapshot,
    CoachingStore,
    accepted_workout,
    coaching_snapshot,
    summarise_session,
    workout_entries,
)
from hipflex_desktop.store.errors import StoreError
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.ui import style
from hipflex_desktop.ui.asker import Asker, MessageBoxAsker
from hipflex_desktop.ui.history_widgets import session_duration_text
from hipflex_desktop.ui.selftest_dialog import SelfTestDialog

DialogRunner = Callable[[QDialog], int]
SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 1
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PASSED_COLOUR = "#16a085"
_TREND_WORDS = {
    Trend.IMPROVING: "improving",
    Trend.STEADY: "steady",
    Trend.WORSENING: "tighter lately",
    Trend.UNKNOWN: "",
}

PAGE_STYLE = f"""
QFrame#dashCard {{
    background: {style.SURFACE}; border: 1px solid {style.BORDER}; border-radius: 8px;
}}
QLabel#cardTitle {{ font-size: 13px; font-weight: 600; color: {style.MUTED}; }}
QLabel#bigFigure {{ font-size: 30px; font-weight: 700; color: {style.INK}; }}
QLabel#figureUnit {{ font-size: 15px; color: {style.MUTED}; }}
QLabel#headline {{ font-size: 17px; font-weight: 600; color: {style.INK}; }}
QLabel#body {{ color: {style.INK}; }}
QLabel#streak {{ color: {style.INK}; font-weight: 600; }}
QFrame#suggestion {{
    background: #fbfcfd; border: 1px solid {style.BORDER}; border-radius: 6px;
}}
QFrame#suggestion[accepted="true"] {{ background: #eef8f4; border-color: #b7e1d1; }}
QLabel#suggestionExercise {{ font-weight: 600; color: {style.INK}; }}
QLabel#acceptedNote {{ color: #11785f; font-weight: 600; }}
QFrame#sideTile {{
    background: #fbfcfd; border: 1px solid {style.BORDER}; border-radius: 6px;
}}
QLabel#sideName {{ color: {style.MUTED}; font-size: 12px; font-weight: 600; }}
QLabel#sideOutcome {{ font-size: 15px; font-weight: 600; color: {style.INK}; }}
QLabel#sideOutcome[lifted="true"] {{ color: {style.ACCENT}; }}
QLabel#sideOutcome[passed="true"] {{ color: #11785f; }}
QPushButton#linkButton {{
    border: none; background: transparent; color: {style.KIND_COLOURS['reps']};
    padding: 0px; text-align: left;
}}
QPushButton#linkButton:hover {{ text-decoration: underline; }}
QScrollArea#suggestionScroll, QWidget#suggestionList {{ background: transparent; border: none; }}
"""


RULES_HTML = (
    "<b>How suggestions are made</b><ul style='margin-left:-22px'>"
    "<li>Every set at the top of its rep range: add a little load (0.5–1 kg) and start "
    "again at the bottom of the range.</li>"
    "<li>A set short of the range: the load comes back down, or Hanging Leg Raise becomes "
    "Lying Leg Raise for a while.</li>"
    "<li>L-sit target reached in a few long holds: the next rung (tucked, one leg, both "
    "legs). Target missed: one rung back.</li>"
    "<li>Holds and intervals done in full two sessions running: a few seconds more.</li>"
    "</ul>"
)


def exec_dialog(dialog: QDialog) -> int:
    return dialog.exec()


class _NoHistory:
    """Stands in for a store that could not be opened: nothing logged."""

    def sessions(self) -> list[Session]:
        return []

    def entries_for_exercise(self, exercise_id: str) -> list[Entry]:
        return []


# --- small widgets -----------------------------------------------------------------------------


class WeekBars(QWidget):
    """Sessions per week for the last few weeks, with the target as a dashed line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: tuple[WeekTally, ...] = ()
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(260, 90)

    def set_weeks(self, weeks: Sequence[WeekTally]) -> None:
        self._weeks = tuple(weeks)
        met = sum(w.met for w in self._weeks)
        self.setAccessibleDescription(
            f"Target met in {met} of the last {len(self._weeks)} weeks")
        self.setToolTip("\n".join(
            f"Week of {w.monday.day} {MONTH_NAMES[w.monday.month - 1]}: {w.sessions} of "
            f"{w.target}" for w in self._weeks))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self._weeks:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPixelSize(10)
        metrics = QFontMetricsF(font)
        label_h = metrics.height() + 2
        top, bottom = 4.0, self.height() - label_h - 2
        count = len(self._weeks)
        slot = self.width() / count
        target = max(1, self._weeks[-1].target)
        ceiling = max([target + 1, *(w.sessions for w in self._weeks)])
        scale = (bottom - top) / ceiling
        painter.setFont(font)
        for index, week in enumerate(self._weeks):
            current = index == count - 1
            x = index * slot + slot * 0.2
            width = slot * 0.6
            height = max(2.0, week.sessions * scale)
            colour = QColor(style.KIND_COLOURS["per_side"] if week.met else "#c3ccd6")
            if current and not week.met:
                colour = QColor(style.ACCENT)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(x, bottom - height, width, height), 3, 3)
            painter.setPen(QColor(style.INK if current else style.MUTED))
            text = "now" if current else f"{week.monday.day} {MONTH_NAMES[week.monday.month - 1]}"
            painter.drawText(QRectF(index * slot, bottom + 2, slot, label_h),
                             int(Qt.AlignmentFlag.AlignCenter), text)
        line_y = bottom - target * scale
        painter.setPen(QPen(QColor(style.MUTED), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QRectF(0, line_y, self.width(), 0).topLeft(),
                         QRectF(0, line_y, self.width(), 0).topRight())
        painter.end()


class ResultDots(QWidget):
    """The latest self-test results of one side as dots, oldest first."""

    DOT = 12.0
    GAP = 6.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._passed: list[bool] = []
        self.setFixedHeight(int(self.DOT) + 2)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_results(self, passed: Sequence[bool]) -> None:
        self._passed = list(passed)
        stayed = sum(self._passed)
        self.setAccessibleDescription(
            f"{stayed} of the last {len(self._passed)} checks stayed down")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        for index, passed in enumerate(self._passed):
            painter.setBrush(QColor(_PASSED_COLOUR if passed else style.ACCENT))
            painter.drawEllipse(QRectF(1 + index * (self.DOT + self.GAP), 1, self.DOT, self.DOT))
        painter.end()


def _card(title: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame(parent)
    card.setObjectName("dashCard")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(18, 14, 18, 16)
    layout.setSpacing(6)
    heading = QLabel(title.upper(), card)
    heading.setObjectName("cardTitle")
    layout.addWidget(heading)
    return card, layout


def _label(text: str, name: str, parent: QWidget, *, wrap: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class SuggestionRow(QFrame):
    """One suggestion: the exercise, why, and Accept / Dismiss (or, once accepted, Undo)."""

    def __init__(self, suggestion: Suggestion, exercise_name: str, accepted: bool,
                 page: DashboardPage, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("suggestion")
        self.setProperty("accepted", accepted)
        self.suggestion = suggestion
        self._page = page
        name = _label(exercise_name, "suggestionExercise", self)
        reason = _label(suggestion.reason, "body", self)
        reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(name)
        text.addWidget(reason)
        text.addStretch(1)
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        if accepted:
            note = _label("Accepted: used next time", "acceptedNote", self, wrap=False)
            self.undo_button = QPushButton("Undo", self)
            self.undo_button.setObjectName("linkButton")
            self.undo_button.setAccessibleName(f"Take back accepting: {suggestion.reason}")
            self.undo_button.clicked.connect(self._on_forget)
            buttons.addWidget(note)
            buttons.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignRight)
        else:
            self.accept_button = QPushButton("Accept", self)
            self.accept_button.setObjectName("primary")
            self.accept_button.setAccessibleName(f"Accept: {suggestion.reason}")
            self.accept_button.setToolTip("Use this change in your next session")
            self.dismiss_button = QPushButton("Dismiss", self)
            self.dismiss_button.setAccessibleName(f"Dismiss: {suggestion.reason}")
            self.dismiss_button.setToolTip("Keep things as they are; this will not be asked again")
            self.accept_button.clicked.connect(self._on_accept)
            self.dismiss_button.clicked.connect(self._on_dismiss)
            buttons.addWidget(self.accept_button)
            buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(12)
        layout.addLayout(text, 1)
        layout.addLayout(buttons)

    def _on_accept(self) -> None:
        self._page.accept_suggestion(self.suggestion.id)

    def _on_dismiss(self) -> None:
        self._page.dismiss_suggestion(self.suggestion.id)

    def _on_forget(self) -> None:
        self._page.forget_suggestion(self.suggestion.id)


# --- the settings dialog -----------------------------------------------------------------------


class TargetSettingsDialog(QDialog):
    """Sessions per week, which workouts count, and which ones the next suggestion rotates."""

    def __init__(self, settings: CoachingSettings, workouts: Sequence[Workout],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Weekly target")
        self.setModal(True)
        self.setMinimumWidth(460)
        low, high = SESSIONS_PER_WEEK_RANGE
        self.per_week = QSpinBox(self)
        self.per_week.setRange(low, high)
        self.per_week.setValue(settings.sessions_per_week)
        self.per_week.setSuffix(" sessions a week")
        self.per_week.setAccessibleName("Sessions per week")
        advice = _label("Two sessions a week is a good aim for hip-flexor strength; indirect "
                        "work such as a leg day can count too if you choose.", "muted", self)

        self.count_all = QRadioButton("Every session counts, imported ones included", self)
        self.count_chosen = QRadioButton("Only sessions of these workouts count:", self)
        group = QButtonGroup(self)
        group.addButton(self.count_all)
        group.addButton(self.count_chosen)
        counted = settings.counted_workout_ids
        (self.count_all if counted is None else self.count_chosen).setChecked(True)
        self.counted_list = self._checklist(workouts, set(counted or ()), "Workouts that count")
        self.counted_list.setEnabled(counted is not None)
        self.count_chosen.toggled.connect(self.counted_list.setEnabled)

        rotation_label = _label("Suggest the next workout from (the one done least recently "
                                "comes next; none ticked means the Hip Flexor Workout):",
                                "body", self)
        self.rotation_list = self._checklist(workouts, set(settings.rotation),
                                             "Workouts to rotate")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(_label("Target", "sectionTitle", self))
        layout.addWidget(self.per_week)
        layout.addWidget(advice)
        layout.addWidget(_label("What counts", "sectionTitle", self))
        layout.addWidget(self.count_all)
        layout.addWidget(self.count_chosen)
        layout.addWidget(self.counted_list)
        layout.addWidget(_label("Next workout", "sectionTitle", self))
        layout.addWidget(rotation_label)
        layout.addWidget(self.rotation_list)
        layout.addWidget(self.buttons)

    def _checklist(self, workouts: Sequence[Workout], checked: set[str],
                   name: str) -> QListWidget:
        widget = QListWidget(self)
        widget.setAccessibleName(name)
        for workout in workouts:
            item = QListWidgetItem(workout.name, widget)
            item.setData(Qt.ItemDataRole.UserRole, workout.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if workout.id in checked
                               else Qt.CheckState.Unchecked)
        widget.setMaximumHeight(min(150, 26 * max(3, len(workouts)) + 6))
        return widget

    @staticmethod
    def _checked(widget: QListWidget) -> tuple[str, ...]:
        found = []
        for row in range(widget.count()):
            item = widget.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return tuple(found)

    def set_checked(self, widget: QListWidget, workout_ids: Sequence[str]) -> None:
        for row in range(widget.count()):
            item = widget.item(row)
            if item is not None:
                wanted = item.data(Qt.ItemDataRole.UserRole) in workout_ids
                item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def chosen_settings(self) -> CoachingSettings:
        counted = self._checked(self.counted_list) if self.count_chosen.isChecked() else None
        return CoachingSettings(self.per_week.value(), counted, self._checked(self.rotation_list))


# --- the page ----------------------------------------------------------------------------------


class DashboardPage(QWidget):
    """The home view. Signals ask the window to act; the page never navigates itself.

    ``start_workout_requested(workout_id)``: Start on the next workout;
    ``open_session_requested(session_id)``: the last session in History;
    ``stretch_routine_requested(workout_id)``: the stretch routine beside the check;
    ``settings_changed()``: after the target settings were saved.
    """

    start_workout_requested = Signal(str)
    open_session_requested = Signal(str)
    stretch_routine_requested = Signal(str)
    settings_changed = Signal()

    def __init__(
        self,
        store: HistoryStore | None,
        coaching: CoachingStore,
        library: WorkoutLibrary,
        parent: QWidget | None = None,
        *,
        asker: Asker | None = None,
        clock: Callable[[], float] = time.time,
        to_local: LocalTime = system_local_time,
        unit: LoadUnit = "kg",
        run_dialog: DialogRunner = exec_dialog,
        problem: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setStyleSheet(PAGE_STYLE)
        self._store = store
        self._coaching = coaching
        self._library = library
        self._asker: Asker = asker or MessageBoxAsker()
        self._clock = clock
        self._to_local = to_local
        self._unit: LoadUnit = unit
        self._run_dialog = run_dialog
        self._problem = problem
        self.snapshot: CoachingSnapshot | None = None
        self.self_test: SelfTestSummary | None = None
        self.suggestion_rows: list[SuggestionRow] = []

        title = _label("Dashboard", "pageTitle", self, wrap=False)
        self.date_label = _label("", "muted", self, wrap=False)
        self.settings_button = QPushButton("Weekly target…", self)
        self.settings_button.setToolTip("Sessions per week, what counts, what comes next")
        self.settings_button.clicked.connect(self.edit_settings)
        self.problem_label = _label("", "fieldError", self)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(title)
        titles.addWidget(self.date_label)
        header = QHBoxLayout()
        header.addLayout(titles)
        header.addStretch(1)
        header.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignTop)

        grid = QGridLayout()
        grid.setSpacing(14)
        grid.addWidget(self._build_week_card(), 0, 0)
        grid.addWidget(self._build_last_card(), 0, 1)
        grid.addWidget(self._build_next_card(), 0, 2)
        grid.addWidget(self._build_suggestions_card(), 1, 0, 1, 2)
        grid.addWidget(self._build_selftest_card(), 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(self.problem_label)
        layout.addLayout(grid, 1)
        self.refresh()

    # -- cards ------------------------------------------------------------------------------

    def _build_week_card(self) -> QFrame:
        card, layout = _card("This week", self)
        self.week_figure = _label("", "bigFigure", card, wrap=False)
        self.week_unit = _label("", "figureUnit", card, wrap=False)
        figure = QHBoxLayout()
        figure.setSpacing(8)
        figure.addWidget(self.week_figure, 0, Qt.AlignmentFlag.AlignBaseline)
        figure.addWidget(self.week_unit, 0, Qt.AlignmentFlag.AlignBaseline)
        figure.addStretch(1)
        self.week_status = _label("", "body", card)
        self.streak_label = _label("", "streak", card)
        self.week_bars = WeekBars(card)
        layout.addLayout(figure)
        layout.addWidget(self.week_status)
        layout.addWidget(self.streak_label)
        layout.addSpacing(6)
        layout.addWidget(self.week_bars, 1)
        return card

    def _build_last_card(self) -> QFrame:
        card, layout = _card("Last session", self)
        self.last_title = _label("", "headline", card)
        self.last_when = _label("", "muted", card)
        self.last_figures = _label("", "body", card)
        self.last_exercises = _label("", "body", card)
        self.last_exercises.setTextFormat(Qt.TextFormat.RichText)
        self.open_last_button = QPushButton("Open in History", card)
        self.open_last_button.setObjectName("linkButton")
        self.open_last_button.clicked.connect(self._on_open_last)
        layout.addWidget(self.last_title)
        layout.addWidget(self.last_when)
        layout.addWidget(self.last_figures)
        layout.addSpacing(4)
        layout.addWidget(self.last_exercises)
        layout.addStretch(1)
        layout.addWidget(self.open_last_button, 0, Qt.AlignmentFlag.AlignLeft)
        return card

    def _build_next_card(self) -> QFrame:
        card, layout = _card("Next workout", self)
        self.next_title = _label("", "headline", card)
        self.next_blocks = _label("", "body", card)
        self.next_blocks.setTextFormat(Qt.TextFormat.RichText)
        self.next_note = _label("", "muted", card)
        self.start_button = QPushButton("Start", card)
        self.start_button.setObjectName("primary")
        self.start_button.setMinimumWidth(120)
        self.start_button.clicked.connect(self._on_start)
        layout.addWidget(self.next_title)
        layout.addWidget(self.next_blocks)
        layout.addWidget(self.next_note)
        layout.addStretch(1)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        return card

    def _build_suggestions_card(self) -> QFrame:
        card, layout = _card("Suggestions for next time", self)
        self.suggestions_intro = _label("", "muted", card)
        self.suggestion_list = QWidget(card)
        self.suggestion_list.setObjectName("suggestionList")
        self.suggestion_layout = QVBoxLayout(self.suggestion_list)
        self.suggestion_layout.setContentsMargins(0, 0, 0, 0)
        self.suggestion_layout.setSpacing(8)
        scroll = QScrollArea(card)
        scroll.setObjectName("suggestionScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.suggestion_list)
        self.rules_label = _label(RULES_HTML, "muted", card)
        self.rules_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_scroll = scroll
        layout.addWidget(self.suggestions_intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.rules_label)
        layout.addStretch(0)  # takes the room only while the list is hidden
        return card

    def _build_selftest_card(self) -> QFrame:
        card, layout = _card("Tightness check", self)
        self.selftest_headline = _label("", "body", card)
        self.side_tiles: dict[Side, tuple[QLabel, QLabel]] = {}
        self.side_dots: dict[Side, ResultDots] = {}
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        for side in (Side.LEFT, Side.RIGHT):
            tile = QFrame(card)
            tile.setObjectName("sideTile")
            tile_layout = QVBoxLayout(tile)
            tile_layout.setContentsMargins(10, 8, 10, 8)
            tile_layout.setSpacing(1)
            tile_layout.addWidget(_label(f"{side.value.upper()} HIP", "sideName", tile))
            outcome = _label("", "sideOutcome", tile)
            detail = _label("", "muted", tile)
            dots = ResultDots(tile)
            tile_layout.addWidget(outcome)
            tile_layout.addWidget(detail)
            tile_layout.addSpacing(4)
            tile_layout.addWidget(dots)
            tiles.addWidget(tile)
            self.side_tiles[side] = (outcome, detail)
            self.side_dots[side] = dots
        self.selftest_button = QPushButton("Do the check…", card)
        self.selftest_button.setToolTip("A one-minute guided check of each side")
        self.selftest_button.clicked.connect(self.run_self_test)
        self.stretch_button = QPushButton("Stretch routine", card)
        self.stretch_button.setToolTip("Start the hip-flexor stretch routine")
        self.stretch_button.clicked.connect(self._on_stretch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.selftest_button)
        buttons.addWidget(self.stretch_button)
        buttons.addStretch(1)
        self.selftest_legend = _label(
            "Dots: your latest checks, oldest first; green stayed down, orange lifted.",
            "muted", card)
        layout.addWidget(self.selftest_headline)
        layout.addLayout(tiles)
        layout.addWidget(self.selftest_legend)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return card

    # -- data -------------------------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        return self._library.catalog

    def _history(self) -> HistoryStore | _NoHistory:
        return self._store if self._store is not None else _NoHistory()

    def refresh(self) -> None:
        """Recompute every card from the store and the coaching file."""
        now = self._clock()
        today = self._to_local(now).date()
        iso = today.isocalendar()
        self.date_label.setText(f"{_DAY_NAMES[today.weekday()]} {today.day} "
                                f"{MONTH_NAMES[today.month - 1]} {today.year} · week {iso.week}")
        self.problem_label.setText(
            "" if self._store is not None
            else f"History is not available, so nothing here counts yet: {self._problem}")
        self.problem_label.setVisible(self._store is None)
        snapshot = coaching_snapshot(
            self._history(), self._coaching.settings(), self._coaching.decisions(),
            self._library.all(), self.catalog, now=now, to_local=self._to_local, unit=self._unit,
        )
        self.snapshot = snapshot
        self._fill_week(snapshot)
        self._fill_last(snapshot.progress.last_session, now)
        self._fill_next(snapshot)
        self._fill_suggestions(snapshot)
        self._fill_self_test()

    def _fill_week(self, snapshot: CoachingSnapshot) -> None:
        progress = snapshot.progress
        done, target = progress.this_week.sessions, progress.target
        self.week_figure.setText(f"{done} of {target}")
        self.week_unit.setText("sessions" if target != 1 else "session")
        left = progress.sessions_left_this_week
        if left == 0:
            status = "Target met this week. Well done."
        elif left == 1:
            status = "One more session meets this week's target."
        else:
            status = f"{left} more sessions meet this week's target."
        counted = snapshot.settings.counted_workout_ids
        if counted is not None:
            status += " Only the workouts you chose count."
        self.week_status.setText(status)
        streak = progress.streak_weeks
        if streak:
            self.streak_label.setText(
                f"Streak: {streak} week{'s' if streak != 1 else ''} in a row on target")
        else:
            self.streak_label.setText("No streak yet: meet the target to start one.")
        self.week_bars.set_weeks(progress.recent_weeks)

    def _fill_last(self, session: Session | None, now: float) -> None:
        self.open_last_button.setVisible(session is not None)
        self.last_when.setVisible(session is not None)
        if session is None:
            self.last_title.setText("Nothing logged yet")
            self.last_when.setText("")
            self.last_figures.setText("Your first finished session will show here.")
            self.last_exercises.setText("")
            return
        self.last_title.setText(session.workout_name or "Session")
        self.last_when.setText(self._relative_day(session.started_at, now))
        store = self._store
        entries = store.entries_for_session(session.id) if store is not None else []
        row = summarise_session(session, entries)
        parts = [session_duration_text(session.duration_s),
                 f"{row.sets} set{'s' if row.sets != 1 else ''}"]
        if row.total_reps:
            parts.append(f"{row.total_reps} reps")
        self.last_figures.setText(" · ".join(parts))
        lines = []
        for exercise_id, summary in exercise_summaries(entries)[:6]:
            movement = self.catalog.find(exercise_id)
            name = movement.name if movement is not None else exercise_id
            lines.append(f"{_escape(name)}<br><span style='color:{style.MUTED}; "
                         f"font-size:12px'>{_escape(summary)}</span>")
        self.last_exercises.setText("<div style='line-height:125%'>"
                                    + "<br>".join(lines) + "</div>")

    def _relative_day(self, timestamp: float, now: float) -> str:
        moment = self._to_local(timestamp)
        days = (self._to_local(now).date() - moment.date()).days
        clock = f"{moment.hour:02d}:{moment.minute:02d}"
        if days == 0:
            return f"Today, {clock}"
        if days == 1:
            return f"Yesterday, {clock}"
        text = format_day(moment.date())
        return f"{text} · {days} days ago" if days < 14 else text

    def _fill_next(self, snapshot: CoachingSnapshot) -> None:
        workout = snapshot.next_workout
        self.start_button.setEnabled(workout is not None)
        if workout is None:
            self.next_title.setText("No workout to suggest")
            self.next_blocks.setText("")
            self.next_note.setText("The workout chosen in the weekly-target settings is gone; "
                                   "pick another there.")
            return
        self.next_title.setText(workout.name)
        shown = accepted_workout(workout, snapshot.suggestions, snapshot.decisions)
        lines = []
        for block in shown.blocks[:5]:
            movement = self.catalog.find(block.movement_id)
            name = movement.name if movement is not None else block.movement_id
            dose = block.prescription.summary(movement.kind) if movement is not None else ""
            lines.append(f"{_escape(name)}<br><span style='color:{style.MUTED}; "
                         f"font-size:12px'>{_escape(dose)}</span>")
        if len(shown.blocks) > 5:
            lines.append(f"<span style='color:{style.MUTED}'>and {len(shown.blocks) - 5} "
                         "more</span>")
        self.next_blocks.setText("<div style='line-height:125%'>"
                                 + "<br>".join(lines) + "</div>")
        accepted = len(snapshot.accepted)
        self.next_note.setText(
            f"{accepted} accepted change{'s' if accepted != 1 else ''} included."
            if accepted else "")
        self.next_note.setVisible(bool(accepted))

    def _fill_suggestions(self, snapshot: CoachingSnapshot) -> None:
        for row in self.suggestion_rows:
            row.hide()
            row.deleteLater()
        self.suggestion_rows = []
        while self.suggestion_layout.count():
            self.suggestion_layout.takeAt(0)
        workout = snapshot.next_workout
        shown = [s for s in snapshot.suggestions if s.id not in snapshot.decisions.dismissed]
        if workout is None:
            self.suggestions_intro.setText("")
        elif not shown and not self._workout_done(workout):
            self.suggestions_intro.setText(
                f"Log a session of {workout.name} and suggestions for the next one appear "
                "here, each with the reason it was made.")
        elif not shown:
            self.suggestions_intro.setText(
                f"No changes for {workout.name}: repeat last time's numbers and aim for "
                "cleaner reps or steadier holds.")
        else:
            self.suggestions_intro.setText(
                f"For {workout.name}, from how your last sessions went:")
        for suggestion in shown:
            accepted = suggestion.id in snapshot.decisions.accepted
            row = SuggestionRow(suggestion, self._exercise_name(suggestion), accepted, self,
                                self.suggestion_list)
            self.suggestion_layout.addWidget(row)
            self.suggestion_rows.append(row)
        self.suggestion_layout.addStretch(1)
        self.rules_label.setVisible(not shown)
        self.suggestion_scroll.setVisible(bool(shown))

    def _workout_done(self, workout: Workout) -> bool:
        return bool(workout_entries(self._history(), workout))

    def _exercise_name(self, suggestion: Suggestion) -> str:
        movement = self.catalog.find(suggestion.exercise_id)
        name = movement.name if movement is not None else suggestion.exercise_id
        if suggestion.swap_to is not None and suggestion.kind in (
            SuggestionKind.HARDER_MOVEMENT, SuggestionKind.EASIER_MOVEMENT,
            SuggestionKind.LADDER_UP, SuggestionKind.LADDER_DOWN,
        ):
            target = self.catalog.find(suggestion.swap_to)
            if target is not None:
                name += f" → {target.name}"
        return name

    def _fill_self_test(self) -> None:
        summary = summarise(self._coaching.self_test_results())
        self.self_test = summary
        self.selftest_headline.setText(summary.headline())
        for side in (Side.LEFT, Side.RIGHT):
            outcome_label, detail = self.side_tiles[side]
            self._fill_side(summary.side(side), outcome_label, detail)
            self.side_dots[side].set_results([r.passed for r in summary.side(side).recent])
            self.side_dots[side].setVisible(bool(summary.side(side).recent))
        self.selftest_legend.setVisible(
            any(summary.side(s).recent for s in (Side.LEFT, Side.RIGHT)))

    def _fill_side(self, side: SideSummary, outcome: QLabel, detail: QLabel) -> None:
        latest = side.latest
        outcome.setProperty("lifted", latest is not None and not latest.passed)
        outcome.setProperty("passed", latest is not None and latest.passed)
        _repolish(outcome)
        detail.setVisible(latest is not None)
        if latest is None:
            outcome.setText("Not checked")
            detail.setText("")
            return
        outcome.setText(latest.outcome.label)
        day = self._to_local(latest.at).date()
        trend = _TREND_WORDS[side.trend]
        detail.setText(_short_day(day) + (f"\n{trend.capitalize()}" if trend else ""))

    # -- intents ----------------------------------------------------------------------------

    def accept_suggestion(self, suggestion_id: str) -> None:
        self._decide(self._coaching.accept, suggestion_id)

    def dismiss_suggestion(self, suggestion_id: str) -> None:
        self._decide(self._coaching.dismiss, suggestion_id)

    def forget_suggestion(self, suggestion_id: str) -> None:
        self._decide(self._coaching.forget, suggestion_id)

    def _decide(self, action: Callable[[str], None], suggestion_id: str) -> None:
        try:
            action(suggestion_id)
        except StoreError as error:
            self._asker.inform(self, "Not saved", f"Your answer could not be saved: {error}")
            return
        self.refresh()

    def accepted_suggestions_for(self, workout: Workout) -> tuple[Suggestion, ...]:
        """The accepted suggestions that apply to ``workout`` now (loads and reps to prefill)."""
        from hipflex_desktop.domain.coaching import suggestions_for_workout

        suggestions = suggestions_for_workout(
            workout, workout_entries(self._history(), workout), self.catalog, unit=self._unit)
        decisions = self._coaching.decisions()
        return tuple(s for s in suggestions if s.id in decisions.accepted)

    def accepted_changes_for(self, workout: Workout) -> Workout:
        """``workout`` with every accepted suggestion applied (what the runner should run)."""
        accepted = self.accepted_suggestions_for(workout)
        return accepted_workout(workout, accepted, self._coaching.decisions())

    def edit_settings(self) -> None:
        current = self._coaching.settings()
        dialog = TargetSettingsDialog(current, self._library.all(), self)
        try:
            if self._run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            chosen = dialog.chosen_settings()
        finally:
            dialog.deleteLater()
        if chosen == current:
            return
        try:
            self._coaching.save_settings(chosen)
        except (StoreError, ValueError) as error:
            self._asker.inform(self, "Not saved", f"The weekly target could not be saved: "
                               f"{error}")
            return
        self.refresh()
        self.settings_changed.emit()

    def run_self_test(self) -> None:
        dialog = SelfTestDialog(self, clock=self._clock)
        try:
            if self._run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            results = dialog.results()
        finally:
            dialog.deleteLater()
        try:
            self._coaching.add_self_test_results(results)
        except StoreError as error:
            self._asker.inform(self, "Not saved", f"The check could not be saved: {error}")
            return
        self._fill_self_test()

    def _on_start(self) -> None:
        snapshot = self.snapshot
        if snapshot is not None and snapshot.next_workout is not None:
            self.start_workout_requested.emit(snapshot.next_workout.id)

    def _on_open_last(self) -> None:
        snapshot = self.snapshot
        if snapshot is not None and snapshot.progress.last_session is not None:
            self.open_session_requested.emit(snapshot.progress.last_session.id)

    def _on_stretch(self) -> None:
        self.stretch_routine_requested.emit(STRETCH_ROUTINE_ID)


def exercise_summaries(entries: Sequence[Entry]) -> list[tuple[str, str]]:
    """(exercise id, one short line) per exercise of a session, in the order done.

    Warm-ups are left out. Rep sets give their count and best set, holds the longest
    single hold, intervals the work done, stretches the time per side.
    """
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        if not is_warmup(entry):
            grouped.setdefault(entry.exercise_id, []).append(entry)
    lines = []
    for exercise_id, done in grouped.items():
        count = f"{len(done)} set{'s' if len(done) != 1 else ''}"
        kinds = {e.kind for e in done}
        if kinds == {EntryKind.REP_SET}:
            best = max(done, key=lambda e: (e.reps or 0, e.load or 0.0))
            figure = f"best {best.reps or 0} reps"
            if best.load:
                figure += f" × {format_number(best.load, 2)} {best.unit or 'kg'}"
            lines.append((exercise_id, f"{count} · {figure}"))
        elif kinds == {EntryKind.HOLD}:
            longest = max((h for e in done for h in single_holds(e)), default=0.0)
            lines.append((exercise_id, f"{count} · longest hold {format_duration(longest)}"))
        elif kinds == {EntryKind.INTERVAL_ROUND}:
            work = sum(e.work_s or 0.0 for e in done)
            rounds = f"{len(done)} round{'s' if len(done) != 1 else ''}"
            lines.append((exercise_id, f"{rounds} · {format_duration(work)} of work"))
        elif kinds == {EntryKind.PER_SIDE}:
            sides = sum(e.duration_s or 0.0 for e in done)
            lines.append((exercise_id, f"{len(done)} stretches · {format_duration(sides)} in all"))
        else:
            lines.append((exercise_id, count))
    return lines


def _short_day(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _escape(text: str) -> str:
    return html.escape(text)
