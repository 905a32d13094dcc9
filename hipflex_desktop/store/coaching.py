"""Coaching data: weekly-target settings, suggestion decisions and self-test results.

They live in ``coaching.json`` in the data folder, a small TinyDB file written
through :class:`~hipflex_desktop.store.atomic.AtomicJSONStorage` (temp file,
fsync, ``os.replace``, fsync of the folder, last good ``.bak``), stamped with
``_meta`` like every other file. A damaged file found at open is moved aside
under a timestamped name and its backup used, with a notice in
:attr:`CoachingStore.notices`. The file is tiny and read afresh by every call,
so the GUI and a command-line reader never disagree.

The second half of the module holds read-side helpers shared by the History
page, the Dashboard and the ``hipflex history``/``suggest`` commands, so the
window and the command line always print the same figures:
:func:`session_rows` (one line per session) and :func:`coaching_snapshot`
(weekly target, next workout and its suggestions).
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document as TinyDocument

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.coaching import (
    Suggestion,
    SuggestionDecisions,
    apply_to_block,
    suggestions_for_workout,
)
from hipflex_desktop.domain.history import Entry, EntryKind, Session
from hipflex_desktop.domain.progress import (
    DEFAULT_SESSIONS_PER_WEEK,
    DEFAULT_WORKOUT_ID,
    LoadUnit,
    LocalTime,
    WeeklyProgress,
    WeeklyTarget,
    is_warmup,
    single_holds,
    system_local_time,
    weekly_progress,
)
from hipflex_desktop.domain.selftest import SelfTestResult
from hipflex_desktop.domain.workouts import Workout
from hipflex_desktop.store.atomic import AtomicJSONStorage
from hipflex_desktop.store.errors import StorageWriteError, StoreError
from hipflex_desktop.store.files import RecoveryNotice, load_file
from hipflex_desktop.store.schema import (
    META_TABLE,
    SchemaError,
    Tables,
    check_tables_shape,
    meta_document,
)

COACHING_FILE = "coaching.json"
KIND_COACHING = "coaching"
SETTINGS_TABLE = "settings"
DECISIONS_TABLE = "decisions"
SELF_TESTS_TABLE = "self_tests"
SESSIONS_PER_WEEK_RANGE = (1, 14)
# Decisions are about the latest session of an exercise, so old ones stop mattering;
# keeping the newest few hundred bounds the file without forgetting anything current.
MAX_DECISIONS = 300
ACCEPTED = "accepted"
DISMISSED = "dismissed"
STRETCH_ROUTINE_ID = "hip-flexor-stretch-routine"

Clock = Callable[[], float]


@dataclass(frozen=True)
class CoachingSettings:
    """The person's weekly target and which workouts count and come next.

    ``counted_workout_ids`` None counts every session (imported ones too);
    otherwise only sessions of those workouts count toward the target.
    ``rotation`` lists the workouts the next suggestion rotates between
    (least recently done first); empty means the default hip-flexor workout.
    """

    sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK
    counted_workout_ids: tuple[str, ...] | None = None
    rotation: tuple[str, ...] = ()

    def target(self) -> WeeklyTarget:
        ids = None if self.counted_workout_ids is None else frozenset(self.counted_workout_ids)
        return WeeklyTarget(self.sessions_per_week, ids)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sessions_per_week": self.sessions_per_week,
            "counted_workout_ids": (
                None if self.counted_workout_ids is None else list(self.counted_workout_ids)
            ),
            "rotation": list(self.rotation),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoachingSettings:
        low, high = SESSIONS_PER_WEEK_RANGE
        per_week = data.get("sessions_per_week", DEFAULT_SESSIONS_PER_WEEK)
        counted = data.get("counted_workout_ids")
        return cls(
            sessions_per_week=min(high, max(low, int(per_week))),
            counted_workout_ids=None if counted is None else tuple(str(x) for x in counted),
            rotation=tuple(str(x) for x in data.get("rotation", ())),
        )


def validate_coaching(tables: Tables) -> None:
    """The shape ``coaching.json`` must have; anything else is treated as damage."""
    check_tables_shape(tables, ())
    for doc in tables.get(SETTINGS_TABLE, {}).values():
        per_week = doc.get("sessions_per_week", DEFAULT_SESSIONS_PER_WEEK)
        if not isinstance(per_week, int) or isinstance(per_week, bool):
            raise SchemaError("the sessions-per-week setting is not a whole number")
        counted = doc.get("counted_workout_ids")
        if counted is not None and not _is_string_list(counted):
            raise SchemaError("the counted workouts are not a list of ids")
        if not _is_string_list(doc.get("rotation", [])):
            raise SchemaError("the workout rotation is not a list of ids")
    for doc in tables.get(DECISIONS_TABLE, {}).values():
        if not isinstance(doc.get("id"), str) or doc.get("decision") not in (ACCEPTED, DISMISSED):
            raise SchemaError("a suggestion decision has no id or an unknown answer")
        if not isinstance(doc.get("at", 0.0), int | float):
            raise SchemaError("a suggestion decision has a time that is not a number")
    for doc in tables.get(SELF_TESTS_TABLE, {}).values():
        try:
            SelfTestResult.from_dict(doc)
        except (KeyError, ValueError, TypeError) as exc:
            raise SchemaError(f"a self-test result cannot be read ({exc})") from None


def _is_string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


class _CoachingStorage(AtomicJSONStorage):
    """Atomic writes that stamp the file's kind and version and speak in StorageWriteError."""

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        body: dict[str, dict[str, Any]] = {META_TABLE: {"1": meta_document(KIND_COACHING)}}
        body.update((name, table) for name, table in data.items() if name != META_TABLE)
        try:
            super().write(body)
        except OSError as exc:
            raise StorageWriteError.from_os_error(self._path, exc) from None


