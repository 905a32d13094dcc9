"""Import and export between a :class:`HistoryStore` and files.

The pure parsing and writing is in ``store/formats``; this module only reads
the file, hands the batch to the store (which dedupes and saves it all or
nothing) and picks the writer for an export.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from hipflex_desktop.store.formats import (
    FORMAT_HEVY_CSV,
    FORMAT_JSON,
    FORMAT_STRONG_CSV,
    HistoryImportError,
    ImportBatch,
    parse_any,
)
from hipflex_desktop.store.formats.hevy_csv import export_hevy_csv
from hipflex_desktop.store.formats.json_backup import export_json
from hipflex_desktop.store.formats.strong_csv import export_strong_csv
from hipflex_desktop.store.history import HistoryStore, ImportReport

MAX_IMPORT_BYTES = 200 * 1024 * 1024


def read_import_file(
    path: Path, *, format: str | None = None, default_unit: str = "kg", tz: tzinfo | None = None
) -> ImportBatch:
    """Read and parse ``path``; every failure is a :class:`HistoryImportError`."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise HistoryImportError(
                f"{path} is {size // (1024 * 1024)} MB; Hipflex imports files up to "
                f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise HistoryImportError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise HistoryImportError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_any(data, format=format, default_unit=default_unit, tz=tz)


def import_file(
    store: HistoryStore,
    path: Path,
    *,
    format: str | None = None,
    default_unit: str = "kg",
    tz: tzinfo | None = None,
    dry_run: bool = False,
) -> ImportReport:
    batch = read_import_file(path, format=format, default_unit=default_unit, tz=tz)
    return store.import_batch(batch, dry_run=dry_run)


def export_text(store: HistoryStore, format: str, *, tz: tzinfo | None = None) -> str:
    """The whole finished history in ``format`` (``strong-csv``, ``hevy-csv`` or ``json``)."""
    data = store.export_data()
    if format == FORMAT_STRONG_CSV:
        return export_strong_csv(data, tz=tz)
    if format == FORMAT_HEVY_CSV:
        return export_hevy_csv(data, tz=tz)
    if format == FORMAT_JSON:
        return export_json(data)
    raise ValueError(f"unknown export format {format!r}")


def describe_report(report: ImportReport) -> list[str]:
    """The lines ``hipflex import`` prints (also fine for a dialog)."""
    verb = "Would add" if report.dry_run else "Added"
    lines = [f"Read: {report.layout}."]
    sessions = _plural(report.sessions_added, "session")
    entries = _plural(report.entries_added, "entry", "entries")
    lines.append(f"{verb} {sessions} with {entries}.")
    if report.sessions_already_present:
        present = _plural(report.sessions_already_present, "session")
        lines.append(f"Already in your history (skipped): {present}.")
    if report.workouts_added or report.workouts_already_present:
        lines.append(
            f"{verb} {_plural(report.workouts_added, 'custom workout')}"
            + (
                f"; {report.workouts_already_present} already present."
                if report.workouts_already_present
                else "."
            )
        )
    if report.rest_rows_ignored:
        lines.append(f"Rest-timer rows ignored (rest, not sets): {report.rest_rows_ignored}.")
    if report.new_custom_exercises:
        names = ", ".join(f"“{name}”" for name in report.unknown_exercise_names)
        lines.append(
            f"Unknown exercises, {'to be kept' if report.dry_run else 'kept'} as custom "
            f"exercises: {names}."
        )
    return lines


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"
