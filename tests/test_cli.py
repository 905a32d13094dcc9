"""The `hipflex` command as a user types it: real subprocesses where it matters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex_desktop import __version__
from hipflex_desktop.cli import main

CATALOG_KEYS = {
    "id", "name", "kind", "muscles", "equipment", "steps", "cues", "mistakes",
    "progressions", "regressions", "prescription", "source_note",
}


def run_hipflex(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hipflex_desktop", *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})}, check=False,
    )


def test_version_via_python_dash_m() -> None:
    result = run_hipflex("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"hipflex {__version__}"


def test_catalog_json_has_every_key_and_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--json"]) == 0
    movements = json.loads(capsys.readouterr().out)
    assert len(movements) >= 15
    for movement in movements:
        assert set(movement) >= CATALOG_KEYS, movement["id"]
        assert movement["kind"] in {"reps", "hold", "interval", "per_side"}
        assert set(movement["muscles"]) == {"primary", "secondary"}
        assert movement["muscles"]["primary"], movement["id"]
        assert movement["cues"], movement["id"]


def test_catalog_plain_lists_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog"]) == 0
    assert "Hanging Leg Raise" in capsys.readouterr().out


def test_workouts_json_lists_builtins_with_ordered_blocks(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "workouts", "--json"]) == 0
    workouts = json.loads(capsys.readouterr().out)
    by_id = {w["id"]: w for w in workouts}
    hip = by_id["hip-flexor-workout"]
    assert hip["builtin"] is True
    assert [b["movement_id"] for b in hip["blocks"]] == [
        "hanging-leg-raise", "standing-hip-flexor-raise", "mountain-climber",
    ]
    assert hip["blocks"][0]["prescription"]["sets"] == 3
    assert hip["blocks"][0]["prescription"]["reps_min"] == 8
    assert hip["blocks"][0]["prescription"]["reps_max"] == 10
    assert hip["blocks"][2]["prescription"]["rounds"] == 3
    assert hip["blocks"][2]["prescription"]["work_seconds"] == 30


def test_workouts_include_saved_custom_workouts(data_dir: Path) -> None:
    from hipflex_desktop.services import open_workout_library

    library = open_workout_library(data_dir)
    builtin = library.find("hip-flexor-workout")
    assert builtin is not None
    library.save(builtin.duplicated("My Tuesday"))
    result = run_hipflex("workouts", "--json", env={"HIPFLEX_DATA_DIR": str(data_dir)})
    assert result.returncode == 0, result.stderr
    names = [w["name"] for w in json.loads(result.stdout)]
    assert "My Tuesday" in names


def test_env_var_and_flag_choose_the_data_dir(tmp_path: Path) -> None:
    from_env = tmp_path / "from-env"
    from_flag = tmp_path / "from-flag"
    result = run_hipflex("workouts", env={"HIPFLEX_DATA_DIR": str(from_env)})
    assert result.returncode == 0, result.stderr
    assert from_env.is_dir()
    result = run_hipflex("--data-dir", str(from_flag), "workouts",
                         env={"HIPFLEX_DATA_DIR": str(from_env)})
    assert result.returncode == 0, result.stderr
    assert from_flag.is_dir()


def test_data_dir_may_follow_the_sub_command(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    result = run_hipflex("--data-dir", str(before), "workouts", "--json", "--data-dir", str(after))
    assert result.returncode == 0, result.stderr
    assert after.is_dir()
    assert not before.exists()
    result = run_hipflex("workouts", "--data-dir", str(before))
    assert result.returncode == 0, result.stderr
    assert before.is_dir()


def test_damaged_catalog_is_one_sentence_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hipflex_desktop.domain import catalog_loader
    from hipflex_desktop.domain.catalog import CatalogError

    def broken() -> None:
        raise CatalogError("catalog/pigeon-pose.toml", "cues", "must not be empty")

    monkeypatch.setattr(catalog_loader, "load_catalog", broken)
    assert main(["catalog", "--json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hipflex: catalog/pigeon-pose.toml: field 'cues'")
    assert "Traceback" not in err


def test_unwritable_data_dir_gives_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_hipflex("--data-dir", str(blocker / "data"), "workouts")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "data folder" in result.stderr
    assert str(blocker / "data") in result.stderr


@pytest.mark.parametrize(
    "argv",
    [["--bogus"], ["catalog", "--yaml"], ["no-such-command"], ["workouts", "extra"]],
)
def test_unknown_arguments_are_usage_errors(argv: list[str]) -> None:
    result = run_hipflex(*argv)
    assert result.returncode == 2
    assert "usage: hipflex" in result.stderr
    assert "Traceback" not in result.stderr


def test_default_data_dir_is_qt_app_data_location(tmp_path: Path) -> None:
    """With no override, data goes to AppDataLocation for org Hipflex, app hipflex."""
    xdg = tmp_path / "xdg-data"
    result = run_hipflex("workouts", env={"XDG_DATA_HOME": str(xdg)})
    assert result.returncode == 0, result.stderr
    assert (xdg / "Hipflex" / "hipflex").is_dir()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (True, None)),
        (["--data-dir", "/x"], (True, "/x")),
        (["--data-dir=/y"], (True, "/y")),
        (["--data-dir"], (False, None)),
        (["--data-dir", "--version"], (False, None)),
        (["--version"], (False, None)),
        (["catalog"], (False, None)),
        (["--data-dir", "/x", "workouts"], (False, None)),
    ],
)
def test_plain_launch_is_recognised_without_the_full_parser(
    argv: list[str], expected: tuple[bool, str | None]
) -> None:
    from hipflex_desktop.cli import _plain_launch

    assert _plain_launch(argv) == expected


def test_a_gui_start_pauses_the_cycle_collector_until_painted_and_always_resumes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Start-up objects are not traced again and again; a failed start leaves gc running."""
    import gc

    from hipflex_desktop import app, cli

    seen: list[bool] = []

    def fake_run_gui(data_dir: str | None, argv: list[str], request: object = None) -> int:
        seen.append(gc.isenabled())
        raise cli.DataDirError("no folder")

    monkeypatch.setattr(app, "run_gui", fake_run_gui)
    assert gc.isenabled()
    assert cli.main(["--data-dir", "somewhere"]) == 1
    assert seen == [False]
    assert gc.isenabled()
