"""The Workouts page: the list of workouts on the left, the builder on the right.

Built-in templates come first and are read-only (they can be duplicated); the
user's own workouts follow and are edited in place. Edits live in the form
until Save: nothing invalid is ever written, and leaving a changed workout
asks whether to save, discard or stay. Every question goes through an
:class:`~hipflex_desktop.ui.asker.Asker` so tests can answer it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.prescription import FieldError
from hipflex_desktop.domain.workouts import (
    Block,
    Workout,
    new_workout_id,
    normalised_name,
    validate_name,
)
from hipflex_desktop.services import WorkoutLibrary, WorkoutValidationError
from hipflex_desktop.ui import style
from hipflex_desktop.ui.asker import Asker, MessageBoxAsker, SaveChoice
from hipflex_desktop.ui.block_editor import BlockEditor, _repolish
from hipflex_desktop.ui.movement_picker import (
    BADGE_ROLE,
    HEADER_ROLE,
    ID_ROLE,
    SUBTITLE_ROLE,
    MovementPickerDialog,
    TwoLineDelegate,
)

NEW_WORKOUT_NAME = "New workout"
# Generous, so every built-in template's description survives being duplicated and saved;
# a longer text is refused with a message under the box, never cut short.
DESCRIPTION_MAX_LENGTH = 1000
DESCRIPTION_LINES = 3
Problem = tuple[int | None, FieldError]

PAGE_STYLE = f"""
QListWidget#workoutList {{
    background: {style.SURFACE}; border: 1px solid {style.BORDER}; border-radius: 8px;
    outline: 0; padding: 4px 0;
}}
QFrame#blockCard {{
    background: {style.SURFACE}; border: 1px solid {style.BORDER}; border-radius: 8px;
}}
QLabel#blockName {{ font-size: 15px; font-weight: 600; color: {style.INK}; }}
QLabel#blockPosition {{ font-size: 15px; font-weight: 600; color: {style.MUTED}; }}
QLabel#kindChip {{ border-radius: 8px; padding: 0px 7px; font-size: 11px; }}
QLabel#blockSummary {{ color: {style.INK}; }}
QLabel#blockSummary[invalid="true"] {{ color: {style.ERROR}; }}
QLabel#countChip {{
    color: {style.MUTED}; background: #e4e7eb; border-radius: 8px; padding: 0px 7px;
    font-size: 11px; font-weight: 600;
}}
QLabel#shortcutHint {{ color: {style.MUTED}; font-size: 11px; }}
QLabel#fieldLabel {{ color: {style.MUTED}; font-size: 11px; }}
QLabel#fieldError {{ color: {style.ERROR}; font-size: 11px; }}
QLineEdit[invalid="true"] {{
    border: 1px solid {style.ERROR}; border-radius: 3px; background: #fdecea;
}}
QPlainTextEdit#workoutDescription {{
    background: {style.SURFACE}; border: 1px solid {style.BORDER}; border-radius: 3px;
    color: {style.INK}; padding: 1px 4px;
}}
QPlainTextEdit#workoutDescription[invalid="true"] {{
    border: 1px solid {style.ERROR}; background: #fdecea;
}}
QLineEdit#workoutName {{
    font-size: 20px; font-weight: 600; color: {style.INK}; padding: 4px 8px;
}}
QLabel#workoutTitle {{ font-size: 20px; font-weight: 600; color: {style.INK}; }}
QLabel#builtinChip {{
    color: {style.MUTED}; border: 1px solid {style.BORDER}; border-radius: 9px;
    padding: 1px 8px; background: {style.SURFACE};
}}
QFrame#readOnlyBanner {{
    background: #eaf1fb; border: 1px solid #c8d9f2; border-radius: 6px;
}}
QFrame#saveBar {{ background: {style.SURFACE}; border-top: 1px solid {style.BORDER}; }}
QScrollArea#blocksScroll, QWidget#blocksContainer {{ background: transparent; border: none; }}
QLabel#emptyBlocks {{
    color: {style.MUTED}; border: 1px dashed {style.BORDER}; border-radius: 8px; padding: 18px;
}}
"""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class DescriptionEdit(QPlainTextEdit):
    """A few lines of plain text: room to read a paragraph without taking over the page.

    Tab moves on to the next control, as in every other field of the form.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802
        # Measured when asked, so it follows the font the style sheet gives the box.
        margins = self.contentsMargins()
        text_height = (self.fontMetrics().lineSpacing() * DESCRIPTION_LINES
                       + 2 * round(self.document().documentMargin()))
        return QSize(super().sizeHint().width(),
                     text_height + margins.top() + margins.bottom())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())


