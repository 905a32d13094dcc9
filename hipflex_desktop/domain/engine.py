"""The session engine: runs a plan's steps against an injected monotonic clock.

It is a pure state machine. Every transition happens at an exact deadline
computed from the previous deadline (never from "now"), so a session has zero
drift however late the event loop wakes. Nothing here sleeps or counts ticks:
a driver asks :meth:`SessionEngine.next_deadline`, wakes at that time and calls
:meth:`SessionEngine.advance`; intents (skip, pause, log...) are plain method
calls. Every call returns the events it caused, in order.

Semantics worth knowing (the runner screen and the audio layer rely on them):

* **Steps** are flat (see :mod:`hipflex_desktop.domain.steps`). ``skip`` always
  moves to the next step and ``back`` to the previous one (step 0 restarts
  itself), so back-then-skip lands where you were. Work already done in a timed
  step is logged when you leave it by skip, back or end; redoing a step replaces
  its entry (same id, ``EntryLogged.replaces_previous``). Skipping a rep set
  leads to its log, where you can log what you did or skip again.
* **Lead-in** (default 5 s, ticks every second, then go) comes before timed work
  that starts the session, follows a user-paced step or a skip/back, or starts a
  new exercise without a rest in between. A rest or switch countdown leads
  straight into the work: its last-seconds ticks are the count-down.
* **Pause** freezes every deadline; on resume they all move by the paused time,
  so paused time never counts as work. Skip, back, complete_set, accept_log and
  end resume implicitly; toggle_hold and mark_rep are ignored while paused;
  adjust works while paused.
* **Suspend**: :meth:`observe` pauses the engine at the last observed time when
  the wall clock ran far ahead of the monotonic one, or the monotonic clock
  jumped far beyond the repaint period. It never fast-forwards through work.
* An intent that does not apply to the current phase does nothing and returns
  an empty list.
"""

from __future__ import annotations

import copy
import math
import time
from bisect import insort
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.cues import (
    BriefHoldRecorded,
    Cue,
    CueKind,
    EngineEvent,
    EntryLogged,
    Phase,
    PhaseChanged,
    SessionFinished,
    SessionSummary,
)
from hipflex_desktop.domain.history import Entry, EntryKind, Side, new_id
from hipflex_desktop.domain.steps import Plan, Step, StepKind, Via, build_plan, needs_lead_in
from hipflex_desktop.domain.workouts import Workout

ADJUST_STEP_S = 15.0
SUSPEND_MESSAGE = "Paused: the computer was asleep"
UNITS = ("kg", "lb")
_EPSILON = 1e-9


# --- Clocks ----------------------------------------------------------------------------------


class Clock(Protocol):
    """Time source. ``monotonic`` drives every deadline; ``wall`` only dates records."""

    def monotonic(self) -> float: ...

    def wall(self) -> float: ...


class MonotonicClock:
    """The real clock: ``time.monotonic`` for deadlines, ``time.time`` for records."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock tests move by hand; ``wall`` keeps a fixed offset unless a suspend is faked."""

    def __init__(self, monotonic: float = 1000.0, wall: float = 1_800_000_000.0) -> None:
        self._monotonic = monotonic
        self._wall = wall

    def monotonic(self) -> float:
        return self._monotonic

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        """Both clocks move (also how a suspend looks where monotonic keeps counting)."""
        self._monotonic += seconds
        self._wall += seconds

    def set(self, monotonic: float) -> None:
        """Move both clocks so that ``monotonic()`` returns ``monotonic``."""
        self.advance(monotonic - self._monotonic)

    def suspend(self, seconds: float) -> None:
        """A Linux-style suspend: the wall clock moves, CLOCK_MONOTONIC stands still."""
        self._wall += seconds


# --- Configuration and the render view -------------------------------------------------------


@dataclass(frozen=True)
class EngineConfig:
    lead_in_s: float = 5.0
    # Suspend detection in observe(): a monotonic jump longer than this between two
    # observations (the repaint tick is 50 ms), or the wall clock running ahead of
    # the monotonic clock by more than this.
    suspend_gap_s: float = 2.0
    suspend_wall_excess_s: float = 2.0
    tempo_cues: bool = True
    max_lead_in_ticks: int = 10


@dataclass(frozen=True)
class Snapshot:
    """Everything the runner screen draws, frozen at one instant."""

    phase: Phase  # PAUSED while paused
    active_phase: Phase  # the phase underneath a pause (equal to ``phase`` otherwise)
    step_index: int
    step_count: int
    step_kind: StepKind
    exercise_id: str
    exercise_name: str
    key_cue: str
    block_index: int
    block_count: int
    set_number: int  # 1-based
    set_count: int
    set_label: str
    round_number: int | None  # 1-based
    round_count: int | None
    round_label: str
    side: Side | None
    remaining_s: float | None  # countdown left; hold: to target; accumulated: total left
    elapsed_s: float  # in the current phase (accumulated: the running brief hold)
    duration_s: float | None  # countdown length, hold target or accumulated total
    progress: float  # 0-1 within the phase (accumulated: total held / target)
    past_target: bool
    holding: bool
    accumulated_s: float | None
    accumulated_target_s: float | None
    accumulated_remaining_s: float | None
    brief_holds: tuple[float, ...]
    reps_text: str
    reps_counted: int
    suggested_reps: int | None
    next_text: str
    paused: bool
    suspended: bool
    message: str
    done: bool
    session_elapsed_s: float  # pauses excluded
    session_progress: float  # fraction of steps behind us


