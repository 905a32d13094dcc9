"""The Dashboard against a real history store and a real coaching.json in tmp_path.

Persistence is checked by opening a second CoachingStore (and a second page) on the
same folder, never by looking at the first page's memory.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.catalog_loader import load_builtin_workouts, load_catalog
from hipflex_desktop.domain.coaching import SuggestionKind
from hipflex_desktop.domain.history import Entry, EntryKind, Session, Side
from hipflex_desktop.domain.progress import local_time_in
from hipflex_desktop.domain.selftest import Outcome
from hipflex_desktop.services import WorkoutLibrary
from hipflex_desktop.store.coaching import CoachingSettings, CoachingStore
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.store.workouts import MemoryWorkoutRepository
from hipflex_desktop.ui.dashboard_page import DashboardPage, TargetSettingsDialog
from hipflex_desktop.ui.selftest_dialog import SelfTestDialog
from tests.ui.builder_factories import ScriptedAsker

DAY = 86400.0
WEEK = 7 * DAY
NOW = datetime(2026, 3, 12, 18, 0, tzinfo=UTC).timestamp()  # Thursday of ISO week 11
TUESDAY = NOW - 2 * DAY
UTC_TIME = local_time_in(UTC)


def _session(store: HistoryStore, sid: str, at: float, workout: str,
             entries: list[tuple[str, EntryKind, dict[str, Any]]] | None = None) -> Session:
    session = Session(sid, workout, workout.replace("-", " ").title(), at)
    store.begin_session(session)
    for n, (exercise, kind, fields) in enumerate(entries or []):
        start = at + 60 * n
        store.log_entry(Entry(f"{sid}-{n}", sid, exercise, kind, fields.pop("set_index", n),
                              start, start + 40, **fields))
    return store.finish_session(at + 1500)


def _strong_session() -> list[tuple[str, EntryKind, dict[str, Any]]]:
    """Every prescribed set at the top of its range, every round complete."""
    rows: list[tuple[str, EntryKind, dict[str, Any]]] = [
        ("hanging-leg-raise", EntryKind.REP_SET,
         {"set_index": i, "reps": 10, "load": 0.0, "unit": "kg"}) for i in range(3)
    ]
    rows += [("mountain-climber", EntryKind.INTERVAL_ROUND,
              {"set_index": i, "work_s": 30.0, "planned_s": 30.0}) for i in range(3)]
    return rows


def seed(store: HistoryStore) -> None:
    """Week 11 (this week): 1 session. Weeks 10 and 9: 2 each. Week 8: 1. Week 7: none."""
    _session(store, "w8", NOW - 3 * WEEK, "hip-flexor-workout")
    _session(store, "w9a", NOW - 2 * WEEK - DAY, "hip-flexor-workout", _strong_session())
    _session(store, "w9b", NOW - 2 * WEEK, "hip-flexor-stretch-routine",
             [("pigeon-pose", EntryKind.PER_SIDE, {"side": Side.LEFT, "duration_s": 30.0})])
    _session(store, "w10a", NOW - WEEK - 2 * DAY, "hip-flexor-stretch-routine")
    _session(store, "w10b", NOW - WEEK, "l-sit-nordic-accessory")
    _session(store, "w11", TUESDAY, "hip-flexor-workout", _strong_session())


class DialogScript:
    """Stands in for ``dialog.exec()``: runs the test's step, returns its result code."""

    def __init__(self) -> None:
        self.steps: list[Callable[[Any], int]] = []

    def then(self, step: Callable[[Any], int]) -> None:
        self.steps.append(step)

    def __call__(self, dialog: QDialog) -> int:
        assert self.steps, f"unexpected dialog: {dialog.windowTitle()}"
        return self.steps.pop(0)(dialog)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def library(catalog: Catalog) -> WorkoutLibrary:
    return WorkoutLibrary(catalog, load_builtin_workouts(catalog), MemoryWorkoutRepository())


