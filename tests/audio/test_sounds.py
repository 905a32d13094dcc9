"""The bundled cue sounds: format, length, level, distinctness, reproducibility."""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from hipflex_desktop.audio import SOUND_NAMES
from hipflex_desktop.resources import resource_path

REPO = Path(__file__).resolve().parents[2]
GENERATOR = REPO / "tools" / "make_sounds.py"
TICKS = {"lead_in_tick", "last_seconds_tick"}


def _read(name: str) -> tuple[wave._wave_params, np.ndarray]:
    with wave.open(str(resource_path("sounds", f"{name}.wav")), "rb") as wav:
        params = wav.getparams()
        frames = wav.readframes(wav.getnframes())
    return params, np.frombuffer(frames, dtype="<i2").astype(np.float64)


def _dbfs(value: float) -> float:
    return 20 * np.log10(max(value, 1e-12) / 32768)


def _active_rms_dbfs(samples: np.ndarray) -> float:
    frame = 480
    frames = samples[: len(samples) // frame * frame].reshape(-1, frame)
    energy = np.mean(frames**2, axis=1)
    active = energy[energy >= energy.max() / 100]
    return _dbfs(float(np.sqrt(np.mean(active))))


@pytest.mark.parametrize("name", SOUND_NAMES)
def test_sound_format_length_and_level(name: str) -> None:
    params, samples = _read(name)
    assert (params.framerate, params.sampwidth, params.nchannels) == (48_000, 2, 1)
    assert params.comptype == "NONE"
    duration_ms = 1000 * params.nframes / params.framerate
    if name in TICKS:
        assert 60 <= duration_ms <= 120, duration_ms
    else:
        assert 60 <= duration_ms <= 700, duration_ms
    peak = _dbfs(float(np.max(np.abs(samples))))
    assert -6.0 <= peak <= -1.0, f"{name}: peak {peak:.2f} dBFS"
    assert np.max(np.abs(samples)) < 32767, "clipped"


@pytest.mark.parametrize("name", SOUND_NAMES)
def test_sound_starts_at_once_and_has_click_free_edges(name: str) -> None:
    _, samples = _read(name)
    peak = np.max(np.abs(samples))
    sounding = np.flatnonzero(samples)
    last = int(sounding[-1])
    # Click-free: the first and last 2 ms of sound are a fade, far below the peak...
    edge = 96
    assert np.max(np.abs(samples[:edge])) < 0.25 * peak
    assert np.max(np.abs(samples[last - edge : last + 1])) < 0.25 * peak
    assert abs(samples[0]) < 0.01 * peak
    # ...but the sound is audible within 10 ms, so it is heard when it is played.
    assert np.max(np.abs(samples[:480])) > 0.1 * peak
    # At least 20 ms of digital silence at the end: Qt plays the last part of a sound
    # just before the next one, where anything but silence is heard as a ghost.
    assert len(samples) - 1 - last >= 960


def test_sounds_are_loudness_matched() -> None:
    levels = {name: _active_rms_dbfs(_read(name)[1]) for name in SOUND_NAMES}
    spread = max(levels.values()) - min(levels.values())
    assert spread <= 2.0, levels


def _dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples)), n=1 << 16))
    return float(np.argmax(spectrum) * 48_000 / (1 << 16))


def test_ticks_differ_by_pitch() -> None:
    lead_in = _dominant_hz(_read("lead_in_tick")[1])
    last_seconds = _dominant_hz(_read("last_seconds_tick")[1])
    assert lead_in == pytest.approx(880, abs=10)
    assert last_seconds == pytest.approx(1320, abs=10)


def test_sounds_differ_from_each_other() -> None:
    """No two cues may be the same sound: compare length and pitch content."""
    fingerprints = {}
    for name in SOUND_NAMES:
        params, samples = _read(name)
        fingerprints[name] = (round(params.nframes / 480), round(_dominant_hz(samples) / 20))
    assert len(set(fingerprints.values())) == len(SOUND_NAMES), fingerprints


def test_only_known_sounds_are_bundled() -> None:
    bundled = {p.stem for p in resource_path("sounds").glob("*.wav")}
    assert bundled == set(SOUND_NAMES)


def test_generator_reproduces_committed_files_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        check=True, capture_output=True, timeout=120,
    )
    for name in SOUND_NAMES:
        generated = (tmp_path / f"{name}.wav").read_bytes()
        committed = resource_path("sounds", f"{name}.wav").read_bytes()
        assert generated == committed, f"{name}.wav differs; run tools/make_sounds.py"


def test_generator_check_mode_flags_a_changed_file(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path)],
                   check=True, capture_output=True, timeout=120)
    ok = subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path), "--check"],
                        capture_output=True, timeout=120, check=False)
    assert ok.returncode == 0
    (tmp_path / "go.wav").write_bytes(b"RIFF")
    stale = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path), "--check"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert stale.returncode == 1
    assert "go.wav" in stale.stderr
