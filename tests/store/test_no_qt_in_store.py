"""The store and its import/export formats are pure Python: importing them loads no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import hipflex_desktop.store as store_pkg

STORE_DIR = Path(store_pkg.__file__).parent
QT_PREFIXES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "qasync", "qtpy")


def test_importing_every_store_module_loads_no_qt() -> None:
    modules = sorted(
        "hipflex_desktop.store." + ".".join(p.relative_to(STORE_DIR).with_suffix("").parts)
        for p in STORE_DIR.rglob("*.py")
        if p.name != "__init__.py"
    )
    assert "hipflex_desktop.store.formats.strong_csv" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_PREFIXES!r}]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"Qt loaded by the store: {result.stdout}"
