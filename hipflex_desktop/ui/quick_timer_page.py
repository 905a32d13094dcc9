"""Quick Timer: a hold, an accumulated hold, intervals or a per-side stretch, no workout needed.

The page only builds the plan (the same ``quick_*_plan`` the command line uses)
and asks the main window to run it; the session runner then times it with the
same engine and cues as a workout. Quick timers are not written to the history.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.prescription import (
    HOLD_RANGE,
    REST_BETWEEN_SETS_RANGE,
    ROUNDS_RANGE,
    SETS_RANGE,
    TRANSITION_RANGE,
    WORK_REST_RANGE,
)
from hipflex_desktop.domain.steps import Plan, PlanError
from hipflex_desktop.session import QUICK_TIMER_KINDS, format_duration, quick_plan

LEAD_IN_RANGE = (0, 60)
DEFAULT_LEAD_IN_S = 5


@dataclass(frozen=True)
class _Field:
    key: str  # the command line's option name (see hipflex_desktop.cli)
    label: str
    value_range: tuple[int, int]
    default: int
    suffix: str = " s"


_KINDS: dict[str, tuple[str, str, tuple[_Field, ...]]] = {
    "hold": (
        "Single hold",
        "Hold for the target; the clock keeps counting past it until you press Enter.",
        (
            _Field("seconds", "Hold", HOLD_RANGE, 30),
            _Field("sets", "Sets", SETS_RANGE, 3, ""),
            _Field("rest", "Rest between sets", REST_BETWEEN_SETS_RANGE, 60),
        ),
    ),
    "accumulate": (
        "Accumulated hold",
        "Build a total from short holds: Space starts and stops each one.",
        (_Field("total", "Total", HOLD_RANGE, 60),),
    ),
    "intervals": (
        "Intervals",
        "Work and rest rounds that run by themselves.",
        (
            _Field("work", "Work", WORK_REST_RANGE, 30),
            _Field("rest", "Rest", WORK_REST_RANGE, 30),
            _Field("rounds", "Rounds", ROUNDS_RANGE, 8, ""),
        ),
    ),
    "sides": (
        "Each side",
        "Left, a short switch, then right: for stretches held on both sides.",
        (
            _Field("seconds", "Each side", HOLD_RANGE, 30),
            _Field("transition", "Switch time", TRANSITION_RANGE, 5),
        ),
    ),
}

QUICK_TIMER_STYLE = """
QPushButton#kindButton {
    background: white; color: #1f2933; border: 1px solid #d9e2ec; border-radius: 8px;
    padding: 10px 18px; font-size: 15px; font-weight: 600;
}
QPushButton#kindButton:checked { background: #1f2933; color: white; border-color: #1f2933; }
QLabel#kindHint { color: #52606d; font-size: 14px; }
QLabel#duration { color: #1f2933; font-size: 15px; font-weight: 600; }
QFrame#card QLabel { font-size: 15px; }
QFrame#card QSpinBox { font-size: 16px; min-width: 110px; padding: 4px 6px; }
QPushButton#startTimer {
    background: #e4572e; color: white; border: none; border-radius: 8px; padding: 10px 22px;
    font-size: 16px; font-weight: 700;
}
"""


class QuickTimerPage(QWidget):
    """Choose a timer and its numbers; ``start_requested(kind, values, plan)`` runs it."""

    start_requested = Signal(str, dict, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setStyleSheet(QUICK_TIMER_STYLE)
        self.fields: dict[str, dict[str, QSpinBox]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 22)
        layout.setSpacing(14)
        title = QLabel("Quick Timer", self)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        intro = QLabel("A timer without a workout, with the same countdowns and cues. "
                       "Quick timers are not saved to your history.", self)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        kinds = QHBoxLayout()
        kinds.setSpacing(8)
        self.kind_group = QButtonGroup(self)
        self.kind_group.setExclusive(True)
        self.kind_buttons: dict[str, QPushButton] = {}
        self.forms = QStackedWidget(self)
        for index, kind in enumerate(QUICK_TIMER_KINDS):
            label, hint, fields = _KINDS[kind]
            button = QPushButton(label, self)
            button.setObjectName("kindButton")
            button.setCheckable(True)
            button.setToolTip(f"{label} (Alt+{index + 1})")
            button.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            self.kind_group.addButton(button, index)
            self.kind_buttons[kind] = button
            kinds.addWidget(button)
            self.forms.addWidget(self._build_form(kind, hint, fields))
        kinds.addStretch(1)
        layout.addLayout(kinds)
        self.kind_group.idToggled.connect(self._on_kind_toggled)

        card = QFrame(self)
        card.setObjectName("card")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(22, 18, 22, 18)
        card_layout.setSpacing(12)
        card_layout.addWidget(self.forms)
        bottom = QHBoxLayout()
        self.duration = QLabel("", card)
        self.duration.setObjectName("duration")
        bottom.addWidget(self.duration, 1)
        self.start_button = QPushButton("Start timer  ⏎", card)
        self.start_button.setObjectName("startTimer")
        self.start_button.setToolTip("Start now (Enter)")
        self.start_button.clicked.connect(self.start)
        bottom.addWidget(self.start_button)
        card_layout.addLayout(bottom)
        card.setMaximumWidth(720)
        layout.addWidget(card)
        layout.addStretch(1)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.start)
        self.kind_buttons["hold"].setChecked(True)
        self._update_duration()

    def _build_form(self, kind: str, hint: str, fields: tuple[_Field, ...]) -> QWidget:
        form_widget = QWidget(self.forms)
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(10)
        hint_label = QLabel(hint, form_widget)
        hint_label.setObjectName("kindHint")
        hint_label.setWordWrap(True)
        form.addRow(hint_label)
        spins: dict[str, QSpinBox] = {}
        for field in (*fields, _Field("lead_in", "Get ready", LEAD_IN_RANGE, DEFAULT_LEAD_IN_S)):
            spin = QSpinBox(form_widget)
            spin.setObjectName(f"{kind}-{field.key}")
            spin.setRange(*field.value_range)
            spin.setValue(field.default)
            spin.setSuffix(field.suffix)
            spin.setAccessibleName(field.label)
            spin.valueChanged.connect(self._update_duration)
            form.addRow(field.label, spin)
            spins[field.key] = spin
        self.fields[kind] = spins
        return form_widget

    # -- public API ---------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return QUICK_TIMER_KINDS[max(0, self.kind_group.checkedId())]

    def values(self) -> dict[str, int]:
        return {key: spin.value() for key, spin in self.fields[self.kind].items()}

    def set_timer(self, kind: str, values: dict[str, int]) -> None:
        """Show ``kind`` with the given numbers (the command line's option names)."""
        self.kind_buttons[kind].setChecked(True)
        for key, value in values.items():
            spin = self.fields[kind].get(key)
            if spin is not None:
                spin.setValue(value)

    def focus_first_field(self) -> None:
        """Ready to type a number, and Enter starts."""
        first = next(iter(self.fields[self.kind].values()))
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        first.selectAll()

    def plan(self) -> Plan:
        return quick_plan(self.kind, self.values())

    def start(self) -> None:
        try:
            plan = self.plan()
        except (PlanError, ValueError) as error:
            self.duration.setText(f"Cannot start: {error}")
            return
        self.start_requested.emit(self.kind, self.values(), plan)

    # -- internals ----------------------------------------------------------------------------

    def _on_kind_toggled(self, index: int, checked: bool) -> None:
        if checked:
            self.forms.setCurrentIndex(index)
            self._update_duration()

    def _update_duration(self) -> None:
        try:
            plan = self.plan()
        except (PlanError, ValueError) as error:
            self.duration.setText(f"Cannot start: {error}")
            return
        lead_in = float(self.values().get("lead_in", DEFAULT_LEAD_IN_S))
        seconds = plan.timed_duration_s(lead_in)
        if seconds is None:
            self.duration.setText(f"{plan.title.removeprefix('Quick timer: ')}  ·  at your pace")
        else:
            self.duration.setText(
                f"{plan.title.removeprefix('Quick timer: ')}  ·  takes {format_duration(seconds)}"
            )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start()
            event.accept()
            return
        super().keyPressEvent(event)
