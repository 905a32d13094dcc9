"""The guided session runner: the screen a person trains by, from three metres away.

It shows one :class:`~hipflex_desktop.session.GuidedSession` at a time. An
:class:`~hipflex_desktop.ui.timing.EngineDriver` wakes the engine exactly at
each deadline (one precise single-shot timer) and this page only reacts:
cues go to the :class:`~hipflex_desktop.audio.CuePlayer` first (and the cue log
and a visual flash after), logged work goes to the session's background
writer, and the ~20 Hz repaint only redraws. Nothing here sleeps, counts ticks
or touches the disk on the UI thread, so a save or a repaint never delays a cue.

Every action has a key and a visible button; see :data:`KEY_HELP`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.audio import CuePlayer, is_voice_only
from hipflex_desktop.audio.null import NullCuePlayer
from hipflex_desktop.domain.cues import (
    Cue,
    CueKind,
    EntryLogged,
    Phase,
    PhaseChanged,
    SessionFinished,
    SessionSummary,
)
from hipflex_desktop.domain.engine import ADJUST_STEP_S, SessionEngine, Snapshot
from hipflex_desktop.domain.history import Entry, EntryKind
from hipflex_desktop.domain.steps import Step, StepKind
from hipflex_desktop.session import GuidedSession, SaveEvent, SaveWhat, format_duration
from hipflex_desktop.ui.runner_widgets import (
    KEY_HELP,
    OK,
    PHASE_LOOKS,
    RUNNER_STYLE,
    TEXT,
    TEXT_MUTED,
    Banner,
    ClockFace,
    ConfirmEnd,
    FinishSummary,
    HelpOverlay,
    LogSheet,
    LogValues,
    clock_text,
    format_clock,
    phase_look,
    runner_button,
)
from hipflex_desktop.ui.timing import EngineDriver

__all__ = ["KEY_HELP", "RunnerPage"]

# How far ahead of a voice-only cue the early-speech timer is armed (a few repaint ticks).
EARLY_SPEECH_LOOKAHEAD_S = 0.2
_VOICE_ONLY_KINDS = tuple(kind.value for kind in CueKind if is_voice_only(kind.value))

# Skip a repaint tick this close before a deadline: the driver repaints right after
# delivering the cue anyway, and a paint must never sit in front of a cue.
REPAINT_GUARD_S = 0.010

_TIMED_PHASES = frozenset({Phase.LEAD_IN, Phase.WORK, Phase.REST, Phase.SWITCH, Phase.HOLD})
_EFFORT_PHASES = frozenset({Phase.LEAD_IN, Phase.WORK, Phase.REPS, Phase.HOLD, Phase.DONE})

_FLASH_COLOURS: dict[CueKind, str] = {
    CueKind.GO: PHASE_LOOKS[Phase.WORK].colour,
    CueKind.HOLD_START: PHASE_LOOKS[Phase.WORK].colour,
    CueKind.REST_START: PHASE_LOOKS[Phase.REST].colour,
    CueKind.SWITCH_SIDES: PHASE_LOOKS[Phase.SWITCH].colour,
    CueKind.HOLD_TARGET_REACHED: PHASE_LOOKS[Phase.DONE].colour,
    CueKind.SESSION_COMPLETE: PHASE_LOOKS[Phase.DONE].colour,
    CueKind.SET_COMPLETE: PHASE_LOOKS[Phase.DONE].colour,
}


def _spoken_key(cue: Cue) -> tuple[str, float, int]:
    """Which cue occurrence this is: a voice-only cue started early is not said again."""
    return cue.kind.value, cue.scheduled, cue.step_index


class _SaveRelay(QObject):
    """Carries a writer-thread :class:`SaveEvent` to the UI thread (queued connection)."""

    saved = Signal(object)

    def forward(self, event: SaveEvent) -> None:
        self.saved.emit(event)


class RunnerPage(QWidget):
    """Runs one guided session; build it once and :meth:`run` each new session.

    Signals: ``finished(SessionSummary)`` when the session ends,
    ``close_requested()`` when the person leaves the finish summary (or
    leaves before starting), ``focus_mode_changed(bool)`` so the window can go
    full screen and hide its navigation.
    """

    finished = Signal(object)
    close_requested = Signal()
    focus_mode_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, player: CuePlayer | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runnerPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(RUNNER_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setProperty("focusMode", False)
        self._player: CuePlayer = player or NullCuePlayer()
        self._session: GuidedSession | None = None
        self._driver: EngineDriver | None = None
        self._snapshot: Snapshot | None = None
        self._set_list_key: tuple[int, int, bool] | None = None
        self._focus_mode = False
        self._audio_failed = False
        self._pending_saves = 0
        self._save_failed = False
        self._finish_saved = False
        # Voice-only cues ("10 seconds left") are started lead_time_s early: speech is heard
        # ~50 ms after it is asked for. One precise single-shot timer, armed from the engine's
        # own look-ahead; the cue itself then only logs and flashes.
        self._early_timer = QTimer(self)
        self._early_timer.setObjectName("runner-early-speech")
        self._early_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._early_timer.setSingleShot(True)
        self._early_timer.timeout.connect(self._say_early)
        self._early_cue: Cue | None = None
        self._said_early: set[tuple[str, float, int]] = set()
        self._relay = _SaveRelay(self)
        self._relay.saved.connect(self._on_save_event, Qt.ConnectionType.QueuedConnection)
        self.fired_cues: list[tuple[Cue, float]] = []  # (cue, delivered at) for this session
        self._build()
        self._connect_player()

    # -- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(22, 14, 22, 14)
        root.setSpacing(10)

        top = QHBoxLayout()
        top.setSpacing(14)
        self.title = QLabel("", self)
        self.title.setObjectName("runnerTitle")
        top.addWidget(self.title)
        self.meta = QLabel("", self)
        self.meta.setObjectName("runnerMeta")
        top.addWidget(self.meta)
        top.addStretch(1)
        self.save_badge = QLabel("", self)
        self.save_badge.setObjectName("saveBadge")
        top.addWidget(self.save_badge)
        self.mute_badge = QLabel("MUTED", self)
        self.mute_badge.setObjectName("muteBadge")
        self.mute_badge.setAccessibleName("Sound is muted")
        self.mute_badge.hide()
        top.addWidget(self.mute_badge)
        root.addLayout(top)

        self.session_progress = QProgressBar(self)
        self.session_progress.setObjectName("sessionProgress")
        self.session_progress.setRange(0, 1000)
        self.session_progress.setTextVisible(False)
        self.session_progress.setFixedHeight(4)
        root.addWidget(self.session_progress)

        self.banner = Banner(self)
        self.banner.action_clicked.connect(self.retry_saving)
        root.addWidget(self.banner)

        self.stack = QStackedWidget(self)
        root.addWidget(self.stack, 1)
        self.session_view = QWidget(self.stack)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.session_view)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(28)
        self.clock = ClockFace(self.session_view)
        self.body.addWidget(self.clock, 1)
        self.info = QFrame(self.session_view)
        self.info.setObjectName("infoPanel")
        info = QVBoxLayout(self.info)
        info.setContentsMargins(0, 8, 0, 8)
        info.setSpacing(10)
        self.exercise_name = QLabel("", self.info)
        self.exercise_name.setObjectName("exerciseName")
        self.exercise_name.setWordWrap(True)
        info.addWidget(self.exercise_name)
        self.key_cue = QLabel("", self.info)
        self.key_cue.setObjectName("keyCue")
        self.key_cue.setWordWrap(True)
        info.addWidget(self.key_cue)
        self.details = QLabel("", self.info)
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        info.addWidget(self.details)
        self.extra = QLabel("", self.info)
        self.extra.setObjectName("extra")
        self.extra.setWordWrap(True)
        info.addWidget(self.extra)
        self.set_list = QLabel("", self.info)
        self.set_list.setObjectName("setList")
        self.set_list.setTextFormat(Qt.TextFormat.RichText)
        self.set_list.setAccessibleName("Sets of this exercise")
        info.addSpacing(6)
        info.addWidget(self.set_list)
        info.addStretch(1)
        self.log_sheet = LogSheet(self.info)
        self.log_sheet.accepted.connect(self._on_log_accepted)
        self.log_sheet.reps.valueChanged.connect(self._on_log_reps_changed)
        self.log_sheet.focus_home = self
        self.log_sheet.hide()
        info.addWidget(self.log_sheet)
        self.next_up = QLabel("", self.info)
        self.next_up.setObjectName("nextUp")
        self.next_up.setWordWrap(True)
        info.addWidget(self.next_up)
        # Ignored width: the 1:1 split holds whatever the panel shows (no jump for the log).
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.body.addWidget(self.info, 1)
        self.stack.addWidget(self.session_view)
        self.summary_view = FinishSummary(self.stack)
        self.summary_view.done_clicked.connect(self.close_requested)
        self.stack.addWidget(self.summary_view)

        self.controls = QFrame(self)
        self.controls.setObjectName("controls")
        row = QHBoxLayout(self.controls)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.back_button = self._button("◀  Back", "Back to the previous step (Backspace or ←)",
                                        self.back)
        self.minus_button = self._button("−15 s", "Take 15 s off the current timer (−)",
                                         self.take_time)
        self.main_button = self._button("Start  ␣", "Start, pause or resume (Space)",
                                        self.primary_action)
        self.main_button.setObjectName("mainAction")
        self.done_button = self._button("Set done  ⏎", "Finish the set or hold (Enter)",
                                        self.enter_action)
        self.plus_button = self._button("+15 s", "Add 15 s to the current timer (+)",
                                        self.add_time)
        self.skip_button = self._button("Skip  ▶", "Skip to the next step (N or →)", self.skip)
        self.rep_button = self._button("Rep +1", "Count a rep at the top (R)", self.count_rep)
        for button in (self.back_button, self.minus_button, self.main_button, self.done_button,
                       self.plus_button, self.skip_button, self.rep_button):
            row.addWidget(button)
        row.addStretch(1)
        self.mute_button = self._button("Mute  M", "Mute or unmute the sounds (M)",
                                        self.toggle_mute)
        self.focus_button = self._button("Focus  F", "Fill the screen with the clock (F or F11)",
                                         self.toggle_focus_mode)
        self.help_button = self._button("Keys  ?", "Show the keyboard keys (?)", self.toggle_help)
        self.end_button = self._button("End  Esc", "End the session (Esc); logged sets are kept",
                                       self.request_end)
        self.end_button.setObjectName("endButton")
        for button in (self.mute_button, self.focus_button, self.help_button, self.end_button):
            row.addWidget(button)
        root.addWidget(self.controls)

        self.help_overlay = HelpOverlay(self)
        self.confirm_end = ConfirmEnd(self)
        self.confirm_end.confirmed.connect(self.end_now)
        self.confirm_end.cancelled.connect(self.cancel_end)

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        button = runner_button(text, "", self.controls, slot)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        return button

    def _connect_player(self) -> None:
        fallback = getattr(self._player, "fallback_to_visual", None)
        if fallback is not None:
            fallback.connect(self._on_audio_fallback)

    # -- public API ---------------------------------------------------------------------------

    @property
    def session(self) -> GuidedSession | None:
        return self._session

    @property
    def driver(self) -> EngineDriver | None:
        return self._driver

    @property
    def player(self) -> CuePlayer:
        return self._player

    @property
    def running(self) -> bool:
        """True from :meth:`run` until the session is finished (or shut down)."""
        return self._session is not None and not self._session.engine.finished

    @property
    def focus_mode(self) -> bool:
        return self._focus_mode

    @property
    def visual_cues(self) -> bool:
        """Cues flash the clock when they cannot be heard (no audio, audio failed, muted)."""
        return (self._audio_failed or isinstance(self._player, NullCuePlayer)
                or self._player.is_muted())

    def set_player(self, player: CuePlayer) -> None:
        self._player = player
        self._connect_player()
        self._update_mute()

    def run(self, session: GuidedSession, *, autostart: bool = False) -> None:
        """Show ``session`` (replacing a finished one) and, with ``autostart``, start it."""
        self.shutdown()
        self._session = session
        session.set_save_listener(self._relay.forward)
        self._driver = EngineDriver(session.engine, session.clock, self)
        self._driver.cue.connect(self._on_cue)
        self._driver.phase_changed.connect(self._on_phase_changed)
        self._driver.entry_logged.connect(self._on_entry_logged)
        self._driver.brief_hold_recorded.connect(self._on_brief_hold)
        self._driver.finished.connect(self._on_finished)
        self._driver.repaint.connect(self._on_repaint)
        self.fired_cues = []
        self._set_list_key = None
        self._pending_saves = 0
        self._save_failed = False
        self._finish_saved = False
        self.banner.hide()
        self.log_sheet.close_sheet()
        self.help_overlay.hide()
        self.confirm_end.hide()
        self.stack.setCurrentWidget(self.session_view)
        self.title.setText(session.plan.title)
        self._update_save_badge()
        self._update_mute()
        self._player.warm_up()  # the first audible play is late; get it out of the way now
        self._driver.start()
        self._render(session.engine.snapshot())
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        if autostart:
            self.start()

    def shutdown(self) -> None:
        """Stop the timers and let go of the current session (its saves still complete)."""
        if self._driver is not None:
            self._driver.stop()
            self._driver.deleteLater()
            self._driver = None
        if self._session is not None:
            self._session.set_save_listener(None)
            self._session.close()
        self.clock.stop_flash()
        self._cancel_early_speech()
        self._end_audio_session()

    def _end_audio_session(self) -> None:
        """Stop the player's keep-warm primer (it only runs while a session is on)."""
        end_session = getattr(self._player, "end_session", None)
        if end_session is not None:
            end_session()

    # -- actions (keys and buttons) ---------------------------------------------------------

    def start(self) -> None:
        if self._session is None or self._driver is None or self._session.engine.started:
            return
        self._session.begin()
        if self._session.saving:
            self._pending_saves += 1
        self._driver.start_session()
        self._update_save_badge()

    def primary_action(self) -> None:
        """Space: start, pause or resume; in an accumulated hold, start or stop a hold."""
        engine = self._engine()
        if engine is None or engine.finished or self._driver is None:
            return
        if not engine.started:
            self.start()
            return
        if (engine.step.kind is StepKind.ACCUMULATED_HOLD and not engine.paused
                and engine.phase is Phase.HOLD):
            self._driver.toggle_hold()
            return
        self._driver.toggle_pause()

    def enter_action(self) -> None:
        """Enter: set done, stop a hold, save the log, start a hold now, or leave the summary."""
        engine = self._engine()
        if engine is None or self._driver is None:
            return
        if engine.finished:
            self.close_requested.emit()
            return
        if not engine.started:
            self.start()
            return
        snapshot = engine.snapshot()
        phase = snapshot.active_phase
        if phase is Phase.LOG:
            self.log_sheet.accept()
        elif phase in (Phase.REPS, Phase.HOLD):
            self._driver.complete_set()
        elif phase is Phase.LEAD_IN and engine.step.kind is StepKind.HOLD:
            if engine.paused:
                self._driver.toggle_pause()
            self._driver.toggle_hold()

    def skip(self) -> None:
        self._cancel_early_speech()
        if self._can_move():
            assert self._driver is not None
            self._driver.skip()

    def back(self) -> None:
        self._cancel_early_speech()
        if self._can_move():
            assert self._driver is not None
            self._driver.back()

    def add_time(self) -> None:
        self._adjust(+ADJUST_STEP_S)

    def take_time(self) -> None:
        self._adjust(-ADJUST_STEP_S)

    def count_rep(self) -> None:
        if self._can_move():
            assert self._driver is not None
            self._driver.mark_rep()

    def toggle_mute(self) -> None:
        self._player.set_muted(not self._player.is_muted())
        self._update_mute()

    def toggle_focus_mode(self) -> None:
        self.set_focus_mode(not self._focus_mode)

    def set_focus_mode(self, on: bool) -> None:
        """Clock first: it takes most of the screen (at least a quarter of its height)."""
        if on == self._focus_mode:
            return
        self._focus_mode = on
        self.setProperty("focusMode", on)
        self.style().unpolish(self)
        self.style().polish(self)
        for label in (self.exercise_name, self.details, self.next_up):
            label.style().unpolish(label)
            label.style().polish(label)
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if on else QBoxLayout.Direction.LeftToRight
        )
        self.body.setStretch(0, 5 if on else 1)
        self.body.setStretch(1, 0 if on else 1)
        self.body.setSpacing(10 if on else 28)
        self.key_cue.setVisible(not on)
        align = Qt.AlignmentFlag.AlignHCenter if on else Qt.AlignmentFlag.AlignLeft
        for label in (self.exercise_name, self.details, self.next_up):
            label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        self.clock.set_focus_mode(on)
        self.focus_button.setText("Exit focus  F" if on else "Focus  F")
        if self.isWindow():
            if on:
                self.showFullScreen()
            else:
                self.showNormal()
        self.focus_mode_changed.emit(on)
        if self._snapshot is not None:
            self._render(self._snapshot)

    def toggle_help(self) -> None:
        if self.help_overlay.isVisible():
            self.help_overlay.hide()
        else:
            self.help_overlay.cover()
            self.help_overlay.show()

    def request_end(self) -> None:
        """Esc: ask before ending (the session keeps running while asking)."""
        engine = self._engine()
        if engine is None or engine.finished or not engine.started:
            self.close_requested.emit()
            return
        self.confirm_end.cover()
        self.confirm_end.show()

    def end_now(self) -> None:
        self.confirm_end.hide()
        if self._driver is not None and self.running:
            self._driver.end()

    def cancel_end(self) -> None:
        self.confirm_end.hide()

    def retry_saving(self) -> None:
        if self._session is not None and self._session.saving:
            self._pending_saves += 1
            self._session.retry()
            self.banner.show_message("Trying to save again…", level="info")
            self._update_save_badge()

    def visual_cue(self, kind: CueKind | str) -> None:
        """Flash the clock briefly: how a cue shows when it cannot be heard."""
        try:
            colour = _FLASH_COLOURS.get(CueKind(kind))
        except ValueError:
            colour = None
        self.clock.flash(colour or "#ffffff")

    # -- keys ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        text = event.text()
        if self.confirm_end.isVisible():
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Y):
                self.end_now()
            elif key in (Qt.Key.Key_Escape, Qt.Key.Key_N):
                self.cancel_end()
            event.accept()
            return
        if key == Qt.Key.Key_Question or text == "?":
            self.toggle_help()
        elif key == Qt.Key.Key_Escape and self.help_overlay.isVisible():
            self.help_overlay.hide()
        elif key == Qt.Key.Key_Space:
            self.primary_action()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_action()
        elif key in (Qt.Key.Key_N, Qt.Key.Key_Right):
            self.skip()
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Left):
            self.back()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) or text == "+":
            self.add_time()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore) or text in ("-", "−"):
            self.take_time()
        elif key == Qt.Key.Key_M:
            self.toggle_mute()
        elif key in (Qt.Key.Key_F, Qt.Key.Key_F11):
            self.toggle_focus_mode()
        elif key == Qt.Key.Key_R:
            self.count_rep()
        elif key == Qt.Key.Key_Escape:
            self.request_end()
        elif text.isdigit() and self.log_sheet.editing and self.log_sheet.isVisible():
            self.log_sheet.type_reps(text)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # -- driver events ------------------------------------------------------------------------

    def _on_cue(self, cue: Cue) -> None:
        """Sound first, everything else after: the cue's moment is now."""
        fired = self._session.clock.monotonic() if self._session is not None else 0.0
        key = _spoken_key(cue)
        if key in self._said_early:
            self._said_early.discard(key)  # already started, lead_time_s ago
        else:
            self._player.cue(cue.kind.value, cue.text)
        self.fired_cues.append((cue, fired))
        if self._session is not None:
            self._session.on_cue(cue, fired)
        if self.visual_cues:
            self.visual_cue(cue.kind)

    def _on_phase_changed(self, event: PhaseChanged) -> None:
        if event.phase is Phase.PAUSED:
            self._cancel_early_speech()
        if event.phase is Phase.LOG:
            self._open_log_sheet()
        elif event.phase in _EFFORT_PHASES or (
            event.phase is not Phase.PAUSED and self.log_sheet.editing
        ):
            self.log_sheet.close_sheet()

    def _on_entry_logged(self, event: EntryLogged) -> None:
        if self._session is None:
            return
        self._session.on_entry(event)
        entry = event.entry
        if self._session.saving:
            self._pending_saves += 1
        if entry.kind is EntryKind.REP_SET:
            values = LogValues(entry.reps or 0, entry.load or 0.0, entry.unit or "kg", entry.rpe,
                               entry.note)
            self.log_sheet.show_receipt(entry.id, f"Set {entry.set_index + 1}: {values.describe()}")
            if not self._session.saving:
                self.log_sheet.set_status("memory")
            self._reclaim_focus()
        best = self._session.personal_best(entry)
        if best:
            self._player.announce_personal_best(best)
            self.banner.show_message(best + " 🎉", level="info")
        self._update_save_badge()

    def _on_brief_hold(self, event: object) -> None:
        if self._session is not None:
            self._render(self._session.engine.snapshot())

    def _on_finished(self, event: SessionFinished) -> None:
        if self._session is None:
            return
        self._session.on_finished(event)
        self._end_audio_session()
        summary = event.summary
        if self._session.saving:
            self._pending_saves += 1
        self.log_sheet.close_sheet()
        self.confirm_end.hide()
        self._show_summary(summary)
        self._update_save_badge()
        self._reclaim_focus()
        self.finished.emit(summary)

    def _on_repaint(self, snapshot: Snapshot) -> None:
        if self._session is not None and self._driver is not None and not snapshot.done:
            deadline = self._session.engine.next_deadline()
            if deadline is not None:
                ahead = deadline - self._session.clock.monotonic()
                if 0 < ahead < REPAINT_GUARD_S:
                    return
                self._plan_early_speech(ahead)
        self._render(snapshot)

    # -- early speech -------------------------------------------------------------------------

    def _plan_early_speech(self, ahead_s: float) -> None:
        """Shortly before a deadline, arm the early-speech timer for a voice-only cue."""
        lead = max(self._player.lead_time_s(kind) for kind in _VOICE_ONLY_KINDS)
        session = self._session
        if lead <= 0 or session is None or self._early_timer.isActive() or self._player.is_muted():
            return
        if ahead_s > lead + EARLY_SPEECH_LOOKAHEAD_S:
            return
        now = session.clock.monotonic()
        for cue in session.engine.upcoming_cues(lead + EARLY_SPEECH_LOOKAHEAD_S, now):
            key = _spoken_key(cue)
            if cue.kind.value not in _VOICE_ONLY_KINDS or key in self._said_early:
                continue
            start_at = cue.scheduled - self._player.lead_time_s(cue.kind.value)
            if start_at <= now:
                continue  # too late to start early: it plays on time instead
            self._early_cue = cue
            self._early_timer.start(max(0, math.floor((start_at - now) * 1000)))
            return

    def _say_early(self) -> None:
        cue, self._early_cue = self._early_cue, None
        session = self._session
        if cue is None or session is None or session.engine.paused or session.engine.finished:
            return
        self._player.cue(cue.kind.value, cue.text)
        self._said_early.add(_spoken_key(cue))

    def _cancel_early_speech(self) -> None:
        self._early_timer.stop()
        self._early_cue = None
        self._said_early.clear()

    # -- saving -------------------------------------------------------------------------------

    def _on_save_event(self, event: SaveEvent) -> None:
        self._pending_saves = max(0, self._pending_saves - 1)
        if event.notice:
            self.banner.show_message(event.notice, level="info")
        if not event.ok:
            self._save_failed = True
            self.banner.show_message(f"Not saved yet: {event.message}", level="error",
                                     action="Retry")
            if self.log_sheet.entry_id is not None and (
                event.entry_id in (None, self.log_sheet.entry_id)
            ):
                self.log_sheet.set_status("failed")
        else:
            if event.what is SaveWhat.FINISH or (
                event.what is SaveWhat.RETRY and self._session is not None
                and self._session.engine.finished
            ):
                self._finish_saved = True
            if event.unsaved == 0:
                if self._save_failed:
                    self._save_failed = False
                    self.banner.show_message("Saved: everything you logged is on disk now.",
                                             level="info")
                if self.log_sheet.entry_id is not None:
                    self.log_sheet.set_status("saved")
        self._update_save_badge()

    def _update_save_badge(self) -> None:
        session = self._session
        if session is None or not session.saving:
            self.save_badge.setText("Timer only · not recorded" if session is not None else "")
            self.save_badge.setProperty("state", "off")
        elif self._save_failed:
            self.save_badge.setText("● Not saved yet")
            self.save_badge.setProperty("state", "failed")
        elif self._pending_saves > 0:
            self.save_badge.setText("Saving…")
            self.save_badge.setProperty("state", "saving")
        else:
            self.save_badge.setText("Saved ✓" if session.engine.started else "")
            self.save_badge.setProperty("state", "saved")
        self.save_badge.style().unpolish(self.save_badge)
        self.save_badge.style().polish(self.save_badge)
        if session is not None and session.engine.finished:
            self._update_summary_save_status()

    def _update_summary_save_status(self) -> None:
        session = self._session
        if session is None:
            return
        if not session.saving:
            self.summary_view.set_save_status("Timer only: nothing was saved to your history.",
                                              "off")
        elif self._save_failed:
            self.summary_view.set_save_status(
                "Not saved yet — your sets are kept in memory; use Retry above.", "failed")
        elif self._finish_saved and self._pending_saves == 0:
            self.summary_view.set_save_status("Saved to your history ✓", "saved")
        else:
            self.summary_view.set_save_status("Saving to your history…", "saving")

    def _on_audio_fallback(self, message: str) -> None:
        self._audio_failed = True
        self.banner.show_message(message, level="info")

    # -- rendering ----------------------------------------------------------------------------

    def _render(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        look = phase_look(snapshot)
        main, caption = clock_text(snapshot)
        if snapshot.active_phase is Phase.LOG and self.log_sheet.editing:
            main, caption = str(self.log_sheet.reps.value()), "reps · Enter saves the set"
        progress = snapshot.progress if snapshot.active_phase in _TIMED_PHASES else 0.0
        if snapshot.done:
            progress = 1.0
        self.clock.set_state(look.label, look.colour, main, caption, progress)
        _set_text(self.meta, self._meta_text(snapshot))
        self.session_progress.setValue(round(snapshot.session_progress * 1000))
        _set_text(self.exercise_name, snapshot.exercise_name)
        _set_text(self.key_cue, f"“{snapshot.key_cue}”" if snapshot.key_cue else "")
        self.key_cue.setVisible(bool(snapshot.key_cue) and not self._focus_mode)
        details = _details_text(snapshot)
        _set_text(self.details, details)
        self.details.setVisible(bool(details))
        extra = _extra_text(snapshot)
        _set_text(self.extra, extra)
        self.extra.setVisible(bool(extra))
        _set_text(self.next_up, snapshot.next_text)
        self.next_up.setVisible(bool(snapshot.next_text))
        self._update_set_list(snapshot)
        self.controls.setVisible(not snapshot.done)
        self._update_buttons(snapshot)

    def _update_set_list(self, snapshot: Snapshot) -> None:
        engine = self._engine()
        if engine is None:
            return
        key = (snapshot.step_index, len(engine.entries), snapshot.done)
        if key != self._set_list_key:  # rebuilt on change only, not 20 times a second
            self._set_list_key = key
            text = block_progress_html(engine)
            _set_text(self.set_list, text)
        self.set_list.setVisible(bool(self.set_list.text()) and not self._focus_mode)

    def _meta_text(self, snapshot: Snapshot) -> str:
        if snapshot.done:
            return f"Finished  ·  {format_clock(snapshot.session_elapsed_s)}"
        if snapshot.phase is Phase.READY:
            return f"{snapshot.step_count} steps"
        return (f"Step {min(snapshot.step_index + 1, snapshot.step_count)} of "
                f"{snapshot.step_count}  ·  {format_clock(snapshot.session_elapsed_s)}")

    def _update_buttons(self, snapshot: Snapshot) -> None:
        started = snapshot.phase is not Phase.READY
        live = started and not snapshot.done
        phase = snapshot.active_phase
        if not started:
            main = "Start  ␣"
        elif snapshot.paused:
            main = "Resume  ␣"
        elif snapshot.step_kind is StepKind.ACCUMULATED_HOLD and phase is Phase.HOLD:
            main = "Release  ␣" if snapshot.holding else "Hold  ␣"
        else:
            main = "Pause  ␣"
        _set_text(self.main_button, main)
        self.main_button.setEnabled(not snapshot.done)
        if not started:
            done_text, done_on = "Set done  ⏎", False
        elif phase is Phase.LOG:
            done_text, done_on = "Save set  ⏎", True
        elif phase is Phase.REPS:
            done_text, done_on = "Set done  ⏎", True
        elif phase is Phase.HOLD and snapshot.step_kind is StepKind.HOLD:
            done_text, done_on = "Stop hold  ⏎", True
        elif phase is Phase.HOLD:
            done_text, done_on = "Finish  ⏎", True
        elif phase is Phase.LEAD_IN and snapshot.step_kind is StepKind.HOLD:
            done_text, done_on = "Hold now  ⏎", True
        else:
            done_text, done_on = "Set done  ⏎", False
        _set_text(self.done_button, done_text)
        self.done_button.setEnabled(done_on and not snapshot.done)
        for button in (self.back_button, self.skip_button):
            button.setEnabled(live)
        _set_text(self.end_button, "End  Esc" if started else "Close  Esc")
        adjustable = live and phase in _TIMED_PHASES
        self.plus_button.setEnabled(adjustable)
        self.minus_button.setEnabled(adjustable)
        self.rep_button.setVisible(snapshot.step_kind is StepKind.REP_SET)
        self.rep_button.setEnabled(live and phase is Phase.REPS)

    def _update_mute(self) -> None:
        muted = self._player.is_muted()
        self.mute_badge.setVisible(muted)
        self.mute_button.setText("Unmute  M" if muted else "Mute  M")

    def _show_summary(self, summary: SessionSummary) -> None:
        assert self._session is not None
        longest = summary.longest_hold_s
        self.summary_view.show_summary(
            summary,
            self._session.notable(summary),
            active_s=format_duration(summary.duration_s),
            sets=str(summary.sets),
            reps=str(summary.total_reps),
            longest=format_duration(longest) if longest is not None else "–",
        )
        self._update_summary_save_status()
        self.stack.setCurrentWidget(self.summary_view)

    def _open_log_sheet(self) -> None:
        engine = self._engine()
        if engine is None or self._session is None:
            return
        step = engine.step
        snapshot = engine.snapshot()
        defaults = self._session.log_defaults(step, snapshot.suggested_reps)
        self.log_sheet.start_log(
            f"Log set {step.set_number + 1} of {step.set_count}: {step.exercise_name}",
            reps=defaults.reps, load=defaults.load, unit=defaults.unit, rpe=defaults.rpe,
            hint=defaults.hint,
        )
        self._reclaim_focus()

    def _on_log_reps_changed(self, reps: int) -> None:
        """The ring echoes the reps being typed, big enough to check from the bar."""
        if self._snapshot is not None and self._snapshot.active_phase is Phase.LOG:
            self._render(self._snapshot)

    def _on_log_accepted(self, values: LogValues) -> None:
        if self._driver is None:
            return
        self._driver.accept_log(values.reps, values.load, values.unit, rpe=values.rpe,
                                note=values.note)
        self._reclaim_focus()

    # -- helpers ------------------------------------------------------------------------------

    def _engine(self) -> SessionEngine | None:
        return self._session.engine if self._session is not None else None

    def _reclaim_focus(self) -> None:
        """Keys go to the runner again, unless the person is busy elsewhere in the window."""
        focused = QApplication.focusWidget()
        if focused is None or focused is self or self.isAncestorOf(focused):
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _can_move(self) -> bool:
        engine = self._session.engine if self._session is not None else None
        return (engine is not None and self._driver is not None and engine.started
                and not engine.finished)

    def _adjust(self, delta_s: float) -> None:
        self._cancel_early_speech()  # the deadlines move
        if self._can_move():
            assert self._driver is not None
            self._driver.adjust(delta_s)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.help_overlay.isVisible():
            self.help_overlay.cover()
        if self.confirm_end.isVisible():
            self.confirm_end.cover()


def _set_text(widget: QLabel | QPushButton, text: str) -> None:
    """Only touch the label when the text changes: no relayout on every repaint tick."""
    if widget.text() != text:
        widget.setText(text)


def _details_text(snapshot: Snapshot) -> str:
    if snapshot.done:
        return ""
    kind = snapshot.step_kind
    if kind is StepKind.REST:
        return f"Rest after {snapshot.set_label.lower()}"
    if kind is StepKind.INTERVAL_REST:
        return f"Rest after {snapshot.round_label.lower()}"
    if kind is StepKind.SWITCH:
        return "Switch to the right side"
    parts = []
    if snapshot.side is not None:
        parts.append(f"{snapshot.side.value.capitalize()} side")
    if snapshot.round_label:
        parts.append(snapshot.round_label)
    if snapshot.set_count > 1:
        parts.append(snapshot.set_label)
    return "  ·  ".join(parts)


_LISTED_KINDS = frozenset({StepKind.REP_SET, StepKind.HOLD, StepKind.ACCUMULATED_HOLD,
                           StepKind.INTERVAL_WORK, StepKind.SIDE})


def _step_label(step: Step) -> str:
    if step.kind is StepKind.INTERVAL_WORK:
        label = step.round_label.replace(" of ", "/")
        return f"{label} · set {step.set_number + 1}" if step.set_count > 1 else label
    label = f"Set {step.set_number + 1}"
    if step.side is not None:
        label += f" · {step.side.value}"
    return label


def _entry_text(entry: Entry) -> str:
    if entry.kind is EntryKind.REP_SET:
        return LogValues(entry.reps or 0, entry.load or 0.0, entry.unit or "kg", entry.rpe,
                         entry.note).describe()
    seconds = entry.work_s if entry.kind is EntryKind.INTERVAL_ROUND else entry.duration_s
    return format_duration(seconds or 0.0)


def block_progress_html(engine: SessionEngine) -> str:
    """This exercise's sets (rounds, sides): done ones with what was logged, the current one."""
    current = engine.step
    steps = [s for s in engine.plan.steps
             if s.block_index == current.block_index and s.kind in _LISTED_KINDS]
    if len(steps) < 2 or engine.finished:
        return ""
    logged = {(e.exercise_id, e.set_index, e.side): e for e in engine.entries}
    lines = []
    for step in steps:
        entry = logged.get((step.exercise_id, step.entry_set_index, step.side))
        is_current = step.index == current.index or (
            current.kind is StepKind.LOG and step.index == current.index - 1
        )
        label = html.escape(_step_label(step))
        if entry is not None and not is_current:
            lines.append(f"<span style='color:{OK}'>✓</span>&nbsp; {label} — "
                         f"{html.escape(_entry_text(entry))}")
        elif is_current:
            lines.append(f"<span style='color:{TEXT}'><b>▸&nbsp; {label}</b></span>")
        else:
            lines.append(f"<span style='color:{TEXT_MUTED}'>&nbsp;&nbsp;&nbsp; {label}</span>")
    return "<br>".join(lines)


def _extra_text(snapshot: Snapshot) -> str:
    if snapshot.message:
        return snapshot.message
    phase = snapshot.active_phase
    if phase is Phase.REPS:
        text = f"Target {snapshot.reps_text}" if snapshot.reps_text else ""
        if snapshot.reps_counted:
            text += f"  ·  counted {snapshot.reps_counted}"
        return text
    if snapshot.step_kind is StepKind.ACCUMULATED_HOLD and phase is Phase.HOLD:
        held = format_clock(snapshot.accumulated_s or 0.0)
        target = format_clock(snapshot.accumulated_target_s or 0.0)
        text = f"Held {held} of {target}"
        if snapshot.brief_holds:
            text += "  ·  holds: " + ", ".join(f"{round(s)} s" for s in snapshot.brief_holds)
        return text
    return ""
