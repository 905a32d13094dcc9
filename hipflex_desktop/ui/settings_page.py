"""Settings: sound and voice cues, and where the data lives.

The sound controls act on the same player the runner uses, so "Test sound"
plays exactly what a session will.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

CARD_MAX_WIDTH = 760


class SettingsPage(QWidget):
    def __init__(self, settings: QSettings, player: object, data_dir: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        title = QLabel("Settings", self)
        title.setObjectName("pageTitle")

        sound_card = QFrame(self)
        sound_card.setObjectName("card")
        sound_layout = QVBoxLayout(sound_card)
        sound_title = QLabel("Sound and voice", sound_card)
        sound_title.setObjectName("sectionTitle")
        sound_layout.addWidget(sound_title)
        from hipflex_desktop.audio.cues import AudioCues

        if isinstance(player, AudioCues):
            from hipflex_desktop.ui.sound_settings import SoundSettingsWidget

            self.sound: QWidget = SoundSettingsWidget(settings, player, sound_card)
        else:
            self.sound = QLabel("Sound is turned off in this session of Hipflex; timers show "
                                "a visual flash instead.", sound_card)
            self.sound.setObjectName("muted")
        sound_layout.addWidget(self.sound)

        data_card = QFrame(self)
        data_card.setObjectName("card")
        data_layout = QVBoxLayout(data_card)
        data_title = QLabel("Your data", data_card)
        data_title.setObjectName("sectionTitle")
        where = str(data_dir) if data_dir is not None else "not available"
        self.data_label = QLabel(
            f"History, workouts and settings are kept on this computer in:<br><b>{where}</b>"
            "<br>Nothing is sent anywhere. Use File ▸ Export history… for a backup.",
            data_card)
        self.data_label.setTextFormat(Qt.TextFormat.RichText)
        self.data_label.setWordWrap(True)
        self.data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._data_dir = data_dir
        self.open_folder = QPushButton("Open the data folder", data_card)
        self.open_folder.setEnabled(data_dir is not None)
        self.open_folder.clicked.connect(self._on_open_folder)
        data_layout.addWidget(data_title)
        data_layout.addWidget(self.data_label)
        row = QHBoxLayout()
        row.addWidget(self.open_folder)
        row.addStretch(1)
        data_layout.addLayout(row)

        content = QWidget(self)
        content.setObjectName("page")
        column = QVBoxLayout(content)
        column.setContentsMargins(20, 16, 20, 16)
        column.addWidget(title)
        for card in (sound_card, data_card):
            card.setMaximumWidth(CARD_MAX_WIDTH)  # long sliders read badly on wide screens
            column.addWidget(card)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _on_open_folder(self) -> None:
        if self._data_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_dir)))
