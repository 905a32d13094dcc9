"""A progress chart drawn with QPainter: date axis, hover read-out, personal bests, ranges.

Why not a charting library: Qt Charts is deprecated since Qt 6.10, and pyqtgraph
with numpy adds about a third of a second to the first chart and a dependency. One
line series over dates is small enough to draw well by hand, and doing so gives
calendar-aware ticks, a styled read-out and intentional empty states for free.
Import cost is only this module; see ``bench/history.py`` for the timings.

Interaction: hovering (or the arrow keys) snaps a crosshair to the nearest session
and shows its date and value; the mouse wheel zooms the time axis around the
pointer, dragging pans, and a double click (or Esc twice) returns to the chosen
range preset. Clicking a point emits ``point_activated`` with its session id.
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QPointF, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageWriter,
    QKeyEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QSizePolicy, QToolButton, QWidget

from hipflex_desktop.domain.progress import (
    MONTH_NAMES,
    LocalTime,
    Metric,
    Series,
    SeriesPoint,
    format_day,
    format_number,
    format_value,
    system_local_time,
)
from hipflex_desktop.ui import style

DAY_S = 86400.0
PB_COLOUR = "#e8a317"
GRID_COLOUR = "#edf1f5"
DENSE_POINTS_PER_PIXEL = 1 / 4  # closer than 4 px apart: dots and a moving average
MIN_ZOOM_SPAN_S = 5 * DAY_S
HOVER_SNAP_PX = 60.0


class RangePreset(StrEnum):
    FOUR_WEEKS = "4w"
    THREE_MONTHS = "3m"
    ONE_YEAR = "1y"
    ALL = "all"

    @property
    def label(self) -> str:
        return _PRESET_LABELS[self][0]

    @property
    def phrase(self) -> str:
        """How the range reads in a sentence: ``in the last 4 weeks``."""
        return _PRESET_LABELS[self][1]

    @property
    def days(self) -> int | None:
        return _PRESET_DAYS[self]


_PRESET_LABELS = {
    RangePreset.FOUR_WEEKS: ("4 weeks", "in the last 4 weeks"),
    RangePreset.THREE_MONTHS: ("3 months", "in the last 3 months"),
    RangePreset.ONE_YEAR: ("1 year", "in the last year"),
    RangePreset.ALL: ("All", "yet"),
}
_PRESET_DAYS = {
    RangePreset.FOUR_WEEKS: 28,
    RangePreset.THREE_MONTHS: 91,
    RangePreset.ONE_YEAR: 365,
    RangePreset.ALL: None,
}

_PRESET_SUBTITLES = {
    RangePreset.FOUR_WEEKS: "Last 4 weeks",
    RangePreset.THREE_MONTHS: "Last 3 months",
    RangePreset.ONE_YEAR: "Last 12 months",
    RangePreset.ALL: "All sessions",
}
_UNIT_WORDS = {"reps": "reps", "s": "seconds", "kg": "kg", "lb": "lb"}

_METRIC_COLOURS = {
    Metric.BEST_SET_REPS: style.KIND_COLOURS["reps"],
    Metric.TOTAL_REPS: style.KIND_COLOURS["reps"],
    Metric.TOP_LOAD: "#1f5fbf",
    Metric.VOLUME: "#1f5fbf",
    Metric.LONGEST_HOLD: style.KIND_COLOURS["hold"],
    Metric.ACCUMULATED_HOLD: style.KIND_COLOURS["hold"],
    Metric.INTERVAL_WORK: style.KIND_COLOURS["interval"],
}


# --- axis arithmetic (pure, tested through the widget) ---------------------------------------


def nice_value_ticks(low: float, high: float, unit: str, count: int = 5) -> list[float]:
    """Round tick values covering ``[low, high]``: 1-2-2.5-5 steps, whole reps, 5 s multiples."""
    span = max(high - low, 1e-9)
    raw = span / max(1, count)
    if unit == "s" and raw >= 4:
        steps = [5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600]
        step = float(next((s for s in steps if s >= raw), steps[-1]))
    else:
        magnitude = 10 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
        if unit == "reps":
            step = max(1.0, round(step))
    first = math.floor(low / step + 1e-9) * step
    count_needed = max(1, math.ceil((high - first) / step - 1e-9))
    return [round(first + i * step, 10) for i in range(min(count_needed, 50) + 1)]


@dataclass(frozen=True)
class DateTick:
    at: float
    label: str
    sub_label: str = ""  # the year under a month tick, where it changes


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def date_ticks(start: float, end: float, max_ticks: int, to_local: LocalTime) -> list[DateTick]:
    """Calendar ticks (days, Mondays, months, years) between two POSIX times."""
    zone = to_local(start).tzinfo
    first_day = to_local(start).date()
    last_day = to_local(end).date()
    span_days = max(1.0, (end - start) / DAY_S)

    def stamp(day: date) -> float:
        return datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()

    days: list[date] = []
    fmt: Callable[[date], str]
    for every in (1, 2, 7, 14):
        if span_days / every <= max_ticks:
            if every < 7:
                days = [first_day + timedelta(days=i) for i in range(0, int(span_days) + 2, every)]
            else:
                monday = first_day - timedelta(days=first_day.weekday())
                days = [monday + timedelta(days=i) for i in range(0, int(span_days) + 15, every)]
            fmt = _day_month
            break
    else:
        for months in (1, 2, 3, 6, 12, 24, 60):
            if span_days / (30.4 * months) <= max_ticks:
                break
        if months < 12:
            day = date(first_day.year, first_day.month, 1)
            day = _add_months(day, (-(day.month - 1)) % months)
            while day <= last_day:
                days.append(day)
                day = _add_months(day, months)
            fmt = _month
        else:
            years = months // 12
            year = first_day.year - first_day.year % years
            days = [date(y, 1, 1) for y in range(year, last_day.year + 1, years)]
            fmt = _year
    ticks: list[DateTick] = []
    shown_year: int | None = None
    for day in days:
        at = stamp(day)
        if not start <= at <= end:
            continue
        sub = ""
        if fmt is not _year and day.year != shown_year:
            sub = str(day.year)
            shown_year = day.year
        ticks.append(DateTick(at, fmt(day), sub))
    return ticks


def _day_month(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]}"


def _month(day: date) -> str:
    return MONTH_NAMES[day.month - 1]


def _year(day: date) -> str:
    return str(day.year)


def moving_average(points: Sequence[SeriesPoint], window_s: float) -> list[tuple[float, float]]:
    """Centred time-window average of the values, one per point (for a dense series)."""
    result: list[tuple[float, float]] = []
    times = [p.at for p in points]
    prefix = [0.0]
    for p in points:
        prefix.append(prefix[-1] + p.value)
    half = window_s / 2
    for p in points:
        lo = bisect.bisect_left(times, p.at - half)
        hi = bisect.bisect_right(times, p.at + half)
        result.append((p.at, (prefix[hi] - prefix[lo]) / max(1, hi - lo)))
    return result


# --- the widget ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """Where things go for one paint at one size."""

    plot: QRectF
    x0: float
    x1: float
    y0: float
    y1: float
    y_ticks: tuple[float, ...]

    def x(self, at: float) -> float:
        return self.plot.left() + (at - self.x0) / (self.x1 - self.x0) * self.plot.width()

    def y(self, value: float) -> float:
        return self.plot.bottom() - (value - self.y0) / (self.y1 - self.y0) * self.plot.height()

    def at(self, x: float) -> float:
        return self.x0 + (x - self.plot.left()) / self.plot.width() * (self.x1 - self.x0)


class ProgressChart(QWidget):
    """One exercise's metric over time.

    ``set_series(series, metric_label, unit)`` shows a :class:`Series` (``None`` or an
    empty series shows the empty state); ``set_range`` picks a preset window ending
    now; ``export_png`` saves the chart as drawn (without the hover read-out).
    Signals: ``point_hovered(session_id, at, value, text)`` when the read-out moves to
    a point, ``hover_cleared()`` when it goes away, ``point_activated(session_id)``
    on click or Enter, ``range_changed(preset_value)``.
    """

    point_hovered = Signal(str, float, float, str)
    hover_cleared = Signal()
    point_activated = Signal(str)
    range_changed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.time,
        to_local: LocalTime = system_local_time,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._to_local = to_local
        self._series: Series | None = None
        self._points: tuple[SeriesPoint, ...] = ()
        self._times: list[float] = []
        self._metric_label = ""
        self._unit = ""
        self._preset = RangePreset.THREE_MONTHS
        self._view: tuple[float, float] | None = None  # zoomed/panned window, else preset
        self._hover: int | None = None  # index into self._points
        self._drag_from: tuple[float, tuple[float, float]] | None = None
        self._colour = QColor(style.KIND_COLOURS["reps"])
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)
        self.setAccessibleName("Progress chart")

    # -- public API -----------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(720, 360)

    def set_series(self, series: Series | None, metric_label: str, unit: str) -> None:
        """Show ``series``; ``metric_label`` titles the chart, ``unit`` formats the values."""
        self._series = series
        self._points = series.points if series is not None else ()
        self._times = [p.at for p in self._points]
        self._metric_label = metric_label
        self._unit = unit
        if series is not None:
            self._colour = QColor(_METRIC_COLOURS.get(series.metric, style.ACCENT))
        self._view = None
        self._clear_hover()
        self.setAccessibleDescription(self.summary_text())
        self.update()

    def set_range(self, preset: RangePreset | str) -> None:
        """Show a preset window (4 weeks, 3 months, 1 year ending now, or all sessions)."""
        chosen = RangePreset(preset)
        changed = chosen is not self._preset
        self._preset = chosen
        self._view = None
        self._clear_hover()
        self.update()
        if changed:
            self.range_changed.emit(chosen.value)

    def range_preset(self) -> RangePreset:
        return self._preset

    def series(self) -> Series | None:
        return self._series

    def is_zoomed(self) -> bool:
        return self._view is not None

    def visible_range(self) -> tuple[float, float]:
        """The shown time window (POSIX seconds)."""
        return self._view if self._view is not None else self._preset_window()

    def visible_points(self) -> tuple[SeriesPoint, ...]:
        start, end = self.visible_range()
        lo = bisect.bisect_left(self._times, start)
        hi = bisect.bisect_right(self._times, end)
        return self._points[lo:hi]

    def hovered_point(self) -> SeriesPoint | None:
        return None if self._hover is None else self._points[self._hover]

    def hover_text(self) -> str:
        """The read-out for the hovered point, e.g. ``12 reps · Tue 3 Mar 2026``; else ''."""
        point = self.hovered_point()
        return "" if point is None else self._point_text(point)

    def point_position(self, session_id: str) -> QPointF | None:
        """Where a session's point is drawn in widget coordinates (None if not visible)."""
        frame = self._layout(_size_f(self.size()))
        for point in self.visible_points():
            if point.session_id == session_id:
                return QPointF(frame.x(point.at), frame.y(point.value))
        return None

    def summary_text(self) -> str:
        """A sentence describing the data, for screen readers and the empty state."""
        if not self._points:
            return "No sessions logged yet."
        best = max(self._points, key=lambda p: p.value)
        sessions = len(self._points)
        plural = "session" if sessions == 1 else "sessions"
        return (
            f"{self._metric_label}: {sessions} {plural}, best "
            f"{format_value(best.value, self._unit)} on {format_day(best.day)}."
        )

    def render_image(self, size: QSize | None = None, *, with_hover: bool = False) -> QImage:
        """The chart drawn into an image of ``size`` (default: the widget's size)."""
        target = size if size is not None else self.size()
        image = QImage(target, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(style.BACKGROUND))
        painter = QPainter(image)
        try:
            self._paint(painter, _size_f(target), with_hover=with_hover)
        finally:
            painter.end()
        return image

    def export_png(self, path: str | Path, size: QSize | None = None) -> None:
        """Save the chart as a PNG of ``size`` (default: as shown); raises OSError on failure."""
        image = self.render_image(size)
        writer = QImageWriter(str(path), QByteArray(b"png"))
        if not writer.write(image):
            raise OSError(f"could not write the chart to {path}: {writer.errorString()}")

    # -- geometry ---------------------------------------------------------------------------

    def _preset_window(self) -> tuple[float, float]:
        days = self._preset.days
        if days is not None:
            now = self._clock()
            # A little room on the right so today's point is not cut by the edge.
            return now - days * DAY_S, now + DAY_S * days / 60
        return self._full_window()

    def _full_window(self) -> tuple[float, float]:
        if not self._times:
            now = self._clock()
            return now - 28 * DAY_S, now
        first, last = self._times[0], self._times[-1]
        span = max(last - first, 6 * DAY_S)
        pad = span * 0.04
        if last - first < 6 * DAY_S:
            middle = (first + last) / 2
            return middle - 3 * DAY_S - pad, middle + 3 * DAY_S + pad
        return first - pad, last + pad

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        base.setPixelSize(12)
        title = QFont(base)
        title.setPixelSize(15)
        title.setWeight(QFont.Weight.DemiBold)
        big = QFont(base)
        big.setPixelSize(17)
        big.setWeight(QFont.Weight.DemiBold)
        return base, title, big

    def _layout(self, size: QSizeF) -> _Frame:
        base, _title, _big = self._fonts()
        metrics = QFontMetricsF(base)
        x0, x1 = self.visible_range()
        visible = self.visible_points()
        low, high = self._value_range(visible)
        ticks = nice_value_ticks(low, high, self._unit)
        y0, y1 = ticks[0], ticks[-1]
        if y1 <= y0:
            y1 = y0 + 1
        minutes = self._unit == "s" and ticks[-1] >= 120
        label_width = max(metrics.horizontalAdvance(self._axis_label(t, minutes)) for t in ticks)
        left = 16 + label_width + 10
        plot = QRectF(left, 58, max(10.0, size.width() - left - 24), max(10.0,
                      size.height() - 58 - 50))
        return _Frame(plot, x0, x1, y0, y1, tuple(ticks))

    def _value_range(self, visible: Sequence[SeriesPoint]) -> tuple[float, float]:
        """Zero-based, unless the values vary within a narrow band well above zero."""
        if not visible:
            return 0.0, {"reps": 10.0, "s": 60.0}.get(self._unit, 20.0)
        low = min(p.value for p in visible)
        high = max(p.value for p in visible)
        if high <= 0:
            return 0.0, 1.0
        flat = high - low <= high * 0.05
        if not flat and low > high * 0.5:
            span = high - low
            return low - span * 0.15, high + span * 0.15
        return 0.0, high * 1.15

    def _axis_label(self, value: float, minutes: bool = False) -> str:
        """Tick text; seconds read as m:ss on an axis that reaches two minutes."""
        if self._unit == "s" and minutes:
            whole_minutes, seconds = divmod(round(value), 60)
            return f"{whole_minutes}:{seconds:02d}"
        if abs(value) >= 10000:
            return f"{format_number(value / 1000, 1)}k"
        return format_number(value, 2)

    def _point_text(self, point: SeriesPoint) -> str:
        return f"{format_value(point.value, self._unit)} · {format_day(point.day)}"

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        try:
            self._paint(painter, _size_f(self.size()), with_hover=True)
        finally:
            painter.end()

    def _paint(self, painter: QPainter, size: QSizeF, *, with_hover: bool) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        base, title_font, big = self._fonts()
        frame = self._layout(size)
        card = QRectF(0.5, 0.5, size.width() - 1, size.height() - 1)
        painter.setPen(QPen(QColor(style.BORDER), 1))
        painter.setBrush(QColor(style.SURFACE))
        painter.drawRoundedRect(card, 8, 8)

        visible = self.visible_points()
        self._paint_header(painter, size, frame, visible, base=base, title_font=title_font)
        if not self._points:
            self._paint_empty_glyph(painter, frame)
            self._paint_message(
                painter, frame, (big, base), "No sessions logged yet",
                "Finish a session with this exercise and each one will appear here as a point, "
                "with your personal bests marked.",
            )
            return
        self._paint_grid(painter, frame, base, labels=bool(visible))
        self._paint_date_axis(painter, frame, base)
        if not visible:
            latest = self._points[-1]
            where = "here" if self._view is not None else self._preset.phrase
            advice = ("Double-click to go back to the whole range." if self._view is not None
                      else "Choose a longer range to see it.")
            self._paint_message(
                painter, frame, (big, base), f"No sessions {where}",
                f"Your latest was on {format_day(latest.day)}. {advice}",
            )
            return
        painter.save()
        painter.setClipRect(frame.plot.adjusted(-8, -8, 8, 8))
        self._paint_series(painter, frame, visible)
        painter.restore()
        if len(self._points) == 1:
            self._paint_single(painter, frame, visible[0], big, base)
        if with_hover and self._hover is not None:
            self._paint_hover(painter, frame, base)

    def _paint_header(
        self, painter: QPainter, size: QSizeF, frame: _Frame,
        visible: Sequence[SeriesPoint], *, base: QFont, title_font: QFont,
    ) -> None:
        painter.setFont(title_font)
        painter.setPen(QColor(style.INK))
        title = self._metric_label or "Progress"
        painter.drawText(QPointF(16, 28), title)
        if self._unit:
            x = 16 + QFontMetricsF(title_font).horizontalAdvance(title) + 8
            painter.setFont(base)
            painter.setPen(QColor(style.MUTED))
            painter.drawText(QPointF(x, 28), _UNIT_WORDS.get(self._unit, self._unit))
        painter.setFont(base)
        painter.setPen(QColor(style.MUTED))
        if self._view is not None:
            subtitle = "Zoomed in (double-click to reset)"
        elif not self._points:
            subtitle = ""
        else:
            subtitle = _PRESET_SUBTITLES[self._preset]
        if visible:
            count = len(visible)
            best = max(visible, key=lambda p: p.value)
            subtitle += (f" · {count} session{'s' if count != 1 else ''}"
                         f" · best {format_value(best.value, self._unit)}")
        painter.drawText(QPointF(16, 46), subtitle)
        # Legend, right-aligned.
        metrics = QFontMetricsF(base)
        x = size.width() - 20
        items: list[tuple[str, str]] = []
        if any(p.personal_best for p in visible):
            items.append(("pb", "Personal best"))
        if self._dense(visible, frame):
            items.append(("trend", self._trend_label(frame)))
        for kind, text in reversed(items):
            x -= metrics.horizontalAdvance(text)
            painter.setPen(QColor(style.MUTED))
            painter.drawText(QPointF(x, 30), text)
            x -= 8
            if kind == "pb":
                self._draw_star(painter, QPointF(x - 6, 25.5), 6.5)
                x -= 12
            else:
                painter.setPen(QPen(self._colour, 2.6, Qt.PenStyle.SolidLine,
                                    Qt.PenCapStyle.RoundCap))
                painter.drawLine(QPointF(x - 16, 26), QPointF(x, 26))
                x -= 16
            x -= 18

    def _trend_label(self, frame: _Frame) -> str:
        days = self._trend_window(frame) / DAY_S
        if days >= 56:
            return f"{round(days / 30.4)}-month average"
        if days >= 14:
            return f"{round(days / 7)}-week average"
        return f"{max(1, round(days))}-day average"

    @staticmethod
    def _trend_window(frame: _Frame) -> float:
        return (frame.x1 - frame.x0) / 40

    def _paint_grid(self, painter: QPainter, frame: _Frame, base: QFont, *, labels: bool) -> None:
        painter.setFont(base)
        metrics = QFontMetricsF(base)
        for tick in frame.y_ticks:
            y = frame.y(tick)
            painter.setPen(QPen(QColor(GRID_COLOUR), 1))
            painter.drawLine(QPointF(frame.plot.left(), y), QPointF(frame.plot.right(), y))
            if labels:
                label = self._axis_label(tick, self._unit == "s" and frame.y_ticks[-1] >= 120)
                painter.setPen(QColor(style.MUTED))
                painter.drawText(
                    QPointF(frame.plot.left() - 10 - metrics.horizontalAdvance(label),
                            y + metrics.capHeight() / 2),
                    label,
                )
        painter.setPen(QPen(QColor(style.BORDER), 1))
        painter.drawLine(QPointF(frame.plot.left(), frame.plot.bottom()),
                         QPointF(frame.plot.right(), frame.plot.bottom()))

    def _paint_date_axis(self, painter: QPainter, frame: _Frame, base: QFont) -> None:
        painter.setFont(base)
        metrics = QFontMetricsF(base)
        max_ticks = max(2, int(frame.plot.width() / 78))
        ticks = date_ticks(frame.x0, frame.x1, max_ticks, self._to_local)
        bottom = frame.plot.bottom()
        for tick in ticks:
            x = frame.x(tick.at)
            painter.setPen(QPen(QColor(GRID_COLOUR), 1))
            painter.drawLine(QPointF(x, frame.plot.top()), QPointF(x, bottom))
            painter.setPen(QPen(QColor(style.BORDER), 1))
            painter.drawLine(QPointF(x, bottom), QPointF(x, bottom + 4))
            painter.setPen(QColor(style.MUTED))
            width = metrics.horizontalAdvance(tick.label)
            painter.drawText(QPointF(x - width / 2, bottom + 18), tick.label)
            if tick.sub_label:
                painter.setPen(QColor(style.INK))
                sub_width = metrics.horizontalAdvance(tick.sub_label)
                painter.drawText(QPointF(x - sub_width / 2, bottom + 33), tick.sub_label)

    def _dense(self, visible: Sequence[SeriesPoint], frame: _Frame) -> bool:
        return len(visible) > frame.plot.width() * DENSE_POINTS_PER_PIXEL

    def _paint_series(
        self, painter: QPainter, frame: _Frame, visible: Sequence[SeriesPoint]
    ) -> None:
        # One point beyond each edge keeps the line running off the sides when zoomed.
        first = bisect.bisect_left(self._times, visible[0].at)
        lo = max(0, first - 1)
        hi = min(len(self._points), first + len(visible) + 1)
        shown = self._points[lo:hi]
        colour = self._colour
        round_pen = (Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        if self._dense(visible, frame):
            # Too many sessions for a readable line: each one a faint dot, plus a moving average.
            dot = QColor(colour)
            dot.setAlpha(60)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(dot)
            for p in visible:
                painter.drawEllipse(QPointF(frame.x(p.at), frame.y(p.value)), 1.9, 1.9)
            trend = moving_average(shown, self._trend_window(frame))
            trend_line = [QPointF(frame.x(at), frame.y(v)) for at, v in trend]
            self._paint_area(painter, frame, trend_line, colour)
            painter.setPen(QPen(colour, 2.6, *round_pen))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF(trend_line))
            star = 6.5
        else:
            line = [QPointF(frame.x(p.at), frame.y(p.value)) for p in shown]
            if len(line) > 1:
                self._paint_area(painter, frame, line, colour)
            painter.setPen(QPen(colour, 2.4, *round_pen))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF(line))
            radius = 4.0 if len(visible) <= 40 else 2.8
            painter.setPen(QPen(colour, 2.0))
            painter.setBrush(QColor(style.SURFACE))
            for p in visible:
                if not p.personal_best:
                    painter.drawEllipse(QPointF(frame.x(p.at), frame.y(p.value)), radius, radius)
            star = 7.0
        for p in visible:
            if p.personal_best:
                self._draw_star(painter, QPointF(frame.x(p.at), frame.y(p.value)), star)

    def _paint_single(
        self, painter: QPainter, frame: _Frame, only: SeriesPoint, big: QFont, base: QFont
    ) -> None:
        """One session: a guide at its value, the value spelled out, and what comes next."""
        pos = QPointF(frame.x(only.at), frame.y(only.value))
        guide = QColor(self._colour)
        guide.setAlpha(110)
        painter.setPen(QPen(guide, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(frame.plot.left(), pos.y()), QPointF(pos.x() - 8, pos.y()))
        text = format_value(only.value, self._unit)
        metrics = QFontMetricsF(big)
        width = metrics.horizontalAdvance(text)
        x = min(max(pos.x() - width / 2, frame.plot.left() + 4), frame.plot.right() - width)
        painter.setFont(big)
        painter.setPen(QColor(style.INK))
        painter.drawText(QPointF(x, pos.y() - 16), text)
        painter.setFont(base)
        painter.setPen(QColor(style.MUTED))
        painter.drawText(
            frame.plot.adjusted(0, 0, 0, -10),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
            "One session so far — log another to start the line.",
        )

    def _paint_area(
        self, painter: QPainter, frame: _Frame, line: Sequence[QPointF], colour: QColor
    ) -> None:
        path = QPainterPath()
        path.moveTo(line[0].x(), frame.plot.bottom())
        for point in line:
            path.lineTo(point)
        path.lineTo(line[-1].x(), frame.plot.bottom())
        path.closeSubpath()
        gradient = QLinearGradient(0, frame.plot.top(), 0, frame.plot.bottom())
        top, bottom = QColor(colour), QColor(colour)
        top.setAlpha(56)
        bottom.setAlpha(4)
        gradient.setColorAt(0, top)
        gradient.setColorAt(1, bottom)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(gradient))
        painter.drawPath(path)

    def _draw_star(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        star = QPolygonF()
        for i in range(10):
            r = radius if i % 2 == 0 else radius * 0.45
            angle = -math.pi / 2 + i * math.pi / 5
            star.append(QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle)))
        painter.setPen(QPen(QColor(style.SURFACE), 1.4))
        painter.setBrush(QColor(PB_COLOUR))
        painter.drawPolygon(star)

    def _paint_empty_glyph(self, painter: QPainter, frame: _Frame) -> None:
        """A small rising line in a soft tile above the message, so the empty state reads
        as a chart waiting for data rather than as a broken one."""
        centre = QPointF(frame.plot.center().x(), frame.plot.center().y() - 80)
        tile = QRectF(centre.x() - 30, centre.y() - 30, 60, 60)
        soft = QColor(self._colour)
        soft.setAlpha(28)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(soft)
        painter.drawRoundedRect(tile, 14, 14)
        points = [QPointF(tile.left() + 14 + i * 10.7, tile.bottom() - 18 - h)
                  for i, h in enumerate((0, 9, 5, 18))]
        painter.setPen(QPen(self._colour, 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(QPolygonF(points))
        painter.setBrush(QColor(style.SURFACE))
        for point in points[:-1]:
            painter.drawEllipse(point, 2.6, 2.6)
        self._draw_star(painter, points[-1], 6.5)
        painter.setPen(QPen(QColor(style.BORDER), 1))
        painter.drawLine(QPointF(frame.plot.left(), frame.plot.bottom()),
                         QPointF(frame.plot.right(), frame.plot.bottom()))

    def _paint_message(
        self, painter: QPainter, frame: _Frame, fonts: tuple[QFont, QFont], title: str, body: str
    ) -> None:
        big, base = fonts
        box = frame.plot.adjusted(40, 0, -40, 0)
        centre_y = frame.plot.center().y()
        painter.setFont(big)
        painter.setPen(QColor(style.INK))
        painter.drawText(QRectF(box.left(), centre_y - 34, box.width(), 28),
                         int(Qt.AlignmentFlag.AlignCenter), title)
        painter.setFont(base)
        painter.setPen(QColor(style.MUTED))
        painter.drawText(QRectF(box.left(), centre_y - 4, box.width(), 40),
                         int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap), body)

    def _paint_hover(self, painter: QPainter, frame: _Frame, base: QFont) -> None:
        assert self._hover is not None
        point = self._points[self._hover]
        x, y = frame.x(point.at), frame.y(point.value)
        if not frame.plot.adjusted(-1, -1, 1, 1).contains(QPointF(x, y)):
            return
        painter.setPen(QPen(QColor(style.MUTED), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, frame.plot.top()), QPointF(x, frame.plot.bottom()))
        ring = QColor(self._colour)
        ring.setAlpha(60)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ring)
        painter.drawEllipse(QPointF(x, y), 10, 10)
        painter.setPen(QPen(QColor(style.SURFACE), 2))
        painter.setBrush(QColor(PB_COLOUR) if point.personal_best else self._colour)
        painter.drawEllipse(QPointF(x, y), 5, 5)

        value_font = QFont(base)
        value_font.setPixelSize(14)
        value_font.setWeight(QFont.Weight.DemiBold)
        lines = [(format_value(point.value, self._unit), value_font, QColor(style.INK)),
                 (format_day(point.day), base, QColor(style.MUTED))]
        if point.personal_best:
            lines.append(("★ Personal best", base, QColor("#b7791f")))
        widths = [QFontMetricsF(font).horizontalAdvance(text) for text, font, _ in lines]
        heights = [QFontMetricsF(font).height() for _, font, _ in lines]
        box_w, box_h = max(widths) + 22, sum(heights) + 14
        bx = x + 14 if x + 14 + box_w <= frame.plot.right() else x - 14 - box_w
        by = min(max(frame.plot.top(), y - box_h - 10), frame.plot.bottom() - box_h)
        box = QRectF(bx, by, box_w, box_h)
        shadow = QColor(0, 0, 0, 28)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(shadow)
        painter.drawRoundedRect(box.translated(0, 2), 7, 7)
        painter.setPen(QPen(QColor(style.BORDER), 1))
        painter.setBrush(QColor(style.SURFACE))
        painter.drawRoundedRect(box, 7, 7)
        text_y = by + 7
        for (text, font, colour), height in zip(lines, heights, strict=True):
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QPointF(bx + 11, text_y + QFontMetricsF(font).ascent()), text)
            text_y += height

    # -- interaction ------------------------------------------------------------------------

    def _clear_hover(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.hover_cleared.emit()
            self.update()

    def _set_hover(self, index: int | None) -> None:
        if index == self._hover:
            return
        if index is None:
            self._clear_hover()
            return
        self._hover = index
        point = self._points[index]
        self.point_hovered.emit(point.session_id, point.at, point.value, self._point_text(point))
        self.update()

    def _nearest(self, x: float) -> int | None:
        frame = self._layout(_size_f(self.size()))
        visible = self.visible_points()
        if not visible or not frame.plot.adjusted(-HOVER_SNAP_PX, -20, HOVER_SNAP_PX, 20) \
                .contains(QPointF(x, frame.plot.center().y())):
            return None
        at = frame.at(x)
        lo = bisect.bisect_left(self._times, visible[0].at)
        hi = bisect.bisect_right(self._times, visible[-1].at)
        i = bisect.bisect_left(self._times, at, lo, hi)
        candidates = [j for j in (i - 1, i) if lo <= j < hi]
        best = min(candidates, key=lambda j: abs(self._times[j] - at))
        if abs(frame.x(self._times[best]) - x) > HOVER_SNAP_PX:
            return None
        return best

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        position = event.position()
        if self._drag_from is not None:
            frame = self._layout(_size_f(self.size()))
            start_x, (v0, v1) = self._drag_from
            shift = (position.x() - start_x) / frame.plot.width() * (v1 - v0)
            self._view = self._clamped(v0 - shift, v1 - shift)
            self.update()
            return
        self._set_hover(self._nearest(position.x()))
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() is Qt.MouseButton.LeftButton:
            self._drag_from = (event.position().x(), self.visible_range())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() is Qt.MouseButton.LeftButton and self._drag_from is not None:
            moved = abs(event.position().x() - self._drag_from[0])
            self._drag_from = None
            if moved < 4:
                index = self._nearest(event.position().x())
                if index is not None:
                    self._set_hover(index)
                    self.point_activated.emit(self._points[index].session_id)
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.reset_zoom()
        super().mouseDoubleClickEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        self._clear_hover()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        steps = event.angleDelta().y() / 120
        if not steps or not self._points:
            event.ignore()
            return
        self.zoom(0.8 ** steps, event.position().x())
        event.accept()

    def zoom(self, factor: float, around_x: float | None = None) -> None:
        """Scale the time window by ``factor`` (< 1 zooms in) around a widget x position."""
        frame = self._layout(_size_f(self.size()))
        v0, v1 = self.visible_range()
        anchor = frame.at(around_x) if around_x is not None else (v0 + v1) / 2
        span = max(MIN_ZOOM_SPAN_S, (v1 - v0) * factor)
        share = (anchor - v0) / (v1 - v0)
        self._view = self._clamped(anchor - span * share, anchor + span * (1 - share))
        self._clear_hover()
        self.update()

    def reset_zoom(self) -> None:
        if self._view is not None:
            self._view = None
            self._clear_hover()
            self.update()

    def _clamped(self, start: float, end: float) -> tuple[float, float]:
        full0, full1 = self._full_window()
        preset0, preset1 = self._preset_window()
        low, high = min(full0, preset0), max(full1, preset1)
        span = min(end - start, high - low)
        start = min(max(start, low), high - span)
        return start, start + span

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        visible = self.visible_points()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End) and visible:
            lo = bisect.bisect_left(self._times, visible[0].at)
            hi = lo + len(visible) - 1
            current = self._hover if self._hover is not None and lo <= self._hover <= hi else None
            if key == Qt.Key.Key_Home:
                target = lo
            elif key == Qt.Key.Key_End or current is None:
                target = hi
            elif key == Qt.Key.Key_Left:
                target = max(lo, current - 1)
            else:
                target = min(hi, current + 1)
            self._set_hover(target)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._hover is not None:
            self.point_activated.emit(self._points[self._hover].session_id)
            return
        if key == Qt.Key.Key_Escape and (self._hover is not None or self._view is not None):
            if self._hover is not None:
                self._clear_hover()
            else:
                self.reset_zoom()
            return
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(0.8)
            return
        if key == Qt.Key.Key_Minus:
            self.zoom(1.25)
            return
        super().keyPressEvent(event)


