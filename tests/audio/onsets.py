"""Hear what the app played: record the PulseAudio sink and find when each beep starts.

Reusable by the end-to-end tests::

    with record_sink(tmp_path / "heard.wav") as wav:
        run_the_app_that_plays_cues()
    onsets = find_onsets(wav)
    match = match_onsets(onsets, scheduled_monotonic_times)
    assert not match.missing and match.max_abs_error_s < 0.010

The recording's clock and ``time.monotonic`` share no origin, so ``match_onsets``
fits the constant offset between them (output latency + recorder start) and reports
each cue's error around it; intervals between cues are what it really checks.

The tests play into a PulseAudio server of their own (``private_pulse_server``): on a
shared machine other programs may play into the user's server, and their sounds would
be counted as cues. Clients are pointed at it through ``PULSE_SERVER``, which also
works when ``HOME`` is a temporary directory (as in the test suite), where a client
could not find a per-user server by itself. Qt ignores ``PULSE_SINK`` and always
plays to the server's default sink, hence a whole server rather than an extra sink.
"""

from __future__ import annotations

import bisect
import itertools
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HOW_TO_START_PULSEAUDIO = """\
The real-audio tests start a private PulseAudio server (a null sink as default sink),
which needs the `pulseaudio` and `pulseaudio-utils` packages (`./run test` installs
them, CI does the same). To check a shared server by hand, start one with:

  pulseaudio --daemonize=yes --exit-idle-time=-1 -n \\
    --load=module-native-protocol-unix \\
    --load="module-null-sink sink_name=hipflex_null rate=48000" \\
    --load=module-always-sink
  pactl set-default-sink hipflex_null

(Debian/Ubuntu packages: pulseaudio pulseaudio-utils.)"""

NULL_SINK = "hipflex_null"
DATA_FLOW_TIMEOUT_S = 10.0
WAV_HEADER_BYTES = 44


class PulseUnavailableError(RuntimeError):
    """No usable PulseAudio server; the message says how to start one."""


def pulse_server() -> str:
    """The running server's address (``Server String`` of ``pactl info``), or raise."""
    if shutil.which("pactl") is None or shutil.which("parecord") is None:
        raise PulseUnavailableError(
            "pactl/parecord not found (package pulseaudio-utils).\n" + HOW_TO_START_PULSEAUDIO
        )
    result = subprocess.run(
        ["pactl", "info"], capture_output=True, text=True, timeout=10, check=False
    )
    if result.returncode != 0:
        raise PulseUnavailableError(
            f"`pactl info` failed: {result.stderr.strip()}\n" + HOW_TO_START_PULSEAUDIO
        )
    for line in result.stdout.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Server String":
            return value.strip()
    raise PulseUnavailableError("`pactl info` printed no server address.")


@contextmanager
def private_pulse_server(*, start_timeout_s: float = 10.0) -> Iterator[dict[str, str]]:
    """Run a PulseAudio daemon of our own with ``hipflex_null`` as the default sink.

    Yields an environment (a copy of ``os.environ`` plus ``PULSE_SERVER``) for clients;
    the daemon is stopped on exit. Raises :class:`PulseUnavailableError` with advice
    when it cannot start.
    """
    for tool in ("pulseaudio", "pactl", "parecord"):
        if shutil.which(tool) is None:
            raise PulseUnavailableError(f"`{tool}` not found.\n" + HOW_TO_START_PULSEAUDIO)
    # Unix socket paths are limited to ~100 bytes: keep the directory short.
    root = Path(tempfile.mkdtemp(prefix="hipflex-pulse-"))
    socket = root / "native"
    daemon_env = dict(os.environ)
    daemon_env.pop("PULSE_SERVER", None)
    daemon_env.update({
        "HOME": str(root), "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_RUNTIME_DIR": str(root), "PULSE_RUNTIME_PATH": str(root / "runtime"),
        "PULSE_STATE_PATH": str(root / "state"),
    })
    command = [
        "pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "--system=false",
        "--disallow-exit", "--use-pid-file=no", "--disable-shm=no", "-n",
        "--log-target=stderr", "--log-level=error",
        f"--load=module-native-protocol-unix auth-anonymous=1 socket={socket}",
        f"--load=module-null-sink sink_name={NULL_SINK} rate=48000",
        "--load=module-always-sink",
    ]
    log_path = root / "pulseaudio.log"
    with log_path.open("wb") as log:
        daemon = subprocess.Popen(command, env=daemon_env, stdout=log, stderr=log)
    client_env = pulse_env(f"unix:{socket}")
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            info = subprocess.run(["pactl", "info"], env=client_env, capture_output=True,
                                  text=True, timeout=10, check=False)
            if info.returncode == 0:
                break
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise PulseUnavailableError(
                    "Could not start a private PulseAudio server: "
                    f"{log_path.read_text(errors='replace').strip() or info.stderr.strip()}\n"
                    + HOW_TO_START_PULSEAUDIO
                )
            time.sleep(0.05)
        subprocess.run(["pactl", "set-default-sink", NULL_SINK], env=client_env,
                       capture_output=True, timeout=10, check=True)
        yield client_env
    finally:
        if daemon.poll() is None:
            daemon.terminate()
            try:
                daemon.wait(timeout=5)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        shutil.rmtree(root, ignore_errors=True)


