"""The thin Qt side of the session engine: wakes it exactly on time and relays its events.

The engine knows every deadline in advance, so one single-shot precise QTimer
armed for the next deadline is enough; it is re-armed after every wake and every
intent. The delay is computed from the clock at arm time (never by counting
ticks), and a wake that comes a little early re-arms for the remainder instead
of firing early. A separate ~20 Hz coarse timer only repaints and lets the
engine check for a suspend (see ``SessionEngine.observe``).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from hipflex_desktop.domain.cues import (
    BriefHoldRecorded,
    Cue,
    EngineEvent,
    EntryLogged,
    PhaseChanged,
    SessionFinished,
)
from hipflex_desktop.domain.engine import Clock, MonotonicClock, SessionEngine

__all__ = ["REPAINT_INTERVAL_MS", "EngineDriver", "MonotonicClock"]

REPAINT_INTERVAL_MS = 50


class EngineDriver(QObject):
    """Runs a :class:`SessionEngine` on the Qt event loop.

    Signals carry the engine's own immutable values: ``cue(Cue)``,
    ``phase_changed(PhaseChanged)``, ``entry_logged(EntryLogged)``,
    ``brief_hold_recorded(BriefHoldRecorded)``, ``finished(SessionFinished)`` and
    ``repaint(Snapshot)``. Events are delivered in engine order even when a slot
    calls an intent from inside a signal.
    """

    cue = Signal(object)
    phase_changed = Signal(object)
    entry_logged = Signal(object)
    brief_hold_recorded = Signal(object)
    finished = Signal(object)
    repaint = Signal(object)

    def __init__(self, engine: SessionEngine, clock: Clock, parent: QObject | None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._clock = clock
        self._running = False
        self._pending: deque[EngineEvent] = deque()
        self._dispatching = False
        self._deadline_timer = QTimer(self)
        self._deadline_timer.setObjectName("engine-deadline")
        self._deadline_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._deadline_timer.setSingleShot(True)
        self._deadline_timer.timeout.connect(self._on_deadline)
        self._repaint_timer = QTimer(self)
        self._repaint_timer.setObjectName("engine-repaint")
        self._repaint_timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._repaint_timer.setInterval(REPAINT_INTERVAL_MS)
        self._repaint_timer.timeout.connect(self._on_repaint)

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def engine(self) -> SessionEngine:
        return self._engine

    @property
    def running(self) -> bool:
        return self._running

    @property
    def deadline_timer(self) -> QTimer:
        """Exposed for tests and the timing benchmark; do not start or stop it directly."""
        return self._deadline_timer

    @property
    def repaint_timer(self) -> QTimer:
        return self._repaint_timer

    def start(self) -> None:
        """Start waking the engine (the session itself starts with :meth:`start_session`)."""
        if self._running:
            return
        self._running = True
        self._repaint_timer.start()
        self._after_change(self._clock.monotonic())

    def stop(self) -> None:
        """Stop both timers; the engine keeps its state and can be driven again later."""
        self._running = False
        self._deadline_timer.stop()
        self._repaint_timer.stop()

    # --- intents (forwarded to the engine at the clock's current time) -----------------------

    def start_session(self) -> list[EngineEvent]:
        return self._apply(self._engine.start)

    def toggle_pause(self) -> list[EngineEvent]:
        return self._apply(self._engine.toggle_pause)

    def skip(self) -> list[EngineEvent]:
        return self._apply(self._engine.skip)

    def back(self) -> list[EngineEvent]:
        return self._apply(self._engine.back)

    def adjust(self, delta_s: float) -> list[EngineEvent]:
        now = self._clock.monotonic()
        events = self._engine.observe(now, self._clock.wall())
        return self._finish_intent(now, events + self._engine.adjust(delta_s, now))

    def complete_set(self) -> list[EngineEvent]:
        return self._apply(self._engine.complete_set)

    def accept_log(
        self,
        reps: int,
        load: float = 0.0,
        unit: str = "kg",
        *,
        rpe: float | None = None,
        note: str = "",
    ) -> list[EngineEvent]:
        now = self._clock.monotonic()
        events = self._engine.observe(now, self._clock.wall())
        events += self._engine.accept_log(reps, load, unit, rpe=rpe, note=note, now=now)
        return self._finish_intent(now, events)

    def toggle_hold(self) -> list[EngineEvent]:
        return self._apply(self._engine.toggle_hold)

    def mark_rep(self) -> list[EngineEvent]:
        return self._apply(self._engine.mark_rep)

    def end(self) -> list[EngineEvent]:
        return self._apply(self._engine.end)

    def _apply(self, intent: Callable[[float], list[EngineEvent]]) -> list[EngineEvent]:
        """Observe first (a suspend must pause before the intent runs), then the intent."""
        now = self._clock.monotonic()
        events = self._engine.observe(now, self._clock.wall())
        return self._finish_intent(now, events + intent(now))

    def _finish_intent(self, now: float, events: list[EngineEvent]) -> list[EngineEvent]:
        self._dispatch(events)
        self._after_change(now)
        return events

    # --- waking ------------------------------------------------------------------------------

    def _on_deadline(self) -> None:
        deadline = self._engine.next_deadline()
        if deadline is None or not self._running:
            return
        now = self._clock.monotonic()
        if now < deadline:  # woke early: never fire early, sleep the remainder
            self._arm()
            return
        events = self._engine.observe(now, self._clock.wall())
        events += self._engine.advance(now)
        self._dispatch(events)
        self._after_change(now)

    def _on_repaint(self) -> None:
        now = self._clock.monotonic()
        events = self._engine.observe(now, self._clock.wall())
        if events:
            self._dispatch(events)
            self._arm()
        self.repaint.emit(self._engine.snapshot(now))

    def _arm(self) -> None:
        deadline = self._engine.next_deadline()
        if deadline is None or not self._running:
            self._deadline_timer.stop()
            return
        delay_ms = max(0, math.ceil((deadline - self._clock.monotonic()) * 1000.0))
        self._deadline_timer.start(delay_ms)

    def _after_change(self, now: float) -> None:
        if self._engine.finished:
            self.repaint.emit(self._engine.snapshot(now))
            self.stop()
            return
        self._arm()
        if self._running:
            self.repaint.emit(self._engine.snapshot(now))

    def _dispatch(self, events: list[EngineEvent]) -> None:
        self._pending.extend(events)
        if self._dispatching:  # a slot called an intent: the outer loop delivers in order
            return
        self._dispatching = True
        try:
            while self._pending:
                event = self._pending.popleft()
                if isinstance(event, Cue):
                    self.cue.emit(event)
                elif isinstance(event, PhaseChanged):
                    self.phase_changed.emit(event)
                elif isinstance(event, EntryLogged):
                    self.entry_logged.emit(event)
                elif isinstance(event, BriefHoldRecorded):
                    self.brief_hold_recorded.emit(event)
                elif isinstance(event, SessionFinished):
                    self.finished.emit(event)
        finally:
            self._dispatching = False
