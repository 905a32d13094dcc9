"""Bringing an older data folder up to :data:`SCHEMA_VERSION`, one step at a time.

The manifest (``store.json``) records the version of the whole folder. Each
step is idempotent, so a crash half-way simply runs it again at the next
start; the manifest is bumped only after a step's files are safely written,
and the files a step replaces are moved aside, never deleted.

Version 1 is the single-file layout the first storage measurements used: one
TinyDB file, ``history.json``, with a ``sessions`` table whose documents embed
their ``entries`` list. No release wrote it, but keeping it as version 1 gives
the migration path a real, tested step from day one. Version 2 is the current
layout described in ``layout.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hipflex_desktop.store.errors import StoreError
from hipflex_desktop.store.files import (
    Clock,
    NoticeKind,
    RecoveryNotice,
    aside_path,
    load_file,
    rename_durably,
    write_tables,
)
from hipflex_desktop.store.layout import (
    LEGACY_HISTORY_FILE,
    MANIFEST_FILE,
    YearData,
    history_dir,
    year_of,
    year_path,
)
from hipflex_desktop.store.schema import (
    KIND_HISTORY_YEAR,
    KIND_LEGACY_HISTORY,
    KIND_MANIFEST,
    META_TABLE,
    SCHEMA_VERSION,
    Document,
    tables_with_meta,
    validate_history_year,
    validate_legacy_history,
    validate_manifest,
)


class StoreNeedsMigrationError(StoreError):
    """A read-only open met an older layout; a writable open must upgrade it first."""


Step = Callable[[Path, Clock], list[RecoveryNotice]]


def _v1_to_v2(data_dir: Path, clock: Clock) -> list[RecoveryNotice]:
    legacy = data_dir / LEGACY_HISTORY_FILE
    loaded = load_file(
        legacy,
        kind=KIND_LEGACY_HISTORY,
        label="your history (old format)",
        validator=validate_legacy_history,
        repair=True,
        clock=clock,
        meta_optional=True,
    )
    notices = list(loaded.notices)
    if loaded.tables is None:
        return notices
    years: dict[int, YearData] = {}
    for doc in loaded.tables["sessions"].values():
        session: Document = {k: v for k, v in doc.items() if k != "entries"}
        year = year_of(float(session["started_at"]))
        data = years.get(year)
        if data is None:
            data = years[year] = _load_year(data_dir, year, clock, notices)
        data.sessions[session["id"]] = session
        data.entries[session["id"]] = [
            {**entry, "session_id": session["id"]} for entry in doc.get("entries", [])
        ]
    history_dir(data_dir).mkdir(exist_ok=True)
    for year, data in years.items():
        write_tables(year_path(data_dir, year), data.to_tables())
    return notices


def _load_year(data_dir: Path, year: int, clock: Clock, notices: list[RecoveryNotice]) -> YearData:
    loaded = load_file(
        year_path(data_dir, year),
        kind=KIND_HISTORY_YEAR,
        label=f"your {year} history",
        validator=validate_history_year,
        repair=True,
        clock=clock,
    )
    notices.extend(loaded.notices)
    return YearData.from_tables(year, loaded.tables) if loaded.tables else YearData(year)


#: MIGRATIONS[n] turns a version-n folder into a version-(n+1) folder.
MIGRATIONS: dict[int, Step] = {1: _v1_to_v2}


def _manifest_version(
    data_dir: Path, *, repair: bool, clock: Clock
) -> tuple[int | None, list[RecoveryNotice]]:
    loaded = load_file(
        data_dir / MANIFEST_FILE,
        kind=KIND_MANIFEST,
        label="the data format version",
        validator=validate_manifest,
        repair=repair,
        clock=clock,
    )
    if loaded.tables is None:
        return None, list(loaded.notices)
    meta = next(iter(loaded.tables[META_TABLE].values()))
    return int(meta["schema_version"]), list(loaded.notices)


def write_manifest(data_dir: Path, version: int, clock: Clock) -> None:
    body = tables_with_meta(KIND_MANIFEST, {}, created_at=clock())
    body[META_TABLE]["1"]["schema_version"] = version
    write_tables(data_dir / MANIFEST_FILE, body)


def bring_up_to_date(data_dir: Path, *, repair: bool, clock: Clock) -> list[RecoveryNotice]:
    """Run every pending migration step; return notices for the person.

    With ``repair=False`` (read-only use) an old layout raises
    :class:`StoreNeedsMigrationError` instead of being changed.
    """
    version, notices = _manifest_version(data_dir, repair=repair, clock=clock)
    legacy = data_dir / LEGACY_HISTORY_FILE
    if version is None:
        version = 1 if legacy.exists() else SCHEMA_VERSION
        if version == SCHEMA_VERSION:
            if repair:
                write_manifest(data_dir, SCHEMA_VERSION, clock)
            return notices
    if version < SCHEMA_VERSION and not repair:
        raise StoreNeedsMigrationError(
            f"The data in {data_dir} is in an older format (version {version}). Start Hipflex "
            "once, or run a command that saves, to bring it up to date; nothing was changed."
        )
    migrated_from = version
    while version < SCHEMA_VERSION:
        notices.extend(MIGRATIONS[version](data_dir, clock))
        version += 1
        write_manifest(data_dir, version, clock)
    if repair and legacy.exists():
        kept = aside_path(legacy, "v1-migrated", clock())
        rename_durably(legacy, kept)
        done = (
            f"Your history was converted from data format {migrated_from} to {SCHEMA_VERSION} "
            "(one file per year)."
            if migrated_from < SCHEMA_VERSION
            else "Your history had already been converted to one file per year."
        )
        notices.append(
            RecoveryNotice(
                NoticeKind.MIGRATED, legacy, f"{done} The old file is kept as {kept}.", kept
            )
        )
    return notices
