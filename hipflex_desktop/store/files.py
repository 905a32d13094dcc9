"""Reading and writing the store's TinyDB files, with recovery from damage.

Writes go through :class:`~hipflex_desktop.store.atomic.AtomicJSONStorage`
(temp file, fsync, ``os.replace``, fsync of the folder, ``.bak`` of the
previous version). Reads check the file's shape; a file that fails is moved
aside under a timestamped name, its last good backup takes its place, and the
caller receives a :class:`RecoveryNotice` in plain words. Nothing is
overwritten without first being moved aside.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from hipflex_desktop.store.atomic import (
    BACKUP_SUFFIX,
    AtomicJSONStorage,
    atomic_write_bytes,
    fsync_directory,
)
from hipflex_desktop.store.errors import StorageWriteError, StoreError, StoreVersionError
from hipflex_desktop.store.schema import (
    META_TABLE,
    SCHEMA_VERSION,
    SchemaError,
    Tables,
    Validator,
    read_meta,
)

Clock = Callable[[], float]


class NoticeKind(StrEnum):
    RESTORED_FROM_BACKUP = "restored-from-backup"
    STARTED_EMPTY = "started-empty"
    READ_ONLY = "read-only"
    COMPLETED_CHANGE = "completed-change"
    MIGRATED = "migrated"


@dataclass(frozen=True)
class RecoveryNotice:
    """Something the store did at start that the person should hear about.

    ``message`` is the sentence to show. ``moved_to`` is where a damaged file
    now lives (None when nothing was moved).
    """

    kind: NoticeKind
    path: Path
    message: str
    moved_to: Path | None = None

    def __str__(self) -> str:
        return self.message


class StorageReadError(StoreError):
    """A file exists but the system will not let us read it (permissions, I/O error)."""


class _DamagedError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def describe_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def aside_path(path: Path, label: str, now: float) -> Path:
    """``2024.json`` -> ``2024.damaged-20260105-183000.json`` (never an existing name)."""
    stamp = datetime.fromtimestamp(now).strftime("%Y%m%d-%H%M%S")
    stem, suffix = [*path.name.split(".", 1), ""][:2]
    suffix = "." + suffix if suffix else ""
    candidate = path.with_name(f"{stem}.{label}-{stamp}{suffix}")
    counter = 2
    while candidate.exists():
        candidate = path.with_name(f"{stem}.{label}-{stamp}-{counter}{suffix}")
        counter += 1
    return candidate


def parse_tables(raw: bytes, kind: str, validator: Validator, *, meta_optional: bool) -> Tables:
    """Decode and check one file body; raise ``_DamagedError`` or :class:`StoreVersionError`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _DamagedError("it is not text (it holds stray bytes)") from None
    if not text.strip():
        raise _DamagedError("it is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1:
            raise _DamagedError("it ends in the middle (it was cut short)") from None
        raise _DamagedError(
            f"it is not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from None
    try:
        if not isinstance(data, dict):
            raise SchemaError("it does not hold a JSON object")
        if META_TABLE in data or not meta_optional:
            meta = read_meta(data, kind)
            version = int(meta["schema_version"])
            if version > SCHEMA_VERSION:
                raise _NewerVersionError(version)
        validator(data)
    except SchemaError as exc:
        raise _DamagedError(f"its contents have the wrong shape: {exc}") from None
    return data


class _NewerVersionError(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageReadError(
            f"Hipflex cannot read {path} ({exc.strerror or exc}). "
            "Check the file's permissions; nothing was changed."
        ) from None


@dataclass(frozen=True)
class LoadedFile:
    tables: Tables | None  # None: no file (or nothing usable)
    notices: tuple[RecoveryNotice, ...] = ()


def load_file(
    path: Path,
    *,
    kind: str,
    label: str,
    validator: Validator,
    repair: bool,
    clock: Clock,
    meta_optional: bool = False,
) -> LoadedFile:
    """Read ``path``; on damage move it aside and fall back to its ``.bak``.

    ``label`` names the file for people ("your 2024 history"). With
    ``repair=False`` (read-only use) nothing on disk is touched: the backup is
    only used in memory and the notice says so.
    """

    def parse(raw: bytes) -> Tables:
        try:
            return parse_tables(raw, kind, validator, meta_optional=meta_optional)
        except _NewerVersionError as newer:
            raise StoreVersionError(path, newer.version, SCHEMA_VERSION) from None

    backup = backup_path(path)
    if path.is_dir():
        return LoadedFile(None, (_folder_in_the_way(path, label, repair, clock),))
    raw = _read_bytes(path)
    if raw is None:
        backup_raw = _read_bytes(backup)
        if backup_raw is None:
            return LoadedFile(None)
        try:
            tables = parse(backup_raw)
        except _DamagedError:
            return LoadedFile(None)
        if repair:
            _write_raw(path, backup_raw)
        message = (
            f"The file with {label} ({path.name}) was missing, so its last good copy "
            f"from {describe_time(backup.stat().st_mtime)} "
            + ("was put back in its place." if repair else "is shown; nothing was changed.")
        )
        return LoadedFile(tables, (RecoveryNotice(NoticeKind.RESTORED_FROM_BACKUP, path, message),))
    try:
        return LoadedFile(parse(raw))
    except _DamagedError as damage:
        reason = damage.reason
    return _recover(path, label, reason, parse, repair=repair, clock=clock)


def _folder_in_the_way(path: Path, label: str, repair: bool, clock: Clock) -> RecoveryNotice:
    moved: Path | None = None
    if repair:
        moved = aside_path(path, "damaged", clock())
        rename_durably(path, moved)
    where = f" It was moved to {moved}." if moved else ""
    return RecoveryNotice(
        NoticeKind.STARTED_EMPTY,
        path,
        f"Where the file with {label} belongs there is a folder ({path}).{where} "
        "Hipflex starts that part empty.",
        moved,
    )


def _recover(
    path: Path,
    label: str,
    reason: str,
    parse: Callable[[bytes], Tables],
    *,
    repair: bool,
    clock: Clock,
) -> LoadedFile:
    backup = backup_path(path)
    moved_to: Path | None = None
    if repair:
        moved_to = aside_path(path, "damaged", clock())
        rename_durably(path, moved_to)
    backup_raw = _read_bytes(backup)
    backup_tables: Tables | None = None
    backup_problem = "there is no backup copy"
    if backup_raw is not None:
        try:
            backup_tables = parse(backup_raw)
        except _DamagedError as damage:
            backup_problem = f"its backup copy is damaged too ({damage.reason})"
    where = (
        f"It was moved to {moved_to} so nothing is lost."
        if moved_to
        else "It was left where it is (this command only reads)."
    )
    head = f"The file with {label} ({path}) could not be read: {reason}. {where}"
    if backup_tables is not None and backup_raw is not None:
        when = describe_time(backup.stat().st_mtime)
        if repair:
            _write_raw(path, backup_raw)
        message = (
            f"{head} Its last good copy, saved {when}, is used instead; anything saved to "
            "this file after that copy may be missing."
        )
        return LoadedFile(
            backup_tables,
            (RecoveryNotice(NoticeKind.RESTORED_FROM_BACKUP, path, message, moved_to),),
        )
    if repair and backup_raw is not None:
        rename_durably(backup, aside_path(backup, "damaged", clock()))
    message = f"{head} No good copy could be used ({backup_problem}), so this part starts empty."
    return LoadedFile(None, (RecoveryNotice(NoticeKind.STARTED_EMPTY, path, message, moved_to),))


def rename_durably(source: Path, target: Path) -> None:
    """Rename within one folder and make the rename itself durable."""
    try:
        os.rename(source, target)
    except OSError as exc:
        raise StorageWriteError.from_os_error(source, exc) from None
    fsync_directory(source.parent)


def _write_raw(path: Path, raw: bytes) -> None:
    try:
        atomic_write_bytes(path, raw, keep_backup=False)
    except OSError as exc:
        raise StorageWriteError.from_os_error(path, exc) from None


def write_tables(path: Path, tables: Tables, *, keep_backup: bool = True) -> None:
    """Atomically replace ``path`` (TinyDB format); raise :class:`StorageWriteError` on failure."""
    try:
        AtomicJSONStorage(path, keep_backup=keep_backup).write(tables)
    except OSError as exc:
        raise StorageWriteError.from_os_error(path, exc) from None


def remove_file(path: Path) -> None:
    """Delete ``path`` and its backup (backup first, so a crash never leaves only the backup)."""
    try:
        with contextlib.suppress(FileNotFoundError):
            backup_path(path).unlink()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    except OSError as exc:
        raise StorageWriteError.from_os_error(path, exc) from None
    fsync_directory(path.parent)


_TEMP_PATTERN = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$|^.+\.bak\.tmp$")


def remove_stale_temp_files(directory: Path) -> list[Path]:
    """Temp files left by a write that was killed half-way; only ever safe under the lock."""
    removed: list[Path] = []
    try:
        candidates = list(directory.iterdir())
    except OSError:
        return removed
    for candidate in candidates:
        if candidate.is_file() and _TEMP_PATTERN.match(candidate.name):
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
    return removed
