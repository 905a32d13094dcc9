"""Cold start to the first painted main window, against a bare PySide6 window.

Each run is a fresh interpreter. The time runs from just before the process is
spawned to monotonic timestamps the child prints (CLOCK_MONOTONIC is
system-wide, so parent and child clocks agree). Hipflex is started through its
real entry point (``python -m hipflex_desktop``) with the start-up probe, which
quits right after its first frame. Two moments are timed:

- first paint: the main window's own paintEvent. Only the frame's start: in
  Hipflex the pages and the exercise cards are painted after it (the bare
  window has nothing more to paint). This is the figure the goal was set on.
- first frame: that paint has returned, the window and everything in it drawn
  (stamped right after the start-up processEvents, exact on offscreen).

Python modules are run from cached bytecode by default, as an installed app
runs (pip compiles on install; a bundle ships .pyc files). The cache lives in a
temporary ``PYTHONPYCACHEPREFIX``, filled by the warm-up runs, so the checkout
gets no ``__pycache__``. ``--bytecode compile`` sets ``PYTHONDONTWRITEBYTECODE``
instead, so every run compiles every Hipflex module from source again (what a
checkout run under that variable pays; the bare window has almost nothing to
compile, so this mode widens the gap by ~15-20 ms).

``--also CHECKOUT`` (repeatable) times another checkout of Hipflex in the same runs,
each from its own folder and data folder, alternating with this one (before/after).

    python bench/startup.py [--runs 15] [--platform offscreen] [--bytecode cached|compile]
                            [--also ../hipflex-before]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
def frame():
    print(f"first-frame {time.monotonic():.6f}", flush=True)
    QApplication.instance().quit()
class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            print(f"first-paint {time.monotonic():.6f}", flush=True)
app = QApplication(sys.argv)
w = Window(); w.resize(1280, 760); w.show()
app.processEvents()  # as Hipflex's run_gui does
if w.painted:
    frame()
else:
    QTimer.singleShot(0, frame)
    app.exec()
"""


def _time_to_first_paint(
    command: list[str], env: dict[str, str], cwd: str | None = None
) -> tuple[float, float]:
    """Seconds from spawn to the first paint and to the first complete frame."""
    start = time.monotonic()
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    stamps = {}
    for line in result.stdout.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] in ("first-paint", "first-frame"):
            stamps[words[0]] = float(words[1]) - start
    if len(stamps) != 2:
        raise RuntimeError(
            f"no first paint/frame from {command!r}: rc={result.returncode}\n{result.stderr}"
        )
    return stamps["first-paint"], stamps["first-frame"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument("--bytecode", choices=("cached", "compile"), default="cached",
                        help="run from cached bytecode (default) or compile on every run")
    parser.add_argument("--also", action="append", default=[], metavar="CHECKOUT",
                        help="another Hipflex checkout to time in the same runs")
    args = parser.parse_args()
    for checkout in args.also:
        if not os.path.isfile(os.path.join(checkout, "hipflex_desktop", "__main__.py")):
            parser.error(f"--also {checkout}: not a Hipflex checkout")

    env = dict(os.environ, QT_QPA_PLATFORM=args.platform, HIPFLEX_STARTUP_PROBE="1")
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    checkouts = {"hipflex": here} | {
        f"hipflex @ {path}": os.path.abspath(path) for path in args.also
    }
    with tempfile.TemporaryDirectory() as scratch:
        pycache = os.path.join(scratch, "pycache")
        if args.bytecode == "cached":
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = pycache
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
        bare_cmd = [sys.executable, "-c", BARE_WINDOW]
        app_cmd = [sys.executable, "-m", "hipflex_desktop"]
        # Each checkout runs from its own folder (``-m`` imports from there first) with
        # its own data folder, so it keeps its own caches.
        app_envs = {}
        for index, name in enumerate(checkouts):
            data_dir = os.path.join(scratch, f"data-{index}")
            os.mkdir(data_dir)
            app_envs[name] = dict(env, HIPFLEX_DATA_DIR=data_dir)
        # Warm the OS page cache (and the bytecode cache, and Hipflex's own caches in the
        # data dir) for all, then alternate so drift hits all equally.
        samples: dict[str, list[tuple[float, float]]] = {"bare QMainWindow": []}
        samples |= {name: [] for name in checkouts}
        for run in range(2 + args.runs):
            for name in samples:
                if name == "bare QMainWindow":
                    timing = _time_to_first_paint(bare_cmd, env)
                else:
                    timing = _time_to_first_paint(app_cmd, app_envs[name], checkouts[name])
                if run >= 2:
                    samples[name].append(timing)

    def describe(times: list[float]) -> str:
        return (f"median {statistics.median(times) * 1000:6.0f} ms   "
                f"min {min(times) * 1000:6.0f} ms   max {max(times) * 1000:6.0f} ms")

    print(f"platform: {args.platform}, runs: {args.runs}, python {sys.version.split()[0]}, "
          f"bytecode: {args.bytecode}")
    width = max(len(name) for name in samples)
    for index, moment in enumerate(("first paint", "first frame")):
        bare_times = [run[index] for run in samples["bare QMainWindow"]]
        print(f"{moment}:")
        for name, runs in samples.items():
            times = [run[index] for run in runs]
            line = f"  {name:<{width}} : {describe(times)}"
            if name != "bare QMainWindow":
                ratio = statistics.median(times) / statistics.median(bare_times)
                line += (f"   ratio {ratio:.2f}x   goal <= 1.50x   "
                         f"{'OK' if ratio <= 1.5 else 'OVER'}")
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
