"""The Workouts page: list, builder, validation, saving and the questions it asks.

Widgets are driven with real key events where a person would use the keyboard,
and every "nothing was saved" claim is checked against the repository itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from hipflex_desktop.domain.catalog_loader import load_builtin_workouts, load_catalog
from hipflex_desktop.domain.prescription import Kind
from hipflex_desktop.domain.workouts import Block, Workout
from hipflex_desktop.services import WorkoutLibrary
from hipflex_desktop.store.workouts import (
    MemoryWorkoutRepository,
    TinyWorkoutRepository,
    WorkoutRepository,
)
from hipflex_desktop.ui.asker import MessageBoxAsker, SaveChoice
from hipflex_desktop.ui.block_editor import BlockEditor
from hipflex_desktop.ui.style import APP_STYLE_SHEET
from hipflex_desktop.ui.workouts_page import DESCRIPTION_MAX_LENGTH, WorkoutsPage
from tests.ui.builder_factories import (
    CLIMBER,
    L_SIT,
    LONG_DESCRIPTION,
    LUNGE,
    LYING,
    NO_ICON,
    ScriptedAsker,
    block_for,
    builtin_workouts,
    custom_workout,
    make_library,
)

# Blocks of custom_workout(), by kind.
REPS_BLOCK, HOLD_BLOCK, INTERVAL_BLOCK, PER_SIDE_BLOCK = range(4)

PageFactory = Callable[..., tuple[WorkoutsPage, WorkoutLibrary, WorkoutRepository]]


@pytest.fixture
def asker() -> ScriptedAsker:
    return ScriptedAsker()


@pytest.fixture
def make_page(qtbot: QtBot, asker: ScriptedAsker) -> Iterator[PageFactory]:
    repos: list[TinyWorkoutRepository] = []

    def make(
        custom: tuple[Workout, ...] = (custom_workout(),),
        repo: WorkoutRepository | None = None,
        can_start: bool = False,
    ) -> tuple[WorkoutsPage, WorkoutLibrary, WorkoutRepository]:
        library, repository = make_library(custom, repo)
        if isinstance(repository, TinyWorkoutRepository):
            repos.append(repository)
        page = WorkoutsPage(library, can_start=can_start, asker=asker)
        qtbot.addWidget(page)
        page.resize(1366, 768)
        page.show()
        qtbot.waitExposed(page)
        page.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
        return page, library, repository

    yield make
    for repo in repos:
        repo.close()


def stored(repository: WorkoutRepository) -> list[dict[str, object]]:
    return [w.to_dict() for w in repository.list()]


def retype(qtbot: QtBot, edit: QWidget, text: str) -> None:
    """Replace a field's text the way a person would: focus, select all, type."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(edit, text)


def card(page: WorkoutsPage, index: int) -> BlockEditor:
    return page.editor.cards()[index]


# -- list and built-ins -------------------------------------------------------------------------


def test_builtins_come_first_marked_read_only_then_custom(make_page: PageFactory) -> None:
    page, _, _ = make_page(custom=(custom_workout("Zeta", "custom-z"),
                                   custom_workout("Alpha", "custom-a")))
    assert page.workout_ids_in_list() == ["starter-strength", "stretch-routine",
                                          "custom-z", "custom-a"]
    items = {page.workout_list.item(r).data(Qt.ItemDataRole.UserRole + 1):
             page.workout_list.item(r) for r in range(page.workout_list.count())}
    assert items["starter-strength"].data(Qt.ItemDataRole.UserRole + 3) == "Built-in"
    assert items["custom-z"].data(Qt.ItemDataRole.UserRole + 3) == ""
    assert page.current_workout_id() == "starter-strength"


def test_builtin_shows_no_enabled_edit_controls(make_page: PageFactory,
                                                asker: ScriptedAsker, qtbot: QtBot) -> None:
    page, _, repository = make_page()
    assert page.select_workout("starter-strength")
    editor = page.editor
    assert editor.cards(), "the built-in's blocks are shown"
    inputs = editor.findChildren(QLineEdit) + editor.findChildren(QComboBox)
    assert inputs
    assert [w.objectName() for w in inputs if w.isEnabled()] == []
    for c in editor.cards():
        assert c.summary_label.text()  # what the template asks for is still readable
        for tool_button in c.findChildren(QToolButton):
            assert not tool_button.isEnabled()
    for button in (editor.save_button, editor.revert_button, editor.add_button,
                   editor.delete_button, editor.duplicate_button):
        assert not (button.isEnabled() and button.isVisible()), button.text()
    assert editor.banner_duplicate_button.isEnabled()
    before = stored(repository)
    assert page.save() is False
    page.focus_list()
    qtbot.keyClick(page.workout_list, Qt.Key.Key_Delete)
    assert asker.asked == []
    assert stored(repository) == before


def test_enter_in_list_moves_focus_into_editor(make_page: PageFactory, qtbot: QtBot) -> None:
    page, _, _ = make_page()
    page.select_workout("custom-1")
    page.focus_list()
    qtbot.keyClick(page.workout_list, Qt.Key.Key_Return)
    assert page.editor.name_edit.hasFocus()


def test_arrow_keys_in_list_skip_section_headers(make_page: PageFactory, qtbot: QtBot) -> None:
    page, _, _ = make_page()
    page.focus_list()
    assert page.current_workout_id() == "starter-strength"
    qtbot.keyClick(page.workout_list, Qt.Key.Key_Down)
    assert page.current_workout_id() == "stretch-routine"
    qtbot.keyClick(page.workout_list, Qt.Key.Key_Down)  # over the "My workouts" header
    assert page.current_workout_id() == "custom-1"


