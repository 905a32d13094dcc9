"""The cue log: one JSON line per cue, as it was actually delivered.

``hipflex timer … --cue-log FILE`` (or ``HIPFLEX_CUE_LOG``) appends a line for
every cue the runner fires, with the cue's scheduled deadline and the
monotonic time the driver delivered it. Scripts and ``bench/cue_timing.py``
read it to check timing from outside the app; ``docs/cue-log.md`` describes
the format. It imports no Qt so the format can be read and tested anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hipflex_desktop.domain.cues import Cue

CUE_LOG_ENV = "HIPFLEX_CUE_LOG"


@dataclass(frozen=True)
class CueLogLine:
    """One parsed line: what was due when, and when it really fired (monotonic seconds)."""

    cue: str
    scheduled: float
    fired: float
    step: int
    text: str
    exercise_id: str = ""
    value: float | None = None

    @property
    def lateness_s(self) -> float:
        return self.fired - self.scheduled

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CueLogLine:
        value = data.get("value")
        return cls(
            cue=str(data["cue"]),
            scheduled=float(data["scheduled"]),
            fired=float(data["fired"]),
            step=int(data["step"]),
            text=str(data.get("text", "")),
            exercise_id=str(data.get("exercise_id", "")),
            value=None if value is None else float(value),
        )


def cue_line(cue: Cue, fired: float) -> dict[str, Any]:
    """The JSON object written for ``cue`` delivered at monotonic time ``fired``."""
    line: dict[str, Any] = {
        "cue": cue.kind.value,
        "scheduled": cue.scheduled,
        "fired": fired,
        "step": cue.step_index,
        "text": cue.text,
        "exercise_id": cue.exercise_id,
    }
    if cue.value is not None:
        line["value"] = cue.value
    return line


class CueLog:
    """Appends cue lines to a file, opened on the first cue and flushed per line.

    Each line is written with a single ``write`` and flushed at once so a
    reader (or a crash) never sees half a line, and a script tailing the file
    sees cues as they happen. No fsync: this is a diagnostic trace, not data.
    Write errors switch the log off (and are kept in ``error``) rather than
    disturbing a training session.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file: IO[str] | None = None
        self.error: OSError | None = None
        self.lines_written = 0

    def write(self, cue: Cue, fired: float) -> None:
        if self.error is not None:
            return
        text = json.dumps(cue_line(cue, fired), ensure_ascii=False, separators=(",", ":"))
        try:
            if self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
            self._file.write(text + "\n")
            self._file.flush()
        except OSError as exc:
            self.error = exc
            self.close()
            return
        self.lines_written += 1

    def close(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError as exc:  # a full disk may refuse the last flush
                self.error = self.error or exc
            self._file = None


def read_cue_log(path: Path) -> list[CueLogLine]:
    """Every complete line of a cue log (a torn last line is skipped)."""
    return list(iter_cue_log(path))


def iter_cue_log(path: Path) -> Iterator[CueLogLine]:
    with Path(path).open(encoding="utf-8") as lines:
        for raw in lines:
            if not raw.endswith("\n") or not raw.strip():
                continue
            yield CueLogLine.from_json(json.loads(raw))
