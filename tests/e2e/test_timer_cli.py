"""`hipflex timer …` and `hipflex workout …` as real processes: the window opens, the timer
runs on the real clock, the cue log records it, and bad input is a usage error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex_desktop.cue_log import read_cue_log

pytestmark = pytest.mark.e2e

# Generous for a loaded CI machine; bench/cue_timing.py measures the real figure.
LATENESS_LIMIT_S = 0.05


def run_hipflex(*args: str, env: dict[str, str] | None = None,
                timeout: float = 90) -> subprocess.CompletedProcess[str]:
    # No speech here: an explicit, absent speechd socket stops the app from spawning a
    # speech-dispatcher daemon that would outlive the test (speech has its own tests).
    no_speech = f"unix_socket:{os.environ['HOME']}/no-speech-dispatcher.sock"
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                   "SPEECHD_ADDRESS": no_speech, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "hipflex_desktop", *args],
        capture_output=True, text=True, timeout=timeout, env=environment, check=False,
    )


def test_intervals_run_on_time_and_every_cue_is_logged(tmp_path: Path) -> None:
    log = tmp_path / "cues.jsonl"
    result = run_hipflex(
        "--data-dir", str(tmp_path / "data"), "timer", "intervals", "--work", "1", "--rest", "1",
        "--rounds", "2", "--lead-in", "1", "--exit-when-done", "--cue-log", str(log),
    )
    assert result.returncode == 0, result.stderr
    lines = read_cue_log(log)
    assert [line.cue for line in lines] == [
        "exercise_change", "lead_in_tick", "go", "rest_start", "rest_end", "go",
        "session_complete",
    ]
    start = lines[0].scheduled
    assert [round(line.scheduled - start, 6) for line in lines] == [0, 0, 1, 2, 3, 3, 4]
    for line in lines:
        assert 0 <= line.fired - line.scheduled < LATENESS_LIMIT_S, line
    assert [line.text for line in lines][:3] == ["Intervals", "1", "Go"]
    # Quick timers are not history: nothing was written there.
    assert not (tmp_path / "data" / "history").exists()


def test_the_cue_log_can_come_from_the_environment_and_appends(tmp_path: Path) -> None:
    log = tmp_path / "cues.jsonl"
    log.write_text('{"cue":"go","scheduled":1.0,"fired":1.0,"step":0,"text":"Go"}\n')
    result = run_hipflex(
        "--data-dir", str(tmp_path / "data"), "timer", "sides", "--seconds", "1",
        "--transition", "1", "--exit-when-done", env={"HIPFLEX_CUE_LOG": str(log)},
    )
    assert result.returncode == 0, result.stderr
    kinds = [line.cue for line in read_cue_log(log)]
    assert kinds[0] == "go"  # the earlier line is kept
    assert kinds[1:] == [
        "exercise_change", "lead_in_tick", "lead_in_tick", "lead_in_tick", "lead_in_tick",
        "lead_in_tick", "go", "switch_sides", "go", "session_complete",
    ]


def test_an_unknown_workout_is_named_and_nothing_opens(tmp_path: Path) -> None:
    result = run_hipflex("--data-dir", str(tmp_path / "data"), "workout", "Leg Day Deluxe",
                         "--exit-when-done")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no workout called 'Leg Day Deluxe'" in result.stderr
    assert "hip-flexor-workout" in result.stderr  # says which ones exist


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["timer", "hold", "--seconds", "0"], "--seconds"),
        (["timer", "hold", "--seconds", "30", "--sets", "lots"], "--sets"),
        (["timer", "hold"], "--seconds"),
        (["timer", "accumulate", "--total", "9999"], "--total"),
        (["timer", "intervals", "--work", "20", "--rest", "10", "--rounds", "0"], "--rounds"),
        (["timer", "intervals", "--work", "20", "--rest", "-5", "--rounds", "3"], "--rest"),
        (["timer", "intervals", "--work", "2.5", "--rest", "1", "--rounds", "3"], "--work"),
        (["timer", "intervals", "--work", "20", "--rest", "10", "--rounds", "3",
          "--lead-in", "61"], "--lead-in"),
        (["timer", "sides", "--seconds", "30", "--transition", "500"], "--transition"),
        (["timer", "stopwatch"], "KIND"),
    ],
)
def test_bad_timer_values_are_usage_errors_naming_the_option(argv: list[str],
                                                             option: str) -> None:
    result = run_hipflex(*argv, timeout=30)
    assert result.returncode == 2
    assert "usage: hipflex" in result.stderr
    assert option in result.stderr
    assert "Traceback" not in result.stderr
