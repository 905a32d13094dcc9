"""The history store: every logged set survives anything short of a dead disk.

Layout (see ``layout.py`` and ``docs/data-format.md``): the session being
trained lives in a small journal file rewritten atomically on every set, so
logging costs the same with ten years of history as with none; finished
sessions live in one TinyDB file per year. Every write is atomic with a
last-good ``.bak``; a change touching several files is first written as an
intent (``pending-change.json``) and completed at the next start if
interrupted. Each edit returns what it replaced or removed, so an undo stack
can invert it exactly (same ids, same position).

All public methods are thread-safe (one re-entrant lock), so a background
writer thread and the UI thread can share one store.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType

from hipflex_desktop.domain.history import CustomExercise, Entry, Session
from hipflex_desktop.store.atomic import atomic_write_bytes
from hipflex_desktop.store.errors import (
    NoActiveSessionError,
    NotFoundError,
    StorageWriteError,
    StoreError,
    UnfinishedSessionError,
)
from hipflex_desktop.store.files import (
    Clock,
    NoticeKind,
    RecoveryNotice,
    load_file,
    remove_file,
    remove_stale_temp_files,
    write_tables,
)
from hipflex_desktop.store.formats.aliases import normalise_name
from hipflex_desktop.store.formats.common import FORMAT_JSON, ExportData, ImportBatch
from hipflex_desktop.store.layout import (
    EXERCISES_FILE,
    JOURNAL_FILE,
    PENDING_FILE,
    YearData,
    history_dir,
    year_files,
    year_of,
    year_path,
)
from hipflex_desktop.store.lock import DataDirLock
from hipflex_desktop.store.migrations import bring_up_to_date
from hipflex_desktop.store.schema import (
    KIND_EXERCISES,
    KIND_HISTORY_YEAR,
    KIND_JOURNAL,
    KIND_PENDING,
    KIND_WORKOUTS,
    Document,
    Tables,
    numbered,
    tables_with_meta,
    validate_exercises,
    validate_history_year,
    validate_journal,
    validate_pending,
    validate_workouts,
)
from hipflex_desktop.store.workouts import WORKOUTS_FILE, workouts_tables

UNSAVED_NOTE = (
    "Your session and its sets are kept in memory: keep training, and choose “Retry saving” "
    "once this is fixed."
)

# Files a pending change may name (relative to the data dir); anything else is refused.
_PENDING_TARGET = re.compile(r"^(history/\d{4}\.json|exercises\.json|workouts\.json)$")


@dataclass(frozen=True)
class UnfinishedSession:
    """A session found in progress at start (the app or computer stopped mid-session)."""

    session: Session
    entries: tuple[Entry, ...]

    @property
    def last_activity(self) -> float:
        return max([self.session.started_at, *(e.ended_at for e in self.entries)])


@dataclass(frozen=True)
class DeletedEntry:
    """What :meth:`HistoryStore.delete_entry` removed; pass it to ``restore_entry`` to undo."""

    entry: Entry
    position: int  # index among its session's entries


@dataclass(frozen=True)
class DeletedSession:
    """What :meth:`HistoryStore.delete_session` removed; pass it to ``restore_session``."""

    session: Session
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ImportReport:
    """What an import adds (dry run) or added: the numbers people see."""

    format: str
    layout: str
    sessions_added: int
    entries_added: int
    sessions_already_present: int
    new_custom_exercises: tuple[CustomExercise, ...]
    workouts_added: int
    workouts_already_present: int
    rest_rows_ignored: int
    dry_run: bool
    notices: tuple[RecoveryNotice, ...] = ()  # e.g. a damaged workouts file moved aside

    @property
    def unknown_exercise_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.new_custom_exercises)


@dataclass
class _Active:
    session: Session
    entries: list[Entry]
    docs: list[Document]  # entry documents, parallel to ``entries`` (cached to_dict)
    unsaved: set[str] = field(default_factory=set)  # entry ids not yet on disk
    dirty: bool = False  # the journal on disk is behind memory

    def position(self, entry_id: str) -> int | None:
        for index, entry in enumerate(self.entries):
            if entry.id == entry_id:
                return index
        return None


class HistoryStore:
    """Sessions, entries and custom exercises of one data folder.

    Open with :meth:`open`; it returns the store and the notices (recovered or
    moved files, completed changes) the person should be told about.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        read_only: bool,
        lock: DataDirLock | None,
        clock: Clock,
    ) -> None:
        self.data_dir = data_dir
        self.read_only = read_only
        self._lock = lock
        self._clock = clock
        self._mutex = threading.RLock()
        self._years: dict[int, YearData] = {}
        self._session_year: dict[str, int] = {}
        self._entry_session: dict[str, str] | None = None  # lazy: entry id -> session id
        self._by_exercise: dict[str, list[Document]] | None = None  # lazy
        self._custom: dict[str, CustomExercise] = {}
        self._active: _Active | None = None
        self._unfinished: UnfinishedSession | None = None
        self._pending_stuck = False
        self._closed = False
        # Opened on a folder we could not write: take the lock once writing works again.
        self._lock_later = False

    # -- opening and closing ------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        read_only: bool = False,
        lock_timeout_s: float = 0.0,
        clock: Clock = time.time,
        lock_sleep: Callable[[float], None] = time.sleep,
    ) -> tuple[HistoryStore, list[RecoveryNotice]]:
        """Open (creating if needed) the store in ``data_dir``.

        A writable open takes the folder's lock (waiting up to ``lock_timeout_s``,
        then raising :class:`StoreLockedError`), migrates older layouts, finishes
        an interrupted multi-file change and repairs damaged files. A read-only
        open (for export, dry runs) takes no lock and changes nothing on disk.
        """
        data_dir = Path(data_dir)
        notices: list[RecoveryNotice] = []
        lock: DataDirLock | None = None
        repair = not read_only
        if not read_only:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError:
                repair = False
            repair = repair and os.access(data_dir, os.W_OK)
            if repair:
                lock = DataDirLock(data_dir, sleep=lock_sleep)
                if not lock.acquire(lock_timeout_s):
                    lock = None
                    repair = False
            if not repair:
                notices.append(
                    RecoveryNotice(
                        NoticeKind.READ_ONLY,
                        data_dir,
                        f"The data folder {data_dir} cannot be written to. You can look at "
                        "your history, but new sets will only be kept in memory until the "
                        "folder can be saved to again.",
                    )
                )
        store = cls(data_dir, read_only=read_only, lock=lock, clock=clock)
        store._lock_later = not read_only and lock is None
        try:
            with _collector_paused():
                notices.extend(store._load(repair=repair))
        except BaseException:
            store.close()
            raise
        return store, notices

    def close(self) -> None:
        """Release the folder lock. Unsaved data stays unsaved: check ``has_unsaved`` first."""
        with self._mutex:
            self._closed = True
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _load(self, *, repair: bool) -> list[RecoveryNotice]:
        notices: list[RecoveryNotice] = []
        if repair:
            remove_stale_temp_files(self.data_dir)
            remove_stale_temp_files(history_dir(self.data_dir))
        if self.data_dir.is_dir():
            notices.extend(bring_up_to_date(self.data_dir, repair=repair, clock=self._clock))
            notices.extend(self._complete_pending_change(repair=repair))
        custom = self._load_file(
            self.data_dir / EXERCISES_FILE,
            KIND_EXERCISES,
            "your custom exercises",
            validate_exercises,
            repair,
            notices,
        )
        if custom is not None:
            for doc in custom["custom_exercises"].values():
                exercise = CustomExercise.from_dict(doc)
                self._custom[exercise.id] = exercise
        for year, path in year_files(self.data_dir).items():
            tables = self._load_file(
                path,
                KIND_HISTORY_YEAR,
                f"your {year} history",
                validate_history_year,
                repair,
                notices,
            )
            if tables is None:
                continue
            data = YearData.from_tables(year, tables)
            for session_id in list(data.sessions):
                if session_id in self._session_year:  # already seen in another year file
                    del data.sessions[session_id]
                    data.entries.pop(session_id, None)
                else:
                    self._session_year[session_id] = year
            self._years[year] = data
        journal = self._load_file(
            self._journal_path,
            KIND_JOURNAL,
            "the session in progress",
            validate_journal,
            repair,
            notices,
        )
        if journal is not None:
            session = Session.from_dict(next(iter(journal["session"].values())))
            if session.id in self._session_year:
                # Finished and saved, but the journal's removal did not happen: finish it now.
                if repair:
                    with contextlib.suppress(StorageWriteError):
                        remove_file(self._journal_path)
            else:
                entries = tuple(Entry.from_dict(d) for d in journal["entries"].values())
                self._unfinished = UnfinishedSession(session, entries)
        return notices

    def _load_file(  # noqa: PLR0917 - private helper, called six times with the same shape
        self,
        path: Path,
        kind: str,
        label: str,
        validator: Callable[[Tables], None],
        repair: bool,
        notices: list[RecoveryNotice],
    ) -> Tables | None:
        loaded = load_file(
            path, kind=kind, label=label, validator=validator, repair=repair, clock=self._clock
        )
        notices.extend(loaded.notices)
        return loaded.tables

    def _complete_pending_change(self, *, repair: bool) -> list[RecoveryNotice]:
        path = self.data_dir / PENDING_FILE
        notices: list[RecoveryNotice] = []
        pending = self._load_file(
            path, KIND_PENDING, "a change being saved", validate_pending, repair, notices
        )
        if pending is None:
            return notices
        if not repair:
            notices.append(
                RecoveryNotice(
                    NoticeKind.COMPLETED_CHANGE,
                    path,
                    "A change (such as an import) was being saved when Hipflex last stopped. "
                    "It will be completed the next time Hipflex opens this folder for writing; "
                    "until then you see the data as it was before that change.",
                )
            )
            return notices
        for doc in pending["files"].values():
            if not _PENDING_TARGET.match(doc["path"]) or doc.get("tables") is None:
                continue
            target = self.data_dir / doc["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            write_tables(target, doc["tables"])
        remove_file(path)
        notices.append(
            RecoveryNotice(
                NoticeKind.COMPLETED_CHANGE,
                path,
                "A change (such as an import) was being saved when Hipflex last stopped; "
                "it has now been completed.",
            )
        )
        return notices

    # -- helpers ------------------------------------------------------------------------

    @property
    def _journal_path(self) -> Path:
        return self.data_dir / JOURNAL_FILE

    def _check_writable(self) -> None:
        self._check_open()
        self._prepare_write()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("The history store is closed.")
        if self.read_only:
            raise StoreError("This history store was opened read-only; nothing can be changed.")

    def _prepare_write(self) -> None:
        """Catch up on what an earlier failure left to do, just before a write."""
        if self._lock_later:
            lock = DataDirLock(self.data_dir)
            if os.access(self.data_dir, os.W_OK) and lock.acquire(0.0):
                self._lock = lock
                self._lock_later = False
        if self._pending_stuck:
            remove_file(self.data_dir / PENDING_FILE)
            self._pending_stuck = False

    def _year(self, year: int) -> YearData:
        return self._years.get(year) or YearData(year)

    def _entry_index(self) -> dict[str, str]:
        if self._entry_session is None:
            self._entry_session = {
                doc["id"]: session_id
                for data in self._years.values()
                for session_id, docs in data.entries.items()
                for doc in docs
            }
        return self._entry_session

    def _exercise_index(self) -> dict[str, list[Document]]:
        if self._by_exercise is None:
            index: dict[str, list[Document]] = {}
            for year in sorted(self._years):
                data = self._years[year]
                for docs in data.entries.values():
                    for doc in docs:
                        index.setdefault(doc["exercise_id"], []).append(doc)
            self._by_exercise = index
        return self._by_exercise

    def _invalidate(self) -> None:
        self._entry_session = None
        self._by_exercise = None

    def _install(self, years: Iterable[YearData]) -> None:
        """Adopt new year data after its files were written."""
        for data in years:
            for session_id, year in list(self._session_year.items()):
                if year == data.year and session_id not in data.sessions:
                    del self._session_year[session_id]
            for session_id in data.sessions:
                self._session_year[session_id] = data.year
            self._years[data.year] = data
        self._invalidate()

    def _commit(self, changes: dict[Path, Tables]) -> None:
        """Write ``changes`` so that after a crash either all or none are in effect.

        One file: an atomic replace is enough. Several: the full new contents go
        to ``pending-change.json`` first; the next start completes it if we die
        half-way. On a write error we try to put back what was already written.
        """
        if any(path.parent.name == "history" for path in changes):
            try:
                history_dir(self.data_dir).mkdir(exist_ok=True)
            except OSError as exc:
                raise StorageWriteError.from_os_error(history_dir(self.data_dir), exc) from None
        if len(changes) == 1:
            ((path, tables),) = changes.items()
            write_tables(path, tables)
            return
        previous: dict[Path, bytes | None] = {}
        for path in changes:
            try:
                previous[path] = path.read_bytes()
            except FileNotFoundError:
                previous[path] = None
            except OSError as exc:
                raise StorageWriteError.from_os_error(path, exc) from None
        pending_path = self.data_dir / PENDING_FILE
        body = tables_with_meta(
            KIND_PENDING,
            {
                "files": numbered(
                    [
                        {"path": path.relative_to(self.data_dir).as_posix(), "tables": tables}
                        for path, tables in changes.items()
                    ]
                )
            },
        )
        write_tables(pending_path, body, keep_backup=False)
        written: list[Path] = []
        try:
            for path, tables in changes.items():
                write_tables(path, tables)
                written.append(path)
        except StorageWriteError:
            try:
                for path in written:
                    old = previous[path]
                    if old is None:
                        remove_file(path)
                    else:
                        atomic_write_bytes(path, old, keep_backup=False)
                remove_file(pending_path)
            except (OSError, StorageWriteError):
                pass  # the intent stays: the next start completes the change instead
            raise
        try:
            remove_file(pending_path)
        except StorageWriteError:
            self._pending_stuck = True  # retried before the next write; see _check_writable

    def _year_changes(self, years: Iterable[YearData]) -> dict[Path, Tables]:
        return {year_path(self.data_dir, d.year): d.to_tables() for d in years}

    # -- the session in progress --------------------------------------------------------

    def _write_journal(self) -> None:
        active = self._active
        assert active is not None
        self._prepare_write()
        body = tables_with_meta(
            KIND_JOURNAL,
            {"session": {"1": active.session.to_dict()}, "entries": numbered(list(active.docs))},
        )
        write_tables(self._journal_path, body)
        active.dirty = False
        active.unsaved.clear()

    def _write_journal_keeping_memory(self) -> None:
        try:
            self._write_journal()
        except StorageWriteError as exc:
            raise exc.with_note(UNSAVED_NOTE) from None

    def _require_active(self, session_id: str | None = None) -> _Active:
        active = self._active
        if active is None:
            raise NoActiveSessionError("No session is in progress; start one first.")
        if session_id is not None and active.session.id != session_id:
            raise ValueError(
                f"entry belongs to session {session_id}, but {active.session.id} is in progress"
            )
        return active

    def begin_session(self, session: Session) -> None:
        """Start ``session`` and save it durably before returning.

        Raises :class:`UnfinishedSessionError` while a crashed session awaits a
        decision. On :class:`StorageWriteError` the session still starts (in
        memory) and ``retry_unsaved`` saves it later.
        """
        with self._mutex:
            self._check_open()
            if self._unfinished is not None:
                raise UnfinishedSessionError(
                    "An unfinished session from before is waiting: resume it, save it or "
                    "discard it first."
                )
            if self._active is not None:
                raise StoreError(f"Session {self._active.session.id} is still in progress.")
            if session.id in self._session_year:
                raise ValueError(f"session id {session.id} is already in the history")
            self._active = _Active(replace(session, ended_at=None), [], [], dirty=True)
            self._write_journal_keeping_memory()

    def log_entry(self, entry: Entry) -> None:
        """Add one set to the session in progress; it is on disk when this returns.

        On :class:`StorageWriteError` (read-only folder, full disk) the entry
        stays in memory, listed by :meth:`unsaved_entries`; logging can go on,
        and :meth:`retry_unsaved` (or the next successful log) saves it.
        """
        with self._mutex:
            self._check_open()
            active = self._require_active(entry.session_id)
            if active.position(entry.id) is not None:
                raise ValueError(f"entry {entry.id} was already logged")
            active.entries.append(entry)
            active.docs.append(entry.to_dict())
            active.unsaved.add(entry.id)
            active.dirty = True
            self._write_journal_keeping_memory()

    def has_unsaved(self) -> bool:
        with self._mutex:
            return self._active is not None and self._active.dirty

    def unsaved_entries(self) -> list[Entry]:
        """Entries logged but not yet on disk (after a failed save)."""
        with self._mutex:
            active = self._active
            if active is None:
                return []
            return [e for e in active.entries if e.id in active.unsaved]

    def retry_unsaved(self) -> None:
        """Try again to save the session in progress; raises StorageWriteError if still failing."""
        with self._mutex:
            self._check_writable()
            if self._active is not None and self._active.dirty:
                self._write_journal_keeping_memory()

    def active_session(self) -> Session | None:
        with self._mutex:
            return self._active.session if self._active else None

    def active_entries(self) -> list[Entry]:
        with self._mutex:
            return list(self._active.entries) if self._active else []

    def finish_session(self, ended_at: float | None = None, notes: str | None = None) -> Session:
        """Move the session in progress into the history; durable before returning."""
        with self._mutex:
            self._check_writable()
            active = self._require_active()
            end = self._clock() if ended_at is None else ended_at
            session = replace(
                active.session,
                ended_at=max(end, active.session.started_at),
                notes=active.session.notes if notes is None else notes,
            )
            self._store_finished(session, active.docs)
            self._active = None
            with contextlib.suppress(StorageWriteError):
                # If this fails the journal names a session already in the history,
                # and the next start removes it (see _load).
                remove_file(self._journal_path)
            return session

    def _store_finished(self, session: Session, docs: list[Document]) -> None:
        year = year_of(session.started_at)
        data = self._year(year).copy()
        data.sessions[session.id] = session.to_dict()
        data.entries[session.id] = list(docs)
        self._commit(self._year_changes([data]))
        self._install([data])

    def cancel_session(self) -> UnfinishedSession:
        """Drop the session in progress (the person chose not to keep it)."""
        with self._mutex:
            self._check_writable()
            active = self._require_active()
            remove_file(self._journal_path)
            self._active = None
            return UnfinishedSession(active.session, tuple(active.entries))

    # -- after a crash ------------------------------------------------------------------

    def unfinished_session(self) -> UnfinishedSession | None:
        """The session that was in progress when Hipflex last stopped, if any."""
        with self._mutex:
            return self._unfinished

    def _take_unfinished(self) -> UnfinishedSession:
        if self._unfinished is None:
            raise NotFoundError("There is no unfinished session.")
        return self._unfinished

    def resume_unfinished(self) -> UnfinishedSession:
        """Carry on with the unfinished session: it becomes the session in progress."""
        with self._mutex:
            self._check_writable()
            unfinished = self._take_unfinished()
            if self._active is not None:
                raise StoreError("Another session is in progress.")
            self._active = _Active(
                unfinished.session,
                list(unfinished.entries),
                [e.to_dict() for e in unfinished.entries],
            )
            self._unfinished = None
            return unfinished

    def save_unfinished(self, ended_at: float | None = None) -> Session:
        """Keep the unfinished session as it is; it ends at its last logged set by default."""
        with self._mutex:
            self._check_writable()
            unfinished = self._take_unfinished()
            end = unfinished.last_activity if ended_at is None else ended_at
            session = replace(unfinished.session, ended_at=max(end, unfinished.session.started_at))
            self._store_finished(session, [e.to_dict() for e in unfinished.entries])
            self._unfinished = None
            with contextlib.suppress(StorageWriteError):
                remove_file(self._journal_path)
            return session

    def discard_unfinished(self) -> UnfinishedSession:
        """Throw the unfinished session away; returns it (e.g. to show what was dropped)."""
        with self._mutex:
            self._check_writable()
            unfinished = self._take_unfinished()
            remove_file(self._journal_path)
            self._unfinished = None
            return unfinished

    # -- reading ------------------------------------------------------------------------

    def sessions(self, since: float | None = None, until: float | None = None) -> list[Session]:
        """Finished sessions starting in ``[since, until)``, oldest first."""
        with self._mutex:
            found = [
                Session.from_dict(doc)
                for year in sorted(self._years)
                for doc in self._years[year].sessions.values()
                if (since is None or doc["started_at"] >= since)
                and (until is None or doc["started_at"] < until)
            ]
        found.sort(key=lambda s: (s.started_at, s.id))
        return found

    def session(self, session_id: str) -> Session | None:
        with self._mutex:
            if self._active is not None and self._active.session.id == session_id:
                return self._active.session
            year = self._session_year.get(session_id)
            if year is None:
                return None
            return Session.from_dict(self._years[year].sessions[session_id])

    def entries_for_session(self, session_id: str) -> list[Entry]:
        with self._mutex:
            if self._active is not None and self._active.session.id == session_id:
                return list(self._active.entries)
            year = self._session_year.get(session_id)
            if year is None:
                return []
            return [Entry.from_dict(d) for d in self._years[year].entries.get(session_id, ())]

    def entries_for_exercise(self, exercise_id: str) -> list[Entry]:
        """Every entry of one exercise, oldest first, including the session in progress."""
        with self._mutex, _collector_paused():
            docs = list(self._exercise_index().get(exercise_id, ()))
            live = (
                [e for e in self._active.entries if e.exercise_id == exercise_id]
                if self._active
                else []
            )
        with _collector_paused():
            entries = [Entry.from_dict(d) for d in docs] + live
        entries.sort(key=lambda e: e.started_at)
        return entries

    def entry(self, entry_id: str) -> Entry | None:
        with self._mutex:
            if self._active is not None:
                position = self._active.position(entry_id)
                if position is not None:
                    return self._active.entries[position]
            session_id = self._entry_index().get(entry_id)
            if session_id is None:
                return None
            docs = self._years[self._session_year[session_id]].entries[session_id]
            return next(Entry.from_dict(d) for d in docs if d["id"] == entry_id)

    def custom_exercises(self) -> list[CustomExercise]:
        with self._mutex:
            return sorted(self._custom.values(), key=lambda c: c.name.casefold())

    def counts(self) -> tuple[int, int]:
        """(finished sessions, their entries)."""
        with self._mutex:
            return (
                sum(len(d.sessions) for d in self._years.values()),
                sum(d.entry_count() for d in self._years.values()),
            )

    # -- editing (each durable, each invertible) ----------------------------------------

    def _locate_entry(self, entry_id: str) -> tuple[str, int]:
        """(session id, position) of an entry in the finished history."""
        session_id = self._entry_index().get(entry_id)
        if session_id is None:
            raise NotFoundError(f"There is no entry {entry_id}.")
        docs = self._years[self._session_year[session_id]].entries[session_id]
        position = next(i for i, d in enumerate(docs) if d["id"] == entry_id)
        return session_id, position

    def edit_entry(self, entry: Entry) -> Entry:
        """Replace the stored entry with the same id; returns the previous version."""
        with self._mutex:
            self._check_writable()
            if self._active is not None:
                position = self._active.position(entry.id)
                if position is not None:
                    previous = self._active.entries[position]
                    if previous.session_id != entry.session_id:
                        raise ValueError("an entry cannot move to another session")
                    index = position
                    self._journal_edit(lambda a: _set_entry(a, index, entry))
                    return previous
            session_id, position = self._locate_entry(entry.id)
            if session_id != entry.session_id:
                raise ValueError("an entry cannot move to another session")
            data = self._year(self._session_year[session_id]).copy()
            previous = Entry.from_dict(data.entries[session_id][position])
            data.entries[session_id][position] = entry.to_dict()
            self._commit(self._year_changes([data]))
            self._install([data])
            return previous

    def delete_entry(self, entry_id: str) -> DeletedEntry:
        with self._mutex:
            self._check_writable()
            if self._active is not None:
                position = self._active.position(entry_id)
                if position is not None:
                    removed = self._active.entries[position]
                    index = position
                    self._journal_edit(lambda a: _pop_entry(a, index))
                    return DeletedEntry(removed, position)
            session_id, position = self._locate_entry(entry_id)
            data = self._year(self._session_year[session_id]).copy()
            removed_doc = data.entries[session_id].pop(position)
            self._commit(self._year_changes([data]))
            self._install([data])
            return DeletedEntry(Entry.from_dict(removed_doc), position)

    def restore_entry(self, deleted: DeletedEntry) -> None:
        """Put a deleted entry back at its old position, with its old id."""
        with self._mutex:
            self._check_writable()
            entry = deleted.entry
            if self.entry(entry.id) is not None:
                raise ValueError(f"entry {entry.id} is already in the store")
            if self._active is not None and self._active.session.id == entry.session_id:
                self._journal_edit(lambda a: _insert_entry(a, deleted.position, entry))
                return
            year = self._session_year.get(entry.session_id)
            if year is None:
                raise NotFoundError(f"The session of entry {entry.id} is no longer there.")
            data = self._year(year).copy()
            docs = data.entries[entry.session_id]
            docs.insert(min(deleted.position, len(docs)), entry.to_dict())
            self._commit(self._year_changes([data]))
            self._install([data])

    def _journal_edit(self, change: Callable[[_Active], None]) -> None:
        """Apply ``change`` to the session in progress and save; undo it in memory on failure."""
        active = self._active
        assert active is not None
        before = (list(active.entries), list(active.docs), set(active.unsaved), active.dirty)
        change(active)
        try:
            self._write_journal()
        except StorageWriteError:
            active.entries, active.docs, active.unsaved, active.dirty = before
            raise

    def edit_session(self, session: Session) -> Session:
        """Replace a session's record (name, times, notes); returns the previous version.

        A finished session whose start moves to another year moves file, as one
        all-or-nothing change.
        """
        with self._mutex:
            self._check_writable()
            if self._active is not None and self._active.session.id == session.id:
                previous = self._active.session
                active = self._active
                active.session = replace(session, ended_at=None)
                try:
                    self._write_journal()
                except StorageWriteError:
                    active.session = previous
                    raise
                return previous
            old_year = self._session_year.get(session.id)
            if old_year is None:
                raise NotFoundError(f"There is no session {session.id}.")
            old = self._year(old_year).copy()
            previous = Session.from_dict(old.sessions[session.id])
            new_year = year_of(session.started_at)
            if new_year == old_year:
                old.sessions[session.id] = session.to_dict()
                changed = [old]
            else:
                docs = old.entries.pop(session.id)
                del old.sessions[session.id]
                new = self._year(new_year).copy()
                new.sessions[session.id] = session.to_dict()
                new.entries[session.id] = docs
                changed = [old, new]
            self._commit(self._year_changes(changed))
            self._install(changed)
            return previous

    def delete_session(self, session_id: str) -> DeletedSession:
        """Remove a finished session and its entries; returns them for ``restore_session``."""
        with self._mutex:
            self._check_writable()
            year = self._session_year.get(session_id)
            if year is None:
                raise NotFoundError(f"There is no finished session {session_id}.")
            data = self._year(year).copy()
            doc = data.sessions.pop(session_id)
            docs = data.entries.pop(session_id, [])
            self._commit(self._year_changes([data]))
            self._install([data])
            return DeletedSession(Session.from_dict(doc), tuple(Entry.from_dict(d) for d in docs))

    def restore_session(self, deleted: DeletedSession) -> None:
        """Put a deleted session back with the same ids and entry order."""
        with self._mutex:
            self._check_writable()
            session = deleted.session
            if session.id in self._session_year:
                raise ValueError(f"session {session.id} is already in the history")
            index = self._entry_index()
            if any(e.id in index for e in deleted.entries):
                raise ValueError("some of the session's entries are already in the history")
            self._store_finished(session, [e.to_dict() for e in deleted.entries])

    # -- import and export --------------------------------------------------------------

    def import_batch(self, batch: ImportBatch, *, dry_run: bool = False) -> ImportReport:
        """Add what ``batch`` holds that the store lacks, all or nothing.

        A session is already present when its id is, or when a session with the
        same start second and workout name is (the same workout met again
        through another export). ``dry_run`` computes the report and writes nothing.
        """
        with self._mutex:
            if not dry_run:
                self._check_writable()
            known_keys = {
                (round(float(doc["started_at"])), normalise_name(str(doc["workout_name"])))
                for data in self._years.values()
                for doc in data.sessions.values()
            }
            busy = {s.session.id for s in (self._active, self._unfinished) if s is not None}
            entry_index = self._entry_index()
            by_session: dict[str, list[Entry]] = {}
            for entry in batch.entries:
                by_session.setdefault(entry.session_id, []).append(entry)
            new_sessions: list[Session] = []
            present = 0
            for session in batch.sessions:
                key = (round(session.started_at), normalise_name(session.workout_name))
                if session.id in self._session_year or session.id in busy or key in known_keys:
                    present += 1
                    continue
                if any(e.id in entry_index for e in by_session.get(session.id, ())):
                    present += 1
                    continue
                new_sessions.append(session)
            new_entries = [e for s in new_sessions for e in by_session.get(s.id, ())]
            used = {e.exercise_id for e in new_entries}
            # A backup restores every custom exercise; a CSV adds those its new sets use.
            new_custom = [
                c
                for c in batch.custom_exercises
                if c.id not in self._custom and (batch.format == FORMAT_JSON or c.id in used)
            ]
            notices: list[RecoveryNotice] = []
            existing_workouts = self._stored_workouts(
                repair=bool(batch.workouts) and not dry_run, notices=notices
            )
            known_workout_ids = {str(doc.get("id")) for doc in existing_workouts}
            new_workouts = [w for w in batch.workouts if w.id not in known_workout_ids]
            report = ImportReport(
                format=batch.format,
                layout=batch.layout,
                sessions_added=len(new_sessions),
                entries_added=len(new_entries),
                sessions_already_present=present,
                new_custom_exercises=tuple(new_custom),
                workouts_added=len(new_workouts),
                workouts_already_present=len(batch.workouts) - len(new_workouts),
                rest_rows_ignored=batch.rest_rows_ignored,
                dry_run=dry_run,
                notices=tuple(notices),
            )
            if dry_run or not (new_sessions or new_custom or new_workouts):
                return report
            changed: dict[int, YearData] = {}
            for session in new_sessions:
                year = year_of(session.started_at)
                data = changed.get(year)
                if data is None:
                    data = changed[year] = self._year(year).copy()
                data.sessions[session.id] = session.to_dict()
                data.entries[session.id] = [e.to_dict() for e in by_session.get(session.id, ())]
            changes = self._year_changes(changed.values())
            custom_after = dict(self._custom)
            if new_custom:
                custom_after.update((c.id, c) for c in new_custom)
                changes[self.data_dir / EXERCISES_FILE] = _exercises_tables(custom_after)
            if new_workouts:
                orders = dict(
                    zip((w.id for w in batch.workouts), batch.workout_orders, strict=False)
                )
                docs = [dict(d) for d in existing_workouts]
                next_order = max((int(d.get("order", 0)) for d in docs), default=-1) + 1
                for workout in new_workouts:
                    doc = workout.to_dict()
                    doc["order"] = orders.get(workout.id, next_order)
                    next_order = max(next_order, int(doc["order"])) + 1
                    docs.append(doc)
                changes[self.data_dir / WORKOUTS_FILE] = workouts_tables(docs)
            self._commit(changes)
            self._install(changed.values())
            self._custom = custom_after
            return report

    def _stored_workouts(
        self, *, repair: bool = False, notices: list[RecoveryNotice] | None = None
    ) -> list[Document]:
        """Custom workout documents as stored (list order), read fresh from ``workouts.json``.

        Before that file is rewritten (``repair=True``), a damaged one is moved
        aside first, like every other file, so nothing is overwritten unseen.
        """
        loaded = load_file(
            self.data_dir / WORKOUTS_FILE,
            kind=KIND_WORKOUTS,
            label="your custom workouts",
            validator=validate_workouts,
            repair=repair,
            clock=self._clock,
            meta_optional=True,
        )
        if notices is not None:
            notices.extend(loaded.notices)
        if loaded.tables is None:
            return []
        docs = [dict(d) for d in loaded.tables.get("workouts", {}).values()]
        docs.sort(key=lambda d: (d.get("order", 0), str(d.get("name", ""))))
        return docs

    def export_data(self, extra_names: dict[str, str] | None = None) -> ExportData:
        """Everything finished, ready for a writer in ``store/formats``."""
        with self._mutex:
            sessions = self.sessions()
            entries = {
                s.id: [
                    Entry.from_dict(d)
                    for d in self._years[self._session_year[s.id]].entries.get(s.id, ())
                ]
                for s in sessions
            }
            custom = self.custom_exercises()
            workouts = self._stored_workouts()
        return ExportData(
            sessions=sessions,
            entries=entries,
            custom_exercises=custom,
            workouts=workouts,
            exercise_names=dict(extra_names or {}),
        )

    def iter_all_entries(self) -> Iterator[Entry]:
        """Every finished entry (for analytics that need them all), oldest year first."""
        with self._mutex:
            docs = [
                doc
                for year in sorted(self._years)
                for session_docs in self._years[year].entries.values()
                for doc in session_docs
            ]
        for doc in docs:
            yield Entry.from_dict(doc)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many small objects.

    Parsing ten years of history allocates ~200,000 dicts and lists; the
    collector would otherwise scan them over and over (measured: open 125 ms
    instead of 200 ms at 10 years). Reference counting still frees memory, and
    the collector is restored even if loading fails.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _set_entry(active: _Active, position: int, entry: Entry) -> None:
    active.entries[position] = entry
    active.docs[position] = entry.to_dict()
    active.dirty = True


def _pop_entry(active: _Active, position: int) -> None:
    removed = active.entries.pop(position)
    active.docs.pop(position)
    active.unsaved.discard(removed.id)
    active.dirty = True


def _insert_entry(active: _Active, position: int, entry: Entry) -> None:
    position = min(position, len(active.entries))
    active.entries.insert(position, entry)
    active.docs.insert(position, entry.to_dict())
    active.dirty = True


def _exercises_tables(custom: dict[str, CustomExercise]) -> Tables:
    docs = [c.to_dict() for c in sorted(custom.values(), key=lambda c: c.id)]
    return tables_with_meta(KIND_EXERCISES, {"custom_exercises": numbered(docs)})
