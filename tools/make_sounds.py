"""Generate Hipflex's cue sounds (resources/sounds/*.wav) from a few lines of maths.

Why generated: the sounds stay small, licence-free and reviewable, and anyone can
rebuild them byte for byte (``tests/audio/test_sounds.py`` checks that the committed
files match this script). Only the standard library is used so it runs anywhere.

Every cue is 48 kHz, 16-bit, mono, starts sounding at its first sample (so what the
ear hears lines up with when it was played), fades in and out to avoid clicks, ends
with 25 ms of digital silence (see ``TAIL_SILENCE_S``), and is loudness-matched (same
active RMS, peak at most -3 dBFS). Cues differ in pitch *and* rhythm so they can be
told apart without looking:

===================  ======================================================
lead_in_tick         short 880 Hz blip
last_seconds_tick    short, higher 1320 Hz blip
go                   rising two-tone (660 Hz then 990 Hz), longer
halfway              two quick 740 Hz tones
rest                 soft tone gliding down from 660 Hz to 440 Hz
switch_sides         alternating high/low pair, twice
hold_stop            low short 330 Hz tone
target_reached       bright rising major triad (C6 E6 G6)
session_complete     short fanfare (G5 C6 E6, then a held G6)
===================  ======================================================

Usage::

    python tools/make_sounds.py            # rewrite resources/sounds/
    python tools/make_sounds.py --out DIR  # write somewhere else
    python tools/make_sounds.py --check    # exit 1 if the committed files differ
"""

from __future__ import annotations

import argparse
import io
import math
import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

SAMPLE_RATE = 48_000
PEAK_DBFS = -3.0  # ceiling: leaves headroom for resampling in the sound server
TARGET_RMS_DBFS = -9.0  # equal loudness across cues (the ceiling wins if lower)
EDGE_FADE_IN_S = 0.005
EDGE_FADE_OUT_S = 0.008
# Digital silence after each sound. Qt's sound output holds back the last part of a
# sound (up to one ~20 ms period) and plays it just before the *next* sound, where it
# is heard as a short ghost of the previous cue; with this padding that part is silent.
TAIL_SILENCE_S = 0.025
FULL_SCALE = 32767

# Harmonic recipes: (harmonic number, relative amplitude). A pure sine sounds dull and
# is easy to miss on small laptop speakers; a little 2nd/3rd harmonic gives presence.
BRIGHT = ((1, 1.0), (2, 0.30), (3, 0.12))
PLAIN = ((1, 1.0), (2, 0.15))
SOFT = ((1, 1.0), (2, 0.06))


@dataclass(frozen=True)
class Note:
    """One tone placed on the cue's timeline."""

    start_s: float
    duration_s: float
    freq_hz: float
    end_freq_hz: float | None = None  # glide target; None = steady pitch
    gain: float = 1.0
    timbre: tuple[tuple[int, float], ...] = PLAIN
    attack_s: float = 0.005
    release_s: float = 0.010
    decay_per_s: float = 0.0  # exponential decay rate after the attack (0 = flat)


def _render_note(note: Note, out: list[float]) -> None:
    first = round(note.start_s * SAMPLE_RATE)
    count = round(note.duration_s * SAMPLE_RATE)
    attack = max(1, round(note.attack_s * SAMPLE_RATE))
    release = max(1, round(note.release_s * SAMPLE_RATE))
    end_freq = note.freq_hz if note.end_freq_hz is None else note.end_freq_hz
    norm = sum(abs(a) for _, a in note.timbre)
    phase = 0.0
    for i in range(count):
        progress = i / count
        freq = note.freq_hz * (end_freq / note.freq_hz) ** progress  # glide in log-frequency
        value = sum(a * math.sin(h * phase) for h, a in note.timbre) / norm
        phase += 2.0 * math.pi * freq / SAMPLE_RATE
        envelope = math.exp(-note.decay_per_s * i / SAMPLE_RATE)
        if i < attack:  # raised-cosine edges: no click at either end
            envelope *= 0.5 - 0.5 * math.cos(math.pi * i / attack)
        remaining = count - 1 - i
        if remaining < release:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * remaining / release)
        out[first + i] += note.gain * envelope * value


def render(notes: tuple[Note, ...]) -> list[float]:
    """Mix the notes, fade the edges and normalise the peak to ``PEAK_DBFS``."""
    length = max(round((n.start_s + n.duration_s) * SAMPLE_RATE) for n in notes)
    samples = [0.0] * length
    for note in notes:
        _render_note(note, samples)
    fade_in = round(EDGE_FADE_IN_S * SAMPLE_RATE)
    fade_out = round(EDGE_FADE_OUT_S * SAMPLE_RATE)
    for i in range(fade_in):
        samples[i] *= i / fade_in
    for i in range(fade_out):
        samples[length - 1 - i] *= i / fade_out
    # Loudness: bring every cue to the same active RMS, but never past the peak ceiling.
    peak = max(abs(s) for s in samples)
    scale = min(10 ** (TARGET_RMS_DBFS / 20) / active_rms(samples), 10 ** (PEAK_DBFS / 20) / peak)
    return [s * scale for s in samples] + [0.0] * round(TAIL_SILENCE_S * SAMPLE_RATE)


