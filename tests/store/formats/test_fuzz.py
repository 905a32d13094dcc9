"""Fuzzed import input: only HistoryImportError ever escapes, and nothing is half-written."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipflex_desktop.store.formats import HistoryImportError, ImportBatch, parse_any
from hipflex_desktop.store.formats.hevy_csv import HEADER_KG, HEADER_LB
from hipflex_desktop.store.formats.strong_csv import NEWEST_HEADER
from hipflex_desktop.store.history import HistoryStore
from tests.store.conftest import T0, finished_session, snapshot_files

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"

STRONG_COMMA = (
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
)
STRONG_UNITS = (
    "Date",
    "Workout Name",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Weight Unit",
    "Reps",
    "RPE",
    "Distance",
    "Distance Unit",
    "Seconds",
    "Notes",
    "Workout Notes",
    "Workout Duration",
)
HEADERS = [NEWEST_HEADER, STRONG_COMMA, STRONG_UNITS, HEADER_KG, HEADER_LB]

# Cells that are plausible, almost plausible, or hostile.
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "12",
            "8,5",
            "7.5",
            "-3",
            "1e400",
            "nan",
            "W",
            "D",
            "F",
            "Rest Timer",
            "2024-01-05 18:30:00",
            "2024-13-45 99:99:99",
            "5 Jan 2024, 18:30",
            "1h 5m",
            "kg",
            "lbs",
            "mi",
            "warmup",
            "dropset",
            "Hanging Leg Raise",
            "L-Sit",
            '"',
            '""',
            "a\nb",
            "\r",
            ";",
            ",",
            "\x00",
            "\ufeff",
            "9" * 40,
        ]
    ),
    st.text(max_size=12),
)


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from(HEADERS))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    rows = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 6))):
        width = len(header) + draw(st.integers(-2, 2))
        cells = [draw(CELLS) for _ in range(max(0, width))]
        rows.append(delimiter.join(_quote(c) if draw(st.booleans()) else c for c in cells))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(rows) + draw(st.sampled_from(["", newline]))
    if draw(st.booleans()):
        text = "\ufeff" + text
    data = text.encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()) and data:  # cut it anywhere, even mid-character
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def mostly_valid_strong_files(draw: st.DrawFn) -> bytes:
    """Newest-layout exports with sound rows, sometimes one poisoned cell."""
    rows = [";".join(NEWEST_HEADER)]
    for number in range(1, draw(st.integers(1, 3)) + 1):
        day = draw(st.integers(1, 28))
        date = f"2024-02-{day:02d} {draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}:00"
        name = draw(st.sampled_from(["Hips", "Core; quick", 'Say "hi"', "Zürich day"]))
        for _ in range(draw(st.integers(1, 5))):
            cells = [
                str(number),
                date,
                name,
                str(draw(st.integers(60, 7200))),
                draw(st.sampled_from(["Hanging Leg Raise", "L-Sit", "Squat (Barbell)"])),
                draw(st.sampled_from(["1", "2", "W", "D", "F", "Rest Timer"])),
                draw(st.sampled_from(["0", "7,5", "10", ""])),
                str(draw(st.integers(0, 20))),
                draw(st.sampled_from(["", "8", "9,5"])),
                "",
                draw(st.sampled_from(["", "0", "30"])),
                draw(st.sampled_from(["", "slow", "a\nb", "x;y"])),
                "",
            ]
            if draw(st.integers(0, 9)) == 0:
                cells[draw(st.integers(0, len(cells) - 1))] = draw(CELLS)
            rows.append(";".join(_quote(c) for c in cells))
    return ("\n".join(rows) + "\n").encode("utf-8", errors="surrogatepass")


def _parse(data: bytes) -> ImportBatch | None:
    try:
        return parse_any(data)
    except HistoryImportError as exc:
        message = str(exc)
    assert message  # always a message for people
    return None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_importers(data: bytes) -> None:
    _parse(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_csv_shaped_input_never_crashes_the_importers(data: bytes) -> None:
    _parse(data)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(FIXTURES.glob("*.csv"))), st.data())
def test_mutated_real_exports_never_crash_the_importers(path: Path, data: st.DataObject) -> None:
    original = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, max(0, len(original) - 1)))
        original[position : position + 1] = data.draw(st.binary(min_size=0, max_size=3))
    _parse(bytes(original))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(csv_files(), mostly_valid_strong_files()))
def test_a_failed_import_never_writes_and_a_good_one_is_idempotent(data: bytes) -> None:
    folder = Path(tempfile.mkdtemp(prefix="hipflex-fuzz-"))
    try:
        store, _ = HistoryStore.open(folder)
        finished_session(store, T0)
        before = snapshot_files(folder)
        batch = _parse(data)
        if batch is None:
            assert snapshot_files(folder) == before
            return
        store.import_batch(batch)
        after_first = snapshot_files(folder)
        again = store.import_batch(batch)
        assert (again.sessions_added, again.entries_added) == (0, 0)
        assert snapshot_files(folder) == after_first
        store.close()
        reopened, notices = HistoryStore.open(folder)
        assert notices == []
        assert reopened.counts()[1] >= 3
        reopened.close()
    finally:
        shutil.rmtree(folder)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _backup_text() -> str:
    from hipflex_desktop.domain.history import EntryKind
    from hipflex_desktop.store.formats import ExportData
    from hipflex_desktop.store.formats.json_backup import export_json
    from tests.store.conftest import every_kind, make_session

    session = make_session(T0, ended_at=T0 + 600)
    entries = every_kind(session)
    assert {e.kind for e in entries} == set(EntryKind)
    workout = {
        "id": "custom-a",
        "name": "A",
        "builtin": False,
        "description": "",
        "tags": [],
        "blocks": [{"movement_id": "l-sit-hold", "prescription": {"sets": 3}}],
        "order": 0,
    }
    return export_json(ExportData([session], {session.id: entries}, (), [workout]))


BACKUP = _backup_text()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_json_backups_never_crash_or_half_write(data: st.DataObject) -> None:
    import json

    document = json.loads(BACKUP)
    for _ in range(data.draw(st.integers(1, 3))):
        section = data.draw(
            st.sampled_from(["sessions", "entries", "workouts", "custom_exercises", None])
        )
        if section is None:
            key = data.draw(st.sampled_from(["format", "schema_version", "sessions", "entries"]))
            document[key] = data.draw(JSON_VALUES)
            continue
        records = document[section]
        if not isinstance(records, list):
            continue
        if not records:
            records.append(data.draw(JSON_VALUES))
            continue
        record = records[data.draw(st.integers(0, len(records) - 1))]
        if isinstance(record, dict) and record:
            field = data.draw(st.sampled_from(sorted(record)))
            record[field] = data.draw(JSON_VALUES)
    batch = _parse(json.dumps(document).encode())
    if batch is not None:
        folder = Path(tempfile.mkdtemp(prefix="hipflex-fuzz-"))
        try:
            store, _ = HistoryStore.open(folder)
            store.import_batch(batch)
            store.close()
            reopened, notices = HistoryStore.open(folder)
            assert notices == []  # what was accepted is stored in a shape that reads back
            reopened.export_data()
            reopened.close()
        finally:
            shutil.rmtree(folder)
