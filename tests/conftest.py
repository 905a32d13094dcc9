"""Shared test setup: offscreen Qt, isolated data dirs, and leak checks.

Qt is only imported when a test asks for it (through ``qtbot``/``qapp``), so
the pure domain and store tests run without a display or Qt at all.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never let a test touch the developer's real settings or data.
os.environ.pop("HIPFLEX_DATA_DIR", None)

# Qt internals that live for the whole process and are not ours to clean up.
_PROCESS_LIFETIME_WINDOWS = {"QTipLabel"}


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point XDG dirs at a temp dir so QStandardPaths/QSettings never hit the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("HIPFLEX_DATA_DIR", raising=False)
    monkeypatch.delenv("HIPFLEX_CUE_LOG", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def _fail_on_qt_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a Qt test that leaves a running QTimer or a top-level widget behind (napari-style).

    Autouse fixtures are set up first and torn down last, so this runs after
    pytest-qt has closed the widgets registered with ``qtbot.addWidget``.
    """
    uses_qt = bool({"qtbot", "qapp"} & set(request.fixturenames))
    if not uses_qt:
        yield
        return
    from PySide6.QtCore import QCoreApplication, QEvent, QTimer

    started: list[QTimer] = []
    original_start = QTimer.start

    def recording_start(self: QTimer, *args: object) -> None:
        started.append(self)
        original_start(self, *args)  # type: ignore[arg-type]

    QTimer.start = recording_start  # type: ignore[method-assign]
    try:
        yield
    finally:
        QTimer.start = original_start  # type: ignore[method-assign]
    running = []
    for timer in started:
        try:
            if timer.isActive():
                running.append(timer.objectName() or repr(timer))
                timer.stop()
        except RuntimeError:  # C++ object already deleted: not a leak
            pass
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    from PySide6.QtWidgets import QApplication

    leftovers = [
        f"{type(w).__name__}({w.objectName() or w.windowTitle()!r})"
        for w in QApplication.topLevelWidgets()
        if w.metaObject().className() not in _PROCESS_LIFETIME_WINDOWS
    ]
    for widget in QApplication.topLevelWidgets():
        if widget.metaObject().className() not in _PROCESS_LIFETIME_WINDOWS:
            widget.close()
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    problems = []
    if running:
        problems.append(f"QTimer(s) still running: {running}")
    if leftovers:
        problems.append(f"top-level widget(s) left behind: {leftovers}")
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)
