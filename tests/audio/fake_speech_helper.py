"""A stand-in for the speech helper process, speaking its protocol (stdlib only).

Usage: python fake_speech_helper.py MODE LOG
  fail   reports that speech is unavailable, then waits for end of input
  ready  reports two voices, then logs every message it receives to LOG; a phrase
         "hang" makes it stop reading for good (an engine stuck inside say())
  silent never answers and ignores quit (a dispatcher hung at start)
  crash  reports ready, then exits with code 3 on the first phrase
LOG's first line is this process's pid.
"""

from __future__ import annotations

import json
import sys
import time


def emit(event: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def main(mode: str, log_path: str) -> int:
    import os

    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}\n")
    if mode == "silent":
        while True:
            time.sleep(1)
    if mode == "fail":
        emit({"event": "failed", "reason": "Speech is unavailable: the fake engine is broken."})
        sys.stdin.read()
        return 0
    emit({"event": "ready", "voices": ["Alpha", "Beta"]})
    for raw in sys.stdin:
        message = json.loads(raw)
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(raw)
        if message.get("op") == "quit":
            return 0
        if message.get("op") == "say" and mode == "crash":
            return 3
        if message.get("text") == "hang":
            while True:
                time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
