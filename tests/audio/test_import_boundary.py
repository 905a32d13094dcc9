"""QtMultimedia and QtTextToSpeech may be imported only inside hipflex_desktop/audio/.

A missing libpulse0 makes ``import PySide6.QtMultimedia`` fail; keeping the import in
one package (which imports it lazily and falls back) is what keeps the app starting.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import hipflex_desktop

PACKAGE_DIR = Path(hipflex_desktop.__file__).parent
AUDIO_DIR = PACKAGE_DIR / "audio"
RESTRICTED = ("QtMultimedia", "QtTextToSpeech", "QtMultimediaWidgets")


def _mentions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [alias.name for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]  # importlib.import_module("PySide6.QtMultimedia")
        found += [n for n in names if any(part in RESTRICTED for part in n.split("."))]
    return found


def test_multimedia_is_imported_only_in_the_audio_package() -> None:
    offenders = {
        str(path.relative_to(PACKAGE_DIR)): names
        for path in PACKAGE_DIR.rglob("*.py")
        if AUDIO_DIR not in path.parents
        for names in [_mentions(path)]
        if names
    }
    assert offenders == {}


def test_the_checker_sees_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtMultimedia import QSoundEffect\n", encoding="utf-8")
    assert _mentions(sample) == ["PySide6.QtMultimedia"]


def test_audio_package_root_does_not_load_multimedia() -> None:
    """The facade module must be importable without QtMultimedia (it loads it lazily)."""
    code = (
        "import sys\n"
        "import hipflex_desktop.audio, hipflex_desktop.audio.cues, hipflex_desktop.audio.null\n"
        "import hipflex_desktop.audio.recording, hipflex_desktop.audio.settings\n"
        "import hipflex_desktop.ui.sound_settings\n"
        "print(','.join(m for m in sys.modules if 'QtMultimedia' in m or 'TextToSpeech' in m))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
