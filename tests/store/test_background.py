"""The writer thread: in order, results and errors reported, drained on close."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hipflex_desktop.store.background import BackgroundWriter, JobResult
from hipflex_desktop.store.history import HistoryStore
from tests.store.conftest import make_entry, make_session


def test_jobs_run_in_order_and_report_results_and_errors() -> None:
    writer = BackgroundWriter()
    seen: list[JobResult[int]] = []
    done = threading.Event()

    def boom() -> int:
        raise OSError("disk on fire")

    first = writer.submit(lambda: 1, on_done=seen.append)
    second = writer.submit(boom, on_done=seen.append)
    writer.submit(lambda: 3, on_done=seen.append)
    writer.submit(done.set)
    assert done.wait(10)
    assert writer.close(10)
    assert [r.job_id for r in seen[:2]] == [first, second]
    assert [r.value for r in seen] == [1, None, 3]
    assert seen[0].ok
    assert not seen[1].ok
    assert isinstance(seen[1].error, OSError)


def test_callbacks_run_on_the_writer_thread_not_the_caller() -> None:
    writer = BackgroundWriter()
    threads: list[str] = []
    writer.submit(lambda: None, on_done=lambda _r: threads.append(threading.current_thread().name))
    assert writer.flush(10)
    writer.close(10)
    assert threads == ["hipflex-store-writer"]


def test_close_runs_what_is_queued_then_refuses_more() -> None:
    writer = BackgroundWriter()
    gate = threading.Event()
    ran: list[int] = []
    writer.submit(gate.wait, 10)
    for n in range(5):
        writer.submit(ran.append, n)
    gate.set()
    assert writer.close(10)
    assert ran == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError, match="closed"):
        writer.submit(ran.append, 9)


def test_a_broken_callback_does_not_stop_later_saves(capsys) -> None:
    writer = BackgroundWriter()
    ran: list[str] = []

    def broken(_result: JobResult[None]) -> None:
        raise ValueError("bug in the UI callback")

    writer.submit(lambda: None, on_done=broken)
    writer.submit(ran.append, "later")
    writer.close(10)
    assert ran == ["later"]
    assert "bug in the UI callback" in capsys.readouterr().err


def test_logging_through_the_writer_is_durable_when_the_callback_fires(data_dir: Path) -> None:
    store, _ = HistoryStore.open(data_dir)
    writer = BackgroundWriter()
    session = make_session()
    entries = [make_entry(session, set_index=i) for i in range(5)]
    confirmed: list[bool] = []
    writer.submit(store.begin_session, session)
    for entry in entries:
        writer.submit(store.log_entry, entry, on_done=lambda r: confirmed.append(r.ok))
    writer.close(10)
    store.close()
    assert confirmed == [True] * 5
    reopened, _ = HistoryStore.open(data_dir, read_only=True)
    unfinished = reopened.unfinished_session()
    assert unfinished is not None
    assert list(unfinished.entries) == entries
