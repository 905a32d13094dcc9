"""The audio facade with recording backends: mapping, settings, mute, quiet rest, failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from hipflex_desktop.audio import SPEECH_LEAD_S, Health, VoiceState
from hipflex_desktop.audio.cues import PREVIEW_CUES, AudioCues
from hipflex_desktop.audio.null import NullSoundPlayer
from hipflex_desktop.audio.recording import (
    RecordingCuePlayer,
    RecordingSoundPlayer,
    RecordingVoice,
)
from hipflex_desktop.audio.settings import AudioSettings

LEAD = 0.03  # a non-zero speech lead, so tests can tell "lead" from "no lead"

# Short sounds keep the "speech after the beep" waits to a few tens of ms.
DURATIONS = {"rest": 0.12, "go": 0.08, "switch_sides": 0.10, "halfway": 0.08,
             "target_reached": 0.10, "lead_in_tick": 0.08}


@pytest.fixture
def sounds() -> RecordingSoundPlayer:
    return RecordingSoundPlayer(DURATIONS)


@pytest.fixture
def voice() -> RecordingVoice:
    return RecordingVoice()


@pytest.fixture
def make_audio(
    qtbot: QtBot, sounds: RecordingSoundPlayer, voice: RecordingVoice
) -> Iterator[type[AudioCues]]:
    made: list[AudioCues] = []

    def build(settings: AudioSettings | None = None, **kwargs: object) -> AudioCues:
        values = settings if settings is not None else AudioSettings()
        audio = AudioCues(values, sounds, voice, **kwargs)  # type: ignore[arg-type]
        made.append(audio)
        return audio

    yield build  # type: ignore[misc]
    for audio in made:
        audio.close()


def test_beeps_follow_the_table(make_audio, sounds: RecordingSoundPlayer) -> None:
    audio = make_audio()
    for kind in ("lead_in_tick", "go", "rest_end", "hold_start", "hold_stop",
                 "last_seconds_tick", "session_complete", "set_complete", "ten_seconds_left"):
        audio.cue(kind, "")
    assert sounds.played == ["lead_in_tick", "go", "go", "go", "hold_stop",
                             "last_seconds_tick", "session_complete"]


def test_voice_only_cue_is_spoken_at_once(make_audio, voice: RecordingVoice) -> None:
    audio = make_audio()
    audio.cue("ten_seconds_left", "10 seconds left")
    audio.cue("exercise_change", "Hanging Leg Raise")
    assert voice.said == ["10 seconds left", "Hanging Leg Raise"]


def test_words_follow_the_end_of_the_beep(
    qtbot: QtBot, make_audio, sounds: RecordingSoundPlayer, voice: RecordingVoice
) -> None:
    audio = make_audio()
    audio.speech_lead_s = LEAD  # words start this much before the beep's end
    audio.cue("rest_start", "Rest, 60 seconds")
    assert sounds.played == ["rest"]
    assert voice.said == []  # not on top of the beep
    qtbot.waitUntil(lambda: voice.said == ["Rest, 60 seconds"], timeout=2000)
    gap = voice.calls[-1].at - sounds.calls[-1].at
    assert gap >= DURATIONS["rest"] - LEAD - 0.002


def test_text_of_unspoken_kinds_is_not_said(qtbot: QtBot, make_audio, voice) -> None:
    audio = make_audio()
    audio.cue("go", "Go")
    audio.cue("lead_in_tick", "3")
    qtbot.wait(DURATIONS["go"] * 1000 + 30)
    assert voice.said == []


def test_lead_time_only_for_voice_only_cues(make_audio, voice: RecordingVoice) -> None:
    audio = make_audio()
    assert audio.lead_time_s("ten_seconds_left") == SPEECH_LEAD_S  # the measured default
    audio.speech_lead_s = LEAD
    assert audio.lead_time_s("ten_seconds_left") == LEAD
    assert audio.lead_time_s("exercise_change") == LEAD
    assert audio.lead_time_s("go") == 0.0
    assert audio.lead_time_s("rest_start") == 0.0
    audio.set_muted(True)
    assert audio.lead_time_s("ten_seconds_left") == 0.0
    audio.set_muted(False)
    audio.apply_settings(AudioSettings(voice_enabled=False))
    assert audio.lead_time_s("ten_seconds_left") == 0.0


def test_beeps_off_keeps_the_voice(make_audio, sounds, voice) -> None:
    audio = make_audio(AudioSettings(beeps_enabled=False))
    audio.cue("switch_sides", "Switch sides")
    audio.warm_up()
    assert sounds.played == []
    assert voice.said == ["Switch sides"]  # no beep to wait for


def test_voice_off_keeps_the_beeps(qtbot: QtBot, make_audio, sounds, voice) -> None:
    audio = make_audio(AudioSettings(voice_enabled=False))
    audio.cue("switch_sides", "Switch sides")
    audio.cue("ten_seconds_left", "10 seconds left")
    qtbot.wait(150)
    assert sounds.played == ["switch_sides"]
    assert voice.said == []


def test_quiet_rest_silences_ticks_only_while_resting(make_audio, sounds) -> None:
    audio = make_audio(AudioSettings(quiet_rest=True, voice_enabled=False))
    audio.cue("last_seconds_tick")
    audio.cue("rest_start", "Rest, 60 seconds")
    audio.cue("last_seconds_tick")
    audio.cue("lead_in_tick")
    audio.cue("rest_end")
    audio.cue("last_seconds_tick")
    assert sounds.played == ["last_seconds_tick", "rest", "go", "last_seconds_tick"]


def test_rest_ticks_play_when_quiet_rest_is_off(make_audio, sounds) -> None:
    audio = make_audio(AudioSettings(quiet_rest=False, voice_enabled=False))
    audio.cue("rest_start")
    audio.cue("last_seconds_tick")
    assert sounds.played == ["rest", "last_seconds_tick"]


def test_mute_silences_everything_and_cancels_pending_words(
    qtbot: QtBot, make_audio, sounds, voice
) -> None:
    audio = make_audio()
    audio.cue("rest_start", "Rest, 60 seconds")  # words pending after the beep
    audio.set_muted(True)
    assert audio.is_muted()
    audio.cue("go")
    audio.cue("ten_seconds_left", "10 seconds left")
    audio.warm_up()
    qtbot.wait(200)
    assert sounds.played == ["rest"]
    assert voice.said == []
    assert ("stop",) in [(c.method,) for c in voice.calls]
    audio.set_muted(False)
    audio.cue("go")
    assert sounds.played == ["rest", "go"]


def test_warm_up_plays_the_get_ready_tick(make_audio, sounds) -> None:
    audio = make_audio()
    audio.warm_up()
    assert sounds.played == ["lead_in_tick"]


def test_keep_warm_primes_after_silence_during_a_session(
    qtbot: QtBot, sounds: RecordingSoundPlayer, voice: RecordingVoice
) -> None:
    audio = AudioCues(AudioSettings(), sounds, voice, keep_warm_after_s=0.05)  # type: ignore[arg-type]
    try:
        audio.cue("go")
        qtbot.wait(120)
        assert sounds.args_of("prime") == []  # not in a session: nothing to keep warm
        audio.warm_up()
        qtbot.waitUntil(lambda: len(sounds.args_of("prime")) >= 2, timeout=2000)
        silence = sounds.calls[-1].at - sounds.calls[-2].at
        assert silence >= 0.045  # a prime only after a full silent interval
        audio.set_muted(True)
        primes = len(sounds.args_of("prime"))
        qtbot.waitUntil(lambda: len(sounds.args_of("prime")) > primes, timeout=2000)  # muted too
        audio.cue("session_complete")
        primes = len(sounds.args_of("prime"))
        qtbot.wait(150)
        assert len(sounds.args_of("prime")) == primes  # the session is over
    finally:
        audio.close()


def test_cues_postpone_the_primer(
    qtbot: QtBot, sounds: RecordingSoundPlayer, voice: RecordingVoice
) -> None:
    audio = AudioCues(AudioSettings(), sounds, voice, keep_warm_after_s=0.2)  # type: ignore[arg-type]
    try:
        audio.warm_up()
        for _ in range(5):
            qtbot.wait(60)
            audio.cue("lead_in_tick")
        assert sounds.args_of("prime") == []  # never 0.2 s without a sound
        audio.end_session()
        qtbot.wait(300)
        assert sounds.args_of("prime") == []
    finally:
        audio.close()


def test_personal_best_is_announced(qtbot: QtBot, make_audio, sounds, voice) -> None:
    audio = make_audio()
    audio.announce_personal_best("New personal best: 45 seconds")
    assert sounds.played == ["target_reached"]
    qtbot.waitUntil(lambda: voice.said == ["New personal best: 45 seconds"], timeout=2000)


def test_unknown_kind_does_nothing(make_audio, sounds, voice) -> None:
    audio = make_audio()
    audio.cue("backflip", "Backflip")
    assert sounds.played == []
    assert voice.said == []


def test_settings_reach_the_backends(make_audio, sounds, voice) -> None:
    audio = make_audio(AudioSettings(volume=0.6, voice_name="English (America)", voice_rate=0.3))
    assert sounds.volume == 0.6
    assert voice.configured == ("English (America)", 0.3, 0.6)
    audio.apply_settings(AudioSettings(volume=0.25, voice_rate=-2.0))
    assert sounds.volume == 0.25
    assert voice.configured == ("", -1.0, 0.25)  # rate clamped
    assert audio.settings.voice_rate == -1.0


def test_preview_ignores_mute_and_quiet_rest(make_audio, sounds) -> None:
    audio = make_audio(AudioSettings(quiet_rest=True, voice_enabled=False))
    audio.cue("rest_start")
    audio.set_muted(True)
    audio.preview("last_seconds_tick")
    assert sounds.played == ["rest", "last_seconds_tick"]


def test_preview_list_covers_every_sound() -> None:
    from hipflex_desktop.audio import SOUND_NAMES, sound_for

    assert {sound_for(kind) for kind, _ in PREVIEW_CUES} - {None} == set(SOUND_NAMES)


def test_close_stops_everything(qtbot: QtBot, make_audio, sounds, voice) -> None:
    audio = make_audio()
    audio.cue("rest_start", "Rest, 60 seconds")
    audio.close()
    audio.close()  # twice is fine
    audio.cue("go")
    qtbot.wait(150)
    assert sounds.played == ["rest"]
    assert voice.said == []
    assert sounds.closed
    assert voice.closed


# -- failures -------------------------------------------------------------------


def test_sound_failure_falls_back_once_and_keeps_the_voice(
    qtbot: QtBot, make_audio, sounds: RecordingSoundPlayer, voice
) -> None:
    audio = make_audio()
    audio.speech_lead_s = LEAD
    with qtbot.waitSignal(audio.fallback_to_visual, timeout=1000) as blocker:
        sounds.fail("The sound output device went away.")
    assert "device went away" in blocker.args[0]
    assert "on screen" in blocker.args[0]
    emitted: list[str] = []
    audio.fallback_to_visual.connect(emitted.append)
    sounds.fail("again")  # a second failure must not notify twice
    audio.cue("go")
    audio.cue("switch_sides", "Switch sides")
    qtbot.wait(50)
    assert emitted == []
    assert sounds.played == []  # the broken backend is never called again
    assert voice.said == ["Switch sides"]  # and the words come at once
    status = audio.status
    assert status.health is Health.DEGRADED
    assert not status.beeps_available
    assert "device went away" in status.message
    assert audio.lead_time_s("ten_seconds_left") == LEAD  # the voice still needs it


def test_problem_known_at_construction_still_reaches_late_listeners(
    qtbot: QtBot, voice: RecordingVoice
) -> None:
    audio = AudioCues(AudioSettings(), NullSoundPlayer(), voice,  # type: ignore[arg-type]
                      sound_problem="Qt's multimedia module could not be loaded.")
    try:
        with qtbot.waitSignal(audio.fallback_to_visual, timeout=1000) as blocker:
            pass  # connected after construction; the notice is queued, not lost
        assert "multimedia" in blocker.args[0]
        audio.cue("go")
        audio.cue("ten_seconds_left", "10 seconds left")
        assert voice.said == ["10 seconds left"]
        assert not audio.status.ok
        assert not audio.beeps_available
    finally:
        audio.close()


def test_voice_failure_notifies_once_and_keeps_beeps(
    qtbot: QtBot, make_audio, sounds, voice: RecordingVoice
) -> None:
    audio = make_audio()
    with qtbot.waitSignal(audio.voice_unavailable, timeout=1000) as blocker:
        voice.fail("Speech stopped working: engine error.")
    assert blocker.args == ["Speech stopped working: engine error."]
    emitted: list[str] = []
    audio.voice_unavailable.connect(emitted.append)
    voice.fail("again")
    audio.cue("switch_sides", "Switch sides")
    qtbot.wait(50)
    assert emitted == []
    assert sounds.played == ["switch_sides"]
    assert voice.said == []
    assert audio.status.health is Health.DEGRADED
    assert audio.status.beeps_available
    audio.apply_settings(AudioSettings(voice_enabled=False))
    assert audio.status.ok  # the user does not want speech: nothing is missing


def test_voice_starting_then_ready(qtbot: QtBot, sounds) -> None:
    voice = RecordingVoice(state=VoiceState.STARTING)
    audio = AudioCues(AudioSettings(), sounds, voice)  # type: ignore[arg-type]
    audio.speech_lead_s = LEAD
    try:
        audio.cue("ten_seconds_left", "10 seconds left")  # dropped: would be late
        assert voice.said == []
        assert audio.lead_time_s("ten_seconds_left") == 0.0
        with qtbot.waitSignal(audio.voice_ready, timeout=1000):
            voice.become_ready()
        assert voice.configured is not None
        assert audio.lead_time_s("ten_seconds_left") == LEAD
        audio.cue("ten_seconds_left", "10 seconds left")
        assert voice.said == ["10 seconds left"]
    finally:
        audio.close()


def test_recording_cue_player_records_for_runner_tests() -> None:
    ticks = iter([1.0, 2.0, 3.0])
    player = RecordingCuePlayer(clock=lambda: next(ticks))
    player.warm_up()
    player.cue("go", "Go")
    player.set_muted(True)
    player.speech_lead_s = LEAD
    assert player.cues == [("go", "Go")]
    assert [c.at for c in player.calls] == [1.0, 2.0, 3.0]
    assert player.is_muted()
    assert player.lead_time_s("ten_seconds_left") == LEAD
    assert player.lead_time_s("go") == 0.0
