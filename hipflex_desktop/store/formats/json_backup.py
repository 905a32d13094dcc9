"""Hipflex's own backup: the whole store in one JSON file, losslessly.

Shape (one record per line, so a problem can be reported by line)::

    {"format": "hipflex-backup", "schema_version": 2, "exported_at": "2026-01-05T18:30:00+00:00",
     "sessions": [ {...}, ... ],          stored session documents, oldest first
     "entries": [ {...}, ... ],           stored entry documents, in logged order
     "custom_exercises": [ {...}, ... ],
     "workouts": [ {...}, ... ]}          custom workouts in list order

Records keep their ids, so exporting and importing into an empty data folder
gives an identical store, and importing the same backup twice adds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from hipflex_desktop.domain.history import CustomExercise, Entry, Session
from hipflex_desktop.domain.workouts import Workout
from hipflex_desktop.store.formats.common import (
    FORMAT_JSON,
    ExportData,
    HistoryImportError,
    ImportBatch,
    decode_text,
)
from hipflex_desktop.store.schema import (
    SCHEMA_VERSION,
    SchemaError,
    check_custom_exercise,
    check_entry,
    check_session,
    check_workout,
)

BACKUP_FORMAT = "hipflex-backup"
SECTIONS = ("sessions", "entries", "custom_exercises", "workouts")


def looks_like_json(text: str) -> bool:
    return text.lstrip().startswith("{")


def export_json(data: ExportData, *, now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    sessions = sorted(data.sessions, key=lambda s: (s.started_at, s.id))
    sections: dict[str, list[dict[str, Any]]] = {
        "sessions": [s.to_dict() for s in sessions],
        "entries": [e.to_dict() for s in sessions for e in data.entries.get(s.id, [])],
        "custom_exercises": [c.to_dict() for c in data.custom_exercises],
        "workouts": [dict(w) for w in data.workouts],
    }
    lines = [
        "{" + f'"format": "{BACKUP_FORMAT}", "schema_version": {SCHEMA_VERSION}, '
        f'"exported_at": {json.dumps(moment)},'
    ]
    for number, name in enumerate(SECTIONS):
        records = sections[name]
        closing = "]" + ("," if number < len(SECTIONS) - 1 else "")
        if not records:
            lines.append(f' "{name}": []' + closing[1:])
            continue
        lines.append(f' "{name}": [')
        for index, record in enumerate(records):
            comma = "," if index < len(records) - 1 else ""
            lines.append("  " + json.dumps(record, ensure_ascii=False, sort_keys=True) + comma)
        lines.append(" " + closing)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _record_lines(text: str) -> dict[tuple[str, int], tuple[int, int]]:
    """Where each record of each section starts (line, column), for error messages."""
    decoder = json.JSONDecoder()
    found: dict[tuple[str, int], tuple[int, int]] = {}

    def skip(position: int) -> int:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        return position

    def location(position: int) -> tuple[int, int]:
        line = text.count("\n", 0, position) + 1
        return line, position - (text.rfind("\n", 0, position) + 1) + 1

    position = skip(0)
    if not text.startswith("{", position):
        return found
    position = skip(position + 1)
    while position < len(text) and text[position] != "}":
        key, position = decoder.raw_decode(text, position)
        position = skip(position)
        position = skip(position + 1)  # the colon
        if key in SECTIONS and text.startswith("[", position):
            position = skip(position + 1)
            index = 0
            while position < len(text) and text[position] != "]":
                found[(str(key), index)] = location(position)
                _, position = decoder.raw_decode(text, position)
                position = skip(position)
                if text.startswith(",", position):
                    position = skip(position + 1)
                index += 1
            position += 1
        else:
            _, position = decoder.raw_decode(text, position)
        position = skip(position)
        if text.startswith(",", position):
            position = skip(position + 1)
    return found


def parse_json_backup(data: bytes) -> ImportBatch:
    text = decode_text(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HistoryImportError(
            f"the backup is not valid JSON ({exc.msg})", line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise HistoryImportError("the backup nests too deeply to be a Hipflex backup") from None
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise HistoryImportError("this JSON file is not a Hipflex backup", line=1, column=1)
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 2:
        raise HistoryImportError(
            f"this backup's format version ({version!r}) is not one Hipflex can read", line=1
        )
    if version > SCHEMA_VERSION:
        raise HistoryImportError(
            f"this backup was made by a newer Hipflex (format {version}); update Hipflex "
            "to import it",
            line=1,
        )
    lines: dict[tuple[str, int], tuple[int, int]] | None = None

    def fail(section: str, index: int, problem: str) -> HistoryImportError:
        nonlocal lines
        if lines is None:
            lines = _record_lines(text)
        line, column = lines.get((section, index), (None, None))
        return HistoryImportError(problem, line=line, column=column, record=f"{section}[{index}]")

    def records(section: str) -> list[dict[str, Any]]:
        value = document.get(section, [])
        if not isinstance(value, list):
            raise HistoryImportError(f"'{section}' is not a list", line=1)
        for index, record in enumerate(value):
            if not isinstance(record, dict):
                raise fail(section, index, "this record is not an object")
        return value

    def convert(
        section: str,
        check: Callable[[dict[str, Any]], None],
        build: Callable[[dict[str, Any]], Any],
    ) -> list[Any]:
        built = []
        for index, record in enumerate(records(section)):
            try:
                check(record)
                built.append(build(record))
            except Exception as exc:  # untrusted input: any failure is the file's fault
                raise fail(section, index, str(exc) or type(exc).__name__) from None
        return built

    sessions: list[Session] = convert("sessions", check_session, Session.from_dict)
    entries: list[Entry] = convert("entries", check_entry, Entry.from_dict)
    custom: list[CustomExercise] = convert(
        "custom_exercises", check_custom_exercise, CustomExercise.from_dict
    )
    workouts: list[Workout] = convert("workouts", _check_workout, Workout.from_dict)
    orders = [
        int(w.get("order", i)) if isinstance(w.get("order", i), int) else i
        for i, w in enumerate(records("workouts"))
    ]
    session_ids = {s.id for s in sessions}
    if len(session_ids) != len(sessions):
        raise HistoryImportError("two sessions in the backup share one id")
    entry_ids: set[str] = set()
    for index, entry in enumerate(entries):
        if entry.session_id not in session_ids:
            raise fail("entries", index, f"entry {entry.id} belongs to no session in the backup")
        if entry.id in entry_ids:
            raise fail("entries", index, f"entry id {entry.id} appears twice")
        entry_ids.add(entry.id)
    return ImportBatch(
        format=FORMAT_JSON,
        layout=f"Hipflex JSON backup (format {version})",
        sessions=tuple(sessions),
        entries=tuple(entries),
        custom_exercises=tuple(custom),
        workouts=tuple(workouts),
        workout_orders=tuple(orders),
    )


def _check_workout(record: dict[str, Any]) -> None:
    check_workout(record)
    if record.get("builtin"):
        raise SchemaError(f"workout {record['id']} is marked built-in; backups hold custom ones")
