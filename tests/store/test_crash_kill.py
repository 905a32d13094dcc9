"""SIGKILL at random instants never loses an acknowledged set or leaves a bad file.

Each of many short child lives (``crash_child.py``) opens the same data folder,
carries on with what the previous life left, and logs sets flat out, printing
an ACK after each durable ``log_entry``. The parent reads a random number of
ACKs and then kills the child with SIGKILL, so the kill lands wherever the
child happens to be: inside an atomic write, between the year-file write and
the journal removal of a finish, or while opening and recovering. After every
kill: every store file parses, opening reports no damage, and every
acknowledged entry and finished session is there.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from hipflex_desktop.store.files import NoticeKind
from hipflex_desktop.store.history import HistoryStore
from tests.store.conftest import parse_every_store_file

LIVES = 60
CHILD = Path(__file__).with_name("crash_child.py")
REPO_ROOT = Path(__file__).resolve().parents[2]
DAMAGE = {NoticeKind.RESTORED_FROM_BACKUP, NoticeKind.STARTED_EMPTY}


def _stored(data_dir: Path) -> tuple[dict[str, str], set[str]]:
    """(entry id -> session id, finished session ids) as a fresh open sees them."""
    store, notices = HistoryStore.open(data_dir, read_only=True)
    with store:
        assert not [n for n in notices if n.kind in DAMAGE], notices
        entries: dict[str, str] = {}
        for entry in store.iter_all_entries():
            assert entry.id not in entries, f"entry {entry.id} stored twice"
            entries[entry.id] = entry.session_id
        unfinished = store.unfinished_session()
        if unfinished is not None:
            for entry in unfinished.entries:
                assert entry.id not in entries, f"entry {entry.id} both finished and unfinished"
                entries[entry.id] = entry.session_id
        finished = {s.id for s in store.sessions()}
    return entries, finished


def _run_one_life(data_dir: Path, life: int, rng: random.Random) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir), f"life{life}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=REPO_ROOT,
    )
    assert child.stdout is not None
    lines: list[str] = []
    # One life in eight is killed without waiting: during start-up, open or recovery.
    acks_before_kill = 0 if life % 8 == 0 else rng.randint(1, 40)
    while acks_before_kill:
        raw = child.stdout.readline()
        if not raw:
            break
        lines.append(raw.decode())
        if raw.startswith(b"ACK"):
            acks_before_kill -= 1
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()
    child.wait()
    child.stdout.close()
    # Only whole lines count: a line cut by the kill acknowledged nothing.
    complete = rest.decode(errors="replace").split("\n")[:-1]
    lines.extend(line + "\n" for line in complete)
    assert child.returncode == -signal.SIGKILL or lines, "the child died on its own"
    return lines


def test_random_sigkills_lose_no_acknowledged_entry(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(20261125)
    acknowledged: dict[str, str] = {}
    finished: set[str] = set()
    total_acks = 0
    for life in range(LIVES):
        for line in _run_one_life(data_dir, life, rng):
            assert not line.startswith("DAMAGE"), line
            parts = line.split()
            if parts and parts[0] == "ACK" and len(parts) == 3:
                acknowledged[parts[2]] = parts[1]
                total_acks += 1
            elif parts and parts[0] == "FIN" and len(parts) == 2:
                finished.add(parts[1])

        parse_every_store_file(data_dir)
        stored, stored_finished = _stored(data_dir)
        missing = {e: s for e, s in acknowledged.items() if stored.get(e) != s}
        assert not missing, f"life {life}: acknowledged entries lost: {sorted(missing)[:5]}"
        assert finished <= stored_finished, f"life {life}: finished sessions lost"

    assert total_acks > LIVES * 5, "the children barely logged anything; the test proved little"
    assert len(finished) > 10, "too few finishes were exercised"
    # A writable open tidies the temp files that killed writes left behind.
    store, _ = HistoryStore.open(data_dir)
    store.close()
    leftovers = [p.name for p in data_dir.rglob("*.tmp")]
    assert leftovers == []
