"""Child process for the real-audio timing tests: play cues at known deadlines.

Runs the real Qt event loop (offscreen), waits for the sounds to load, warms up, then
plays each scheduled item when a ``Qt.PreciseTimer`` reaches its absolute monotonic
deadline. Writes a JSON cue log:
``{"warm_up": t, "cues": [{"sound", "scheduled", "fired"}], "failure": str|null}``.

Two ways to play, chosen by the first argument:

* ``player``: plan items are sound names, played by :class:`QtSoundPlayer` directly;
  the warm-up is one play of the lead-in tick.
* ``facade``: plan items are cue kinds, played by :class:`AudioCues` (built by
  ``create_audio_cues``, no voice) through ``warm_up()`` and ``cue()``, so its
  keep-warm primer is active during the silences.

Usage: python -m tests.audio.cue_schedule_child MODE LOG_PATH PLAN_JSON
where PLAN_JSON is ``[[sound_or_kind, seconds_after_start], ...]``.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from hipflex_desktop.audio.cues import AudioCues, create_audio_cues
from hipflex_desktop.audio.files import default_sound_dir
from hipflex_desktop.audio.qt_sound import QtSoundPlayer

LOAD_TIMEOUT_S = 10.0
WARM_UP_TO_FIRST_CUE_S = 1.5
EARLY_SLACK_S = 0.0003  # Qt timers have 1 ms resolution; fire when this close


class Target:
    """What the schedule drives: the bare player or the whole facade."""

    def __init__(self, mode: str, log: Path, app: QGuiApplication) -> None:
        self.audio: AudioCues | None = None
        self.player: QtSoundPlayer | None = None
        if mode == "facade":
            settings = QSettings(str(log.with_suffix(".ini")), QSettings.Format.IniFormat)
            self.audio = create_audio_cues(settings, app, enable_voice=False)
        else:
            self.player = QtSoundPlayer(default_sound_dir(), parent=app)

    def failure(self) -> str | None:
        if self.audio is not None:
            return None if self.audio.beeps_available else self.audio.status.message
        assert self.player is not None
        return self.player.failure

    def ready(self) -> bool:
        if self.audio is not None:
            return self.audio.sounds_ready()
        assert self.player is not None
        return self.player.is_loaded()

    def warm_up(self) -> None:
        if self.audio is not None:
            self.audio.warm_up()
        else:
            assert self.player is not None
            self.player.play("lead_in_tick")  # audible "get ready": absorbs the first-play delay

    def play(self, item: str) -> None:
        if self.audio is not None:
            self.audio.cue(item)
        else:
            assert self.player is not None
            self.player.play(item)

    def close(self) -> None:
        if self.audio is not None:
            self.audio.close()


class Schedule(QObject):
    def __init__(self, target: Target, plan: list[tuple[str, float]], log: Path) -> None:
        super().__init__()
        self._target = target
        self._plan = plan
        self._log = log
        self._cues: list[dict[str, object]] = []
        self._warm_up_at: float | None = None
        self._start: float = 0.0
        self._index = 0
        self._load_deadline = time.monotonic() + LOAD_TIMEOUT_S
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._handler: Callable[[], None] = self._wait_for_load
        self._timer.timeout.connect(self._on_timeout)
        self._timer.start(10)

    def _on_timeout(self) -> None:
        self._handler()

    def _wait_for_load(self) -> None:
        if self._target.failure() is not None or time.monotonic() > self._load_deadline:
            self._finish()
            return
        if not self._target.ready():
            self._timer.start(10)
            return
        self._handler = self._play_due
        self._warm_up_at = time.monotonic()
        self._target.warm_up()
        self._start = self._warm_up_at + WARM_UP_TO_FIRST_CUE_S
        self._arm()

    def _deadline(self) -> float:
        return self._start + self._plan[self._index][1]

    def _arm(self) -> None:
        if self._index >= len(self._plan):
            self._handler = self._finish
            self._timer.start(1200)  # let the last sound finish
            return
        remaining = self._deadline() - time.monotonic()
        self._timer.start(max(0, math.floor(remaining * 1000)))

    def _play_due(self) -> None:
        deadline = self._deadline()
        now = time.monotonic()
        if now < deadline - EARLY_SLACK_S:
            self._arm()
            return
        item = self._plan[self._index][0]
        self._target.play(item)
        self._cues.append({"sound": item, "scheduled": deadline, "fired": now})
        self._index += 1
        self._arm()

    def _finish(self) -> None:
        failure = self._target.failure()
        if failure is None and self._warm_up_at is None:
            failure = "sounds did not load in time"
        record = {"warm_up": self._warm_up_at, "cues": self._cues, "failure": failure}
        self._target.close()
        self._log.write_text(json.dumps(record, indent=1), encoding="utf-8")
        QGuiApplication.quit()


def main(argv: list[str]) -> int:
    mode, log = argv[1], Path(argv[2])
    plan = [(str(item), float(at)) for item, at in json.loads(argv[3])]
    app = QGuiApplication(argv[:1])
    schedule = Schedule(Target(mode, log, app), plan, log)
    code = app.exec()
    del schedule
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
