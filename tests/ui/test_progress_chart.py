"""The progress chart: empty and single-point states, ranges, hover, zoom, keys and PNG export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hipflex_desktop.domain.progress import Metric, Series, SeriesPoint, local_time_in
from hipflex_desktop.ui.progress_chart import (
    PB_COLOUR,
    ProgressChart,
    RangePreset,
    RangeSelector,
    date_ticks,
    moving_average,
    nice_value_ticks,
)

UTC_TIME = local_time_in(UTC)
DAY = 86400.0
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC).timestamp()


def series(
    values: Sequence[float], *, every_days: float = 3.0,
    metric: Metric = Metric.BEST_SET_REPS, unit: str = "reps",
) -> Series:
    """Points ending a day before NOW, one every ``every_days``; bests marked as the domain does."""
    points = []
    best: float | None = None
    count = len(values)
    for i, value in enumerate(values):
        at = NOW - DAY - (count - 1 - i) * every_days * DAY
        points.append(SeriesPoint(UTC_TIME(at).date(), value, f"s{i}", at,
                                  best is not None and value > best))
        best = value if best is None else max(best, value)
    return Series("hanging-leg-raise", metric, unit, tuple(points))


@pytest.fixture
def chart(qtbot: QtBot) -> ProgressChart:
    widget = ProgressChart(clock=lambda: NOW, to_local=UTC_TIME)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def non_background_pixels(image: QImage) -> int:
    white = QColor("#ffffff").rgb()
    return sum(
        1
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
        if image.pixel(x, y) != white
    )


def colour_near(image: QImage, centre: QPointF, colour: str, radius: int = 4) -> bool:
    wanted = QColor(colour)
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            pixel = QColor(image.pixel(int(centre.x()) + dx, int(centre.y()) + dy))
            if (abs(pixel.red() - wanted.red()) < 30 and abs(pixel.green() - wanted.green()) < 30
                    and abs(pixel.blue() - wanted.blue()) < 30):
                return True
    return False


# --- states ----------------------------------------------------------------------------------


def test_empty_history_reads_as_waiting_for_data(chart: ProgressChart, qtbot: QtBot) -> None:
    chart.set_series(None, "Best set", "reps")
    assert chart.visible_points() == ()
    assert chart.summary_text() == "No sessions logged yet."
    assert chart.accessibleDescription() == "No sessions logged yet."
    empty = Series("x", Metric.BEST_SET_REPS, "reps", ())
    chart.set_series(empty, "Best set", "reps")
    with qtbot.assertNotEmitted(chart.point_hovered):
        qtbot.mouseMove(chart, QPoint(500, 250))
    assert chart.hover_text() == ""
    image = chart.grab().toImage()
    assert image.size() == QSize(1000, 500)
    assert non_background_pixels(image) > 20  # card, glyph and message are drawn


def test_a_single_point_is_shown_and_can_be_read(chart: ProgressChart, qtbot: QtBot) -> None:
    chart.set_series(series([9]), "Best set", "reps")
    (point,) = chart.visible_points()
    position = chart.point_position(point.session_id)
    assert position is not None
    assert 0 < position.x() < chart.width()
    assert 0 < position.y() < chart.height()
    with qtbot.waitSignal(chart.point_hovered) as hovered:
        qtbot.mouseMove(chart, position.toPoint())
    assert hovered.args == [point.session_id, point.at, 9.0, "9 reps · Thu 19 Nov 2026"]
    assert chart.hover_text() == "9 reps · Thu 19 Nov 2026"
    assert chart.summary_text() == "Best set: 1 session, best 9 reps on Thu 19 Nov 2026."


def test_no_sessions_in_the_chosen_range(chart: ProgressChart) -> None:
    old = series([8, 9], every_days=3)
    shifted = tuple(
        SeriesPoint(UTC_TIME(p.at - 200 * DAY).date(), p.value, p.session_id, p.at - 200 * DAY)
        for p in old.points
    )
    chart.set_series(Series("x", Metric.BEST_SET_REPS, "reps", shifted), "Best set", "reps")
    chart.set_range(RangePreset.FOUR_WEEKS)
    assert chart.visible_points() == ()
    chart.set_range(RangePreset.ONE_YEAR)
    assert len(chart.visible_points()) == 2


# --- ranges ----------------------------------------------------------------------------------


def test_range_presets_show_the_matching_window(chart: ProgressChart, qtbot: QtBot) -> None:
    values = [10 + (i % 5) for i in range(400)]  # one every 3 days: about 3.3 years
    chart.set_series(series(values), "Best set", "reps")
    expected = {RangePreset.FOUR_WEEKS: 10, RangePreset.THREE_MONTHS: 31,
                RangePreset.ONE_YEAR: 122, RangePreset.ALL: 400}
    for preset, count in expected.items():
        chart.set_range(preset)
        assert chart.range_preset() is preset
        assert len(chart.visible_points()) == count, preset
        start, end = chart.visible_range()
        assert end >= NOW
        if preset.days is not None:
            assert start == pytest.approx(NOW - preset.days * DAY)
    with qtbot.waitSignal(chart.range_changed) as changed:
        chart.set_range("4w")
    assert changed.args == ["4w"]
    with qtbot.assertNotEmitted(chart.range_changed):
        chart.set_range(RangePreset.FOUR_WEEKS)


def test_the_range_selector_drives_the_chart(chart: ProgressChart, qtbot: QtBot) -> None:
    selector = RangeSelector()
    qtbot.addWidget(selector)
    selector.preset_chosen.connect(chart.set_range)
    chart.set_series(series([10] * 200), "Best set", "reps")
    assert selector.preset() is RangePreset.THREE_MONTHS
    with qtbot.waitSignal(selector.preset_chosen) as chosen:
        qtbot.mouseClick(selector.buttons[RangePreset.ONE_YEAR], Qt.MouseButton.LeftButton)
    assert chosen.args == ["1y"]
    assert chart.range_preset() is RangePreset.ONE_YEAR
    selector.set_preset(RangePreset.ALL)
    assert selector.buttons[RangePreset.ALL].isChecked()
    assert not selector.buttons[RangePreset.ONE_YEAR].isChecked()


def test_many_points_render_quickly_enough_and_fill_the_plot(chart: ProgressChart) -> None:
    chart.set_series(series([8 + (i * 7) % 5 for i in range(2000)], every_days=1.8),
                     "Best set", "reps")
    chart.set_range(RangePreset.ALL)
    assert len(chart.visible_points()) == 2000
    image = chart.grab().toImage()
    assert non_background_pixels(image) > 500


# --- hover, keys and clicks ------------------------------------------------------------------


def test_hover_snaps_to_the_nearest_point_and_clears_outside(
    chart: ProgressChart, qtbot: QtBot
) -> None:
    data = series([8, 9, 11, 10], every_days=5, metric=Metric.TOP_LOAD, unit="kg")
    chart.set_series(data, "Top load", "kg")
    third = data.points[2]
    position = chart.point_position(third.session_id)
    assert position is not None
    with qtbot.waitSignal(chart.point_hovered) as hovered:
        qtbot.mouseMove(chart, QPoint(int(position.x()) + 6, 60))  # near in x is enough
    assert hovered.args[0] == third.session_id
    assert hovered.args[3] == f"11 kg · {third.day.strftime('%a')} {third.day.day} Nov 2026"
    assert chart.hovered_point() == third
    with qtbot.waitSignal(chart.hover_cleared):
        qtbot.mouseMove(chart, QPoint(5, 5))
    assert chart.hovered_point() is None


def test_hover_is_drawn_on_screen_but_not_in_the_export(
    chart: ProgressChart, qtbot: QtBot
) -> None:
    data = series([8, 9, 11, 10], every_days=5)
    chart.set_series(data, "Best set", "reps")
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.hovered_point() == data.points[-1]
    with_hover = chart.render_image(with_hover=True)
    without = chart.render_image()
    assert with_hover != without
    assert chart.render_image() == without


def test_keys_walk_the_points_and_enter_opens_one(chart: ProgressChart, qtbot: QtBot) -> None:
    data = series([8, 9, 11, 10], every_days=5)
    chart.set_series(data, "Best set", "reps")
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.hovered_point() == data.points[3]
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.hovered_point() == data.points[1]
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    qtbot.keyClick(chart, Qt.Key.Key_Left)  # stays on the first
    assert chart.hovered_point() == data.points[0]
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    with qtbot.waitSignal(chart.point_activated) as activated:
        qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert activated.args == ["s1"]
    with qtbot.waitSignal(chart.hover_cleared):
        qtbot.keyClick(chart, Qt.Key.Key_Escape)


def test_clicking_a_point_activates_its_session(chart: ProgressChart, qtbot: QtBot) -> None:
    data = series([8, 9, 11], every_days=7)
    chart.set_series(data, "Best set", "reps")
    position = chart.point_position("s1")
    assert position is not None
    with qtbot.waitSignal(chart.point_activated) as activated:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=position.toPoint())
    assert activated.args == ["s1"]


def test_personal_bests_are_marked(chart: ProgressChart) -> None:
    data = series([8, 10, 9, 12], every_days=7)
    chart.set_series(data, "Best set", "reps")
    image = chart.render_image()
    best = chart.point_position("s3")  # 12 beats everything before it
    plain = chart.point_position("s2")  # 9 does not
    assert best is not None
    assert plain is not None
    assert colour_near(image, best, PB_COLOUR)
    assert not colour_near(image, plain, PB_COLOUR)


# --- zoom ------------------------------------------------------------------------------------


def _wheel(chart: ProgressChart, x: float, steps: int) -> None:
    position = QPointF(x, 250)
    event = QWheelEvent(
        position, chart.mapToGlobal(position), QPoint(0, 0), QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(chart, event)


def test_wheel_zooms_the_time_axis_and_double_click_resets(
    chart: ProgressChart, qtbot: QtBot
) -> None:
    chart.set_series(series([10 + i % 3 for i in range(300)]), "Best set", "reps")
    chart.set_range(RangePreset.ALL)
    start, end = chart.visible_range()
    _wheel(chart, 500, 3)
    assert chart.is_zoomed()
    zoomed_start, zoomed_end = chart.visible_range()
    assert zoomed_end - zoomed_start == pytest.approx((end - start) * 0.8**3)
    assert start <= zoomed_start < zoomed_end <= end
    assert 0 < len(chart.visible_points()) < 300
    _wheel(chart, 500, -10)  # zooming out stops at the whole history
    assert chart.visible_range()[1] - chart.visible_range()[0] == pytest.approx(end - start)
    _wheel(chart, 500, 2)
    qtbot.mouseDClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(500, 250))
    assert not chart.is_zoomed()
    assert chart.visible_range() == (start, end)


def test_dragging_pans_a_zoomed_chart(chart: ProgressChart, qtbot: QtBot) -> None:
    chart.set_series(series([10 + i % 3 for i in range(300)]), "Best set", "reps")
    chart.set_range(RangePreset.ALL)
    chart.zoom(0.25)
    before = chart.visible_range()
    qtbot.mousePress(chart, Qt.MouseButton.LeftButton, pos=QPoint(600, 250))
    qtbot.mouseMove(chart, QPoint(700, 250))
    qtbot.mouseRelease(chart, Qt.MouseButton.LeftButton, pos=QPoint(700, 250))
    after = chart.visible_range()
    assert after[0] < before[0]  # dragging right shows earlier sessions
    assert after[1] - after[0] == pytest.approx(before[1] - before[0])


# --- export ----------------------------------------------------------------------------------


def test_png_export_writes_a_real_png_of_the_right_size(
    chart: ProgressChart, tmp_path: Path
) -> None:
    chart.set_series(series([8, 9, 11, 10, 12]), "Best set", "reps")
    target = tmp_path / "chart.png"
    chart.export_png(target, QSize(1000, 500))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1000, 500)
    assert non_background_pixels(image) > 100
    as_shown = tmp_path / "as-shown.png"
    chart.resize(640, 320)
    chart.export_png(as_shown)
    assert QImage(str(as_shown)).size() == QSize(640, 320)


def test_png_export_failure_is_an_error(chart: ProgressChart, tmp_path: Path) -> None:
    chart.set_series(series([8, 9]), "Best set", "reps")
    with pytest.raises(OSError, match="could not write the chart"):
        chart.export_png(tmp_path / "missing-folder" / "chart.png")


# --- axis arithmetic -------------------------------------------------------------------------


def test_value_ticks_cover_the_range_with_round_steps() -> None:
    ticks = nice_value_ticks(7.4, 12.6, "reps")
    assert ticks[0] <= 7.4
    assert ticks[-1] >= 12.6
    assert ticks == [6, 8, 10, 12, 14]
    assert nice_value_ticks(0, 3.2, "reps") == [0, 1, 2, 3, 4]  # never a fraction of a rep
    seconds = nice_value_ticks(0, 155, "s")
    assert all(t % 5 == 0 for t in seconds)
    assert seconds[-1] >= 155
    assert nice_value_ticks(0, 11.5, "kg") == [0, 2.5, 5, 7.5, 10, 12.5]


def test_date_ticks_follow_the_calendar() -> None:
    def stamp(y: int, m: int, d: int) -> float:
        return datetime(y, m, d, tzinfo=UTC).timestamp()

    weeks = date_ticks(stamp(2026, 10, 23), stamp(2026, 11, 20), 12, UTC_TIME)
    assert [t.label for t in weeks] == ["26 Oct", "2 Nov", "9 Nov", "16 Nov"]
    assert all(UTC_TIME(t.at).date().weekday() == 0 for t in weeks)
    assert weeks[0].sub_label == "2026"
    assert [t.sub_label for t in weeks[1:]] == ["", "", ""]
    months = date_ticks(stamp(2025, 11, 10), stamp(2026, 3, 10), 5, UTC_TIME)
    assert [(t.label, t.sub_label) for t in months] == [
        ("Dec", "2025"), ("Jan", "2026"), ("Feb", ""), ("Mar", ""),
    ]
    years = date_ticks(stamp(2016, 11, 1), stamp(2026, 11, 20), 12, UTC_TIME)
    assert [t.label for t in years] == [str(y) for y in range(2017, 2027)]
    days = date_ticks(stamp(2026, 11, 15), stamp(2026, 11, 20), 12, UTC_TIME)
    assert [UTC_TIME(t.at).date() for t in days] == [date(2026, 11, d) for d in range(15, 21)]


def test_moving_average_smooths_within_its_window() -> None:
    points = [SeriesPoint(date(2026, 1, 1), v, f"s{i}", i * DAY) for i, v in
              enumerate([10, 20, 30, 40])]
    assert moving_average(points, 2.5 * DAY) == [
        (0.0, 15.0), (DAY, 20.0), (2 * DAY, 30.0), (3 * DAY, 35.0),
    ]
