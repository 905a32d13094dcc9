"""Pieces of the History page: the session and entry table models, the entry editor.

The session model holds one precomputed :class:`~hipflex_desktop.store.coaching.SessionRow`
per session and formats only the rows the view asks for, so ten years (about 2,000
rows) scroll as fast as ten. The entry editor checks every field as it is typed and
says what is wrong next to the field; Save stays disabled until the form is valid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.history import Entry, EntryKind, Side
from hipflex_desktop.domain.progress import (
    LocalTime,
    format_day,
    format_duration,
    format_number,
    is_warmup,
    system_local_time,
)
from hipflex_desktop.store.coaching import SessionRow
from hipflex_desktop.ui import style

ModelIndex = QModelIndex | QPersistentModelIndex
SESSION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2

REPS_RANGE = (0, 1000)
LOAD_RANGE = (0.0, 1000.0)
RPE_RANGE = (1.0, 10.0)
SECONDS_RANGE = (0.0, 36000.0)
DASH = "—"

SOURCE_NAMES = {
    "app": "",
    "strong-csv": "Imported from a Strong CSV file",
    "hevy-csv": "Imported from a Hevy CSV file",
    "json": "Restored from a Hipflex backup",
}


# --- text for people ---------------------------------------------------------------------------


def session_duration_text(seconds: float | None) -> str:
    """``45 s``, ``32 min``, ``1 h 05 min``; a dash when the end is unknown."""
    if seconds is None:
        return DASH
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min"


def clock_text(timestamp: float, to_local: LocalTime) -> str:
    moment = to_local(timestamp)
    return f"{moment.hour:02d}:{moment.minute:02d}"


def when_text(timestamp: float, to_local: LocalTime) -> str:
    """``Tue 3 Mar 2026, 18:05`` in local time."""
    return f"{format_day(to_local(timestamp).date())}, {clock_text(timestamp, to_local)}"


def load_text(load: float, unit: str | None) -> str:
    return f"{format_number(load, 2)} {unit or 'kg'}"


def side_label(side: Side | None) -> str:
    return {Side.LEFT: "Left", Side.RIGHT: "Right"}.get(side, "Side") if side else "Side"


def entry_result_text(entry: Entry) -> str:
    """What one set achieved, in the words of its kind."""
    if entry.kind is EntryKind.REP_SET:
        text = f"{entry.reps or 0} rep{'s' if entry.reps != 1 else ''}"
        if entry.load:
            text += f" × {load_text(entry.load, entry.unit)}"
        if entry.duration_s:
            text += f" · {format_duration(entry.duration_s)}"
        if entry.distance:
            text += f" · {format_number(entry.distance, 2)} {entry.distance_unit or 'm'}"
        return text
    if entry.kind is EntryKind.HOLD:
        total = format_duration(entry.duration_s or 0.0)
        if len(entry.holds_s) > 1:
            singles = " + ".join(format_number(h) for h in entry.holds_s)
            return f"{total} in {len(entry.holds_s)} holds ({singles} s)"
        return f"{total} hold"
    if entry.kind is EntryKind.INTERVAL_ROUND:
        work = format_duration(entry.work_s or 0.0)
        if entry.planned_s:
            return f"{work} of {format_duration(entry.planned_s)} work"
        return f"{work} work"
    return f"{side_label(entry.side)} · {format_duration(entry.duration_s or 0.0)}"


def set_label(entry: Entry) -> str:
    if is_warmup(entry):
        return "Warm-up"
    label = f"Set {entry.set_index + 1}"
    if entry.set_type in ("drop", "failure"):
        label += f" ({entry.set_type})"
    return label


# --- the session list --------------------------------------------------------------------------


class SessionTableModel(QAbstractTableModel):
    """Sessions newest first: date, workout, duration, sets, total reps, longest hold."""

    HEADERS = ("Date", "Workout", "Duration", "Sets", "Reps", "Longest hold")
    NUMERIC = frozenset({2, 3, 4, 5})

    def __init__(self, parent: QWidget | None = None, *,
                 to_local: LocalTime = system_local_time) -> None:
        super().__init__(parent)
        self._rows: list[SessionRow] = []
        self._to_local = to_local
        self._muted = QColor(style.MUTED)

    # -- contents -------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[SessionRow]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=_newest_first)
        self.endResetModel()

    def rows(self) -> list[SessionRow]:
        return list(self._rows)

    def row_of(self, session_id: str) -> int | None:
        for index, row in enumerate(self._rows):
            if row.id == session_id:
                return index
        return None

    def session_row(self, index: int) -> SessionRow:
        return self._rows[index]

    def put(self, row: SessionRow) -> int:
        """Insert or replace one session's row, keeping the order; returns its row number."""
        existing = self.row_of(row.id)
        if existing is not None:
            if _newest_first(self._rows[existing]) == _newest_first(row):
                self._rows[existing] = row
                self.dataChanged.emit(self.index(existing, 0),
                                      self.index(existing, len(self.HEADERS) - 1))
                return existing
            self.remove(row.id)
        position = 0
        key = _newest_first(row)
        while position < len(self._rows) and _newest_first(self._rows[position]) < key:
            position += 1
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self.endInsertRows()
        return position

    def remove(self, session_id: str) -> None:
        index = self.row_of(session_id)
        if index is not None:
            self.beginRemoveRows(QModelIndex(), index, index)
            del self._rows[index]
            self.endRemoveRows()

    # -- Qt model API -----------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _alignment(section in self.NUMERIC)
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SESSION_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column in self.NUMERIC)
        if role == Qt.ItemDataRole.ForegroundRole and self._text(row, column) == DASH:
            return self._muted
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ", ".join(f"{h} {self._text(row, c)}" for c, h in enumerate(self.HEADERS))
        return None

    def _text(self, row: SessionRow, column: int) -> str:
        session = row.session
        if column == 0:
            return when_text(session.started_at, self._to_local)
        if column == 1:
            return session.workout_name or "Session"
        if column == 2:
            return session_duration_text(session.duration_s)
        if column == 3:
            return str(row.sets) if row.sets or not row.warmups else f"0 (+{row.warmups} warm-up)"
        if column == 4:
            return str(row.total_reps) if row.total_reps else DASH
        if row.longest_hold_s is None:
            return DASH
        return format_duration(row.longest_hold_s)

    def _tooltip(self, row: SessionRow) -> str:
        parts = []
        source = SOURCE_NAMES.get(row.session.source, "")
        if source:
            parts.append(source)
        if row.warmups:
            parts.append(f"{row.warmups} warm-up set{'s' if row.warmups != 1 else ''} not counted")
        if row.session.notes:
            parts.append(row.session.notes)
        return "\n".join(parts)


