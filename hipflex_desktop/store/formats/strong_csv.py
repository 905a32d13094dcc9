"""Strong CSV exports: all three layouts in, the newest layout out.

Layouts read (columns are found by name, so their order does not matter):

1. comma: ``Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,
   Distance,Seconds,Notes,Workout Notes,RPE`` with durations like ``1h 5m``;
   the weight unit is not in the file, so the caller says which (default kg);
2. older semicolon: ``Weight Unit`` and ``Distance Unit`` columns per row;
3. newest semicolon: ``Workout #;Date;Workout Name;Duration (sec);Exercise Name;
   Set Order;Weight (kg);Reps;RPE;Distance (meters);Seconds;Notes;Workout Notes``
   (or ``Weight (lb)``).

Quirks handled: UTF-8 BOM, CRLF, quoted fields holding delimiters and line
breaks, decimal commas (``8,5``), ``W``/``D``/``F`` in Set Order (warm-up, drop
set, failure), ``Rest Timer`` rows (rest, not sets: skipped and counted), holds
logged as Seconds with Reps 0, and dates ``YYYY-MM-DD HH:MM:SS`` (or with
AM/PM) in the exporting phone's local time.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from hipflex_desktop.domain.history import CustomExercise, Entry, EntryKind, Session
from hipflex_desktop.store.formats.aliases import display_name, exercise_id_for, normalise_name
from hipflex_desktop.store.formats.common import (
    FORMAT_STRONG_CSV,
    KG_PER_LB,
    METRES_PER_UNIT,
    Columns,
    CsvRow,
    ExportData,
    HistoryImportError,
    ImportBatch,
    count_cell,
    decode_text,
    format_number,
    from_timestamp,
    number_cell,
    parse_number,
    read_csv,
    sniff_delimiter,
    stable_id,
    text_cell,
    to_timestamp,
)

NEWEST_HEADER = (
    "Workout #",
    "Date",
    "Workout Name",
    "Duration (sec)",
    "Exercise Name",
    "Set Order",
    "Weight (kg)",
    "Reps",
    "RPE",
    "Distance (meters)",
    "Seconds",
    "Notes",
    "Workout Notes",
)

MAX_DURATION_S = 30 * 24 * 3600

_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:[ \u202f\u00a0]?([AaPp][Mm]))?$"
)
_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|min|m|sec|s)\b", re.IGNORECASE)


def looks_like_strong(names: list[str]) -> bool:
    folded = {n.casefold() for n in names}
    return {"date", "exercise name", "set order"} <= folded


def parse_local_datetime(text: str) -> datetime:
    """``2024-01-05 18:30:00`` (seconds optional, AM/PM allowed). Raises ValueError."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(text)
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    meridiem = (match.group(7) or "").casefold()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if not 1900 <= year <= 2200:
        raise ValueError(text)
    return datetime(year, month, day, hour, minute, second)


