"""The stored shape of every file, its version, and the checks that guard it.

Every file is a TinyDB database (``{table: {doc_id: document}}``) with a
``_meta`` table holding one document: ``schema_version`` and ``kind``. A file
whose shape does not match its kind is treated as damaged (moved aside, last
good backup used); a file from a *newer* schema is refused without touching it.
``docs/data-format.md`` describes the same rules for people.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from hipflex_desktop.domain.history import EntryKind, Side
from hipflex_desktop.domain.workouts import Workout

#: Version of the on-disk layout this code writes. See ``migrations.py`` for older ones.
SCHEMA_VERSION = 2

META_TABLE = "_meta"

Document = dict[str, Any]
Tables = dict[str, dict[str, Document]]

KIND_MANIFEST = "manifest"
KIND_HISTORY_YEAR = "history-year"
KIND_JOURNAL = "session-in-progress"
KIND_EXERCISES = "custom-exercises"
KIND_WORKOUTS = "workouts"
KIND_PENDING = "pending-change"
KIND_LEGACY_HISTORY = "history-v1"

_ENTRY_KINDS = frozenset(k.value for k in EntryKind)
_SIDES = frozenset(s.value for s in Side)


class SchemaError(ValueError):
    """A document or table does not have the shape its file kind requires."""


def meta_document(kind: str, **extra: Any) -> Document:
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **extra}


def tables_with_meta(
    kind: str, tables: Mapping[str, Mapping[str, Document]], **extra: Any
) -> Tables:
    """A TinyDB file body: ``_meta`` first, then the given tables."""
    body: Tables = {META_TABLE: {"1": meta_document(kind, **extra)}}
    for name, table in tables.items():
        body[name] = dict(table)
    return body


def numbered(documents: list[Document]) -> dict[str, Document]:
    """TinyDB doc ids are positions; records are found by their ``id`` field, never by these."""
    return {str(index): doc for index, doc in enumerate(documents, start=1)}


#: Times outside 1900-2200 are refused: they are damage, not training history.
EARLIEST_TIME = -2_208_988_800.0
LATEST_TIME = 7_258_118_400.0


def _is_number(value: object) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer too large for a float
        return False


def _is_time(value: object) -> bool:
    return _is_number(value) and EARLIEST_TIME <= float(value) <= LATEST_TIME  # type: ignore[arg-type]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_tables_shape(data: object, required: tuple[str, ...]) -> Tables:
    """``data`` is a dict of tables, each a dict of dict documents, with ``required`` present."""
    if not isinstance(data, dict):
        raise SchemaError("it does not hold a JSON object")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise SchemaError(f"table '{name}' is not an object")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                raise SchemaError(f"document {doc_id} of table '{name}' is not an object")
            if not doc_id.isdigit():
                raise SchemaError(
                    f"table '{name}' has a document id '{doc_id}' that is not a number"
                )
    missing = [name for name in required if name not in data]
    if missing:
        raise SchemaError(f"table '{missing[0]}' is missing")
    return data


def read_meta(tables: Tables, expected_kind: str) -> Document:
    meta_table = tables.get(META_TABLE)
    if not meta_table:
        raise SchemaError("it has no _meta table, so its format version is unknown")
    meta = next(iter(meta_table.values()))
    version = meta.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SchemaError("its format version is missing or not a whole number")
    kind = meta.get("kind")
    if kind != expected_kind:
        raise SchemaError(f"it holds '{kind}' data where '{expected_kind}' was expected")
    return meta


_OPTIONAL_NUMBERS = ("load", "rpe", "duration_s", "work_s", "planned_s", "distance")
_OPTIONAL_STRINGS = ("unit", "note", "set_type", "distance_unit")


_NUMBER_TYPES = (int, float)
_INFINITY = float("inf")


def _entry_looks_right(doc: Document) -> bool:
    """The same rules as :func:`check_entry`, as one fast expression (25,000 at each open).

    ``abs(x) < inf`` is False for NaN and infinities; time ranges rule them out too.
    """
    get = doc.get
    kind: Any = get("kind")
    started: Any = get("started_at")
    ended: Any = get("ended_at")
    reps: Any = get("reps")
    side: Any = get("side")
    holds: Any = get("holds_s", [])
    if not (
        type(get("id")) is str
        and get("id")
        and type(get("session_id")) is str
        and get("session_id")
        and type(get("exercise_id")) is str
        and get("exercise_id")
        and type(kind) is str
        and kind in _ENTRY_KINDS
        and type(get("set_index")) is int
        and type(started) in _NUMBER_TYPES
        and EARLIEST_TIME <= started <= LATEST_TIME
        and type(ended) in _NUMBER_TYPES
        and EARLIEST_TIME <= ended <= LATEST_TIME
        and type(get("warmup", False)) is bool
        and (reps is None or type(reps) is int)
        and (side is None or (type(side) is str and side in _SIDES))
        and type(holds) is list
    ):
        return False
    for key in _OPTIONAL_NUMBERS:
        value = get(key)
        if value is not None and not (type(value) in _NUMBER_TYPES and abs(value) < _INFINITY):
            return False
    for key in _OPTIONAL_STRINGS:
        value = get(key)
        if value is not None and type(value) is not str:
            return False
    return all(type(h) in _NUMBER_TYPES and abs(h) < _INFINITY for h in holds)


def check_entry(doc: Document) -> None:
    """Raise :class:`SchemaError` unless ``doc`` can become an ``Entry``."""
    if _entry_looks_right(doc):
        return
    _explain_entry(doc)
    raise SchemaError(f"entry {doc.get('id')!r} is malformed")  # pragma: no cover - safety net


def _explain_entry(doc: Document) -> None:
    """The slow path: say which field of a bad entry is wrong."""
    for key in ("id", "session_id", "exercise_id"):
        value = doc.get(key)
        if not isinstance(value, str) or not value:
            raise SchemaError(f"an entry has no valid '{key}'")
    kind = doc.get("kind")
    if not isinstance(kind, str) or kind not in _ENTRY_KINDS:
        raise SchemaError(f"entry {doc['id']} has an unknown kind {doc.get('kind')!r}")
    if not _is_int(doc.get("set_index")):
        raise SchemaError(f"entry {doc['id']} has no whole-number set_index")
    if not _is_time(doc.get("started_at")) or not _is_time(doc.get("ended_at")):
        raise SchemaError(f"entry {doc['id']} has no valid start or end time")
    if not isinstance(doc.get("warmup", False), bool):
        raise SchemaError(f"entry {doc['id']} has a warmup flag that is not true/false")
    reps = doc.get("reps")
    if reps is not None and not _is_int(reps):
        raise SchemaError(f"entry {doc['id']} has reps that are not a whole number")
    for key in _OPTIONAL_NUMBERS:
        value = doc.get(key)
        if value is not None and not _is_number(value):
            raise SchemaError(f"entry {doc['id']} has a '{key}' that is not a number")
    for key in _OPTIONAL_STRINGS:
        value = doc.get(key)
        if value is not None and not isinstance(value, str):
            raise SchemaError(f"entry {doc['id']} has a '{key}' that is not text")
    holds = doc.get("holds_s", [])
    if not isinstance(holds, list) or not all(_is_number(h) for h in holds):
        raise SchemaError(f"entry {doc['id']} has holds that are not a list of seconds")
    side = doc.get("side")
    if side is not None and (not isinstance(side, str) or side not in _SIDES):
        raise SchemaError(f"entry {doc['id']} has an unknown side {side!r}")


def check_session(doc: Document) -> None:
    """Raise :class:`SchemaError` unless ``doc`` can become a ``Session``."""
    if not isinstance(doc.get("id"), str) or not doc["id"]:
        raise SchemaError("a session has no valid 'id'")
    workout_id = doc.get("workout_id")
    if workout_id is not None and not isinstance(workout_id, str):
        raise SchemaError(f"session {doc['id']} has a workout_id that is not text")
    if not isinstance(doc.get("workout_name"), str):
        raise SchemaError(f"session {doc['id']} has no workout_name")
    if not _is_time(doc.get("started_at")):
        raise SchemaError(f"session {doc['id']} has no valid start time")
    ended = doc.get("ended_at")
    if ended is not None and not _is_time(ended):
        raise SchemaError(f"session {doc['id']} has an end time that is not a number")
    for key in ("notes", "source"):
        value = doc.get(key)
        if value is not None and not isinstance(value, str):
            raise SchemaError(f"session {doc['id']} has '{key}' that is not text")
    tags = doc.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise SchemaError(f"session {doc['id']} has tags that are not a list of text")


def check_custom_exercise(doc: Document) -> None:
    if not isinstance(doc.get("id"), str) or not str(doc.get("id")).startswith("custom:"):
        raise SchemaError("a custom exercise has no 'custom:' id")
    if not isinstance(doc.get("name"), str):
        raise SchemaError(f"custom exercise {doc['id']} has no name")


def check_sessions_and_entries(tables: Tables, *, single_session: bool = False) -> None:
    """Sessions and entries are valid and every entry belongs to a session in the file."""
    session_table = "session" if single_session else "sessions"
    sessions = tables[session_table]
    if single_session and len(sessions) != 1:
        raise SchemaError("it should hold exactly one session")
    ids: set[str] = set()
    for doc in sessions.values():
        check_session(doc)
        ids.add(doc["id"])
    for doc in tables["entries"].values():
        check_entry(doc)
        if doc["session_id"] not in ids:
            raise SchemaError(f"entry {doc['id']} belongs to a session that is not in the file")


Validator = Callable[[Tables], None]


def validate_history_year(tables: Tables) -> None:
    check_tables_shape(tables, ("sessions", "entries"))
    check_sessions_and_entries(tables)


def validate_journal(tables: Tables) -> None:
    check_tables_shape(tables, ("session", "entries"))
    check_sessions_and_entries(tables, single_session=True)


def validate_exercises(tables: Tables) -> None:
    check_tables_shape(tables, ("custom_exercises",))
    for doc in tables["custom_exercises"].values():
        check_custom_exercise(doc)


def validate_workouts(tables: Tables) -> None:
    check_tables_shape(tables, ())
    for doc in tables.get("workouts", {}).values():
        check_workout(doc)


def check_workout(doc: Document) -> None:
    """A stored custom workout that ``Workout.from_dict`` can rebuild."""
    if not isinstance(doc.get("id"), str) or not isinstance(doc.get("name"), str):
        raise SchemaError("a workout has no id or name")
    if not isinstance(doc.get("blocks", []), list):
        raise SchemaError(f"workout {doc['id']} has blocks that are not a list")
    try:
        Workout.from_dict(doc)
    except Exception as exc:  # any failure to rebuild it is a damaged record
        raise SchemaError(f"workout {doc['id']} cannot be read ({exc})") from None


def validate_manifest(tables: Tables) -> None:
    check_tables_shape(tables, ())


def validate_pending(tables: Tables) -> None:
    check_tables_shape(tables, ("files",))
    for doc in tables["files"].values():
        if not isinstance(doc.get("path"), str):
            raise SchemaError("a pending change names no file")
        body = doc.get("tables")
        if body is not None and not isinstance(body, dict):
            raise SchemaError(f"the pending change for {doc['path']} is not a database")


def validate_legacy_history(tables: Tables) -> None:
    """Version 1: one file, each session document embedding its entries."""
    check_tables_shape(tables, ("sessions",))
    for doc in tables["sessions"].values():
        check_session(doc)
        entries = doc.get("entries", [])
        if not isinstance(entries, list):
            raise SchemaError(f"session {doc['id']} has entries that are not a list")
        for entry in entries:
            if not isinstance(entry, dict):
                raise SchemaError(f"session {doc['id']} has an entry that is not an object")
            check_entry({**entry, "session_id": doc["id"]})  # implied by nesting in version 1
