"""Round trips through every format, and the JSON backup's identical-store promise."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipflex_desktop.domain.history import CustomExercise, Entry, EntryKind, Session
from hipflex_desktop.domain.prescription import Prescription
from hipflex_desktop.domain.workouts import Block, Workout
from hipflex_desktop.store.exchange import export_text
from hipflex_desktop.store.formats import ExportData, HistoryImportError, parse_any
from hipflex_desktop.store.formats.aliases import CANONICAL_NAMES
from hipflex_desktop.store.formats.hevy_csv import export_hevy_csv, parse_hevy_csv
from hipflex_desktop.store.formats.json_backup import export_json, parse_json_backup
from hipflex_desktop.store.formats.strong_csv import export_strong_csv, parse_strong_csv
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.store.workouts import TinyWorkoutRepository
from tests.store.conftest import T0, every_kind, finished_session, make_session, snapshot_files

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"
BERLIN = ZoneInfo("Europe/Berlin")


def _workout(name: str) -> Workout:
    block = Block(
        "hanging-leg-raise", Prescription(sets=3, reps_min=8, reps_max=10, rest_seconds=90)
    )
    return Workout(id=f"custom-{name.lower()}", name=name, blocks=(block,), description="mine")


def _rich_store(data_dir: Path) -> HistoryStore:
    """Sessions in two years, every entry kind, custom exercises and custom workouts."""
    data_dir.mkdir()
    repo = TinyWorkoutRepository(data_dir)
    for name in ("Morning", "Evening", "Travel"):
        repo.save(_workout(name))
    repo.delete("custom-evening")  # leaves a gap in the stored order
    repo.close()
    store, _ = HistoryStore.open(data_dir)
    store.import_batch(parse_any((FIXTURES / "strong_comma.csv").read_bytes(), tz=BERLIN))
    session = make_session(T0, notes="every kind")
    store.begin_session(session)
    for entry in every_kind(session):
        store.log_entry(entry)
    store.finish_session(T0 + 1800)
    finished_session(store, T0 - 400 * 86_400)
    return store


def test_json_backup_into_an_empty_folder_gives_an_identical_store(tmp_path: Path) -> None:
    source = _rich_store(tmp_path / "source")
    backup = export_text(source, "json")
    source.close()

    target, _ = HistoryStore.open(tmp_path / "target")
    report = target.import_batch(parse_json_backup(backup.encode()))
    assert report.sessions_added == 4
    assert report.workouts_added == 2
    again = export_text(target, "json")
    target.close()

    def without_time(text: str) -> dict:  # type: ignore[type-arg]
        data = json.loads(text)
        data.pop("exported_at")
        return data

    assert without_time(again) == without_time(backup)
    source_files = snapshot_files(tmp_path / "source")
    target_files = snapshot_files(tmp_path / "target")
    for name in ("history/2023.json", "history/2024.json", "exercises.json"):
        assert target_files[name] == source_files[name], name
    source_workouts = json.loads(source_files["workouts.json"])["workouts"]
    target_workouts = json.loads(target_files["workouts.json"])["workouts"]
    assert list(source_workouts.values()) == list(target_workouts.values())
    assert [w.name for w in TinyWorkoutRepository(tmp_path / "target").list()] == [
        "Morning",
        "Travel",
    ]


def test_a_backup_restores_custom_exercises_no_set_uses_any_more(tmp_path: Path) -> None:
    source = _rich_store(tmp_path / "source")
    squat = next(s for s in source.sessions() if s.workout_name == "Hips, core")
    source.delete_session(squat.id)  # the only sets of "Squat (Barbell)" go away
    backup = export_text(source, "json").encode()
    source.close()
    target, _ = HistoryStore.open(tmp_path / "target")
    report = target.import_batch(parse_json_backup(backup))
    assert [c.name for c in report.new_custom_exercises] == ["Squat (Barbell)"]
    assert [c.name for c in target.custom_exercises()] == ["Squat (Barbell)"]


def test_importing_a_backup_twice_adds_nothing(tmp_path: Path) -> None:
    source = _rich_store(tmp_path / "source")
    backup = export_text(source, "json").encode()
    source.close()
    target, _ = HistoryStore.open(tmp_path / "target")
    target.import_batch(parse_json_backup(backup))
    before = snapshot_files(tmp_path / "target")
    report = target.import_batch(parse_json_backup(backup))
    assert (report.sessions_added, report.entries_added, report.workouts_added) == (0, 0, 0)
    assert report.sessions_already_present == 4
    assert snapshot_files(tmp_path / "target") == before


@pytest.mark.parametrize("fmt", ["strong-csv", "hevy-csv"])
def test_csv_export_import_export_is_stable(tmp_path: Path, fmt: str) -> None:
    source = _rich_store(tmp_path / "source")
    first = export_text(source, fmt, tz=BERLIN)
    source.close()
    target, _ = HistoryStore.open(tmp_path / "target")
    report = target.import_batch(parse_any(first.encode(), tz=BERLIN))
    assert report.sessions_added == 4
    assert export_text(target, fmt, tz=BERLIN) == first
    # Exercise ids survive: catalog names map back to catalog ids, others to the same custom id.
    assert {e.exercise_id for s in target.sessions() for e in target.entries_for_session(s.id)} == {
        "hanging-leg-raise",
        "standing-hip-flexor-raise",
        "l-sit-hold",
        "mountain-climber",
        "pigeon-pose",
        "custom:squat-barbell",
    }


def test_csv_export_says_what_per_side_and_interval_entries_were(tmp_path: Path) -> None:
    store = _rich_store(tmp_path / "source")
    text = export_text(store, "strong-csv", tz=BERLIN)
    store.close()
    assert "Right side" in text
    assert "Interval round: 28 s worked of 30 s" in text
    header = text.splitlines()[0]
    assert header == (
        "Workout #;Date;Workout Name;Duration (sec);Exercise Name;Set Order;Weight (kg);Reps;"
        "RPE;Distance (meters);Seconds;Notes;Workout Notes"
    )


def test_fixture_files_survive_a_trip_through_our_own_export() -> None:
    for name in ("strong_newest.csv", "strong_semicolon_units.csv", "strong_comma.csv"):
        batch = parse_strong_csv((FIXTURES / name).read_bytes(), tz=BERLIN)
        data = ExportData(
            sessions=batch.sessions,
            entries={
                s.id: [e for e in batch.entries if e.session_id == s.id] for s in batch.sessions
            },
            custom_exercises=batch.custom_exercises,
        )
        again = parse_strong_csv(export_strong_csv(data, tz=BERLIN).encode(), tz=BERLIN)
        assert [s.started_at for s in again.sessions] == [s.started_at for s in batch.sessions]
        assert [s.duration_s for s in again.sessions] == [s.duration_s for s in batch.sessions]
        assert [(e.exercise_id, e.kind, e.reps, e.set_type, e.note) for e in again.entries] == [
            (e.exercise_id, e.kind, e.reps, e.set_type, e.note) for e in batch.entries
        ]


# -- property: any representable history survives export -> import -> export ----------------

_names = st.sampled_from([*CANONICAL_NAMES.values(), "Cable Crunch", "Sissy Squat, assisted"])
_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
    ),
    max_size=20,
).map(str.strip)


@st.composite
def _histories(draw: st.DrawFn) -> ExportData:
    sessions: list[Session] = []
    entries: dict[str, list[Entry]] = {}
    custom: dict[str, CustomExercise] = {}
    starts = draw(
        st.lists(st.integers(1_500_000_000, 1_900_000_000), min_size=1, max_size=4, unique=True)
    )
    for number, start in enumerate(starts):
        start_minute = float(start - start % 60)
        session = Session(
            id=f"s{number}",
            workout_id=None,
            workout_name=draw(_text.filter(bool)) + f" {number}",
            started_at=start_minute,
            ended_at=start_minute + 60 * draw(st.integers(1, 300)),
            notes=draw(_text),
        )
        sessions.append(session)
        rows: list[Entry] = []
        for index in range(draw(st.integers(1, 6))):
            name = draw(_names)
            from hipflex_desktop.store.formats.aliases import exercise_id_for

            exercise_id, is_custom = exercise_id_for(name)
            if is_custom:
                custom[exercise_id] = CustomExercise(exercise_id, name)
            hold = draw(st.booleans())
            rows.append(
                Entry(
                    id=f"{session.id}-{index}",
                    session_id=session.id,
                    exercise_id=exercise_id,
                    kind=EntryKind.HOLD if hold else EntryKind.REP_SET,
                    set_index=index,
                    started_at=start_minute,
                    ended_at=start_minute,
                    reps=None if hold else draw(st.integers(1, 50)),
                    load=None if hold else draw(st.sampled_from([0.0, 2.5, 10.0, 42.5])),
                    unit=None if hold else "kg",
                    rpe=draw(st.none() | st.sampled_from([6.0, 7.5, 9.0])),
                    note=draw(_text),
                    duration_s=float(draw(st.integers(1, 600))) if hold else None,
                    set_type=draw(st.sampled_from(["normal", "warmup", "drop", "failure"])),
                    warmup=False,
                )
            )
        entries[session.id] = rows
    return ExportData(sessions=sessions, entries=entries, custom_exercises=list(custom.values()))


def _as_data(batch) -> ExportData:  # type: ignore[no-untyped-def]
    return ExportData(
        sessions=batch.sessions,
        entries={s.id: [e for e in batch.entries if e.session_id == s.id] for s in batch.sessions},
        custom_exercises=batch.custom_exercises,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_histories())
def test_any_history_survives_both_csv_formats(data: ExportData) -> None:
    for export, parse in (
        (export_strong_csv, lambda b: parse_strong_csv(b, tz=UTC)),
        (export_hevy_csv, lambda b: parse_hevy_csv(b, tz=UTC)),
    ):
        text = export(data, tz=UTC)
        try:
            batch = parse(text.encode())
        except HistoryImportError as exc:  # pragma: no cover - shows the failing text
            raise AssertionError(f"{exc}\n{text}") from exc
        assert export(_as_data(batch), tz=UTC) == text
        assert len(batch.entries) == sum(len(v) for v in data.entries.values())


@settings(max_examples=40, deadline=None)
@given(_histories())
def test_any_history_survives_the_json_backup_exactly(data: ExportData) -> None:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    text = export_json(data, now=moment)
    batch = parse_json_backup(text.encode())
    oldest_first = sorted(data.sessions, key=lambda s: (s.started_at, s.id))
    assert list(batch.sessions) == oldest_first
    assert list(batch.entries) == [e for s in oldest_first for e in data.entries[s.id]]
    assert export_json(_as_data(batch), now=moment) == text
