"""The pieces of the session runner screen: clock face, log sheet, overlays, summary.

They only draw what they are told; the runner page (``runner_page.py``) owns the
session and decides what to show. The clock face paints itself (no layouts), so
its digits scale with the window and cost one ``update()`` per repaint tick.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.cues import Phase, SessionSummary
from hipflex_desktop.domain.engine import UNITS, Snapshot
from hipflex_desktop.domain.steps import StepKind
from hipflex_desktop.session import describe_set

# -- palette (dark, calm, high contrast) ------------------------------------------------------

RUNNER_BACKGROUND = "#0f1419"
PANEL = "#171f27"
PANEL_BORDER = "#26323e"
TEXT = "#f4f6f8"
TEXT_MUTED = "#a3b1bf"
TRACK = "#222d38"
WARNING = "#f0b429"
DANGER = "#ef5350"
OK = "#4cd39b"


@dataclass(frozen=True)
class PhaseLook:
    label: str
    colour: str


PHASE_LOOKS: dict[Phase, PhaseLook] = {
    Phase.READY: PhaseLook("READY", "#cbd5df"),
    Phase.LEAD_IN: PhaseLook("GET READY", "#f5b83d"),
    Phase.REPS: PhaseLook("WORK", "#ff7043"),
    Phase.WORK: PhaseLook("WORK", "#ff7043"),
    Phase.HOLD: PhaseLook("HOLD", "#ff7043"),
    Phase.REST: PhaseLook("REST", "#4fb3f6"),
    Phase.SWITCH: PhaseLook("SWITCH SIDES", "#b48cff"),
    Phase.LOG: PhaseLook("LOG YOUR SET", "#4cd39b"),
    Phase.PAUSED: PhaseLook("PAUSED", "#9aa5b1"),
    Phase.DONE: PhaseLook("DONE", "#4cd39b"),
}


def phase_look(snapshot: Snapshot) -> PhaseLook:
    """Label and colour for the phase; paused keeps the label of what it paused."""
    if snapshot.paused:
        underneath = PHASE_LOOKS[snapshot.active_phase]
        return PhaseLook(f"PAUSED · {underneath.label}", PHASE_LOOKS[Phase.PAUSED].colour)
    if (snapshot.active_phase is Phase.HOLD and snapshot.step_kind is StepKind.ACCUMULATED_HOLD
            and not snapshot.holding):
        return PhaseLook("BREAK · SPACE TO HOLD", "#f5b83d")
    return PHASE_LOOKS[snapshot.phase]


def format_clock(seconds: float, *, plus: bool = False) -> str:
    """m:ss (h:mm:ss past an hour); ``plus`` for time past a target: "+0:05"."""
    whole = max(0, int(seconds + 1e-6))  # 11.9999999 (float sums) is 12 on a stopwatch
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return "+" + text if plus else text


def countdown_seconds(remaining: float) -> int:
    """The whole second a countdown shows: 30.0 → 30, 29.01 → 30, 0.2 → 1 (never 0 early)."""
    return max(0, math.ceil(remaining - 1e-6))


def clock_text(snapshot: Snapshot) -> tuple[str, str]:
    """The big text and the line under it, for any phase."""
    phase = snapshot.active_phase
    if snapshot.done:
        return format_clock(snapshot.session_elapsed_s), "total time"
    if phase is Phase.READY:
        return "Start", "press Space when you are set"
    if phase is Phase.LEAD_IN:
        return str(countdown_seconds(snapshot.remaining_s or 0.0)), "get into position"
    if phase in (Phase.WORK, Phase.REST, Phase.SWITCH):
        remaining = countdown_seconds(snapshot.remaining_s or 0.0)
        return format_clock(remaining), f"of {format_clock(snapshot.duration_s or 0.0)}"
    if phase is Phase.HOLD and snapshot.step_kind is StepKind.HOLD:
        target = format_clock(snapshot.duration_s or 0.0)
        if snapshot.past_target:
            over = snapshot.elapsed_s - (snapshot.duration_s or 0.0)
            return format_clock(over, plus=True), f"past the {target} target · Enter to stop"
        return format_clock(countdown_seconds(snapshot.remaining_s or 0.0)), f"to {target} target"
    if phase is Phase.HOLD:
        left = countdown_seconds(snapshot.accumulated_remaining_s or 0.0)
        total = format_clock(snapshot.accumulated_target_s or 0.0)
        if snapshot.past_target:
            return format_clock(snapshot.accumulated_s or 0.0), f"{total} reached · Enter to finish"
        if snapshot.holding:
            return format_clock(snapshot.elapsed_s), f"this hold · {format_clock(left)} to go"
        return format_clock(left), f"left of {total}"
    if phase is Phase.REPS:
        reps = snapshot.reps_text or "Reps"
        return reps.replace(" reps", ""), "reps · Enter when done"
    if phase is Phase.LOG:
        return "Log", "Enter saves the set"
    return "", ""


# -- the clock face -----------------------------------------------------------------------------


class ClockFace(QWidget):
    """A progress ring in the phase colour around the big clock.

    In focus mode the ring gives way to a bar along the bottom so the digits can
    take most of the height (at least a quarter of the window, readable at 3 m).
    """

    FLASH_MS = 360
    FLASH_FRAME_MS = 30

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clockFace")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 240)
        self.setAccessibleName("Session clock")
        self._label = "READY"
        self._colour = QColor(PHASE_LOOKS[Phase.READY].colour)
        self._main = "Ready"
        self._caption = ""
        self._progress = 0.0
        self._focus_mode = False
        self._flash_level = 0.0
        self._flash_colour = QColor(TEXT)
        self._flash_timer = QTimer(self)
        self._flash_timer.setObjectName("clock-flash")
        self._flash_timer.setInterval(self.FLASH_FRAME_MS)
        self._flash_timer.timeout.connect(self._fade_flash)

    # -- state ------------------------------------------------------------------------------

    @property
    def main_text(self) -> str:
        return self._main

    @property
    def caption(self) -> str:
        return self._caption

    @property
    def label(self) -> str:
        return self._label

    @property
    def colour(self) -> QColor:
        return QColor(self._colour)

    @property
    def progress(self) -> float:
        return self._progress

    @property
    def flashing(self) -> bool:
        return self._flash_level > 0

    def set_state(self, label: str, colour: str, main: str, caption: str, progress: float) -> None:
        progress = max(0.0, min(1.0, progress))
        changed = (label, colour, main, caption) != (
            self._label, self._colour.name(), self._main, self._caption
        ) or abs(progress - self._progress) > 0.0005
        self._label, self._main, self._caption = label, main, caption
        self._colour = QColor(colour)
        self._progress = progress
        if changed:
            self.update()

    def set_focus_mode(self, on: bool) -> None:
        self._focus_mode = on
        self.update()

    def flash(self, colour: str | None = None) -> None:
        """A brief wash of colour over the face: the visual stand-in for a sound."""
        self._flash_colour = QColor(colour) if colour else QColor(self._colour)
        self._flash_level = 1.0
        self._flash_timer.start()
        self.update()

    def stop_flash(self) -> None:
        self._flash_timer.stop()
        self._flash_level = 0.0
        self.update()

    def _fade_flash(self) -> None:
        self._flash_level -= self.FLASH_FRAME_MS / self.FLASH_MS
        if self._flash_level <= 0:
            self._flash_level = 0.0
            self._flash_timer.stop()
        self.update()

    # -- geometry (public so tests can check the 1/4-of-the-window rule) ---------------------

    def digits_rect(self) -> QRectF:
        """Where the big clock's glyphs are drawn (ink bounds, in widget coordinates)."""
        font, box = self._digit_font_and_box()
        metrics = QFontMetricsF(font)
        ink = metrics.tightBoundingRect(self._main or "0:00")
        baseline_y = box.center().y() + (metrics.capHeight() / 2)
        x = box.center().x() - metrics.horizontalAdvance(self._main) / 2
        return QRectF(x + ink.x(), baseline_y + ink.y(), ink.width(), ink.height())

    def _ring_geometry(self) -> tuple[QRectF, float]:
        side = min(self.width(), self.height())
        pen = max(6.0, side * 0.045)
        diameter = side - pen - 8
        rect = QRectF(0, 0, diameter, diameter)
        rect.moveCenter(QRectF(self.rect()).center())
        return rect, pen

    def _digit_font_and_box(self) -> tuple[QFont, QRectF]:
        text = self._main or "0:00"
        if self._focus_mode:
            area = QRectF(self.rect()).adjusted(16, 0, -16, 0)
            box = QRectF(area.x(), area.height() * 0.19, area.width(), area.height() * 0.58)
        else:
            ring, pen = self._ring_geometry()
            inner = ring.width() - 2 * pen
            box = QRectF(0, 0, inner * 0.80, inner * 0.42)
            box.moveCenter(ring.center())
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        font.setPixelSize(100)
        metrics = QFontMetricsF(font)
        # One size for every clock text ("5", "0:45", "+1:05"): sized for "0:00" and only
        # shrunk when a longer text would not fit, so the digits never jump in size.
        reference = max(metrics.horizontalAdvance("0:00"), 1.0)
        width = max(reference, metrics.horizontalAdvance(text))
        height = max(1.0, metrics.capHeight())
        scale = min(box.width() / width, box.height() / height)
        if text.isalpha():  # "Ready", "Log": words sit a little smaller than digits
            scale *= 0.8
        font.setPixelSize(max(12, int(100 * scale)))
        return font, box

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, 480)

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._focus_mode:
            self._paint_focus(painter)
        else:
            self._paint_ring(painter)
        if self._flash_level > 0:
            wash = QColor(self._flash_colour)
            wash.setAlphaF(0.32 * self._flash_level)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(wash)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(2, 2, -2, -2), 18, 18)
        painter.end()

    def _paint_ring(self, painter: QPainter) -> None:
        ring, pen_width = self._ring_geometry()
        track = QPen(QColor(TRACK), pen_width)
        painter.setPen(track)
        painter.drawEllipse(ring)
        if self._progress > 0:
            arc = QPen(self._colour, pen_width)
            arc.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(arc)
            painter.drawArc(ring, 90 * 16, -round(self._progress * 360 * 16))
        inner = ring.width() - 2 * pen_width
        self._paint_texts(painter, ring.center().x(), ring.center().y(), inner)

    def _paint_texts(self, painter: QPainter, cx: float, cy: float, inner: float) -> None:
        font, box = self._digit_font_and_box()
        metrics = QFontMetricsF(font)
        painter.setPen(QColor(TEXT))
        painter.setFont(font)
        baseline = box.center().y() + metrics.capHeight() / 2
        painter.drawText(
            round(cx - metrics.horizontalAdvance(self._main) / 2), round(baseline), self._main
        )
        label_font = QFont(self.font())
        label_font.setWeight(QFont.Weight.Bold)
        label_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 112)
        label_font.setPixelSize(max(11, int(inner * 0.060)))
        self._draw_fitted(painter, label_font, self._label, colour=self._colour, cx=cx,
                          baseline=box.top() - inner * 0.07, max_width=inner * 0.78)
        caption_font = QFont(self.font())
        caption_font.setPixelSize(max(11, int(inner * 0.050)))
        self._draw_fitted(painter, caption_font, self._caption, colour=QColor(TEXT_MUTED), cx=cx,
                          baseline=box.bottom() + inner * 0.11, max_width=inner * 0.80)

    def _paint_focus(self, painter: QPainter) -> None:
        area = QRectF(self.rect())
        h = area.height()
        font, box = self._digit_font_and_box()
        metrics = QFontMetricsF(font)
        painter.setPen(QColor(TEXT))
        painter.setFont(font)
        baseline = box.center().y() + metrics.capHeight() / 2
        painter.drawText(
            round(area.center().x() - metrics.horizontalAdvance(self._main) / 2),
            round(baseline), self._main,
        )
        label_font = QFont(self.font())
        label_font.setWeight(QFont.Weight.Bold)
        label_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 112)
        label_font.setPixelSize(max(14, int(h * 0.075)))
        self._draw_fitted(painter, label_font, self._label, colour=self._colour,
                          cx=area.center().x(), baseline=h * 0.10, max_width=area.width() * 0.9)
        caption_font = QFont(self.font())
        caption_font.setPixelSize(max(12, int(h * 0.050)))
        self._draw_fitted(painter, caption_font, self._caption, colour=QColor(TEXT_MUTED),
                          cx=area.center().x(), baseline=h * 0.87, max_width=area.width() * 0.9)
        bar_height = max(8.0, h * 0.028)
        bar = QRectF(area.x() + 24, h - bar_height - 6, area.width() - 48, bar_height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(TRACK))
        painter.drawRoundedRect(bar, bar_height / 2, bar_height / 2)
        if self._progress > 0:
            filled = QRectF(bar.x(), bar.y(), max(bar_height, bar.width() * self._progress),
                            bar_height)
            painter.setBrush(self._colour)
            painter.drawRoundedRect(filled, bar_height / 2, bar_height / 2)

    @staticmethod
    def _draw_fitted(painter: QPainter, font: QFont, text: str, *, colour: QColor, cx: float,
                     baseline: float, max_width: float) -> None:
        """Centred text on ``baseline``, shrunk to ``max_width`` if it would not fit."""
        if not text:
            return
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance(text)
        if width > max_width and width > 0:
            font = QFont(font)
            font.setPixelSize(max(9, int(font.pixelSize() * max_width / width)))
            metrics = QFontMetricsF(font)
            width = metrics.horizontalAdvance(text)
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(round(cx - width / 2), round(baseline), text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.update()


# -- the log sheet ------------------------------------------------------------------------------


def runner_button(
    text: str, object_name: str, parent: QWidget, slot: Callable[[], object] | SignalInstance
) -> QPushButton:
    """A button in the runner. It never takes the keyboard focus, so Space and Enter
    always reach the runner (and the sheet or overlay it belongs to)."""
    button = QPushButton(text, parent)
    button.setObjectName(object_name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.clicked.connect(slot)
    return button


@dataclass(frozen=True)
class LogValues:
    reps: int
    load: float
    unit: str
    rpe: float | None
    note: str

    def describe(self) -> str:
        return describe_set(self.reps, self.load, self.unit, self.rpe)


RPE_CHOICES: tuple[float, ...] = (6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0)


class LogSheet(QFrame):
    """Reps, load, unit, optional RPE and note for the rep set just done.

    It opens prefilled, so a press of Enter saves what was planned. After the
    set is accepted it stays as a receipt ("9 reps × 5 kg — Saving…", then
    "Saved ✓") until the next effort starts.
    """

    accepted = Signal(object)  # LogValues

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logSheet")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        self.title = QLabel("Log your set", self)
        self.title.setObjectName("logTitle")
        layout.addWidget(self.title)
        self.hint = QLabel("", self)
        self.hint.setObjectName("logHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

        self.form = QWidget(self)
        grid = QGridLayout(self.form)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        self.reps = QSpinBox(self.form)
        self.reps.setObjectName("logReps")
        self.reps.setRange(0, 999)
        self.reps.setAccessibleName("Reps")
        self.load = QDoubleSpinBox(self.form)
        self.load.setObjectName("logLoad")
        self.load.setRange(0.0, 999.0)
        self.load.setDecimals(1)
        self.load.setSingleStep(0.5)
        self.load.setAccessibleName("Added load")
        self.unit = QComboBox(self.form)
        self.unit.setObjectName("logUnit")
        self.unit.addItems(list(UNITS))
        self.unit.setAccessibleName("Unit")
        self.rpe = QComboBox(self.form)
        self.rpe.setObjectName("logRpe")
        self.rpe.addItem("—", None)
        for value in RPE_CHOICES:
            self.rpe.addItem(f"{value:g}", value)
        self.rpe.setAccessibleName("RPE (optional)")
        self.note = QLineEdit(self.form)
        self.note.setObjectName("logNote")
        self.note.setPlaceholderText("Note (optional)")
        self.note.setAccessibleName("Note")
        for column, (text, widget) in enumerate(
            (("Reps", self.reps), ("Load", self.load), ("Unit", self.unit), ("RPE", self.rpe))
        ):
            caption = QLabel(text, self.form)
            caption.setObjectName("logCaption")
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, column)
            grid.addWidget(widget, 1, column)
        grid.addWidget(self.note, 2, 0, 1, 4)
        layout.addWidget(self.form)

        row = QHBoxLayout()
        self.status = QLabel("", self)
        self.status.setObjectName("logStatus")
        row.addWidget(self.status, 1)
        self.accept_button = runner_button("Save set  ⏎", "logAccept", self, self.accept)
        row.addWidget(self.accept_button)
        layout.addLayout(row)
        self._editing = False
        self._entry_id: str | None = None
        self.focus_home: QWidget | None = None  # where the keyboard goes when the form hides

    @property
    def editing(self) -> bool:
        return self._editing

    @property
    def entry_id(self) -> str | None:
        """The entry the receipt shows (its save status follows this id)."""
        return self._entry_id

    def start_log(self, title: str, *, reps: int, load: float, unit: str, rpe: float | None,
                  hint: str) -> None:
        self._editing = True
        self._entry_id = None
        self.title.setText(title)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.reps.setValue(reps)
        self.load.setValue(load)
        self.unit.setCurrentText(unit if unit in UNITS else UNITS[0])
        index = self.rpe.findData(rpe) if rpe is not None else 0
        self.rpe.setCurrentIndex(max(0, index))
        self.note.clear()
        self.form.setVisible(True)
        self.accept_button.setVisible(True)
        self.status.setText("Enter saves · type a number to change reps")
        self.status.setProperty("state", "hint")
        self._restyle(self.status)
        self.show()

    def values(self) -> LogValues:
        rpe = self.rpe.currentData()
        return LogValues(
            reps=self.reps.value(),
            load=round(self.load.value(), 2),
            unit=self.unit.currentText(),
            rpe=float(rpe) if rpe is not None else None,
            note=self.note.text().strip(),
        )

    def accept(self) -> None:
        if self._editing:
            self.accepted.emit(self.values())

    def close_sheet(self) -> None:
        self._release_focus()
        self._editing = False
        self.hide()

    def _release_focus(self) -> None:
        """Hand the keyboard back before hiding a field that has it (else Qt moves it on to
        whatever widget comes next in the window, far from the runner)."""
        focused = QApplication.focusWidget()
        if self.focus_home is not None and focused is not None and self.isAncestorOf(focused):
            self.focus_home.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_receipt(self, entry_id: str, text: str) -> None:
        """After the engine took the log: the values, then the save status."""
        self._release_focus()
        self._editing = False
        self._entry_id = entry_id
        self.title.setText(text)
        self.hint.hide()
        self.form.setVisible(False)
        self.accept_button.setVisible(False)
        self.set_status("saving")
        self.show()

    def set_status(self, state: str, message: str = "") -> None:
        """``saving`` | ``saved`` | ``failed`` | ``memory`` (no store: kept for this session)."""
        texts = {
            "saving": "Saving…",
            "saved": "Saved ✓",
            "failed": "Not saved yet" + (f": {message}" if message else ""),
            "memory": "Not recorded (timer only)",
        }
        self.status.setText(texts.get(state, message))
        self.status.setProperty("state", state)
        self._restyle(self.status)

    def type_reps(self, text: str) -> None:
        """A digit typed on the runner starts a new reps value."""
        self.reps.setFocus(Qt.FocusReason.OtherFocusReason)
        self.reps.lineEdit().setText(text)
        self.reps.lineEdit().setCursorPosition(len(text))

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)


# -- banner, help, confirmation, summary ---------------------------------------------------------


class Banner(QFrame):
    """A one-line, non-blocking message across the top, with an optional action button."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 10, 8)
        self.text = QLabel("", self)
        self.text.setObjectName("bannerText")
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.action = runner_button("Retry", "bannerAction", self, self.action_clicked)
        layout.addWidget(self.action)
        self.dismiss = runner_button("✕", "bannerDismiss", self, self.hide)
        self.dismiss.setToolTip("Hide this message")
        layout.addWidget(self.dismiss)
        self.hide()

    def show_message(self, text: str, *, level: str = "error", action: str = "") -> None:
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        self.text.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.dismiss.setVisible(not action)
        self.show()


KEY_HELP: tuple[tuple[str, str], ...] = (
    ("Space", "Start · pause · resume; start/stop a hold in an accumulated hold"),
    ("Enter", "Set done · stop a hold · save the log"),
    ("N  or  →", "Skip to the next step"),
    ("Backspace  or  ←", "Back to the previous step"),
    ("+  /  −", "Add or take 15 s on the current timer"),
    ("R", "Count a rep (times the top pause)"),
    ("M", "Mute or unmute sounds"),
    ("F  or  F11", "Focus mode: the clock fills the screen"),
    ("Esc", "End the session (asks first; logged sets are kept)"),
    ("?", "Show or hide these keys"),
)


class RunnerOverlay(QFrame):
    """A layer over the whole runner holding one centred card; the timer runs on beneath."""

    def __init__(self, parent: QWidget, card_width: int) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.card = QFrame(self)
        self.card.setObjectName("overlayCard")
        self.card.setMaximumWidth(card_width)
        outer.addWidget(self.card, 0, Qt.AlignmentFlag.AlignCenter)
        self.hide()

    def _title(self, text: str) -> QLabel:
        title = QLabel(text, self.card)
        title.setObjectName("overlayTitle")
        return title

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()


class HelpOverlay(RunnerOverlay):
    """The keyboard map, over the whole runner; ? or Esc hides it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, card_width=760)
        card = self.card
        grid = QGridLayout(card)
        grid.setContentsMargins(28, 22, 28, 22)
        grid.setHorizontalSpacing(26)
        grid.setVerticalSpacing(9)
        grid.addWidget(self._title("Keys"), 0, 0, 1, 2)
        for row, (keys, action) in enumerate(KEY_HELP, start=1):
            key_label = QLabel(keys, card)
            key_label.setObjectName("helpKey")
            action_label = QLabel(action, card)
            action_label.setObjectName("helpAction")
            action_label.setWordWrap(True)
            grid.addWidget(key_label, row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(action_label, row, 1)
        footer = QLabel("Every key also has a button at the bottom of the screen.", card)
        footer.setObjectName("overlayFooter")
        grid.addWidget(footer, len(KEY_HELP) + 1, 0, 1, 2)


class ConfirmEnd(RunnerOverlay):
    """"End the session?" inside the runner: the timer keeps running while it is asked."""

    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, card_width=560)
        card = self.card
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 22, 28, 22)
        layout.setSpacing(12)
        layout.addWidget(self._title("End the session now?"))
        body = QLabel("Everything you have logged so far is kept, and the work of the current "
                      "step is logged too.", card)
        body.setObjectName("helpAction")
        body.setWordWrap(True)
        layout.addWidget(body)
        row = QHBoxLayout()
        row.addStretch(1)
        self.keep_button = runner_button(
            "Keep going  (Esc)", "secondaryButton", card, self.cancelled
        )
        row.addWidget(self.keep_button)
        self.end_button = runner_button(
            "End session  (Enter)", "dangerButton", card, self.confirmed
        )
        row.addWidget(self.end_button)
        layout.addLayout(row)


