"""The ``hipflex`` command: launches the app, or answers a sub-command and exits.

Sub-commands that only read (``catalog``, ``workouts``) never start a GUI and
import Qt only for the platform data-dir lookup. Errors a person can fix are
printed as one plain sentence with exit status 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from hipflex_desktop import __version__
from hipflex_desktop.paths import DATA_DIR_ENV, DataDirError, ensure_writable, resolve_data_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hipflex",
        description="Hipflex: train your hip flexors with guided, timed sessions.",
        epilog=f"Data lives in the platform's app-data folder unless --data-dir or "
        f"{DATA_DIR_ENV} says otherwise.",
    )
    parser.add_argument("--version", action="version", version=f"hipflex {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder for history, workouts and settings (default: ${DATA_DIR_ENV} or the "
        "platform's app-data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    catalog = commands.add_parser("catalog", help="list the exercise library")
    catalog.add_argument("--json", action="store_true", help="print a JSON array")
    catalog.set_defaults(handler=_cmd_catalog)

    workouts = commands.add_parser("workouts", help="list built-in and saved workouts")
    workouts.add_argument("--json", action="store_true", help="print a JSON array")
    workouts.set_defaults(handler=_cmd_workouts)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from hipflex_desktop.app import run_gui

            return run_gui(args.data_dir, sys.argv[:1])
        return int(handler(args))
    except DataDirError as exc:
        print(f"hipflex: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `hipflex catalog --json | head`
        return 0


def _data_dir(args: argparse.Namespace) -> Path:
    return ensure_writable(resolve_data_dir(args.data_dir))


def _cmd_catalog(args: argparse.Namespace) -> int:
    from hipflex_desktop.domain.catalog_loader import load_catalog

    catalog = load_catalog()
    if args.json:
        json.dump([m.to_json() for m in catalog], sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        for m in catalog:
            print(f"{m.id:<28} {m.kind.label:<9} {m.name}")
    return 0


def _cmd_workouts(args: argparse.Namespace) -> int:
    from hipflex_desktop.services import open_workout_library

    library = open_workout_library(_data_dir(args))
    workouts = library.all()
    if args.json:
        json.dump([w.to_dict() for w in workouts], sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        for w in workouts:
            origin = "built-in" if w.builtin else "custom"
            print(f"{w.id:<28} {origin:<9} {w.name} ({len(w.blocks)} blocks)")
    return 0
