"""A short reference: the eight hip-flexor muscles and what each one does."""

from __future__ import annotations

import html

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from hipflex_desktop.domain.muscles import load_muscles
from hipflex_desktop.ui import style
from hipflex_desktop.ui.svg import highlight_muscles, svg_bytes


class MusclesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        muscles = load_muscles()
        flexors = [m for m in muscles if m.hip_flexor]
        helpers = [m for m in muscles if not m.hip_flexor]

        title = QLabel("Hip flexor muscles", self)
        title.setObjectName("pageTitle")
        intro = QLabel(
            "Eight muscles share the job of bringing the thigh toward the trunk. "
            "Cards in the library name the ones each movement works.", self)
        intro.setWordWrap(True)
        intro.setObjectName("muted")

        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rows = [self._row(m.name, m.group, m.location, m.role) for m in flexors]
        rows.append(f"<h3 style='color:{style.INK}'>Muscles that help</h3>")
        rows += [self._row(m.name, m.group, m.location, m.role) for m in helpers]
        self.text.setText("".join(rows))

        diagram = QSvgWidget(self)
        svg = svg_bytes("diagrams", "hip-front.svg").decode("utf-8")
        diagram.load(QByteArray(highlight_muscles(svg, tuple(m.id for m in flexors), ()).encode()))
        diagram.setFixedSize(260, 312)
        diagram.setAccessibleName("Front view of the hips with the hip flexors highlighted")

        content = QWidget(self)
        content.setObjectName("page")
        columns = QHBoxLayout(content)
        columns.setContentsMargins(20, 16, 20, 16)
        left = QVBoxLayout()
        left.addWidget(title)
        left.addWidget(intro)
        left.addWidget(self.text)
        left.addStretch(1)
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addWidget(diagram, 0, Qt.AlignmentFlag.AlignTop)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    @staticmethod
    def _row(name: str, group: str, location: str, role: str) -> str:
        group_text = f" <span style='color:{style.MUTED}'>· {html.escape(group)}</span>" if group else ""
        return (f"<p><b style='font-size:15px'>{html.escape(name)}</b>{group_text}<br>"
                f"<span style='color:{style.MUTED}'>{html.escape(location)}</span><br>"
                f"{html.escape(role)}</p>")