# -- create, rename, duplicate -------------------------------------------------------------------


def test_ctrl_n_creates_a_draft_that_saves_only_once_valid(
    make_page: PageFactory, qtbot: QtBot
) -> None:
    page, library, repository = make_page(custom=())
    before = stored(repository)
    page.focus_list()
    qtbot.keyClick(page.workout_list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    assert editor.is_new
    assert editor.name_edit.hasFocus()
    assert editor.name_edit.text() == "New workout"
    assert page.workout_ids_in_list()[-1] == editor.workout_id
    assert "Add at least one exercise." in editor.blocks_error.text()
    assert not editor.save_button.isEnabled()
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert stored(repository) == before

    assert editor.add_button.hasFocus(), "Ctrl+S on an invalid form points at the problem"
    retype(qtbot, editor.name_edit, "Morning hips")
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    picker = editor.picker
    assert picker is not None
    assert picker.isVisible()
    qtbot.keyClicks(picker.search, "climber")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert [c.movement.id for c in editor.cards() if c.movement] == [CLIMBER.id]
    assert editor.save_button.isEnabled()

    qtbot.keyClick(editor.cards()[0].field("rounds"), Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier)
    saved = repository.list()
    assert [w.name for w in saved] == ["Morning hips"]
    assert saved[0].blocks[0].prescription == CLIMBER.prescription
    assert not editor.is_new
    assert not editor.is_dirty()
    assert page.current_workout_id() == saved[0].id
    assert library.find("morning hips") == saved[0]


def test_untouched_new_workout_vanishes_when_leaving(make_page: PageFactory,
                                                     asker: ScriptedAsker) -> None:
    page, _, repository = make_page()
    draft_id = page.new_workout()
    assert draft_id in page.workout_ids_in_list()
    assert page.select_workout("custom-1")
    assert draft_id not in page.workout_ids_in_list()
    assert asker.asked == []
    assert [w.id for w in repository.list()] == ["custom-1"]


def test_new_names_do_not_clash(make_page: PageFactory, asker: ScriptedAsker) -> None:
    page, _, _ = make_page(custom=(custom_workout("New workout", "custom-n"),))
    page.new_workout()
    assert page.editor.name_edit.text() == "New workout 2"


def test_new_from_template_menu_makes_an_editable_saved_copy(make_page: PageFactory) -> None:
    page, _, repository = make_page(custom=())
    page.new_button.menu().aboutToShow.emit()
    actions = {a.text(): a for a in page.new_button.menu().actions()}
    assert "Empty workout" in actions
    actions["Stretch routine"].trigger()
    (copy,) = repository.list()
    assert copy.name == "Stretch routine (copy)"
    assert not copy.builtin
    assert page.current_workout_id() == copy.id
    assert not page.editor.read_only


def test_f2_renames_and_the_new_name_persists(make_page: PageFactory, qtbot: QtBot) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    page.focus_list()
    qtbot.keyClick(page.workout_list, Qt.Key.Key_F2)
    name = page.editor.name_edit
    assert name.hasFocus()
    assert name.selectedText() == "My routine"
    qtbot.keyClicks(name, "Evening mobility")
    assert page.editor.revert_button.isEnabled()
    qtbot.keyClick(name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [w.name for w in repository.list()] == ["Evening mobility"]
    item = page.workout_list.currentItem()
    assert item is not None
    assert item.text() == "Evening mobility"


def test_duplicating_a_builtin_gives_an_editable_copy_and_leaves_the_original(
    make_page: PageFactory, qtbot: QtBot
) -> None:
    page, library, repository = make_page(custom=())
    original = builtin_workouts()[0]
    page.select_workout(original.id)
    page.focus_list()
    qtbot.keyClick(page.workout_list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    (copy,) = repository.list()
    assert copy.id != original.id
    assert copy.name == "Starter strength (copy)"
    assert copy.blocks == original.blocks
    assert not copy.builtin
    assert page.current_workout_id() == copy.id
    editor = page.editor
    assert not editor.read_only
    assert editor.name_edit.isEnabled()
    assert editor.name_edit.hasFocus()  # ready to be renamed straight away

    retype(qtbot, card(page, 0).field("sets"), "5")
    assert editor.save()
    assert repository.list()[0].blocks[0].prescription.sets == 5
    assert library.find(original.id) == original
    page.select_workout(original.id)
    assert card(page, 0).block().prescription.sets == original.blocks[0].prescription.sets


def test_duplicating_a_custom_workout_copies_the_saved_version(
    make_page: PageFactory, asker: ScriptedAsker, qtbot: QtBot
) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    retype(qtbot, card(page, 0).field("sets"), "4")
    asker.answer_save(SaveChoice.DISCARD)
    copy_id = page.duplicate_current()
    assert copy_id is not None
    copies = {w.id: w for w in repository.list()}
    assert copies[copy_id].name == "My routine (copy)"
    assert copies[copy_id].blocks == copies["custom-1"].blocks == custom_workout().blocks


# -- blocks ---------------------------------------------------------------------------------------


def test_reorder_blocks_with_buttons_and_alt_arrows(make_page: PageFactory, qtbot: QtBot) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")

    def order() -> list[str]:
        return [c.movement.id for c in page.editor.cards() if c.movement]

    assert order() == [LYING.id, L_SIT.id, CLIMBER.id, LUNGE.id]
    assert not card(page, 0).up_button.isEnabled()
    assert not card(page, 3).down_button.isEnabled()
    qtbot.mouseClick(card(page, 0).down_button, Qt.MouseButton.LeftButton)
    assert order() == [L_SIT.id, LYING.id, CLIMBER.id, LUNGE.id]

    rounds = card(page, 2).field("rounds")
    rounds.setFocus()
    qtbot.keyClick(rounds, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert order() == [L_SIT.id, CLIMBER.id, LYING.id, LUNGE.id]
    assert rounds.hasFocus(), "focus follows the moved block"
    qtbot.keyClick(rounds, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(rounds, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # already first
    assert order() == [CLIMBER.id, L_SIT.id, LYING.id, LUNGE.id]
    qtbot.keyClick(rounds, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert order() == [L_SIT.id, CLIMBER.id, LYING.id, LUNGE.id]
    assert card(page, 0).position_label.text() == "1."

    assert repository.list()[0].blocks == custom_workout().blocks, "not saved yet"
    assert page.save()
    assert [b.movement_id for b in repository.list()[0].blocks] == order()


def test_tab_order_follows_the_visual_order_after_a_move(make_page: PageFactory,
                                                         qtbot: QtBot) -> None:
    page, _, _ = make_page()
    page.select_workout("custom-1")
    page.editor.move_block(3, -3)  # per-side block to the top
    first = card(page, 0)
    assert first.movement == LUNGE
    assert page.editor.description_edit.nextInFocusChain() is not None
    chain = []
    widget: QWidget | None = page.editor.name_edit
    for _ in range(40):
        assert widget is not None
        widget = widget.nextInFocusChain()
        chain.append(widget)
    sets_first = chain.index(first.field("sets"))
    sets_second = chain.index(card(page, 1).field("sets"))
    assert chain.index(page.editor.description_edit) < sets_first < sets_second


def test_remove_block_and_revert(make_page: PageFactory, qtbot: QtBot) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    qtbot.mouseClick(card(page, 1).remove_button, Qt.MouseButton.LeftButton)
    assert [c.movement.id for c in page.editor.cards() if c.movement] == [
        LYING.id, CLIMBER.id, LUNGE.id]
    assert page.has_unsaved_changes()
    qtbot.mouseClick(page.editor.revert_button, Qt.MouseButton.LeftButton)
    assert len(page.editor.cards()) == 4
    assert not page.has_unsaved_changes()
    for _ in range(4):
        qtbot.mouseClick(card(page, 0).remove_button, Qt.MouseButton.LeftButton)
    assert page.editor.cards() == []
    assert "Add at least one exercise." in page.editor.blocks_error.text()
    assert not page.editor.save_button.isEnabled()
    assert page.save() is False
    assert repository.list() == [custom_workout()]


def test_picker_filters_by_name_and_kind_and_adds_with_defaults(
    make_page: PageFactory, qtbot: QtBot
) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    picker = page.editor.open_picker()
    assert picker is not None
    qtbot.waitUntil(picker.search.hasFocus)
    qtbot.keyClicks(picker.search, "per side")
    assert picker.visible_movement_ids() == [LUNGE.id]
    picker.search.clear()
    qtbot.keyClicks(picker.search, "leg raise")
    assert picker.visible_movement_ids() == [LYING.id, "hanging-leg-raise"]
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.chosen_movement_id() == "hanging-leg-raise"
    picker.search.clear()
    qtbot.keyClicks(picker.search, "zzz")
    assert picker.visible_movement_ids() == []
    assert not picker.add_button.isEnabled()
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.isVisible(), "Enter with no match adds nothing"
    qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert not picker.isVisible()
    assert len(page.editor.cards()) == 4

    picker = page.editor.open_picker()
    assert picker is not None
    assert picker.search.text() == ""
    qtbot.keyClicks(picker.search, "l-sit")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    added = card(page, 4)
    assert added.movement == L_SIT
    assert added.field("hold_seconds").text() == "60"
    assert added.accumulates()
    # The new block's first input takes focus (once the page window is active again).
    assert page.focusWidget() is added.hold_mode
    assert repository.list()[0].blocks == custom_workout().blocks
    assert page.save()
    assert repository.list()[0].blocks[-1] == block_for(L_SIT)


@pytest.mark.parametrize(
    ("movement_index", "expected"),
    [
        (REPS_BLOCK, {"sets", "reps_min", "reps_max", "top_hold_seconds", "rest_seconds"}),
        (HOLD_BLOCK, {"sets", "hold_seconds", "brief_hold_min", "brief_hold_max",
                      "rest_seconds"}),
        (INTERVAL_BLOCK, {"rounds", "work_seconds", "interval_rest_seconds"}),
        (PER_SIDE_BLOCK, {"sets", "side_seconds", "transition_seconds", "rest_seconds"}),
    ],
)
def test_each_kind_shows_only_its_fields(
    make_page: PageFactory, movement_index: int, expected: set[str]
) -> None:
    page, _, _ = make_page()
    page.select_workout("custom-1")
    block_card = card(page, movement_index)
    assert set(block_card.visible_field_names()) == expected
    for name in expected:
        assert block_card.field(name).isVisible()
    assert block_card.hold_mode.isVisible() == (movement_index == HOLD_BLOCK)
    assert block_card.summary_label.text()


def test_single_hold_hides_the_brief_hold_range(make_page: PageFactory, qtbot: QtBot) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    hold = card(page, HOLD_BLOCK)
    assert hold.field("brief_hold_min").isVisible()
    assert "total in brief holds" in hold.summary_label.text()
    hold.hold_mode.setFocus()
    qtbot.keyClick(hold.hold_mode, Qt.Key.Key_Up)
    assert not hold.accumulates()
    assert not hold.field("brief_hold_min").isVisible()
    assert hold.summary_label.text() == "1 × 60 s hold, rest 60 s"
    assert page.save()
    saved = repository.list()[0].blocks[HOLD_BLOCK].prescription
    assert not saved.accumulate
    assert saved.brief_hold_min is None


def test_a_movement_without_an_icon_still_works(make_page: PageFactory) -> None:
    page, _, _ = make_page()
    page.select_workout("custom-1")
    added = page.editor.add_movement(NO_ICON.id)
    assert added.name_label.text() == "Mystery move"
    assert page.save()


# -- validation -----------------------------------------------------------------------------------

VALIDATION_CASES = [
    # (block, field, text, message fragment or None when valid)
    (REPS_BLOCK, "sets", "0", "between 1 and 20"),
    (REPS_BLOCK, "sets", "1", None),
    (REPS_BLOCK, "sets", "20", None),
    (REPS_BLOCK, "sets", "21", "between 1 and 20"),
    (REPS_BLOCK, "reps_min", "0", "between 1 and 100"),
    (REPS_BLOCK, "reps_min", "1", None),
    (REPS_BLOCK, "reps_max", "100", None),
    (REPS_BLOCK, "reps_max", "101", "between 1 and 100"),
    (REPS_BLOCK, "reps_max", "0", "between 1 and 100"),
    (REPS_BLOCK, "rest_seconds", "3601", "between 0 and 3600 s"),
    (REPS_BLOCK, "rest_seconds", "0", None),
    (HOLD_BLOCK, "hold_seconds", "0", "between 1 and 600 s"),
    (HOLD_BLOCK, "hold_seconds", "1", None),
    (HOLD_BLOCK, "hold_seconds", "600", None),
    (HOLD_BLOCK, "hold_seconds", "601", "between 1 and 600 s"),
    (HOLD_BLOCK, "brief_hold_min", "0", "between 1 and 600 s"),
    (HOLD_BLOCK, "sets", "21", "between 1 and 20"),
    (PER_SIDE_BLOCK, "side_seconds", "0", "between 1 and 600 s"),
    (PER_SIDE_BLOCK, "side_seconds", "600", None),
    (PER_SIDE_BLOCK, "side_seconds", "601", "between 1 and 600 s"),
    (PER_SIDE_BLOCK, "transition_seconds", "121", "between 0 and 120 s"),
    (INTERVAL_BLOCK, "work_seconds", "0", "between 1 and 3600 s"),
    (INTERVAL_BLOCK, "work_seconds", "1", None),
    (INTERVAL_BLOCK, "work_seconds", "3600", None),
    (INTERVAL_BLOCK, "work_seconds", "3601", "between 1 and 3600 s"),
    (INTERVAL_BLOCK, "interval_rest_seconds", "0", "between 1 and 3600 s"),
    (INTERVAL_BLOCK, "interval_rest_seconds", "1", None),
    (INTERVAL_BLOCK, "interval_rest_seconds", "3600", None),
    (INTERVAL_BLOCK, "interval_rest_seconds", "3601", "between 1 and 3600 s"),
    (INTERVAL_BLOCK, "rounds", "0", "between 1 and 50"),
    (INTERVAL_BLOCK, "rounds", "1", None),
    (INTERVAL_BLOCK, "rounds", "50", None),
    (INTERVAL_BLOCK, "rounds", "51", "between 1 and 50"),
    (REPS_BLOCK, "sets", "", "Sets is required."),
    (REPS_BLOCK, "reps_min", "", "Minimum reps is required."),
    (INTERVAL_BLOCK, "rounds", "", "Rounds is required."),
    (PER_SIDE_BLOCK, "transition_seconds", "", "Switch time is required."),
]


@pytest.mark.parametrize(("block", "field", "text", "problem"), VALIDATION_CASES)
def test_validation_rule(
    make_page: PageFactory, qtbot: QtBot, *,
    block: int, field: str, text: str, problem: str | None,
) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    before = stored(repository)
    block_card = card(page, block)
    edit = block_card.field(field)
    retype(qtbot, edit, text)
    assert edit.text() == text
    editor = page.editor
    if problem is None:
        assert block_card.error_text(field) == ""
        assert edit.property("invalid") is False
        assert editor.save_button.isEnabled()
        qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        saved = repository.list()[0].blocks[block].prescription
        assert getattr(saved, field) == int(text)
        assert not editor.is_dirty()
    else:
        assert problem in block_card.error_text(field)
        assert block_card.error_label(field).isVisible()
        assert edit.property("invalid") is True
        assert not editor.save_button.isEnabled()
        assert "problem" in editor.status_label.text()
        qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert editor.save() is False
        assert page.save() is False
        assert stored(repository) == before
        assert editor.is_dirty(), "the typed value is kept so it can be corrected"


def test_reps_min_above_max_is_explained_and_not_saved(make_page: PageFactory,
                                                      qtbot: QtBot) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    before = stored(repository)
    reps = card(page, REPS_BLOCK)
    retype(qtbot, reps.field("reps_min"), "12")
    retype(qtbot, reps.field("reps_max"), "10")
    assert reps.error_text("reps_max") == "Maximum reps must be at least the minimum."
    assert reps.error_text("reps_min") == ""
    assert not page.editor.save_button.isEnabled()
    assert page.save() is False
    assert stored(repository) == before
    retype(qtbot, reps.field("reps_max"), "12")
    assert reps.error_text("reps_max") == ""
    assert reps.summary_label.text() == "3 × 12 reps, rest 60 s"
    assert page.save()


def test_brief_hold_range_must_not_be_reversed(make_page: PageFactory, qtbot: QtBot) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    hold = card(page, HOLD_BLOCK)
    retype(qtbot, hold.field("brief_hold_min"), "20")
    assert "at least the shortest" in hold.error_text("brief_hold_max")
    assert page.save() is False
    assert repository.list() == [custom_workout()]


def test_four_digit_limit_and_digits_only(make_page: PageFactory, qtbot: QtBot) -> None:
    page, _, _ = make_page()
    page.select_workout("custom-1")
    edit = card(page, INTERVAL_BLOCK).field("work_seconds")
    retype(qtbot, edit, "12345")
    assert edit.text() == "1234"
    retype(qtbot, edit, "-5x")
    assert edit.text() == "5"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the workout a name."),
        ("   ", "Give the workout a name."),
        ("starter STRENGTH", "already exists"),  # a built-in's name, other case
        ("other routine", "already exists"),  # another custom workout
    ],
)
def test_names_must_be_present_and_unique(
    make_page: PageFactory, qtbot: QtBot, name: str, message: str
) -> None:
    page, _, repository = make_page(custom=(custom_workout(),
                                            custom_workout("Other Routine", "custom-2")))
    page.select_workout("custom-1")
    before = stored(repository)
    retype(qtbot, page.editor.name_edit, name)
    assert message in page.editor.name_error.text()
    assert page.editor.name_error.isVisible()
    assert page.editor.name_edit.property("invalid") is True
    assert not page.editor.save_button.isEnabled()
    qtbot.keyClick(page.editor.name_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.save() is False
    assert stored(repository) == before


def test_same_name_in_other_case_for_itself_is_fine(make_page: PageFactory,
                                                    qtbot: QtBot) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    retype(qtbot, page.editor.name_edit, "MY ROUTINE")
    assert page.editor.name_error.text() == ""
    assert page.save()
    assert repository.list()[0].name == "MY ROUTINE"


def test_save_refuses_when_the_library_finds_a_problem(make_page: PageFactory,
                                                       qtbot: QtBot) -> None:
    """Even if the form thinks it is fine, the library's own check is respected."""
    page, _library, repository = make_page()
    page.select_workout("custom-1")
    retype(qtbot, page.editor.name_edit, "Renamed")
    repository.save(custom_workout("Renamed", "custom-sneaky"))  # appears behind our back
    assert page.save() is False
    assert "already exists" in page.editor.name_error.text()
    assert {w.name for w in repository.list()} == {"My routine", "Renamed"}


# -- leaving with unsaved changes -----------------------------------------------------------------


def test_leaving_a_changed_workout_asks_and_cancel_stays(
    make_page: PageFactory, asker: ScriptedAsker, qtbot: QtBot
) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    retype(qtbot, card(page, 0).field("sets"), "5")
    asker.answer_save(SaveChoice.CANCEL)
    builtin_row = next(r for r in range(page.workout_list.count())
                       if page.workout_list.item(r).text() == "Starter strength")
    page.workout_list.setCurrentRow(builtin_row)
    assert [kind for kind, _ in asker.asked] == ["save"]
    assert page.current_workout_id() == "custom-1"
    current = page.workout_list.currentItem()
    assert current is not None
    assert current.text() == "My routine"
    assert card(page, 0).field("sets").text() == "5"
    assert repository.list() == [custom_workout()]


def test_leaving_and_discarding_drops_the_changes(
    make_page: PageFactory, asker: ScriptedAsker, qtbot: QtBot
) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    retype(qtbot, card(page, 0).field("sets"), "5")
    asker.answer_save(SaveChoice.DISCARD)
    assert page.select_workout("starter-strength")
    assert repository.list() == [custom_workout()]
    page.select_workout("custom-1")
    assert card(page, 0).field("sets").text() == "3"


def test_leaving_and_saving_keeps_the_changes(
    make_page: PageFactory, asker: ScriptedAsker, qtbot: QtBot
) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    retype(qtbot, card(page, 0).field("sets"), "5")
    asker.answer_save(SaveChoice.SAVE)
    assert page.select_workout("starter-strength")
    assert repository.list()[0].blocks[0].prescription.sets == 5


def test_choosing_save_while_invalid_stays_put(
    make_page: PageFactory, asker: ScriptedAsker, qtbot: QtBot
) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    retype(qtbot, card(page, 0).field("sets"), "0")
    asker.answer_save(SaveChoice.SAVE)
    assert page.select_workout("starter-strength") is False
    assert page.current_workout_id() == "custom-1"
    assert card(page, 0).field("sets").hasFocus()
    assert repository.list() == [custom_workout()]


def test_maybe_save_for_closing_the_window(make_page: PageFactory, asker: ScriptedAsker,
                                           qtbot: QtBot) -> None:
    page, _, _ = make_page()
    page.select_workout("custom-1")
    assert page.maybe_save() is True
    assert asker.asked == []
    retype(qtbot, page.editor.description_edit, "Before breakfast")
    asker.answer_save(SaveChoice.CANCEL)
    assert page.maybe_save() is False


# -- delete ----------------------------------------------------------------------------------------


def test_delete_asks_and_cancel_keeps_the_workout(make_page: PageFactory, asker: ScriptedAsker,
                                                  qtbot: QtBot) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    page.focus_list()
    asker.answer_confirm(False)
    qtbot.keyClick(page.workout_list, Qt.Key.Key_Delete)
    assert asker.asked == [("confirm", asker.asked[0][1])]
    assert "My routine" in asker.asked[0][1]
    assert [w.id for w in repository.list()] == ["custom-1"]
    assert page.current_workout_id() == "custom-1"


def test_delete_confirmed_removes_it_and_selects_a_neighbour(
    make_page: PageFactory, asker: ScriptedAsker, qtbot: QtBot
) -> None:
    page, _, repository = make_page(custom=(custom_workout(),
                                            custom_workout("Second", "custom-2")))
    page.select_workout("custom-1")
    asker.answer_confirm(True)
    qtbot.mouseClick(page.editor.delete_button, Qt.MouseButton.LeftButton)
    assert [w.id for w in repository.list()] == ["custom-2"]
    assert "custom-1" not in page.workout_ids_in_list()
    assert page.current_workout_id() == "custom-2"
    assert page.workout_list.hasFocus()


def test_deleting_an_unsaved_new_workout(make_page: PageFactory, asker: ScriptedAsker) -> None:
    page, _, repository = make_page()
    draft = page.new_workout()
    asker.answer_confirm(True)
    assert page.delete_current()
    assert draft not in page.workout_ids_in_list()
    assert [w.id for w in repository.list()] == ["custom-1"]


def test_message_box_asker_defaults_to_cancel(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    asker = MessageBoxAsker()
    box, confirm = asker.confirm_box(parent, "Delete workout", "Delete it?", "Delete")
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert isinstance(confirm, QPushButton)
    assert confirm.text() == "Delete"
    assert box.defaultButton() is not confirm
    save_box = asker.save_box(parent, "Unsaved changes", "Save?")
    assert save_box.defaultButton() is save_box.button(QMessageBox.StandardButton.Cancel)


# -- start -----------------------------------------------------------------------------------------


def test_start_button_exists_only_when_starting_is_possible(make_page: PageFactory) -> None:
    page, _, _ = make_page()
    assert not page.editor.start_button.isVisible()


def test_start_emits_the_workout_id(make_page: PageFactory, qtbot: QtBot) -> None:
    page, _, _ = make_page(can_start=True)
    page.select_workout("stretch-routine")
    assert page.editor.start_button.isVisible()
    with qtbot.waitSignal(page.start_requested, timeout=1000) as signal:
        qtbot.mouseClick(page.editor.start_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["stretch-routine"]
    page.new_workout()
    assert not page.editor.start_button.isEnabled()


# -- persistence -----------------------------------------------------------------------------------


def test_edits_persist_in_a_real_store(make_page: PageFactory, qtbot: QtBot,
                                       tmp_path: Path) -> None:
    page, _, repository = make_page(repo=TinyWorkoutRepository(tmp_path))
    page.select_workout("custom-1")
    retype(qtbot, page.editor.name_edit, "Desk breaks")
    retype(qtbot, card(page, INTERVAL_BLOCK).field("rounds"), "6")
    page.editor.move_block(PER_SIDE_BLOCK, -3)
    assert page.save()
    assert isinstance(repository, TinyWorkoutRepository)
    repository.close()

    reopened = TinyWorkoutRepository(tmp_path)
    try:
        library = WorkoutLibrary(make_library()[0].catalog, builtin_workouts(), reopened)
        (workout,) = library.custom()
        assert workout.name == "Desk breaks"
        assert [b.movement_id for b in workout.blocks] == [LUNGE.id, LYING.id, L_SIT.id,
                                                           CLIMBER.id]
        assert workout.blocks[3].prescription.rounds == 6
        fresh = WorkoutsPage(library, asker=ScriptedAsker())
        qtbot.addWidget(fresh)
        assert fresh.select_workout(workout.id)
        assert fresh.editor.cards()[3].field("rounds").text() == "6"
    finally:
        reopened.close()


def test_with_the_real_catalog_and_templates(qtbot: QtBot) -> None:
    """The shipped data loads into the builder, every template reads cleanly and copies save."""
    loader = pytest.importorskip("hipflex_desktop.domain.catalog_loader")
    catalog = loader.load_catalog()
    builtins = loader.load_builtin_workouts(catalog)
    repository = MemoryWorkoutRepository()
    library = WorkoutLibrary(catalog, builtins, repository)
    page = WorkoutsPage(library, asker=ScriptedAsker())
    qtbot.addWidget(page)
    for workout in builtins:
        assert page.select_workout(workout.id)
        assert all(c.errors() == [] for c in page.editor.cards()), workout.id
        assert page.duplicate_current() is not None
    assert len(repository.list()) == len(builtins)
    page.new_workout()
    for movement in catalog:
        added = page.editor.add_movement(movement.id)
        assert added.errors() == [], movement.id
    assert page.save()


def test_arrowing_away_from_an_edited_draft_and_discarding_it(
    make_page: PageFactory, asker: ScriptedAsker, qtbot: QtBot
) -> None:
    page, _, repository = make_page()
    draft_id = page.new_workout()
    retype(qtbot, page.editor.name_edit, "Half-finished")
    asker.answer_save(SaveChoice.DISCARD)
    page.focus_list()
    qtbot.keyClick(page.workout_list, Qt.Key.Key_Up)  # from the draft to "My routine"
    assert [kind for kind, _ in asker.asked] == ["save"]
    assert page.current_workout_id() == "custom-1"
    assert draft_id not in page.workout_ids_in_list()
    current = page.workout_list.currentItem()
    assert current is not None
    assert current.text() == "My routine"
    assert [w.id for w in repository.list()] == ["custom-1"]
    qtbot.keyClick(page.workout_list, Qt.Key.Key_Up)  # the list still navigates normally
    assert page.current_workout_id() == "stretch-routine"


def test_reload_picks_up_changes_made_elsewhere(make_page: PageFactory) -> None:
    page, _, repository = make_page()
    repository.save(custom_workout("From the command line", "custom-cli"))
    page.reload()
    assert "custom-cli" in page.workout_ids_in_list()
    assert page.current_workout_id() == "starter-strength"


def test_revert_clears_the_edited_badge_in_the_list(make_page: PageFactory,
                                                    qtbot: QtBot) -> None:
    page, _, _ = make_page()
    page.select_workout("custom-1")
    retype(qtbot, card(page, 0).field("sets"), "5")
    item = page.workout_list.currentItem()
    assert item is not None
    assert item.data(Qt.ItemDataRole.UserRole + 3) == "Edited"
    qtbot.keyClick(card(page, 0).field("sets"), Qt.Key.Key_R,
                   Qt.KeyboardModifier.ControlModifier)
    assert not page.has_unsaved_changes()
    assert item.data(Qt.ItemDataRole.UserRole + 3) == ""


# -- card layout: nothing may hide past the pane's right edge -------------------------------------

# A stand-in for the main window: the same 180 px section list beside the page and the
# same application style sheet, so the pane is as wide as it is in the app.
NAVIGATION_WIDTH = 180
WINDOW_SIZES = [(1280, 760), (1366, 768), (1024, 700)]
# The real catalog's longest names, an accumulated hold with its brief-hold range, a
# removed exercise whose id cannot wrap at spaces, and one block of every other kind.
LAYOUT_BLOCK_IDS = ("hanging-leg-raise", "standing-hip-flexor-raise", "l-sit-hold",
                    "mountain-climber", "kneeling-lunge-stretch",
                    "an-exercise-that-was-taken-out-of-the-library-long-ago")


def host_window(qtbot: QtBot, library: WorkoutLibrary, size: tuple[int, int]
                ) -> tuple[QWidget, WorkoutsPage]:
    window = QWidget()
    qtbot.addWidget(window)
    window.setStyleSheet(APP_STYLE_SHEET)
    layout = QHBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    navigation = QListWidget(window)
    navigation.setObjectName("navigation")
    navigation.setFixedWidth(NAVIGATION_WIDTH)
    navigation.addItems(["Exercises", "Workouts", "Muscles", "Quick timer"])
    page = WorkoutsPage(library, window, can_start=True, asker=ScriptedAsker())
    layout.addWidget(navigation)
    layout.addWidget(page, 1)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window, page


def every_kind_library() -> tuple[WorkoutLibrary, Workout]:
    catalog = load_catalog()
    blocks = []
    for movement_id in LAYOUT_BLOCK_IDS:
        movement = catalog.find(movement_id)
        prescription = movement.prescription if movement else CLIMBER.prescription
        blocks.append(Block(movement_id=movement_id, prescription=prescription))
    workout = Workout(id="custom-every-kind", name="Every kind of block", blocks=tuple(blocks),
                      description="One block of each kind.")
    library = WorkoutLibrary(catalog, load_builtin_workouts(catalog),
                             MemoryWorkoutRepository([workout]))
    return library, workout


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def assert_cards_fit(page: WorkoutsPage) -> None:
    """Every card, and its ▲ ▼ ✕ once scrolled to, lies inside the visible viewport."""
    QApplication.processEvents()
    scroll = page.editor.blocks_scroll
    viewport = scroll.viewport()
    assert page.editor.cards()
    assert page.editor.blocks_container.width() <= viewport.width()
    for block_card in page.editor.cards():
        where = rect_in(block_card, viewport)
        assert where.left() >= 0, block_card.name_label.text()
        assert where.right() < viewport.width(), (
            f"{block_card.name_label.text()}: card reaches x={where.right()}, "
            f"viewport is {viewport.width()} px wide")
        scroll.ensureWidgetVisible(block_card.remove_button)
        QApplication.processEvents()
        for button in (block_card.up_button, block_card.down_button, block_card.remove_button):
            assert button.isVisible()
            assert viewport.rect().contains(rect_in(button, viewport)), (
                f"{block_card.name_label.text()} {button.text()} at "
                f"{rect_in(button, viewport)}, viewport {viewport.rect()}")


@pytest.mark.parametrize("size", WINDOW_SIZES, ids=[f"{w}x{h}" for w, h in WINDOW_SIZES])
def test_cards_and_their_buttons_fit_the_pane(qtbot: QtBot, size: tuple[int, int]) -> None:
    library, workout = every_kind_library()
    _, page = host_window(qtbot, library, size)
    assert page.select_workout(workout.id)
    kinds = {c.movement.kind for c in page.editor.cards() if c.movement}
    assert kinds == set(Kind)
    hold = next(c for c in page.editor.cards() if c.movement and c.movement.kind is Kind.HOLD)
    assert hold.accumulates()
    assert hold.field("brief_hold_max").isVisible()
    assert_cards_fit(page)

    # Long messages under the fields wrap inside their column instead of widening the card.
    first = page.editor.cards()[0]
    retype(qtbot, first.field("sets"), "0")
    retype(qtbot, first.field("reps_min"), "99")
    retype(qtbot, hold.field("brief_hold_min"), "40")
    assert first.error_text("reps_max")
    assert hold.error_text("brief_hold_max")
    assert_cards_fit(page)


def test_cards_fit_however_far_the_splitter_is_dragged(qtbot: QtBot) -> None:
    library, workout = every_kind_library()
    _, page = host_window(qtbot, library, (1024, 700))
    assert page.select_workout(workout.id)
    page.splitter.setSizes([2000, 1])  # the list as wide as it may get
    assert_cards_fit(page)


def test_fields_wrap_onto_more_rows_when_the_pane_narrows(qtbot: QtBot) -> None:
    library, workout = every_kind_library()
    window, page = host_window(qtbot, library, (1366, 768))
    assert page.select_workout(workout.id)
    reps = page.editor.cards()[0]

    def rows() -> int:
        QApplication.processEvents()
        return len({rect_in(reps.field(n), reps).top() for n in reps.visible_field_names()})

    assert rows() == 1
    window.resize(1024, 700)
    assert rows() > 1
    assert_cards_fit(page)


def test_interval_card_reads_rounds_work_and_rest(make_page: PageFactory) -> None:
    page, _, _ = make_page()
    page.select_workout("custom-1")
    interval = card(page, INTERVAL_BLOCK)
    names = ("rounds", "work_seconds", "interval_rest_seconds")
    assert interval.visible_field_names() == names
    assert [interval.field_label(n).text() for n in names] == ["Rounds", "Work (s)", "Rest (s)"]
    assert all(interval.field_label(n).isVisible() for n in names)
    assert [interval.field(n).text() for n in names] == ["3", "30", "30"]
    assert interval.summary_label.text() == "3 × 30 s on / 30 s off"


# -- description ---------------------------------------------------------------------------------


def test_duplicating_and_saving_a_builtin_keeps_its_whole_description(
    make_page: PageFactory, qtbot: QtBot
) -> None:
    page, _, repository = make_page(custom=())
    page.select_workout("stretch-routine")
    copy_id = page.duplicate_current()
    assert copy_id is not None
    assert page.editor.description_edit.toPlainText() == LONG_DESCRIPTION
    retype(qtbot, page.editor.name_edit, "My stretches")
    assert page.save()
    (saved,) = repository.list()
    assert saved.name == "My stretches"
    assert saved.description == LONG_DESCRIPTION


def test_the_real_templates_keep_their_descriptions_through_an_edit(qtbot: QtBot) -> None:
    catalog = load_catalog()
    builtins = load_builtin_workouts(catalog)
    assert max(len(w.description) for w in builtins) > 300  # the case that used to be cut
    repository = MemoryWorkoutRepository()
    page = WorkoutsPage(WorkoutLibrary(catalog, builtins, repository), asker=ScriptedAsker())
    qtbot.addWidget(page)
    for template in builtins:
        page.select_workout(template.id)
        copy_id = page.duplicate_current()
        assert copy_id is not None
        page.editor.name_edit.setText(f"{template.name} (mine)")
        page.editor.name_edit.textEdited.emit(page.editor.name_edit.text())
        assert page.save(), template.id
        saved = next(w for w in repository.list() if w.id == copy_id)
        assert saved.description == template.description


def test_an_over_long_description_is_refused_with_a_message_not_cut(
    make_page: PageFactory, qtbot: QtBot
) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    editor = page.editor
    before = stored(repository)
    editor.description_edit.setPlainText("x" * (DESCRIPTION_MAX_LENGTH - 2))
    editor.description_edit.setFocus()
    editor.description_edit.moveCursor(editor.description_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.description_edit, "yyyy")
    assert len(editor.description_edit.toPlainText()) == DESCRIPTION_MAX_LENGTH + 2
    assert editor.description_error.isVisible()
    assert str(DESCRIPTION_MAX_LENGTH) in editor.description_error.text()
    assert str(DESCRIPTION_MAX_LENGTH + 2) in editor.description_error.text()
    assert not editor.save_button.isEnabled()
    page.focus_list()
    qtbot.keyClick(page.workout_list, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert stored(repository) == before
    assert editor.description_edit.hasFocus(), "Ctrl+S points at the description"

    qtbot.keyClick(editor.description_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor.description_edit, Qt.Key.Key_Backspace)
    assert not editor.description_error.isVisible()
    assert page.save()
    assert repository.list()[0].description == "x" * (DESCRIPTION_MAX_LENGTH - 2) + "yy"


def test_description_takes_several_lines_and_tab_moves_on(make_page: PageFactory,
                                                          qtbot: QtBot) -> None:
    page, _, repository = make_page()
    page.select_workout("custom-1")
    description = page.editor.description_edit
    line = description.fontMetrics().lineSpacing()
    assert 2 * line <= description.height() <= 4 * line
    retype(qtbot, description, "Before breakfast.")
    qtbot.keyClick(description, Qt.Key.Key_Return)
    qtbot.keyClicks(description, "Keep it easy.")
    qtbot.keyClick(description, Qt.Key.Key_Tab)
    assert not description.hasFocus()
    assert "\t" not in description.toPlainText()
    assert page.save()
    assert repository.list()[0].description == "Before breakfast.\nKeep it easy."
