"""Hevy CSV: both unit variants, its date form, set types, errors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hipflex_desktop.domain.history import EntryKind
from hipflex_desktop.store.formats import HistoryImportError
from hipflex_desktop.store.formats.hevy_csv import (
    HEADER_KG,
    format_hevy_time,
    parse_hevy_csv,
    parse_hevy_time,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"
BERLIN = ZoneInfo("Europe/Berlin")


def _local(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).timestamp()


def test_kilogram_export() -> None:
    batch = parse_hevy_csv((FIXTURES / "hevy_kg.csv").read_bytes(), tz=BERLIN)
    assert batch.layout == "Hevy CSV, kilograms and kilometres"
    day, run = batch.sessions
    assert day.workout_name == "Hip Day"
    assert day.started_at == _local("2024-01-05 18:30")
    assert day.ended_at == _local("2024-01-05 19:35")
    assert day.notes == "Good, quick"
    raises = [e for e in batch.entries if e.exercise_id == "hanging-leg-raise"]
    assert [(e.set_index, e.set_type, e.warmup) for e in raises] == [
        (0, "warmup", True),
        (1, "normal", False),
        (2, "failure", False),
    ]
    assert raises[1].note == "Slow, controlled"
    assert raises[2].rpe == 9.5
    assert raises[2].load == 5
    hold = next(e for e in batch.entries if e.exercise_id == "l-sit-hold")
    assert (hold.kind, hold.duration_s) == (EntryKind.HOLD, 20)
    press = next(e for e in batch.entries if e.exercise_id == "custom:leg-press-machine")
    assert press.set_type == "drop"
    running = next(e for e in batch.entries if e.session_id == run.id)
    assert (running.distance, running.distance_unit, running.duration_s) == (5.2, "km", 1800)
    assert {c.name for c in batch.custom_exercises} == {"Leg Press (Machine)", "Running"}


def test_pound_export_with_bom_and_crlf() -> None:
    batch = parse_hevy_csv((FIXTURES / "hevy_lb.csv").read_bytes(), tz=BERLIN)
    assert batch.layout == "Hevy CSV, pounds and miles"
    nordic = [e for e in batch.entries if e.exercise_id == "reverse-nordic"]
    assert [(e.load, e.unit, e.reps) for e in nordic] == [(10, "lb", 8), (10, "lb", 7)]
    climber = next(e for e in batch.entries if e.exercise_id == "mountain-climber")
    assert (climber.kind, climber.reps) == (EntryKind.REP_SET, 0)


@pytest.mark.parametrize(
    "text",
    [
        "5 Jan 2024, 18:30",
        "05 Jan 2024, 18:30",
        "5 Jan 2024 18:30",
        "5 January 2024, 18:30:00",
        "5 jan. 2024, 18:30",
        "2024-01-05T18:30:00",
        "2024-01-05 18:30",
        "2024-01-05T17:30:00Z",
        "2024-01-05T18:30:00+01:00",
    ],
)
def test_accepted_time_forms(text: str) -> None:
    assert parse_hevy_time(text, BERLIN) == _local("2024-01-05 18:30")


@pytest.mark.parametrize("text", ["5 Foo 2024, 18:30", "2024/01/05 18:30", "yesterday", ""])
def test_refused_time_forms(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the input itself
        parse_hevy_time(text, BERLIN)


def test_we_write_hevys_own_time_form() -> None:
    assert format_hevy_time(_local("2024-01-05 18:30:59"), BERLIN) == "5 Jan 2024, 18:30"


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (
            '"A","5 Jan 2024, 18:30","5 Jan 2024, 19:00","","Squat",,"",0,"normal",50,x,,,',
            11,
            "whole",
        ),
        (
            '"A","5 Jan 2024, 18:30","5 Jan 2024, 19:00","","Squat",,"",0,"giant",50,5,,,',
            9,
            "giant",
        ),
        (
            '"A","5 Jan 2024, 18:30","4 Jan 2024, 19:00","","Squat",,"",0,"normal",50,5,,,',
            3,
            "ends before",
        ),
        ('"A","Jan 5th","5 Jan 2024, 19:00","","Squat",,"",0,"normal",50,5,,,', 2, "is not a time"),
    ],
)
def test_errors_name_the_line_and_column(row: str, column: int, words: str) -> None:
    data = (",".join(HEADER_KG) + "\n" + row + "\n").encode()
    with pytest.raises(HistoryImportError) as caught:
        parse_hevy_csv(data, tz=BERLIN)
    assert (caught.value.line, caught.value.column) == (2, column)
    assert words in str(caught.value)
