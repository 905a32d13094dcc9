"""Damaged files at start: moved aside with a timestamped name, backup used, person told."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hipflex_desktop.store.errors import StoreVersionError
from hipflex_desktop.store.files import NoticeKind, backup_path
from hipflex_desktop.store.layout import EXERCISES_FILE, JOURNAL_FILE, year_path
from hipflex_desktop.store.workouts import WORKOUTS_FILE, TinyWorkoutRepository
from tests.store.conftest import T0, finished_session, make_entry, make_session

TRUNCATED = "truncated"
GARBAGE = "garbage"
WRONG_SHAPE = "wrong-shape"
BAD_ENTRY = "bad-entry"


def _damage(path: Path, how: str) -> bytes:
    good = path.read_bytes()
    if how == TRUNCATED:
        bad = good[: len(good) // 2]
    elif how == GARBAGE:
        bad = b"\x00\xffnot json at all\x13" * 10
    elif how == WRONG_SHAPE:
        bad = json.dumps([{"sessions": 1}]).encode()
    else:  # a valid JSON file whose entry has an unknown kind
        data = json.loads(good)
        next(iter(data["entries"].values()))["kind"] = "cartwheel"
        bad = json.dumps(data).encode()
    path.write_bytes(bad)
    return bad


def _two_sessions(open_store) -> tuple[list[str], Path]:
    store, _ = open_store()
    first, _ = finished_session(store, T0)
    second, _ = finished_session(store, T0 + 3600)
    store.close()
    return [first.id, second.id], year_path(store.data_dir, 2024)


@pytest.mark.parametrize("how", [TRUNCATED, GARBAGE, WRONG_SHAPE, BAD_ENTRY])
def test_a_damaged_year_file_is_moved_aside_and_its_backup_used(open_store, how: str) -> None:
    ids, path = _two_sessions(open_store)
    bad = _damage(path, how)

    store, notices = open_store()
    assert [n.kind for n in notices] == [NoticeKind.RESTORED_FROM_BACKUP]
    notice = notices[0]
    assert notice.moved_to is not None
    assert notice.moved_to.read_bytes() == bad  # nothing silently overwritten
    assert notice.moved_to.name.startswith("2024.damaged-")
    assert notice.moved_to.name.endswith(".json")
    assert str(path) in notice.message
    assert str(notice.moved_to) in notice.message
    assert "last good copy" in notice.message
    # The backup is the state before the last write: the first session only.
    assert [s.id for s in store.sessions()] == ids[:1]
    json.loads(path.read_bytes())  # the restored file is good on disk too


def test_a_damaged_file_without_backup_starts_that_part_empty(open_store, data_dir: Path) -> None:
    store, _ = open_store()
    finished_session(store, T0)
    store.close()
    path = year_path(data_dir, 2024)
    assert not backup_path(path).exists()  # written once: no previous version yet
    bad = _damage(path, GARBAGE)

    again, notices = open_store()
    assert [n.kind for n in notices] == [NoticeKind.STARTED_EMPTY]
    assert "starts empty" in notices[0].message
    assert notices[0].moved_to is not None
    assert notices[0].moved_to.read_bytes() == bad
    assert again.sessions() == []


def test_when_the_backup_is_damaged_too_both_are_kept_aside(open_store, data_dir: Path) -> None:
    _, path = _two_sessions(open_store)
    _damage(path, TRUNCATED)
    _damage(backup_path(path), GARBAGE)

    store, notices = open_store()
    assert [n.kind for n in notices] == [NoticeKind.STARTED_EMPTY]
    assert "backup copy is damaged too" in notices[0].message
    kept = sorted(p.name for p in path.parent.iterdir() if ".damaged-" in p.name)
    assert len(kept) == 2
    assert store.sessions() == []


def test_a_file_from_a_newer_version_is_refused_and_left_alone(open_store) -> None:
    _, path = _two_sessions(open_store)
    data = json.loads(path.read_bytes())
    data["_meta"]["1"]["schema_version"] = 99
    newer = json.dumps(data).encode()
    path.write_bytes(newer)

    with pytest.raises(StoreVersionError, match="newer version of Hipflex") as caught:
        open_store()
    assert caught.value.found == 99
    assert path.read_bytes() == newer
    assert not [p for p in path.parent.iterdir() if ".damaged-" in p.name]


def test_a_damaged_journal_falls_back_to_one_set_earlier(open_store, data_dir: Path) -> None:
    store, _ = open_store()
    session = make_session()
    store.begin_session(session)
    entries = [make_entry(session, set_index=i) for i in range(3)]
    for entry in entries:
        store.log_entry(entry)
    store.close()
    _damage(data_dir / JOURNAL_FILE, TRUNCATED)

    again, notices = open_store()
    assert [n.kind for n in notices] == [NoticeKind.RESTORED_FROM_BACKUP]
    unfinished = again.unfinished_session()
    assert unfinished is not None
    assert unfinished.entries == tuple(entries[:2])


def test_read_only_opening_uses_the_backup_but_changes_nothing(open_store, data_dir: Path) -> None:
    ids, path = _two_sessions(open_store)
    bad = _damage(path, TRUNCATED)
    store, notices = open_store(read_only=True)
    assert [s.id for s in store.sessions()] == ids[:1]
    assert notices[0].moved_to is None
    assert "left where it is" in notices[0].message
    assert path.read_bytes() == bad


def test_a_missing_file_with_a_backup_is_put_back(open_store) -> None:
    ids, path = _two_sessions(open_store)
    path.unlink()
    store, notices = open_store()
    assert [n.kind for n in notices] == [NoticeKind.RESTORED_FROM_BACKUP]
    assert "was missing" in notices[0].message
    assert [s.id for s in store.sessions()] == ids[:1]
    assert path.exists()


def test_a_folder_where_a_file_belongs_is_moved_aside(open_store, data_dir: Path) -> None:
    (data_dir / EXERCISES_FILE).mkdir()
    store, notices = open_store()
    assert [n.kind for n in notices] == [NoticeKind.STARTED_EMPTY]
    assert notices[0].moved_to is not None
    assert notices[0].moved_to.is_dir()
    assert store.custom_exercises() == []


def test_damaged_workouts_file_is_recovered_by_the_repository(data_dir: Path) -> None:
    from hipflex_desktop.domain.prescription import Prescription
    from hipflex_desktop.domain.workouts import Block, Workout

    def workout(name: str) -> Workout:
        block = Block("hanging-leg-raise", Prescription(sets=3, reps_min=8, reps_max=10))
        return Workout(id=f"custom-{name}", name=name, blocks=(block,))

    repo = TinyWorkoutRepository(data_dir)
    repo.save(workout("A"))
    repo.save(workout("B"))
    repo.close()
    path = data_dir / WORKOUTS_FILE
    assert json.loads(path.read_bytes())["_meta"]["1"]["schema_version"] >= 1
    bad = _damage(path, TRUNCATED)

    again = TinyWorkoutRepository(data_dir)
    assert [n.kind for n in again.notices] == [NoticeKind.RESTORED_FROM_BACKUP]
    assert again.notices[0].moved_to is not None
    assert again.notices[0].moved_to.read_bytes() == bad
    assert [w.name for w in again.list()] == ["A"]
    again.save(workout("C"))
    assert [w.name for w in again.list()] == ["A", "C"]


def test_an_unversioned_workouts_file_from_before_is_still_read(data_dir: Path) -> None:
    legacy = {"workouts": {"1": {"id": "custom-x", "name": "Old", "blocks": [], "order": 0}}}
    (data_dir / WORKOUTS_FILE).write_text(json.dumps(legacy))
    repo = TinyWorkoutRepository(data_dir)
    assert repo.notices == []
    assert [w.name for w in repo.list()] == ["Old"]


def test_an_import_never_overwrites_a_damaged_workouts_file_unseen(
    open_store, data_dir: Path
) -> None:
    from hipflex_desktop.domain.prescription import Prescription
    from hipflex_desktop.domain.workouts import Block, Workout
    from hipflex_desktop.store.formats import ImportBatch

    block = Block("l-sit-hold", Prescription(sets=3, hold_seconds=20))
    repo = TinyWorkoutRepository(data_dir)
    repo.save(Workout(id="custom-a", name="A", blocks=(block,)))
    repo.save(Workout(id="custom-b", name="B", blocks=(block,)))
    repo.close()
    bad = _damage(data_dir / WORKOUTS_FILE, GARBAGE)

    store, _ = open_store()
    incoming = Workout(id="custom-c", name="C", blocks=(block,))
    report = store.import_batch(ImportBatch("json", "backup", (), (), workouts=(incoming,)))
    assert report.workouts_added == 1
    assert [n.kind for n in report.notices] == [NoticeKind.RESTORED_FROM_BACKUP]
    assert report.notices[0].moved_to is not None
    assert report.notices[0].moved_to.read_bytes() == bad
    assert [w.name for w in TinyWorkoutRepository(data_dir).list()] == ["A", "C"]
