"""The session runner screen driven by real key events, on a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hipflex_desktop.audio.recording import RecordingCuePlayer
from hipflex_desktop.cue_log import CueLog, read_cue_log
from hipflex_desktop.domain.cues import CueKind, Phase
from hipflex_desktop.domain.engine import FakeClock
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.domain.steps import (
    Plan,
    PlanBlock,
    StepKind,
    plan_from_blocks,
    quick_accumulated_hold_plan,
    quick_interval_plan,
)
from hipflex_desktop.session import GuidedSession
from hipflex_desktop.ui.runner_page import REPAINT_GUARD_S, RunnerPage
from hipflex_desktop.ui.runner_widgets import PHASE_LOOKS, clock_text

T0 = 1000.0


def pump(runner: RunnerPage, clock: FakeClock, seconds: float, step: float = 0.05) -> None:
    """Let fake time pass as the app sees it: repaint ticks, and the deadline timer firing
    exactly at each deadline (what the precise single-shot timer does on a real clock)."""
    driver = runner.driver
    session = runner.session
    assert driver is not None
    assert session is not None
    start = clock.monotonic()
    end = start + seconds
    ticks = max(1, round(seconds / step))
    for tick in range(1, ticks + 1):
        target = end if tick == ticks else start + tick * step
        while True:
            deadline = session.engine.next_deadline()
            if deadline is None or deadline > target + 1e-9:
                break
            if clock.monotonic() < deadline:  # land on the deadline, never a hair before it
                clock.advance(deadline - clock.monotonic() + 1e-9)
            driver.deadline_timer.timeout.emit()
        if clock.monotonic() < target:
            clock.advance(target - clock.monotonic())
        driver.repaint_timer.timeout.emit()


def reps_then_hold_plan() -> Plan:
    return plan_from_blocks(
        "Test workout",
        [
            PlanBlock("leg-raise", "Leg Raise", Kind.REPS,
                      Prescription(sets=2, reps_min=8, reps_max=10, rest_seconds=60),
                      key_cue="Lower slowly"),
            PlanBlock("climber", "Climber", Kind.INTERVAL,
                      Prescription(rounds=2, work_seconds=20, interval_rest_seconds=10)),
        ],
        workout_id="test-workout",
    )


class Harness:
    def __init__(self, qtbot: QtBot) -> None:
        self.clock = FakeClock(T0)
        self.player = RecordingCuePlayer(clock=self.clock.monotonic)
        self.runner = RunnerPage(player=self.player)
        qtbot.addWidget(self.runner)
        self.runner.resize(1186, 720)
        self.runner.show()
        self.qtbot = qtbot

    def run(self, plan: Plan, *, autostart: bool = False, **kwargs: object) -> GuidedSession:
        session = GuidedSession(plan, self.clock, **kwargs)  # type: ignore[arg-type]
        self.runner.run(session, autostart=autostart)
        return session

    def key(self, key: Qt.Key, text: str = "") -> None:
        if text:
            self.qtbot.keyClick(self.runner, key, Qt.KeyboardModifier.NoModifier)
        else:
            self.qtbot.keyClick(self.runner, key)

    def pump(self, seconds: float) -> None:
        pump(self.runner, self.clock, seconds)

    @property
    def engine(self):  # type: ignore[no-untyped-def]
        session = self.runner.session
        assert session is not None
        return session.engine

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.player.cues]


@pytest.fixture
def harness(qtbot: QtBot) -> Iterator[Harness]:
    h = Harness(qtbot)
    yield h
    h.runner.shutdown()


def test_space_starts_pauses_and_resumes(harness: Harness) -> None:
    harness.run(quick_interval_plan(20, 10, 2, lead_in_s=3))
    assert harness.runner.clock.main_text == "Start"
    assert harness.player.args_of("warm_up") == [()]  # the first play is out of the way
    harness.key(Qt.Key.Key_Space)
    assert harness.engine.phase is Phase.LEAD_IN
    assert harness.runner.clock.label == PHASE_LOOKS[Phase.LEAD_IN].label
    assert harness.runner.clock.main_text == "3"
    harness.pump(3.0)
    assert harness.engine.phase is Phase.WORK
    harness.key(Qt.Key.Key_Space)
    assert harness.engine.paused
    assert harness.runner.main_button.text().startswith("Resume")
    harness.pump(30)  # paused time is not work
    assert harness.engine.phase is Phase.PAUSED
    harness.key(Qt.Key.Key_Space)
    assert harness.engine.phase is Phase.WORK
    assert harness.runner.clock.main_text == "0:20"
    assert harness.kinds()[:4] == ["exercise_change", "lead_in_tick", "lead_in_tick",
                                   "lead_in_tick"]


def test_enter_completes_a_set_and_accepts_the_prefilled_log(harness: Harness) -> None:
    harness.run(reps_then_hold_plan(), autostart=True)
    assert harness.engine.phase is Phase.REPS
    assert harness.runner.clock.main_text == "8–10"
    harness.key(Qt.Key.Key_Return)
    assert harness.engine.phase is Phase.LOG
    sheet = harness.runner.log_sheet
    assert sheet.isVisible()
    assert sheet.editing
    assert sheet.reps.value() == 10  # the top of the prescription
    harness.key(Qt.Key.Key_Enter)
    entry = harness.engine.entries[0]
    assert (entry.reps, entry.load, entry.unit) == (10, 0.0, "kg")
    assert harness.engine.phase is Phase.REST
    assert not sheet.editing
    assert sheet.status.text() == "Not recorded (timer only)"
    assert "rest_start" in harness.kinds()


def test_typing_a_number_changes_the_reps_before_enter(harness: Harness) -> None:
    harness.run(reps_then_hold_plan(), autostart=True)
    harness.key(Qt.Key.Key_Return)
    harness.qtbot.keyClick(harness.runner, Qt.Key.Key_7)
    assert harness.runner.log_sheet.reps.hasFocus()
    harness.qtbot.keyClick(harness.runner.log_sheet.reps, Qt.Key.Key_Return)
    assert harness.engine.entries[0].reps == 7
    assert harness.runner.hasFocus()  # keys go to the runner again


def test_n_and_right_skip_backspace_and_left_go_back(harness: Harness) -> None:
    harness.run(reps_then_hold_plan(), autostart=True)
    harness.key(Qt.Key.Key_N)
    assert harness.engine.step.kind is StepKind.LOG
    harness.key(Qt.Key.Key_Right)
    assert harness.engine.step.kind is StepKind.REST
    assert not harness.runner.log_sheet.isVisible()  # skipping a log records nothing
    harness.key(Qt.Key.Key_Backspace)
    assert harness.engine.step.kind is StepKind.LOG
    harness.key(Qt.Key.Key_Left)
    assert harness.engine.step.kind is StepKind.REP_SET
    assert harness.engine.entries == ()


def test_plus_and_minus_change_the_current_rest(harness: Harness) -> None:
    harness.run(reps_then_hold_plan(), autostart=True)
    harness.key(Qt.Key.Key_Return)
    harness.key(Qt.Key.Key_Return)
    assert harness.engine.phase is Phase.REST
    assert harness.runner.clock.main_text == "1:00"
    harness.key(Qt.Key.Key_Plus)
    assert harness.runner.clock.main_text == "1:15"
    harness.key(Qt.Key.Key_Minus)
    harness.key(Qt.Key.Key_Minus)
    assert harness.runner.clock.main_text == "0:45"
    harness.pump(45)
    assert harness.engine.phase is Phase.REPS  # the shortened rest ended on time


def test_m_mutes_and_shows_it(harness: Harness) -> None:
    harness.run(reps_then_hold_plan(), autostart=True)
    assert harness.runner.mute_badge.isHidden()
    harness.key(Qt.Key.Key_M)
    assert harness.player.is_muted()
    assert harness.runner.mute_badge.isVisible()
    assert harness.runner.mute_button.text().startswith("Unmute")
    assert harness.runner.visual_cues  # muted cues still show, as a flash
    harness.key(Qt.Key.Key_Return)  # set complete: a cue
    assert harness.runner.clock.flashing
    harness.key(Qt.Key.Key_M)
    assert not harness.player.is_muted()
    assert harness.runner.mute_badge.isHidden()


@pytest.mark.parametrize("key", [Qt.Key.Key_F, Qt.Key.Key_F11])
def test_focus_mode_makes_the_clock_a_quarter_of_the_window(harness: Harness,
                                                           key: Qt.Key) -> None:
    changes: list[bool] = []
    harness.runner.focus_mode_changed.connect(changes.append)
    harness.run(quick_interval_plan(45, 15, 2, lead_in_s=0), autostart=True)
    harness.pump(1)
    normal_height = harness.runner.clock.digits_rect().height()
    harness.key(key)
    assert harness.runner.focus_mode
    assert changes == [True]
    harness.runner.resize(1366, 768)
    QApplication.processEvents()
    digits = harness.runner.clock.digits_rect()
    assert digits.height() >= harness.runner.height() / 4
    assert digits.height() > normal_height
    assert harness.runner.clock.main_text == "0:44"
    harness.key(key)
    assert not harness.runner.focus_mode
    assert changes == [True, False]


def test_escape_asks_first_and_an_ended_session_keeps_its_work(harness: Harness) -> None:
    harness.run(reps_then_hold_plan(), autostart=True)
    harness.key(Qt.Key.Key_Return)
    harness.key(Qt.Key.Key_Return)  # set 1 logged
    harness.key(Qt.Key.Key_Escape)
    assert harness.runner.confirm_end.isVisible()
    harness.key(Qt.Key.Key_Escape)  # keep going
    assert not harness.runner.confirm_end.isVisible()
    assert not harness.engine.finished
    harness.key(Qt.Key.Key_Escape)
    harness.key(Qt.Key.Key_Return)  # end
    assert harness.engine.finished
    summary = harness.engine.summary
    assert summary is not None
    assert not summary.completed
    assert summary.total_reps == 10
    view = harness.runner.summary_view
    assert harness.runner.stack.currentWidget() is view
    assert view.heading.text() == "Session ended"
    assert view.stat_values["Total reps"].text() == "10"
    assert "Ended early" in view.notable.text()
    assert not harness.runner.driver.deadline_timer.isActive()  # type: ignore[union-attr]


def test_question_mark_toggles_the_key_help(harness: Harness) -> None:
    harness.run(reps_then_hold_plan(), autostart=True)
    assert harness.runner.help_overlay.isHidden()
    harness.key(Qt.Key.Key_Question)
    assert harness.runner.help_overlay.isVisible()
    assert harness.runner.help_overlay.geometry() == harness.runner.rect()
    harness.key(Qt.Key.Key_Question)
    assert harness.runner.help_overlay.isHidden()
    harness.key(Qt.Key.Key_Question)
    harness.key(Qt.Key.Key_Escape)  # Esc closes the help, it does not end the session
    assert harness.runner.help_overlay.isHidden()
    assert not harness.runner.confirm_end.isVisible()


def test_space_starts_and_stops_brief_holds_in_an_accumulated_hold(harness: Harness) -> None:
    harness.run(quick_accumulated_hold_plan(30, lead_in_s=0), autostart=True)
    assert harness.runner.clock.label.startswith("BREAK")
    harness.key(Qt.Key.Key_Space)
    harness.pump(12)
    assert harness.runner.clock.main_text == "0:12"
    harness.key(Qt.Key.Key_Space)
    assert "holds: 12 s" in harness.runner.extra.text()
    harness.pump(5)  # a break does not count
    harness.key(Qt.Key.Key_Space)
    harness.pump(18)
    assert "hold_target_reached" in harness.kinds()
    harness.key(Qt.Key.Key_Return)  # finish
    assert harness.engine.finished
    assert harness.runner.summary_view.stat_values["Longest hold"].text() == "18 s"


def test_every_key_has_a_visible_button(harness: Harness) -> None:
    harness.run(reps_then_hold_plan())
    runner = harness.runner
    runner.main_button.click()
    assert harness.engine.phase is Phase.REPS
    runner.done_button.click()
    assert harness.engine.phase is Phase.LOG
    runner.log_sheet.accept_button.click()
    assert harness.engine.phase is Phase.REST
    runner.plus_button.click()
    assert runner.clock.main_text == "1:15"
    runner.minus_button.click()
    runner.back_button.click()
    assert harness.engine.phase is Phase.LOG
    runner.skip_button.click()
    runner.mute_button.click()
    assert harness.player.is_muted()
    runner.help_button.click()
    assert runner.help_overlay.isVisible()
    runner.help_button.click()
    runner.focus_button.click()
    assert runner.focus_mode
    runner.focus_button.click()
    runner.end_button.click()
    runner.confirm_end.end_button.click()
    assert harness.engine.finished
    closes: list[bool] = []
    runner.close_requested.connect(lambda: closes.append(True))
    runner.summary_view.done_button.click()
    assert closes == [True]


class FailingAudio(QObject):
    """Stands in for the audio facade when its device goes away."""

    fallback_to_visual = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.inner = RecordingCuePlayer()
        self.speech_lead_s = 0.0

    def cue(self, kind: str, text: str = "") -> None:
        self.inner.cue(kind, text)

    def lead_time_s(self, kind: str) -> float:
        return 0.0

    def warm_up(self) -> None:
        pass

    def announce_personal_best(self, text: str) -> None:
        pass

    def set_muted(self, muted: bool) -> None:
        self.inner.set_muted(muted)

    def is_muted(self) -> bool:
        return self.inner.is_muted()


def test_audio_failure_switches_to_visual_cues(harness: Harness) -> None:
    audio = FailingAudio()
    harness.runner.set_player(audio)
    harness.run(quick_interval_plan(20, 10, 2, lead_in_s=2), autostart=True)
    harness.runner.clock.stop_flash()
    assert not harness.runner.visual_cues
    audio.fallback_to_visual.emit("Sound is off: no output device. Cues will be shown on "
                                  "screen only.")
    assert harness.runner.visual_cues
    assert "no output device" in harness.runner.banner.text.text()
    harness.pump(1.0)  # a lead-in tick
    assert harness.runner.clock.flashing
    harness.runner.visual_cue("go")
    assert harness.runner.clock.flashing


def test_cues_go_to_the_player_and_the_cue_log_with_their_delivery_time(
    harness: Harness, tmp_path: Path
) -> None:
    log_path = tmp_path / "cues.jsonl"
    harness.run(quick_interval_plan(2, 1, 2, lead_in_s=1), autostart=True,
                cue_log=CueLog(log_path))
    harness.pump(10)
    assert harness.engine.finished
    lines = read_cue_log(log_path)
    assert [line.cue for line in lines] == harness.kinds()
    assert [line.cue for line in lines] == [
        "exercise_change", "lead_in_tick", "go", "last_seconds_tick", "rest_start", "rest_end",
        "go", "last_seconds_tick", "session_complete",
    ]
    # The fake clock is at the deadline when the driver delivers: no lateness.
    assert all(abs(line.fired - line.scheduled) < 1e-6 for line in lines)
    assert lines[-1].scheduled - lines[0].scheduled == pytest.approx(1 + 2 + 1 + 2)


def test_a_repaint_tick_just_before_a_deadline_is_skipped(harness: Harness) -> None:
    harness.run(quick_interval_plan(20, 10, 2, lead_in_s=0), autostart=True)
    deadline = harness.engine.next_deadline()
    assert deadline is not None
    harness.clock.set(deadline - REPAINT_GUARD_S / 2)
    before = harness.runner.clock.main_text
    harness.runner.driver.repaint_timer.timeout.emit()  # type: ignore[union-attr]
    assert harness.runner.clock.main_text == before  # nothing painted in front of the cue
    harness.clock.set(deadline - 0.5)
    harness.runner.driver.repaint_timer.timeout.emit()  # type: ignore[union-attr]
    assert harness.runner.clock.main_text == clock_text(harness.engine.snapshot())[0]


def test_starting_a_new_session_replaces_a_finished_one(harness: Harness) -> None:
    harness.run(quick_interval_plan(1, 1, 1, lead_in_s=0), autostart=True)
    harness.pump(2)
    assert harness.engine.finished
    assert not harness.runner.controls.isVisible()
    first = harness.runner.driver
    harness.run(quick_interval_plan(5, 1, 1, lead_in_s=0), autostart=True)
    assert harness.runner.driver is not first
    assert harness.runner.stack.currentWidget() is harness.runner.session_view
    assert harness.runner.controls.isVisible()
    assert harness.runner.running


def test_hold_shows_time_past_its_target(harness: Harness) -> None:
    from hipflex_desktop.domain.steps import quick_hold_plan

    harness.run(quick_hold_plan(10, lead_in_s=0), autostart=True)
    harness.pump(4)
    assert harness.runner.clock.main_text == "0:06"
    harness.pump(11)
    assert harness.runner.clock.main_text == "+0:05"
    harness.key(Qt.Key.Key_Return)
    assert harness.engine.entries[0].duration_s == pytest.approx(15)
    assert CueKind.HOLD_STOP.value in harness.kinds()


class LeadingPlayer(RecordingCuePlayer):
    """A speech engine heard 50 ms after it is asked (speechd needs no lead; others may)."""

    speech_lead_s = 0.05


def test_a_voice_only_cue_is_started_its_lead_time_early_and_not_twice(
    harness: Harness, tmp_path: Path
) -> None:
    harness.player = LeadingPlayer(clock=harness.clock.monotonic)
    harness.runner.set_player(harness.player)
    log_path = tmp_path / "cues.jsonl"
    harness.run(quick_interval_plan(30, 10, 1, lead_in_s=0), autostart=True,
                cue_log=CueLog(log_path))
    lead = harness.player.lead_time_s("ten_seconds_left")
    assert lead > 0
    harness.pump(19.85)  # the early-speech timer is armed a few ticks ahead
    timer = harness.runner._early_timer
    assert timer.isActive()
    assert timer.timerType() is Qt.TimerType.PreciseTimer
    assert "ten_seconds_left" not in harness.kinds()
    harness.clock.advance(20 - lead - harness.clock.monotonic() + T0)
    timer.timeout.emit()  # the precise timer fires at deadline - lead
    said = [c for c in harness.player.calls if c.method == "cue"][-1]
    assert said.args[0] == "ten_seconds_left"
    assert said.at == pytest.approx(T0 + 20 - lead)
    harness.pump(1.0)
    assert harness.kinds().count("ten_seconds_left") == 1  # not again at the deadline
    lines = read_cue_log(log_path)
    ten = next(line for line in lines if line.cue == "ten_seconds_left")
    assert ten.scheduled == pytest.approx(T0 + 20)  # the log still records the deadline


def test_muted_or_paused_there_is_no_early_speech(harness: Harness) -> None:
    harness.player = LeadingPlayer(clock=harness.clock.monotonic)
    harness.runner.set_player(harness.player)
    harness.run(quick_interval_plan(30, 10, 1, lead_in_s=0), autostart=True)
    harness.pump(19.5)
    harness.key(Qt.Key.Key_Space)  # pause
    harness.pump(0.4)
    assert not harness.runner._early_timer.isActive()
    harness.key(Qt.Key.Key_Space)
    harness.key(Qt.Key.Key_M)
    harness.pump(0.4)
    assert not harness.runner._early_timer.isActive()  # a muted player needs no lead