def _newest_first(row: SessionRow) -> tuple[float, str]:
    return (-row.session.started_at, _reverse(row.session.id))


def _reverse(text: str) -> str:
    """A key that sorts strings in reverse order (ties of start time, newest id first)."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _alignment(numeric: bool) -> int:
    horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


# --- one session's entries ---------------------------------------------------------------------


class EntryTableModel(QAbstractTableModel):
    """A session's entries in logged order, under a heading row per run of one exercise.

    Columns: set, result, RPE, note. A heading row (``is_heading``) names the
    exercise; the view spans it across the columns, and it cannot be selected, so
    the keyboard moves from set to set.
    """

    HEADERS = ("Set", "Result", "RPE", "Note")
    RPE_COLUMN = 2
    NOTE_COLUMN = 3

    def __init__(self, name_of: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []
        self._rows: list[Entry | str] = []  # an entry, or the exercise id of a heading
        self._name_of = name_of
        self._muted = QColor(style.MUTED)
        self._heading_font = QFont()
        self._heading_font.setWeight(QFont.Weight.DemiBold)

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._rows = []
        previous: str | None = None
        for entry in self._entries:
            if entry.exercise_id != previous:
                self._rows.append(entry.exercise_id)
                previous = entry.exercise_id
            self._rows.append(entry)
        self.endResetModel()

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def is_heading(self, row: int) -> bool:
        return isinstance(self._rows[row], str)

    def entry_at(self, row: int) -> Entry | None:
        found = self._rows[row] if 0 <= row < len(self._rows) else None
        return found if isinstance(found, Entry) else None

    def row_of(self, entry_id: str) -> int | None:
        for index, row in enumerate(self._rows):
            if isinstance(row, Entry) and row.id == entry_id:
                return index
        return None

    def first_entry_row(self) -> int | None:
        return next((i for i, row in enumerate(self._rows) if isinstance(row, Entry)), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if index.isValid() and self.is_heading(index.row()):
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if isinstance(row, str):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self._name_of(row) if column == 0 else ""
            if role == Qt.ItemDataRole.FontRole:
                return self._heading_font
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(style.INK)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == ENTRY_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and is_warmup(row):
            return self._muted
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._text(row, column) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._name_of(row.exercise_id)}, {set_label(row)}, " \
                   f"{entry_result_text(row)}"
        return None

    def _text(self, entry: Entry, column: int) -> str:
        if column == 0:
            return set_label(entry)
        if column == 1:
            return entry_result_text(entry)
        if column == self.RPE_COLUMN:
            return format_number(entry.rpe) if entry.rpe is not None else ""
        return entry.note


# --- editing one entry -------------------------------------------------------------------------

# Field keys of the editor, also the keys of its error messages.
REPS, LOAD, RPE, NOTE = "reps", "load", "rpe", "note"
DURATION, HOLDS, WORK, PLANNED = "duration", "holds", "work", "planned"

_HOLD_SEPARATORS = re.compile(r"\s*[+;]\s*|,\s+|\s+")
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")


def parse_number(text: str) -> float | None:
    """A decimal number; a comma works as the decimal mark too (``8,5``)."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned or not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        return None
    return float(cleaned)


