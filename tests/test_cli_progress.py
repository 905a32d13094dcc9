"""`hipflex history`, `hipflex progress` and `hipflex suggest` as a person types them.

Each command runs in a real subprocess against a data folder seeded through the
history store. The child goes through hipflex's own parser and ``main``; it adds
this module's commands only if ``cli.py`` does not register them itself yet.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hipflex_desktop.cli import build_parser
from hipflex_desktop.cli_progress import METRIC_NAMES
from hipflex_desktop.domain.history import Entry, EntryKind, Session, Side
from hipflex_desktop.domain.progress import Metric
from hipflex_desktop.store.coaching import CoachingStore
from hipflex_desktop.store.history import HistoryStore

ROOT = Path(__file__).resolve().parent.parent
DAY = 86400.0
NOW = time.time()

CHILD = r"""
import argparse, sys
from hipflex_desktop import cli
from hipflex_desktop.cli_progress import register

original = cli.build_parser

def build_parser():
    parser = original()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and "history" not in action.choices:
            register(action)
            cli._accept_data_dir_everywhere(parser)
    return parser

cli.build_parser = build_parser
sys.exit(cli.main(sys.argv[1:]))
"""


def hipflex(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": "UTC", "HIPFLEX_DATA_DIR": str(data_dir),
           "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, timeout=60,
        env=env, cwd=ROOT, check=False,
    )


def _log(store: HistoryStore, session: Session,
         rows: list[tuple[str, EntryKind, dict[str, object]]]) -> None:
    store.begin_session(session)
    for n, (exercise, kind, fields) in enumerate(rows):
        at = session.started_at + 60 * n
        store.log_entry(Entry(f"{session.id}-{n}", session.id, exercise, kind, n, at, at + 30,
                              **fields))  # type: ignore[arg-type]
    store.finish_session(session.started_at + 1500)


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    """Two strength sessions and an L-sit session in the last three weeks."""
    store, _ = HistoryStore.open(data_dir)
    with store:
        for index, days_ago in enumerate((15, 8)):
            session = Session(f"hf{index}", "hip-flexor-workout", "Hip Flexor Workout",
                              NOW - days_ago * DAY)
            _log(store, session, [
                ("hanging-leg-raise", EntryKind.REP_SET,
                 {"reps": 5, "warmup": True, "unit": "kg", "load": 0.0}),
                *[("hanging-leg-raise", EntryKind.REP_SET,
                   {"reps": 8 + index * 2, "load": 2.0 + index, "unit": "kg"}) for _ in range(3)],
                *[("mountain-climber", EntryKind.INTERVAL_ROUND,
                   {"work_s": 30.0, "planned_s": 30.0}) for _ in range(3)],
            ])
        session = Session("ls", "l-sit-nordic-accessory", "L-Sit and Nordic", NOW - 3 * DAY)
        _log(store, session, [
            ("l-sit-hold", EntryKind.HOLD, {"duration_s": 24.0, "holds_s": (8.0, 9.5, 6.5)}),
            ("pigeon-pose", EntryKind.PER_SIDE, {"side": Side.RIGHT, "duration_s": 45.0}),
        ])
    return data_dir


def test_metric_names_are_the_domain_metrics() -> None:
    assert tuple(m.value for m in Metric) == METRIC_NAMES


def test_history_lists_sessions_newest_first(seeded: Path) -> None:
    result = hipflex("history", data_dir=seeded)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Date", "Workout", "Duration", "Sets", "Reps", "Longest", "hold"]
    assert "L-Sit and Nordic" in lines[1]
    assert lines[1].split()[-4:] == ["2", "-", "9.5", "s"]
    assert lines[2].endswith("25 min     6    30             -")
    assert lines[3].endswith("25 min     6    24             -")
    assert len(lines) == 4


def test_history_json_has_every_figure(seeded: Path) -> None:
    result = hipflex("history", "--json", data_dir=seeded)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["ls", "hf1", "hf0"]
    assert rows[1] | {"started_at": "", "notes": ""} == {
        "id": "hf1", "started_at": "", "workout_id": "hip-flexor-workout",
        "workout_name": "Hip Flexor Workout", "duration_s": 1500.0, "sets": 6,
        "warmup_sets": 1, "total_reps": 30, "longest_hold_s": None,
        "exercise_ids": ["hanging-leg-raise", "mountain-climber"], "source": "app", "notes": "",
    }
    assert rows[0]["longest_hold_s"] == 9.5


def test_progress_prints_the_chart_series_with_bests(seeded: Path) -> None:
    result = hipflex("progress", "hanging-leg-raise", "--metric", "top_load", "--json",
                     data_dir=seeded)
    assert result.returncode == 0, result.stderr
    series = json.loads(result.stdout)
    assert series["metric"] == "top_load"
    assert series["unit"] == "kg"
    assert [p["value"] for p in series["points"]] == [2.0, 3.0]
    assert [p["personal_best"] for p in series["points"]] == [False, True]
    assert series["available_metrics"] == ["best_set_reps", "total_reps", "top_load", "volume"]
    assert {b["record"]: b["text"] for b in series["personal_bests"]} == {
        "most_reps": "10 reps with 3 kg", "top_load": "3 kg × 10"}
    plain = hipflex("--data-dir", str(seeded), "progress", "l-sit-hold", data_dir=seeded)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines()[0] == "L-Sit Hold: Longest hold (s)"
    assert "9.5 s" in plain.stdout
    assert "Most hold time in a session: 24 s" in plain.stdout


def test_progress_in_pounds_converts_loads(seeded: Path) -> None:
    result = hipflex("progress", "hanging-leg-raise", "--metric", "top_load", "--unit", "lb",
                     "--json", data_dir=seeded)
    values = [round(p["value"], 2) for p in json.loads(result.stdout)["points"]]
    assert values == [4.41, 6.61]


def test_a_bad_metric_or_exercise_is_a_usage_error(seeded: Path) -> None:
    bad_name = hipflex("progress", "hanging-leg-raise", "--metric", "speed", data_dir=seeded)
    assert bad_name.returncode == 2
    assert "--metric" in bad_name.stderr
    assert "'speed'" in bad_name.stderr
    unfit = hipflex("progress", "hanging-leg-raise", "--metric", "longest_hold",
                    data_dir=seeded)
    assert unfit.returncode == 2
    assert "argument --metric: 'longest_hold' has no data for Hanging Leg Raise" in unfit.stderr
    unknown = hipflex("progress", "flying-kick", data_dir=seeded)
    assert unknown.returncode == 2
    assert "argument EXERCISE_ID: unknown exercise 'flying-kick'" in unknown.stderr
    assert unknown.stdout == ""


def test_an_exercise_never_done_has_an_empty_series(seeded: Path) -> None:
    result = hipflex("progress", "reverse-nordic", "--json", data_dir=seeded)
    assert result.returncode == 0, result.stderr
    series = json.loads(result.stdout)
    assert (series["metric"], series["points"]) == ("best_set_reps", [])


def test_suggest_prints_the_open_suggestions_and_hides_answered_ones(seeded: Path) -> None:
    result = hipflex("suggest", data_dir=seeded)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Next workout: Hip Flexor Workout"
    assert "- Mountain Climbers: You finished every 30 s round" in result.stdout
    data = json.loads(hipflex("suggest", "--json", data_dir=seeded).stdout)
    (longer,) = [s for s in data["open"] if s["kind"] == "longer_intervals"]
    assert longer["prescription_changes"] == {"work_seconds": 35}
    coaching = CoachingStore(seeded)
    coaching.dismiss(longer["id"])
    coaching.close()
    again = json.loads(hipflex("suggest", "--json", data_dir=seeded).stdout)
    assert longer["id"] not in [s["id"] for s in again["open"]]
    assert again["accepted"] == []


def test_read_commands_work_while_the_app_holds_the_folder(seeded: Path) -> None:
    store, _ = HistoryStore.open(seeded)  # takes the folder's lock, like the running app
    with store:
        for command in (["history"], ["progress", "l-sit-hold"], ["suggest"]):
            result = hipflex(*command, data_dir=seeded)
            assert result.returncode == 0, (command, result.stderr)
    assert sorted(p.name for p in seeded.iterdir() if p.name.startswith("coaching")) == []


def test_an_empty_folder_has_nothing_to_list(data_dir: Path) -> None:
    assert hipflex("history", data_dir=data_dir).stdout == "No sessions yet.\n"
    assert json.loads(hipflex("history", "--json", data_dir=data_dir).stdout) == []
    assert "No open suggestions." in hipflex("suggest", data_dir=data_dir).stdout


def _registered() -> set[str]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


@pytest.mark.skipif(not {"history", "progress", "suggest"} <= _registered(),
                    reason="cli.py does not register hipflex_desktop.cli_progress yet")
def test_the_real_hipflex_command_has_them(seeded: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hipflex_desktop", "history", "--data-dir", str(seeded)],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT,
        env={**os.environ, "TZ": "UTC"},
    )
    assert result.returncode == 0, result.stderr
    assert "L-Sit and Nordic" in result.stdout