class FinishSummary(QFrame):
    """What the session came to: time, sets, reps, longest hold and anything notable."""

    done_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("finishSummary")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        card = QFrame(self)
        card.setObjectName("summaryCard")
        card.setMaximumWidth(860)
        card.setMinimumWidth(620)
        card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(14)
        self.heading = QLabel("Session complete", card)
        self.heading.setObjectName("summaryHeading")
        layout.addWidget(self.heading)
        self.workout = QLabel("", card)
        self.workout.setObjectName("summaryWorkout")
        layout.addWidget(self.workout)
        stats = QGridLayout()
        stats.setHorizontalSpacing(18)
        self.stat_values: dict[str, QLabel] = {}
        for column, name in enumerate(("Duration", "Sets", "Total reps", "Longest hold")):
            value = QLabel("–", card)
            value.setObjectName("statValue")
            caption = QLabel(name, card)
            caption.setObjectName("statCaption")
            stats.addWidget(value, 0, column)
            stats.addWidget(caption, 1, column)
            self.stat_values[name] = value
        layout.addLayout(stats)
        self.notable = QLabel("", card)
        self.notable.setObjectName("summaryNotable")
        self.notable.setWordWrap(True)
        layout.addWidget(self.notable)
        row = QHBoxLayout()
        self.save_status = QLabel("", card)
        self.save_status.setObjectName("summarySaved")
        self.save_status.setWordWrap(True)
        row.addWidget(self.save_status, 1)
        self.done_button = runner_button("Done  ⏎", "primaryButton", card, self.done_clicked)
        row.addWidget(self.done_button)
        layout.addLayout(row)

    def show_summary(self, summary: SessionSummary, notable: list[str], *,
                     active_s: str, sets: str, reps: str, longest: str) -> None:
        self.heading.setText("Session complete" if summary.completed else "Session ended")
        self.heading.setProperty("completed", summary.completed)
        self.heading.style().unpolish(self.heading)
        self.heading.style().polish(self.heading)
        self.workout.setText(summary.workout_name)
        self.stat_values["Duration"].setText(active_s)
        self.stat_values["Sets"].setText(sets)
        self.stat_values["Total reps"].setText(reps)
        self.stat_values["Longest hold"].setText(longest)
        self.notable.setText("\n".join(f"• {line}" for line in notable))
        self.notable.setVisible(bool(notable))

    def set_save_status(self, text: str, state: str) -> None:
        self.save_status.setText(text)
        self.save_status.setProperty("state", state)
        self.save_status.style().unpolish(self.save_status)
        self.save_status.style().polish(self.save_status)