class CardsScrollArea(QScrollArea):
    """A vertical-only scroll area that is never narrower than the cards it holds.

    Horizontal scrolling is off, so a card wider than the viewport would lose its
    right edge (and its buttons). The cards reflow down to a minimum width; asking
    for that width here lets the splitter and the window stop before it.
    """

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        widget = self.widget()
        if widget is None:
            return hint
        needed = (widget.minimumSizeHint().width()
                  + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth())
        return QSize(max(hint.width(), needed), hint.height())


class WorkoutEditor(QWidget):
    """The right-hand side: one workout's name, description and block cards.

    It owns the unsaved state; the page decides what to do when the user leaves.
    """

    changed = Signal()
    saved = Signal(str)
    duplicate_clicked = Signal()
    delete_clicked = Signal()
    start_clicked = Signal()

    def __init__(
        self,
        library: WorkoutLibrary,
        asker: Asker,
        *,
        can_start: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workoutEditor")
        self._library = library
        self._asker = asker
        self._can_start = can_start
        self._original: Workout | None = None
        self._is_new = False
        self._others: list[Workout] = []
        self._cards: list[BlockEditor] = []
        self._initial_state: tuple[object, ...] = ()
        self._loading = False
        self._picker: MovementPickerDialog | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        header = QWidget(self)
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(20, 16, 20, 8)
        header_layout.setSpacing(6)
        layout.addWidget(header)

        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        self.name_edit = QLineEdit(header)
        self.name_edit.setObjectName("workoutName")
        self.name_edit.setPlaceholderText("Workout name")
        self.name_edit.setAccessibleName("Workout name")
        self.name_edit.setToolTip("Rename the workout (F2)")
        self.name_edit.setMaxLength(120)
        self.name_edit.textEdited.connect(self._on_edited)
        title_row.addWidget(self.name_edit, 1)
        self.title_label = QLabel(header)
        self.title_label.setObjectName("workoutTitle")
        title_row.addWidget(self.title_label, 1)
        self.builtin_chip = QLabel("Built-in template", header)
        self.builtin_chip.setObjectName("builtinChip")
        title_row.addWidget(self.builtin_chip)
        title_row.addSpacing(12)
        self.start_button = QPushButton("Start", header)
        self.start_button.setObjectName("primary")
        self.start_button.setToolTip("Start a guided session with this workout (Ctrl+Enter)")
        self.start_button.clicked.connect(self.start_clicked)
        self.start_button.setVisible(can_start)
        title_row.addWidget(self.start_button)
        self.duplicate_button = QPushButton("Duplicate", header)
        self.duplicate_button.setToolTip("Make an editable copy (Ctrl+D)")
        self.duplicate_button.clicked.connect(self.duplicate_clicked)
        title_row.addWidget(self.duplicate_button)
        self.delete_button = QPushButton("Delete", header)
        self.delete_button.setToolTip("Delete this workout (Delete in the list)")
        self.delete_button.clicked.connect(self.delete_clicked)
        title_row.addWidget(self.delete_button)
        header_layout.addLayout(title_row)

        self.name_error = QLabel(header)
        self.name_error.setObjectName("fieldError")
        self.name_error.hide()
        header_layout.addWidget(self.name_error)

        self.description_edit = DescriptionEdit(header)
        self.description_edit.setObjectName("workoutDescription")
        self.description_edit.setPlaceholderText("Description (optional)")
        self.description_edit.setAccessibleName("Description")
        self.description_edit.textChanged.connect(self._on_edited)
        header_layout.addWidget(self.description_edit)
        self.description_error = QLabel(header)
        self.description_error.setObjectName("fieldError")
        self.description_error.setWordWrap(True)
        self.description_error.hide()
        header_layout.addWidget(self.description_error)
        self.description_label = QLabel(header)
        self.description_label.setObjectName("muted")
        self.description_label.setWordWrap(True)
        header_layout.addWidget(self.description_label)

        self.read_only_banner = QFrame(header)
        self.read_only_banner.setObjectName("readOnlyBanner")
        banner_layout = QHBoxLayout(self.read_only_banner)
        banner_layout.setContentsMargins(12, 8, 8, 8)
        banner_text = QLabel(
            "This is a built-in template, so it can't be changed. Duplicate it to get a copy "
            "you can rename and adjust.", self.read_only_banner)
        banner_text.setWordWrap(True)
        banner_layout.addWidget(banner_text, 1)
        self.banner_duplicate_button = QPushButton("Duplicate to edit", self.read_only_banner)
        self.banner_duplicate_button.clicked.connect(self.duplicate_clicked)
        banner_layout.addWidget(self.banner_duplicate_button)
        header_layout.addWidget(self.read_only_banner)

        section_row = QHBoxLayout()
        section_title = QLabel("Exercises", header)
        section_title.setObjectName("sectionTitle")
        section_row.addWidget(section_title)
        self.count_label = QLabel(header)
        self.count_label.setObjectName("countChip")
        self.count_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_label.setFixedHeight(20)
        self.count_label.setMinimumWidth(24)
        section_row.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignVCenter)
        section_row.addStretch(1)
        header_layout.addLayout(section_row)
        self.blocks_error = QLabel(header)
        self.blocks_error.setObjectName("fieldError")
        self.blocks_error.hide()
        header_layout.addWidget(self.blocks_error)

        self.blocks_scroll = CardsScrollArea(self)
        self.blocks_scroll.setObjectName("blocksScroll")
        self.blocks_scroll.setWidgetResizable(True)
        self.blocks_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.blocks_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.blocks_container = QWidget(self.blocks_scroll)
        self.blocks_container.setObjectName("blocksContainer")
        self.blocks_layout = QVBoxLayout(self.blocks_container)
        self.blocks_layout.setContentsMargins(20, 4, 20, 16)
        self.blocks_layout.setSpacing(10)
        self.empty_label = QLabel(
            "No exercises yet. Use “Add exercise…” (Ctrl+E) to pick the first one.",
            self.blocks_container,
        )
        self.empty_label.setObjectName("emptyBlocks")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.blocks_layout.addWidget(self.empty_label)
        add_row = QHBoxLayout()
        self.add_button = QPushButton("Add exercise…", self.blocks_container)
        self.add_button.setObjectName("addExercise")
        self.add_button.setToolTip("Pick an exercise from the library (Ctrl+E)")
        self.add_button.clicked.connect(self.open_picker)
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        self.blocks_layout.addLayout(add_row)
        self.blocks_layout.addStretch(1)
        self.blocks_scroll.setWidget(self.blocks_container)
        layout.addWidget(self.blocks_scroll, 1)

        self.save_bar = QFrame(self)
        self.save_bar.setObjectName("saveBar")
        bar = QHBoxLayout(self.save_bar)
        bar.setContentsMargins(20, 10, 20, 10)
        self.status_label = QLabel(self.save_bar)
        self.status_label.setObjectName("muted")
        bar.addWidget(self.status_label, 1)
        self.revert_button = QPushButton("Revert", self.save_bar)
        self.revert_button.setToolTip("Throw away the changes since the last save (Ctrl+R)")
        self.revert_button.clicked.connect(self.revert)
        bar.addWidget(self.revert_button)
        self.save_button = QPushButton("Save", self.save_bar)
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip("Save the workout (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.save_button)
        layout.addWidget(self.save_bar)

    # -- state --------------------------------------------------------------------------------

    @property
    def workout_id(self) -> str | None:
        return self._original.id if self._original else None

    @property
    def original(self) -> Workout | None:
        """The workout as loaded or last saved."""
        return self._original

    @property
    def is_new(self) -> bool:
        """True for a workout that has never been saved."""
        return self._is_new

    @property
    def read_only(self) -> bool:
        return self._original is None or self._original.builtin

    def cards(self) -> list[BlockEditor]:
        return list(self._cards)

    def _state(self) -> tuple[object, ...]:
        return (
            self.name_edit.text(),
            self.description_edit.toPlainText(),
            tuple(card.raw_state() for card in self._cards),
        )

    def is_dirty(self) -> bool:
        """Has the user changed anything since loading or saving?"""
        return not self.read_only and self._state() != self._initial_state

    def draft(self) -> Workout:
        """The workout as currently typed (possibly invalid)."""
        assert self._original is not None
        return Workout(
            id=self._original.id,
            name=" ".join(self.name_edit.text().split()),
            blocks=tuple(card.block() for card in self._cards),
            builtin=False,
            description=self.description_edit.toPlainText().strip(),
            tags=self._original.tags,
        )

    def problems(self) -> list[Problem]:
        """Everything that blocks saving: ``(block index or None, error)`` pairs."""
        if self._original is None or self.read_only:
            return []
        problems: list[Problem] = [
            (None, e) for e in validate_name(self.name_edit.text(), self._original.id,
                                              self._others)
        ]
        length = len(self.description_edit.toPlainText().strip())
        if length > DESCRIPTION_MAX_LENGTH:
            problems.append((None, FieldError(
                "description", f"Keep the description to {DESCRIPTION_MAX_LENGTH} characters "
                f"or fewer; it has {length}.")))
        if not self._cards:
            problems.append((None, FieldError("blocks", "Add at least one exercise.")))
        for index, card in enumerate(self._cards):
            problems.extend((index, e) for e in card.errors())
        return problems

    def can_save(self) -> bool:
        return (not self.read_only and (self._is_new or self.is_dirty())
                and not self.problems())

    # -- loading ------------------------------------------------------------------------------

    def load(self, workout: Workout, *, is_new: bool = False) -> None:
        """Show ``workout``; whatever was in the form before is dropped without asking."""
        self._loading = True
        try:
            self._original = workout
            self._is_new = is_new
            self._others = [w for w in self._library.all() if w.id != workout.id]
            for card in self._cards:
                self._drop_card(card)
            self._cards = []
            for block in workout.blocks:
                self._append_card(block)
            self.name_edit.setText(workout.name)
            self.name_edit.setCursorPosition(0)  # a long name shows its start, not its end
            self.title_label.setText(workout.name)
            self.description_edit.setPlainText(workout.description)
            self.description_label.setText(workout.description)
            self._apply_mode()
            self._relayout_cards()
        finally:
            self._loading = False
        self._initial_state = self._state()
        self._refresh()
        self.blocks_scroll.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        """Show nothing (no workout selected)."""
        for card in self._cards:
            self._drop_card(card)
        self._cards = []
        self._original = None
        self._is_new = False
        self._initial_state = ()

    def _apply_mode(self) -> None:
        builtin = self.read_only
        editable = not builtin
        self.name_edit.setVisible(editable)
        self.name_edit.setEnabled(editable)
        self.title_label.setVisible(builtin)
        self.builtin_chip.setVisible(builtin)
        self.description_edit.setVisible(editable)
        self.description_edit.setEnabled(editable)
        self.description_label.setVisible(builtin and bool(self.description_label.text()))
        self.read_only_banner.setVisible(builtin)
        self.duplicate_button.setVisible(editable)
        self.duplicate_button.setEnabled(editable and not self._is_new)
        self.delete_button.setVisible(editable)
        self.delete_button.setEnabled(editable)
        self.add_button.setVisible(editable)
        self.add_button.setEnabled(editable)
        self.save_bar.setVisible(editable)
        self.save_button.setEnabled(False)
        self.revert_button.setEnabled(False)
        self.start_button.setEnabled(self._can_start and not self._is_new)

    # -- blocks -------------------------------------------------------------------------------

    def _append_card(self, block: Block) -> BlockEditor:
        card = BlockEditor(
            block,
            self._library.catalog.find(block.movement_id),
            read_only=self.read_only,
            parent=self.blocks_container,
        )
        card.changed.connect(self._on_edited)
        card.move_up_requested.connect(self._on_move_up)
        card.move_down_requested.connect(self._on_move_down)
        card.remove_requested.connect(self._on_remove)
        self._cards.append(card)
        return card

    def _drop_card(self, card: BlockEditor) -> None:
        self.blocks_layout.removeWidget(card)
        card.hide()
        card.setParent(None)
        card.deleteLater()

    def _relayout_cards(self) -> None:
        """Put the cards into the layout in model order and renumber them."""
        for card in self._cards:
            self.blocks_layout.removeWidget(card)
        for position, card in enumerate(self._cards):
            self.blocks_layout.insertWidget(position, card)
            card.set_position(position, len(self._cards))
            card.show()
        self.empty_label.setVisible(not self._cards)
        self.count_label.setText(str(len(self._cards)))
        self.count_label.setVisible(bool(self._cards))
        self.blocks_scroll.updateGeometry()  # its minimum width follows the widest card
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        chain: list[QWidget] = [self.name_edit, self.description_edit, self.start_button,
                                self.duplicate_button, self.delete_button,
                                self.banner_duplicate_button]
        for card in self._cards:
            chain.extend(card.input_widgets())
        chain.extend((self.add_button, self.revert_button, self.save_button))
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def add_movement(self, movement_id: str) -> BlockEditor:
        """Append a block for ``movement_id`` with the catalog's default prescription."""
        if self.read_only:
            raise ValueError("built-in workouts are read-only")
        movement = self._library.catalog.get(movement_id)
        card = self._append_card(Block(movement_id=movement.id, prescription=movement.prescription))
        self._relayout_cards()
        self._refresh()
        self._focus_card(card)
        return card

    def move_block(self, index: int, delta: int) -> None:
        target = index + delta
        if self.read_only or not (0 <= index < len(self._cards)) or not (
                0 <= target < len(self._cards)):
            return
        focused = self.focusWidget()
        self._cards.insert(target, self._cards.pop(index))
        self._relayout_cards()
        self._refresh()
        moved = self._cards[target]
        # A move button that just became disabled (top or bottom) drops focus; keep it inside.
        if focused is not None and moved.isAncestorOf(focused) and not focused.isEnabled():
            first = moved.first_input()
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.blocks_scroll.ensureWidgetVisible(moved)

    def remove_block(self, index: int) -> None:
        if self.read_only or not 0 <= index < len(self._cards):
            return
        card = self._cards.pop(index)
        self._drop_card(card)
        self._relayout_cards()
        self._refresh()
        if self._cards:
            self._focus_card(self._cards[min(index, len(self._cards) - 1)])
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_card(self, card: BlockEditor) -> None:
        first = card.first_input()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.blocks_scroll.ensureWidgetVisible(card)

    def open_picker(self) -> MovementPickerDialog | None:
        """Open the "Add exercise" dialog (window-modal, non-blocking)."""
        if self.read_only:
            return None
        if self._picker is None:
            self._picker = MovementPickerDialog(self._library.catalog, self)
            self._picker.accepted.connect(self._on_picked)
        self._picker.reset()
        self._picker.open()
        return self._picker

    @property
    def picker(self) -> MovementPickerDialog | None:
        return self._picker

    # -- actions ------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the workout if it is valid; otherwise show why and write nothing."""
        if self._original is None or self.read_only:
            return False
        problems = self.problems()
        if problems:
            self._refresh()
            self._focus_first_problem(problems)
            return False
        if not self.can_save():
            return False
        workout = self.draft()
        try:
            self._library.save(workout)
        except WorkoutValidationError as error:
            self._show_problems(error.problems)
            self._focus_first_problem(error.problems)
            return False
        except OSError as error:
            self._asker.inform(self, "Could not save",
                               f"The workout could not be written to disk: {error}")
            return False
        self.load(workout)
        self.saved.emit(workout.id)
        return True

    def revert(self) -> None:
        if self._original is not None and not self.read_only:
            self.load(self._original, is_new=self._is_new)
            self.changed.emit()  # the list drops its "Edited" badge

    def focus_name(self) -> None:
        if not self.read_only:
            self.name_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.name_edit.selectAll()

    def focus_first_input(self) -> None:
        if self.read_only:
            target: QWidget = self.banner_duplicate_button
        else:
            target = self.name_edit
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- feedback -----------------------------------------------------------------------------

    def _refresh(self) -> None:
        if self._loading:
            return
        problems = self.problems()
        self._show_problems(problems)
        dirty = self.is_dirty()
        editable = not self.read_only
        self.save_button.setEnabled(editable and (self._is_new or dirty) and not problems)
        self.revert_button.setEnabled(editable and dirty)
        self.start_button.setEnabled(self._can_start and self._original is not None
                                     and not self._is_new)
        if self.read_only:
            text = ""
        elif problems:
            text = f"Fix {_plural(len(problems), 'problem')} to save."
        elif self._is_new:
            text = "New workout, not saved yet."
        elif dirty:
            text = "Unsaved changes."
        else:
            text = "All changes saved."
        self.status_label.setText(text)
        self.status_label.setProperty("invalid", bool(problems))
        self.status_label.setStyleSheet(f"color: {style.ERROR};" if problems else "")

    def _show_problems(self, problems: Sequence[Problem]) -> None:
        name_messages = [e.message for i, e in problems if i is None and e.field == "name"]
        self.name_error.setText(" ".join(name_messages))
        self.name_error.setVisible(bool(name_messages))
        self.name_edit.setProperty("invalid", bool(name_messages))
        _repolish(self.name_edit)
        description_messages = [e.message for i, e in problems
                                if i is None and e.field == "description"]
        self.description_error.setText(" ".join(description_messages))
        self.description_error.setVisible(bool(description_messages))
        self.description_edit.setProperty("invalid", bool(description_messages))
        _repolish(self.description_edit)
        block_messages = [e.message for i, e in problems
                          if i is None and e.field not in ("name", "description")]
        self.blocks_error.setText(" ".join(block_messages))
        self.blocks_error.setVisible(bool(block_messages))
        for index, card in enumerate(self._cards):
            card_errors = [e for i, e in problems if i == index]
            card.show_errors(card_errors)

    def _focus_first_problem(self, problems: Sequence[Problem]) -> None:
        for index, error in problems:
            if index is None:
                if error.field == "name":
                    self.focus_name()
                elif error.field == "description":
                    self.description_edit.setFocus(Qt.FocusReason.OtherFocusReason)
                else:
                    self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            card = self._cards[index]
            if error.field in card.visible_field_names():
                card.field(error.field).setFocus(Qt.FocusReason.OtherFocusReason)
                self.blocks_scroll.ensureWidgetVisible(card)
                return
            self._focus_card(card)
            return

    # -- slots --------------------------------------------------------------------------------

    def _on_edited(self) -> None:
        if self._loading:
            return
        self._refresh()
        self.changed.emit()

    def _on_move_up(self, card: QWidget) -> None:
        self._move_card(card, -1)

    def _on_move_down(self, card: QWidget) -> None:
        self._move_card(card, 1)

    def _move_card(self, card: QWidget, delta: int) -> None:
        if isinstance(card, BlockEditor) and card in self._cards:
            self.move_block(self._cards.index(card), delta)
            self.changed.emit()

    def _on_remove(self, card: QWidget) -> None:
        if isinstance(card, BlockEditor) and card in self._cards:
            self.remove_block(self._cards.index(card))
            self.changed.emit()

    def _on_picked(self) -> None:
        assert self._picker is not None
        movement_id = self._picker.chosen_movement_id()
        if movement_id is not None and not self.read_only:
            self.add_movement(movement_id)
            self.changed.emit()


class WorkoutsPage(QWidget):
    """Workout list and builder. Embed it in the main window.

    ``start_requested(workout_id)`` is emitted by the Start button, which only
    exists when ``can_start`` is true (the session runner is wired later).
    """

    start_requested = Signal(str)

    def __init__(
        self,
        library: WorkoutLibrary,
        parent: QWidget | None = None,
        *,
        can_start: bool = False,
        asker: Asker | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setStyleSheet(PAGE_STYLE)
        self._library = library
        self._asker: Asker = asker or MessageBoxAsker()
        self._can_start = can_start
        self._draft: Workout | None = None
        self._syncing = False

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        layout.addWidget(self.splitter)

        left = QWidget(self.splitter)
        left.setObjectName("workoutListPane")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(16, 16, 8, 16)
        left_layout.setSpacing(10)
        title_row = QHBoxLayout()
        title = QLabel("Workouts", left)
        title.setObjectName("pageTitle")
        title_row.addWidget(title)
        title_row.addStretch(1)
        self.new_button = QToolButton(left)
        self.new_button.setObjectName("newWorkout")
        self.new_button.setText("＋ New")
        self.new_button.setToolTip("New empty workout (Ctrl+N); the arrow starts from a template")
        self.new_button.setAccessibleName("New workout")
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.new_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.new_menu = QMenu(self.new_button)
        self.new_menu.aboutToShow.connect(self._fill_new_menu)
        self.new_button.setMenu(self.new_menu)
        title_row.addWidget(self.new_button)
        left_layout.addLayout(title_row)

        self.workout_list = QListWidget(left)
        self.workout_list.setObjectName("workoutList")
        self.workout_list.setItemDelegate(TwoLineDelegate(self.workout_list))
        self.workout_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.workout_list.setMouseTracking(True)
        self.workout_list.setAccessibleName("Workouts")
        self.workout_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.workout_list.currentItemChanged.connect(self._on_current_item_changed)
        left_layout.addWidget(self.workout_list, 1)
        hint = QLabel("Ctrl+N new · Ctrl+D duplicate · Del delete", left)
        hint.setObjectName("shortcutHint")
        hint.setWordWrap(True)
        left_layout.addWidget(hint)
        left.setMinimumWidth(240)

        self.stack = QStackedWidget(self.splitter)
        self.placeholder = QLabel(
            "Choose a workout on the left, or press Ctrl+N to build a new one.", self.stack)
        self.placeholder.setObjectName("muted")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        self.editor = WorkoutEditor(library, self._asker, can_start=can_start, parent=self.stack)
        self.stack.addWidget(self.editor)
        self.editor.saved.connect(self._on_saved)
        self.editor.changed.connect(self._on_editor_changed)
        self.editor.duplicate_clicked.connect(self.duplicate_current)
        self.editor.delete_clicked.connect(self.delete_current)
        self.editor.start_clicked.connect(self.start_current)

        self.splitter.addWidget(left)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 1040])

        self._shortcuts: list[QShortcut] = []
        page_keys = (
            (QKeySequence(QKeySequence.StandardKey.New), self._on_new_clicked),
            (QKeySequence("Ctrl+D"), self.duplicate_current),
            (QKeySequence("F2"), self.rename_current),
            (QKeySequence(QKeySequence.StandardKey.Save), self.save),
            (QKeySequence("Ctrl+E"), self._on_add_key),
            (QKeySequence("Ctrl+R"), self.revert),
            (QKeySequence("Ctrl+Return"), self.start_current),
            (QKeySequence("Ctrl+Enter"), self.start_current),
        )
        for keys, slot in page_keys:
            self._add_shortcut(keys, self, slot, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._add_shortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.workout_list,
                           self._on_delete_key, Qt.ShortcutContext.WidgetShortcut)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._add_shortcut(QKeySequence(key), self.workout_list,
                               self.editor.focus_first_input, Qt.ShortcutContext.WidgetShortcut)

        QWidget.setTabOrder(self.new_button, self.workout_list)
        QWidget.setTabOrder(self.workout_list, self.editor.name_edit)
        self.reload()

    def _add_shortcut(self, keys: QKeySequence, parent: QWidget, slot: Callable[[], object],
                      context: Qt.ShortcutContext) -> None:
        shortcut = QShortcut(keys, parent)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
        self._shortcuts.append(shortcut)

    # -- public API -------------------------------------------------------------------------

    def focus_list(self) -> None:
        self.workout_list.setFocus(Qt.FocusReason.OtherFocusReason)

    def current_workout_id(self) -> str | None:
        return self.editor.workout_id

    def workout_ids_in_list(self) -> list[str]:
        return [str(item.data(ID_ROLE)) for item in self._items() if item.data(ID_ROLE)]

    def has_unsaved_changes(self) -> bool:
        return self.editor.is_dirty()

    def maybe_save(self) -> bool:
        """Resolve unsaved changes (ask save/discard/cancel). False means "stay here"."""
        return self._resolve_unsaved()

    def reload(self) -> None:
        """Re-read the library (e.g. after another part of the app changed it)."""
        current = self.editor.workout_id
        self._rebuild_list()
        ids = self.workout_ids_in_list()
        if current in ids:
            self._sync_selection(current)
        elif ids:
            self._open(ids[0])
        else:
            self._show_nothing()

    def select_workout(self, workout_id: str) -> bool:
        """Select and open a workout, asking about unsaved changes first."""
        if workout_id == self.editor.workout_id:
            return True
        if workout_id not in self.workout_ids_in_list() or not self._resolve_unsaved():
            self._sync_selection(self.editor.workout_id)
            return False
        self._open(workout_id)
        return True

    def new_workout(self) -> str | None:
        """Start an empty, unsaved workout; returns its id, or None if the user stayed."""
        if not self._resolve_unsaved():
            return None
        self._draft = Workout(id=new_workout_id(), name=self._unique_new_name(), blocks=())
        self._rebuild_list()
        self._open(self._draft.id)
        self.editor.focus_name()
        return self._draft.id

    def new_from_template(self, template_id: str) -> str | None:
        """A saved, editable copy of a template (same as duplicating it)."""
        return self._duplicate(template_id)

    def duplicate_current(self) -> str | None:
        workout_id = self.editor.workout_id
        if workout_id is None or self.editor.is_new:
            return None
        return self._duplicate(workout_id)

    def delete_current(self) -> bool:
        """Delete the selected custom workout after a confirmation (Cancel is the default)."""
        workout = self.editor.original
        if workout is None or workout.builtin:
            return False
        if not self._asker.confirm(
            self, "Delete workout",
            f"Delete “{workout.name}”? This can't be undone. Your session history keeps its "
            "records.", "Delete",
        ):
            return False
        ids = self.workout_ids_in_list()
        position = ids.index(workout.id) if workout.id in ids else 0
        if self._draft is not None and self._draft.id == workout.id:
            self._draft = None
        else:
            try:
                self._library.delete(workout.id)
            except OSError as error:
                self._asker.inform(self, "Could not delete", f"The workout could not be "
                                   f"deleted: {error}")
                return False
        self.editor.clear()
        self._rebuild_list()
        remaining = self.workout_ids_in_list()
        if remaining:
            self._open(remaining[min(position, len(remaining) - 1)])
        else:
            self._show_nothing()
        self.focus_list()
        return True

    def rename_current(self) -> None:
        self.editor.focus_name()

    def save(self) -> bool:
        return self.editor.save()

    def revert(self) -> None:
        self.editor.revert()

    def start_current(self) -> None:
        workout_id = self.editor.workout_id
        if not self._can_start or workout_id is None or self.editor.is_new:
            return
        if self._resolve_unsaved():
            self.start_requested.emit(workout_id)

    # -- list -----------------------------------------------------------------------------

    def _items(self) -> list[QListWidgetItem]:
        return [self.workout_list.item(row) for row in range(self.workout_list.count())]

    def _rebuild_list(self) -> None:
        self._syncing = True
        try:
            self.workout_list.clear()
            workouts = self._library.all()
            builtins = [w for w in workouts if w.builtin]
            custom = [w for w in workouts if not w.builtin]
            if self._draft is not None:
                custom.append(self._draft)
            if builtins:
                self._add_header("Templates")
                for workout in builtins:
                    self._add_workout_item(workout)
            self._add_header("My workouts")
            for workout in custom:
                self._add_workout_item(workout)
            if not custom:
                item = QListWidgetItem("None yet: press Ctrl+N, or duplicate a template")
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setData(HEADER_ROLE, False)
                item.setData(ID_ROLE, None)
                item.setForeground(Qt.GlobalColor.gray)
                item.setData(SUBTITLE_ROLE, "")
                self.workout_list.addItem(item)
        finally:
            self._syncing = False

    def _add_header(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setData(HEADER_ROLE, True)
        self.workout_list.addItem(item)

    def _add_workout_item(self, workout: Workout) -> None:
        item = QListWidgetItem(workout.name)
        item.setData(ID_ROLE, workout.id)
        self._describe_item(item, workout)
        self.workout_list.addItem(item)

    def _describe_item(self, item: QListWidgetItem, workout: Workout) -> None:
        count = _plural(len(workout.blocks), "exercise")
        unsaved = self._draft is not None and self._draft.id == workout.id
        dirty = workout.id == self.editor.workout_id and self.editor.is_dirty()
        if workout.builtin:
            subtitle, badge = f"{count} · read-only", "Built-in"
        elif unsaved:
            subtitle, badge = "Not saved yet", "New"
        else:
            subtitle, badge = count, ("Edited" if dirty else "")
        item.setData(SUBTITLE_ROLE, subtitle)
        item.setData(BADGE_ROLE, badge)
        item.setToolTip(workout.description or workout.name)
        item.setData(Qt.ItemDataRole.AccessibleTextRole,
                     f"{workout.name}, {subtitle}" + (f", {badge}" if badge else ""))

    def _item_for(self, workout_id: str | None) -> QListWidgetItem | None:
        for item in self._items():
            if workout_id is not None and item.data(ID_ROLE) == workout_id:
                return item
        return None

    def _sync_selection(self, workout_id: str | None) -> None:
        self._syncing = True
        try:
            item = self._item_for(workout_id)
            if item is None:
                self.workout_list.setCurrentRow(-1)
            else:
                self.workout_list.setCurrentItem(item)
                self.workout_list.scrollToItem(item)
        finally:
            self._syncing = False

    def _fill_new_menu(self) -> None:
        self.new_menu.clear()
        empty = self.new_menu.addAction("Empty workout")
        empty.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        empty.triggered.connect(self._on_new_clicked)
        templates = [w for w in self._library.all() if w.builtin]
        if templates:
            self.new_menu.addSection("From a template")
            for template in templates:
                action = self.new_menu.addAction(template.name)
                action.setData(template.id)
                action.triggered.connect(self._on_template_action)

    # -- internals --------------------------------------------------------------------------

    def _workout(self, workout_id: str) -> Workout | None:
        if self._draft is not None and self._draft.id == workout_id:
            return self._draft
        return next((w for w in self._library.all() if w.id == workout_id), None)

    def _open(self, workout_id: str) -> None:
        workout = self._workout(workout_id)
        if workout is None:
            self._show_nothing()
            return
        if self._draft is not None and self._draft.id != workout_id:
            self._draft = None  # an untouched or discarded new workout disappears
            self._rebuild_list()
        self.editor.load(workout, is_new=workout is self._draft)
        self.stack.setCurrentWidget(self.editor)
        self._sync_selection(workout_id)

    def _show_nothing(self) -> None:
        self.editor.clear()
        self.stack.setCurrentWidget(self.placeholder)
        self._sync_selection(None)

    def _resolve_unsaved(self) -> bool:
        """Before leaving the current workout: True when it is fine to go on."""
        if not self.editor.is_dirty():
            return True
        name = self.editor.name_edit.text().strip() or "this workout"
        choice = self._asker.ask_save(
            self, "Unsaved changes", f"Save your changes to “{name}” before going on?")
        if choice is SaveChoice.SAVE:
            return self.editor.save()
        if choice is SaveChoice.DISCARD:
            if self.editor.is_new:
                self._draft = None
                self._rebuild_list()
            else:
                self.editor.revert()
            return True
        return False

    def _duplicate(self, source_id: str) -> str | None:
        if not self._resolve_unsaved():
            return None
        source = self._workout(source_id)
        if source is None or (self._draft is not None and source is self._draft):
            return None
        copy = source.duplicated(self._library.unique_copy_name(source.name))
        try:
            self._library.save(copy)
        except WorkoutValidationError as error:
            self._asker.inform(self, "Could not duplicate",
                               f"“{source.name}” cannot be copied: {error}")
            return None
        except OSError as error:
            self._asker.inform(self, "Could not duplicate", f"Saving the copy failed: {error}")
            return None
        self._draft = None
        self._rebuild_list()
        self._open(copy.id)
        self.editor.focus_name()
        return copy.id

    def _unique_new_name(self) -> str:
        taken = {normalised_name(w.name) for w in self._library.all()}
        name, n = NEW_WORKOUT_NAME, 2
        while normalised_name(name) in taken:
            name = f"{NEW_WORKOUT_NAME} {n}"
            n += 1
        return name

    # -- slots ------------------------------------------------------------------------------

    def _on_current_item_changed(self, current: QListWidgetItem | None,
                                 _previous: QListWidgetItem | None) -> None:
        if self._syncing or current is None or current.data(HEADER_ROLE):
            return
        target = current.data(ID_ROLE)
        if not target or target == self.editor.workout_id:
            return
        self.select_workout(str(target))

    def _on_new_clicked(self) -> None:
        self.new_workout()

    def _on_template_action(self) -> None:
        action = self.sender()
        template_id = action.data() if action is not None else None  # type: ignore[attr-defined]
        if template_id:
            self.new_from_template(str(template_id))

    def _on_add_key(self) -> None:
        self.editor.open_picker()

    def _on_delete_key(self) -> None:
        self.delete_current()

    def _on_saved(self, workout_id: str) -> None:
        if self._draft is not None and self._draft.id == workout_id:
            self._draft = None
        self._rebuild_list()
        self._sync_selection(workout_id)

    def _on_editor_changed(self) -> None:
        workout = self.editor.original
        item = self._item_for(self.editor.workout_id)
        if workout is not None and item is not None:
            self._describe_item(item, workout)
