"""Typed store errors whose message is a sentence a person can act on.

The UI shows ``str(error)`` as is, and the CLI prints it after ``hipflex:``,
so every message names the file or folder involved and what to do next.
"""

from __future__ import annotations

import errno
from enum import StrEnum
from pathlib import Path


class StoreError(Exception):
    """Base class of every error the history store raises on purpose."""


class WriteFailure(StrEnum):
    READ_ONLY = "read-only"
    DISK_FULL = "disk-full"
    PERMISSION = "permission"
    OTHER = "other"


class StorageWriteError(StoreError):
    """Saving failed (read-only folder, full disk, ...). Nothing on disk was changed.

    Data the caller tried to save stays in memory; the caller can retry later
    (see ``HistoryStore.retry_unsaved``).
    """

    def __init__(self, path: Path, failure: WriteFailure, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.failure = failure

    def with_note(self, note: str) -> StorageWriteError:
        """The same failure with a sentence about what the caller kept (e.g. unsaved sets)."""
        return StorageWriteError(self.path, self.failure, f"{self} {note}")

    @classmethod
    def from_os_error(cls, path: Path, exc: OSError) -> StorageWriteError:
        folder = path.parent
        code = exc.errno
        if code == errno.EROFS:
            failure = WriteFailure.READ_ONLY
            message = f"Hipflex cannot save to {folder}: that folder is on a read-only disk."
        elif code in (errno.ENOSPC, errno.EDQUOT):
            failure = WriteFailure.DISK_FULL
            message = f"Hipflex cannot save to {folder}: the disk is full. Free some space."
        elif code in (errno.EACCES, errno.EPERM):
            failure = WriteFailure.PERMISSION
            message = (
                f"Hipflex is not allowed to write in {folder}. Check the folder's permissions."
            )
        else:
            failure = WriteFailure.OTHER
            message = f"Hipflex could not save {path.name} in {folder} ({exc.strerror or exc})."
        return cls(path, failure, message)


class StoreLockedError(StoreError):
    """Another Hipflex process is writing to the same data folder."""

    def __init__(self, data_dir: Path, holder: str) -> None:
        who = f" ({holder})" if holder else ""
        super().__init__(
            f"Another Hipflex{who} is using the data folder {data_dir}. "
            "Close it (or wait for it to finish) and try again."
        )
        self.data_dir = data_dir
        self.holder = holder


class StoreVersionError(StoreError):
    """A file was written by a newer Hipflex; we refuse to guess at its meaning."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"{path} was written by a newer version of Hipflex (data format {found}; this "
            f"version understands up to {supported}). Update Hipflex to open it. "
            "Nothing was changed."
        )
        self.path = path
        self.found = found
        self.supported = supported


class NoActiveSessionError(StoreError):
    """A logging call arrived while no session was in progress."""


class UnfinishedSessionError(StoreError):
    """A new session was started while an unfinished one waits for a decision."""


class NotFoundError(StoreError, KeyError):
    """An entry or session id that is not in the store."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"
