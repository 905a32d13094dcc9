"""A writer thread so saving never stalls the UI's timers.

``submit(fn, *args, on_done=callback)`` queues a call; one plain thread runs
calls in order and then invokes ``on_done(result)`` *on the writer thread*.
The Qt side marshals that to the UI thread (e.g. a signal with a queued
connection); this module imports no Qt. Submitting costs microseconds, so the
UI thread blocks only for the store's lock if it reads while a write runs.
"""

from __future__ import annotations

import functools
import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class JobResult(Generic[T]):
    """The outcome of one job: ``value`` on success, ``error`` when it raised."""

    job_id: int
    value: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class _Job:
    job_id: int
    call: Callable[[], Any]
    on_done: Callable[[JobResult[Any]], None] | None


_STOP = object()


class BackgroundWriter:
    """One daemon thread draining a FIFO of store calls."""

    def __init__(self, name: str = "hipflex-store-writer") -> None:
        self._queue: queue.Queue[_Job | object] = queue.Queue()
        self._next_id = 0
        self._id_lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_done: Callable[[JobResult[T]], None] | None = None,
        **kwargs: Any,
    ) -> int:
        """Queue ``fn(*args, **kwargs)``; returns a job id echoed in the result."""
        with self._id_lock:
            if self._closed:
                raise RuntimeError("the background writer is closed")
            self._next_id += 1
            job_id = self._next_id
            self._queue.put(_Job(job_id, functools.partial(fn, *args, **kwargs), on_done))
        return job_id

    def flush(self, timeout_s: float | None = None) -> bool:
        """Wait until every job queued so far has run; False on timeout."""
        done = threading.Event()
        try:
            self.submit(done.set)
        except RuntimeError:
            return not self._thread.is_alive()
        return done.wait(timeout_s)

    def close(self, timeout_s: float | None = None) -> bool:
        """Run what is queued, then stop the thread. Returns False if it did not stop in time."""
        with self._id_lock:
            if not self._closed:
                self._closed = True
                self._queue.put(_STOP)
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            assert isinstance(job, _Job)
            try:
                result: JobResult[Any] = JobResult(job.job_id, value=job.call())
            except BaseException as exc:  # reported to the caller, never lost in the thread
                result = JobResult(job.job_id, error=exc)
            if job.on_done is not None:
                try:
                    job.on_done(result)
                except Exception:  # a broken callback must not stop later saves
                    traceback.print_exc()
