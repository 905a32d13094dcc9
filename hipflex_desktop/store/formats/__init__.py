"""Reading and writing other apps' exports and Hipflex's own JSON backup.

Everything here is pure Python (no Qt, no files on disk): parsers take bytes
and return an :class:`ImportBatch`; writers take records and return text. The
store (``store/exchange.py``) decides what of a batch is new and saves it.
"""

from hipflex_desktop.store.formats.common import (
    FORMAT_HEVY_CSV,
    FORMAT_JSON,
    FORMAT_STRONG_CSV,
    FORMATS,
    ExportData,
    HistoryImportError,
    ImportBatch,
)
from hipflex_desktop.store.formats.detect import detect_format, parse_any

__all__ = [
    "FORMATS",
    "FORMAT_HEVY_CSV",
    "FORMAT_JSON",
    "FORMAT_STRONG_CSV",
    "ExportData",
    "HistoryImportError",
    "ImportBatch",
    "detect_format",
    "parse_any",
]
