"""Shared test setup: offscreen Qt, isolated data dirs, and leak checks.

Qt is only imported when a test asks for it (through ``qtbot``/``qapp``), so
the pure domain and store tests run without a display or Qt at all.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session", autouse=True)
def _stop_speech_daemons_we_started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Apps under test auto-spawn speech-dispatcher for their temporary HOME; stop those.

    Only daemons whose socket lives under this run's temporary folder are touched.
    """
    yield
    base = str(tmp_path_factory.getbasetemp())
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "speech-dispatcher" in cmdline and base in cmdline:
            with contextlib.suppress(OSError):
                os.kill(int(proc.name), signal.SIGTERM)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def _fail_on_qt_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a Qt test that leaves a running QTimer or a top-level widget behind (napari-style).

    Autouse fixtures are set up first and torn down last, so this runs after
    pytest-qt has closed the widgets registered with ``qtbot.addWidget``. It checks
    every test once Qt is loaded, so a leak is blamed on the test that made it, and
    holds timers weakly, so a timer that was dropped (and deleted) is not a leak.
    """
    uses_qt = bool({"qtbot", "qapp"} & set(request.fixturenames))
    if not uses_qt and "PySide6.QtCore" not in sys.modules:
        yield
        return
    from PySide6.QtCore import QTimer

    started: list[weakref.ref[QTimer]] = []
    original_start = QTimer.start

    def recording_start(self: QTimer, *args: object) -> None:
        started.append(weakref.ref(self))
        original_start(self, *args)  # type: ignore[arg-type]

    QTimer.start = recording_start  # type: ignore[method-assign]
    try:
        yield
    finally:
        QTimer.start = original_start  # type: ignore[method-assign]
    _check_for_leaks(started)


def _check_for_leaks(started: list[weakref.ref[Any]]) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    gc.collect()
    running = []
    for ref in started:
        timer = ref()
        if timer is None:
            continue
        try:
            if timer.isActive():
                running.append(timer.objectName() or repr(timer))
                timer.stop()
        except RuntimeError:  # C++ object already deleted: not a leak
            pass
    if QApplication.instance() is None:
        if running:
            pytest.fail(f"QTimer(s) still running: {running}", pytrace=False)
        return
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    leftovers = [
        w for w in QApplication.topLevelWidgets()
        if w.metaObject().className() not in _PROCESS_LIFETIME_WINDOWS
    ]
    names = [f"{type(w).__name__}({w.objectName() or w.windowTitle()!r})" for w in leftovers]
    for widget in leftovers:  # clean up so the next test starts from nothing
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    problems = []
    if running:
        problems.append(f"QTimer(s) still running: {running}")
    if names:
        problems.append(f"top-level widget(s) left behind: {names}")
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)
