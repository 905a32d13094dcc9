"""A short reference: the eight hip-flexor muscles, what each does, and what trains it.

Picking a muscle lights it up on the hip diagram and lists the movements that
work it, so the reference doubles as a way into the library.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.muscles import MuscleInfo, load_muscles
from hipflex_desktop.ui import style
from hipflex_desktop.ui.svg import highlight_muscles, svg_bytes

MUSCLE_ROLE = Qt.ItemDataRole.UserRole + 1


class MusclesPage(QWidget):
    movement_requested = Signal(str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._catalog = catalog
        self._svg = svg_bytes("diagrams", "hip-front.svg").decode("utf-8")
        muscles = load_muscles()

        title = QLabel("Muscles", self)
        title.setObjectName("pageTitle")
        intro = QLabel(
            "Eight muscles share the work of bringing the thigh toward the trunk; a few more "
            "keep the trunk and pelvis steady while they do. Pick one to see where it lies "
            "and which movements train it.", self)
        intro.setWordWrap(True)
        intro.setObjectName("muted")

        self.list = QListWidget(self)
        self.list.setObjectName("muscleList")
        self.list.setAccessibleName("Muscles")
        self.list.setFixedWidth(240)
        for heading, group in (("Hip flexors", [m for m in muscles if m.hip_flexor]),
                               ("Helpers", [m for m in muscles if not m.hip_flexor])):
            header = QListWidgetItem(heading.upper())
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(header)
            for muscle in group:
                item = QListWidgetItem(muscle.name)
                item.setData(MUSCLE_ROLE, muscle)
                self.list.addItem(item)

        self.name = QLabel(self)
        self.name.setObjectName("sectionTitle")
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.details.linkActivated.connect(self.movement_requested)
        self.diagram = QSvgWidget(self)
        self.diagram.setFixedSize(260, 312)
        self.diagram.setAccessibleName("Front view of the hips with the chosen muscle lit up")

        card = QFrame(self)
        card.setObjectName("card")
        card_layout = QHBoxLayout(card)
        text = QVBoxLayout()
        text.addWidget(self.name)
        text.addWidget(self.details, 1)
        card_layout.addLayout(text, 1)
        card_layout.addWidget(self.diagram, 0, Qt.AlignmentFlag.AlignTop)

        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addWidget(card, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(body, 1)

        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.setCurrentRow(1)

    def show_muscle(self, muscle_id: str) -> None:
        for row in range(self.list.count()):
            muscle = self.list.item(row).data(MUSCLE_ROLE)
            if isinstance(muscle, MuscleInfo) and muscle.id == muscle_id:
                self.list.setCurrentRow(row)
                return

    def _on_current_changed(self, current: QListWidgetItem | None) -> None:
        muscle = current.data(MUSCLE_ROLE) if current is not None else None
        if not isinstance(muscle, MuscleInfo):
            return
        self.name.setText(muscle.name)
        trained = [m for m in self._catalog if muscle.id in m.muscles.primary]
        helped = [m for m in self._catalog if muscle.id in m.muscles.secondary]
        parts = []
        if muscle.group:
            parts.append(f"<p style='color:{style.MUTED}'>{html.escape(muscle.group)}</p>")
        parts.append(f"<p><b>Where:</b> {html.escape(muscle.location)}</p>")
        parts.append(f"<p><b>Job:</b> {html.escape(muscle.role)}</p>")
        for label, movements in (("Main work in", trained), ("Also helps in", helped)):
            if movements:
                links = ", ".join(f"<a href='{m.id}'>{html.escape(m.name)}</a>" for m in movements)
                parts.append(f"<p><b>{label}:</b> {links}</p>")
        self.details.setText("".join(parts))
        lit = highlight_muscles(self._svg, (muscle.id,), ())
        self.diagram.load(QByteArray(lit.encode("utf-8")))