class _SnapshotStorage(Storage):
    """The file as read at open (or its backup), never written: for a read-only open,
    and for a folder that cannot be written, where a damaged file could not be moved aside."""

    def __init__(self, tables: Tables | None, refusal: StoreError) -> None:
        self._tables = tables
        self._refusal = refusal

    def read(self) -> dict[str, dict[str, Any]] | None:
        return None if self._tables is None else {k: dict(v) for k, v in self._tables.items()}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raise self._refusal


class CoachingStore:
    """Settings, suggestion decisions and self-test results of one data folder.

    ``read_only`` (the command line while the app runs) changes nothing on disk:
    a damaged file is then only reported, and its backup used in memory.
    Every write raises :class:`StorageWriteError` on failure and then has
    changed nothing.
    """

    def __init__(
        self, data_dir: Path, *, read_only: bool = False, clock: Clock = time.time
    ) -> None:
        self.path = Path(data_dir) / COACHING_FILE
        self.read_only = read_only
        self._clock = clock
        writable = not read_only and os.access(self.path.parent, os.W_OK)
        loaded = load_file(
            self.path,
            kind=KIND_COACHING,
            label="your weekly target, suggestion answers and self-test results",
            validator=validate_coaching,
            repair=writable,
            clock=clock,
            meta_optional=False,
        )
        self.notices: list[RecoveryNotice] = list(loaded.notices)
        if read_only:
            refusal = StoreError("The coaching data was opened read-only; nothing can be changed.")
            self._db = TinyDB(storage=_SnapshotStorage, tables=loaded.tables, refusal=refusal)
        elif not writable:
            denied = PermissionError(errno.EACCES, "permission denied")
            self._db = TinyDB(storage=_SnapshotStorage, tables=loaded.tables,
                              refusal=StorageWriteError.from_os_error(self.path, denied))
        else:
            self._db = TinyDB(self.path, storage=_CoachingStorage)

    def close(self) -> None:
        self._db.close()

    def _table(self, name: str) -> Any:
        return self._db.table(name, cache_size=0)

    # -- settings -----------------------------------------------------------------------

    def settings(self) -> CoachingSettings:
        docs = self._table(SETTINGS_TABLE).all()
        return CoachingSettings.from_dict(docs[0]) if docs else CoachingSettings()

    def save_settings(self, settings: CoachingSettings) -> None:
        low, high = SESSIONS_PER_WEEK_RANGE
        if not low <= settings.sessions_per_week <= high:
            raise ValueError(f"sessions per week must be from {low} to {high}")
        self._table(SETTINGS_TABLE).upsert(TinyDocument(settings.to_dict(), doc_id=1))

    # -- suggestion decisions -------------------------------------------------------------

    def decisions(self) -> SuggestionDecisions:
        accepted: set[str] = set()
        dismissed: set[str] = set()
        for doc in self._table(DECISIONS_TABLE).all():
            (accepted if doc["decision"] == ACCEPTED else dismissed).add(str(doc["id"]))
        return SuggestionDecisions(frozenset(accepted), frozenset(dismissed))

    def accept(self, suggestion_id: str) -> None:
        self._decide(suggestion_id, ACCEPTED)

    def dismiss(self, suggestion_id: str) -> None:
        self._decide(suggestion_id, DISMISSED)

    def forget(self, suggestion_id: str) -> None:
        """Take back an answer, so the suggestion is open again."""
        self._table(DECISIONS_TABLE).remove(Query().id == suggestion_id)

    def _decide(self, suggestion_id: str, decision: str) -> None:
        table = self._table(DECISIONS_TABLE)
        doc = {"id": suggestion_id, "decision": decision, "at": self._clock()}
        table.upsert(doc, Query().id == suggestion_id)
        docs = table.all()
        if len(docs) > MAX_DECISIONS:
            oldest = sorted(docs, key=lambda d: float(d.get("at", 0.0)))
            table.remove(doc_ids=[d.doc_id for d in oldest[: len(docs) - MAX_DECISIONS]])

    # -- self-test results ----------------------------------------------------------------

    def self_test_results(self) -> list[SelfTestResult]:
        """Every knee-to-chest result, oldest first."""
        results = [SelfTestResult.from_dict(d) for d in self._table(SELF_TESTS_TABLE).all()]
        results.sort(key=lambda r: (r.at, r.id))
        return results

    def add_self_test_results(self, results: Sequence[SelfTestResult]) -> None:
        """Record one check (usually both sides) in a single write."""
        if results:
            self._table(SELF_TESTS_TABLE).insert_multiple([r.to_dict() for r in results])

    def remove_self_test_results(self, result_ids: Iterable[str]) -> None:
        wanted = set(result_ids)
        self._table(SELF_TESTS_TABLE).remove(Query().id.one_of(sorted(wanted)))


