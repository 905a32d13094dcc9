"""Overlapping cues must not freeze the app (a Qt bug the sound player works around).

Qt 6.10-6.12 free a finished QSoundEffect voice on the PulseAudio thread when other
voices are still playing; the voice's main-thread socket notifier then watches a
closed eventfd and the GUI thread spins forever on "QSocketNotifier: Invalid socket".
Seen first as a timer that stopped after its first cues. The player keeps one voice
sounding at a time; this runs overlapping bursts on the real sound server.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.audio.overlap_child import BURST, ROUNDS

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.audio


def test_overlapping_cues_leave_the_event_loop_running(pulse_env: dict[str, str]) -> None:
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tests.audio.overlap_child"], cwd=REPO, env=pulse_env,
            capture_output=True, text=True, timeout=40, check=False,
        )
    except subprocess.TimeoutExpired as error:
        stderr = error.stderr.decode(errors="replace") if isinstance(error.stderr, bytes) else ""
        pytest.fail(f"the sound player froze its event loop:\n{stderr[-2000:]}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"done {ROUNDS * len(BURST)}" in result.stdout
    assert "QSocketNotifier" not in result.stderr
