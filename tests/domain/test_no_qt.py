"""The domain core must stay free of Qt (the Anki/napari split), checked two ways."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import hipflex_desktop.domain as domain_pkg

DOMAIN_DIR = Path(domain_pkg.__file__).parent
QT_PREFIXES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "qasync", "qtpy")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_domain_source_file_imports_qt() -> None:
    offenders = {
        f"{path.relative_to(DOMAIN_DIR)}: {name}"
        for path in DOMAIN_DIR.rglob("*.py")
        for name in _imported_modules(path)
        if name.split(".")[0] in QT_PREFIXES
    }
    assert not offenders, f"Qt imported in the domain core: {sorted(offenders)}"


def test_importing_every_domain_module_loads_no_qt() -> None:
    """Catches indirect imports too: a domain module importing a helper that imports Qt."""
    modules = sorted(
        "hipflex_desktop.domain."
        + ".".join(p.relative_to(DOMAIN_DIR).with_suffix("").parts)
        for p in DOMAIN_DIR.rglob("*.py")
        if p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_PREFIXES!r}]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"Qt loaded by the domain: {result.stdout}"
