"""One writer per data folder: an advisory ``fcntl.flock`` on ``hipflex.lock``.

The GUI holds the lock for as long as its store is open; CLI commands that
write take it with "wait up to N seconds, then fail with a clear message".
The kernel drops the lock when the holder dies (even on SIGKILL), so a crash
never leaves the folder locked. The file's text (pid, host) is only there to
tell the person *who* holds it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from hipflex_desktop.store.errors import StoreLockedError

LOCK_FILE = "hipflex.lock"
POLL_INTERVAL_S = 0.1


class DataDirLock:
    """Exclusive, non-blocking-with-retry lock on ``<data_dir>/hipflex.lock``."""

    def __init__(
        self,
        data_dir: Path,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_FILE
        self._clock = clock
        self._sleep = sleep
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout_s: float = 0.0) -> bool:
        """Take the lock, waiting up to ``timeout_s``; raise :class:`StoreLockedError` if busy.

        Returns False (without raising) when the folder is read-only and no lock
        file can be opened: nobody can write there, so there is nothing to guard.
        """
        if self._fd is not None:
            return True
        fd = self._open()
        if fd is None:
            return False
        deadline = self._clock() + max(0.0, timeout_s)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
            remaining = deadline - self._clock()
            if remaining <= 0:
                holder = self._holder()
                os.close(fd)
                raise StoreLockedError(self.data_dir, holder)
            self._sleep(min(POLL_INTERVAL_S, remaining))
        self._fd = fd
        self._write_holder(fd)
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def _open(self) -> int | None:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
        try:
            return os.open(self.path, os.O_RDONLY)  # flock works on a read-only descriptor
        except OSError:
            return None

    def _holder(self) -> str:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""
        fields = dict(part.split("=", 1) for part in text.split() if "=" in part)
        pid, host = fields.get("pid", ""), fields.get("host", "")
        if not pid:
            return ""
        return f"process {pid}" + (f" on {host}" if host and host != socket.gethostname() else "")

    def _write_holder(self, fd: int) -> None:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid={os.getpid()} host={socket.gethostname()}\n".encode(), 0)

    def __enter__(self) -> DataDirLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
