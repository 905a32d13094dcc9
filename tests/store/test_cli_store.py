"""``hipflex export`` and ``hipflex import`` end to end, through the real argument parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hipflex_desktop.store.history import HistoryStore
from tests.store.conftest import finished_session, snapshot_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def run_cli(data_dir: Path, *args: str) -> int:
    """Run ``hipflex --data-dir DIR ARGS...`` in-process, as the console script does."""
    from hipflex_desktop.cli import main

    return main(["--data-dir", str(data_dir), *args])


def test_import_dry_run_reports_and_writes_nothing(data_dir: Path, capsys) -> None:
    before = snapshot_files(data_dir)
    code = run_cli(data_dir, "import", str(FIXTURES / "strong_newest.csv"), "--dry-run")
    out = capsys.readouterr().out
    assert code == 0
    assert "Would add 2 sessions with 7 entries." in out
    assert "Rest-timer rows ignored (rest, not sets): 2." in out
    assert snapshot_files(data_dir) == before


def test_import_adds_then_adds_nothing_the_second_time(data_dir: Path, capsys) -> None:
    path = str(FIXTURES / "strong_comma.csv")
    assert run_cli(data_dir, "import", path) == 0
    out = capsys.readouterr().out
    assert "Added 2 sessions with 7 entries." in out
    assert "“Squat (Barbell)”" in out
    assert run_cli(data_dir, "import", path) == 0
    out = capsys.readouterr().out
    assert "Added 0 sessions with 0 entries." in out
    assert "Already in your history (skipped): 2 sessions." in out


def test_import_failure_names_line_and_column_and_changes_nothing(data_dir: Path, capsys) -> None:
    run_cli(data_dir, "import", str(FIXTURES / "hevy_kg.csv"))
    capsys.readouterr()
    before = snapshot_files(data_dir)
    code = run_cli(data_dir, "import", str(FIXTURES / "strong_bad_reps.csv"))
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == (
        "hipflex: cannot import strong_bad_reps.csv: line 5, column 8 (Reps): "
        "'ten' is not a whole number"
    )
    assert snapshot_files(data_dir) == before


def test_import_of_a_missing_or_unknown_file_fails_clearly(
    data_dir: Path, tmp_path: Path, capsys
) -> None:
    assert run_cli(data_dir, "import", str(tmp_path / "nope.csv")) == 1
    assert "cannot read" in capsys.readouterr().err
    other = tmp_path / "other.csv"
    other.write_text("a,b,c\n1,2,3\n")
    assert run_cli(data_dir, "import", str(other)) == 1
    assert "expected a Strong or Hevy CSV export" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["strong-csv", "hevy-csv", "json"])
def test_export_to_stdout_and_to_a_file(data_dir: Path, tmp_path: Path, capsys, fmt: str) -> None:
    store, _ = HistoryStore.open(data_dir)
    finished_session(store)
    store.close()
    assert run_cli(data_dir, "export", "--format", fmt) == 0
    printed = capsys.readouterr().out
    assert "Hanging Leg Raise" in printed or "hanging-leg-raise" in printed
    target = tmp_path / f"out.{fmt}"
    assert run_cli(data_dir, "export", "--format", fmt, "-o", str(target)) == 0
    assert "Exported 1 session to" in capsys.readouterr().out
    if fmt == "json":
        assert json.loads(target.read_text())["sessions"][0]["workout_name"] == "Hip day"
        assert json.loads(printed)["entries"] == json.loads(target.read_text())["entries"]
    else:
        assert target.read_text() == printed


def test_export_works_while_another_process_holds_the_lock(data_dir: Path, capsys) -> None:
    store, _ = HistoryStore.open(data_dir)  # holds the lock, like the running app
    finished_session(store)
    try:
        assert run_cli(data_dir, "export", "--format", "json") == 0
    finally:
        store.close()
    assert len(json.loads(capsys.readouterr().out)["sessions"]) == 1


def test_export_of_an_empty_or_missing_folder_is_just_a_header(tmp_path: Path, capsys) -> None:
    assert run_cli(tmp_path / "never-created", "export", "--format", "strong-csv") == 0
    assert capsys.readouterr().out.startswith("Workout #;Date;Workout Name")
    assert not (tmp_path / "never-created").exists()


def test_cli_format_names_match_the_store() -> None:
    """cli_store spells the names out to keep start-up light; they must not drift."""
    from hipflex_desktop import cli_store
    from hipflex_desktop.store import formats

    assert tuple(cli_store.FORMATS) == tuple(formats.FORMATS)
    assert cli_store.FORMAT_JSON == formats.FORMAT_JSON


def test_building_the_parser_imports_no_store_module() -> None:
    import subprocess
    import sys

    code = ("import sys; from hipflex_desktop.cli import build_parser; build_parser();"
            "print(sorted(m for m in sys.modules if m.startswith('hipflex_desktop.store')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