# --- read-side summaries shared by the History page, the Dashboard and the CLI ---------------


@dataclass(frozen=True)
class SessionRow:
    """One line of the history list: a session and the figures worked out from its entries.

    Warm-ups are left out of ``sets``, ``total_reps`` and ``longest_hold_s`` (they
    are not the work the session was for); ``warmups`` counts them.
    ``longest_hold_s`` is the longest single hold of a hold exercise, None if none.
    Stretches do not count: their time is set by the timer, not earned (the same rule
    as personal bests).
    """

    session: Session
    sets: int
    warmups: int
    total_reps: int
    longest_hold_s: float | None
    exercise_ids: frozenset[str] = field(default=frozenset())

    @property
    def id(self) -> str:
        return self.session.id

    def to_json(self, to_local: LocalTime = system_local_time) -> dict[str, Any]:
        session = self.session
        return {
            "id": session.id,
            "started_at": to_local(session.started_at).isoformat(timespec="seconds"),
            "workout_id": session.workout_id,
            "workout_name": session.workout_name,
            "duration_s": session.duration_s,
            "sets": self.sets,
            "warmup_sets": self.warmups,
            "total_reps": self.total_reps,
            "longest_hold_s": self.longest_hold_s,
            "exercise_ids": sorted(self.exercise_ids),
            "source": session.source,
            "notes": session.notes,
        }


def summarise_session(session: Session, entries: Iterable[Entry]) -> SessionRow:
    """The figures of one session's list row, from its entries."""
    sets = warmups = reps = 0
    longest: float | None = None
    exercises: set[str] = set()
    for entry in entries:
        exercises.add(entry.exercise_id)
        if is_warmup(entry):
            warmups += 1
            continue
        sets += 1
        if entry.kind is EntryKind.REP_SET:
            reps += entry.reps or 0
        elif entry.kind is EntryKind.HOLD:
            for hold in single_holds(entry):
                if longest is None or hold > longest:
                    longest = hold
    return SessionRow(session, sets, warmups, reps, longest, frozenset(exercises))


