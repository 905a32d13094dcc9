"""Sound preferences: volume, beeps, spoken cues, quiet rests, lead-in, and a test button.

Every change is saved to the QSettings it was given (keys under ``audio/``) and
applied to the running :class:`~hipflex_desktop.audio.cues.AudioCues` at once, so the
user hears the effect of a change on the next cue or with "Test sound".
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.audio import VoiceState, is_spoken
from hipflex_desktop.audio.cues import PREVIEW_CUES, AudioCues
from hipflex_desktop.audio.settings import (
    LEAD_IN_MAX_S,
    LEAD_IN_MIN_S,
    AudioSettings,
    load_audio_settings,
    save_audio_settings,
)

RATE_STEPS = 10  # the rate slider runs -10..10 for a speech rate of -1.0..1.0
PREVIEW_GAP_MS = 900  # after a beep
PREVIEW_SPOKEN_GAP_MS = 1800  # after a cue with words
DEFAULT_VOICE_LABEL = "Default English voice"


class SoundSettingsWidget(QWidget):
    """Edits :class:`AudioSettings`; ``changed`` is emitted after each saved change."""

    changed = Signal()

    def __init__(
        self, settings: QSettings, audio: AudioCues, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("soundSettings")
        self._settings = settings
        self._audio = audio
        self._loading = False
        self._preview_index = 0
        self.preview_gap_ms = PREVIEW_GAP_MS
        self.preview_spoken_gap_ms = PREVIEW_SPOKEN_GAP_MS

        self.volume_slider = QSlider(Qt.Orientation.Horizontal)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setAccessibleName("Volume")
        self.volume_label = QLabel()
        self.volume_label.setMinimumWidth(40)
        self.beeps_check = QCheckBox("Play beeps")
        self.voice_check = QCheckBox("Speak cues (exercise names, rests, halfway…)")
        self.voice_combo = QComboBox()
        self.voice_combo.setAccessibleName("Voice")
        self.voice_combo.setMaxVisibleItems(15)
        self.rate_slider = QSlider(Qt.Orientation.Horizontal)
        self.rate_slider.setRange(-RATE_STEPS, RATE_STEPS)
        self.rate_slider.setAccessibleName("Speech rate")
        self.voice_status = QLabel()
        self.voice_status.setObjectName("muted")
        self.voice_status.setWordWrap(True)
        self.beeps_status = QLabel()
        self.beeps_status.setObjectName("fieldError")
        self.beeps_status.setWordWrap(True)
        self.quiet_rest_check = QCheckBox("Quiet rests (no countdown ticks while resting)")
        self.lead_in_spin = QSpinBox()
        self.lead_in_spin.setRange(LEAD_IN_MIN_S, LEAD_IN_MAX_S)
        self.lead_in_spin.setSuffix(" s")
        self.lead_in_spin.setAccessibleName("Get-ready countdown")
        self.test_button = QPushButton("Test sound")
        self.test_button.setToolTip("Play every cue once, in turn")

        self._preview_timer = QTimer(self)
        self._preview_timer.setObjectName("sound-settings-preview")
        self._preview_timer.setSingleShot(True)
        self._preview_timer.timeout.connect(self._play_next_preview)

        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume_slider, 1)
        volume_row.addWidget(self.volume_label)
        rate_row = QHBoxLayout()
        rate_row.addWidget(QLabel("Slower"))
        rate_row.addWidget(self.rate_slider, 1)
        rate_row.addWidget(QLabel("Faster"))
        form = QFormLayout()
        form.addRow("Volume", volume_row)
        form.addRow("", self.beeps_check)
        form.addRow("", self.voice_check)
        form.addRow("Voice", self.voice_combo)
        form.addRow("Speech rate", rate_row)
        form.addRow("", self.voice_status)
        form.addRow("", self.quiet_rest_check)
        form.addRow("Get-ready countdown", self.lead_in_spin)
        layout = QVBoxLayout(self)
        layout.addWidget(self.beeps_status)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)

        stored = load_audio_settings(settings)
        self._load(stored)
        if stored != audio.settings:  # e.g. another window changed them: the store wins
            audio.apply_settings(stored)
        self.volume_slider.valueChanged.connect(self._on_edited)
        self.beeps_check.toggled.connect(self._on_edited)
        self.voice_check.toggled.connect(self._on_edited)
        self.voice_combo.currentIndexChanged.connect(self._on_edited)
        self.rate_slider.valueChanged.connect(self._on_edited)
        self.quiet_rest_check.toggled.connect(self._on_edited)
        self.lead_in_spin.valueChanged.connect(self._on_edited)
        self.test_button.clicked.connect(self._on_test_clicked)
        audio.voice_ready.connect(self._refresh_voice)
        audio.voice_unavailable.connect(self._on_voice_unavailable)
        audio.status_changed.connect(self._refresh_beeps)
        self._refresh_voice()
        self._refresh_beeps()

    # -- reading and writing ----------------------------------------------------

    def values(self) -> AudioSettings:
        voice_name = self.voice_combo.currentData()
        return AudioSettings(
            volume=self.volume_slider.value() / 100,
            beeps_enabled=self.beeps_check.isChecked(),
            voice_enabled=self.voice_check.isChecked(),
            voice_name=voice_name if isinstance(voice_name, str) else "",
            voice_rate=self.rate_slider.value() / RATE_STEPS,
            quiet_rest=self.quiet_rest_check.isChecked(),
            lead_in_s=self.lead_in_spin.value(),
        ).normalised()

    def _load(self, values: AudioSettings) -> None:
        self._loading = True
        try:
            self.volume_slider.setValue(round(values.volume * 100))
            self.volume_label.setText(f"{round(values.volume * 100)} %")
            self.beeps_check.setChecked(values.beeps_enabled)
            self.voice_check.setChecked(values.voice_enabled)
            self._fill_voices(values.voice_name)
            self.rate_slider.setValue(round(values.voice_rate * RATE_STEPS))
            self.quiet_rest_check.setChecked(values.quiet_rest)
            self.lead_in_spin.setValue(values.lead_in_s)
        finally:
            self._loading = False

    def _fill_voices(self, selected: str) -> None:
        self.voice_combo.clear()
        self.voice_combo.addItem(DEFAULT_VOICE_LABEL, "")
        names = self._audio.voice_names()
        if selected and selected not in names:
            names = [selected, *names]  # keep the saved choice until the engine lists it
        for name in names:
            self.voice_combo.addItem(name, name)
        index = self.voice_combo.findData(selected)
        self.voice_combo.setCurrentIndex(max(0, index))

    def _on_edited(self) -> None:
        if self._loading:
            return
        values = self.values()
        self.volume_label.setText(f"{round(values.volume * 100)} %")
        save_audio_settings(self._settings, values)
        could_start = self._audio.voice_can_start
        self._audio.apply_settings(values)
        if could_start and not self._audio.voice_can_start:
            self._refresh_voice()  # ticking the box just started the speech engine
        else:
            self._update_enabled()
        self.changed.emit()

    # -- voice availability -----------------------------------------------------

    def _refresh_voice(self) -> None:
        self._loading = True
        try:
            self._fill_voices(self._audio.settings.voice_name)
        finally:
            self._loading = False
        state = self._audio.voice_state
        if self._audio.voice_can_start:
            self.voice_status.setText("")  # off since launch; ticking the box starts it
        elif state is VoiceState.STARTING:
            self.voice_status.setText("Starting the speech engine…")
        elif state is VoiceState.UNAVAILABLE:
            self.voice_status.setText(
                f"Spoken cues are unavailable. {self._audio.voice_unavailable_reason}"
            )
        else:
            self.voice_status.setText("")
        self.voice_status.setVisible(bool(self.voice_status.text()))
        self._update_enabled()

    def _on_voice_unavailable(self, _reason: str) -> None:
        self._refresh_voice()

    def _refresh_beeps(self) -> None:
        if self._audio.beeps_available:
            self.beeps_status.setText("")
        else:
            self.beeps_status.setText(self._audio.status.message)
        self.beeps_status.setVisible(bool(self.beeps_status.text()))
        self._update_enabled()

    def _update_enabled(self) -> None:
        voice_usable = (
            self._audio.voice_state is not VoiceState.UNAVAILABLE or self._audio.voice_can_start
        )
        self.voice_check.setEnabled(voice_usable)
        choose_voice = (
            voice_usable
            and self.voice_check.isChecked()
            and self._audio.voice_state is VoiceState.READY
        )
        self.voice_combo.setEnabled(choose_voice)
        self.rate_slider.setEnabled(choose_voice)
        self.beeps_check.setEnabled(self._audio.beeps_available)

    # -- test sound -------------------------------------------------------------

    @property
    def is_testing(self) -> bool:
        return self._preview_timer.isActive()

    def _on_test_clicked(self) -> None:
        if self.is_testing:
            self.stop_test()
            return
        self._preview_index = 0
        self.test_button.setText("Stop test")
        self._play_next_preview()

    def stop_test(self) -> None:
        self._preview_timer.stop()
        self.test_button.setText("Test sound")

    def _play_next_preview(self) -> None:
        if self._preview_index >= len(PREVIEW_CUES):
            self.stop_test()
            return
        kind, text = PREVIEW_CUES[self._preview_index]
        self._preview_index += 1
        self._audio.preview(kind, text)
        spoken = (
            is_spoken(kind)
            and self._audio.settings.voice_enabled
            and self._audio.voice_state is VoiceState.READY
        )
        self._preview_timer.start(self.preview_spoken_gap_ms if spoken else self.preview_gap_ms)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.stop_test()
        super().hideEvent(event)
