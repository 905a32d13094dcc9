"""Child process for the real speech test: reference beeps, each followed by a phrase.

Starts :class:`QtSoundPlayer` and :class:`QtVoice` (the real speechd engine, in its
helper process) and waits until both are ready. Then: one unmeasured priming phrase (the first
utterance of a freshly started speech-dispatcher can come 0.2-0.5 s late), a warm-up
tick, and for each phrase a beep followed ``SAY_AFTER_BEEP_S`` later by ``say()``,
all at known monotonic times. Each beep is the reference for its phrase's latency:
(phrase onset - beep onset) - (say time - beep time).

Writes JSON: ``{"voice_state", "reason", "engines", "beeps": [t], "says": [[text, t]]}``.
Usage: python -m tests.audio.speech_child LOG_PATH
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication

from hipflex_desktop.audio import VoiceState
from hipflex_desktop.audio.files import default_sound_dir
from hipflex_desktop.audio.qt_sound import QtSoundPlayer
from hipflex_desktop.audio.speech_helper import real_engines
from hipflex_desktop.audio.voice import QtVoice

PHRASES = ("Hanging leg raise", "Switch sides", "Rest, 60 seconds")
PRIMING_PHRASE = "Get ready"
START_TIMEOUT_S = 20.0
WARM_UP_AFTER_PRIMING_S = 2.0
FIRST_BEEP_AFTER_WARM_UP_S = 1.5
SAY_AFTER_BEEP_S = 0.6
PAIR_GAP_S = 3.0
TAIL_S = 2.5


class Script(QObject):
    def __init__(self, log: Path) -> None:
        super().__init__()
        self._log = log
        self._player = QtSoundPlayer(default_sound_dir(), parent=self)
        self._voice = QtVoice(parent=self)
        self._voice.configure("", 0.0, 1.0)
        self._started = time.monotonic()
        self._record: dict[str, object] = {"engines": real_engines(), "says": [], "beeps": []}
        self._steps: list[tuple[float, str]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        self._timer.start(20)

    def _tick(self) -> None:
        now = time.monotonic()
        if not self._steps:
            settled = self._voice.state is not VoiceState.STARTING
            if not (settled and self._player.is_loaded()):
                if now - self._started > START_TIMEOUT_S or self._player.failure:
                    self._finish()
                    return
                self._timer.start(20)
                return
            if self._voice.state is not VoiceState.READY:
                self._finish()
                return
            self._record["engine_start_s"] = now - self._started
            self._voice.say(PRIMING_PHRASE)
            warm_up_at = now + WARM_UP_AFTER_PRIMING_S
            self._steps = [(warm_up_at, "warm_up")]
            for index, phrase in enumerate(PHRASES):
                beep_at = warm_up_at + FIRST_BEEP_AFTER_WARM_UP_S + index * PAIR_GAP_S
                self._steps += [(beep_at, "beep"), (beep_at + SAY_AFTER_BEEP_S, phrase)]
            self._steps.append((self._steps[-1][0] + TAIL_S, "end"))
        when, what = self._steps[0]
        if now < when - 0.0003:
            self._timer.start(max(0, int((when - now) * 1000)))
            return
        self._steps.pop(0)
        if what == "warm_up":
            self._player.play("lead_in_tick")
        elif what == "beep":
            self._player.play("hold_stop")
            beeps = self._record["beeps"]
            assert isinstance(beeps, list)
            beeps.append(now)
        elif what == "end":
            self._finish()
            return
        else:
            self._voice.say(what)
            says = self._record["says"]
            assert isinstance(says, list)
            says.append([what, now])
        if self._steps:
            self._timer.start(max(0, int((self._steps[0][0] - time.monotonic()) * 1000)))

    def _finish(self) -> None:
        self._record["voice_state"] = self._voice.state.value
        self._record["reason"] = self._voice.unavailable_reason
        self._record["voices"] = len(self._voice.voice_names())
        self._record["sound_failure"] = self._player.failure
        self._voice.close()
        self._log.write_text(json.dumps(self._record, indent=1), encoding="utf-8")
        QGuiApplication.quit()


def main(argv: list[str]) -> int:
    app = QGuiApplication(argv[:1])
    script = Script(Path(argv[1]))
    code = app.exec()
    del script
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
