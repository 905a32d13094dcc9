"""What every importer returns, the one error type they raise, and shared parsing.

Importers never half-succeed: they either return a complete
:class:`ImportBatch` or raise :class:`HistoryImportError` naming the line and
column (or, for JSON, the record) at fault. Ids are derived from the file's
content, so importing the same file twice yields the same ids.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from hipflex_desktop.domain.history import CustomExercise, Entry, Session
from hipflex_desktop.domain.workouts import Workout

FORMAT_STRONG_CSV = "strong-csv"
FORMAT_HEVY_CSV = "hevy-csv"
FORMAT_JSON = "json"
FORMATS = (FORMAT_STRONG_CSV, FORMAT_HEVY_CSV, FORMAT_JSON)

KG_PER_LB = 0.45359237
METRES_PER_UNIT = {"m": 1.0, "km": 1000.0, "mi": 1609.344}


class HistoryImportError(ValueError):
    """A file cannot be imported. The message says where and why, in plain words."""

    def __init__(
        self,
        problem: str,
        *,
        line: int | None = None,
        column: int | None = None,
        column_name: str | None = None,
        record: str | None = None,
    ) -> None:
        self.problem = problem
        self.line = line
        self.column = column
        self.column_name = column_name
        self.record = record
        where: list[str] = []
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}" + (f" ({column_name})" if column_name else ""))
        if record is not None:
            where.append(record)
        super().__init__(f"{', '.join(where)}: {problem}" if where else problem)


@dataclass(frozen=True)
class ImportBatch:
    """Everything a file holds, in Hipflex's records, before the store dedupes it."""

    format: str
    layout: str  # the variant recognised, for people ("Strong CSV, newest layout")
    sessions: tuple[Session, ...]
    entries: tuple[Entry, ...]
    custom_exercises: tuple[CustomExercise, ...] = ()
    workouts: tuple[Workout, ...] = ()
    workout_orders: tuple[int, ...] = ()  # list position of each workout (JSON only)
    rest_rows_ignored: int = 0


@dataclass(frozen=True)
class ExportData:
    """What the writers need: finished sessions, their entries in order, and names."""

    sessions: Sequence[Session]
    entries: dict[str, list[Entry]]  # session id -> entries in logged order
    custom_exercises: Sequence[CustomExercise] = ()
    workouts: Sequence[dict[str, Any]] = ()  # stored workout documents, in list order
    exercise_names: dict[str, str] = field(default_factory=dict)  # extra id -> name


def stable_id(prefix: str, *parts: object) -> str:
    """Same content, same id: what makes importing a file twice add nothing."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:24]}"


def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM; a bad byte is reported with its line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise HistoryImportError(
            f"the file is not UTF-8 text (unexpected byte 0x{data[exc.start]:02x}); "
            "export it again, or save it as UTF-8",
            line=line,
        ) from None
    return text.removeprefix("\ufeff")


@dataclass(frozen=True)
class CsvRow:
    line: int  # physical line where the record starts (1-based)
    fields: list[str]


def sniff_delimiter(header_line: str, known: Callable[[list[str]], bool]) -> str:
    """The delimiter that splits the header into names ``known`` accepts."""
    for delimiter in (";", ",", "\t"):
        try:
            names = next(csv.reader([header_line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if known([n.strip() for n in names]):
            return delimiter
    raise HistoryImportError("the first line is not a header this importer knows", line=1)


def read_csv(text: str, delimiter: str) -> Iterator[CsvRow]:
    """Records with the line each starts on; quoted fields may hold delimiters and newlines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous_end = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise HistoryImportError(
                f"the CSV is malformed ({exc}); check the quotes on this line",
                line=previous_end + 1,
            ) from None
        start = previous_end + 1
        previous_end = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        yield CsvRow(start, fields)


class Columns:
    """Header names (case-insensitive) to positions, and typed cell access with locations."""

    def __init__(self, header: Sequence[str]) -> None:
        self.names = [h.strip() for h in header]
        self._index: dict[str, int] = {}
        for position, name in enumerate(self.names):
            self._index.setdefault(name.casefold(), position)

    def find(self, *candidates: str) -> int | None:
        for candidate in candidates:
            position = self._index.get(candidate.casefold())
            if position is not None:
                return position
        return None

    def has(self, *candidates: str) -> bool:
        return self.find(*candidates) is not None

    def fit(self, row: CsvRow) -> list[str]:
        """Pad short rows; refuse rows with extra non-empty cells."""
        fields = row.fields
        width = len(self.names)
        if len(fields) > width:
            extra = fields[width:]
            if any(cell.strip() for cell in extra):
                raise HistoryImportError(
                    f"this row has {len(fields)} fields but the header names {width}; "
                    "a field with a delimiter in it probably lost its quotes",
                    line=row.line,
                    column=width + 1,
                )
            fields = fields[:width]
        return fields + [""] * (width - len(fields))

    def error(self, row: CsvRow, position: int, problem: str) -> HistoryImportError:
        return HistoryImportError(
            problem, line=row.line, column=position + 1, column_name=self.names[position]
        )


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def parse_number(text: str) -> float | None:
    """``8.5``, ``8,5`` (decimal comma) or empty (None). Raises ValueError otherwise."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return None
    if not _NUMBER.match(cleaned):
        raise ValueError(text)
    value = float(cleaned.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def number_cell(
    columns: Columns, row: CsvRow, fields: list[str], position: int | None
) -> float | None:
    if position is None:
        return None
    try:
        return parse_number(fields[position])
    except ValueError:
        raise columns.error(row, position, f"{fields[position]!r} is not a number") from None


def count_cell(
    columns: Columns, row: CsvRow, fields: list[str], position: int | None
) -> int | None:
    if position is None:
        return None
    try:
        value = parse_number(fields[position])
    except ValueError:
        value = -1.0
    if value is None:
        return None
    if value != int(value) or value < 0:
        raise columns.error(row, position, f"{fields[position]!r} is not a whole number")
    if value > 1_000_000:
        raise columns.error(row, position, f"{fields[position]!r} is too large to be a count")
    return int(value)


def text_cell(fields: list[str], position: int | None) -> str:
    """Trimmed text with line breaks inside the cell made plain ``\n``."""
    if position is None:
        return ""
    return fields[position].replace("\r\n", "\n").replace("\r", "\n").strip()


def to_timestamp(moment: datetime, tz: tzinfo | None) -> float:
    """Wall-clock time in ``tz`` (None: this computer's zone) as POSIX seconds."""
    if tz is None:
        return moment.astimezone().timestamp()
    return moment.replace(tzinfo=tz).timestamp()


def from_timestamp(timestamp: float, tz: tzinfo | None) -> datetime:
    moment = datetime.fromtimestamp(timestamp, tz) if tz else datetime.fromtimestamp(timestamp)
    return moment.replace(tzinfo=None)


def format_number(value: float, decimals: int = 3) -> str:
    """Shortest plain form: ``80``, ``82.5``, ``36.287`` (never exponents)."""
    rounded = round(value, decimals)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")
