"""At start, offer what to do with a session that was not finished (crash, power cut).

Resume is the default; Discard needs a second confirmation and is never the
default, so a stray Enter cannot lose a workout.
"""

from __future__ import annotations

import time
from enum import Enum

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from hipflex_desktop.store.history import UnfinishedSession
from hipflex_desktop.ui.asker import Asker


class UnfinishedChoice(Enum):
    RESUME = "resume"
    SAVE = "save"
    DISCARD = "discard"
    LATER = "later"  # closed the dialog: ask again next start, change nothing


def describe_unfinished(unfinished: UnfinishedSession) -> str:
    started = time.strftime("%a %d %b %Y at %H:%M", time.localtime(unfinished.session.started_at))
    count = len(unfinished.entries)
    sets = f"{count} set{'s' if count != 1 else ''} logged"
    return (f"“{unfinished.session.workout_name}”, started {started}, was not finished "
            f"({sets}). Everything logged is safe.")


class UnfinishedSessionPrompt:
    """The question and its buttons; ``run()`` shows it, tests use ``box``/``choose``."""

    def __init__(self, parent: QWidget | None, unfinished: UnfinishedSession, asker: Asker) -> None:
        self._parent = parent
        self._asker = asker
        self.box = QMessageBox(QMessageBox.Icon.Question, "Unfinished session",
                               describe_unfinished(unfinished),
                               QMessageBox.StandardButton.NoButton, parent)
        self.box.setInformativeText("Pick up where you stopped, keep it as it is in your "
                                    "history, or throw it away.")
        self.resume_button = self.box.addButton("Resume", QMessageBox.ButtonRole.AcceptRole)
        self.save_button = self.box.addButton("Save as it is", QMessageBox.ButtonRole.ActionRole)
        self.discard_button = self.box.addButton("Discard…",
                                                 QMessageBox.ButtonRole.DestructiveRole)
        self.box.setDefaultButton(self.resume_button)

    def choose(self, clicked: QPushButton | None) -> UnfinishedChoice:
        if clicked is self.resume_button:
            return UnfinishedChoice.RESUME
        if clicked is self.save_button:
            return UnfinishedChoice.SAVE
        if clicked is self.discard_button:
            confirmed = self._asker.confirm(
                self.box, "Discard the unfinished session?",
                "Its logged sets will be deleted. This cannot be undone.", "Discard")
            return UnfinishedChoice.DISCARD if confirmed else UnfinishedChoice.LATER
        return UnfinishedChoice.LATER

    def run(self) -> UnfinishedChoice:
        try:
            self.box.exec()
            clicked = self.box.clickedButton()
            return self.choose(clicked if isinstance(clicked, QPushButton) else None)
        finally:
            self.box.deleteLater()
