"""Hevy CSV exports, in and out.

Header (kg variant; the pound variant has ``weight_lbs`` and ``distance_miles``)::

    title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,
    set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe

Times are local wall-clock times. Hevy writes them as ``5 Jan 2024, 18:30``
(day, English month abbreviation, year, 24-hour time); we also accept the same
without the comma, with seconds, with a full month name, and ISO 8601
(``2024-01-05T18:30:00``, with or without a ``Z``/``+01:00`` offset). We write
Hevy's own form. ``set_type`` is ``normal``, ``warmup``, ``dropset`` or
``failure``; ``set_index`` counts from 0 within an exercise.
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
    FORMAT_HEVY_CSV,
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
    read_csv,
    sniff_delimiter,
    stable_id,
    text_cell,
    to_timestamp,
)
from hipflex_desktop.store.formats.strong_csv import (
    MAX_DURATION_S,
    entry_seconds,
    load_in,
    majority_unit,
    names_for,
    note_with_kind,
)

HEADER_KG = (
    "title",
    "start_time",
    "end_time",
    "description",
    "exercise_title",
    "superset_id",
    "exercise_notes",
    "set_index",
    "set_type",
    "weight_kg",
    "reps",
    "distance_km",
    "duration_seconds",
    "rpe",
)
HEADER_LB = tuple(
    {"weight_kg": "weight_lbs", "distance_km": "distance_miles"}.get(name, name)
    for name in HEADER_KG
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_HEVY_DATE = re.compile(
    r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$"
)
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_SET_TYPES = {"normal": "normal", "warmup": "warmup", "dropset": "drop", "failure": "failure"}
_SET_TYPES_OUT = {"normal": "normal", "warmup": "warmup", "drop": "dropset", "failure": "failure"}


def looks_like_hevy(names: list[str]) -> bool:
    folded = {n.casefold() for n in names}
    return {"title", "start_time", "exercise_title"} <= folded


def parse_hevy_time(text: str, tz: tzinfo | None) -> float:
    """POSIX seconds for one of the accepted forms (see module doc). Raises ValueError."""
    cleaned = text.strip()
    match = _HEVY_DATE.match(cleaned)
    if match:
        month = _MONTHS.get(match.group(2).casefold())
        if month is None:
            raise ValueError(text)
        moment = datetime(
            int(match.group(3)),
            month,
            int(match.group(1)),
            int(match.group(4)),
            int(match.group(5)),
            int(match.group(6) or 0),
        )
        if not 1900 <= moment.year <= 2200:
            raise ValueError(text)
        return to_timestamp(moment, tz)
    match = _ISO_DATE.match(cleaned)
    if match:
        year, month, day, hour, minute, second = (int(match.group(i) or 0) for i in range(1, 7))
        moment = datetime(year, month, day, hour, minute, second)
        if not 1900 <= moment.year <= 2200:
            raise ValueError(text)
        offset = match.group(7)
        if offset:
            iso = moment.isoformat() + ("+00:00" if offset == "Z" else offset)
            return datetime.fromisoformat(iso).timestamp()
        return to_timestamp(moment, tz)
    raise ValueError(text)


def format_hevy_time(timestamp: float, tz: tzinfo | None) -> str:
    moment = from_timestamp(timestamp, tz)
    return f"{moment.day} {_MONTH_ABBR[moment.month - 1]} {moment.year}, {moment:%H:%M}"


@dataclass
class _SessionBuilder:
    line: int
    title: str
    started_at: float
    ended_at: float
    description: str
    rows: list[tuple[CsvRow, list[str]]] = field(default_factory=list)


def parse_hevy_csv(data: bytes, *, tz: tzinfo | None = None) -> ImportBatch:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter = sniff_delimiter(first_line, looks_like_hevy)
    rows = iter(read_csv(text, delimiter))
    header = next(rows, None)
    if header is None:
        raise HistoryImportError("the file is empty", line=1)
    columns = Columns(header.fields)
    pounds = columns.has("weight_lbs") or columns.has("distance_miles")
    weight_col = columns.find("weight_kg", "weight_lbs")
    distance_col = columns.find("distance_km", "distance_miles")
    title_col = columns.find("title")
    start_col = columns.find("start_time")
    end_col = columns.find("end_time")
    exercise_col = columns.find("exercise_title")
    if title_col is None or start_col is None or exercise_col is None:
        raise HistoryImportError(
            "the header needs title, start_time and exercise_title columns", line=header.line
        )

    def time_cell(row: CsvRow, fields: list[str], position: int) -> float:
        try:
            return parse_hevy_time(fields[position], tz)
        except (ValueError, OverflowError, OSError):
            raise columns.error(
                row, position, f"{fields[position]!r} is not a time like '5 Jan 2024, 18:30'"
            ) from None

    sessions: dict[tuple[str, str], _SessionBuilder] = {}
    for row in rows:
        fields = columns.fit(row)
        start_text = fields[start_col].strip()
        title = fields[title_col].strip() or "Workout"
        key = (start_text, title)
        builder = sessions.get(key)
        if builder is None:
            started = time_cell(row, fields, start_col)
            ended = started
            if end_col is not None and fields[end_col].strip():
                ended = time_cell(row, fields, end_col)
                if ended < started:
                    raise columns.error(row, end_col, "the workout ends before it starts")
                if ended - started > MAX_DURATION_S:
                    raise columns.error(row, end_col, "the workout lasts more than 30 days")
            builder = sessions[key] = _SessionBuilder(
                row.line, title, started, ended, text_cell(fields, columns.find("description"))
            )
        if not fields[exercise_col].strip():
            raise columns.error(row, exercise_col, "the exercise name is empty")
        builder.rows.append((row, fields))

    all_sessions: list[Session] = []
    all_entries: list[Entry] = []
    custom: dict[str, CustomExercise] = {}
    for builder in sessions.values():
        session_id = stable_id("hevy", round(builder.started_at), normalise_name(builder.title))
        all_sessions.append(
            Session(
                id=session_id,
                workout_id=None,
                workout_name=builder.title,
                started_at=builder.started_at,
                ended_at=builder.ended_at,
                notes=builder.description,
                source=FORMAT_HEVY_CSV,
            )
        )
        positions: Counter[str] = Counter()
        for index, (row, fields) in enumerate(builder.rows):
            name = fields[exercise_col].strip()
            exercise_id, is_custom = exercise_id_for(name)
            if is_custom and exercise_id not in custom:
                custom[exercise_id] = CustomExercise(exercise_id, name, FORMAT_HEVY_CSV)
            set_type_col = columns.find("set_type")
            raw_type = text_cell(fields, set_type_col).casefold() or "normal"
            set_type = _SET_TYPES.get(raw_type)
            if set_type is None:
                assert set_type_col is not None
                raise columns.error(
                    row, set_type_col, f"{raw_type!r} is not normal, warmup, dropset or failure"
                )
            given_index = count_cell(columns, row, fields, columns.find("set_index"))
            set_index = given_index if given_index is not None else positions[exercise_id]
            positions[exercise_id] += 1
            weight = number_cell(columns, row, fields, weight_col)
            reps = count_cell(columns, row, fields, columns.find("reps"))
            seconds = number_cell(columns, row, fields, columns.find("duration_seconds"))
            distance = number_cell(columns, row, fields, distance_col)
            rpe = number_cell(columns, row, fields, columns.find("rpe"))
            for value, position, label in (
                (weight, weight_col, "weight"),
                (seconds, columns.find("duration_seconds"), "time"),
                (distance, distance_col, "distance"),
                (rpe, columns.find("rpe"), "RPE"),
            ):
                if value is not None and value < 0 and position is not None:
                    raise columns.error(row, position, f"a {label} cannot be negative")
            if seconds is not None and seconds > MAX_DURATION_S:
                position = columns.find("duration_seconds")
                assert position is not None
                raise columns.error(row, position, "that many seconds is more than 30 days")
            unit = "lb" if pounds else "kg"
            is_hold = not reps and bool(seconds)
            loaded = weight if weight else None
            all_entries.append(
                Entry(
                    id=stable_id("hevy-set", session_id, index),
                    session_id=session_id,
                    exercise_id=exercise_id,
                    kind=EntryKind.HOLD if is_hold else EntryKind.REP_SET,
                    set_index=set_index,
                    started_at=builder.started_at,
                    ended_at=builder.started_at,
                    warmup=set_type == "warmup",
                    reps=None if is_hold else (reps or 0),
                    load=loaded if is_hold else (weight or 0.0),
                    unit=unit if (loaded is not None or not is_hold) else None,
                    rpe=rpe,
                    note=text_cell(fields, columns.find("exercise_notes")),
                    duration_s=seconds if seconds else None,
                    set_type=set_type,
                    distance=distance if distance else None,
                    distance_unit=("mi" if pounds else "km") if distance else None,
                )
            )
    return ImportBatch(
        format=FORMAT_HEVY_CSV,
        layout="Hevy CSV, " + ("pounds and miles" if pounds else "kilograms and kilometres"),
        sessions=tuple(all_sessions),
        entries=tuple(all_entries),
        custom_exercises=tuple(custom.values()),
    )


_KM_PER = {"m": 0.001, "km": 1.0, "mi": 1.609344}


def export_hevy_csv(data: ExportData, *, tz: tzinfo | None = None) -> str:
    """Hevy's layout; kg/km unless most loads were logged in pounds."""
    unit = majority_unit(data)
    header = HEADER_LB if unit == "lb" else HEADER_KG
    names = names_for(data)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for session in sorted(data.sessions, key=lambda s: (s.started_at, s.id)):
        entries = data.entries.get(session.id, [])
        start = format_hevy_time(session.started_at, tz)
        end = format_hevy_time(session.ended_at or session.started_at, tz)
        positions: Counter[str] = Counter()
        for entry in entries:
            index = positions[entry.exercise_id]
            positions[entry.exercise_id] += 1
            load = load_in(entry, unit)
            seconds = entry_seconds(entry)
            km = (
                entry.distance * _KM_PER.get(entry.distance_unit or "km", 1.0)
                if entry.distance
                else None
            )
            distance = None if km is None else (km / 1.609344 if unit == "lb" else km)
            set_type = "warmup" if entry.warmup else _SET_TYPES_OUT.get(entry.set_type, "normal")
            reps = entry.reps if entry.kind is EntryKind.REP_SET else None
            writer.writerow(
                [
                    session.workout_name,
                    start,
                    end,
                    session.notes,
                    display_name(entry.exercise_id, names),
                    "",
                    note_with_kind(entry),
                    index,
                    set_type,
                    "" if load is None else format_number(load),
                    "" if reps is None else reps,
                    "" if distance is None else format_number(distance),
                    "" if not seconds else format_number(seconds),
                    "" if entry.rpe is None else format_number(entry.rpe),
                ]
            )
    return out.getvalue()