def parse_seconds(text: str) -> float | None:
    """Seconds as ``75``, ``75.5``, ``1:15`` or ``1:02:03``."""
    match = _CLOCK.fullmatch(text.strip())
    if match:
        hours = int(match.group(1) or 0)
        minutes = int(match.group(2))
        seconds = float(match.group(3).replace(",", "."))
        if seconds >= 60 or (match.group(1) and minutes >= 60):
            return None
        return hours * 3600 + minutes * 60 + seconds
    return parse_number(text)


def _seconds_error(value: float | None, what: str) -> str:
    low, high = SECONDS_RANGE
    if value is None:
        return f"Enter {what} in seconds, e.g. 45 or 1:15."
    if not low <= value <= high:
        return f"{what.capitalize()} must be from 0 to {int(high):,} s (10 hours)."
    return ""


@dataclass(frozen=True)
class EntryForm:
    """The editor's fields as typed (text), plus the choices."""

    reps: str = ""
    load: str = ""
    unit: str = "kg"
    rpe: str = ""
    note: str = ""
    duration: str = ""
    holds: str = ""
    work: str = ""
    planned: str = ""
    side: Side | None = None
    warmup: bool = False

    @classmethod
    def of(cls, entry: Entry) -> EntryForm:
        def seconds(value: float | None) -> str:
            return "" if value is None else format_number(value, 2)

        return cls(
            reps="" if entry.reps is None else str(entry.reps),
            load="" if entry.load is None else format_number(entry.load, 3),
            unit=entry.unit or "kg",
            rpe="" if entry.rpe is None else format_number(entry.rpe),
            note=entry.note,
            duration=seconds(entry.duration_s),
            holds=" + ".join(format_number(h, 2) for h in entry.holds_s),
            work=seconds(entry.work_s),
            planned=seconds(entry.planned_s),
            side=entry.side,
            warmup=entry.warmup,
        )


