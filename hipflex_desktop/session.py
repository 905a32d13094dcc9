"""The Qt-free glue around one guided session: engine, durable saving and the cue log.

The runner screen (``ui/runner_page.py``) drives a :class:`GuidedSession`'s
engine through an ``EngineDriver`` and forwards the driver's events here.
Everything that touches the disk — beginning the session in the history
store, saving each logged set, finishing — is queued on the store's
:class:`~hipflex_desktop.store.background.BackgroundWriter`, so the UI thread
never waits for an fsync and a cue is never late because a set is being saved.
Each finished job is reported as a :class:`SaveEvent` through ``on_save``
*on the writer thread*; the Qt side marshals it to the UI thread.

Nothing here imports Qt, so saving and its failure handling are tested with
real files and a fake clock, without an event loop.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from hipflex_desktop.cue_log import CueLog
from hipflex_desktop.domain.cues import Cue, EntryLogged, SessionFinished, SessionSummary
from hipflex_desktop.domain.engine import Clock, EngineConfig, SessionEngine
from hipflex_desktop.domain.history import Entry, EntryKind, Session
from hipflex_desktop.domain.steps import (
    Plan,
    Step,
    quick_accumulated_hold_plan,
    quick_hold_plan,
    quick_interval_plan,
    quick_sides_plan,
)
from hipflex_desktop.store.background import BackgroundWriter, JobResult
from hipflex_desktop.store.errors import StorageWriteError, StoreError
from hipflex_desktop.store.files import RecoveryNotice
from hipflex_desktop.store.history import HistoryStore

DEFAULT_UNIT = "kg"
QUICK_TIMER_KINDS = ("hold", "accumulate", "intervals", "sides")
CLOSE_TIMEOUT_S = 10.0


class SaveWhat(Enum):
    BEGIN = "begin"
    ENTRY = "entry"
    FINISH = "finish"
    RETRY = "retry"


@dataclass(frozen=True)
class SaveEvent:
    """The outcome of one store job, for the "Saving… / Saved ✓ / Not saved yet" display.

    ``message`` is the store's own sentence when ``ok`` is False. ``unsaved``
    counts this session's entries that are not yet on disk after the job.
    ``notice`` carries news that is not a failure (an older unfinished session
    was kept in the history before this one began).
    """

    what: SaveWhat
    ok: bool
    entry_id: str | None = None
    message: str = ""
    unsaved: int = 0
    notice: str = ""


SaveListener = Callable[[SaveEvent], None]


class HistoryLink:
    """The history store together with the writer thread every session saves through.

    One per app; opened when first needed (not before the first paint).
    """

    def __init__(self, store: HistoryStore, writer: BackgroundWriter,
                 notices: Iterable[RecoveryNotice] = ()) -> None:
        self.store = store
        self.writer = writer
        self.notices = list(notices)

    @classmethod
    def open(cls, data_dir: Path) -> HistoryLink:
        """Open the store (taking the data folder's lock); raises :class:`StoreError`."""
        store, notices = HistoryStore.open(data_dir)
        return cls(store, BackgroundWriter(), notices)

    def flush(self, timeout_s: float | None = CLOSE_TIMEOUT_S) -> bool:
        return self.writer.flush(timeout_s)

    def close(self, timeout_s: float = CLOSE_TIMEOUT_S) -> bool:
        """Finish queued saves, stop the writer and release the folder lock."""
        stopped = self.writer.close(timeout_s)
        if stopped:
            self.store.close()
        return stopped


def quick_plan(kind: str, values: dict[str, int]) -> Plan:
    """The plan for a quick timer, from the ``hipflex timer KIND`` option names.

    ``values`` uses the command line's keys (``seconds``, ``sets``, ``rest``,
    ``total``, ``work``, ``rounds``, ``lead_in``, ``transition``); a missing
    ``lead_in`` means the app's default. Raises ``PlanError``/``KeyError``/``ValueError``.
    """
    lead_in = values.get("lead_in")
    lead_in_s = None if lead_in is None else float(lead_in)
    if kind == "hold":
        return quick_hold_plan(values["seconds"], values.get("sets", 1), values.get("rest", 0),
                               lead_in_s=lead_in_s)
    if kind == "accumulate":
        return quick_accumulated_hold_plan(values["total"], lead_in_s=lead_in_s)
    if kind == "intervals":
        return quick_interval_plan(values["work"], values["rest"], values["rounds"],
                                   lead_in_s=lead_in_s)
    if kind == "sides":
        return quick_sides_plan(values["seconds"], values.get("transition", 0),
                                lead_in_s=lead_in_s)
    expected = ", ".join(QUICK_TIMER_KINDS)
    raise ValueError(f"unknown quick timer {kind!r}; expected one of {expected}")


@dataclass(frozen=True)
class LogDefaults:
    """What the log sheet is prefilled with, and where the numbers came from."""

    reps: int
    load: float
    unit: str
    rpe: float | None
    previous_set: Entry | None = None  # the last set of this exercise today
    last_time: Entry | None = None  # the last set of this exercise in the history

    @property
    def hint(self) -> str:
        """One line saying what was done before, e.g. "Last time: 9 reps × 5 kg, RPE 8"."""
        parts = []
        if self.previous_set is not None:
            parts.append("Previous set: " + describe_rep_set(self.previous_set))
        if self.last_time is not None:
            parts.append("Last time: " + describe_rep_set(self.last_time))
        return " · ".join(parts)


def describe_rep_set(entry: Entry) -> str:
    return describe_set(entry.reps or 0, entry.load or 0.0, entry.unit or DEFAULT_UNIT, entry.rpe)


def describe_set(reps: int, load: float, unit: str, rpe: float | None) -> str:
    """"10 reps × 2.5 kg, RPE 8": a logged set as the log sheet and its hints say it."""
    text = f"{reps} reps"
    if load:
        text += f" × {format_number(load)} {unit}"
    if rpe is not None:
        text += f", RPE {format_number(rpe)}"
    return text


def format_number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0").rstrip(".")


def format_duration(seconds: float) -> str:
    """"45 s", "3 min 05 s", "1 h 02 min" — for summaries, not the big clock."""
    whole = round(max(0.0, seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@dataclass(frozen=True)
class _Prior:
    """The history of one exercise before this session (filled on the writer thread)."""

    last_rep_set: Entry | None = None
    best_reps: int | None = None
    longest_hold_s: float | None = None


@dataclass
class _SaveState:
    needs_save: dict[str, Entry] = field(default_factory=dict)  # latest version per entry id
    finish: SessionSummary | None = None  # a finish still to be saved
    began: bool = False


class GuidedSession:
    """One session: its engine, where its sets are saved, and its cue log.

    ``history`` None means nothing is saved (the Quick Timer, or a store that
    could not be opened). ``on_save`` is called on the writer thread.
    """

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        *,
        config: EngineConfig | None = None,
        history: HistoryLink | None = None,
        cue_log: CueLog | None = None,
        on_save: SaveListener | None = None,
        session_id: str | None = None,
        first_step: int = 0,
        planned_loads: dict[str, tuple[float, str]] | None = None,
    ) -> None:
        """``session_id``/``first_step`` continue a resumed unfinished session;
        ``planned_loads`` (exercise id -> load, unit) come from accepted suggestions and
        prefill the first log of that exercise instead of last time's load."""
        self._planned_loads = dict(planned_loads or {})
        self.plan = plan
        self.clock = clock
        self.engine = SessionEngine(plan, clock, config, session_id=session_id,
                                    first_step=first_step)
        self.history = history
        self.cue_log = cue_log
        self._on_save = on_save
        self._lock = threading.Lock()
        self._state = _SaveState()
        self._prior: dict[str, _Prior] = {}
        self._today: dict[str, Entry] = {}  # last rep set per exercise in this session (UI thread)
        self._session_best: dict[tuple[str, str], float] = {}  # (exercise, "reps"/"hold") today
        self._began = False
        self._finished = False

    @property
    def saving(self) -> bool:
        """True when logged work goes to the history store."""
        return self.history is not None

    @property
    def session_id(self) -> str:
        return self.engine.session_id

    def set_save_listener(self, listener: SaveListener | None) -> None:
        self._on_save = listener

    # -- the session's life -----------------------------------------------------------------

    def begin(self) -> None:
        """Record the session's start in the store (queued); call right before starting it."""
        if self._began:
            return
        self._began = True
        if self.history is None:
            return
        session = Session(
            id=self.session_id,
            workout_id=self.plan.workout_id,
            workout_name=self.plan.title,
            started_at=self.clock.wall(),
        )
        self.history.writer.submit(self._begin_job, session, self._exercise_ids(),
                                   on_done=self._report_begin)

    def on_cue(self, cue: Cue, fired: float) -> None:
        if self.cue_log is not None:
            self.cue_log.write(cue, fired)

    def on_entry(self, event: EntryLogged) -> None:
        """Queue the entry for saving (an upsert: redoing a step replaces its entry)."""
        entry = event.entry
        if entry.kind is EntryKind.REP_SET:
            self._today[entry.exercise_id] = entry
        if self.history is None:
            return
        with self._lock:
            self._state.needs_save[entry.id] = entry
        self.history.writer.submit(self._entry_job, entry, on_done=self._report_entry(entry.id))

    def on_finished(self, event: SessionFinished) -> None:
        """Move the session into the history (or drop it when nothing was logged)."""
        if self._finished:
            return
        self._finished = True
        if self.cue_log is not None:
            self.cue_log.close()
        if self.history is None:
            return
        with self._lock:
            self._state.finish = event.summary
        self.history.writer.submit(self._finish_job, on_done=self._report_finish)

    def retry(self) -> None:
        """Try again to save whatever failed to save (after "Not saved yet … Retry")."""
        if self.history is not None:
            self.history.writer.submit(self._retry_job, on_done=self._report_retry)

    def close(self) -> None:
        if self.cue_log is not None:
            self.cue_log.close()

    # -- what the screens show --------------------------------------------------------------

    def log_defaults(self, step: Step, suggested_reps: int | None = None) -> LogDefaults:
        """Prefill for a rep set's log: reps from the prescription (or counted), load,
        unit and RPE from the previous set today, else from the last time in the history."""
        previous = self._today.get(step.exercise_id)
        with self._lock:
            prior = self._prior.get(step.exercise_id)
        last_time = prior.last_rep_set if prior is not None else None
        source = previous or last_time
        reps = suggested_reps or step.reps_max or step.reps_min or (
            source.reps if source is not None and source.reps else 0
        )
        load = (source.load or 0.0) if source is not None else 0.0
        unit = (source.unit or DEFAULT_UNIT) if source is not None else DEFAULT_UNIT
        planned = self._planned_loads.get(step.exercise_id)
        if planned is not None and previous is None:
            load, unit = planned  # the accepted "add load" suggestion, until a set is logged
        return LogDefaults(
            reps=reps,
            load=load,
            unit=unit,
            rpe=source.rpe if source is not None else None,
            previous_set=previous,
            last_time=last_time,
        )

    def personal_best(self, entry: Entry) -> str:
        """A sentence when ``entry`` beats everything before it for its exercise, else ''.

        Only said when there is history to beat: a first ever set is not a record.
        """
        with self._lock:
            prior = self._prior.get(entry.exercise_id)
        if prior is None:
            return ""
        key = entry.exercise_id
        if entry.kind is EntryKind.REP_SET and entry.reps and prior.best_reps is not None:
            best = max(prior.best_reps, int(self._session_best.get((key, "reps"), 0)))
            if entry.reps > best:
                self._session_best[(key, "reps")] = entry.reps
                return f"New best: {entry.reps} reps"
        if entry.kind is EntryKind.HOLD and prior.longest_hold_s is not None:
            longest = max(entry.holds_s or (entry.duration_s or 0.0,))
            best_s = max(prior.longest_hold_s, self._session_best.get((key, "hold"), 0.0))
            if longest > best_s + 0.5:
                self._session_best[(key, "hold")] = longest
                return f"New best: {round(longest)} second hold"
        return ""

    def notable(self, summary: SessionSummary) -> list[str]:
        """Short lines for the finish screen: bests beaten, an early end, pauses."""
        lines: list[str] = []
        names = {block.exercise_id: block.name for block in self.plan.blocks}
        with self._lock:
            prior = {key: (p.best_reps, p.longest_hold_s) for key, p in self._prior.items()}
        best_reps: dict[str, int] = {}
        longest: dict[str, float] = {}
        for entry in summary.entries:
            if entry.kind is EntryKind.REP_SET and entry.reps:
                best_reps[entry.exercise_id] = max(best_reps.get(entry.exercise_id, 0), entry.reps)
            elif entry.kind is EntryKind.HOLD:
                hold = max(entry.holds_s or (entry.duration_s or 0.0,))
                longest[entry.exercise_id] = max(longest.get(entry.exercise_id, 0.0), hold)
        for exercise_id, reps in best_reps.items():
            before = prior.get(exercise_id, (None, None))[0]
            if before is not None and reps > before:
                lines.append(f"Most reps yet in a set of {names.get(exercise_id, exercise_id)}: "
                             f"{reps} (before: {before})")
        for exercise_id, seconds in longest.items():
            before_s = prior.get(exercise_id, (None, None))[1]
            if before_s is not None and seconds > before_s + 0.5:
                lines.append(f"Longest {names.get(exercise_id, exercise_id)} hold yet: "
                             f"{format_duration(seconds)} (before: {format_duration(before_s)})")
        if not summary.completed:
            lines.append(f"Ended early: {summary.steps_done} of {summary.step_count} steps done"
                         " — everything logged is kept")
        if summary.paused_s >= 1:
            lines.append(f"Paused for {format_duration(summary.paused_s)} (not counted as work)")
        return lines

    # -- jobs (writer thread) ---------------------------------------------------------------

    def _exercise_ids(self) -> list[str]:
        return sorted({block.exercise_id for block in self.plan.blocks})

    def _store(self) -> HistoryStore:
        assert self.history is not None
        return self.history.store

    def _begin_job(self, session: Session, exercise_ids: list[str]) -> str:
        store = self._store()
        self._load_prior(store, exercise_ids)
        notice = ""
        if store.unfinished_session() is not None:
            kept = store.save_unfinished()  # keep, never drop, what an earlier run logged
            notice = f"An unfinished session ({kept.workout_name}) was saved to your history."
        active = store.active_session()
        if active is not None and active.id != self.session_id:
            store.finish_session()  # an earlier session in this run whose finish failed
        if active is None or active.id != self.session_id:
            try:
                store.begin_session(session)
            except StorageWriteError:
                # The session is open in memory and is saved with the next write that works.
                with self._lock:
                    self._state.began = True
                raise
        with self._lock:
            self._state.began = True
        return notice

    def _load_prior(self, store: HistoryStore, exercise_ids: list[str]) -> None:
        for exercise_id in exercise_ids:
            last: Entry | None = None
            best_reps: int | None = None
            longest: float | None = None
            for entry in store.entries_for_exercise(exercise_id):
                if entry.session_id == self.session_id:
                    continue
                if entry.kind is EntryKind.REP_SET and entry.reps is not None:
                    last = entry
                    best_reps = max(best_reps or 0, entry.reps)
                elif entry.kind is EntryKind.HOLD:
                    hold = max(entry.holds_s or (entry.duration_s or 0.0,))
                    longest = max(longest or 0.0, hold)
            with self._lock:
                self._prior[exercise_id] = _Prior(last, best_reps, longest)

    def _upsert(self, store: HistoryStore, entry: Entry) -> None:
        if store.entry(entry.id) is None:
            store.log_entry(entry)
        else:
            store.edit_entry(entry)
        with self._lock:
            if self._state.needs_save.get(entry.id) is entry:
                del self._state.needs_save[entry.id]

    def _entry_job(self, entry: Entry) -> None:
        store = self._store()
        with self._lock:
            began = self._state.began
            latest = self._state.needs_save.get(entry.id)
        if not began:
            raise StoreError("The session could not be started in your history, "
                             "so this set is kept in memory only.")
        if latest is not None:
            self._upsert(store, latest)

    def _finish_job(self) -> None:
        store = self._store()
        with self._lock:
            summary = self._state.finish
            began = self._state.began
            pending = list(self._state.needs_save.values())
        if summary is None or not began:
            return
        for entry in pending:
            self._upsert(store, entry)
        if summary.entries:
            store.finish_session(ended_at=summary.ended_at)
        else:
            store.cancel_session()  # nothing was logged: keep the history free of empty rows
        with self._lock:
            self._state.finish = None

    def _retry_job(self) -> None:
        store = self._store()
        with self._lock:
            began = self._state.began
        if not began:
            self._begin_job(self._pending_session(), self._exercise_ids())
        with self._lock:
            pending = list(self._state.needs_save.values())
        for entry in pending:
            self._upsert(store, entry)
        if store.active_session() is not None:
            store.retry_unsaved()
        self._finish_job()

    def _pending_session(self) -> Session:
        summary = self.engine.summary
        started = summary.started_at if summary is not None else self.clock.wall()
        return Session(id=self.session_id, workout_id=self.plan.workout_id,
                       workout_name=self.plan.title, started_at=started)

    # -- reports (writer thread) ------------------------------------------------------------

    def _unsaved(self) -> int:
        if self.history is None:
            return 0
        with self._lock:
            ids = set(self._state.needs_save)
        with contextlib.suppress(StoreError):
            ids |= {entry.id for entry in self._store().unsaved_entries()}
        return len(ids)

    def _emit(self, what: SaveWhat, result: JobResult[Any], entry_id: str | None = None,
              notice: str = "") -> None:
        if self._on_save is None:
            return
        error = result.error
        message = "" if error is None else (str(error) if isinstance(error, StoreError)
                                            else f"{type(error).__name__}: {error}")
        self._on_save(SaveEvent(what, error is None, entry_id, message, self._unsaved(), notice))

    def _report_begin(self, result: JobResult[str]) -> None:
        notice = result.value if isinstance(result.value, str) else ""
        self._emit(SaveWhat.BEGIN, result, notice=notice)

    def _report_entry(self, entry_id: str) -> Callable[[JobResult[None]], None]:
        def report(result: JobResult[None]) -> None:
            self._emit(SaveWhat.ENTRY, result, entry_id)

        return report

    def _report_finish(self, result: JobResult[None]) -> None:
        self._emit(SaveWhat.FINISH, result)

    def _report_retry(self, result: JobResult[None]) -> None:
        self._emit(SaveWhat.RETRY, result)