def session_rows(sessions: Iterable[Session], entries: Iterable[Entry]) -> list[SessionRow]:
    """One row per session, newest first, from every entry in one pass."""
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.session_id, []).append(entry)
    rows = [summarise_session(s, grouped.get(s.id, ())) for s in sessions]
    rows.sort(key=lambda r: (r.session.started_at, r.session.id), reverse=True)
    return rows


class HistoryReader(Protocol):
    """What the coaching helpers read from the history (``HistoryStore`` fits)."""

    def sessions(self) -> list[Session]: ...

    def entries_for_exercise(self, exercise_id: str) -> list[Entry]: ...


@dataclass(frozen=True)
class CoachingSnapshot:
    """The Dashboard's and ``hipflex suggest``'s picture, computed in one go.

    ``suggestions`` are every current suggestion for ``next_workout`` in block
    order; ``open`` those not yet answered, ``accepted`` those accepted.
    ``next_workout`` is None only when the suggested id is not in the library.
    """

    progress: WeeklyProgress
    settings: CoachingSettings
    next_workout: Workout | None
    suggestions: tuple[Suggestion, ...]
    decisions: SuggestionDecisions

    @property
    def open(self) -> tuple[Suggestion, ...]:
        return self.decisions.open(self.suggestions)

    @property
    def accepted(self) -> tuple[Suggestion, ...]:
        return tuple(s for s in self.suggestions if s.id in self.decisions.accepted)


def workout_entries(history: HistoryReader, workout: Workout) -> list[Entry]:
    """Every entry of the workout's movements and their fallbacks (what its rules read)."""
    wanted: list[str] = []
    for block in workout.blocks:
        for exercise_id in (block.movement_id, block.fallback_movement_id):
            if exercise_id is not None and exercise_id not in wanted:
                wanted.append(exercise_id)
    found: list[Entry] = []
    for exercise_id in wanted:
        found.extend(history.entries_for_exercise(exercise_id))
    return found


def coaching_snapshot(
    history: HistoryReader,
    settings: CoachingSettings,
    decisions: SuggestionDecisions,
    workouts: Sequence[Workout],
    catalog: Catalog,
    *,
    now: float,
    to_local: LocalTime = system_local_time,
    unit: LoadUnit = "kg",
    sessions: Sequence[Session] | None = None,
) -> CoachingSnapshot:
    """Weekly progress, the next workout and its suggestions, from the store's data.

    ``history`` needs ``sessions()`` and ``entries_for_exercise(id)`` (a
    ``HistoryStore``); ``sessions`` may be passed when the caller already has them.
    Rotation ids that are no longer in ``workouts`` are skipped.
    """
    known = {w.id: w for w in workouts}
    finished = list(history.sessions()) if sessions is None else list(sessions)
    rotation = [w for w in settings.rotation if w in known]
    progress = weekly_progress(
        finished, now, target=settings.target(), to_local=to_local,
        chosen_workout_ids=rotation, default_workout_id=DEFAULT_WORKOUT_ID,
    )
    workout = known.get(progress.next_workout_id)
    suggestions: tuple[Suggestion, ...] = ()
    if workout is not None:
        suggestions = suggestions_for_workout(
            workout, workout_entries(history, workout), catalog, unit=unit
        )
    return CoachingSnapshot(progress, settings, workout, suggestions, decisions)


def suggestions_for_block(workout: Workout, index: int,
                          suggestions: Iterable[Suggestion]) -> tuple[Suggestion, ...]:
    """The suggestions that concern one block (its movement or its fallback)."""
    block = workout.blocks[index]
    ids = {block.movement_id, block.fallback_movement_id}
    return tuple(s for s in suggestions if s.exercise_id in ids)


def accepted_workout(
    workout: Workout, suggestions: Iterable[Suggestion], decisions: SuggestionDecisions
) -> Workout:
    """``workout`` with every accepted suggestion applied to its block (swaps included).

    A block takes the accepted suggestions about its movement or its fallback, in
    the order given; each block changes at most once per suggestion. Load changes
    are not part of a workout: the runner reads them from the suggestions.
    """
    accepted = [s for s in suggestions if s.id in decisions.accepted]
    if not accepted:
        return workout
    blocks = list(workout.blocks)
    for index in range(len(blocks)):
        for suggestion in suggestions_for_block(workout, index, accepted):
            blocks[index] = apply_to_block(blocks[index], suggestion)
    return replace(workout, blocks=tuple(blocks))
