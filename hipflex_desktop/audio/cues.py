"""The audio facade the session runner talks to: beeps + voice + settings + failures.

``create_audio_cues`` builds it from the real backends and never raises: a missing
QtMultimedia (no libpulse0), no output device, an unreadable sound file or a broken
speech engine each leave a working object that plays less, reports why in
``status`` and emits ``fallback_to_visual`` (beeps lost) or ``voice_unavailable``
(speech lost) once. Emission is queued through the event loop so a failure found
while constructing still reaches handlers connected right after construction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QMetaObject,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)

from hipflex_desktop.audio import (
    REST_ENDING_KINDS,
    SPEECH_LEAD_S,
    TICK_KINDS,
    VOICE_INSTALL_HINT,
    AudioStatus,
    Health,
    SoundPlayer,
    Voice,
    VoiceState,
    is_spoken,
    sound_for,
)
from hipflex_desktop.audio.null import NullSoundPlayer, NullVoice
from hipflex_desktop.audio.settings import AudioSettings, load_audio_settings

WARM_UP_SOUND = "lead_in_tick"
# During a session, after this long without a sound, play the faint primer so the next
# cue is not late (the output goes stale at ~1 ms per silent second; docs/audio-notes.md).
KEEP_WARM_AFTER_S = 4.0
PERSONAL_BEST_SOUND = "target_reached"
VISUAL_ONLY_SUFFIX = " Cues will be shown on screen only."

# One of each sound plus a spoken cue: what "Test sound" plays, in this order.
PREVIEW_CUES: tuple[tuple[str, str], ...] = (
    ("lead_in_tick", ""),
    ("go", ""),
    ("halfway", "Halfway"),
    ("last_seconds_tick", ""),
    ("hold_stop", ""),
    ("hold_target_reached", "Target reached"),
    ("switch_sides", "Switch sides"),
    ("rest_start", "Rest, 60 seconds"),
    ("ten_seconds_left", "10 seconds left"),
    ("exercise_change", "Hanging leg raise"),
    ("session_complete", ""),
)


class AudioCues(QObject):
    """A :class:`~hipflex_desktop.audio.CuePlayer` combining a sound player and a voice.

    ``fallback_to_visual(message)``: beeps can no longer be heard; flash instead.
    ``voice_unavailable(reason)``: speech cannot be used (settings show the reason).
    ``voice_ready()``: the speech engine finished starting; voice names are known.
    ``status_changed()``: ``status`` may have changed.
    """

    fallback_to_visual = Signal(str)
    voice_unavailable = Signal(str)
    voice_ready = Signal()
    status_changed = Signal()

    speech_lead_s = SPEECH_LEAD_S

    def __init__(
        self,
        settings: AudioSettings,
        sounds: SoundPlayer,
        voice: Voice,
        *,
        sound_problem: str = "",
        keep_warm_after_s: float = KEEP_WARM_AFTER_S,
        start_voice: Callable[[], Voice] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``start_voice``: when spoken cues were off at launch, ``voice`` is a stand-in
        and this builds the real one the moment the person turns them on."""
        super().__init__(parent)
        self._start_voice = start_voice
        self._settings = settings.normalised()
        self._sounds: SoundPlayer = sounds
        self._voice: Voice = voice
        self._sound_problem = ""
        self._muted = False
        self._resting = False
        self._closed = False
        self._fallback_sent = False
        self._voice_notice_sent = False
        self._pending_notices = False
        self._pending_speech = ""
        self._speech_timer = QTimer(self)
        self._speech_timer.setObjectName("audio-speech-after-beep")
        self._speech_timer.setSingleShot(True)
        self._speech_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._speech_timer.timeout.connect(self._speak_pending)
        self._in_session = False
        self._keep_warm_timer = QTimer(self)
        self._keep_warm_timer.setObjectName("audio-keep-warm")
        self._keep_warm_timer.setSingleShot(True)
        self._keep_warm_timer.setInterval(round(keep_warm_after_s * 1000))
        self._keep_warm_timer.timeout.connect(self._keep_warm)
        if isinstance(sounds, QObject) and sounds.parent() is None:
            sounds.setParent(self)
        if sound_problem:
            self._lose_beeps(sound_problem)
        else:
            sounds.set_failure_handler(self._on_sound_failure)
        self._adopt_voice(voice, report_unavailable=start_voice is None)
        self._apply_backend_settings()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    # -- what the runner calls ------------------------------------------------------

    def cue(self, kind: str, text: str = "") -> None:
        """Sound and/or speak the cue now; see the table in the package docstring."""
        if self._closed:
            return
        if kind == "rest_start":
            self._resting = True
        elif kind in REST_ENDING_KINDS:
            self._resting = False
        if kind == "session_complete":
            self.end_session()
        if self._muted:
            return
        if kind in TICK_KINDS and self._resting and self._settings.quiet_rest:
            return
        self._play_and_speak(sound_for(kind), text if is_spoken(kind) else "")

    def lead_time_s(self, kind: str) -> float:
        """Call ``cue`` this much before the deadline: non-zero only for voice-only cues."""
        speaks = is_spoken(kind) and sound_for(kind) is None and self._voice_active()
        return self.speech_lead_s if speaks and not self._muted else 0.0

    def warm_up(self) -> None:
        """Start of a session: play the "get ready" tick and keep the output warm.

        Call it at least a second before the first timed cue (the lead-in's first tick
        can be this call): after silence the sound output starts late (~1 ms per silent
        second), and an audible play is what wakes it. Until ``end_session`` (or a
        ``session_complete`` cue), any silence longer than ``KEEP_WARM_AFTER_S`` is
        broken by a faint primer (34 dB under the cues) so that cues after long, quiet
        rests are on time too. A muted primer would not work (measured).
        """
        if self._closed:
            return
        self._resting = False
        self._in_session = True
        if not self._muted and self._beeps_active():
            self._sounds.play(WARM_UP_SOUND)
        self._keep_warm_timer.start()

    def end_session(self) -> None:
        self._in_session = False
        self._keep_warm_timer.stop()

    def announce_personal_best(self, text: str) -> None:
        if not self._closed and not self._muted:
            self._play_and_speak(PERSONAL_BEST_SOUND, text)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        if muted:
            self._cancel_speech()

    def is_muted(self) -> bool:
        return self._muted

    def preview(self, kind: str, text: str = "") -> None:
        """Play a cue for the settings' "Test sound": ignores mute and quiet rest."""
        if not self._closed:
            self._play_and_speak(sound_for(kind), text if is_spoken(kind) else "")

    # -- settings and state ---------------------------------------------------------

    @property
    def settings(self) -> AudioSettings:
        return self._settings

    def apply_settings(self, settings: AudioSettings) -> None:
        """Use new preferences at once (the settings widget persists them itself)."""
        self._settings = settings.normalised()
        if not self._settings.voice_enabled:
            self._cancel_speech()
        elif self._start_voice is not None and not self._closed:
            self._start_deferred_voice()
        self._apply_backend_settings()
        self.status_changed.emit()

    @property
    def voice_state(self) -> VoiceState:
        return self._voice.state

    @property
    def voice_can_start(self) -> bool:
        """Spoken cues were off at launch; turning them on starts the speech engine."""
        return self._start_voice is not None

    @property
    def voice_unavailable_reason(self) -> str:
        return self._voice.unavailable_reason

    def voice_names(self) -> list[str]:
        return self._voice.voice_names()

    @property
    def beeps_available(self) -> bool:
        return not self._sound_problem

    def sounds_ready(self) -> bool:
        """Every sound is decoded (start-up takes a few ms); False once beeps failed."""
        return not self._sound_problem and self._sounds.is_loaded()

    @property
    def status(self) -> AudioStatus:
        voice_ok = self._voice.state is not VoiceState.UNAVAILABLE
        problems = []
        if self._sound_problem:
            problems.append(self._sound_problem + VISUAL_ONLY_SUFFIX)
        if self._settings.voice_enabled and not voice_ok:
            problems.append(self._voice.unavailable_reason)
        return AudioStatus(
            health=Health.DEGRADED if problems else Health.OK,
            message=" ".join(problems),
            beeps_available=not self._sound_problem,
            voice_available=voice_ok,
        )

    def close(self) -> None:
        """Stop everything and end the speech helper; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._in_session = False
        self._speech_timer.stop()
        self._keep_warm_timer.stop()
        self._sounds.close()
        self._voice.close()

    # -- internals --------------------------------------------------------------

    def _beeps_active(self) -> bool:
        return self._settings.beeps_enabled and not self._sound_problem

    def _voice_active(self) -> bool:
        return self._settings.voice_enabled and self._voice.state is VoiceState.READY

    def _play_and_speak(self, sound: str | None, text: str) -> None:
        delay_s = 0.0
        if sound is not None and self._beeps_active():
            self._sounds.play(sound)
            delay_s = max(0.0, self._sounds.duration_s(sound) - self.speech_lead_s)
            if self._in_session:
                self._keep_warm_timer.start()  # silence is counted from this sound
        if not text or not self._voice_active():
            return
        if delay_s <= 0.0:
            self._speech_timer.stop()
            self._voice.say(text)
            return
        self._pending_speech = text  # a newer cue's words replace older, unspoken ones
        self._speech_timer.start(round(delay_s * 1000))

    def _keep_warm(self) -> None:
        if self._in_session and not self._closed:
            if self._beeps_active():
                self._sounds.prime()  # faint; harmless even while muted
            self._keep_warm_timer.start()

    def _speak_pending(self) -> None:
        text, self._pending_speech = self._pending_speech, ""
        if text and not self._muted and self._voice_active():
            self._voice.say(text)

    def _cancel_speech(self) -> None:
        self._speech_timer.stop()
        self._pending_speech = ""
        self._voice.stop()

    def _apply_backend_settings(self) -> None:
        self._sounds.set_volume(self._settings.volume)
        self._voice.configure(
            self._settings.voice_name, self._settings.voice_rate, self._settings.volume
        )

    def _on_sound_failure(self, message: str) -> None:
        self._lose_beeps(message)

    def _lose_beeps(self, message: str) -> None:
        if self._sound_problem and isinstance(self._sounds, NullSoundPlayer):
            return  # already silent; the first reason is the one worth telling
        broken, self._sounds = self._sounds, NullSoundPlayer()
        if broken is not self._sounds:
            with contextlib.suppress(Exception):  # it is already failing; do not fail twice
                broken.close()
        self._sound_problem = message
        self._queue_notices()

    def _start_deferred_voice(self) -> None:
        assert self._start_voice is not None
        start, self._start_voice = self._start_voice, None
        stand_in = self._voice
        self._voice_notice_sent = False
        self._adopt_voice(start(), report_unavailable=True)
        stand_in.close()
        self.status_changed.emit()

    def _adopt_voice(self, voice: Voice, *, report_unavailable: bool) -> None:
        """Own ``voice`` and hear from it; one that cannot speak is reported at once."""
        self._voice = voice
        if isinstance(voice, QObject) and voice.parent() is None:
            voice.setParent(self)
        voice.set_handlers(self._on_voice_ready, self._on_voice_failure)
        if report_unavailable and voice.state is VoiceState.UNAVAILABLE:
            self._on_voice_failure(voice.unavailable_reason)

    def _on_voice_ready(self) -> None:
        self._apply_backend_settings()
        self.voice_ready.emit()
        self.status_changed.emit()

    def _on_voice_failure(self, reason: str) -> None:
        self._pending_speech = ""
        self._queue_notices()

    def _queue_notices(self) -> None:
        if not self._pending_notices:
            self._pending_notices = True
            QMetaObject.invokeMethod(self, "_send_notices", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _send_notices(self) -> None:
        self._pending_notices = False
        if self._sound_problem and not self._fallback_sent:
            self._fallback_sent = True
            self.fallback_to_visual.emit(self._sound_problem + VISUAL_ONLY_SUFFIX)
        voice_lost = self._voice.state is VoiceState.UNAVAILABLE and self._start_voice is None
        if voice_lost and not self._voice_notice_sent:
            self._voice_notice_sent = True
            self.voice_unavailable.emit(self._voice.unavailable_reason)
        self.status_changed.emit()


def create_audio_cues(
    settings: QSettings,
    parent: QObject | None = None,
    *,
    sound_dir: Path | None = None,
    enable_voice: bool = True,
) -> AudioCues:
    """Build the facade on the real backends; whatever is missing degrades, never raises.

    Call once at start-up: the sounds are decoded and the speech engine is started
    (in its helper process) here, never on the cue path.
    """
    values = load_audio_settings(settings)
    sounds: SoundPlayer
    sound_problem = ""
    try:
        # Lazy on purpose: importing QtMultimedia itself is what may fail.
        from hipflex_desktop.audio.files import default_sound_dir
        from hipflex_desktop.audio.qt_sound import QtSoundPlayer

        sounds = QtSoundPlayer(sound_dir if sound_dir is not None else default_sound_dir())
    except ImportError as error:
        sounds = NullSoundPlayer()
        sound_problem = (
            f"Sound is off: Qt's multimedia module could not be loaded ({error}). "
            "On Linux it needs the libpulse0 package."
        )
    except Exception as error:  # sound must never stop the app from starting
        sounds = NullSoundPlayer()
        sound_problem = f"Sound is off: {error}"
    if enable_voice:
        return AudioCues(values, sounds, start_speech_voice(), sound_problem=sound_problem,
                         parent=parent)
    # Spoken cues off: no helper process unless the person turns them on.
    return AudioCues(values, sounds, NullVoice("Spoken cues are off."),
                     sound_problem=sound_problem, start_voice=start_speech_voice, parent=parent)


def start_speech_voice() -> Voice:
    """The real voice (its helper process starts now), or why there is none."""
    try:
        from hipflex_desktop.audio.voice import QtVoice

        return QtVoice()
    except ImportError as error:
        return NullVoice(f"Speech is unavailable ({error}). {VOICE_INSTALL_HINT}")
    except Exception as error:  # speech is optional
        return NullVoice(f"Speech is unavailable: {error}")
