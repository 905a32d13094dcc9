"""Questions to the user behind a small interface, so logic can be tested without dialogs.

Widgets never call ``QMessageBox`` statics directly: they ask an :class:`Asker`.
The app passes :class:`MessageBoxAsker`; tests pass a scripted fake that answers
from a queue and records what was asked.
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget


class SaveChoice(Enum):
    """The three ways out of "you have unsaved changes"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Asker(Protocol):
    def confirm(self, parent: QWidget, title: str, text: str, confirm_label: str) -> bool:
        """Ask before something destructive; True only if the user chose ``confirm_label``."""
        ...

    def ask_save(self, parent: QWidget, title: str, text: str) -> SaveChoice:
        """Ask what to do with unsaved changes."""
        ...

    def inform(self, parent: QWidget, title: str, text: str) -> None:
        """Tell the user something went wrong that they cannot fix inline."""
        ...


class MessageBoxAsker:
    """The real dialogs. Cancel is always the default and the Escape button.

    A destructive answer must be a deliberate click or keypress, so pressing
    Enter on a dialog that popped up mid-typing never deletes anything.
    """

    def confirm_box(
        self, parent: QWidget, title: str, text: str, confirm_label: str
    ) -> tuple[QMessageBox, QPushButton]:
        """Build (but do not run) the confirmation box; split out so tests can inspect it."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent
        )
        confirm = box.addButton(confirm_label, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        return box, confirm

    def save_box(self, parent: QWidget, title: str, text: str) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
        )
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        return box

    def confirm(self, parent: QWidget, title: str, text: str, confirm_label: str) -> bool:
        box, confirm = self.confirm_box(parent, title, text, confirm_label)
        try:
            box.exec()
            return box.clickedButton() is confirm
        finally:
            box.deleteLater()

    def ask_save(self, parent: QWidget, title: str, text: str) -> SaveChoice:
        box = self.save_box(parent, title, text)
        try:
            answer = box.exec()
        finally:
            box.deleteLater()
        if answer == QMessageBox.StandardButton.Save:
            return SaveChoice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return SaveChoice.DISCARD
        return SaveChoice.CANCEL

    def inform(self, parent: QWidget, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          parent)
        try:
            box.exec()
        finally:
            box.deleteLater()