def pulse_env(server: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment in which PulseAudio clients (Qt, parecord, speechd) reach ``server``."""
    env = dict(os.environ if base is None else base)
    address = server if ":" in server else f"unix:{server}"
    env["PULSE_SERVER"] = address
    return env


def default_sink(env: dict[str, str]) -> str:
    result = subprocess.run(
        ["pactl", "get-default-sink"], capture_output=True, text=True, env=env,
        timeout=10, check=False,
    )
    return result.stdout.strip()


@contextmanager
def record_sink(
    path: Path,
    *,
    device: str = "@DEFAULT_MONITOR@",
    env: dict[str, str] | None = None,
    tail_s: float = 0.4,
) -> Iterator[Path]:
    """Record the default sink's monitor to a 48 kHz mono WAV while the block runs.

    Yields only once samples are flowing (an idle null sink starts delivering 0.5-2 s
    late), so everything played inside the block is captured. On exit it records
    ``tail_s`` more (output latency) and stops parecord with SIGINT so the WAV header
    is finalised.
    """
    if env is None:
        env = pulse_env(pulse_server())
    path.unlink(missing_ok=True)
    command = [
        "parecord", f"--device={device}", "--latency-msec=10", "--format=s16le",
        "--rate=48000", "--channels=1", "--file-format=wav", str(path),
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + DATA_FLOW_TIMEOUT_S
        # 20 ms of audio past the header: the stream is really running.
        while not (path.exists() and path.stat().st_size > WAV_HEADER_BYTES + 1920):
            if process.poll() is not None:
                raise RuntimeError(f"parecord exited: {_stderr(process)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"no audio data from {device} after {DATA_FLOW_TIMEOUT_S} s")
            time.sleep(0.02)
        yield path
        time.sleep(tail_s)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _stderr(process: subprocess.Popen[bytes]) -> str:
    return process.stderr.read().decode(errors="replace").strip() if process.stderr else ""


def read_mono(wav_path: Path) -> tuple[np.ndarray, int]:
    """Samples as float in -1..1 (channels averaged) and the sample rate."""
    with wave.open(str(wav_path), "rb") as wav:
        rate = wav.getframerate()
        channels = wav.getnchannels()
        if wav.getsampwidth() != 2:
            raise ValueError(f"{wav_path}: expected 16-bit samples")
        frames = wav.readframes(wav.getnframes())
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    return samples, rate


def find_onsets(
    wav_path: Path,
    *,
    threshold_dbfs: float = -45.0,
    refractory_s: float = 0.25,
    frame_s: float = 0.001,
) -> list[float]:
    """Seconds from the start of the recording at which each sound begins.

    A 1 ms RMS envelope must cross ``threshold_dbfs`` from below; the onset is then
    refined to the first sample above the threshold in that frame. Crossings within
    ``refractory_s`` of the previous onset belong to the same cue (the two beeps of
    "halfway", the notes of a fanfare).
    """
    samples, rate = read_mono(wav_path)
    frame = max(1, round(frame_s * rate))
    count = len(samples) // frame
    if count == 0:
        return []
    envelope = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    threshold = 10 ** (threshold_dbfs / 20)
    above = envelope >= threshold
    rising = np.flatnonzero(above & ~np.concatenate(([False], above[:-1])))
    onsets: list[float] = []
    for index in (int(i) for i in rising):
        start = max(0, (index - 1) * frame)
        loud = np.flatnonzero(np.abs(samples[start : (index + 1) * frame]) >= threshold)
        first = start + int(loud[0]) if loud.size else index * frame
        at = float(first / rate)
        if onsets and at - onsets[-1] < refractory_s:
            continue
        onsets.append(at)
    return onsets


def align_sound(
    wav_path: Path, sound_path: Path, near_s: float, *, search_s: float = 0.05
) -> tuple[float, float]:
    """Where ``sound_path``'s waveform starts in the recording, searching around ``near_s``.

    Normalised cross-correlation with the sound's first 60 ms; returns (onset seconds,
    correlation 0..1). It finds the sound itself, not whatever else sounds around it,
    so it checks the energy detector (e.g. against ghosts of a previous sound).
    """
    samples, rate = read_mono(wav_path)
    template, template_rate = read_mono(sound_path)
    if template_rate != rate:
        raise ValueError("recording and sound must have the same sample rate")
    template = template[: round(0.06 * rate)]
    start = max(0, round((near_s - search_s) * rate))
    segment = samples[start : round((near_s + search_s) * rate) + len(template)]
    if len(segment) < len(template):
        return near_s, 0.0
    correlation = np.correlate(segment, template, mode="valid")
    energy = np.convolve(segment**2, np.ones(len(template)), mode="valid")
    score = correlation / (np.sqrt(energy * float(np.sum(template**2))) + 1e-12)
    best = int(np.argmax(score))
    return (start + best) / rate, float(score[best])


def sound_seconds(
    wav_path: Path,
    *,
    start_s: float = 0.0,
    end_s: float | None = None,
    threshold_dbfs: float = -45.0,
) -> float:
    """Time between ``start_s`` and ``end_s`` that is above the threshold (10 ms frames).

    E.g. how long a spoken phrase lasted, or that a stretch is silent.
    """
    samples, rate = read_mono(wav_path)
    samples = samples[round(start_s * rate) : None if end_s is None else round(end_s * rate)]
    frame = round(0.01 * rate)
    count = len(samples) // frame
    if count == 0:
        return 0.0
    envelope = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    return float(np.count_nonzero(envelope >= 10 ** (threshold_dbfs / 20)) * 0.01)


@dataclass(frozen=True)
class OnsetMatch:
    """Heard onsets paired with scheduled cue times (both in seconds, own clocks)."""

    offset_s: float  # onset ≈ scheduled + offset (latency + clock origin difference)
    errors_s: list[float | None]  # per scheduled cue; None = not heard
    extra_onsets: list[float] = field(default_factory=list)  # heard but not scheduled
    paired_onsets: list[float | None] = field(default_factory=list)  # per scheduled cue
    drift_ppm: float = 0.0  # recording clock vs monotonic clock (fitted)

    @property
    def in_order(self) -> bool:
        heard = [onset for onset in self.paired_onsets if onset is not None]
        return all(a < b for a, b in itertools.pairwise(heard))

    @property
    def missing(self) -> list[int]:
        return [i for i, error in enumerate(self.errors_s) if error is None]

    @property
    def matched_errors(self) -> list[float]:
        return [error for error in self.errors_s if error is not None]

    @property
    def interval_errors_s(self) -> list[float]:
        """Heard minus scheduled gap for each pair of consecutive cues that were both heard."""
        pairs = zip(self.errors_s, self.errors_s[1:], strict=False)
        return [b - a for a, b in pairs if a is not None and b is not None]

    @property
    def max_abs_error_s(self) -> float:
        return max((abs(e) for e in self.matched_errors), default=0.0)

    @property
    def median_abs_error_s(self) -> float:
        errors = [abs(e) for e in self.matched_errors]
        return statistics.median(errors) if errors else 0.0

    @property
    def p95_abs_error_s(self) -> float:
        errors = sorted(abs(e) for e in self.matched_errors)
        if not errors:
            return 0.0
        return errors[min(len(errors) - 1, round(0.95 * (len(errors) - 1)))]

    def summary(self) -> str:
        return (
            f"{len(self.matched_errors)}/{len(self.errors_s)} heard, onset error "
            f"max {self.max_abs_error_s * 1000:.2f} ms, median {self.median_abs_error_s * 1000:.2f}"
            f" ms, p95 {self.p95_abs_error_s * 1000:.2f} ms, max interval error "
            f"{max((abs(e) for e in self.interval_errors_s), default=0.0) * 1000:.2f} ms, "
            f"clock drift {self.drift_ppm:.0f} ppm"
        )


def _pair(
    onsets: list[float], scheduled: list[float], line: tuple[float, float, float], tolerance: float
) -> list[int | None]:
    """Index of the onset heard for each scheduled cue (nearest, used at most once)."""
    order = sorted(range(len(onsets)), key=onsets.__getitem__)
    times = [onsets[i] for i in order]
    used: set[int] = set()
    pairing: list[int | None] = []
    offset, drift, origin = line
    for when in scheduled:
        expected = when + offset + drift * (when - origin)
        lo = bisect.bisect_left(times, expected - tolerance)
        hi = bisect.bisect_right(times, expected + tolerance)
        candidates = [order[k] for k in range(lo, hi) if order[k] not in used]
        best = min(candidates, key=lambda i: abs(onsets[i] - expected), default=None)
        if best is not None:
            used.add(best)
        pairing.append(best)
    return pairing


def _densest_offset(onsets: list[float], scheduled: list[float], tolerance: float) -> float:
    """The onset-minus-schedule difference shared by the most pairs (a first guess)."""
    differences = sorted(o - s for o in onsets for s in scheduled)
    best_count, best_start, end = 0, 0, 0
    for start in range(len(differences)):
        while end < len(differences) and differences[end] - differences[start] <= 2 * tolerance:
            end += 1
        if end - start > best_count:
            best_count, best_start = end - start, start
    return statistics.median(differences[best_start : best_start + best_count])


def _fit_line(
    pairs: list[tuple[float, float]], origin: float, min_span_s: float
) -> tuple[float, float]:
    """Least-squares (offset at ``origin``, drift) of onset - scheduled against time.

    Over a short span, ms of jitter would pass for hundreds of ppm of drift and hide
    real errors, so below ``min_span_s`` only the median offset is used.
    """
    xs = [s - origin for _, s in pairs]
    ys = [o - s for o, s in pairs]
    if len(pairs) < 3 or max(xs) - min(xs) < min_span_s:
        return statistics.median(ys), 0.0
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return mean_y - slope * mean_x, slope


def match_onsets(
    onsets: list[float],
    scheduled: list[float],
    *,
    tolerance_s: float = 0.05,
    fit_drift_after_s: float = 30.0,
) -> OnsetMatch:
    """Pair onsets with scheduled times, fitting how the two clocks relate.

    The recording's clock (the sound server's) and ``time.monotonic`` differ by a
    constant offset (latency + origins) and drift slowly apart (~80 ppm measured on
    a null sink: 10 ms over two minutes). A first offset comes from the onset/schedule
    difference most pairs share; then offset and drift are fitted to the pairs twice
    (drift only when the cues span at least ``fit_drift_after_s``).
    Errors are each cue's distance from that line; ``drift_ppm`` is reported so a test
    can bound it (a real timing bug, such as counting ticks, drifts far more).
    """
    if not onsets or not scheduled:
        return OnsetMatch(0.0, [None] * len(scheduled), list(onsets), [None] * len(scheduled))
    origin = min(scheduled)
    offset, drift = _densest_offset(onsets, scheduled, tolerance_s), 0.0
    pairing: list[int | None] = []
    for _ in range(3):
        pairing = _pair(onsets, scheduled, (offset, drift, origin), tolerance_s)
        pairs = [(onsets[i], s) for i, s in zip(pairing, scheduled, strict=True) if i is not None]
        if not pairs:
            break
        offset, drift = _fit_line(pairs, origin, fit_drift_after_s)
    errors: list[float | None] = [
        None if i is None else onsets[i] - s - offset - drift * (s - origin)
        for i, s in zip(pairing, scheduled, strict=True)
    ]
    used = {i for i in pairing if i is not None}
    extra = [onset for index, onset in enumerate(onsets) if index not in used]
    paired: list[float | None] = [None if i is None else onsets[i] for i in pairing]
    return OnsetMatch(offset, errors, extra, paired, drift * 1e6)
