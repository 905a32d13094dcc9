"""``hipflex export`` and ``hipflex import``: history in and out, from the command line.

Export only reads, so it works while the app is open. Import writes, so it
takes the data folder's lock, waiting up to ``--wait`` seconds for a running
Hipflex to let go, then fails with a clear message. Every failure prints one
sentence after ``hipflex:`` and exits 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hipflex_desktop.paths import ensure_writable, resolve_data_dir

if TYPE_CHECKING:
    from hipflex_desktop.store.files import RecoveryNotice
    from hipflex_desktop.store.history import HistoryStore

DEFAULT_WAIT_S = 10.0
# The store's format names, spelled out here so that building the parser (at every
# start of `hipflex`) does not import the store; tests/store/test_cli_store.py keeps
# them equal to hipflex_desktop.store.formats.FORMATS.
FORMATS = ("strong-csv", "hevy-csv", "json")
FORMAT_JSON = "json"


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``export`` and ``import`` to the ``hipflex`` parser's sub-commands."""
    export = commands.add_parser(
        "export",
        help="write your history to a file or stdout",
        description="Write every finished session: Strong CSV (newest layout), Hevy CSV, "
        "or a complete Hipflex JSON backup.",
    )
    export.add_argument(
        "--format", choices=FORMATS, default=FORMAT_JSON, help="file format (default: json)"
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    export.set_defaults(handler=cmd_export)

    importer = commands.add_parser(
        "import",
        help="add sessions from a Strong or Hevy CSV export, or a Hipflex JSON backup",
        description="Add what FILE holds that your history lacks. The format is detected. "
        "Nothing is changed unless the whole file can be read; importing a file twice adds "
        "nothing the second time.",
    )
    importer.add_argument("file", metavar="FILE")
    importer.add_argument(
        "--dry-run", action="store_true", help="show what would be added, change nothing"
    )
    importer.add_argument("--format", choices=FORMATS, help="skip detection")
    importer.add_argument(
        "--weight-unit",
        choices=("kg", "lb"),
        default="kg",
        help="unit of the weights in Strong's comma layout, which does not say (default: kg)",
    )
    importer.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_S,
        metavar="SECONDS",
        help=f"how long to wait for a running Hipflex to free the data folder "
        f"(default: {DEFAULT_WAIT_S:g})",
    )
    importer.set_defaults(handler=cmd_import)


def _fail(message: str) -> int:
    print(f"hipflex: {message}", file=sys.stderr)
    return 1


def _report_notices(notices: list[RecoveryNotice]) -> None:
    for notice in notices:
        print(f"hipflex: {notice.message}", file=sys.stderr)


def _open_for_reading(data_dir: Path) -> HistoryStore:
    from hipflex_desktop.store.history import HistoryStore
    from hipflex_desktop.store.migrations import StoreNeedsMigrationError

    try:
        store, notices = HistoryStore.open(data_dir, read_only=True)
    except StoreNeedsMigrationError:
        store, notices = HistoryStore.open(ensure_writable(data_dir), lock_timeout_s=DEFAULT_WAIT_S)
    _report_notices(notices)
    return store


def cmd_export(args: argparse.Namespace) -> int:
    from hipflex_desktop.store.atomic import atomic_write_bytes
    from hipflex_desktop.store.errors import StoreError
    from hipflex_desktop.store.exchange import export_text

    data_dir = resolve_data_dir(args.data_dir)
    try:
        store = _open_for_reading(data_dir)
    except StoreError as exc:
        return _fail(str(exc))
    with store:
        text = export_text(store, args.format)
        if store.unfinished_session() is not None:
            print(
                "hipflex: a session in progress is not included; finish it in the app first.",
                file=sys.stderr,
            )
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    target = Path(args.output).expanduser()
    try:
        atomic_write_bytes(target, text.encode("utf-8"))
    except OSError as exc:
        return _fail(f"cannot write {target}: {exc.strerror or exc}")
    sessions = len(store.sessions())
    print(f"Exported {sessions} session{'s' if sessions != 1 else ''} to {target}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from hipflex_desktop.store.errors import StoreError
    from hipflex_desktop.store.exchange import describe_report, read_import_file
    from hipflex_desktop.store.formats import HistoryImportError
    from hipflex_desktop.store.history import HistoryStore

    source = Path(args.file).expanduser()
    try:
        batch = read_import_file(source, format=args.format, default_unit=args.weight_unit)
    except HistoryImportError as exc:
        return _fail(f"cannot import {source.name}: {exc}")
    data_dir = resolve_data_dir(args.data_dir)
    try:
        if args.dry_run:
            store = _open_for_reading(data_dir)
        else:
            store, notices = HistoryStore.open(
                ensure_writable(data_dir), lock_timeout_s=max(0.0, args.wait)
            )
            _report_notices(notices)
        with store:
            report = store.import_batch(batch, dry_run=args.dry_run)
    except StoreError as exc:
        return _fail(f"nothing was imported: {exc}")
    _report_notices(list(report.notices))
    for line in describe_report(report):
        print(line)
    return 0
