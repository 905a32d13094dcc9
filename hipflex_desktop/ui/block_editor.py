"""One block of a workout as an editable card: movement, its dose, and inline errors.

The card shows only the fields that apply to the movement's kind. Numbers are
typed into line edits that accept up to four digits rather than spin boxes, so
an out-of-range value stays visible and the card can say *why* it is wrong
(the rules come from :meth:`Prescription.validate`) instead of silently clamping.

The fields sit in a :class:`FlowLayout`, so a card is never wider than the
pane it is in: on a narrow pane the fields wrap onto a second row, and the
move and remove buttons stay pinned at the card's top right.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMargins, QPoint, QRect, QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.catalog import Movement
from hipflex_desktop.domain.prescription import FieldError, Kind, Prescription
from hipflex_desktop.domain.workouts import Block
from hipflex_desktop.ui import style
from hipflex_desktop.ui.svg import movement_pixmap

ICON_SIZE = 48
FIELD_WIDTH = 64
# The narrowest a field's column gets: wide enough for a two- or three-line error message.
FIELD_CELL_MIN_WIDTH = 104
FIELD_SPACING = 12
KIND_CHIP_HEIGHT = 20
# The catch-all key for errors that belong to no visible field (e.g. an unknown movement).
GENERAL = "general"


@dataclass(frozen=True)
class FieldSpec:
    """How one prescription attribute is typed in the card."""

    name: str
    label: str
    optional: bool = False  # empty text means "not set" rather than "missing"
    placeholder: str = ""
    tooltip: str = ""


_SPECS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec("sets", "Sets"),
        FieldSpec("reps_min", "Reps from"),
        FieldSpec("reps_max", "Reps to"),
        FieldSpec("top_hold_seconds", "Pause at top (s)", optional=True, placeholder="none",
                  tooltip="Optional: hold each rep at the top for this many seconds."),
        FieldSpec("hold_seconds", "Hold (s)"),
        FieldSpec("brief_hold_min", "Brief holds from (s)", optional=True, placeholder="any",
                  tooltip="Optional: the shortest hold that counts towards the total."),
        FieldSpec("brief_hold_max", "Brief holds to (s)", optional=True, placeholder="any",
                  tooltip="Optional: the longest single hold you aim for."),
        FieldSpec("rounds", "Rounds"),
        FieldSpec("work_seconds", "Work (s)"),
        FieldSpec("interval_rest_seconds", "Rest (s)",
                  tooltip="Rest after each round of work."),
        FieldSpec("side_seconds", "Each side (s)"),
        FieldSpec("transition_seconds", "Switch time (s)",
                  tooltip="Time to change sides before the second side starts."),
        FieldSpec("rest_seconds", "Rest between sets (s)"),
    )
}

# Fields that are plain ints on Prescription: an empty box cannot be passed through.
_NOT_NULLABLE = frozenset({"sets", "transition_seconds", "rest_seconds"})

FIELDS_BY_KIND: dict[Kind, tuple[str, ...]] = {
    Kind.REPS: ("sets", "reps_min", "reps_max", "top_hold_seconds", "rest_seconds"),
    Kind.HOLD: ("sets", "hold_seconds", "brief_hold_min", "brief_hold_max", "rest_seconds"),
    Kind.INTERVAL: ("rounds", "work_seconds", "interval_rest_seconds"),
    Kind.PER_SIDE: ("sets", "side_seconds", "transition_seconds", "rest_seconds"),
}
_ACCUMULATE_ONLY = frozenset({"brief_hold_min", "brief_hold_max"})

HOLD_MODES = (("Single hold", False), ("Total in brief holds", True))


def _short_label(name: str) -> str:
    """The field's label without its unit, for use inside a sentence."""
    return _SPECS[name].label.split(" (")[0]


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


