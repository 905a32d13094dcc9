"""Crash-safe file replacement and a TinyDB storage that uses it.

A write goes to a temporary file in the same directory, is flushed and
fsynced, then ``os.replace``d over the target, and the directory is fsynced so
the rename itself survives a power cut. Readers therefore see either the old
file or the new one, never a torn mix. The previous good version is kept as
``<name>.bak`` so a file damaged by something outside our control (a bad disk,
a manual edit) can be recovered.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

BACKUP_SUFFIX = ".bak"


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (no-op where directories can't be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, keep_backup: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically; optionally keep the old file as ``.bak``."""
    path = Path(path)
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and path.exists():
            backup = path.with_name(path.name + BACKUP_SUFFIX)
            # A hard link is instant and atomic; fall back to a copy where unsupported.
            tmp_backup = backup.with_name(backup.name + ".tmp")
            with contextlib.suppress(FileNotFoundError):
                tmp_backup.unlink()
            try:
                os.link(path, tmp_backup)
            except OSError:
                tmp_backup.write_bytes(path.read_bytes())
            os.replace(tmp_backup, backup)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    fsync_directory(directory)


class AtomicJSONStorage(Storage):
    """TinyDB storage whose every write is an atomic replace with a last-good backup."""

    def __init__(self, path: str | os.PathLike[str], *, keep_backup: bool = True) -> None:
        self._path = Path(path)
        self._keep_backup = keep_backup

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError(f"{self._path.name} does not hold a JSON object")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write_bytes(self._path, payload, keep_backup=self._keep_backup)

    def close(self) -> None:
        pass
