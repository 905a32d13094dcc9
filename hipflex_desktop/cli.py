"""The ``hipflex`` command: launches the app, or answers a sub-command and exits.

Sub-commands that only read (``catalog``, ``workouts``) never start a GUI and
import Qt only for the platform data-dir lookup. Errors a person can fix are
printed as one plain sentence with exit status 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from hipflex_desktop import __version__
from hipflex_desktop.domain.catalog import CatalogError
from hipflex_desktop.domain.prescription import (
    HOLD_RANGE,
    ROUNDS_RANGE,
    SETS_RANGE,
    TRANSITION_RANGE,
    WORK_REST_RANGE,
)
from hipflex_desktop.paths import DATA_DIR_ENV, DataDirError, ensure_writable, resolve_data_dir

LEAD_IN_RANGE = (0, 60)
TIMER_OPTIONS = {"seconds", "sets", "rest", "total", "work", "rounds", "lead_in", "transition"}


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

    _add_timer_commands(commands)
    from hipflex_desktop.cli_store import register as register_store_commands

    register_store_commands(commands)
    from hipflex_desktop.cli_progress import register as register_progress_commands

    register_progress_commands(commands)
    _accept_data_dir_everywhere(parser)
    return parser


def _accept_data_dir_everywhere(parser: argparse.ArgumentParser) -> None:
    """Let ``--data-dir`` come after the sub-command too (``hipflex catalog --data-dir X``).

    SUPPRESS keeps a sub-command from resetting a value given before it.
    """
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                if not any("--data-dir" in a.option_strings for a in sub._actions):
                    sub.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                                     help=argparse.SUPPRESS)
                _accept_data_dir_everywhere(sub)


def bounded_int(low: int, high: int, unit: str = "s") -> Callable[[str], int]:
    """An argparse type: a whole number in ``[low, high]``; argparse names the option."""
    suffix = f" {unit}" if unit else ""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low} to {high}{suffix}, got {text!r}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be from {low} to {high}{suffix}, got {value}"
            )
        return value

    parse.__name__ = "whole number"
    return parse


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exit-when-done", action="store_true",
                        help="close Hipflex when the timer or workout ends (for scripts)")
    parser.add_argument("--cue-log", metavar="FILE",
                        help="append one JSON line per fired cue (also $HIPFLEX_CUE_LOG)")


def _add_timer_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    timer = commands.add_parser("timer", help="open the window and start a quick timer")
    kinds = timer.add_subparsers(dest="timer_kind", metavar="KIND", required=True)

    hold = kinds.add_parser("hold", help="timed holds: --seconds S [--sets N --rest S]")
    hold.add_argument("--seconds", type=bounded_int(*HOLD_RANGE), required=True)
    hold.add_argument("--sets", type=bounded_int(*SETS_RANGE, unit=""), default=1)
    hold.add_argument("--rest", type=bounded_int(*WORK_REST_RANGE), default=60)

    accumulate = kinds.add_parser("accumulate", help="brief holds that add up to --total S")
    accumulate.add_argument("--total", type=bounded_int(*HOLD_RANGE), required=True)

    intervals = kinds.add_parser("intervals", help="--work S --rest S --rounds N [--lead-in S]")
    intervals.add_argument("--work", type=bounded_int(*WORK_REST_RANGE), required=True)
    intervals.add_argument("--rest", type=bounded_int(*WORK_REST_RANGE), required=True)
    intervals.add_argument("--rounds", type=bounded_int(*ROUNDS_RANGE, unit=""), required=True)
    intervals.add_argument("--lead-in", type=bounded_int(*LEAD_IN_RANGE), default=None)

    sides = kinds.add_parser("sides", help="per-side stretch: --seconds S [--transition S]")
    sides.add_argument("--seconds", type=bounded_int(*HOLD_RANGE), required=True)
    sides.add_argument("--transition", type=bounded_int(*TRANSITION_RANGE), default=5)

    for sub in (hold, accumulate, intervals, sides):
        _add_run_options(sub)
        sub.set_defaults(handler=_cmd_run)

    workout = commands.add_parser("workout", help="open the session runner on a workout")
    workout.add_argument("workout", metavar="NAME_OR_ID")
    _add_run_options(workout)
    workout.set_defaults(handler=_cmd_run)


SPEECH_HELPER_FLAG = "--speech-helper"


def _plain_launch(argv: Sequence[str]) -> tuple[bool, str | None]:
    """``hipflex`` or ``hipflex --data-dir DIR``: the everyday launch, parsed by hand.

    Building the full parser (every sub-command) costs start-up time the plain
    launch never needs; anything else goes through argparse as usual.
    """
    args = list(argv)
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--data-dir" and not args[1].startswith("-"):
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--data-dir=") and len(args[0]) > 11:
        return True, args[0].split("=", 1)[1]
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments == [SPEECH_HELPER_FLAG]:
        # Internal: a frozen bundle has no ``python -m``, so the app starts its speech
        # helper process through its own executable (audio/voice.py).
        from hipflex_desktop.audio.speech_helper import main as speech_helper_main

        return speech_helper_main()
    plain, data_dir = _plain_launch(arguments)
    args: argparse.Namespace | None = None
    if not plain:
        args = build_parser().parse_args(arguments)
        data_dir = args.data_dir
    handler = getattr(args, "handler", None)
    starts_gui = handler is None or handler is _cmd_run
    if starts_gui:
        # Start-up makes many thousands of objects that live as long as the app (Qt
        # classes and enums, modules, widgets), and the cycle collector would trace them
        # again and again before the first paint. run_gui turns it back on once painted.
        gc.disable()
    try:
        if handler is None:
            from hipflex_desktop.app import run_gui

            return run_gui(data_dir, sys.argv[:1])
        return int(handler(args))
    except (DataDirError, CatalogError) as exc:
        print(f"hipflex: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `hipflex catalog --json | head`
        return 0
    finally:
        if starts_gui:
            gc.enable()  # also when start-up failed before the first paint


def _data_dir(args: argparse.Namespace) -> Path:
    return ensure_writable(resolve_data_dir(args.data_dir))


def _cmd_catalog(args: argparse.Namespace) -> int:
    from hipflex_desktop.domain.catalog_loader import load_catalog

    catalog = load_catalog()
    if args.json:
        import json  # here, not at the top: a plain start never needs it

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
        import json

        json.dump([w.to_dict() for w in workouts], sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        for w in workouts:
            origin = "built-in" if w.builtin else "custom"
            print(f"{w.id:<28} {origin:<9} {w.name} ({len(w.blocks)} blocks)")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    """`hipflex timer …` / `hipflex workout …`: open the window and start at once."""
    import os

    from hipflex_desktop.app import LaunchRequest, run_gui

    cue_log = args.cue_log or os.environ.get("HIPFLEX_CUE_LOG") or None
    timer: dict[str, int] = {}
    if args.command == "timer":
        timer = {
            key: value
            for key, value in vars(args).items()
            if key in TIMER_OPTIONS and value is not None
        }
    request = LaunchRequest(
        timer_kind=getattr(args, "timer_kind", None),
        timer=timer,
        workout=getattr(args, "workout", None),
        exit_when_done=args.exit_when_done,
        cue_log=Path(cue_log) if cue_log else None,
    )
    return run_gui(args.data_dir, sys.argv[:1], request)
