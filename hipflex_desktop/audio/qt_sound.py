"""Beeps through QSoundEffect: one preloaded effect per sound, played with low latency.

Importing this module imports QtMultimedia, which fails on Linux without libpulse0;
the facade imports it inside ``try`` for that reason. Effects are created and loaded
once, at start-up; ``play`` only starts an already decoded buffer.

Measured on a PulseAudio null sink (see docs/audio-notes.md): cues are heard within a
few ms of their schedule, except the first one after the output has been silent for a
while, which comes late by roughly 1 ms per silent second (~10 ms after 10 s, ~60 ms
after 60 s). A muted or near-silent play does not prevent that; a faint one
(``prime``, 34 dB down) does. Hence the keep-warm timer in the facade.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hipflex_desktop.audio.qtlog import quiet_optional_backend_probe

quiet_optional_backend_probe()

from PySide6.QtCore import QObject, QUrl  # noqa: E402
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect, QtAudio  # noqa: E402

from hipflex_desktop.audio import SOUND_NAMES, FailureHandler  # noqa: E402
from hipflex_desktop.audio.files import sound_durations  # noqa: E402

PRIMER_SOUND = "lead_in_tick"
# Linear gain of the primer (-34 dB under the cue). Measured: 0.01 and above keeps the
# output warm, 0.006 and below does not (Qt treats it like silence), so keep a margin.
PRIMER_GAIN = 0.02


def perceptual_to_linear(volume: float) -> float:
    """Map a slider position to amplitude so equal slider steps sound like equal steps."""
    clamped = min(1.0, max(0.0, volume))
    return float(
        QtAudio.convertVolume(
            clamped,
            QtAudio.VolumeScale.LogarithmicVolumeScale,
            QtAudio.VolumeScale.LinearVolumeScale,
        )
    )


class QtSoundPlayer(QObject):
    """A :class:`~hipflex_desktop.audio.SoundPlayer` on QSoundEffect.

    Failure (no output device, a file Qt cannot decode, the device refusing the
    format) is reported once through the failure handler and the player goes quiet:
    from then on ``play`` is a no-op, so a timer callback never sees an exception.
    """

    def __init__(
        self,
        sound_dir: Path,
        names: Iterable[str] = SOUND_NAMES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._effects: dict[str, QSoundEffect] = {}
        self._durations = sound_durations(sound_dir)
        self._failure: str | None = None
        self._on_failure: FailureHandler | None = None
        self._volume = 1.0
        self._primer: QSoundEffect | None = None
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._on_outputs_changed)
        if not QMediaDevices.audioOutputs():
            self._fail("No sound output device was found.")
            return
        for name in names:
            path = sound_dir / f"{name}.wav"
            if not path.is_file():
                self._fail(f"The sound file {path.name} is missing from {sound_dir}.")
                return
            effect = QSoundEffect(self)
            effect.setObjectName(name)
            effect.statusChanged.connect(self._on_status_changed)
            effect.setVolume(perceptual_to_linear(self._volume))
            effect.setSource(QUrl.fromLocalFile(str(path)))  # starts loading; async
            self._effects[name] = effect
        primer_source = self._effects.get(PRIMER_SOUND)
        if primer_source is not None:
            self._primer = QSoundEffect(self)
            self._primer.setObjectName("primer")
            self._primer.statusChanged.connect(self._on_status_changed)
            self._primer.setVolume(PRIMER_GAIN)
            self._primer.setSource(primer_source.source())

    @property
    def failure(self) -> str | None:
        return self._failure

    def is_loaded(self) -> bool:
        """True once every effect is decoded and ready to start instantly."""
        return self._failure is None and all(
            effect.status() == QSoundEffect.Status.Ready for effect in self._all_effects()
        )

    def prime(self) -> None:
        """Play the cue tick 34 dB down: keeps the output from going stale between cues."""
        if self._failure is None and self._primer is not None:
            if any(effect.isPlaying() for effect in self._all_effects()):
                return  # the output is busy anyway, so it is warm
            try:
                self._primer.play()
            except RuntimeError as error:
                self._fail(f"Sound playback stopped working ({error}).")

    def play(self, sound: str) -> None:
        if self._failure is not None:
            return
        effect = self._effects.get(sound)
        if effect is None:
            return
        try:
            self._stop_playing_effects()
            effect.play()
        except RuntimeError as error:  # the C++ effect is gone (application shutting down)
            self._fail(f"Sound playback stopped working ({error}).")

    def set_volume(self, volume: float) -> None:
        self._volume = volume
        linear = perceptual_to_linear(volume)
        for effect in self._effects.values():
            effect.setVolume(linear)
        if self._primer is not None:
            self._primer.setVolume(min(PRIMER_GAIN, linear))  # never louder than a cue

    def duration_s(self, sound: str) -> float:
        return self._durations.get(sound, 0.0)

    def set_failure_handler(self, handler: FailureHandler) -> None:
        self._on_failure = handler
        if self._failure is not None:  # failed during construction: report now
            handler(self._failure)

    def close(self) -> None:
        for effect in self._all_effects():
            effect.statusChanged.disconnect(self._on_status_changed)
            effect.stop()
        self._effects.clear()
        self._primer = None
        self._on_failure = None

    def _stop_playing_effects(self) -> None:
        """Keep at most one QSoundEffect sounding at a time: a new cue cuts the last one.

        Qt 6.10-6.12 (tested 6.10.3, 6.11.3, 6.12.0 on PulseAudio) free a finished
        voice on the audio thread when other voices still play; its main-thread
        QSocketNotifier is then left watching a closed eventfd and the GUI thread spins
        on "QSocketNotifier: Invalid socket" forever, freezing every timer. Stopping
        from this thread before each play avoids it (tests/audio/test_overlap.py).
        """
        for other in self._all_effects():
            if other.isPlaying():
                other.stop()

    def _all_effects(self) -> list[QSoundEffect]:
        primer = [] if self._primer is None else [self._primer]
        return [*self._effects.values(), *primer]

    def _on_status_changed(self) -> None:
        effect = self.sender()
        if not isinstance(effect, QSoundEffect):
            return
        if effect.status() == QSoundEffect.Status.Error:
            self._fail(
                f"The sound '{effect.objectName()}' could not be loaded or played "
                "(unreadable file or the sound output refused it)."
            )

    def _on_outputs_changed(self) -> None:
        if self._failure is not None:
            return
        if not QMediaDevices.audioOutputs():
            self._fail("The sound output device went away.")
            return
        default = QMediaDevices.defaultAudioOutput()
        for effect in self._all_effects():
            if effect.audioDevice() != default:
                effect.setAudioDevice(default)  # follow e.g. newly plugged headphones

    def _fail(self, message: str) -> None:
        if self._failure is not None:
            return
        self._failure = message
        for effect in self._all_effects():
            effect.stop()
        if self._on_failure is not None:
            self._on_failure(message)
