"""The one place that knows where bundled resources live.

Three layouts must work: an installed wheel (resources are copied into the
package as ``hipflex_desktop/resources``), a source checkout (they sit beside
the package at the repository root) and a frozen bundle (PyInstaller unpacks
data under ``sys._MEIPASS``). Everything else asks this module for paths.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import resources as importlib_resources
from pathlib import Path


class ResourceNotFoundError(FileNotFoundError):
    """A resource the app ships with is missing: the installation is broken."""


@cache
def resource_root() -> Path:
    """Return the directory that holds ``catalog/``, ``icons/``, ``sounds/`` and the rest."""
    candidates: list[Path] = []
    package_dir = Path(str(importlib_resources.files("hipflex_desktop")))
    candidates.append(package_dir / "resources")  # installed wheel
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "hipflex_desktop" / "resources")
        candidates.append(Path(frozen_root) / "resources")
    candidates.append(package_dir.parent / "resources")  # source checkout
    for candidate in candidates:
        if (candidate / "catalog").is_dir():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise ResourceNotFoundError(f"Hipflex resources not found; looked in: {searched}")


def resource_path(*parts: str) -> Path:
    """Path of a bundled file, e.g. ``resource_path("sounds", "go.wav")``; raises if absent."""
    path = resource_root().joinpath(*parts)
    if not path.exists():
        raise ResourceNotFoundError(f"missing resource: {'/'.join(parts)} (looked at {path})")
    return path
