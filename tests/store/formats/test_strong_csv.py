"""Strong CSV: the three layouts and every quirk, read from real fixture files."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hipflex_desktop.domain.history import EntryKind
from hipflex_desktop.store.formats import HistoryImportError, detect_format, parse_any
from hipflex_desktop.store.formats.strong_csv import (
    parse_duration,
    parse_local_datetime,
    parse_strong_csv,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"
BERLIN = ZoneInfo("Europe/Berlin")


def _read(name: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return parse_strong_csv((FIXTURES / name).read_bytes(), tz=BERLIN, **kwargs)  # type: ignore[arg-type]


def _local(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).timestamp()


def test_comma_layout_with_bom_crlf_quotes_and_durations() -> None:
    batch = _read("strong_comma.csv")
    assert batch.layout == "Strong CSV, comma layout"
    first, second = batch.sessions
    assert first.workout_name == "Hips, core"  # quoted comma
    assert first.started_at == _local("2024-01-05 18:30:00")  # local time, not UTC
    assert first.duration_s == 65 * 60  # "1h 5m"
    assert first.notes == "Felt good, strong"
    assert second.duration_s == 45 * 60
    by_exercise = [(e.exercise_id, e.set_index, e.set_type) for e in batch.entries]
    assert by_exercise[:3] == [
        ("hanging-leg-raise", 0, "warmup"),
        ("hanging-leg-raise", 1, "normal"),
        ("hanging-leg-raise", 2, "normal"),
    ]
    warmup, normal, with_lines = batch.entries[:3]
    assert warmup.warmup
    assert normal.note == 'Slow "negatives"'  # doubled quotes
    assert normal.rpe == 8
    assert with_lines.note == "line one\nline two"  # line break inside a quoted field
    assert with_lines.rpe == 8.5  # decimal comma
    assert with_lines.load == 5
    assert with_lines.unit == "kg"  # this layout has no unit: the default applies


def test_comma_layout_can_be_read_as_pounds() -> None:
    batch = _read("strong_comma.csv", default_unit="lb")
    assert {e.unit for e in batch.entries if e.kind is EntryKind.REP_SET} == {"lb"}


def test_a_hold_is_seconds_with_zero_reps() -> None:
    batch = _read("strong_comma.csv")
    hold = next(e for e in batch.entries if e.exercise_id == "l-sit-hold")
    assert hold.kind is EntryKind.HOLD
    assert hold.duration_s == 25
    assert hold.reps is None


def test_drop_sets_and_unknown_exercises() -> None:
    batch = _read("strong_comma.csv")
    squat = next(e for e in batch.entries if e.exercise_id == "custom:squat-barbell")
    assert squat.set_type == "drop"
    assert not squat.warmup
    assert [(c.id, c.name) for c in batch.custom_exercises] == [
        ("custom:squat-barbell", "Squat (Barbell)")
    ]
    raise_ = next(e for e in batch.entries if e.exercise_id == "standing-hip-flexor-raise")
    assert raise_.load == 2.5  # "Hip Flexor Raise (Standing)" is a listed synonym


def test_older_semicolon_layout_with_unit_columns() -> None:
    batch = _read("strong_semicolon_units.csv")
    assert batch.layout == "Strong CSV, older semicolon layout with unit columns"
    (session,) = batch.sessions
    assert session.workout_name == "Evening; quick"  # quoted semicolon
    assert session.duration_s == 32 * 60
    nordic = [e for e in batch.entries if e.exercise_id == "reverse-nordic"]
    assert [(e.load, e.unit, e.reps) for e in nordic] == [(2.5, "lb", 8), (2.5, "lb", 6)]
    assert nordic[1].rpe == 7.5
    assert nordic[1].note == 'Knees "ok"'
    walk = next(e for e in batch.entries if e.exercise_id.startswith("custom:"))
    assert (walk.kind, walk.load, walk.unit, walk.duration_s) == (EntryKind.HOLD, 40, "kg", 45)
    assert (walk.distance, walk.distance_unit) == (50, "m")


def test_newest_layout_with_rest_timer_rows_and_multiline_notes() -> None:
    batch = _read("strong_newest.csv")
    assert batch.layout.startswith("Strong CSV, newest layout")
    assert batch.rest_rows_ignored == 2
    assert len(batch.sessions) == 2
    assert batch.sessions[0].duration_s == 3000
    assert batch.sessions[0].notes == "Warm gym"
    hold = next(e for e in batch.entries if e.exercise_id == "l-sit-hold")
    assert hold.note == "3 holds\nof about 7 s"
    raise_ = next(e for e in batch.entries if e.exercise_id == "standing-hip-flexor-raise")
    assert (raise_.load, raise_.rpe, raise_.note) == (7.5, 8.5, "Band; red")
    assert not batch.custom_exercises
    assert {e.exercise_id for e in batch.entries} >= {"kneeling-lunge-stretch", "lizard-pose"}


def test_newest_layout_in_pounds() -> None:
    batch = _read("strong_newest_lb.csv")
    assert [(e.load, e.unit) for e in batch.entries] == [(10, "lb"), (12.5, "lb")]


def test_ids_are_stable_so_a_second_read_matches() -> None:
    assert _read("strong_newest.csv") == _read("strong_newest.csv")
    assert len({e.id for e in _read("strong_newest.csv").entries}) == 7


@pytest.mark.parametrize(
    ("body", "line", "column", "words"),
    [
        ("1;2024-03-10 09:00:00;A;60;Squat;1;0;ten;;;;;\n", 2, 8, "'ten' is not a whole number"),
        ("1;2024-03-10 09:00:00;A;60;Squat;1;0;5.5;;;;;\n", 2, 8, "not a whole number"),
        ("1;10/03/2024;A;60;Squat;1;0;5;;;;;\n", 2, 2, "is not a date"),
        ("1;2024-02-30 09:00:00;A;60;Squat;1;0;5;;;;;\n", 2, 2, "is not a date"),
        ("1;2024-03-10 09:00:00;A;an hour;Squat;1;0;5;;;;;\n", 2, 4, "not a duration"),
        ("1;2024-03-10 09:00:00;A;60;Squat;X;0;5;;;;;\n", 2, 6, "not a set number"),
        ("1;2024-03-10 09:00:00;A;60;;1;0;5;;;;;\n", 2, 5, "exercise name is empty"),
        ("1;2024-03-10 09:00:00;A;60;Squat;1;-5;5;;;;;\n", 2, 7, "cannot be negative"),
        ("1;2024-03-10 09:00:00;A;60;Squat;1;0;5;;;;;;;extra\n", 2, 14, "header names 13"),
        ('1;2024-03-10 09:00:00;"A;60;Squat;1;0;5;;;;;\n', 2, None, "malformed"),
    ],
)
def test_errors_name_the_line_and_column(
    body: str, line: int, column: int | None, words: str
) -> None:
    header = (
        "Workout #;Date;Workout Name;Duration (sec);Exercise Name;Set Order;Weight (kg);Reps;"
        "RPE;Distance (meters);Seconds;Notes;Workout Notes\n"
    )
    with pytest.raises(HistoryImportError) as caught:
        parse_strong_csv((header + body).encode(), tz=BERLIN)
    assert caught.value.line == line
    assert caught.value.column == column
    assert words in str(caught.value)


def test_the_bad_fixture_points_past_a_multiline_field() -> None:
    with pytest.raises(HistoryImportError) as caught:
        parse_any((FIXTURES / "strong_bad_reps.csv").read_bytes())
    assert str(caught.value) == "line 5, column 8 (Reps): 'ten' is not a whole number"


def test_detection_by_header() -> None:
    assert detect_format((FIXTURES / "strong_comma.csv").read_bytes()) == "strong-csv"
    assert detect_format((FIXTURES / "strong_newest.csv").read_bytes()) == "strong-csv"
    assert detect_format((FIXTURES / "hevy_lb.csv").read_bytes()) == "hevy-csv"
    with pytest.raises(HistoryImportError, match="empty"):
        detect_format(b"  \n")
    with pytest.raises(HistoryImportError, match="not UTF-8") as caught:
        detect_format(b"Date;Exercise Name;Set Order\n\xff\xfe")
    assert caught.value.line == 2


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3600", 3600), ("1h 5m", 3900), ("45m", 2700), ("1h 5m 3s", 3903), ("30s", 30), ("", None)],
)
def test_durations(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["abc", "1x", "-5", "5m 1h extra", "h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(text)):
        parse_duration(text)


def test_dates_with_am_pm_and_without_seconds() -> None:
    assert parse_local_datetime("2024-01-05 6:30:00\u202fPM") == datetime(2024, 1, 5, 18, 30)
    assert parse_local_datetime("2024-01-05 12:05:00 AM") == datetime(2024, 1, 5, 0, 5)
    assert parse_local_datetime("2024-01-05 18:30") == datetime(2024, 1, 5, 18, 30)