def parse_duration(text: str) -> float | None:
    """``3600``, ``1h 5m``, ``45m``, ``1h 5m 3s`` -> seconds; empty -> None. Raises ValueError."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        seconds = float(cleaned.replace(",", "."))
    except ValueError:
        seconds = -1.0
        position = 0
        total = 0.0
        for part in _DURATION_PART.finditer(cleaned):
            if cleaned[position : part.start()].strip():
                raise ValueError(text) from None
            amount = float(part.group(1).replace(",", "."))
            unit = part.group(2).casefold()
            total += amount * (3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1)
            position = part.end()
        if position == 0 or cleaned[position:].strip():
            raise ValueError(text) from None
        seconds = total
    if not 0 <= seconds <= MAX_DURATION_S:
        raise ValueError(text)
    return seconds


def _normalise_unit(text: str) -> str | None:
    folded = text.strip().casefold().rstrip(".")
    return {
        "kg": "kg",
        "kgs": "kg",
        "lb": "lb",
        "lbs": "lb",
        "m": "m",
        "meters": "m",
        "metres": "m",
        "km": "km",
        "mi": "mi",
        "miles": "mi",
    }.get(folded)


@dataclass
class _SessionBuilder:
    key: tuple[str, str, str]
    line: int
    started_at: float
    name: str
    duration_s: float | None
    notes: str = ""
    rows: list[tuple[CsvRow, list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class _Layout:
    description: str
    weight: int | None
    weight_unit_header: str | None  # from "Weight (kg)" style headers
    weight_unit_column: int | None
    distance: int | None
    distance_unit_header: str | None
    distance_unit_column: int | None


def _layout(columns: Columns, delimiter: str) -> _Layout:
    weight = columns.find("Weight (kg)", "Weight (lb)", "Weight (lbs)", "Weight")
    weight_unit_header = None
    if weight is not None:
        match = re.search(r"\((\w+)\)", columns.names[weight])
        weight_unit_header = _normalise_unit(match.group(1)) if match else None
    distance = columns.find(
        "Distance (meters)", "Distance (m)", "Distance (km)", "Distance (mi)", "Distance"
    )
    distance_unit_header = None
    if distance is not None:
        match = re.search(r"\((\w+)\)", columns.names[distance])
        distance_unit_header = _normalise_unit(match.group(1)) if match else None
    if columns.has("Workout #") or columns.has("Duration (sec)"):
        description = "Strong CSV, newest layout (semicolons, Workout #)"
    elif columns.has("Weight Unit"):
        description = "Strong CSV, older semicolon layout with unit columns"
    else:
        description = "Strong CSV, comma layout"
    if delimiter == "," and "comma" not in description:
        description += " (comma-separated)"
    return _Layout(
        description,
        weight,
        weight_unit_header,
        columns.find("Weight Unit"),
        distance,
        distance_unit_header,
        columns.find("Distance Unit"),
    )


def _present(position: int | None) -> int:
    assert position is not None  # checked just before
    return position


def parse_strong_csv(
    data: bytes, *, default_unit: str = "kg", tz: tzinfo | None = None
) -> ImportBatch:
    """Read a Strong export. ``default_unit`` is used only when the file names no unit."""
    if default_unit not in ("kg", "lb"):
        raise ValueError("default_unit must be 'kg' or 'lb'")
    text = decode_text(data)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter = sniff_delimiter(first_line, looks_like_strong)
    rows = iter(read_csv(text, delimiter))
    header = next(rows, None)
    if header is None:
        raise HistoryImportError("the file is empty", line=1)
    columns = Columns(header.fields)
    layout = _layout(columns, delimiter)
    required = {
        "Date": columns.find("Date"),
        "Exercise Name": columns.find("Exercise Name"),
        "Set Order": columns.find("Set Order"),
    }
    for name, position in required.items():
        if position is None:
            raise HistoryImportError(f"the header has no '{name}' column", line=header.line)
    date_col, exercise_col, order_col = (
        _present(required["Date"]),
        _present(required["Exercise Name"]),
        _present(required["Set Order"]),
    )
    number_col = columns.find("Workout #")
    name_col = columns.find("Workout Name")
    duration_col = columns.find("Duration (sec)", "Duration", "Workout Duration")
    workout_notes_col = columns.find("Workout Notes")

    sessions: dict[tuple[str, str, str], _SessionBuilder] = {}
    rest_rows = 0
    for row in rows:
        fields = columns.fit(row)
        date_text = fields[date_col].strip()
        try:
            started = to_timestamp(parse_local_datetime(date_text), tz)
        except (ValueError, OverflowError, OSError):
            raise columns.error(
                row, date_col, f"{date_text!r} is not a date like 2024-01-05 18:30:00"
            ) from None
        name = text_cell(fields, name_col) or "Workout"
        key = (text_cell(fields, number_col), date_text, name)
        builder = sessions.get(key)
        if builder is None:
            duration: float | None = None
            if duration_col is not None:
                try:
                    duration = parse_duration(fields[duration_col])
                except ValueError:
                    raise columns.error(
                        row,
                        duration_col,
                        f"{fields[duration_col]!r} is not a duration like 3600 or 1h 5m",
                    ) from None
            builder = sessions[key] = _SessionBuilder(key, row.line, started, name, duration)
        if not builder.notes:
            builder.notes = text_cell(fields, workout_notes_col)
        if fields[order_col].strip().casefold() == "rest timer":
            rest_rows += 1
            continue
        if not fields[exercise_col].strip():
            raise columns.error(row, exercise_col, "the exercise name is empty")
        builder.rows.append((row, fields))

    all_sessions: list[Session] = []
    all_entries: list[Entry] = []
    custom: dict[str, CustomExercise] = {}
    seen_ids: set[str] = set()
    for builder in sessions.values():
        session_id = stable_id("strong", round(builder.started_at), normalise_name(builder.name))
        if session_id in seen_ids:
            session_id = stable_id(
                "strong",
                round(builder.started_at),
                normalise_name(builder.name),
                builder.key[0],
                builder.line,
            )
        seen_ids.add(session_id)
        ended = builder.started_at + (builder.duration_s or 0.0)
        all_sessions.append(
            Session(
                id=session_id,
                workout_id=None,
                workout_name=builder.name,
                started_at=builder.started_at,
                ended_at=ended,
                notes=builder.notes,
                source=FORMAT_STRONG_CSV,
            )
        )
        positions: Counter[str] = Counter()
        for index, (row, fields) in enumerate(builder.rows):
            exercise_name = fields[exercise_col].strip()
            exercise_id, is_custom = exercise_id_for(exercise_name)
            if is_custom and exercise_id not in custom:
                custom[exercise_id] = CustomExercise(exercise_id, exercise_name, FORMAT_STRONG_CSV)
            set_index = positions[exercise_id]
            positions[exercise_id] += 1
            all_entries.append(
                _entry(
                    columns,
                    layout,
                    row,
                    fields,
                    order_col,
                    entry_id=stable_id("strong-set", session_id, index),
                    session_id=session_id,
                    exercise_id=exercise_id,
                    set_index=set_index,
                    at=builder.started_at,
                    default_unit=default_unit,
                )
            )
    return ImportBatch(
        format=FORMAT_STRONG_CSV,
        layout=layout.description,
        sessions=tuple(all_sessions),
        entries=tuple(all_entries),
        custom_exercises=tuple(custom.values()),
        rest_rows_ignored=rest_rows,
    )


def _entry(
    columns: Columns,
    layout: _Layout,
    row: CsvRow,
    fields: list[str],
    order_col: int,
    *,
    entry_id: str,
    session_id: str,
    exercise_id: str,
    set_index: int,
    at: float,
    default_unit: str,
) -> Entry:
    order = fields[order_col].strip().casefold()
    set_type = {"w": "warmup", "d": "drop", "f": "failure"}.get(order)
    if set_type is None:
        try:
            number = parse_number(order)
        except ValueError:
            number = None
        if number is None or number < 0 or number != int(number):
            raise columns.error(
                row, order_col, f"{fields[order_col]!r} is not a set number, W, D, F or Rest Timer"
            )
        set_type = "normal"
    weight = number_cell(columns, row, fields, layout.weight)
    reps = count_cell(columns, row, fields, columns.find("Reps"))
    rpe = number_cell(columns, row, fields, columns.find("RPE"))
    seconds = number_cell(columns, row, fields, columns.find("Seconds"))
    distance = number_cell(columns, row, fields, layout.distance)
    note = text_cell(fields, columns.find("Notes"))
    unit = layout.weight_unit_header
    if layout.weight_unit_column is not None:
        raw_unit = fields[layout.weight_unit_column]
        unit = _normalise_unit(raw_unit) if raw_unit.strip() else None
        if raw_unit.strip() and unit not in ("kg", "lb"):
            raise columns.error(row, layout.weight_unit_column, f"{raw_unit!r} is not kg or lbs")
    unit = unit or default_unit
    distance_unit: str | None = None
    if distance:
        distance_unit = layout.distance_unit_header
        if layout.distance_unit_column is not None and fields[layout.distance_unit_column].strip():
            raw = fields[layout.distance_unit_column]
            distance_unit = _normalise_unit(raw)
            if distance_unit not in METRES_PER_UNIT:
                raise columns.error(row, layout.distance_unit_column, f"{raw!r} is not m, km or mi")
        distance_unit = distance_unit or ("km" if default_unit == "kg" else "mi")
    for value, position, label in (
        (weight, layout.weight, "weight"),
        (rpe, columns.find("RPE"), "RPE"),
        (seconds, columns.find("Seconds"), "time"),
        (distance, layout.distance, "distance"),
    ):
        if value is not None and value < 0 and position is not None:
            raise columns.error(row, position, f"a {label} cannot be negative")
    if seconds is not None and seconds > MAX_DURATION_S:
        position = columns.find("Seconds")
        assert position is not None
        raise columns.error(row, position, "that many seconds is more than 30 days")
    is_hold = not reps and bool(seconds)
    loaded = weight if weight else None
    return Entry(
        id=entry_id,
        session_id=session_id,
        exercise_id=exercise_id,
        kind=EntryKind.HOLD if is_hold else EntryKind.REP_SET,
        set_index=set_index,
        started_at=at,
        ended_at=at,
        warmup=set_type == "warmup",
        reps=None if is_hold else (reps or 0),
        load=loaded if is_hold else (weight or 0.0),
        unit=unit if (loaded is not None or not is_hold) else None,
        rpe=rpe,
        note=note,
        duration_s=seconds if seconds else None,
        set_type=set_type,
        distance=distance if distance else None,
        distance_unit=distance_unit if distance else None,
    )


# -- export -----------------------------------------------------------------------------


def note_with_kind(entry: Entry) -> str:
    """Per-side and interval entries have no column elsewhere: say what they were in the note."""
    label = ""
    if entry.kind is EntryKind.PER_SIDE and entry.side is not None:
        label = f"{entry.side.value.capitalize()} side"
    elif entry.kind is EntryKind.INTERVAL_ROUND:
        planned = f" of {format_number(entry.planned_s)} s" if entry.planned_s else ""
        label = f"Interval round: {format_number(entry.work_s or 0)} s worked{planned}"
    if label and entry.note:
        return f"{label}. {entry.note}"
    return label or entry.note


def entry_seconds(entry: Entry) -> float | None:
    if entry.kind is EntryKind.INTERVAL_ROUND:
        return entry.work_s
    return entry.duration_s


def majority_unit(data: ExportData) -> str:
    counts: Counter[str] = Counter(
        e.unit for entries in data.entries.values() for e in entries if e.unit and e.load
    )
    return "lb" if counts["lb"] > counts["kg"] else "kg"


def load_in(entry: Entry, unit: str) -> float | None:
    if entry.load is None:
        return None
    if entry.unit == "lb" and unit == "kg":
        return entry.load * KG_PER_LB
    if entry.unit == "kg" and unit == "lb":
        return entry.load / KG_PER_LB
    return entry.load


def set_label(entry: Entry, counter: Counter[str]) -> str:
    if entry.warmup or entry.set_type == "warmup":
        return "W"
    if entry.set_type == "drop":
        return "D"
    if entry.set_type == "failure":
        return "F"
    counter[entry.exercise_id] += 1
    return str(counter[entry.exercise_id])


def names_for(data: ExportData) -> dict[str, str]:
    names = {c.id: c.name for c in data.custom_exercises}
    names.update(data.exercise_names)
    return names


def export_strong_csv(data: ExportData, *, tz: tzinfo | None = None) -> str:
    """The newest Strong layout: semicolons, ``Workout #``, seconds, kg or lb by majority."""
    unit = majority_unit(data)
    header = list(NEWEST_HEADER)
    header[6] = "Weight (lb)" if unit == "lb" else "Weight (kg)"
    names = names_for(data)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    number = 0
    for session in sorted(data.sessions, key=lambda s: (s.started_at, s.id)):
        entries = data.entries.get(session.id, [])
        if not entries:
            continue
        number += 1
        date = from_timestamp(session.started_at, tz).strftime("%Y-%m-%d %H:%M:%S")
        duration = str(round(session.duration_s or 0))
        counter: Counter[str] = Counter()
        for entry in entries:
            load = load_in(entry, unit)
            seconds = entry_seconds(entry)
            distance_m = (
                entry.distance * METRES_PER_UNIT.get(entry.distance_unit or "m", 1.0)
                if entry.distance
                else None
            )
            reps = entry.reps if entry.kind is EntryKind.REP_SET else 0
            writer.writerow(
                [
                    number,
                    date,
                    session.workout_name,
                    duration,
                    display_name(entry.exercise_id, names),
                    set_label(entry, counter),
                    "" if load is None else format_number(load),
                    reps or 0,
                    "" if entry.rpe is None else format_number(entry.rpe),
                    "" if distance_m is None else format_number(distance_m),
                    "" if not seconds else format_number(seconds),
                    note_with_kind(entry),
                    session.notes,
                ]
            )
    return out.getvalue()