def _size_f(size: QSize) -> QSizeF:
    return QSizeF(float(size.width()), float(size.height()))


class RangeSelector(QWidget):
    """Segmented buttons for the range presets; wire ``preset_chosen`` to ``set_range``."""

    preset_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None,
                 initial: RangePreset = RangePreset.THREE_MONTHS) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[RangePreset, QToolButton] = {}
        presets = list(RangePreset)
        for index, preset in enumerate(presets):
            button = QToolButton(self)
            button.setText(preset.label)
            button.setCheckable(True)
            button.setToolTip(f"Show {preset.phrase}" if preset is not RangePreset.ALL
                              else "Show every session")
            button.setProperty("preset", preset.value)
            position = "first" if index == 0 else "last" if index == len(presets) - 1 else "mid"
            button.setObjectName(f"rangeButton_{position}")
            self._group.addButton(button)
            layout.addWidget(button)
            self.buttons[preset] = button
            button.clicked.connect(self._on_clicked)
        self.setStyleSheet(_SELECTOR_STYLE)
        self.set_preset(initial)

    def set_preset(self, preset: RangePreset | str) -> None:
        self.buttons[RangePreset(preset)].setChecked(True)

    def preset(self) -> RangePreset:
        checked = self._group.checkedButton()
        if checked is None:
            return RangePreset.THREE_MONTHS
        return RangePreset(str(checked.property("preset")))

    def _on_clicked(self) -> None:
        self.preset_chosen.emit(self.preset().value)


_SELECTOR_STYLE = f"""
QToolButton {{
    background: {style.SURFACE}; color: {style.INK}; border: 1px solid {style.BORDER};
    padding: 4px 12px; margin-left: -1px;
}}
QToolButton#rangeButton_first {{ border-top-left-radius: 6px; border-bottom-left-radius: 6px; }}
QToolButton#rangeButton_last {{ border-top-right-radius: 6px; border-bottom-right-radius: 6px; }}
QToolButton:checked {{ background: {style.INK}; color: white; border-color: {style.INK}; }}
QToolButton:hover:!checked {{ background: {style.BACKGROUND}; }}
"""
