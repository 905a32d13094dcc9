"""The History page against a real history store in tmp_path.

Every claim about saving is checked against the store on disk (a second,
read-only open of the same folder), not against what the page shows.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.catalog_loader import load_catalog
from hipflex_desktop.domain.history import Entry, EntryKind, Session, Side
from hipflex_desktop.domain.progress import Metric, local_time_in
from hipflex_desktop.store import history as history_module
from hipflex_desktop.store.errors import StorageWriteError
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.ui.history_page import EXPORT_SIZE, HistoryPage
from hipflex_desktop.ui.history_widgets import (
    DURATION,
    HOLDS,
    LOAD,
    REPS,
    RPE,
    EntryEditDialog,
    parse_seconds,
)
from tests.ui.builder_factories import ScriptedAsker

DAY = 86400.0
T = datetime(2026, 3, 2, 18, 0, tzinfo=UTC).timestamp()  # Monday 2 March 2026, 18:00 UTC
UTC_TIME = local_time_in(UTC)
Snapshot = list[tuple[dict[str, Any], list[dict[str, Any]]]]


def _entry(session: Session, n: int, exercise: str, kind: EntryKind, set_index: int,
           **fields: Any) -> Entry:
    at = session.started_at + 90 * n
    return Entry(f"{session.id}-e{n}", session.id, exercise, kind, set_index, at, at + 40,
                 **fields)


def seed(store: HistoryStore) -> dict[str, Session]:
    """Three sessions: A (two weeks ago), B (last week), C (yesterday)."""
    a = Session("A", "hip-flexor-workout", "Hip Flexor Workout", T - 14 * DAY)
    b = Session("B", "l-sit-nordic-accessory", "L-Sit and Nordic", T - 7 * DAY)
    c = Session("C", "hip-flexor-workout", "Hip Flexor Workout", T - DAY, notes="Felt strong")
    plan = {
        a: [
            ("hanging-leg-raise", EntryKind.REP_SET, 0, {"reps": 5, "warmup": True}),
            ("hanging-leg-raise", EntryKind.REP_SET, 0, {"reps": 8, "load": 2.5, "unit": "kg"}),
            ("hanging-leg-raise", EntryKind.REP_SET, 1,
             {"reps": 9, "load": 2.5, "unit": "kg", "rpe": 8.0}),
            ("hanging-leg-raise", EntryKind.REP_SET, 2, {"reps": 10, "load": 2.5, "unit": "kg"}),
            ("mountain-climber", EntryKind.INTERVAL_ROUND, 0, {"work_s": 30.0, "planned_s": 30.0}),
        ],
        b: [
            ("l-sit-hold", EntryKind.HOLD, 0, {"duration_s": 21.0, "holds_s": (7.0, 8.5, 5.5)}),
            ("reverse-nordic", EntryKind.REP_SET, 0, {"reps": 6, "load": 0.0, "unit": "kg"}),
            ("reverse-nordic", EntryKind.REP_SET, 1, {"reps": 7, "load": 0.0, "unit": "kg"}),
            ("pigeon-pose", EntryKind.PER_SIDE, 0, {"side": Side.LEFT, "duration_s": 60.0}),
        ],
        c: [
            ("hanging-leg-raise", EntryKind.REP_SET, i, {"reps": 10, "load": 3.0, "unit": "kg"})
            for i in range(3)
        ],
    }
    for session, rows in plan.items():
        store.begin_session(session)
        for n, (exercise, kind, index, fields) in enumerate(rows):
            store.log_entry(_entry(session, n, exercise, kind, index, **fields))
        store.finish_session(session.started_at + 1800)
    return {s.id: s for s in plan}


def snapshot(store: HistoryStore) -> Snapshot:
    return [(s.to_dict(), [e.to_dict() for e in store.entries_for_session(s.id)])
            for s in store.sessions()]


def on_disk(data_dir: Path) -> Snapshot:
    """What a fresh open of the folder reads (read-only: the page's store holds the lock)."""
    store, _ = HistoryStore.open(data_dir, read_only=True)
    with store:
        return snapshot(store)


class DialogScript:
    """Stands in for ``dialog.exec()``: runs the test's steps, then returns the result."""

    def __init__(self) -> None:
        self.steps: list[Callable[[Any], int]] = []
        self.seen: list[QDialog] = []

    def then(self, step: Callable[[Any], int]) -> None:
        self.steps.append(step)

    def __call__(self, dialog: QDialog) -> int:
        self.seen.append(dialog)
        assert self.steps, f"unexpected dialog: {dialog.windowTitle()}"
        return self.steps.pop(0)(dialog)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def store(data_dir: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def asker() -> ScriptedAsker:
    return ScriptedAsker()


@pytest.fixture
def dialogs() -> DialogScript:
    return DialogScript()


@pytest.fixture
def make_page(qtbot: QtBot, catalog: Catalog, asker: ScriptedAsker,
              dialogs: DialogScript) -> Callable[..., HistoryPage]:
    def make(store: HistoryStore | None, **kwargs: Any) -> HistoryPage:
        options: dict[str, Any] = {
            "asker": asker, "clock": lambda: T, "to_local": UTC_TIME, "run_dialog": dialogs,
        }
        options.update(kwargs)
        page = HistoryPage(store, catalog, **options)
        qtbot.addWidget(page)
        page.resize(1186, 740)
        return page

    return make


@pytest.fixture
def page(store: HistoryStore, make_page: Callable[..., HistoryPage]) -> HistoryPage:
    seed(store)
    return make_page(store)


def show_active(page: HistoryPage, qtbot: QtBot) -> None:
    """Shortcuts only reach an active window."""
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)


def cells(page: HistoryPage, row: int) -> list[str]:
    model = page.session_model
    return [model.index(row, c).data() for c in range(model.columnCount())]


def entry_cells(page: HistoryPage) -> list[list[str]]:
    model = page.entry_model
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


# --- the list and the detail ---------------------------------------------------------------------


def test_sessions_are_listed_newest_first_with_their_figures(page: HistoryPage) -> None:
    assert page.session_model.rowCount() == 3
    assert cells(page, 0) == ["Sun 1 Mar 2026, 18:00", "Hip Flexor Workout", "30 min", "3",
                              "30", "—"]
    assert cells(page, 1) == ["Mon 23 Feb 2026, 18:00", "L-Sit and Nordic", "30 min", "4",
                              "13", "8.5 s"]
    assert cells(page, 2) == ["Mon 16 Feb 2026, 18:00", "Hip Flexor Workout", "30 min", "4",
                              "27", "—"]
    assert page.summary_label.text() == "3 sessions · 11 sets · since Feb 2026"
    assert page.selected_session_id() == "C"  # the newest is open


def test_choosing_a_session_shows_its_sets_in_their_kinds_words(page: HistoryPage) -> None:
    page.open_session("A")
    assert page.detail_title.text() == "Hip Flexor Workout"
    assert "Mon 16 Feb 2026, 18:00" in page.detail_meta.text()
    assert "1 warm-up" in page.detail_meta.text()
    assert entry_cells(page) == [
        ["Hanging Leg Raise", "", "", ""],
        ["Warm-up", "5 reps", "", ""],
        ["Set 1", "8 reps × 2.5 kg", "", ""],
        ["Set 2", "9 reps × 2.5 kg", "8", ""],
        ["Set 3", "10 reps × 2.5 kg", "", ""],
        ["Mountain Climbers", "", "", ""],
        ["Set 1", "30 s of 30 s work", "", ""],
    ]
    assert page.entry_table.columnSpan(0, 0) == 4  # the exercise heading spans the row
    assert page.entry_model.flags(page.entry_model.index(0, 0)) == Qt.ItemFlag.NoItemFlags
    assert not page.entry_table.isColumnHidden(2)  # RPE was logged here
    assert page.entry_table.isColumnHidden(3)  # no notes
    assert page.selected_entry() is not None
    assert page.selected_entry().id == "A-e0"  # type: ignore[union-attr]
    page.open_session("B")
    results = [row[1] for row in entry_cells(page) if row[1]]
    assert results == ["21 s in 3 holds (7 + 8.5 + 5.5 s)", "6 reps", "7 reps", "Left · 60 s"]
    page.open_session("C")
    assert page.detail_notes.text() == "Felt strong"
    assert page.entry_table.isColumnHidden(2)


# --- editing -------------------------------------------------------------------------------------


def test_editing_a_set_checks_each_field_inline_and_saves_at_once(
    page: HistoryPage, store: HistoryStore, data_dir: Path, dialogs: DialogScript
) -> None:
    page.open_session("A")
    page.select_entry("A-e2")
    seen_errors: dict[str, str] = {}

    def edit(dialog: EntryEditDialog) -> int:
        dialog.fields[REPS].setText("abc")
        dialog.fields[LOAD].setText("2000")
        dialog.fields[RPE].setText("11")
        seen_errors.update(dialog.error_texts())
        assert not dialog.save_button.isEnabled()
        dialog.fields[REPS].setText("12")
        dialog.fields[LOAD].setText("3,5")  # a decimal comma is fine
        dialog.fields[RPE].setText("")
        assert dialog.error_texts() == {}
        assert dialog.save_button.isEnabled()
        dialog.save_button.click()
        return dialog.result()

    dialogs.then(edit)
    page.edit_selected_entry()
    assert seen_errors == {
        REPS: "Enter the reps as a whole number.",
        LOAD: "Load must be from 0 to 1000 kg.",
        RPE: "RPE is from 1 to 10, or leave it empty.",
    }
    saved = store.entry("A-e2")
    assert saved is not None
    assert (saved.reps, saved.load, saved.rpe) == (12, 3.5, None)
    session_a = next(s for s in on_disk(data_dir) if s[0]["id"] == "A")
    assert session_a[1][2]["reps"] == 12
    assert cells(page, 2)[4] == "30"  # 8 + 12 + 10
    assert page.undo_action.isEnabled()
    assert page.undo_action.text() == "Undo edit Hanging Leg Raise set"


@pytest.mark.parametrize(
    ("entry_id", "key", "text", "message"),
    [
        ("B-e0", HOLDS, "7 + x", "Write each hold in seconds, separated by +, e.g. 12 + 15 + 8."),
        ("B-e0", HOLDS, "30000 + 7000",
         "Each hold, and their total, must be from 0 to 36,000 s (10 hours)."),
        ("B-e3", DURATION, "36001", "The time must be from 0 to 36,000 s (10 hours)."),
        ("B-e3", DURATION, "", "Enter the time in seconds, e.g. 45 or 1:15."),
        ("B-e1", REPS, "1001", "Reps must be from 0 to 1000."),
    ],
)
def test_each_kind_has_its_own_fields_and_limits(
    *, page: HistoryPage, dialogs: DialogScript, entry_id: str, key: str, text: str, message: str
) -> None:
    page.open_session("B")
    page.select_entry(entry_id)

    def edit(dialog: EntryEditDialog) -> int:
        dialog.fields[key].setText(text)
        assert dialog.error_texts() == {key: message}
        assert not dialog.save_button.isEnabled()
        return QDialog.DialogCode.Rejected

    dialogs.then(edit)
    page.edit_selected_entry()
    assert not page.undo_action.isEnabled()


def test_durations_accept_minutes_and_seconds() -> None:
    assert parse_seconds("75") == 75
    assert parse_seconds("1:15") == 75
    assert parse_seconds("1:02:03") == 3723
    assert parse_seconds("12,5") == 12.5
    assert parse_seconds("1:75") is None
    assert parse_seconds("soon") is None


def test_an_accumulated_hold_is_edited_as_its_single_holds(
    page: HistoryPage, store: HistoryStore, dialogs: DialogScript
) -> None:
    page.open_session("B")
    page.select_entry("B-e0")

    def edit(dialog: EntryEditDialog) -> int:
        assert dialog.fields[HOLDS].text() == "7 + 8.5 + 5.5"
        dialog.fields[HOLDS].setText("9 + 10 + 6")
        dialog.save_button.click()
        return dialog.result()

    dialogs.then(edit)
    page.edit_selected_entry()
    saved = store.entry("B-e0")
    assert saved is not None
    assert saved.holds_s == (9.0, 10.0, 6.0)
    assert saved.duration_s == 25.0
    assert cells(page, 1)[5] == "10 s"


def test_deleting_a_set_asks_first_and_cancel_changes_nothing(
    page: HistoryPage, store: HistoryStore, data_dir: Path, asker: ScriptedAsker
) -> None:
    before = on_disk(data_dir)
    page.open_session("A")
    page.select_entry("A-e1")
    asker.answer_confirm(False)
    page.delete_selected_entry()
    assert "Hanging Leg Raise, set 1 (8 reps × 2.5 kg) on Mon 16 Feb 2026" in asker.asked[0][1]
    assert on_disk(data_dir) == before
    assert not page.undo_action.isEnabled()
    asker.answer_confirm(True)
    page.delete_selected_entry()
    assert store.entry("A-e1") is None
    assert cells(page, 2)[3:5] == ["3", "19"]
    assert [e["id"] for e in next(s for s in on_disk(data_dir) if s[0]["id"] == "A")[1]] == [
        "A-e0", "A-e2", "A-e3", "A-e4"]


def test_deleting_a_session_with_the_delete_key_asks_then_selects_the_next(
    page: HistoryPage, store: HistoryStore, asker: ScriptedAsker, qtbot: QtBot
) -> None:
    show_active(page, qtbot)
    page.open_session("B")
    asker.answer_confirm(False, True)
    qtbot.keyClick(page.session_table, Qt.Key.Key_Delete)
    assert store.session("B") is not None
    qtbot.keyClick(page.session_table, Qt.Key.Key_Delete)
    assert "“L-Sit and Nordic” of Mon 23 Feb 2026, 18:00 with its 4 sets" in asker.asked[1][1]
    assert store.session("B") is None
    assert store.entries_for_session("B") == []
    assert [page.session_model.session_row(r).id for r in range(2)] == ["C", "A"]
    assert page.selected_session_id() == "A"


# --- undo and redo -------------------------------------------------------------------------------


def test_undo_and_redo_restore_exactly_even_as_read_back_from_disk(
    page: HistoryPage, store: HistoryStore, data_dir: Path, asker: ScriptedAsker,
    dialogs: DialogScript,
) -> None:
    original = on_disk(data_dir)
    assert snapshot(store) == original

    def edit(dialog: EntryEditDialog) -> int:
        dialog.fields[REPS].setText("4")
        dialog.save_button.click()
        return dialog.result()

    page.open_session("A")
    page.select_entry("A-e3")
    dialogs.then(edit)
    page.edit_selected_entry()
    asker.answer_confirm(True, True)
    page.open_session("C")
    page.select_entry("C-e1")
    page.delete_selected_entry()
    page.open_session("B")
    page.delete_selected_session()
    changed = on_disk(data_dir)
    assert changed != original
    assert [c.text() for c in page.commands()] == [
        "edit Hanging Leg Raise set", "delete Hanging Leg Raise set", "delete session"]

    for _ in range(3):
        page.undo()
    assert not page.undo_action.isEnabled()
    assert on_disk(data_dir) == original  # same ids, same order, same values
    assert snapshot(store) == original
    assert page.session_model.rowCount() == 3
    assert page.selected_session_id() == "A"  # the last undo touched A

    for _ in range(3):
        page.redo()
    assert on_disk(data_dir) == changed
    assert page.session_model.rowCount() == 2
    page.undo()
    assert page.selected_session_id() == "B"  # a restored session is shown
    assert any(s[0]["id"] == "B" for s in on_disk(data_dir))


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo(
    page: HistoryPage, store: HistoryStore, asker: ScriptedAsker, qtbot: QtBot
) -> None:
    show_active(page, qtbot)
    page.open_session("C")
    asker.answer_confirm(True)
    page.delete_selected_session()
    page.session_table.setFocus()
    qtbot.keyClick(page.session_table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.session("C") is not None
    qtbot.keyClick(page.session_table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert store.session("C") is None
    assert page.undo_button.defaultAction() is page.undo_action
    assert page.undo_action.text() == "Undo delete session"


def _failing_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: Path, tables: object, **kwargs: object) -> None:
        raise StorageWriteError.from_os_error(path, OSError(errno.ENOSPC, "No space"))

    monkeypatch.setattr(history_module, "write_tables", full)


def test_a_failed_save_is_reported_and_nothing_goes_on_the_stack(
    page: HistoryPage, store: HistoryStore, data_dir: Path, asker: ScriptedAsker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = on_disk(data_dir)
    _failing_writes(monkeypatch)
    asker.answer_confirm(True)
    page.delete_selected_session()
    assert len(asker.informed) == 1
    assert "the disk is full" in asker.informed[0]
    assert "exactly as it was" in asker.informed[0]
    assert page.undo_stack.count() == 0
    assert page.session_model.rowCount() == 3
    monkeypatch.undo()
    assert on_disk(data_dir) == before == snapshot(store)


def test_a_failed_undo_leaves_stack_and_store_in_step(
    page: HistoryPage, store: HistoryStore, data_dir: Path, asker: ScriptedAsker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asker.answer_confirm(True)
    page.open_session("B")
    page.delete_selected_session()
    deleted = on_disk(data_dir)
    _failing_writes(monkeypatch)
    page.undo()
    assert "could not be undone" in asker.informed[-1]
    assert page.undo_stack.index() == 1
    assert page.undo_action.isEnabled()
    assert store.session("B") is None
    monkeypatch.undo()
    assert on_disk(data_dir) == deleted
    page.undo()  # works once the disk is back
    assert store.session("B") is not None
    assert page.undo_stack.index() == 0
    _failing_writes(monkeypatch)
    page.redo()
    assert page.undo_stack.index() == 0
    assert store.session("B") is not None
    monkeypatch.undo()
    page.redo()
    assert store.session("B") is None


def test_every_change_is_announced(page: HistoryPage, asker: ScriptedAsker,
                                   qtbot: QtBot) -> None:
    asker.answer_confirm(True)
    with qtbot.waitSignal(page.history_changed, timeout=1000):
        page.delete_selected_session()
    with qtbot.waitSignal(page.history_changed, timeout=1000):
        page.undo()


# --- charts --------------------------------------------------------------------------------------


def test_the_chart_follows_the_exercise_and_metric_choosers(page: HistoryPage) -> None:
    page.show_progress()
    assert page.views.currentWidget() is page.progress_view
    assert page.charted_exercises() == [
        ("hanging-leg-raise", "Hanging Leg Raise"), ("l-sit-hold", "L-Sit Hold"),
        ("mountain-climber", "Mountain Climbers"), ("pigeon-pose", "Pigeon Pose"),
        ("reverse-nordic", "Reverse Nordic"),
    ]
    assert page.current_exercise() == "hanging-leg-raise"  # the latest trained
    offered = [page.metric_box.itemData(i) for i in range(page.metric_box.count())]
    assert offered == ["best_set_reps", "total_reps", "top_load", "volume"]
    series = page.chart.series()
    assert series is not None
    assert [p.value for p in series.points] == [10.0, 10.0]
    page.choose_metric(Metric.TOP_LOAD)
    series = page.chart.series()
    assert series is not None
    assert [p.value for p in series.points] == [2.5, 3.0]
    assert [p.personal_best for p in series.points] == [False, True]
    assert page.best_texts() == ["Most reps in a set: 10 reps with 2.5 kg",
                                 "Heaviest load: 3 kg × 10"]
    page.choose_exercise("l-sit-hold")
    assert page.current_metric() is Metric.LONGEST_HOLD
    series = page.chart.series()
    assert series is not None
    assert [p.value for p in series.points] == [8.5]
    assert page.best_texts() == ["Longest single hold: 8.5 s",
                                 "Most hold time in a session: 21 s"]
    page.choose_exercise("hanging-leg-raise")
    assert page.current_metric() is Metric.TOP_LOAD  # remembered per exercise
    assert page.exercise_stats.text() == (
        "Done in 2 sessions, first on Mon 16 Feb 2026.")


def test_the_chart_recomputes_after_an_edit_and_its_undo(
    page: HistoryPage, asker: ScriptedAsker
) -> None:
    page.show_progress()
    page.choose_metric(Metric.TOTAL_REPS)
    series = page.chart.series()
    assert series is not None
    assert [p.value for p in series.points] == [27.0, 30.0]
    page.show_sessions()
    page.open_session("C")
    page.select_entry("C-e0")
    asker.answer_confirm(True)
    page.delete_selected_entry()
    page.show_progress()
    series = page.chart.series()
    assert series is not None
    assert [p.value for p in series.points] == [27.0, 20.0]
    page.undo()
    series = page.chart.series()
    assert series is not None
    assert [p.value for p in series.points] == [27.0, 30.0]


def test_clicking_a_chart_point_or_a_best_opens_its_session(page: HistoryPage) -> None:
    page.show_progress()
    page.chart.point_activated.emit("A")
    assert page.views.currentWidget() is page.sessions_view
    assert page.selected_session_id() == "A"
    assert page.sessions_button.isChecked()


def test_export_png_saves_the_chart_where_chosen(
    page: HistoryPage, make_page: Callable[..., HistoryPage], store: HistoryStore,
    tmp_path: Path,
) -> None:
    asked: list[str] = []
    target = tmp_path / "out" / "chart.png"
    target.parent.mkdir()

    def choose(parent: object, suggested: str) -> str | None:
        asked.append(suggested)
        return str(target) if len(asked) == 1 else None

    exporting = make_page(store, choose_png_path=choose)
    exporting.show_progress()
    assert exporting.export_chart() == target
    assert asked == ["hipflex-hanging-leg-raise-best-set-reps.png"]
    image = QImage(str(target))
    assert image.size() == QSize(EXPORT_SIZE)
    assert exporting.export_chart() is None  # cancelled
    assert sorted(p.name for p in target.parent.iterdir()) == ["chart.png"]


# --- empty, single, missing, refreshed -----------------------------------------------------------


def test_an_empty_history_says_what_will_appear(
    store: HistoryStore, make_page: Callable[..., HistoryPage]
) -> None:
    page = make_page(store)
    assert page.views.currentWidget() is page.empty_card
    assert page.empty_title.text() == "No sessions yet"
    assert "Import" in page.empty_text.text()
    assert not page.progress_button.isEnabled()
    assert page.summary_label.text() == "Nothing logged yet"


def test_a_missing_store_explains_itself(make_page: Callable[..., HistoryPage]) -> None:
    page = make_page(None, problem="Another Hipflex is using the data folder /x.")
    assert page.empty_title.text() == "History is not available"
    assert page.empty_text.text() == "Another Hipflex is using the data folder /x."
    page.undo()  # nothing to undo, nothing breaks
    assert not page.undo_action.isEnabled()


def test_one_session_shows_one_row_and_a_one_point_chart(
    store: HistoryStore, make_page: Callable[..., HistoryPage]
) -> None:
    session = Session("only", "hip-flexor-workout", "Hip Flexor Workout", T - DAY)
    store.begin_session(session)
    store.log_entry(_entry(session, 0, "hanging-leg-raise", EntryKind.REP_SET, 0, reps=9))
    store.finish_session(T - DAY + 600)
    page = make_page(store)
    assert page.session_model.rowCount() == 1
    assert cells(page, 0)[2:] == ["10 min", "1", "9", "—"]
    page.show_progress()
    series = page.chart.series()
    assert series is not None
    assert len(series) == 1
    assert page.summary_label.text() == "1 session · 1 set · since Mar 2026"


def test_refresh_picks_up_sessions_saved_elsewhere(
    store: HistoryStore, make_page: Callable[..., HistoryPage]
) -> None:
    page = make_page(store)
    assert page.views.currentWidget() is page.empty_card
    seed(store)
    page.refresh()
    assert page.views.currentWidget() is page.sessions_view
    assert page.session_model.rowCount() == 3
    assert page.progress_button.isEnabled()
