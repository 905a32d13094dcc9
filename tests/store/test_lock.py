"""One writer per data folder, across real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex_desktop.store.errors import StoreLockedError
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.store.lock import DataDirLock

REPO_ROOT = Path(__file__).resolve().parents[2]

HOLDER = """
import sys
from pathlib import Path
from hipflex_desktop.store.history import HistoryStore
store, _ = HistoryStore.open(Path(sys.argv[1]))
print("HOLDING", flush=True)
sys.stdin.readline()  # hold the lock until told to go
store.close()
print("RELEASED", flush=True)
"""


@pytest.fixture
def holder(data_dir: Path):
    """Another process that has the data folder open for writing."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "HOLDING"
    yield child
    if child.poll() is None:
        child.kill()
    child.wait()
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            stream.close()


def test_a_second_process_is_refused_with_a_clear_message(holder, data_dir: Path) -> None:
    with pytest.raises(StoreLockedError) as caught:
        HistoryStore.open(data_dir)
    message = str(caught.value)
    assert f"process {holder.pid}" in message
    assert str(data_dir) in message
    assert "try again" in message


def test_waiting_gets_the_lock_once_the_other_process_lets_go(holder, data_dir: Path) -> None:
    waits: list[float] = []

    def let_the_holder_go(seconds: float) -> None:
        """Stands in for the real sleep: the other process finishes while we 'wait'."""
        waits.append(seconds)
        if len(waits) == 1:
            holder.stdin.write("go\n")
            holder.stdin.flush()
            assert holder.stdout.readline().strip() == "RELEASED"

    store, _ = HistoryStore.open(data_dir, lock_timeout_s=30.0, lock_sleep=let_the_holder_go)
    store.close()
    assert len(waits) == 1


def test_waiting_gives_up_after_the_timeout(holder, data_dir: Path) -> None:
    now = [0.0]

    def fake_sleep(seconds: float) -> None:
        now[0] += seconds

    lock = DataDirLock(data_dir, clock=lambda: now[0], sleep=fake_sleep)
    with pytest.raises(StoreLockedError):
        lock.acquire(timeout_s=2.0)
    assert now[0] == pytest.approx(2.0)
    assert not lock.held


def test_the_lock_dies_with_a_killed_holder(holder, data_dir: Path) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    store, _ = HistoryStore.open(data_dir)
    store.close()


def test_the_cli_import_fails_with_the_lock_message(holder, data_dir: Path, capsys) -> None:
    from tests.store.test_cli_store import run_cli

    fixture = REPO_ROOT / "tests" / "fixtures" / "import" / "strong_newest.csv"
    code = run_cli(data_dir, "import", str(fixture), "--wait", "0")
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("hipflex: nothing was imported: Another Hipflex")
    assert f"process {holder.pid}" in err


def test_two_locks_in_one_process_exclude_each_other(data_dir: Path) -> None:
    first = DataDirLock(data_dir)
    first.acquire()
    second = DataDirLock(data_dir)
    with pytest.raises(StoreLockedError):
        second.acquire()
    first.release()
    assert second.acquire()
    second.release()