def apply_form(entry: Entry, form: EntryForm) -> tuple[Entry | None, dict[str, str]]:
    """The edited entry, or None and one message per wrong field."""
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {"note": form.note.strip(), "warmup": form.warmup}
    if not form.warmup and entry.set_type == "warmup":
        changes["set_type"] = "normal"  # an imported warm-up made a working set
    if entry.kind is EntryKind.REP_SET:
        reps = parse_number(form.reps)
        if reps is None or reps != int(reps):
            errors[REPS] = "Enter the reps as a whole number."
        elif not REPS_RANGE[0] <= reps <= REPS_RANGE[1]:
            errors[REPS] = f"Reps must be from {REPS_RANGE[0]} to {REPS_RANGE[1]}."
        else:
            changes["reps"] = int(reps)
        if form.load.strip():
            load = parse_number(form.load)
            if load is None:
                errors[LOAD] = "Enter the load as a number, e.g. 2.5 (0 for bodyweight)."
            elif not LOAD_RANGE[0] <= load <= LOAD_RANGE[1]:
                errors[LOAD] = f"Load must be from 0 to {int(LOAD_RANGE[1])} {form.unit}."
            else:
                changes["load"] = load
        else:
            changes["load"] = 0.0
        changes["unit"] = form.unit
        if form.rpe.strip():
            rpe = parse_number(form.rpe)
            if rpe is None or not RPE_RANGE[0] <= rpe <= RPE_RANGE[1]:
                errors[RPE] = "RPE is from 1 to 10, or leave it empty."
            else:
                changes["rpe"] = rpe
        else:
            changes["rpe"] = None
    elif entry.kind is EntryKind.HOLD and (entry.holds_s or form.holds.strip()):
        parts = [p for p in _HOLD_SEPARATORS.split(form.holds.strip()) if p]
        holds = [parse_seconds(p) for p in parts]
        if not parts:
            errors[HOLDS] = "List at least one hold, e.g. 12 + 15 + 8."
        elif any(h is None for h in holds):
            errors[HOLDS] = "Write each hold in seconds, separated by +, e.g. 12 + 15 + 8."
        else:
            singles = tuple(float(h or 0.0) for h in holds)
            if any(not SECONDS_RANGE[0] <= h <= SECONDS_RANGE[1] for h in singles) or (
                sum(singles) > SECONDS_RANGE[1]
            ):
                errors[HOLDS] = "Each hold, and their total, must be from 0 to 36,000 s (10 hours)."
            changes["holds_s"] = singles
            changes["duration_s"] = sum(singles)
    elif entry.kind in (EntryKind.HOLD, EntryKind.PER_SIDE):
        duration = parse_seconds(form.duration)
        problem = _seconds_error(duration, "the time")
        if problem:
            errors[DURATION] = problem
        else:
            changes["duration_s"] = duration
        if entry.kind is EntryKind.PER_SIDE:
            changes["side"] = form.side or entry.side
    else:
        work = parse_seconds(form.work)
        problem = _seconds_error(work, "the work done")
        if problem:
            errors[WORK] = problem
        else:
            changes["work_s"] = work
        if form.planned.strip():
            planned = parse_seconds(form.planned)
            problem = _seconds_error(planned, "the planned time")
            if problem:
                errors[PLANNED] = problem
            else:
                changes["planned_s"] = planned
        else:
            changes["planned_s"] = None
    if errors:
        return None, errors
    return replace(entry, **changes), {}


EDITOR_STYLE = f"""
QLineEdit[invalid="true"] {{
    border: 1px solid {style.ERROR}; border-radius: 3px; background: #fdecea;
}}
QLabel#fieldError {{ color: {style.ERROR}; font-size: 11px; }}
"""


