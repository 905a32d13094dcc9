"""EngineDriver: wakes the engine on time on the real event loop, never early, and cleans up."""

from __future__ import annotations

import statistics

import pytest
from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from hipflex_desktop.domain.cues import (
    BriefHoldRecorded,
    Cue,
    CueKind,
    EntryLogged,
    Phase,
    PhaseChanged,
    SessionFinished,
)
from hipflex_desktop.domain.engine import Clock, FakeClock, SessionEngine
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.domain.steps import PlanBlock, plan_from_blocks, quick_interval_plan
from hipflex_desktop.ui.timing import EngineDriver, MonotonicClock

T0 = 1000.0


class Recorder:
    """Collects what the driver emits, with the clock reading at delivery."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.cues: list[tuple[Cue, float]] = []
        self.events: list[object] = []
        self.snapshots: list[object] = []

    def on_cue(self, cue: Cue) -> None:
        self.cues.append((cue, self.clock.monotonic()))
        self.events.append(cue)

    def on_event(self, event: object) -> None:
        self.events.append(event)

    def on_repaint(self, snapshot: object) -> None:
        self.snapshots.append(snapshot)

    def attach(self, driver: EngineDriver) -> None:
        driver.cue.connect(self.on_cue)
        driver.phase_changed.connect(self.on_event)
        driver.entry_logged.connect(self.on_event)
        driver.brief_hold_recorded.connect(self.on_event)
        driver.finished.connect(self.on_event)
        driver.repaint.connect(self.on_repaint)

    def kinds(self) -> list[CueKind]:
        return [cue.kind for cue, _ in self.cues]


def elapse(driver: EngineDriver, clock: FakeClock, seconds: float) -> None:
    """Let fake time pass the way the app sees it: a repaint tick every 50 ms."""
    for _ in range(round(seconds / 0.05)):
        clock.advance(0.05)
        driver.repaint_timer.timeout.emit()


def make_driver(engine: SessionEngine, clock: Clock) -> tuple[EngineDriver, Recorder, QObject]:
    owner = QObject()
    driver = EngineDriver(engine, clock, owner)
    recorder = Recorder(clock)
    recorder.attach(driver)
    return driver, recorder, owner


def test_driver_delivers_every_cue_on_time_on_the_real_event_loop(qtbot: QtBot) -> None:
    clock = MonotonicClock()
    engine = SessionEngine(quick_interval_plan(1, 1, 3, lead_in_s=1), clock)
    driver, recorder, _owner = make_driver(engine, clock)
    driver.start()
    with qtbot.waitSignal(driver.finished, timeout=10_000):
        driver.start_session()
    assert recorder.kinds() == [
        CueKind.EXERCISE_CHANGE, CueKind.LEAD_IN_TICK, CueKind.GO,
        CueKind.REST_START, CueKind.REST_END, CueKind.GO,
        CueKind.REST_START, CueKind.REST_END, CueKind.GO,
        CueKind.SESSION_COMPLETE,
    ]
    start = recorder.cues[0][0].scheduled
    assert [round(cue.scheduled - start, 9) for cue, _ in recorder.cues] == [
        0, 0, 1, 2, 3, 3, 4, 5, 5, 6,
    ]
    lateness_ms = [(fired - cue.scheduled) * 1000 for cue, fired in recorder.cues]
    print(
        f"\ncue lateness over {len(lateness_ms)} cues: median "
        f"{statistics.median(lateness_ms):.2f} ms, worst {max(lateness_ms):.2f} ms"
    )
    assert min(lateness_ms) >= 0, "a cue was delivered before its deadline"
    assert max(lateness_ms) <= 20
    assert not driver.deadline_timer.isActive()
    assert not driver.repaint_timer.isActive()
    assert not driver.running


def test_deadline_timer_is_precise_single_shot_and_an_early_wake_rearms(qtbot: QtBot) -> None:
    clock = FakeClock(T0)
    engine = SessionEngine(quick_interval_plan(10, 5, 2, lead_in_s=3), clock)
    driver, recorder, _owner = make_driver(engine, clock)
    driver.start()
    driver.start_session()
    assert recorder.kinds() == [CueKind.EXERCISE_CHANGE, CueKind.LEAD_IN_TICK]
    timer = driver.deadline_timer
    assert timer.timerType() is Qt.TimerType.PreciseTimer
    assert timer.isSingleShot()
    assert timer.isActive()
    assert timer.interval() == 1000  # armed from the clock: the next tick is 1 s away
    clock.set(T0 + 0.9996)
    timer.timeout.emit()  # Qt woke 0.4 ms early
    assert len(recorder.cues) == 2
    assert timer.interval() == 1  # the remainder, rounded up: never early
    clock.set(T0 + 1.0)
    timer.timeout.emit()
    assert recorder.cues[-1][0].value == 2.0
    assert timer.interval() == 1000
    driver.stop()
    assert not timer.isActive()
    assert not driver.repaint_timer.isActive()


def test_a_suspend_seen_by_the_repaint_tick_pauses_and_disarms(qtbot: QtBot) -> None:
    clock = FakeClock(T0)
    engine = SessionEngine(quick_interval_plan(30, 10, 2, lead_in_s=0), clock)
    driver, recorder, _owner = make_driver(engine, clock)
    driver.start()
    driver.start_session()
    clock.advance(0.05)
    driver.repaint_timer.timeout.emit()
    last = clock.monotonic()
    clock.suspend(3600)
    clock.advance(0.05)
    driver.repaint_timer.timeout.emit()
    paused = [e for e in recorder.events if isinstance(e, PhaseChanged)][-1]
    assert (paused.phase, paused.suspended, paused.at) == (Phase.PAUSED, True, last)
    assert recorder.snapshots[-1].suspended  # type: ignore[attr-defined]
    assert not driver.deadline_timer.isActive()
    assert driver.repaint_timer.isActive()  # keeps repainting the paused screen
    driver.toggle_pause()
    assert driver.deadline_timer.isActive()
    driver.stop()


def test_intents_are_forwarded_and_the_finish_stops_the_timers(qtbot: QtBot) -> None:
    clock = FakeClock(T0)
    the_plan = plan_from_blocks(
        "Mixed",
        [
            PlanBlock("raise", "Raise", Kind.REPS, Prescription(reps_min=5, reps_max=5)),
            PlanBlock("l-sit", "L-Sit", Kind.HOLD, Prescription(hold_seconds=10, accumulate=True)),
        ],
    )
    engine = SessionEngine(the_plan, clock)
    driver, recorder, _owner = make_driver(engine, clock)
    driver.start()
    driver.start_session()
    assert not driver.deadline_timer.isActive()  # a rep set waits on the person
    driver.mark_rep()
    driver.complete_set()
    driver.accept_log(5, 2.5, "kg", rpe=7, note="easy")
    entry = next(e for e in recorder.events if isinstance(e, EntryLogged)).entry
    assert (entry.reps, entry.load, entry.rpe, entry.note) == (5, 2.5, 7, "easy")
    driver.toggle_hold()
    elapse(driver, clock, 4)
    driver.toggle_hold()
    driver.adjust(+15)
    assert engine.snapshot().accumulated_target_s == 25
    driver.toggle_pause()
    assert engine.paused
    driver.toggle_pause()
    driver.toggle_hold()
    elapse(driver, clock, 21.5)  # target total 25 s: 4 s held, 21 s to go
    driver.deadline_timer.timeout.emit()  # delivers everything due, in order
    assert recorder.kinds()[-1] is CueKind.HOLD_TARGET_REACHED
    driver.toggle_hold()
    holds = [e.seconds for e in recorder.events if isinstance(e, BriefHoldRecorded)]
    assert holds == [pytest.approx(4), pytest.approx(21.5)]
    assert isinstance(recorder.events[-1], SessionFinished)
    assert recorder.snapshots[-1].done  # type: ignore[attr-defined]
    assert not driver.running
    assert not driver.deadline_timer.isActive()
    assert not driver.repaint_timer.isActive()


def test_skip_back_and_end_are_forwarded(qtbot: QtBot) -> None:
    clock = FakeClock(T0)
    engine = SessionEngine(quick_interval_plan(10, 5, 2), clock)
    driver, recorder, _owner = make_driver(engine, clock)
    driver.start()
    driver.start_session()
    driver.skip()
    assert engine.step_index == 1
    driver.back()
    assert engine.step_index == 0
    driver.end()
    assert isinstance(recorder.events[-1], SessionFinished)
    assert not driver.repaint_timer.isActive()


class PauseOnWork:
    """A slot that calls an intent from inside a signal (as a UI might)."""

    def __init__(self, driver: EngineDriver) -> None:
        self.driver = driver

    def on_phase(self, event: PhaseChanged) -> None:
        if event.phase is Phase.WORK:
            self.driver.toggle_pause()


def test_events_keep_engine_order_when_a_slot_calls_an_intent(qtbot: QtBot) -> None:
    clock = FakeClock(T0)
    engine = SessionEngine(quick_interval_plan(10, 5, 2, lead_in_s=0), clock)
    owner = QObject()
    driver = EngineDriver(engine, clock, owner)
    pauser = PauseOnWork(driver)
    driver.phase_changed.connect(pauser.on_phase)
    recorder = Recorder(clock)
    recorder.attach(driver)
    driver.start()
    driver.start_session()
    kinds = [
        e.phase if isinstance(e, PhaseChanged) else e.kind  # type: ignore[attr-defined]
        for e in recorder.events
    ]
    assert kinds == [Phase.WORK, CueKind.EXERCISE_CHANGE, CueKind.GO, Phase.PAUSED]
    assert not driver.deadline_timer.isActive()
    driver.stop()