def active_rms(samples: list[float]) -> float:
    """RMS over the 10 ms frames within 20 dB of the loudest frame (gaps do not count).

    A cue's loudness is what it sounds like while it sounds, so the silent gap in a
    two-beep cue must not make it look quieter than a single long tone.
    """
    frame = SAMPLE_RATE // 100
    energies = [
        sum(s * s for s in samples[i : i + frame]) / len(samples[i : i + frame])
        for i in range(0, len(samples), frame)
    ]
    loudest = max(energies)
    active = [e for e in energies if e >= loudest / 100]
    return math.sqrt(sum(active) / len(active))


def to_wav_bytes(samples: list[float]) -> bytes:
    """16-bit mono PCM WAV; ``wave`` writes no timestamps, so output is deterministic."""
    pcm = array("h", (max(-FULL_SCALE, min(FULL_SCALE, round(s * FULL_SCALE))) for s in samples))
    if sys.byteorder != "little":
        pcm.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm.tobytes())
    return buffer.getvalue()


def _blip(freq_hz: float) -> tuple[Note, ...]:
    return (Note(0.0, 0.080, freq_hz, timbre=BRIGHT, attack_s=0.004, release_s=0.030,
                 decay_per_s=6.0),)


C6, E6, G6, G5 = 1046.50, 1318.51, 1567.98, 783.99

CUES: dict[str, tuple[Note, ...]] = {
    "lead_in_tick": _blip(880.0),
    "last_seconds_tick": _blip(1320.0),
    "go": (
        Note(0.000, 0.150, 660.0, timbre=BRIGHT, release_s=0.012),
        Note(0.150, 0.300, 990.0, timbre=BRIGHT, release_s=0.080, decay_per_s=2.0),
    ),
    "halfway": (
        Note(0.000, 0.090, 740.0, timbre=BRIGHT, release_s=0.025),
        Note(0.150, 0.090, 740.0, timbre=BRIGHT, release_s=0.025),
    ),
    "rest": (
        Note(0.0, 0.520, 660.0, end_freq_hz=440.0, timbre=SOFT, attack_s=0.008,
             release_s=0.180, decay_per_s=1.5),
    ),
    "switch_sides": (
        Note(0.000, 0.090, 880.0, timbre=BRIGHT, release_s=0.015),
        Note(0.100, 0.090, 587.33, timbre=BRIGHT, release_s=0.015),
        Note(0.200, 0.090, 880.0, timbre=BRIGHT, release_s=0.015),
        Note(0.300, 0.110, 587.33, timbre=BRIGHT, release_s=0.040),
    ),
    "hold_stop": (
        Note(0.0, 0.180, 330.0, timbre=BRIGHT, release_s=0.060, decay_per_s=4.0),
    ),
    "target_reached": (
        Note(0.000, 0.100, C6, timbre=BRIGHT, release_s=0.020),
        Note(0.090, 0.100, E6, timbre=BRIGHT, release_s=0.020),
        Note(0.180, 0.280, G6, timbre=BRIGHT, release_s=0.120, decay_per_s=3.0),
    ),
    "session_complete": (
        Note(0.000, 0.110, G5, timbre=BRIGHT, release_s=0.020),
        Note(0.120, 0.110, C6, timbre=BRIGHT, release_s=0.020),
        Note(0.240, 0.110, E6, timbre=BRIGHT, release_s=0.020),
        Note(0.360, 0.300, G6, timbre=BRIGHT, release_s=0.150, decay_per_s=2.0),
    ),
}


def build_all() -> dict[str, bytes]:
    """File name -> WAV bytes for every cue."""
    return {f"{name}.wav": to_wav_bytes(render(notes)) for name, notes in CUES.items()}


def default_out_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "resources" / "sounds"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=default_out_dir(), help="target directory")
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in --out instead of writing them")
    args = parser.parse_args(argv)
    out_dir: Path = args.out
    files = build_all()
    if args.check:
        stale = [name for name, data in files.items()
                 if not (out_dir / name).is_file() or (out_dir / name).read_bytes() != data]
        for name in stale:
            print(f"out of date: {out_dir / name}", file=sys.stderr)
        return 1 if stale else 0
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out_dir / name).write_bytes(data)
        print(f"wrote {out_dir / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
