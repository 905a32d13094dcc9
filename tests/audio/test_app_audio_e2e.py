"""The whole chain a person relies on: the real app's timer, heard on a real sound server.

`hipflex timer intervals … --cue-log` runs as a user would start it; parecord records
the null sink's monitor; every logged cue that makes a sound must be heard, in order,
with onset-to-onset gaps matching the scheduled gaps within 10 ms.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex_desktop.audio import sound_for
from tests.audio.onsets import find_onsets, match_onsets, record_sink

REPO = Path(__file__).resolve().parents[2]
MAX_INTERVAL_ERROR_S = 0.010
SAME_INSTANT_S = 0.002  # cues due together (e.g. rest end + go) are one sound


def _sounding_cues(log: Path) -> list[dict[str, object]]:
    cues = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    sounding: list[dict[str, object]] = []
    for cue in cues:
        if sound_for(str(cue["cue"])) is None:
            continue
        if sounding and float(cue["scheduled"]) - float(sounding[-1]["scheduled"]) < SAME_INSTANT_S:
            continue
        sounding.append(cue)
    return sounding


def test_real_timer_is_heard_on_schedule(
    tmp_path: Path, pulse_env: dict[str, str], record_property: pytest.RecordProperty
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # Beeps only: speech would overlap the beeps' onsets (speech has its own test).
    (data / "settings.ini").write_text("[audio]\nvoice_enabled=false\n", encoding="utf-8")
    wav, log = tmp_path / "heard.wav", tmp_path / "cues.jsonl"
    command = [sys.executable, "-m", "hipflex_desktop", "--data-dir", str(data),
               "timer", "intervals", "--work", "3", "--rest", "2", "--rounds", "3",
               "--lead-in", "3", "--exit-when-done", "--cue-log", str(log)]
    with record_sink(wav, env=pulse_env):
        result = subprocess.run(command, cwd=REPO, env=pulse_env, capture_output=True,
                                text=True, timeout=90, check=False)
    assert result.returncode == 0, result.stderr
    cues = _sounding_cues(log)
    assert len(cues) >= 12, cues
    kinds = [c["cue"] for c in cues]
    assert kinds[0] == "lead_in_tick"
    assert kinds[-1] == "session_complete"
    scheduled = [float(c["scheduled"]) for c in cues]  # type: ignore[arg-type]
    match = match_onsets(find_onsets(wav), scheduled)
    summary = match.summary()
    record_property("onsets", summary)
    print(f"\napp audio: {summary}")
    assert match.missing == [], f"cues not heard: {[kinds[i] for i in match.missing]}; {summary}"
    assert match.in_order
    worst = max(abs(e) for e in match.interval_errors_s)
    assert worst <= MAX_INTERVAL_ERROR_S, summary
