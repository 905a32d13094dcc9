"""The onset helpers themselves, on synthetic recordings (no sound server needed)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from hipflex_desktop.resources import resource_path
from tests.audio.onsets import align_sound, find_onsets, match_onsets, read_mono, sound_seconds

RATE = 48_000


def _write(path: Path, samples: np.ndarray) -> Path:
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(pcm.tobytes())
    return path


def _recording(tmp_path: Path, placements: list[tuple[str, float]], length_s: float) -> Path:
    out = np.zeros(round(length_s * RATE))
    for name, at in placements:
        sound, _ = read_mono(resource_path("sounds", f"{name}.wav"))
        start = round(at * RATE)
        out[start : start + len(sound)] += sound
    return _write(tmp_path / "synthetic.wav", out)


def test_find_onsets_is_sample_accurate_and_merges_multi_note_cues(tmp_path: Path) -> None:
    placed = [("lead_in_tick", 0.5003), ("halfway", 1.2), ("hold_stop", 1.9), ("go", 2.6)]
    wav = _recording(tmp_path, placed, 3.5)
    onsets = find_onsets(wav)
    assert len(onsets) == 4  # halfway's second beep is part of the same cue
    for onset, (_, at) in zip(onsets, placed, strict=True):
        assert onset == pytest.approx(at, abs=0.0015)


def test_silence_has_no_onsets(tmp_path: Path) -> None:
    wav = _write(tmp_path / "silent.wav", np.zeros(RATE))
    assert find_onsets(wav) == []
    assert sound_seconds(wav) == 0.0


def test_match_fits_offset_and_drift_and_reports_gaps(tmp_path: Path) -> None:
    scheduled = [1000.0 + 0.5 * i for i in range(400)]  # 200 s of cues
    drift = 80e-6  # what a null sink showed against time.monotonic
    onsets = [s - 1000.0 + 3.25 + drift * (s - 1000.0) for s in scheduled]
    onsets[7] += 0.004  # one cue 4 ms late
    del onsets[20]  # one cue never heard
    onsets.append(50.0)  # a sound nobody scheduled
    match = match_onsets(sorted(onsets), scheduled)
    assert match.missing == [20]
    assert match.extra_onsets == [50.0]
    assert match.drift_ppm == pytest.approx(80, abs=1)
    assert match.offset_s == pytest.approx(3.25 - 1000.0, abs=1e-4)
    assert match.errors_s[7] == pytest.approx(0.004, abs=2e-4)
    assert match.max_abs_error_s == pytest.approx(0.004, abs=2e-4)
    assert match.in_order


def test_match_without_onsets_reports_everything_missing() -> None:
    match = match_onsets([], [1.0, 2.0])
    assert match.missing == [0, 1]
    assert "0/2 heard" in match.summary()


def test_align_sound_finds_the_cue_not_its_surroundings(tmp_path: Path) -> None:
    wav = _recording(tmp_path, [("go", 0.4), ("last_seconds_tick", 0.3918)], 1.0)
    at, score = align_sound(wav, resource_path("sounds", "last_seconds_tick.wav"), 0.40)
    assert at == pytest.approx(0.3918, abs=3 / RATE)
    assert score > 0.5


def test_sound_seconds_measures_a_window(tmp_path: Path) -> None:
    wav = _recording(tmp_path, [("rest", 0.2), ("lead_in_tick", 2.0)], 3.0)
    assert sound_seconds(wav, start_s=0.0, end_s=1.5) == pytest.approx(0.5, abs=0.06)
    assert sound_seconds(wav, start_s=1.5) == pytest.approx(0.08, abs=0.03)


def test_short_recordings_do_not_fit_drift_to_jitter() -> None:
    scheduled = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]
    onsets = [s + 0.2 + e for s, e in zip(scheduled, [0, 0, 0, 0, 0, 0.006], strict=True)]
    match = match_onsets(onsets, scheduled)
    assert match.drift_ppm == 0.0
    assert match.errors_s[-1] == pytest.approx(0.006)
