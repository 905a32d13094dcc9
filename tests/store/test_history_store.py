"""The history store's everyday life: log, finish, reopen, query, edit and undo."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tinydb import TinyDB

from hipflex_desktop.domain.history import EntryKind
from hipflex_desktop.store.errors import (
    NoActiveSessionError,
    NotFoundError,
    StoreError,
    UnfinishedSessionError,
)
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.store.layout import JOURNAL_FILE, year_path
from hipflex_desktop.store.schema import SCHEMA_VERSION
from tests.store.conftest import (
    T0,
    every_kind,
    finished_session,
    make_entry,
    make_session,
    parse_every_store_file,
)

YEAR = 365 * 86_400.0


def test_a_logged_entry_is_in_the_journal_before_log_entry_returns(
    open_store, data_dir: Path
) -> None:
    store, notices = open_store()
    assert notices == []
    session = make_session()
    store.begin_session(session)
    entry = make_entry(session)
    store.log_entry(entry)

    journal = TinyDB(data_dir / JOURNAL_FILE)
    docs = journal.table("entries").all()
    assert [d["id"] for d in docs] == [entry.id]
    assert journal.table("session").all()[0]["id"] == session.id
    journal.close()


def test_finished_sessions_survive_reopening_with_every_field(open_store, data_dir: Path) -> None:
    store, _ = open_store()
    session = make_session(notes="felt strong", tags=("home",))
    store.begin_session(session)
    entries = every_kind(session)
    for entry in entries:
        store.log_entry(entry)
    finished = store.finish_session(T0 + 1800.0)
    assert finished.ended_at == T0 + 1800.0
    assert finished.duration_s == 1800.0
    assert not (data_dir / JOURNAL_FILE).exists()
    store.close()

    again, notices = open_store()
    assert notices == []
    assert again.sessions() == [finished]
    assert again.entries_for_session(session.id) == entries
    assert again.counts() == (1, len(entries))


def test_history_is_split_into_one_tinydb_file_per_year(open_store, data_dir: Path) -> None:
    store, _ = open_store()
    finished_session(store, T0 - YEAR)
    finished_session(store, T0)
    finished_session(store, T0 + 1000)
    store.close()

    assert year_path(data_dir, 2023).exists()
    with TinyDB(year_path(data_dir, 2024)) as db:
        assert len(db.table("sessions")) == 2
        assert len(db.table("entries")) == 6
        assert db.table("_meta").all()[0]["schema_version"] == SCHEMA_VERSION
    parse_every_store_file(data_dir)


def test_entries_for_exercise_spans_years_and_the_session_in_progress(open_store) -> None:
    store, _ = open_store()
    finished_session(store, T0 - YEAR)
    finished_session(store, T0)
    live = make_session(T0 + 86_400)
    store.begin_session(live)
    store.log_entry(make_entry(live, "hanging-leg-raise"))
    store.log_entry(make_entry(live, "l-sit-hold", EntryKind.HOLD))

    series = store.entries_for_exercise("hanging-leg-raise")
    assert len(series) == 7
    assert [e.started_at for e in series] == sorted(e.started_at for e in series)
    assert series[-1].session_id == live.id
    assert [e.exercise_id for e in store.entries_for_exercise("l-sit-hold")] == ["l-sit-hold"]
    assert store.entries_for_exercise("reverse-nordic") == []


def test_sessions_can_be_filtered_by_time(open_store) -> None:
    store, _ = open_store()
    old, _ = finished_session(store, T0 - YEAR)
    new, _ = finished_session(store, T0)
    assert store.sessions(since=T0 - 10) == [new]
    assert store.sessions(until=T0 - 10) == [old]
    assert store.session(new.id) == new
    assert store.session("nope") is None


def test_logging_needs_a_session_and_rejects_duplicates(open_store) -> None:
    store, _ = open_store()
    session = make_session()
    with pytest.raises(NoActiveSessionError):
        store.log_entry(make_entry(session))
    store.begin_session(session)
    entry = make_entry(session)
    store.log_entry(entry)
    with pytest.raises(ValueError, match="already logged"):
        store.log_entry(entry)
    with pytest.raises(ValueError, match="belongs to session"):
        store.log_entry(make_entry(make_session()))
    with pytest.raises(StoreError, match="still in progress"):
        store.begin_session(make_session())


def test_an_unfinished_session_is_offered_and_can_be_resumed(open_store) -> None:
    store, _ = open_store()
    session = make_session()
    store.begin_session(session)
    first = make_entry(session, set_index=0)
    store.log_entry(first)
    store.close()  # as if the app died here

    again, _ = open_store()
    unfinished = again.unfinished_session()
    assert unfinished is not None
    assert unfinished.session.id == session.id
    assert unfinished.entries == (first,)
    with pytest.raises(UnfinishedSessionError):
        again.begin_session(make_session())

    again.resume_unfinished()
    assert again.unfinished_session() is None
    second = make_entry(session, set_index=1)
    again.log_entry(second)
    finished = again.finish_session(T0 + 900)
    assert again.entries_for_session(finished.id) == [first, second]


def test_an_unfinished_session_can_be_saved_as_is(open_store) -> None:
    store, _ = open_store()
    session = make_session()
    store.begin_session(session)
    entries = [make_entry(session, set_index=i) for i in range(2)]
    for entry in entries:
        store.log_entry(entry)
    store.close()

    again, _ = open_store()
    saved = again.save_unfinished()
    assert saved.ended_at == entries[-1].ended_at  # ends at its last logged set
    assert again.unfinished_session() is None
    assert again.sessions() == [saved]
    again.close()
    third, _ = open_store()
    assert third.unfinished_session() is None
    assert third.entries_for_session(session.id) == entries


def test_an_unfinished_session_can_be_discarded(open_store, data_dir: Path) -> None:
    store, _ = open_store()
    session = make_session()
    store.begin_session(session)
    store.log_entry(make_entry(session))
    store.close()

    again, _ = open_store()
    dropped = again.discard_unfinished()
    assert dropped.session.id == session.id
    assert not (data_dir / JOURNAL_FILE).exists()
    again.close()
    third, _ = open_store()
    assert third.unfinished_session() is None
    assert third.sessions() == []
    with pytest.raises(NotFoundError):
        third.discard_unfinished()


def test_cancel_drops_the_session_in_progress(open_store) -> None:
    store, _ = open_store()
    session = make_session()
    store.begin_session(session)
    store.log_entry(make_entry(session))
    cancelled = store.cancel_session()
    assert len(cancelled.entries) == 1
    assert store.active_session() is None
    assert store.sessions() == []


def test_edit_returns_the_previous_version_so_undo_is_one_more_edit(open_store) -> None:
    store, _ = open_store()
    _, entries = finished_session(store)
    target = entries[1]
    previous = store.edit_entry(replace(target, reps=12, note="better"))
    assert previous == target
    assert store.entry(target.id).reps == 12  # type: ignore[union-attr]
    store.edit_entry(previous)  # undo
    assert store.entry(target.id) == target
    with pytest.raises(ValueError, match="another session"):
        store.edit_entry(replace(target, session_id="elsewhere"))
    with pytest.raises(NotFoundError):
        store.edit_entry(replace(target, id="missing"))


def test_delete_and_restore_an_entry_keeps_its_id_and_position(open_store) -> None:
    store, _ = open_store()
    session, entries = finished_session(store, n=4)
    deleted = store.delete_entry(entries[1].id)
    assert deleted.entry == entries[1]
    assert deleted.position == 1
    assert store.entries_for_session(session.id) == [entries[0], *entries[2:]]
    store.close()

    again, _ = open_store()  # the delete was durable
    assert len(again.entries_for_session(session.id)) == 3
    again.restore_entry(deleted)
    assert again.entries_for_session(session.id) == entries
    with pytest.raises(ValueError, match="already"):
        again.restore_entry(deleted)


def test_edits_work_on_the_session_in_progress_too(open_store, data_dir: Path) -> None:
    store, _ = open_store()
    session = make_session()
    store.begin_session(session)
    entries = [make_entry(session, set_index=i) for i in range(3)]
    for entry in entries:
        store.log_entry(entry)
    store.edit_entry(replace(entries[0], reps=3))
    deleted = store.delete_entry(entries[2].id)
    renamed = store.edit_session(replace(session, workout_name="Renamed"))
    assert renamed.workout_name == "Hip day"
    store.close()

    again, _ = open_store()
    unfinished = again.unfinished_session()
    assert unfinished is not None
    assert unfinished.session.workout_name == "Renamed"
    assert [e.reps for e in unfinished.entries] == [3, 10]
    again.resume_unfinished()
    again.restore_entry(deleted)
    assert again.active_entries()[-1] == entries[2]


def test_delete_and_restore_a_whole_session(open_store) -> None:
    store, _ = open_store()
    keep, _ = finished_session(store, T0)
    gone, gone_entries = finished_session(store, T0 + 3600)
    deleted = store.delete_session(gone.id)
    assert deleted.session == gone
    assert list(deleted.entries) == gone_entries
    assert store.sessions() == [keep]
    assert store.entry(gone_entries[0].id) is None
    store.restore_session(deleted)
    assert store.sessions() == [keep, gone]
    assert store.entries_for_session(gone.id) == gone_entries
    with pytest.raises(ValueError, match="already"):
        store.restore_session(deleted)
    with pytest.raises(NotFoundError):
        store.delete_session("missing")


def test_moving_a_session_to_another_year_moves_its_file(open_store, data_dir: Path) -> None:
    store, _ = open_store()
    session, entries = finished_session(store, T0)
    previous = store.edit_session(replace(session, started_at=T0 - YEAR, notes="typo in date"))
    assert previous == session
    store.close()

    again, _ = open_store()
    moved = again.session(session.id)
    assert moved is not None
    assert moved.notes == "typo in date"
    assert again.entries_for_session(session.id) == entries
    with TinyDB(year_path(data_dir, 2024)) as db:
        assert len(db.table("sessions")) == 0
    with TinyDB(year_path(data_dir, 2023)) as db:
        assert len(db.table("sessions")) == 1
    again.edit_session(previous)  # undo moves it back
    assert again.sessions()[0].started_at == T0


def test_a_read_only_store_refuses_changes_and_takes_no_lock(open_store, data_dir: Path) -> None:
    store, _ = open_store()
    finished_session(store)
    reader, _ = open_store(read_only=True)  # while the writer holds the lock
    assert len(reader.sessions()) == 1
    with pytest.raises(StoreError, match="read-only"):
        reader.begin_session(make_session())


def test_finishing_defaults_to_the_clock_and_never_ends_before_the_start(open_store, clock) -> None:
    store, _ = open_store()
    session = make_session(T0)
    store.begin_session(session)
    clock.now = T0 + 42
    assert store.finish_session().ended_at == T0 + 42
    store.begin_session(make_session(T0 + 100))
    assert store.finish_session(ended_at=T0).ended_at == T0 + 100


def test_closed_store_refuses_writes(data_dir: Path) -> None:
    store, _ = HistoryStore.open(data_dir)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.begin_session(make_session())
