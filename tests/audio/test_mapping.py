"""The cue-kind -> sound/voice table, without Qt."""

from __future__ import annotations

import re

import pytest

from hipflex_desktop import audio
from hipflex_desktop.audio import (
    CUE_SOUNDS,
    SOUND_NAMES,
    is_spoken,
    is_voice_only,
    sound_for,
)

# The session engine's cue kinds (its `kind` strings), as agreed for issue 5.
ENGINE_KINDS = (
    "lead_in_tick", "go", "halfway", "last_seconds_tick", "ten_seconds_left", "rest_start",
    "rest_end", "switch_sides", "hold_start", "hold_stop", "hold_target_reached",
    "set_complete", "exercise_change", "session_complete",
)


def test_every_engine_kind_has_an_entry() -> None:
    assert set(CUE_SOUNDS) == set(ENGINE_KINDS)


def test_every_mapped_sound_exists_and_every_sound_is_used() -> None:
    used = {sound for sound in CUE_SOUNDS.values() if sound is not None}
    assert used <= set(SOUND_NAMES)
    assert set(SOUND_NAMES) - used == set()


@pytest.mark.parametrize(
    ("kind", "sound"),
    [
        ("rest_start", "rest"),
        ("rest_end", "go"),
        ("hold_start", "go"),
        ("hold_target_reached", "target_reached"),
        ("last_seconds_tick", "last_seconds_tick"),
        ("ten_seconds_left", None),
        ("exercise_change", None),
        ("set_complete", None),
    ],
)
def test_selected_mappings(kind: str, sound: str | None) -> None:
    assert sound_for(kind) == sound


def test_voice_only_and_spoken_kinds() -> None:
    assert is_voice_only("ten_seconds_left")
    assert is_voice_only("exercise_change")
    assert is_spoken("rest_start")
    assert not is_voice_only("rest_start")
    assert is_spoken("switch_sides")
    assert is_spoken("halfway")
    assert is_spoken("hold_target_reached")
    assert not is_spoken("lead_in_tick")
    assert not is_spoken("go")


def test_unknown_kind_is_silent() -> None:
    assert sound_for("somersault") is None
    assert not is_spoken("somersault")


def test_docstring_table_matches_the_mapping() -> None:
    """The table in the package docstring is the documentation; it must not drift."""
    doc = audio.__doc__ or ""
    rows = {}
    for line in doc.splitlines():
        match = re.match(r"^([a-z_]+)\s{2,}(\S+)\s{2,}(.+)$", line)
        if match and match.group(1) in CUE_SOUNDS:
            sound = None if match.group(2) == "–" else match.group(2)
            spoken = match.group(3).startswith("yes")
            rows[match.group(1)] = (sound, spoken)
    expected = {kind: (CUE_SOUNDS[kind], is_spoken(kind)) for kind in CUE_SOUNDS}
    assert rows == expected
