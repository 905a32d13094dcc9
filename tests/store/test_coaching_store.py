"""coaching.json: settings, suggestion answers and self-test results, with real files.

Also the read-side helpers the History page, the Dashboard and the CLI share
(session rows, the coaching snapshot, applying accepted suggestions).
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.catalog_loader import load_builtin_workouts, load_catalog
from hipflex_desktop.domain.coaching import SuggestionDecisions, SuggestionKind
from hipflex_desktop.domain.history import Entry, EntryKind, Session, Side
from hipflex_desktop.domain.progress import local_time_in
from hipflex_desktop.domain.selftest import Outcome, record_result
from hipflex_desktop.domain.workouts import Workout
from hipflex_desktop.store import coaching as coaching_module
from hipflex_desktop.store.coaching import (
    COACHING_FILE,
    CoachingSettings,
    CoachingStore,
    accepted_workout,
    coaching_snapshot,
    session_rows,
    summarise_session,
)
from hipflex_desktop.store.errors import StorageWriteError, StoreError
from hipflex_desktop.store.files import NoticeKind
from hipflex_desktop.store.history import HistoryStore

NOW = datetime(2026, 3, 12, 18, 0, tzinfo=UTC).timestamp()  # a Thursday
DAY = 86400.0
UTC_TIME = local_time_in(UTC)


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def workouts(catalog: Catalog) -> list[Workout]:
    return load_builtin_workouts(catalog)


@pytest.fixture
def coaching(data_dir: Path) -> Iterator[CoachingStore]:
    store = CoachingStore(data_dir, clock=Clock())
    yield store
    store.close()


def reopen(data_dir: Path, **kwargs: object) -> CoachingStore:
    return CoachingStore(data_dir, clock=Clock(), **kwargs)  # type: ignore[arg-type]


# --- the file ------------------------------------------------------------------------------------


def test_a_fresh_folder_reads_defaults_and_writes_nothing(
    coaching: CoachingStore, data_dir: Path
) -> None:
    assert coaching.settings() == CoachingSettings()
    assert coaching.settings().sessions_per_week == 2
    assert coaching.decisions() == SuggestionDecisions()
    assert coaching.self_test_results() == []
    assert coaching.notices == []
    assert not (data_dir / COACHING_FILE).exists()


def test_settings_survive_reopening_and_the_file_is_stamped(
    coaching: CoachingStore, data_dir: Path
) -> None:
    chosen = CoachingSettings(3, ("hip-flexor-workout",), ("l-sit-nordic-accessory",))
    coaching.save_settings(chosen)
    again = reopen(data_dir)
    assert again.settings() == chosen
    body = json.loads((data_dir / COACHING_FILE).read_text("utf-8"))
    assert next(iter(body["_meta"].values()))["kind"] == "coaching"
    assert next(iter(body["_meta"].values()))["schema_version"] >= 1
    assert len(body["settings"]) == 1
    coaching.save_settings(CoachingSettings(4))
    assert reopen(data_dir).settings() == CoachingSettings(4)


def test_an_out_of_range_target_is_refused(coaching: CoachingStore) -> None:
    with pytest.raises(ValueError, match="from 1 to 14"):
        coaching.save_settings(CoachingSettings(0))
    assert coaching.settings() == CoachingSettings()


def test_answers_to_suggestions_persist_and_change_their_mind(
    coaching: CoachingStore, data_dir: Path
) -> None:
    coaching.accept("add_load:hanging-leg-raise:s1")
    coaching.dismiss("longer_hold:l-sit-hold:s1")
    coaching.dismiss("add_load:hanging-leg-raise:s1")  # changed their mind
    coaching.accept("longer_intervals:mountain-climber:s1")
    coaching.forget("longer_intervals:mountain-climber:s1")
    decisions = reopen(data_dir).decisions()
    assert decisions.accepted == frozenset()
    assert decisions.dismissed == {"add_load:hanging-leg-raise:s1", "longer_hold:l-sit-hold:s1"}


def test_old_answers_are_pruned_newest_kept(
    coaching: CoachingStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coaching_module, "MAX_DECISIONS", 3)
    for index in range(5):
        coaching.accept(f"id{index}")
    assert reopen(data_dir).decisions().accepted == {"id2", "id3", "id4"}


def test_self_test_results_round_trip_oldest_first(
    coaching: CoachingStore, data_dir: Path
) -> None:
    later = [record_result(Side.LEFT, Outcome.PASSED, NOW), record_result(Side.RIGHT,
             Outcome.OTHER_LEG_LIFTED, NOW, note="right felt tight")]
    earlier = [record_result(Side.LEFT, Outcome.OTHER_LEG_LIFTED, NOW - 7 * DAY)]
    coaching.add_self_test_results(later)
    coaching.add_self_test_results(earlier)
    results = reopen(data_dir).self_test_results()
    assert results[0] == earlier[0]
    assert set(results[1:]) == set(later)
    coaching.remove_self_test_results([earlier[0].id])
    assert earlier[0] not in reopen(data_dir).self_test_results()


def test_every_write_is_atomic_with_a_last_good_backup(
    coaching: CoachingStore, data_dir: Path
) -> None:
    coaching.save_settings(CoachingSettings(3))
    coaching.save_settings(CoachingSettings(5))
    backup = json.loads((data_dir / (COACHING_FILE + ".bak")).read_text("utf-8"))
    assert next(iter(backup["settings"].values()))["sessions_per_week"] == 3
    leftovers = [p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_a_failed_write_changes_nothing_and_says_why(
    coaching: CoachingStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coaching.save_settings(CoachingSettings(3))
    before = (data_dir / COACHING_FILE).read_bytes()

    def disk_full(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(StorageWriteError, match="disk is full"):
        coaching.accept("add_load:hanging-leg-raise:s1")
    monkeypatch.undo()
    assert (data_dir / COACHING_FILE).read_bytes() == before
    assert coaching.decisions() == SuggestionDecisions()
    # The new body's temp file is gone (a half-made backup link may remain; the history
    # store sweeps those at its next start, under the folder lock).
    assert [p for p in data_dir.iterdir() if p.name.startswith(".coaching.json.")] == []


@pytest.mark.parametrize(
    "damage",
    [b"{\"_meta\": {\"1\": {\"schema_versi", b"\x00\xff garbage", b"[1, 2, 3]",
     b'{"_meta": {"1": {"schema_version": 2, "kind": "workouts"}}}',
     b'{"_meta": {"1": {"schema_version": 2, "kind": "coaching"}}, '
     b'"decisions": {"1": {"id": "x", "decision": "maybe"}}}'],
    ids=["truncated", "garbage", "not-an-object", "wrong-kind", "wrong-shape"],
)
def test_a_damaged_file_is_moved_aside_and_its_backup_used(
    coaching: CoachingStore, data_dir: Path, damage: bytes
) -> None:
    coaching.save_settings(CoachingSettings(3))
    coaching.save_settings(CoachingSettings(4))  # the .bak now holds 3
    (data_dir / COACHING_FILE).write_bytes(damage)
    again = reopen(data_dir)
    assert again.settings().sessions_per_week == 3
    (notice,) = again.notices
    assert notice.kind is NoticeKind.RESTORED_FROM_BACKUP
    assert notice.moved_to is not None
    assert notice.moved_to.read_bytes() == damage
    assert "damaged" in notice.moved_to.name
    assert str(notice.moved_to) in notice.message
    assert json.loads((data_dir / COACHING_FILE).read_bytes())  # good again on disk


def test_a_damaged_file_without_backup_starts_empty_and_is_kept(data_dir: Path) -> None:
    (data_dir / COACHING_FILE).write_bytes(b"not json at all")
    store = reopen(data_dir)
    (notice,) = store.notices
    assert notice.kind is NoticeKind.STARTED_EMPTY
    assert notice.moved_to is not None
    assert notice.moved_to.read_bytes() == b"not json at all"
    assert store.settings() == CoachingSettings()
    store.save_settings(CoachingSettings(6))
    assert reopen(data_dir).settings().sessions_per_week == 6


def test_read_only_open_touches_nothing_and_refuses_writes(
    coaching: CoachingStore, data_dir: Path
) -> None:
    coaching.save_settings(CoachingSettings(3))
    coaching.save_settings(CoachingSettings(4))
    (data_dir / COACHING_FILE).write_bytes(b"garbage")
    before = sorted(p.name for p in data_dir.iterdir())
    reader = reopen(data_dir, read_only=True)
    assert reader.settings().sessions_per_week == 3  # the backup, in memory only
    assert "nothing was changed" in reader.notices[0].message or "only reads" in (
        reader.notices[0].message)
    with pytest.raises(StoreError, match="read-only"):
        reader.accept("x")
    assert sorted(p.name for p in data_dir.iterdir()) == before
    assert (data_dir / COACHING_FILE).read_bytes() == b"garbage"


# --- read-side helpers ---------------------------------------------------------------------------


def _session(sid: str, at: float, workout: str = "hip-flexor-workout") -> Session:
    return Session(sid, workout, workout.replace("-", " ").title(), at, at + 1800)


def _entry(session: Session, n: int, exercise: str, kind: EntryKind, **fields: object) -> Entry:
    at = session.started_at + 60 * n
    return Entry(f"{session.id}-e{n}", session.id, exercise, kind, fields.pop("set_index", n),  # type: ignore[arg-type]
                 at, at + 30, **fields)  # type: ignore[arg-type]


def test_session_rows_count_working_sets_reps_and_the_longest_single_hold() -> None:
    old = _session("s1", NOW - 3 * DAY)
    new = _session("s2", NOW - DAY)
    entries = [
        _entry(old, 0, "hanging-leg-raise", EntryKind.REP_SET, reps=5, warmup=True),
        _entry(old, 1, "hanging-leg-raise", EntryKind.REP_SET, reps=10, load=2.5, unit="kg"),
        _entry(old, 2, "hanging-leg-raise", EntryKind.REP_SET, reps=9),
        _entry(old, 3, "l-sit-hold", EntryKind.HOLD, duration_s=21.0, holds_s=(7.0, 8.5, 5.5)),
        _entry(old, 4, "pigeon-pose", EntryKind.PER_SIDE, side=Side.LEFT, duration_s=60.0),
        _entry(new, 0, "mountain-climber", EntryKind.INTERVAL_ROUND, work_s=30.0,
               planned_s=30.0),
    ]
    rows = session_rows([old, new], entries)
    assert [r.id for r in rows] == ["s2", "s1"]  # newest first
    assert (rows[1].sets, rows[1].warmups, rows[1].total_reps) == (4, 1, 19)
    assert rows[1].longest_hold_s == 8.5  # a stretch's 60 s is not a hold
    assert rows[1].exercise_ids == {"hanging-leg-raise", "l-sit-hold", "pigeon-pose"}
    assert (rows[0].sets, rows[0].total_reps, rows[0].longest_hold_s) == (1, 0, None)
    as_json = rows[1].to_json(UTC_TIME)
    assert as_json["started_at"].startswith(
        datetime.fromtimestamp(old.started_at, UTC).date().isoformat())
    assert as_json["warmup_sets"] == 1
    assert summarise_session(new, []).sets == 0


def test_snapshot_rotates_workouts_and_applies_accepted_changes(
    data_dir: Path, catalog: Catalog, workouts: list[Workout]
) -> None:
    history, _ = HistoryStore.open(data_dir / "history-folder")
    with history:
        # Two complete mountain-climber sessions: the interval rounds may grow.
        for index, at in enumerate((NOW - 5 * DAY, NOW - 2 * DAY)):
            session = _session(f"s{index}", at)
            history.begin_session(session)
            for n in range(3):
                history.log_entry(_entry(session, n, "mountain-climber",
                                         EntryKind.INTERVAL_ROUND, work_s=30.0, planned_s=30.0))
            history.finish_session(at + 1800)
        settings = CoachingSettings(rotation=("hip-flexor-workout", "gone-workout"))
        snapshot = coaching_snapshot(history, settings, SuggestionDecisions(), workouts, catalog,
                                     now=NOW, to_local=UTC_TIME)
        assert snapshot.next_workout is not None
        assert snapshot.next_workout.id == "hip-flexor-workout"
        assert snapshot.progress.this_week.sessions == 1  # Tuesday of this week
        (longer,) = snapshot.open
        assert longer.kind is SuggestionKind.LONGER_INTERVALS
        decided = SuggestionDecisions().accept(longer.id)
        changed = accepted_workout(snapshot.next_workout, snapshot.suggestions, decided)
        blocks = {b.movement_id: b for b in changed.blocks}
        assert blocks["mountain-climber"].prescription.work_seconds == 35
        assert changed.blocks[0] == snapshot.next_workout.blocks[0]
        untouched = accepted_workout(snapshot.next_workout, snapshot.suggestions,
                                     SuggestionDecisions().dismiss(longer.id))
        assert untouched == snapshot.next_workout
        rotated = coaching_snapshot(
            history, CoachingSettings(rotation=("l-sit-nordic-accessory", "hip-flexor-workout")),
            SuggestionDecisions(), workouts, catalog, now=NOW, to_local=UTC_TIME)
        assert rotated.progress.next_workout_id == "l-sit-nordic-accessory"  # never done yet