class EntryEditDialog(QDialog):
    """Edit one logged set; the fields follow the entry's kind.

    ``edited_entry()`` is the result after ``accept``; errors show beside their
    fields as they are typed, and Save stays disabled until all are right.
    """

    def __init__(self, entry: Entry, exercise_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit set")
        self.setObjectName("entryEditor")
        self.setStyleSheet(EDITOR_STYLE)
        self.setModal(True)
        self._entry = entry
        self._result: Entry | None = None
        form = EntryForm.of(entry)
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}

        title = QLabel(f"{exercise_name} · {set_label(entry)}", self)
        title.setObjectName("sectionTitle")
        hint = QLabel("Saved to your history at once; Undo (Ctrl+Z) on the History page "
                      "takes it back.", self)
        hint.setObjectName("muted")
        hint.setWordWrap(True)

        self._layout = QFormLayout()
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.unit_box: QComboBox | None = None
        self.side_box: QComboBox | None = None
        kind = entry.kind
        if kind is EntryKind.REP_SET:
            self._add_field(REPS, "Reps", form.reps, "0 to 1000")
            self._add_field(LOAD, "Added load", form.load, "0 for bodyweight")
            self.unit_box = QComboBox(self)
            self.unit_box.addItems(["kg", "lb"])
            self.unit_box.setCurrentText("lb" if form.unit in ("lb", "lbs") else "kg")
            self.unit_box.setAccessibleName("Load unit")
            self.unit_box.currentIndexChanged.connect(self._validate)
            self._layout.addRow("Unit", self.unit_box)
            self._add_field(RPE, "RPE", form.rpe, "1 to 10, or empty")
        elif kind is EntryKind.HOLD and entry.holds_s:
            self._add_field(HOLDS, "Single holds (s)", form.holds, "e.g. 12 + 15 + 8")
        elif kind in (EntryKind.HOLD, EntryKind.PER_SIDE):
            if kind is EntryKind.PER_SIDE:
                self.side_box = QComboBox(self)
                self.side_box.addItem("Left", Side.LEFT)
                self.side_box.addItem("Right", Side.RIGHT)
                self.side_box.setCurrentIndex(0 if form.side is not Side.RIGHT else 1)
                self.side_box.setAccessibleName("Side")
                self._layout.addRow("Side", self.side_box)
            self._add_field(DURATION, "Time (s)", form.duration, "e.g. 45 or 1:15")
        else:
            self._add_field(WORK, "Work done (s)", form.work, "e.g. 30")
            self._add_field(PLANNED, "Planned (s)", form.planned, "optional")
        self._add_field(NOTE, "Note", form.note, "optional")
        self.warmup_box = QCheckBox("Warm-up set (not counted in progress)", self)
        self.warmup_box.setChecked(form.warmup or entry.set_type == "warmup")
        self.warmup_box.toggled.connect(self._validate)
        self._layout.addRow("", self.warmup_box)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(6)
        layout.addLayout(self._layout)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        first = next(iter(self.fields.values()))
        first.setFocus()
        first.selectAll()
        self._validate()

    def _add_field(self, key: str, label: str, value: str, placeholder: str) -> None:
        edit = QLineEdit(value, self)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(label)
        edit.setObjectName(f"field_{key}")
        edit.textChanged.connect(self._validate)
        error = QLabel(self)
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(edit)
        box.addWidget(error)
        self._layout.addRow(label, box)
        self.fields[key] = edit
        self.errors[key] = error

    def form(self) -> EntryForm:
        def text(key: str) -> str:
            edit = self.fields.get(key)
            return edit.text() if edit is not None else ""

        return EntryForm(
            reps=text(REPS), load=text(LOAD),
            unit=self.unit_box.currentText() if self.unit_box is not None else "kg",
            rpe=text(RPE), note=text(NOTE), duration=text(DURATION), holds=text(HOLDS),
            work=text(WORK), planned=text(PLANNED),
            side=self.side_box.currentData() if self.side_box is not None else None,
            warmup=self.warmup_box.isChecked(),
        )

    def error_texts(self) -> dict[str, str]:
        return {k: label.text() for k, label in self.errors.items() if not label.isHidden()}

    def _validate(self) -> None:
        edited, errors = apply_form(self._entry, self.form())
        for key, label in self.errors.items():
            message = errors.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))
            field = self.fields[key]
            if field.property("invalid") != bool(message):
                field.setProperty("invalid", bool(message))
                field.style().unpolish(field)
                field.style().polish(field)
        self.save_button.setEnabled(edited is not None)
        self._result = edited

    def _on_save(self) -> None:
        self._validate()
        if self._result is not None:
            self.accept()

    def edited_entry(self) -> Entry | None:
        """The entry as edited (None while the form has errors)."""
        return self._result

    def changed(self) -> bool:
        return self._result is not None and self._result != self._entry

