"""The real timer keeps perfect time when sound fails in each way a machine can fail.

No output device, no QtMultimedia at all (what a missing libpulse0 looks like), and a
speech engine that cannot start: each run must finish, fire every cue on time and
exit cleanly; the app falls back to visual cues (tested in tests/ui/test_runner.py).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

BLOCK_QT_MULTIMEDIA = (
    "import sys, importlib.abc\n"
    "class Block(importlib.abc.MetaPathFinder):\n"
    "    def find_spec(self, name, path, target=None):\n"
    "        if name in ('PySide6.QtMultimedia', 'PySide6.QtTextToSpeech'):\n"
    "            raise ImportError(f'{name}: libpulse.so.0: cannot open shared object file')\n"
    "        return None\n"
    "sys.meta_path.insert(0, Block())\n"
    "from hipflex_desktop.cli import main\n"
    "sys.exit(main())\n"
)


@pytest.mark.parametrize(
    "failure",
    ["no-output-device", "no-qtmultimedia", "speech-fails", "speech-hangs"],
)
def test_timer_runs_on_time_when_audio_fails(tmp_path: Path, failure: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    log = tmp_path / "cues.jsonl"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    launcher = [sys.executable, "-m", "hipflex_desktop"]
    if failure == "no-output-device":
        env["PULSE_SERVER"] = f"unix:{tmp_path / 'no-such-socket'}"
        (data / "settings.ini").write_text("[audio]\nvoice_enabled=false\n", encoding="utf-8")
    elif failure == "no-qtmultimedia":
        launcher = [sys.executable, "-c", BLOCK_QT_MULTIMEDIA]
    elif failure == "speech-fails":
        env["SPEECHD_ADDRESS"] = f"unix_socket:{tmp_path / 'no-speechd.sock'}"
        env["SPEECHD_CMD"] = str(tmp_path / "no-such-speech-dispatcher")
    else:
        # A dispatcher that accepts connections and never answers: the speech engine's
        # constructor would wait holding the GIL and freeze every timer (a real bug).
        silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        silent.bind(str(tmp_path / "silent.sock"))
        silent.listen(8)
        env["SPEECHD_ADDRESS"] = f"unix_socket:{tmp_path / 'silent.sock'}"
    args = ["--data-dir", str(data), "timer", "intervals", "--work", "1", "--rest", "1",
            "--rounds", "2", "--lead-in", "1", "--exit-when-done", "--cue-log", str(log)]
    try:
        result = subprocess.run([*launcher, *args], cwd=REPO, env=env, capture_output=True,
                                text=True, timeout=60, check=False)
    finally:
        if failure == "speech-hangs":
            silent.close()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    cues = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    kinds = [c["cue"] for c in cues]
    assert kinds[-1] == "session_complete"
    assert kinds.count("go") == 2
    lateness = [c["fired"] - c["scheduled"] for c in cues]
    assert min(lateness) >= 0
    assert max(lateness) < 0.05, lateness