class FlowLayout(QLayout):
    """Lays items out left to right and starts a new row when the next one would not fit.

    Qt has no flow layout of its own. This one reports its height for a given
    width, so a scroll area makes a card taller instead of wider when the pane
    narrows, and it asks only for its widest item as a minimum width. Items in
    a row share their top edge; hidden items take no room.
    """

    def __init__(self, parent: QWidget | None = None, *, h_spacing: int = FIELD_SPACING,
                 v_spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._h_spacing = h_spacing
        self._v_spacing = v_spacing

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        margins: QMargins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place (or just measure) the items in ``rect``; returns the height they need."""
        margins: QMargins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        x, y, row_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            width = item.sizeHint().width()
            if x > area.x() and x + width > area.x() + area.width():
                x = area.x()
                y += row_height + self._v_spacing
                row_height = 0
            height = (item.heightForWidth(width) if item.hasHeightForWidth()
                      else item.sizeHint().height())
            if apply:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
            x += width + self._h_spacing
            row_height = max(row_height, height)
        return y + row_height - rect.y() + margins.bottom()


class BlockEditor(QFrame):
    """A card for one block. Emits :attr:`changed` on every edit.

    Read-only cards (built-in templates) hide every input and show the summary.
    """

    changed = Signal()
    move_up_requested = Signal(QWidget)
    move_down_requested = Signal(QWidget)
    remove_requested = Signal(QWidget)

    def __init__(
        self,
        block: Block,
        movement: Movement | None,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("blockCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._block = block
        self._movement = movement
        self._read_only = read_only
        self._kind = movement.kind if movement else None
        self._fields: dict[str, QLineEdit] = {}
        self._field_labels: dict[str, QLabel] = {}
        self._field_cells: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._shown_errors: list[FieldError] = []

        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 10, 10, 10)
        outer.setSpacing(12)

        self.icon_label = QLabel(self)
        self.icon_label.setFixedSize(ICON_SIZE, ICON_SIZE)
        self.icon_label.setObjectName("blockIcon")
        if movement is not None:
            self.icon_label.setPixmap(
                movement_pixmap(movement.icon or f"{movement.id}.svg", ICON_SIZE,
                                self.devicePixelRatioF())
            )
        outer.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)

        body = QVBoxLayout()
        body.setSpacing(4)
        outer.addLayout(body, 1)

        # The name takes the spare width and wraps rather than push the buttons out; the
        # kind chip and the buttons stay pinned at the top right whatever the name's length.
        header = QHBoxLayout()
        header.setSpacing(8)
        self.position_label = QLabel(self)
        self.position_label.setObjectName("blockPosition")
        header.addWidget(self.position_label, 0, Qt.AlignmentFlag.AlignTop)
        # An unknown id is one long "word"; let it break after its hyphens.
        name = movement.name if movement else block.movement_id.replace("-", "-\u200b")
        self.name_label = QLabel(name, self)
        self.name_label.setObjectName("blockName")
        self.name_label.setWordWrap(True)
        header.addWidget(self.name_label, 1, Qt.AlignmentFlag.AlignTop)
        self.kind_label = QLabel(self._kind.label if self._kind else "unknown", self)
        self.kind_label.setObjectName("kindChip")
        colour = style.KIND_COLOURS.get(self._kind.value if self._kind else "", style.MUTED)
        self.kind_label.setStyleSheet(
            f"QLabel#kindChip {{ color: {colour}; border: 1px solid {colour}; }}"
        )
        # Tall enough for the style sheet's rounded ends (Qt drops a radius over half the height).
        self.kind_label.setFixedHeight(KIND_CHIP_HEIGHT)
        header.addWidget(self.kind_label, 0, Qt.AlignmentFlag.AlignTop)
        self.up_button = self._tool_button("▲", "Move up (Alt+Up)")
        self.down_button = self._tool_button("▼", "Move down (Alt+Down)")
        self.remove_button = self._tool_button("✕", "Remove this exercise")
        self.remove_button.setObjectName("removeBlock")
        for button in (self.up_button, self.down_button, self.remove_button):
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            button.setVisible(not read_only)
            button.setEnabled(not read_only)
        self.up_button.clicked.connect(self._request_up)
        self.down_button.clicked.connect(self._request_down)
        self.remove_button.clicked.connect(self._request_remove)
        body.addLayout(header)

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("blockSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        body.addWidget(self.summary_label)

        note = " ".join(n for n in (block.prescription.note, block.note) if n)
        self.note_label = QLabel(note, self)
        self.note_label.setObjectName("muted")
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))
        body.addWidget(self.note_label)

        self.form = QWidget(self)
        self.form.setObjectName("blockForm")
        self._flow = FlowLayout(self.form)
        self._flow.setContentsMargins(0, 4, 0, 0)
        body.addWidget(self.form)

        self.hold_mode = QComboBox(self.form)
        self.hold_mode.setObjectName("holdMode")
        for mode_text, accumulate in HOLD_MODES:
            self.hold_mode.addItem(mode_text, accumulate)
        self.hold_mode.setCurrentIndex(1 if block.prescription.accumulate else 0)
        self.hold_mode.setAccessibleName("Hold target")
        self.hold_mode.setToolTip(
            "One hold per set, or a total time built from several brief holds."
        )
        if self._kind is Kind.HOLD:
            mode_label = QLabel("Target", self.form)
            mode_label.setObjectName("fieldLabel")
            self._flow.addWidget(self._cell(mode_label, self.hold_mode, None))
        else:
            self.hold_mode.hide()
        self.hold_mode.currentIndexChanged.connect(self._on_edited)

        validator = QRegularExpressionValidator(QRegularExpression(r"\d{0,4}"), self)
        for name in FIELDS_BY_KIND.get(self._kind, ()) if self._kind else ():
            spec = _SPECS[name]
            label = QLabel(spec.label, self.form)
            label.setObjectName("fieldLabel")
            edit = QLineEdit(_text(getattr(block.prescription, name)), self.form)
            edit.setObjectName(f"field_{name}")
            edit.setValidator(validator)
            edit.setFixedWidth(FIELD_WIDTH)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setPlaceholderText(spec.placeholder)
            edit.setToolTip(spec.tooltip)
            edit.setAccessibleName(spec.label)
            label.setBuddy(edit)
            error = QLabel(self.form)
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            cell = self._cell(label, edit, error)
            self._flow.addWidget(cell)
            edit.textEdited.connect(self._on_edited)
            self._fields[name] = edit
            self._field_labels[name] = label
            self._field_cells[name] = cell
            self._errors[name] = error

        self.general_error = QLabel(self)
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        body.addWidget(self.general_error)
        self._errors[GENERAL] = self.general_error

        if read_only:
            self.form.setEnabled(False)
            self.form.hide()
        self._sync_hold_mode()

        for keys, slot in (
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Up), self._request_up),
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Down), self._request_down),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setEnabled(not read_only)
            shortcut.activated.connect(slot)

        self.revalidate()

    # -- construction helpers -------------------------------------------------------------

    def _cell(self, label: QLabel, editor: QWidget, error: QLabel | None) -> QWidget:
        """One field's column: caption, input and (when wrong) the reason below it.

        The column is as wide as its caption or input, but never narrower than
        :data:`FIELD_CELL_MIN_WIDTH`, so a message wraps inside it and showing one
        makes the row taller without moving any field sideways.
        """
        cell = QWidget(self.form)
        cell.setObjectName("fieldCell")
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(label)
        column.addWidget(editor, 0, Qt.AlignmentFlag.AlignLeft)
        if error is not None:
            # Ignored: the message takes the column's width instead of widening it.
            error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
            column.addWidget(error)
        column.addStretch(1)
        cell.setMinimumWidth(FIELD_CELL_MIN_WIDTH)
        return cell

    def _tool_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setAutoRaise(True)
        return button

    # -- queries ------------------------------------------------------------------------------

    @property
    def movement(self) -> Movement | None:
        return self._movement

    @property
    def read_only(self) -> bool:
        return self._read_only

    def field(self, name: str) -> QLineEdit:
        """The line edit for a prescription attribute (raises KeyError if not shown)."""
        return self._fields[name]

    def field_label(self, name: str) -> QLabel:
        """The caption above a field (raises KeyError if the card has no such field)."""
        return self._field_labels[name]

    def field_names(self) -> tuple[str, ...]:
        return tuple(self._fields)

    def visible_field_names(self) -> tuple[str, ...]:
        return tuple(n for n in self._fields if self._field_applies(n))

    def error_label(self, name: str) -> QLabel:
        return self._errors[name]

    def error_text(self, name: str) -> str:
        label = self._errors.get(name)
        return label.text() if label is not None and not label.isHidden() else ""

    def accumulates(self) -> bool:
        return self._kind is Kind.HOLD and bool(self.hold_mode.currentData())

    def input_widgets(self) -> list[QWidget]:
        """Every focusable input in tab order (used to chain the page's tab order)."""
        widgets: list[QWidget] = []
        if self._kind is Kind.HOLD:
            widgets.append(self.hold_mode)
        widgets.extend(self._fields.values())
        widgets.extend((self.up_button, self.down_button, self.remove_button))
        return widgets

    def first_input(self) -> QWidget | None:
        if self._read_only:
            return None
        if self._kind is Kind.HOLD:
            return self.hold_mode
        return next(iter(self._fields.values()), self.up_button)

    def raw_state(self) -> tuple[object, ...]:
        """What the user typed, for "has anything changed?" checks."""
        return (
            self._block.movement_id,
            self.accumulates(),
            tuple((name, edit.text()) for name, edit in self._fields.items()),
        )

    def _field_applies(self, name: str) -> bool:
        return name not in _ACCUMULATE_ONLY or self.accumulates()

    def _parse(self) -> tuple[Prescription, list[FieldError]]:
        """The prescription as typed, plus errors the domain cannot see (empty boxes)."""
        changes: dict[str, object] = {}
        missing: list[FieldError] = []
        for name, edit in self._fields.items():
            text = edit.text().strip()
            if not self._field_applies(name):
                changes[name] = None
            elif text.isdigit():
                changes[name] = int(text)
            elif text:
                missing.append(FieldError(name, f"{_short_label(name)} must be a whole number."))
            elif name in _NOT_NULLABLE:
                missing.append(FieldError(name, f"{_short_label(name)} is required."))
            else:
                changes[name] = None
        if self._kind is Kind.HOLD:
            changes["accumulate"] = self.accumulates()
        return self._block.prescription.with_changes(**changes), missing

    def block(self) -> Block:
        """The block as currently typed (may be invalid; check :meth:`errors`)."""
        prescription, _ = self._parse()
        return Block(
            movement_id=self._block.movement_id,
            prescription=prescription,
            fallback_movement_id=self._block.fallback_movement_id,
            note=self._block.note,
        )

    def errors(self) -> list[FieldError]:
        if self._kind is None:
            return [FieldError("movement_id", f"Unknown exercise '{self._block.movement_id}'.")]
        prescription, missing = self._parse()
        blank = {e.field for e in missing}
        return missing + [e for e in prescription.validate(self._kind) if e.field not in blank]

    # -- updates ------------------------------------------------------------------------------

    def set_position(self, index: int, count: int) -> None:
        self.position_label.setText(f"{index + 1}.")
        self.up_button.setEnabled(not self._read_only and index > 0)
        self.down_button.setEnabled(not self._read_only and index < count - 1)
        name = self._movement.name if self._movement else self._block.movement_id
        self.setAccessibleName(f"Exercise {index + 1} of {count}: {name}")

    def revalidate(self) -> list[FieldError]:
        """Recheck every field, show the messages, and refresh the summary line."""
        errors = self.errors()
        self.show_errors(errors)
        if self._kind is None:
            self.summary_label.setText("This exercise is not in the library any more.")
        elif errors:
            self.summary_label.setText("Fix the values marked in red.")
        else:
            self.summary_label.setText(self.block().prescription.summary(self._kind))
        self.summary_label.setProperty("invalid", bool(errors))
        _repolish(self.summary_label)
        return errors

    def show_errors(self, errors: list[FieldError]) -> None:
        """Put each message under its field; anything without a visible field goes below."""
        self._shown_errors = list(errors)
        by_field: dict[str, list[str]] = {}
        visible = set(self.visible_field_names())
        for error in errors:
            key = error.field if error.field in visible and not self._read_only else GENERAL
            by_field.setdefault(key, []).append(error.message)
        for name, label in self._errors.items():
            messages = by_field.get(name, [])
            label.setText("\n".join(dict.fromkeys(messages)))
            label.setVisible(bool(messages))
            edit = self._fields.get(name)
            if edit is not None:
                edit.setProperty("invalid", bool(messages))
                _repolish(edit)

    def _sync_hold_mode(self) -> None:
        accumulate = self.accumulates()
        for name in _ACCUMULATE_ONLY & set(self._fields):
            # A hidden cell takes no room in the flow, so the row closes up.
            self._field_cells[name].setVisible(accumulate)
            self._errors[name].hide()  # show_errors() brings it back if needed
        if "hold_seconds" in self._field_labels:
            label = "Total (s)" if accumulate else "Hold (s)"
            self._field_labels["hold_seconds"].setText(label)
            self._fields["hold_seconds"].setAccessibleName(label)

    # -- slots --------------------------------------------------------------------------------

    def _on_edited(self) -> None:
        self._sync_hold_mode()
        self.revalidate()
        self.changed.emit()

    def _request_up(self) -> None:
        if self.up_button.isEnabled():
            self.move_up_requested.emit(self)

    def _request_down(self) -> None:
        if self.down_button.isEnabled():
            self.move_down_requested.emit(self)

    def _request_remove(self) -> None:
        if not self._read_only:
            self.remove_requested.emit(self)


def _repolish(widget: QWidget) -> None:
    """Re-apply style sheets after a dynamic property such as ``invalid`` changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
