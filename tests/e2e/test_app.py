"""The real application: the window `hipflex` builds, and the real process starting up."""

from __future__ import annotations

import ast
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hipflex_desktop.app import AppContext, build_main_window, open_settings
from hipflex_desktop.ui.main_window import MainWindow


def build_window(qtbot: QtBot, data_dir: Path) -> MainWindow:
    """The real main window, built as the app builds it, not yet shown."""
    window = build_main_window(AppContext(data_dir, open_settings(data_dir)))
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    return window


def make_window(qtbot: QtBot, data_dir: Path, *, laptop_size: bool = True) -> MainWindow:
    window = build_window(qtbot, data_dir)
    if laptop_size:
        window.resize(1366, 768)
    window.show()
    window.activateWindow()
    # The offscreen platform activates a window a few event-loop turns after show().
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def test_keyboard_only_browse_open_and_return(qtbot: QtBot, data_dir: Path) -> None:
    window = make_window(qtbot, data_dir)
    assert window.current_section() == "Exercises"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.exercises.search
    qtbot.keyClicks(window.exercises.search, "pigeon")
    qtbot.keyClick(window.exercises.search, Qt.Key.Key_Return)
    assert window.library_stack.currentWidget() is window.detail
    assert window.detail.title.text() == "Pigeon Pose"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.library_stack.currentWidget() is window.exercises
    assert window.exercises.grid.currentIndex().data() == "Pigeon Pose"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "Workouts"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "Dashboard"
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "History"
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "Muscles"


def test_window_geometry_is_remembered_in_the_data_dir(qtbot: QtBot, data_dir: Path) -> None:
    window = make_window(qtbot, data_dir)
    # Stay inside the 800x800 offscreen screen so restoreGeometry clamps nothing.
    target = (max(window.minimumSizeHint().width(), 700), 560)
    window.resize(*target)
    window.close()
    assert (data_dir / "settings.ini").exists()
    again = make_window(qtbot, data_dir, laptop_size=False)
    assert (again.width(), again.height()) == target


def test_real_process_paints_its_window_and_exits(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HIPFLEX_STARTUP_PROBE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "hipflex_desktop", "--data-dir", str(tmp_path / "d")],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    paint, frame = result.stdout.splitlines()
    assert paint.startswith("first-paint ")
    assert frame.startswith("first-frame ")
    assert float(frame.split()[1]) >= float(paint.split()[1])
    assert (tmp_path / "d").is_dir()


def test_gui_with_unwritable_data_dir_says_why_and_exits(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "hipflex_desktop", "--data-dir", str(blocker / "sub")],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot create its data folder" in result.stderr


def test_history_dashboard_and_menus_work_on_the_real_store(
    qtbot: QtBot, data_dir: Path
) -> None:
    from hipflex_desktop.domain.history import Entry, EntryKind, Session
    from hipflex_desktop.store.history import HistoryStore

    store, _ = HistoryStore.open(data_dir)
    store.begin_session(Session("s1", "hip-flexor-workout", "Hip Flexor Workout",
                                1_750_000_000.0))
    store.log_entry(Entry("e1", "s1", "hanging-leg-raise", EntryKind.REP_SET, 0,
                          1_750_000_010.0, 1_750_000_040.0, reps=9, load=0.0, unit="kg"))
    store.finish_session(1_750_000_900.0)
    store.close()

    window = make_window(qtbot, data_dir)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "History"
    assert window.history_page.session_table.model().rowCount() == 1
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    file_items = [a.text() for a in menus["File"].actions()]
    assert "&Import history…" in file_items
    assert "&Export history…" in file_items
    assert window.history_page.undo_action in menus["Edit"].actions()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "Dashboard"
    window.open_movement_id("hanging-leg-raise")
    assert "Your bests" in window.detail.body.text()
    window.close()


