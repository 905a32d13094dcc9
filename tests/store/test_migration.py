"""From schema version 1 (one file, entries inside sessions) to the current layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hipflex_desktop.store.errors import StoreVersionError
from hipflex_desktop.store.files import NoticeKind
from hipflex_desktop.store.layout import LEGACY_HISTORY_FILE, MANIFEST_FILE, year_path
from hipflex_desktop.store.migrations import MIGRATIONS, StoreNeedsMigrationError
from hipflex_desktop.store.schema import SCHEMA_VERSION
from tests.store.conftest import T0, every_kind, make_entry, make_session

YEAR = 365 * 86_400.0


def _write_version_1(data_dir: Path) -> tuple[list, dict]:  # type: ignore[type-arg]
    """A version-1 folder: ``history.json`` only, each session embedding its entries."""
    sessions = [
        make_session(T0 - YEAR, ended_at=T0 - YEAR + 1200),
        make_session(T0, ended_at=T0 + 1800, notes="before the move"),
    ]
    entries = {
        sessions[0].id: [make_entry(sessions[0], set_index=i) for i in range(2)],
        sessions[1].id: every_kind(sessions[1]),
    }
    docs = {}
    for number, session in enumerate(sessions, start=1):
        doc = session.to_dict()
        doc["entries"] = [
            {k: v for k, v in e.to_dict().items() if k != "session_id"} for e in entries[session.id]
        ]
        docs[str(number)] = doc
    (data_dir / LEGACY_HISTORY_FILE).write_text(json.dumps({"sessions": docs}))
    return sessions, entries


def test_version_1_is_migrated_and_the_old_file_kept(open_store, data_dir: Path) -> None:
    sessions, entries = _write_version_1(data_dir)
    store, notices = open_store()

    assert [n.kind for n in notices] == [NoticeKind.MIGRATED]
    kept = notices[0].moved_to
    assert kept is not None
    assert kept.name.startswith("history.v1-migrated-")
    assert str(kept) in notices[0].message
    assert not (data_dir / LEGACY_HISTORY_FILE).exists()
    assert store.sessions() == sessions
    for session in sessions:
        assert store.entries_for_session(session.id) == entries[session.id]
    assert year_path(data_dir, 2023).exists()
    assert year_path(data_dir, 2024).exists()
    manifest = json.loads((data_dir / MANIFEST_FILE).read_text())
    assert manifest["_meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_a_migration_interrupted_before_the_version_bump_is_simply_run_again(
    open_store, data_dir: Path, clock
) -> None:
    sessions, _ = _write_version_1(data_dir)
    MIGRATIONS[1](data_dir, clock)  # year files written, then "crash": no manifest yet
    store, notices = open_store()
    assert [n.kind for n in notices] == [NoticeKind.MIGRATED]
    assert store.sessions() == sessions  # no duplicates
    assert store.counts() == (2, 2 + 6)


def test_a_migration_interrupted_after_the_version_bump_only_moves_the_old_file(
    open_store, data_dir: Path, clock
) -> None:
    from hipflex_desktop.store.migrations import write_manifest

    sessions, _ = _write_version_1(data_dir)
    MIGRATIONS[1](data_dir, clock)
    write_manifest(data_dir, SCHEMA_VERSION, clock)
    store, notices = open_store()
    assert "already been converted" in notices[0].message
    assert store.sessions() == sessions


def test_reading_an_old_folder_without_writing_asks_for_an_upgrade(
    open_store, data_dir: Path
) -> None:
    _write_version_1(data_dir)
    with pytest.raises(StoreNeedsMigrationError, match="older format"):
        open_store(read_only=True)
    assert (data_dir / LEGACY_HISTORY_FILE).exists()


def test_a_folder_from_a_newer_hipflex_is_refused(open_store, data_dir: Path, clock) -> None:
    from hipflex_desktop.store.migrations import write_manifest

    write_manifest(data_dir, SCHEMA_VERSION + 1, clock)
    with pytest.raises(StoreVersionError):
        open_store()


def test_a_new_folder_is_stamped_with_the_current_version(open_store, data_dir: Path) -> None:
    open_store()
    manifest = json.loads((data_dir / MANIFEST_FILE).read_text())
    assert manifest["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert manifest["_meta"]["1"]["kind"] == "manifest"


def test_every_version_below_the_current_one_has_a_step() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))
