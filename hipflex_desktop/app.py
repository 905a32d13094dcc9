"""Wires the application together: QApplication, the qasync loop, data dir, services.

Everything the window needs is built here and injected, so widgets never reach
for globals and tests can build the same window with fakes.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from hipflex_desktop import APP_NAME, ORG_NAME, __version__
from hipflex_desktop.domain.catalog import CatalogError
from hipflex_desktop.paths import DataDirError, ensure_writable, resolve_data_dir, settings_path

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtCore import QObject

    from hipflex_desktop.audio import CuePlayer
    from hipflex_desktop.domain.catalog import Catalog
    from hipflex_desktop.services import WorkoutLibrary
    from hipflex_desktop.session import HistoryLink
    from hipflex_desktop.store.coaching import CoachingStore
    from hipflex_desktop.ui.exercises_page import CardFaces, MuscleLike
    from hipflex_desktop.ui.main_window import MainWindow

# bench/startup.py: print when the first paint began and when that first frame was done, quit
STARTUP_PROBE_ENV = "HIPFLEX_STARTUP_PROBE"
# How long the UI thread may wait for the GIL while the store's writer thread runs Python
# (encoding JSON): Python's default, 5 ms, would be heard as a late cue (bench/cue_timing.py).
GIL_SWITCH_INTERVAL_S = 0.001


@dataclass(frozen=True)
class LaunchRequest:
    """What the command line asked the window to start right away (timer or workout)."""

    timer_kind: str | None = None
    timer: dict[str, int] = field(default_factory=dict)
    workout: str | None = None
    exit_when_done: bool = False
    cue_log: Path | None = None


@dataclass
class AppContext:
    """What the window is built from; tests construct it with temp dirs and fakes."""

    data_dir: Path
    settings: QSettings


def create_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with our names and style; run_gui adds the icon after the first frame
    (the window's content does not show it, and loading the SVG icon costs ~3 ms)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    # Fractional scale factors are used as they are (Qt 6's default rounding policy,
    # PassThrough; tests check it), so the text stays sharp at 125 % or 150 %.
    app = QApplication(list(argv))
    app.setApplicationDisplayName("Hipflex")
    app.setDesktopFileName("hipflex")
    from hipflex_desktop.ui.style import APP_STYLE_SHEET

    app.setStyleSheet(APP_STYLE_SHEET)
    return app


def open_settings(data_dir: Path, parent: QApplication | None = None) -> QSettings:
    """Preferences live in the data dir (INI), so ``--data-dir`` moves them too."""
    return QSettings(str(settings_path(data_dir)), QSettings.Format.IniFormat, parent)


def build_main_window(
    context: AppContext,
    catalog: Catalog | None = None,
    muscles: Mapping[str, MuscleLike] | None = None,
    card_faces: CardFaces | None = None,
    **overrides: Any,
) -> QWidget:
    """The real window; ``overrides`` replace SessionServices fields (tests: asker, prompts).

    ``catalog`` (and ``muscles``, the muscle reference by id) are the exercise
    library already loaded: start-up takes them from the catalog cache. Without
    them the library is loaded here, in full. ``card_faces``: the exercise cards'
    pictures from the last start (see ExercisesPage).
    """
    from hipflex_desktop.ui.main_window import MainWindow, SessionServices

    if catalog is None:
        from hipflex_desktop.domain.catalog_loader import load_catalog

        catalog = load_catalog()
    services = SessionServices(
        open_history=partial(_open_history, context.data_dir),
        make_player=partial(_make_player, context.settings),
        lead_in_s=partial(_lead_in_s, context.settings),
        open_coaching=partial(_open_coaching, context.data_dir),
        data_dir=context.data_dir,
    )
    for name, value in overrides.items():
        setattr(services, name, value)
    return MainWindow(catalog, partial(_open_workout_library, context.data_dir, catalog),
                      context.settings, services=services, muscles=muscles,
                      card_faces=card_faces)


def _open_history(data_dir: Path) -> HistoryLink:
    """Opened when the first workout session starts, never before the first paint."""
    from hipflex_desktop.session import HistoryLink

    return HistoryLink.open(data_dir)


def _open_coaching(data_dir: Path) -> CoachingStore:
    from hipflex_desktop.store.coaching import CoachingStore

    return CoachingStore(data_dir)


def _make_player(settings: QSettings, parent: QObject) -> CuePlayer:
    """The audio facade, built with the runner (QtMultimedia loads here, not at start-up)."""
    from hipflex_desktop.audio.cues import create_audio_cues
    from hipflex_desktop.audio.settings import load_audio_settings

    # Starting the speech engine costs a helper process and a second or two of CPU; a
    # person who turned voice off pays nothing for it.
    return create_audio_cues(settings, parent,
                             enable_voice=load_audio_settings(settings).voice_enabled)


def _lead_in_s(settings: QSettings) -> float:
    from hipflex_desktop.audio.settings import load_audio_settings

    return float(load_audio_settings(settings).lead_in_s)


def _open_workout_library(data_dir: Path, catalog: Catalog) -> WorkoutLibrary:
    """Deferred until the Workouts page is first shown (the store isn't needed to paint)."""
    from hipflex_desktop.services import open_workout_library

    return open_workout_library(data_dir, catalog)


def show_fatal(title: str, message: str) -> None:
    """A plain-words error dialog (and the same text on stderr for terminal users)."""
    print(f"hipflex: {message}", file=sys.stderr)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return  # nobody could click the dialog away
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    box.exec()


def _unknown_workout(data_dir: Path, name: str) -> str:
    """A sentence when ``hipflex workout NAME`` names no workout, else ''."""
    from hipflex_desktop.services import open_workout_library

    library = open_workout_library(data_dir)
    if library.find(name) is not None:
        return ""
    known = ", ".join(f"{w.id} ({w.name})" for w in library.all())
    return f"there is no workout called {name!r}. Known workouts: {known}."


class _Launcher:
    """Starts what the command line asked for once the event loop runs."""

    def __init__(self, window: MainWindow, request: LaunchRequest) -> None:
        self.window = window
        self.request = request

    def launch(self) -> None:
        request = self.request
        self.window.set_launch_options(exit_when_done=request.exit_when_done,
                                       cue_log=request.cue_log)
        if request.timer_kind:
            started = self.window.start_quick_timer(request.timer_kind, dict(request.timer))
        else:
            assert request.workout is not None
            started = self.window.start_workout(request.workout, autostart=True)
        if not started and request.exit_when_done:
            self.window.close()


class _Closed:
    """Resolves a future when the last window closes (bound-method slot, no lambdas)."""

    def __init__(self, future: asyncio.Future[None]) -> None:
        self._future = future

    def resolve(self) -> None:
        if not self._future.done():
            self._future.set_result(None)


async def _until_last_window_closed(app: QApplication) -> None:
    import asyncio

    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    closer = _Closed(closed)
    # The coroutine, not Qt, ends the loop: otherwise Qt quits on the last close and
    # qasync stops with the task still pending.
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(closer.resolve)
    if not any(w.isVisible() for w in app.topLevelWidgets()):
        closer.resolve()  # closed before the loop started
    await closed


def run_gui(
    data_dir_arg: str | None, argv: Sequence[str], request: LaunchRequest | None = None
) -> int:
    app = create_application(argv)
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    try:
        data_dir = ensure_writable(resolve_data_dir(data_dir_arg))
    except DataDirError as exc:
        show_fatal("Hipflex cannot save your data", str(exc))
        return 1
    if request is not None and request.workout is not None:
        problem = _unknown_workout(data_dir, request.workout)
        if problem:
            print(f"hipflex: {problem}", file=sys.stderr)
            return 1
    from hipflex_desktop.single_instance import SingleInstance, owner_may_be_running

    # One writer per data folder. Asking the running instance needs QtNetwork, which
    # costs start-up time; when no instance can be listening (no socket file), the
    # window paints first and the claim follows at once, before anything is written
    # and before the window takes any input.
    instance = SingleInstance(app)
    if owner_may_be_running(data_dir) and not instance.try_claim(data_dir):
        return _hand_over(data_dir)
    context = AppContext(data_dir=data_dir, settings=open_settings(data_dir, app))
    from hipflex_desktop.catalog_cache import CACHE_DIR, CatalogCache
    from hipflex_desktop.ui import svg

    catalog_cache = CatalogCache(data_dir)
    svg.use_disk_cache(data_dir / CACHE_DIR / "icons")  # the cards' icons, rendered once
    from hipflex_desktop.ui.exercises_page import CardFaces
    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

    card_faces = CardFaces(PixmapDiskCache(data_dir / CACHE_DIR / "cards"))
    try:
        window = build_main_window(context, catalog_cache.load(), catalog_cache.muscles,
                                   card_faces)
    except CatalogError as exc:
        show_fatal("Hipflex is damaged", f"The exercise library could not be read: {exc}")
        return 1
    probe = _StartupProbe() if os.environ.get(STARTUP_PROBE_ENV) else None
    if probe is not None:
        window.first_painted.connect(probe.paint_began)  # type: ignore[attr-defined]
    window.show()
    # Paint the window before loading the asyncio machinery: the person sees it sooner.
    # Clicks and keys wait in the queue until the folder is ours.
    app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if probe is not None:
        probe.first_events_done()
    # Painted. What start-up made lives as long as the window: keep it out of every later
    # collection (shorter pauses while training), and let the collector run again (the
    # command line paused it for start-up).
    gc.freeze()
    gc.enable()
    if not instance.try_claim(data_dir):
        # Another Hipflex started at the same moment and won the folder. Hide, not
        # close: closing would save the window geometry into its settings.
        window.hide()
        window.deleteLater()
        return _hand_over(data_dir)
    # After the first paint: only the next start gains from these.
    catalog_cache.save_if_needed()
    svg.save_disk_cache()
    card_faces.save()
    app.setWindowIcon(svg.app_icon())  # for every window and dialog to come
    window.finish_start()  # type: ignore[attr-defined]
    instance.activation_requested.connect(window.bring_to_front)  # type: ignore[attr-defined]
    if request is not None and (request.timer_kind or request.workout):
        # Started from inside the event loop, so the first deadline is armed on a live loop.
        launcher = _Launcher(window, request)  # type: ignore[arg-type]
        QTimer.singleShot(0, launcher.launch)
    elif not os.environ.get(STARTUP_PROBE_ENV):
        # History, repair notices and an unfinished session: right after the first paint.
        QTimer.singleShot(0, window.after_start)  # type: ignore[attr-defined]

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(_until_last_window_closed(app))
    instance.release()
    return 0


def _hand_over(data_dir: Path) -> int:
    """Another instance owns ``data_dir``: bring its window forward and leave."""
    from hipflex_desktop.single_instance import notify_running_instance

    if notify_running_instance(data_dir):
        print(f"hipflex: Hipflex is already open on {data_dir}; its window was brought "
              "to the front.", file=sys.stderr)
        return 0
    show_fatal("Hipflex is already running",
               f"Another Hipflex is using {data_dir} but did not answer. Close it, or "
               "choose another folder with --data-dir.")
    return 1


def _report_first_paint(monotonic_time: float) -> None:
    print(f"first-paint {monotonic_time:.6f} process-cpu {time.process_time():.6f}", flush=True)


def _report_first_frame() -> None:
    print(f"first-frame {time.monotonic():.6f} process-cpu {time.process_time():.6f}", flush=True)
    # Close from the event loop: the first paint may come before the loop is running.
    QTimer.singleShot(0, QApplication.closeAllWindows)


class _StartupProbe:
    """Start-up timestamps for bench/startup.py, then the window closes.

    ``first-paint`` is when the main window's own paintEvent ran: the frame has
    only begun, its pages and cards are painted after it. ``first-frame`` is when
    that paint returned, all of it done. On the offscreen platform the first
    paint happens inside run_gui's first processEvents, so the frame is stamped
    right after it; where the window is exposed later (a real display), the stamp
    waits for the event loop, slightly late.
    """

    def __init__(self) -> None:
        self.painted = False
        self.events_done = False

    def paint_began(self, monotonic_time: float) -> None:
        self.painted = True
        _report_first_paint(monotonic_time)
        if self.events_done:
            QTimer.singleShot(0, _report_first_frame)

    def first_events_done(self) -> None:
        self.events_done = True
        if self.painted:
            _report_first_frame()
