"""The one resource locator works from a source tree, an installed wheel and a frozen bundle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hipflex_desktop import resources
from hipflex_desktop.resources import ResourceNotFoundError, resource_path, resource_root

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh_locator() -> object:
    resource_root.cache_clear()
    yield
    resource_root.cache_clear()


def test_source_checkout_finds_the_repository_resources(fresh_locator: object) -> None:
    assert resource_root() == REPO / "resources"
    assert resource_path("catalog", "pigeon-pose.toml").is_file()


def test_missing_resource_names_what_was_asked(fresh_locator: object) -> None:
    with pytest.raises(ResourceNotFoundError, match=r"sounds/nope\.wav"):
        resource_path("sounds", "nope.wav")


def test_frozen_bundle_layout_is_found(
    fresh_locator: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tmp_path / "bundle" / "hipflex_desktop" / "resources"
    shutil.copytree(REPO / "resources" / "catalog", bundled / "catalog")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    assert resources.resource_root() == bundled


def test_installed_wheel_carries_and_finds_every_resource(tmp_path: Path) -> None:
    """Build the real wheel, unpack it away from the source tree and load the catalog."""
    wheel_dir = tmp_path / "wheel"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(REPO)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheel_dir.glob("hipflex-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("hipflex_desktop/resources/catalog/pigeon-pose.toml",
                     "hipflex_desktop/resources/muscles.toml",
                     "hipflex_desktop/resources/diagrams/hip-front.svg",
                     "hipflex_desktop/resources/icons/hipflex.svg",
                     "hipflex_desktop/resources/workouts/hip-flexor-workout.toml"):
        assert expected in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import hipflex_desktop.resources as r, sys;"
        "from hipflex_desktop.domain.catalog_loader import load_catalog;"
        "print(r.resource_root()); print(len(load_catalog()))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    root, count = result.stdout.split()
    assert Path(root) == site / "hipflex_desktop" / "resources"
    assert int(count) == 15