# Every rule starts with the page's id so it outranks the generic label rule.
RUNNER_STYLE = f"""
#runnerPage {{ background: {RUNNER_BACKGROUND}; color: {TEXT}; }}
#runnerPage QLabel {{ color: {TEXT}; }}
#runnerPage QLabel#runnerTitle {{ font-size: 18px; font-weight: 600; }}
#runnerPage QLabel#runnerMeta {{ color: {TEXT_MUTED}; font-size: 15px; }}
#runnerPage QLabel#muteBadge {{
    color: {RUNNER_BACKGROUND}; background: {WARNING}; border-radius: 10px; padding: 2px 10px;
    font-weight: 700; font-size: 13px;
}}
#runnerPage QLabel#saveBadge {{ font-size: 14px; color: {TEXT_MUTED}; }}
#runnerPage QLabel#saveBadge[state="saved"] {{ color: {OK}; }}
#runnerPage QLabel#saveBadge[state="failed"] {{ color: {DANGER}; font-weight: 700; }}
#runnerPage QProgressBar#sessionProgress {{
    background: {TRACK}; border: none; border-radius: 2px; max-height: 4px;
}}
#runnerPage QProgressBar#sessionProgress::chunk {{ background: {TEXT_MUTED}; border-radius: 2px; }}
#runnerPage QLabel#exerciseName {{ font-size: 34px; font-weight: 700; }}
#runnerPage QLabel#keyCue {{ color: {TEXT_MUTED}; font-size: 19px; font-style: italic; }}
#runnerPage QLabel#details {{ font-size: 22px; font-weight: 600; }}
#runnerPage QLabel#extra {{ font-size: 18px; color: {TEXT_MUTED}; }}
#runnerPage QLabel#setList {{ font-size: 18px; color: {TEXT_MUTED}; }}
#runnerPage QLabel#nextUp {{
    font-size: 19px; color: {TEXT}; background: {PANEL}; border: 1px solid {PANEL_BORDER};
    border-radius: 10px; padding: 10px 14px;
}}
#runnerPage[focusMode="true"] QLabel#exerciseName {{ font-size: 44px; }}
#runnerPage[focusMode="true"] QLabel#details {{ font-size: 30px; }}
#runnerPage[focusMode="true"] QLabel#nextUp {{ font-size: 26px; }}
#runnerPage QFrame#logSheet {{
    background: {PANEL}; border: 2px solid {OK}; border-radius: 12px;
}}
#runnerPage QLabel#logTitle {{ font-size: 22px; font-weight: 700; }}
#runnerPage QLabel#logHint {{ color: {TEXT_MUTED}; font-size: 15px; }}
#runnerPage QLabel#logCaption {{ color: {TEXT_MUTED}; font-size: 13px; }}
#runnerPage QLabel#logStatus {{ font-size: 16px; color: {TEXT_MUTED}; }}
#runnerPage QLabel#logStatus[state="saved"] {{ color: {OK}; font-weight: 700; }}
#runnerPage QLabel#logStatus[state="saving"] {{ color: {TEXT}; }}
#runnerPage QLabel#logStatus[state="failed"] {{ color: {DANGER}; font-weight: 700; }}
#runnerPage QSpinBox, #runnerPage QDoubleSpinBox, #runnerPage QComboBox, #runnerPage QLineEdit {{
    font-size: 20px; padding: 6px 8px; color: {TEXT}; background: {RUNNER_BACKGROUND};
    border: 1px solid {PANEL_BORDER}; border-radius: 6px; min-height: 30px;
}}
/* No step arrows (the keyboard's up/down still step); NoButtons blanks the text here. */
#runnerPage QAbstractSpinBox::up-button, #runnerPage QAbstractSpinBox::down-button {{
    width: 0px; border: none;
}}
#runnerPage QSpinBox:focus, #runnerPage QDoubleSpinBox:focus, #runnerPage QComboBox:focus,
#runnerPage QLineEdit:focus {{ border: 2px solid {OK}; }}
#runnerPage QComboBox QAbstractItemView {{ background: {PANEL}; color: {TEXT}; }}
#runnerPage QPushButton#logAccept, #runnerPage QPushButton#primaryButton {{
    background: {OK}; color: #0b1f16; border: none; border-radius: 8px; padding: 9px 18px;
    font-size: 17px; font-weight: 700;
}}
#runnerPage QFrame#controls QPushButton {{
    background: {PANEL}; color: {TEXT}; border: 1px solid {PANEL_BORDER}; border-radius: 8px;
    padding: 8px 12px; font-size: 15px;
}}
#runnerPage QFrame#controls QPushButton:hover {{ border-color: {TEXT_MUTED}; }}
#runnerPage QFrame#controls QPushButton:disabled {{ color: #55616d; border-color: {PANEL}; }}
#runnerPage QFrame#controls QPushButton#mainAction {{
    background: #ff7043; color: #1d0b05; border: none; font-weight: 700; padding: 8px 20px;
}}
#runnerPage QFrame#controls QPushButton#mainAction:disabled {{ background: {PANEL}; }}
#runnerPage QFrame#controls QPushButton#endButton {{ color: #ff8a80; }}
#runnerPage QFrame#banner {{ background: #3a1d1d; border: 1px solid {DANGER}; border-radius: 8px; }}
#runnerPage QFrame#banner[level="info"] {{ background: #26261a; border-color: {WARNING}; }}
#runnerPage QLabel#bannerText {{ font-size: 15px; }}
#runnerPage QFrame#banner QPushButton {{
    background: {TEXT}; color: {RUNNER_BACKGROUND}; border: none; border-radius: 6px;
    padding: 5px 14px; font-weight: 700;
}}
#runnerPage QFrame#banner QPushButton#bannerDismiss {{
    background: transparent; color: {TEXT_MUTED};
}}
#runnerPage QFrame#helpOverlay {{ background: rgba(8, 11, 14, 235); }}
#runnerPage QFrame#overlayCard {{
    background: {PANEL}; border: 1px solid {PANEL_BORDER}; border-radius: 14px;
}}
#runnerPage QLabel#overlayTitle {{ font-size: 24px; font-weight: 700; }}
#runnerPage QLabel#helpKey {{
    font-size: 16px; font-weight: 700; color: {RUNNER_BACKGROUND}; background: {TEXT};
    border-radius: 5px; padding: 3px 9px;
}}
#runnerPage QLabel#helpAction {{ font-size: 16px; }}
#runnerPage QLabel#overlayFooter {{ color: {TEXT_MUTED}; font-size: 14px; padding-top: 6px; }}
#runnerPage QPushButton#secondaryButton, #runnerPage QPushButton#dangerButton {{
    border-radius: 8px; padding: 9px 18px; font-size: 16px; font-weight: 700; border: none;
}}
#runnerPage QPushButton#secondaryButton {{ background: {TEXT}; color: {RUNNER_BACKGROUND}; }}
#runnerPage QPushButton#dangerButton {{ background: {DANGER}; color: white; }}
#runnerPage QFrame#summaryCard {{
    background: {PANEL}; border: 1px solid {PANEL_BORDER}; border-radius: 16px;
}}
#runnerPage QLabel#summaryHeading {{ font-size: 34px; font-weight: 700; color: {TEXT}; }}
#runnerPage QLabel#summaryHeading[completed="true"] {{ color: {OK}; }}
#runnerPage QLabel#summaryWorkout {{ font-size: 20px; color: {TEXT_MUTED}; }}
#runnerPage QLabel#statValue {{ font-size: 40px; font-weight: 700; }}
#runnerPage QLabel#statCaption {{ font-size: 15px; color: {TEXT_MUTED}; }}
#runnerPage QLabel#summaryNotable {{ font-size: 17px; }}
#runnerPage QLabel#summarySaved {{ font-size: 15px; color: {TEXT_MUTED}; }}
#runnerPage QLabel#summarySaved[state="saved"] {{ color: {OK}; font-weight: 700; }}
#runnerPage QLabel#summarySaved[state="failed"] {{ color: {DANGER}; font-weight: 700; }}
"""
