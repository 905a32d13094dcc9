"""Child process for the overlap test: cues fired faster than they finish.

Plays ``ROUNDS`` bursts through :class:`QtSoundPlayer`, each a cue followed 20-60 ms
later by another (and the same cue again), so without the player's one-voice rule
several QSoundEffect voices overlap and Qt frees the finished ones on its audio
thread. Prints ``done <n>`` when every play went out and the event loop is still live.
Usage: python -m tests.audio.overlap_child
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication

from hipflex_desktop.audio.files import default_sound_dir
from hipflex_desktop.audio.qt_sound import QtSoundPlayer

ROUNDS = 12
BURST = (("go", 0.0), ("lead_in_tick", 0.03), ("halfway", 0.06), ("go", 0.09))
ROUND_GAP_S = 0.35
LOAD_TIMEOUT_S = 10.0


class Burst(QObject):
    def __init__(self) -> None:
        super().__init__()
        self._player = QtSoundPlayer(default_sound_dir(), parent=self)
        self._plan: list[tuple[float, str]] = []
        self._played = 0
        self._started = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._step)
        self._timer.start(20)

    def _step(self) -> None:
        now = time.monotonic()
        if not self._plan and self._played == 0:
            if not self._player.is_loaded():
                if self._player.failure or now - self._started > LOAD_TIMEOUT_S:
                    print(f"not loaded: {self._player.failure}", flush=True)
                    QGuiApplication.exit(2)
                    return
                self._timer.start(20)
                return
            self._plan = [(now + 0.2 + r * ROUND_GAP_S + offset, sound)
                          for r in range(ROUNDS) for sound, offset in BURST]
        while self._plan and self._plan[0][0] <= now:
            self._player.play(self._plan.pop(0)[1])
            self._played += 1
        if self._plan:
            self._timer.start(max(0, int((self._plan[0][0] - now) * 1000)))
        else:
            QTimer.singleShot(1500, self._finish)  # let the last voices end

    def _finish(self) -> None:
        print(f"done {self._played}", flush=True)
        self._player.close()
        QGuiApplication.quit()


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    burst = Burst()
    code = app.exec()
    del burst
    return code


if __name__ == "__main__":
    sys.exit(main())
