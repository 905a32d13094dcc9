"""Which format a file is in, and parsing it with the right importer."""

from __future__ import annotations

from datetime import tzinfo

from hipflex_desktop.store.formats.common import (
    FORMAT_HEVY_CSV,
    FORMAT_JSON,
    FORMAT_STRONG_CSV,
    HistoryImportError,
    ImportBatch,
    decode_text,
)
from hipflex_desktop.store.formats.hevy_csv import looks_like_hevy, parse_hevy_csv
from hipflex_desktop.store.formats.json_backup import looks_like_json, parse_json_backup
from hipflex_desktop.store.formats.strong_csv import looks_like_strong, parse_strong_csv


def detect_format(data: bytes) -> str:
    """``strong-csv``, ``hevy-csv`` or ``json``, judged by the first line; else an error."""
    text = decode_text(data)
    if not text.strip():
        raise HistoryImportError("the file is empty", line=1)
    if looks_like_json(text):
        return FORMAT_JSON
    first_line = text.split("\n", 1)[0].rstrip("\r")
    for delimiter in (";", ",", "\t"):
        names = [name.strip().strip('"') for name in first_line.split(delimiter)]
        if looks_like_hevy(names):
            return FORMAT_HEVY_CSV
        if looks_like_strong(names):
            return FORMAT_STRONG_CSV
    raise HistoryImportError(
        "this is not a file Hipflex can import: expected a Strong or Hevy CSV export "
        "(its first line names the columns) or a Hipflex JSON backup",
        line=1,
    )


def parse_any(
    data: bytes,
    *,
    format: str | None = None,
    default_unit: str = "kg",
    tz: tzinfo | None = None,
) -> ImportBatch:
    """Parse ``data`` as ``format`` (detected when None). Raises only HistoryImportError."""
    chosen = format or detect_format(data)
    if chosen == FORMAT_STRONG_CSV:
        return parse_strong_csv(data, default_unit=default_unit, tz=tz)
    if chosen == FORMAT_HEVY_CSV:
        return parse_hevy_csv(data, tz=tz)
    if chosen == FORMAT_JSON:
        return parse_json_backup(data)
    raise HistoryImportError(f"unknown format {chosen!r}")