@pytest.fixture
def store(data_dir: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(data_dir)
    seed(opened)
    yield opened
    opened.close()


@pytest.fixture
def asker() -> ScriptedAsker:
    return ScriptedAsker()


@pytest.fixture
def dialogs() -> DialogScript:
    return DialogScript()


@pytest.fixture
def make_page(qtbot: QtBot, data_dir: Path, library: WorkoutLibrary, asker: ScriptedAsker,
              dialogs: DialogScript) -> Iterator[Callable[..., DashboardPage]]:
    opened: list[CoachingStore] = []

    def make(store: HistoryStore | None, **kwargs: Any) -> DashboardPage:
        coaching = CoachingStore(data_dir, clock=lambda: NOW)
        opened.append(coaching)
        options: dict[str, Any] = {"asker": asker, "clock": lambda: NOW, "to_local": UTC_TIME,
                                   "run_dialog": dialogs}
        options.update(kwargs)
        page = DashboardPage(store, coaching, library, **options)
        qtbot.addWidget(page)
        page.resize(1186, 740)
        return page

    yield make
    for coaching in opened:
        coaching.close()


@pytest.fixture
def page(store: HistoryStore, make_page: Callable[..., DashboardPage]) -> DashboardPage:
    return make_page(store)


def saved_settings(data_dir: Path) -> CoachingSettings:
    reader = CoachingStore(data_dir, read_only=True)
    try:
        return reader.settings()
    finally:
        reader.close()


# --- the weekly target ---------------------------------------------------------------------------


def test_this_week_is_counted_against_the_target_with_the_streak(page: DashboardPage) -> None:
    assert page.week_figure.text() == "1 of 2"
    assert page.week_status.text() == "One more session meets this week's target."
    assert page.streak_label.text() == "Streak: 2 weeks in a row on target"
    assert page.date_label.text() == "Thursday 12 Mar 2026 · week 11"
    assert page.last_title.text() == "Hip Flexor Workout"
    assert page.last_when.text() == "Tue 10 Mar 2026 · 2 days ago"
    assert page.last_figures.text() == "25 min · 6 sets · 30 reps"
    assert page.next_title.text() == "Hip Flexor Workout"


def test_changing_the_target_is_saved_and_recounts(
    *, page: DashboardPage, dialogs: DialogScript, data_dir: Path,
    make_page: Callable[..., DashboardPage], store: HistoryStore, qtbot: QtBot,
) -> None:
    def one_a_week(dialog: TargetSettingsDialog) -> int:
        assert dialog.per_week.value() == 2
        assert dialog.count_all.isChecked()
        assert not dialog.counted_list.isEnabled()
        dialog.per_week.setValue(1)
        return QDialog.DialogCode.Accepted

    dialogs.then(one_a_week)
    with qtbot.waitSignal(page.settings_changed, timeout=1000):
        page.settings_button.click()
    assert saved_settings(data_dir) == CoachingSettings(1)
    assert page.week_figure.text() == "1 of 1"
    assert page.week_status.text() == "Target met this week. Well done."
    assert page.streak_label.text() == "Streak: 4 weeks in a row on target"
    again = make_page(store)
    assert again.week_figure.text() == "1 of 1"

    dialogs.then(lambda dialog: QDialog.DialogCode.Rejected)
    page.edit_settings()
    assert saved_settings(data_dir) == CoachingSettings(1)


def test_only_the_chosen_workouts_count_when_asked(
    page: DashboardPage, dialogs: DialogScript, data_dir: Path
) -> None:
    def only_strength(dialog: TargetSettingsDialog) -> int:
        dialog.count_chosen.setChecked(True)
        assert dialog.counted_list.isEnabled()
        dialog.set_checked(dialog.counted_list, ["hip-flexor-workout", "l-sit-nordic-accessory"])
        return QDialog.DialogCode.Accepted

    dialogs.then(only_strength)
    page.edit_settings()
    assert saved_settings(data_dir).counted_workout_ids == (
        "hip-flexor-workout", "l-sit-nordic-accessory")
    assert page.week_figure.text() == "1 of 2"
    assert page.streak_label.text() == "No streak yet: meet the target to start one."
    assert "Only the workouts you chose count." in page.week_status.text()


def test_the_next_workout_rotates_through_the_chosen_ones(
    page: DashboardPage, dialogs: DialogScript, library: WorkoutLibrary, qtbot: QtBot
) -> None:
    def rotate(dialog: TargetSettingsDialog) -> int:
        dialog.set_checked(dialog.rotation_list, ["hip-flexor-workout", "l-sit-nordic-accessory"])
        return QDialog.DialogCode.Accepted

    dialogs.then(rotate)
    page.edit_settings()
    accessory = library.find("l-sit-nordic-accessory")
    assert accessory is not None
    assert page.next_title.text() == accessory.name  # done longer ago than the other
    with qtbot.waitSignal(page.start_workout_requested, timeout=1000) as started:
        page.start_button.click()
    assert started.args == ["l-sit-nordic-accessory"]


# --- suggestions ---------------------------------------------------------------------------------


def _row(page: DashboardPage, kind: SuggestionKind) -> Any:
    return next(r for r in page.suggestion_rows if r.suggestion.kind is kind)


def test_accept_and_dismiss_are_remembered_across_reopening(
    page: DashboardPage, make_page: Callable[..., DashboardPage], store: HistoryStore,
    library: WorkoutLibrary, qtbot: QtBot,
) -> None:
    kinds = [r.suggestion.kind for r in page.suggestion_rows]
    assert kinds == [SuggestionKind.ADD_LOAD, SuggestionKind.LONGER_INTERVALS]
    longer = _row(page, SuggestionKind.LONGER_INTERVALS)
    assert "make the rounds 35 s" in longer.suggestion.reason
    qtbot.mouseClick(longer.accept_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(_row(page, SuggestionKind.ADD_LOAD).dismiss_button,
                     Qt.MouseButton.LeftButton)

    again = make_page(store)
    assert [r.suggestion.kind for r in again.suggestion_rows] == [
        SuggestionKind.LONGER_INTERVALS]
    assert again.suggestion_rows[0].property("accepted") is True
    assert again.next_note.text() == "1 accepted change included."
    assert "30 s on" not in again.next_blocks.text()
    assert "35 s on" in again.next_blocks.text()
    workout = library.find("hip-flexor-workout")
    assert workout is not None
    prefilled = again.accepted_changes_for(workout)
    assert [b.prescription.work_seconds for b in prefilled.blocks] == [None, None, 35]
    assert [s.kind for s in again.accepted_suggestions_for(workout)] == [
        SuggestionKind.LONGER_INTERVALS]

    again.suggestion_rows[0].undo_button.click()  # take the answer back
    third = make_page(store)
    assert third.suggestion_rows[0].property("accepted") is False
    assert third.accepted_changes_for(workout) == workout


def test_a_failed_answer_is_reported_and_the_suggestion_stays_open(
    page: DashboardPage, asker: ScriptedAsker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    page.accept_suggestion(page.suggestion_rows[0].suggestion.id)
    monkeypatch.undo()
    assert "could not be saved" in asker.informed[0]
    assert "disk is full" in asker.informed[0]
    page.refresh()
    assert all(r.property("accepted") is False for r in page.suggestion_rows)


# --- the self-test -------------------------------------------------------------------------------


def test_the_self_test_records_both_sides_and_shows_them(
    page: DashboardPage, dialogs: DialogScript, data_dir: Path, qtbot: QtBot
) -> None:
    assert page.selftest_headline.text().startswith("Not checked yet")

    def check(dialog: SelfTestDialog) -> int:
        dialog.show()  # clicks only reach visible buttons
        qtbot.waitExposed(dialog)
        assert dialog.current_step() == 0
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.answer_buttons[(Side.LEFT, Outcome.OTHER_LEG_LIFTED)],
                         Qt.MouseButton.LeftButton)
        assert dialog.current_step() == 2
        qtbot.mouseClick(dialog.answer_buttons[(Side.RIGHT, Outcome.PASSED)],
                         Qt.MouseButton.LeftButton)
        assert "Left hip: <b" in dialog.summary_label.text()
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    dialogs.then(check)
    page.selftest_button.click()
    reader = CoachingStore(data_dir, read_only=True)
    results = {r.side: r.outcome for r in reader.self_test_results()}
    reader.close()
    assert results == {Side.LEFT: Outcome.OTHER_LEG_LIFTED, Side.RIGHT: Outcome.PASSED}
    left, _ = page.side_tiles[Side.LEFT]
    right, _ = page.side_tiles[Side.RIGHT]
    assert (left.text(), right.text()) == ("Leg lifted", "Stayed down")
    assert page.selftest_headline.text() == (
        "Last check: the left leg lifted, so give that side a little extra.")

    dialogs.then(lambda dialog: QDialog.DialogCode.Rejected)  # cancelling saves nothing
    page.run_self_test()
    reader = CoachingStore(data_dir, read_only=True)
    assert len(reader.self_test_results()) == 2
    reader.close()


def test_buttons_ask_the_window_to_navigate(page: DashboardPage, qtbot: QtBot) -> None:
    with qtbot.waitSignal(page.stretch_routine_requested, timeout=1000) as stretch:
        page.stretch_button.click()
    assert stretch.args == ["hip-flexor-stretch-routine"]
    with qtbot.waitSignal(page.open_session_requested, timeout=1000) as opened:
        page.open_last_button.click()
    assert opened.args == ["w11"]
    with qtbot.waitSignal(page.start_workout_requested, timeout=1000) as started:
        page.start_button.click()
    assert started.args == ["hip-flexor-workout"]


def test_without_a_history_the_page_still_works_and_says_why(
    make_page: Callable[..., DashboardPage]
) -> None:
    page = make_page(None, problem="Another Hipflex is using the data folder.")
    assert page.problem_label.isVisibleTo(page)
    assert "Another Hipflex is using the data folder." in page.problem_label.text()
    assert page.week_figure.text() == "0 of 2"
    assert page.last_title.text() == "Nothing logged yet"
    assert page.suggestion_rows == []
    assert page.rules_label.isVisibleTo(page)