def test_first_paint_path_loads_no_store_audio_or_asyncio(tmp_path: Path) -> None:
    """Start-up stays fast only if the window paints before these load (bench/startup.py)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from hipflex_desktop.app import AppContext, build_main_window, create_application,"
        " open_settings\n"
        "app = create_application(sys.argv)\n"
        f"d = Path({str(tmp_path)!r})\n"
        "w = build_main_window(AppContext(d, open_settings(d)))\n"
        "w.show(); app.processEvents()\n"
        "heavy = ('hipflex_desktop.store.', 'hipflex_desktop.audio', 'asyncio', 'qasync',"
        " 'PySide6.QtMultimedia', 'hipflex_desktop.ui.runner_page')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
        "w.close()\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_settings_page_shows_sound_controls_and_the_data_folder(
    qtbot: QtBot, data_dir: Path
) -> None:
    from hipflex_desktop.audio.null import NullCuePlayer

    window = build_main_window(AppContext(data_dir, open_settings(data_dir)),
                               make_player=lambda parent: NullCuePlayer())
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.show_section("Settings")
    page = window.page("Settings")
    assert str(data_dir) in page.data_label.text()  # type: ignore[attr-defined]
    assert "visual flash" in page.sound.text()  # type: ignore[attr-defined]


def test_accepted_add_load_suggestion_prefills_the_next_log(
    qtbot: QtBot, data_dir: Path
) -> None:
    from hipflex_desktop.audio.null import NullCuePlayer
    from hipflex_desktop.domain.coaching import SuggestionKind, suggestions_for_workout
    from hipflex_desktop.domain.history import Entry, EntryKind, Session
    from hipflex_desktop.store.coaching import workout_entries
    from hipflex_desktop.store.history import HistoryStore

    store, _ = HistoryStore.open(data_dir)
    for day in range(2):
        sid, t = f"s{day}", 1_750_000_000.0 + day * 86_400
        store.begin_session(Session(sid, "hip-flexor-workout", "Hip Flexor Workout", t))
        for index in range(3):  # every set at the top of 8-10: time to add load
            store.log_entry(Entry(f"{sid}e{index}", sid, "hanging-leg-raise",
                                  EntryKind.REP_SET, index, t + index * 100,
                                  t + index * 100 + 30, reps=10, load=0.0, unit="kg"))
        store.finish_session(t + 900)
    store.close()

    window = build_main_window(AppContext(data_dir, open_settings(data_dir)),
                               make_player=lambda parent: NullCuePlayer())
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    link = window.history
    assert link is not None
    workout = window.library.find("hip-flexor-workout")
    assert workout is not None
    found = suggestions_for_workout(workout, workout_entries(link.store, workout),
                                    window._catalog)
    add_load = next(s for s in found if s.kind is SuggestionKind.ADD_LOAD)
    window.coaching.accept(add_load.id)
    assert window.start_workout("hip-flexor-workout")
    session = window.runner.session
    assert session is not None
    first = session.plan.steps[0]
    defaults = session.log_defaults(first)
    assert defaults.load == add_load.load_change.to_load  # type: ignore[union-attr]
    assert defaults.load > 0
    assert first.reps_min == 8  # back to the bottom of the range
    window.runner.shutdown()
    window.close()


_PROBE_MODULES = (
    "import sys\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication\n"
    "import hipflex_desktop.app as app\n"
    "from hipflex_desktop.cli import main\n"
    "def report():\n"
    "    print('loaded', sorted(m for m in sys.modules if m.startswith(tuple(sys.argv[2:]))))\n"
    "    import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets\n"
    "    modules = (PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets)\n"
    "    print('classes', sorted(n for m in modules for n in vars(m) if n.startswith('Q')))\n"
    "    QTimer.singleShot(0, QApplication.closeAllWindows)\n"
    "app._report_first_frame = report\n"
    "sys.exit(main(['--data-dir', sys.argv[1]]))\n"
)


def _first_frame_report(data_dir: Path, prefixes: tuple[str, ...]) -> dict[str, list[str]]:
    """Start the real app (``hipflex --data-dir``); when its first frame was complete (the
    window and everything in it painted): ``loaded``, its modules starting with one of
    ``prefixes``, and ``classes``, the PySide6 Core/Gui/Widgets classes it had touched
    (PySide makes a class, and all its enums, on first use)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HIPFLEX_STARTUP_PROBE": "1"}
    result = subprocess.run([sys.executable, "-c", _PROBE_MODULES, str(data_dir), *prefixes],
                            capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    report = {}
    for line in result.stdout.splitlines():
        key, _, value = line.partition(" ")
        if key in ("loaded", "classes"):
            report[key] = list(ast.literal_eval(value))
    return report


def _modules_at_first_paint(data_dir: Path, prefixes: tuple[str, ...]) -> list[str]:
    return _first_frame_report(data_dir, prefixes)["loaded"]


def test_the_first_frame_leaves_costly_qt_classes_untouched(tmp_path: Path) -> None:
    """Each of these builds many Python enums on first touch (QStyle ~6 ms, the Qt
    namespace ~13 ms); the first screen does without them until after its first frame.
    The very first start paints the cards, which needs ``Qt``; later starts draw them
    from the pictures that start saved (cache/cards)."""
    data = tmp_path / "d"
    first = _first_frame_report(data, ())["classes"]
    assert {"QMainWindow", "QListView"} <= set(first), "the probe sees classes"
    for costly in ("QStyle", "QPalette", "QIcon", "QKeySequence"):
        assert costly not in first, f"{costly} touched before the first frame"
    assert "Qt" in first, "the first start paints its cards"
    assert list((data / "cache" / "cards").glob("card-*.pixels")), "and saves their pictures"
    # The second start restores the size the first closed with; on the offscreen
    # platform's small screen that is a little narrower than the first start's, so its
    # cards are painted (and saved) again at that width. From then on they are drawn.
    _first_frame_report(data, ())
    later = _first_frame_report(data, ())["classes"]
    for costly in ("Qt", "QStyle", "QPalette", "QIcon", "QKeySequence"):
        assert costly not in later, f"{costly} touched before a later start's first frame"


def test_real_start_paints_before_qtnetwork_and_then_from_the_catalog_cache(
    tmp_path: Path,
) -> None:
    """The single-instance claim and the catalog's TOML stay off the first-paint path."""
    data = tmp_path / "d"
    deferred = ("PySide6.QtNetwork", "hipflex_desktop.store.", "asyncio", "qasync",
                "hipflex_desktop.audio", "hipflex_desktop.ui.file_actions",
                "hipflex_desktop.ui.asker")
    assert _modules_at_first_paint(data, deferred) == []
    assert (data / "cache" / "catalog.cache").is_file(), "written after the first paint"
    shown = len(list((data / "cache" / "cards").glob("*.pixels")))
    assert shown >= 3, "the pictures of the cards the first frame showed"
    assert len(list((data / "cache" / "icons").glob("*.pixels"))) == shown, "and their icons"
    parsing = ("hipflex_desktop.domain.catalog_loader", "hipflex_desktop.domain.workouts",
               "hipflex_desktop.domain.muscles", "tomllib", "PySide6.QtSvg")
    assert _modules_at_first_paint(data, deferred + parsing) == []


def test_a_late_claim_lost_to_another_instance_hands_over_and_writes_nothing(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two starts at the same moment: the one that paints first but claims second leaves."""
    from PySide6.QtCore import QObject

    from hipflex_desktop import single_instance
    from hipflex_desktop.app import run_gui
    from hipflex_desktop.catalog_cache import cache_path
    from hipflex_desktop.ui import svg

    owner = QObject()
    first = single_instance.SingleInstance(owner)
    assert first.try_claim(data_dir)
    # The race: no socket file yet when the second looked, so it painted first.
    monkeypatch.setattr(single_instance, "owner_may_be_running", lambda _: False)
    interval = sys.getswitchinterval()
    try:
        with qtbot.waitSignal(first.activation_requested, timeout=10_000):
            assert run_gui(str(data_dir), ["hipflex"]) == 0
        assert "already open" in capsys.readouterr().err
        assert not (data_dir / "settings.ini").exists(), "nothing written before the claim"
        assert not cache_path(data_dir).exists()
        assert not (data_dir / "cache").exists(), "no icons written either"
        assert not any(isinstance(w, MainWindow) and w.isVisible()
                       for w in QApplication.topLevelWidgets())
    finally:
        sys.setswitchinterval(interval)
        gc.unfreeze()  # run_gui froze this test process's objects after its first paint
        svg.use_disk_cache(None)  # run_gui pointed the icon cache at this test's folder
        first.release()
        owner.deleteLater()


def test_import_and_export_join_the_file_menu_right_after_the_first_paint(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = build_window(qtbot, data_dir)
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts == ["", "&Quit"], "built after the first paint, not before"
    window.show()
    qtbot.waitUntil(lambda: len(window.file_menu.actions()) == 4)
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts == ["&Import history…", "&Export history…", "", "&Quit"]
    assert window.file_menu.actions()[0].shortcut().toString() == "Ctrl+I"
    window.finish_start()  # again: nothing doubles
    assert len(window.file_menu.actions()) == 4


def test_keyboard_shortcuts_arrive_right_after_the_first_paint(
    qtbot: QtBot, data_dir: Path
) -> None:
    """Ctrl+F, Ctrl+1…8 and Quit's key are made after the first paint, before any input."""
    from PySide6.QtGui import QKeySequence, QShortcut

    window = build_window(qtbot, data_dir)
    assert window.findChildren(QShortcut) == []
    window.show()
    qtbot.waitUntil(lambda: len(window.findChildren(QShortcut)) == 9)
    keys = sorted(s.key().toString() for s in window.findChildren(QShortcut))
    assert keys == sorted([QKeySequence(QKeySequence.StandardKey.Find).toString(),
                           *(f"Ctrl+{n}" for n in range(1, 9))])
    quit_action = window.file_menu.actions()[-1]
    assert quit_action.text() == "&Quit"
    assert quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    window.finish_start()  # again: nothing doubles
    assert len(window.findChildren(QShortcut)) == 9


def test_the_window_icon_is_set_once_the_window_has_painted(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = build_window(qtbot, data_dir)
    window.show()
    qtbot.waitUntil(lambda: not window.windowIcon().isNull())
    assert not window.windowIcon().pixmap(32, 32).isNull()


def test_the_first_start_fits_the_window_on_the_screen(qtbot: QtBot, data_dir: Path) -> None:
    """No saved size yet: 1280×760, or less on a smaller screen (offscreen's is 800×600)."""
    window = build_window(qtbot, data_dir)
    screen = window.screen().availableGeometry()
    assert window.width() == min(1280, screen.width())
    assert window.height() == min(760, screen.height())