# --- Internal queue --------------------------------------------------------------------------


class _What(Enum):
    CUE = "cue"
    TARGET = "target"  # a hold's target time: emits hold_target_reached
    END = "end"  # the end of the current countdown phase


@dataclass
class _Item:
    time: float
    seq: int
    what: _What
    kind: CueKind | None = None
    text: str = ""
    value: float | None = None


def _queue_key(item: _Item) -> tuple[float, int]:
    return item.time, item.seq


def _seconds_text(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole} second" if whole == 1 else f"{whole} seconds"


# --- The engine ------------------------------------------------------------------------------


class SessionEngine:
    """Runs one :class:`Plan`; see the module docstring for the rules."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        config: EngineConfig | None = None,
        session_id: str | None = None,
        first_step: int = 0,
    ) -> None:
        """``first_step`` > 0 resumes an unfinished session at that step (see resume_index)."""
        if not plan.steps:
            raise ValueError("the plan has no steps")
        if not 0 <= first_step < len(plan.steps):
            raise ValueError(f"first_step {first_step} is outside the plan")
        self._first_step = first_step
        self._plan = plan
        self._clock = clock
        self._config = config or EngineConfig()
        self.session_id = session_id or new_id()
        self.lead_in_s = plan.lead_in_s if plan.lead_in_s is not None else self._config.lead_in_s
        self._started = False
        self._done = False
        self._completed = False
        self._phase = Phase.READY
        self._index = 0
        self._now = -math.inf  # everything at or before this time has been processed
        self._queue: list[_Item] = []
        self._seq = 0
        self._phase_start = 0.0
        self._phase_end: float | None = None  # countdown deadline, or hold target time
        self._work_start = 0.0
        self._work_start_wall = 0.0
        self._halfway_said = False
        self._target_reached = False
        self._paused_at: float | None = None
        self._suspended = False
        self._paused_total = 0.0
        self._acc_target = 0.0
        self._acc_holds: list[float] = []
        self._acc_running_since: float | None = None
        self._acc_first_wall: float | None = None
        self._reps_counted = 0
        self._rep_start_wall = 0.0
        self._rep_times: dict[int, tuple[float, float]] = {}  # log step -> (start, end) wall
        self._counted_for_log: dict[int, int] = {}
        self._entries: dict[int, Entry] = {}
        self._steps_done: set[int] = set()
        self._wall_offset = clock.wall() - clock.monotonic()
        self._last_observed: tuple[float, float] | None = None
        self._started_at = 0.0
        self._started_wall = 0.0
        self._finished_at = 0.0
        self._summary: SessionSummary | None = None

    @classmethod
    def for_workout(
        cls,
        workout: Workout,
        catalog: Catalog,
        clock: Clock,
        config: EngineConfig | None = None,
        session_id: str | None = None,
    ) -> SessionEngine:
        """The engine for a saved or built-in workout (raises PlanError if it is invalid)."""
        return cls(build_plan(workout, catalog), clock, config, session_id)

    # --- read-only facts ---------------------------------------------------------------------

    @property
    def plan(self) -> Plan:
        return self._plan

    @property
    def config(self) -> EngineConfig:
        return self._config

    @property
    def started(self) -> bool:
        return self._started

    @property
    def finished(self) -> bool:
        return self._done

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    @property
    def suspended(self) -> bool:
        return self._suspended

    @property
    def phase(self) -> Phase:
        """The displayed phase (PAUSED while paused)."""
        return Phase.PAUSED if self.paused else self._phase

    @property
    def step_index(self) -> int:
        return self._index

    @property
    def step(self) -> Step:
        return self._plan.steps[self._index]

    @property
    def summary(self) -> SessionSummary | None:
        return self._summary

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The current entries, one per step that logged work, in step order."""
        return tuple(self._entries[i] for i in sorted(self._entries))

    @property
    def _running(self) -> bool:
        return self._started and not self._done

    def next_deadline(self) -> float | None:
        """Absolute monotonic time of the next scheduled event; None when waiting on the user."""
        if not self._running or self.paused or not self._queue:
            return None
        return self._queue[0].time

    # --- time --------------------------------------------------------------------------------

    def advance(self, now: float) -> list[EngineEvent]:
        """Process every deadline at or before ``now``, in order. Idempotent for the same time."""
        events = self._drain(now)
        self._now = max(self._now, now)
        return events

    def _drain(self, now: float) -> list[EngineEvent]:
        events: list[EngineEvent] = []
        while self._running and not self.paused and self._queue and self._queue[0].time <= now:
            item = self._queue.pop(0)
            events.extend(self._process(item))
        return events

    def observe(self, monotonic: float, wall: float) -> list[EngineEvent]:
        """Called on every repaint; pauses the engine if the computer was asleep.

        Where CLOCK_MONOTONIC stops in suspend (Linux) the wall clock runs ahead
        of it; where it keeps counting, it jumps far beyond the repaint period.
        Either way the pause starts at the last observed time, so no hold or
        round runs on while nobody was there.
        """
        events: list[EngineEvent] = []
        if self._running and not self.paused and self._last_observed is not None:
            last_monotonic, last_wall = self._last_observed
            gap = monotonic - last_monotonic
            wall_excess = (wall - last_wall) - gap
            if (
                gap > self._config.suspend_gap_s
                or wall_excess > self._config.suspend_wall_excess_s
            ):
                at = max(last_monotonic, self._now)
                events.extend(self.advance(at))
                if self._running and not self.paused:
                    events.extend(self._pause(at, suspended=True))
        self._last_observed = (monotonic, wall)
        self._wall_offset = wall - monotonic
        return events

    def _time(self, now: float | None) -> float:
        moment = self._clock.monotonic() if now is None else now
        return max(moment, self._now)

    def _wall(self, monotonic: float) -> float:
        return monotonic + self._wall_offset

    # --- intents -----------------------------------------------------------------------------

    def start(self, now: float | None = None) -> list[EngineEvent]:
        """Begin the session on its first step (with a lead-in if it is timed work)."""
        if self._started:
            return []
        t = self._clock.monotonic() if now is None else now
        self._wall_offset = self._clock.wall() - self._clock.monotonic()
        self._started = True
        self._started_at = t
        self._started_wall = self._wall(t)
        self._now = t
        self._last_observed = None
        events = self._enter_step(self._first_step, t, Via.START)
        return events + self._drain(t)

    def toggle_pause(self, now: float | None = None) -> list[EngineEvent]:
        t = self._time(now)
        events = self.advance(t)
        if not self._running:
            return events
        if self.paused:
            return events + self._resume(t) + self._drain(t)
        return events + self._pause(t, suspended=False)

    def pause(self, now: float | None = None) -> list[EngineEvent]:
        return [] if self.paused else self.toggle_pause(now)

    def resume(self, now: float | None = None) -> list[EngineEvent]:
        return self.toggle_pause(now) if self.paused else []

    def skip(self, now: float | None = None) -> list[EngineEvent]:
        """Leave the current step (logging work already done) and start the next one."""
        t, events = self._moving_on(now)
        if not self._running:
            return events
        events += self._leave(t)
        return events + self._go_next(t, Via.INTENT) + self._drain(t)

    def back(self, now: float | None = None) -> list[EngineEvent]:
        """Leave the current step (logging work already done) and restart the previous one."""
        t, events = self._moving_on(now)
        if not self._running:
            return events
        events += self._leave(t)
        target = max(self._index - 1, 0)
        return events + self._enter_step(target, t, Via.INTENT) + self._drain(t)

    def end(self, now: float | None = None) -> list[EngineEvent]:
        """Finish now, logging the work done in the current step."""
        if self._done:
            return []
        started = [] if self._started else self.start(now)
        t, events = self._moving_on(now)
        events = started + events + self._leave(t)
        return events + self._finish(t, completed=False)

    def adjust(self, delta_s: float, now: float | None = None) -> list[EngineEvent]:
        """Lengthen or shorten the current countdown (or hold target / accumulated total).

        A countdown never goes below zero: shortening past it ends the phase now.
        User-paced phases ignore it.
        """
        t = self._time(now)
        events = self.advance(t)
        if not self._running:
            return events
        ref = self._paused_at if self._paused_at is not None else t
        step = self.step
        if self._phase in (Phase.LEAD_IN, Phase.WORK, Phase.REST, Phase.SWITCH):
            assert self._phase_end is not None
            self._phase_end = max(ref, self._phase_end + delta_s)
            self._reschedule(ref)
        elif self._phase is Phase.HOLD and step.kind is StepKind.HOLD:
            assert self._phase_end is not None
            target = self._phase_end + delta_s
            if target > ref:
                self._phase_end = target
                self._target_reached = False
            elif not self._target_reached:
                self._phase_end = ref
            else:
                self._phase_end = max(self._work_start, target)
            self._reschedule(ref)
        elif self._phase is Phase.HOLD and step.kind is StepKind.ACCUMULATED_HOLD:
            self._acc_target = max(1.0, self._acc_target + delta_s)
            if self._acc_running_since is not None:
                left = self._acc_target - sum(self._acc_holds)
                self._phase_end = max(ref, self._acc_running_since + left)
                if self._phase_end > ref:
                    self._target_reached = False
                self._reschedule(ref)
            elif sum(self._acc_holds) >= self._acc_target - _EPSILON:
                if self.paused:
                    events += self._resume(t)
                return events + self._complete_accumulated(t)
        else:
            return events
        if not self.paused:
            events += self._drain(t)
        return events

    def complete_set(self, now: float | None = None) -> list[EngineEvent]:
        """Rep set: done, go to its log. Holds: stop and record (accumulated: finish early)."""
        t, events = self._moving_on(now)
        if not self._running:
            return events
        step = self.step
        if self._phase is Phase.REPS:
            events.append(self._cue(CueKind.SET_COMPLETE, t, "Set complete"))
            self._record_rep_times(t)
            self._steps_done.add(self._index)
            return events + self._go_next(t, Via.USER) + self._drain(t)
        if self._phase is Phase.HOLD and step.kind is StepKind.HOLD:
            return events + self._stop_single_hold(t)
        if self._phase is Phase.HOLD and step.kind is StepKind.ACCUMULATED_HOLD:
            return events + self._complete_accumulated(t)
        return events

    def accept_log(
        self,
        reps: int,
        load: float = 0.0,
        unit: str = "kg",
        *,
        rpe: float | None = None,
        note: str = "",
        now: float | None = None,
    ) -> list[EngineEvent]:
        """Record the rep set being logged and move on. Raises ValueError on bad values."""
        if isinstance(reps, bool) or not isinstance(reps, int) or reps < 0:
            raise ValueError("reps must be a whole number of at least 0")
        if not math.isfinite(load) or load < 0:
            raise ValueError("load must be 0 or more")
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}")
        if rpe is not None and not 1 <= rpe <= 10:
            raise ValueError("RPE must be between 1 and 10")
        t, events = self._moving_on(now)
        if not self._running or self._phase is not Phase.LOG:
            return events
        start_wall, end_wall = self._rep_times.get(self._index, (self._wall(t), self._wall(t)))
        events.append(
            self._log_entry(
                EntryKind.REP_SET, start_wall, end_wall, reps=reps, load=float(load), unit=unit,
                rpe=rpe, note=note,
            )
        )
        self._steps_done.add(self._index)
        return events + self._go_next(t, Via.USER) + self._drain(t)

    def toggle_hold(self, now: float | None = None) -> list[EngineEvent]:
        """Accumulated hold: start/stop a brief hold. Single hold: stop it (or start it
        early from its lead-in)."""
        t = self._time(now)
        events = self.advance(t)
        if not self._running or self.paused:
            return events
        step = self.step
        if step.kind is StepKind.HOLD:
            if self._phase is Phase.LEAD_IN:
                self._queue.clear()
                return events + self._begin_work(t, announce=False, switch_first=False)
            if self._phase is Phase.HOLD:
                return events + self._stop_single_hold(t)
            return events
        if step.kind is not StepKind.ACCUMULATED_HOLD or self._phase is not Phase.HOLD:
            return events
        if self._acc_running_since is None:
            self._acc_running_since = t
            if self._acc_first_wall is None:
                self._acc_first_wall = self._wall(t)
            events.append(self._cue(CueKind.HOLD_START, t, "Hold"))
            self._phase_end = t + max(0.0, self._acc_target - sum(self._acc_holds))
            self._reschedule(t)
            return events + self._drain(t)
        events += self._stop_brief_hold(t)
        if sum(self._acc_holds) >= self._acc_target - _EPSILON:
            events += self._complete_accumulated(t)
        return events

    def mark_rep(self, now: float | None = None) -> list[EngineEvent]:
        """Count a rep in a rep set (press at the top of each rep). With a top pause in
        the prescription, a ``tempo`` cue ("Lower") follows after that many seconds."""
        t = self._time(now)
        events = self.advance(t)
        if not self._running or self.paused or self._phase is not Phase.REPS:
            return events
        self._reps_counted += 1
        top = self.step.top_hold_seconds
        if self._config.tempo_cues and top:
            self._push(t + top, _What.CUE, CueKind.TEMPO, "Lower", float(self._reps_counted))
        return events

    def _moving_on(self, now: float | None) -> tuple[float, list[EngineEvent]]:
        """Common start of intents that move on: catch up, then resume if paused."""
        t = self._time(now)
        events = self.advance(t)
        if self._running and self.paused:
            events += self._resume(t)
        return t, events

    # --- looking ahead -----------------------------------------------------------------------

    def upcoming_cues(self, horizon_s: float, now: float | None = None) -> list[Cue]:
        """Cues due up to ``horizon_s`` ahead if nobody intervenes (for early speech).

        Includes overdue cues not yet delivered by :meth:`advance`. Empty while
        paused, before the start and after the end.
        """
        if not self._running or self.paused:
            return []
        t = self._time(now)
        memo = {id(self._plan): self._plan, id(self._clock): self._clock,
                id(self._config): self._config}
        shadow = copy.deepcopy(self, memo)
        return [e for e in shadow.advance(t + horizon_s) if isinstance(e, Cue)]

    # --- rendering ---------------------------------------------------------------------------

    def snapshot(self, now: float | None = None) -> Snapshot:
        t = self._clock.monotonic() if now is None else now
        ref = self._paused_at if self._paused_at is not None else max(t, self._now)
        step = self.step
        phase = self._phase
        remaining: float | None = None
        duration: float | None = None
        elapsed = 0.0
        progress = 0.0
        past_target = False
        holding = False
        acc: float | None = None
        acc_target: float | None = None
        acc_left: float | None = None
        if phase in (Phase.LEAD_IN, Phase.WORK, Phase.REST, Phase.SWITCH):
            assert self._phase_end is not None
            duration = self._phase_end - self._phase_start
            elapsed = max(0.0, min(ref, self._phase_end) - self._phase_start)
            remaining = max(0.0, self._phase_end - ref)
            progress = 1.0 if duration <= 0 else elapsed / duration
        elif phase is Phase.HOLD and step.kind is StepKind.HOLD:
            assert self._phase_end is not None
            duration = self._phase_end - self._work_start
            elapsed = max(0.0, ref - self._work_start)
            remaining = max(0.0, self._phase_end - ref)
            past_target = ref >= self._phase_end
            holding = True
            progress = 1.0 if duration <= 0 else min(1.0, elapsed / duration)
        elif phase is Phase.HOLD:
            running = 0.0
            if self._acc_running_since is not None:
                running = max(0.0, ref - self._acc_running_since)
                holding = True
            acc = sum(self._acc_holds) + running
            acc_target = self._acc_target
            acc_left = max(0.0, acc_target - acc)
            remaining = acc_left
            duration = acc_target
            elapsed = running
            past_target = acc >= acc_target
            progress = min(1.0, acc / acc_target) if acc_target > 0 else 1.0
        elif phase in (Phase.REPS, Phase.LOG):
            elapsed = max(0.0, ref - self._phase_start)
        suggested: int | None = None
        if phase is Phase.LOG:
            suggested = self._counted_for_log.get(self._index) or step.reps_max or step.reps_min
        if self._done:
            next_text = ""
        elif self._index + 1 < len(self._plan.steps):
            next_text = "Next: " + self._plan.steps[self._index + 1].describe()
        else:
            next_text = "Last step"
        if not self._started:
            session_elapsed = 0.0
        else:
            end = self._finished_at if self._done else ref
            session_elapsed = max(0.0, end - self._started_at - self._paused_total)
        count = len(self._plan.steps)
        return Snapshot(
            phase=self.phase,
            active_phase=phase,
            step_index=self._index,
            step_count=count,
            step_kind=step.kind,
            exercise_id=step.exercise_id,
            exercise_name=step.exercise_name,
            key_cue=step.key_cue,
            block_index=step.block_index,
            block_count=len(self._plan.blocks),
            set_number=step.set_number + 1,
            set_count=step.set_count,
            set_label=step.set_label,
            round_number=None if step.round_number is None else step.round_number + 1,
            round_count=step.round_count,
            round_label=step.round_label,
            side=step.side,
            remaining_s=remaining,
            elapsed_s=elapsed,
            duration_s=duration,
            progress=max(0.0, min(1.0, progress)),
            past_target=past_target,
            holding=holding,
            accumulated_s=acc,
            accumulated_target_s=acc_target,
            accumulated_remaining_s=acc_left,
            brief_holds=tuple(self._acc_holds) if step.kind is StepKind.ACCUMULATED_HOLD else (),
            reps_text=step.reps_text,
            reps_counted=self._reps_counted if phase is Phase.REPS else 0,
            suggested_reps=suggested,
            next_text=next_text,
            paused=self.paused,
            suspended=self._suspended,
            message=SUSPEND_MESSAGE if self._suspended else "",
            done=self._done,
            session_elapsed_s=session_elapsed,
            session_progress=1.0 if self._done else self._index / count,
        )

    # --- machinery ---------------------------------------------------------------------------

    def _push(
        self,
        at: float,
        what: _What,
        kind: CueKind | None = None,
        text: str = "",
        value: float | None = None,
    ) -> None:
        self._seq += 1
        insort(self._queue, _Item(at, self._seq, what, kind, text, value), key=_queue_key)

    def _cue(
        self,
        kind: CueKind,
        at: float,
        text: str,
        value: float | None = None,
        exercise_id: str | None = None,
    ) -> Cue:
        return Cue(kind, at, self._index, exercise_id or self.step.exercise_id, text, value)

    def _process(self, item: _Item) -> list[EngineEvent]:
        if item.what is _What.END:
            return self._on_phase_end(item.time)
        if item.what is _What.TARGET:
            self._target_reached = True
            text = "Target reached" if self.step.kind is StepKind.HOLD else "Total reached"
            return [self._cue(CueKind.HOLD_TARGET_REACHED, item.time, text)]
        assert item.kind is not None
        if item.kind is CueKind.HALFWAY:
            self._halfway_said = True
        return [self._cue(item.kind, item.time, item.text, item.value)]

    def _change_phase(self, phase: Phase, at: float) -> PhaseChanged:
        previous = self._phase
        self._phase = phase
        self._phase_start = at
        return PhaseChanged(phase, previous, self._index, at)

    def _enter_step(self, index: int, at: float, via: Via) -> list[EngineEvent]:
        previous = None if via is Via.START else self.step
        self._index = index
        self._queue.clear()
        self._phase_end = None
        self._halfway_said = False
        self._target_reached = False
        self._acc_holds = []
        self._acc_running_since = None
        self._acc_first_wall = None
        self._reps_counted = 0
        step = self.step
        announce = previous is None or (
            previous.block_index != step.block_index
            and not (via is Via.DEADLINE and previous.is_rest)  # the rest said "Next: ..."
        )
        switch_first = (
            step.kind is StepKind.SIDE
            and step.side is Side.RIGHT
            and previous is not None
            and previous.kind is StepKind.SIDE
            and previous.side is Side.LEFT
            and previous.block_index == step.block_index
        )
        if self.lead_in_s > 0 and needs_lead_in(step, previous, via):
            events: list[EngineEvent] = [self._change_phase(Phase.LEAD_IN, at)]
            if announce:
                events.append(self._cue(CueKind.EXERCISE_CHANGE, at, step.exercise_name))
            if switch_first:
                events.append(self._cue(CueKind.SWITCH_SIDES, at, "Switch sides"))
            self._phase_end = at + self.lead_in_s
            self._schedule_phase()
            return events
        return self._begin_work(at, announce=announce, switch_first=switch_first)

    def _begin_work(self, at: float, announce: bool, switch_first: bool) -> list[EngineEvent]:
        """Start the step's own phase at ``at`` (after its lead-in, if any)."""
        step = self.step
        kind = step.kind
        self._queue.clear()
        self._halfway_said = False
        phase = {
            StepKind.REP_SET: Phase.REPS,
            StepKind.LOG: Phase.LOG,
            StepKind.REST: Phase.REST,
            StepKind.INTERVAL_REST: Phase.REST,
            StepKind.SWITCH: Phase.SWITCH,
            StepKind.INTERVAL_WORK: Phase.WORK,
            StepKind.SIDE: Phase.WORK,
            StepKind.HOLD: Phase.HOLD,
            StepKind.ACCUMULATED_HOLD: Phase.HOLD,
        }[kind]
        events: list[EngineEvent] = [self._change_phase(phase, at)]
        if announce:
            events.append(self._cue(CueKind.EXERCISE_CHANGE, at, step.exercise_name))
        seconds = step.seconds or 0.0
        self._work_start = at
        self._work_start_wall = self._wall(at)
        if kind is StepKind.REP_SET:
            self._phase_end = None
            self._rep_start_wall = self._wall(at)
        elif kind is StepKind.LOG:
            self._phase_end = None
        elif step.is_rest:
            self._phase_end = at + seconds
            events.append(
                self._cue(CueKind.REST_START, at, f"Rest, {_seconds_text(seconds)}", seconds)
            )
            following = self._following()
            if following is not None and following.block_index != step.block_index:
                events.append(
                    self._cue(
                        CueKind.EXERCISE_CHANGE, at, f"Next: {following.exercise_name}",
                        exercise_id=following.exercise_id,
                    )
                )
        elif kind is StepKind.SWITCH:
            self._phase_end = at + seconds
            events.append(self._cue(CueKind.SWITCH_SIDES, at, "Switch sides"))
        elif kind in (StepKind.INTERVAL_WORK, StepKind.SIDE):
            self._phase_end = at + seconds
            if switch_first:
                events.append(self._cue(CueKind.SWITCH_SIDES, at, "Switch sides"))
            else:
                events.append(self._cue(CueKind.GO, at, "Go"))
        elif kind is StepKind.HOLD:
            self._phase_end = at + seconds
            events.append(self._cue(CueKind.HOLD_START, at, "Go"))
        else:  # accumulated hold: waits for the first toggle
            self._phase_end = None
            self._acc_target = seconds
        self._schedule_phase()
        return events

    def _following(self) -> Step | None:
        index = self._index + 1
        return self._plan.steps[index] if index < len(self._plan.steps) else None

    def _schedule_phase(self, ref: float | None = None) -> None:
        """Queue the current phase's timed cues and its end; with ``ref`` (after an
        adjust) only those still ahead of ``ref`` (end-anchored ones may equal it)."""
        start, end = self._phase_start, self._phase_end
        if end is None:
            return
        items: list[tuple[float, _What, CueKind | None, str, float | None]] = []
        step = self.step
        phase = self._phase
        if phase is Phase.LEAD_IN:
            ticks = min(math.floor(end - start + _EPSILON), self._config.max_lead_in_ticks)
            items += [
                (end - n, _What.CUE, CueKind.LEAD_IN_TICK, str(n), float(n))
                for n in range(ticks, 0, -1)
            ]
            items.append((end, _What.END, None, "", None))
        elif phase is Phase.WORK:
            items += self._countdown_cues(start, end, halfway=True)
            items.append((end, _What.END, None, "", None))
        elif phase is Phase.HOLD and step.kind is StepKind.HOLD:
            items += self._countdown_cues(self._work_start, end, halfway=True)
            if not (self._target_reached and ref is not None and end <= ref):
                items.append((end, _What.TARGET, None, "", None))
        elif phase is Phase.HOLD:
            if self._acc_running_since is not None:
                items += self._countdown_cues(self._acc_running_since, end, halfway=False)
                if not self._target_reached:
                    items.append((end, _What.TARGET, None, "", None))
        elif phase is Phase.REST:
            items += self._countdown_cues(start, end, halfway=False)
            following = self._following()
            straight_to_go = (
                following is not None
                and following.timed_work
                and not (self.lead_in_s > 0 and needs_lead_in(following, step, Via.DEADLINE))
            )
            items.append((end, _What.CUE, CueKind.REST_END, "" if straight_to_go else "Rest over",
                          None))
            items.append((end, _What.END, None, "", None))
        elif phase is Phase.SWITCH:
            items += self._countdown_cues(start, end, halfway=False, ten_left=False)
            items.append((end, _What.END, None, "", None))
        for at, what, kind, text, value in items:
            if ref is not None and not (at > ref or at == end):
                continue
            if kind is CueKind.HALFWAY and self._halfway_said:
                continue
            self._push(at, what, kind, text, value)

    @staticmethod
    def _countdown_cues(
        start: float, end: float, halfway: bool, ten_left: bool = True
    ) -> list[tuple[float, _What, CueKind | None, str, float | None]]:
        """Halfway (10 s and longer), "10 seconds left" (20 s and longer), then 3-2-1."""
        length = end - start
        items: list[tuple[float, _What, CueKind | None, str, float | None]] = []
        ten_at = end - 10.0
        if halfway and length >= 10.0 - _EPSILON:
            half = start + length / 2
            if not (ten_left and length >= 20.0 - _EPSILON and abs(half - ten_at) < _EPSILON):
                items.append((half, _What.CUE, CueKind.HALFWAY, "Halfway", None))
        if ten_left and length >= 20.0 - _EPSILON:
            items.append((ten_at, _What.CUE, CueKind.TEN_SECONDS_LEFT, "10 seconds left", 10.0))
        for n in (3, 2, 1):
            if end - n > start + _EPSILON:
                items.append((end - n, _What.CUE, CueKind.LAST_SECONDS_TICK, str(n), float(n)))
        items.sort(key=lambda item: item[0])
        return items

    def _reschedule(self, ref: float) -> None:
        self._queue = [item for item in self._queue if item.kind is CueKind.TEMPO]
        self._schedule_phase(ref)

    def _on_phase_end(self, at: float) -> list[EngineEvent]:
        step = self.step
        if self._phase is Phase.LEAD_IN:
            return self._begin_work(at, announce=False, switch_first=False)
        events: list[EngineEvent] = []
        if self._phase is Phase.WORK:
            events += self._log_timed_work(at)
            last_of_set = (
                step.side is Side.RIGHT
                if step.kind is StepKind.SIDE
                else step.round_number == (step.round_count or 1) - 1
            )
            if last_of_set and self._following() is not None:
                events.append(self._cue(CueKind.SET_COMPLETE, at, "Set complete"))
        self._steps_done.add(self._index)
        return events + self._go_next(at, Via.DEADLINE)

    def _go_next(self, at: float, via: Via) -> list[EngineEvent]:
        if self._following() is None:
            return self._finish(at, completed=True)
        return self._enter_step(self._index + 1, at, via)

    def _pause(self, at: float, suspended: bool) -> list[EngineEvent]:
        self._paused_at = at
        self._suspended = suspended
        return [PhaseChanged(Phase.PAUSED, self._phase, self._index, at, suspended)]

    def _resume(self, at: float) -> list[EngineEvent]:
        assert self._paused_at is not None
        shift = max(0.0, at - self._paused_at)
        for item in self._queue:
            item.time += shift
        self._phase_start += shift
        self._work_start += shift
        if self._phase_end is not None:
            self._phase_end += shift
        if self._acc_running_since is not None:
            self._acc_running_since += shift
        self._paused_total += shift
        self._paused_at = None
        self._suspended = False
        self._last_observed = None
        return [PhaseChanged(self._phase, Phase.PAUSED, self._index, at)]

    # --- logging work ------------------------------------------------------------------------

    def _log_entry(
        self, kind: EntryKind, started_at: float, ended_at: float, **fields: Any
    ) -> EntryLogged:
        step = self.step
        previous = self._entries.get(self._index)
        entry = Entry(
            id=previous.id if previous else new_id(),
            session_id=self.session_id,
            exercise_id=step.exercise_id,
            kind=kind,
            set_index=step.entry_set_index,
            started_at=started_at,
            ended_at=ended_at,
            **fields,
        )
        self._entries[self._index] = entry
        return EntryLogged(entry, self._index, replaces_previous=previous is not None)

    def _log_timed_work(self, at: float) -> list[EngineEvent]:
        """Entry for an interval round or a side, for the work done up to ``at``."""
        step = self.step
        done = max(0.0, at - self._work_start)
        if done <= 0:
            return []
        start, end = self._work_start_wall, self._wall(at)
        if step.kind is StepKind.INTERVAL_WORK:
            return [
                self._log_entry(
                    EntryKind.INTERVAL_ROUND, start, end, work_s=done, planned_s=step.seconds
                )
            ]
        return [self._log_entry(EntryKind.PER_SIDE, start, end, side=step.side, duration_s=done)]

    def _stop_single_hold(self, at: float) -> list[EngineEvent]:
        held = max(0.0, at - self._work_start)
        events: list[EngineEvent] = [self._cue(CueKind.HOLD_STOP, at, _seconds_text(held), held)]
        events.append(
            self._log_entry(EntryKind.HOLD, self._work_start_wall, self._wall(at), duration_s=held)
        )
        if self._following() is not None:
            events.append(self._cue(CueKind.SET_COMPLETE, at, "Set complete"))
        self._steps_done.add(self._index)
        return events + self._go_next(at, Via.USER) + self._drain(at)

    def _stop_brief_hold(self, at: float) -> list[EngineEvent]:
        assert self._acc_running_since is not None
        seconds = max(0.0, at - self._acc_running_since)
        self._acc_running_since = None
        self._acc_holds.append(seconds)
        self._queue.clear()
        self._phase_end = None
        total = sum(self._acc_holds)
        left = max(0.0, self._acc_target - total)
        text = (
            f"{_seconds_text(math.ceil(left - _EPSILON))} to go"
            if left > _EPSILON
            else f"{_seconds_text(total)} in total"
        )
        return [
            self._cue(CueKind.HOLD_STOP, at, text, seconds),
            BriefHoldRecorded(self._index, seconds, total, left, at),
        ]

    def _complete_accumulated(self, at: float) -> list[EngineEvent]:
        events: list[EngineEvent] = []
        if self._acc_running_since is not None:
            events += self._stop_brief_hold(at)
        if self._acc_holds:
            events.append(self._accumulated_entry(at))
        if self._following() is not None:
            events.append(self._cue(CueKind.SET_COMPLETE, at, "Set complete"))
        self._steps_done.add(self._index)
        return events + self._go_next(at, Via.USER) + self._drain(at)

    def _accumulated_entry(self, at: float) -> EntryLogged:
        start = self._acc_first_wall if self._acc_first_wall is not None else self._wall(at)
        return self._log_entry(
            EntryKind.HOLD, start, self._wall(at), duration_s=sum(self._acc_holds),
            holds_s=tuple(self._acc_holds),
        )

    def _record_rep_times(self, at: float) -> None:
        following = self._following()
        if following is not None and following.kind is StepKind.LOG:
            self._rep_times[self._index + 1] = (self._rep_start_wall, self._wall(at))
            self._counted_for_log[self._index + 1] = self._reps_counted

    def _leave(self, at: float) -> list[EngineEvent]:
        """Log whatever work the current step holds before leaving it early."""
        step = self.step
        events: list[EngineEvent] = []
        if self._phase is Phase.WORK:
            events += self._log_timed_work(at)
        elif self._phase is Phase.HOLD and step.kind is StepKind.HOLD:
            held = max(0.0, at - self._work_start)
            if held > 0:
                events.append(self._cue(CueKind.HOLD_STOP, at, _seconds_text(held), held))
                events.append(
                    self._log_entry(
                        EntryKind.HOLD, self._work_start_wall, self._wall(at), duration_s=held
                    )
                )
        elif self._phase is Phase.HOLD:
            if self._acc_running_since is not None:
                events += self._stop_brief_hold(at)
            if self._acc_holds:
                events.append(self._accumulated_entry(at))
        elif self._phase is Phase.REPS:
            self._record_rep_times(at)
        self._queue.clear()
        return events

    def _finish(self, at: float, completed: bool) -> list[EngineEvent]:
        self._queue.clear()
        self._done = True
        self._completed = completed
        self._finished_at = at
        events: list[EngineEvent] = [self._change_phase(Phase.DONE, at)]
        text = "Session complete" if completed else "Session ended"
        events.append(self._cue(CueKind.SESSION_COMPLETE, at, text))
        self._summary = self._build_summary(at)
        events.append(SessionFinished(self._summary))
        return events

    def _build_summary(self, at: float) -> SessionSummary:
        entries = self.entries
        steps = self._plan.steps
        sets = {
            (steps[i].block_index, steps[i].set_number) for i in self._entries
        }
        longest: float | None = None
        for entry in entries:
            if entry.kind is EntryKind.HOLD:
                candidates = entry.holds_s or (
                    (entry.duration_s,) if entry.duration_s is not None else ()
                )
                for seconds in candidates:
                    longest = seconds if longest is None else max(longest, seconds)
        duration = max(0.0, at - self._started_at)
        return SessionSummary(
            session_id=self.session_id,
            workout_id=self._plan.workout_id,
            workout_name=self._plan.title,
            started_at=self._started_wall,
            ended_at=self._wall(at),
            duration_s=duration,
            active_s=max(0.0, duration - self._paused_total),
            paused_s=self._paused_total,
            sets=len(sets),
            total_reps=sum(e.reps or 0 for e in entries if e.kind is EntryKind.REP_SET),
            longest_hold_s=longest,
            entries=entries,
            completed=self._completed,
            steps_done=len(self._steps_done),
            step_count=len(steps),
        )
