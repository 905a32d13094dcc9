"""Everything about one movement, with its muscles lit up on the hip diagram."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.catalog import Catalog, Movement, PrescriptionOption
from hipflex_desktop.domain.muscles import load_muscles, muscle_name
from hipflex_desktop.domain.progress import PersonalBest
from hipflex_desktop.ui import style
from hipflex_desktop.ui.svg import SECONDARY_FILL, highlight_muscles, movement_pixmap, svg_bytes

DIAGRAM_WIDTH = 260


def _bullets(items: tuple[str, ...], numbered: bool = False) -> str:
    tag = "ol" if numbered else "ul"
    body = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return f"<{tag} style='margin-left:-18px'>{body}</{tag}>"


def _option_text(option: PrescriptionOption, movement: Movement) -> str:
    text = f"{option.label}: {option.prescription.summary(movement.kind)}"
    if option.prescription.note:
        text += f" — {option.prescription.note}"
    return text


class ExerciseDetail(QWidget):
    """Shows one movement. ``back_requested`` on Esc or the Back button."""

    back_requested = Signal()
    movement_requested = Signal(str)

    def __init__(
        self,
        catalog: Catalog,
        parent: QWidget | None = None,
        *,
        bests: Callable[[str], Sequence[PersonalBest]] | None = None,
    ) -> None:
        """``bests(movement_id)`` gives the person's records for the card (None: no history)."""
        super().__init__(parent)
        self.setObjectName("page")
        self._catalog = catalog
        self._bests = bests
        self._roles = {m.id: m for m in load_muscles()}
        self.movement: Movement | None = None

        self.back_button = QPushButton("← Back to exercises", self)
        self.back_button.setToolTip("Back to the library (Esc)")
        self.back_button.clicked.connect(self.back_requested)

        self.icon_label = QLabel(self)
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.badges = QLabel(self)
        self.badges.setTextFormat(Qt.TextFormat.RichText)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)

        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        # Links reachable by Tab/Enter, text selectable by mouse; no blinking caret.
        self.body.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.body.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.body.setOpenExternalLinks(False)
        self.body.linkActivated.connect(self._on_link)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.diagram = QSvgWidget(self)
        self.diagram.setFixedSize(DIAGRAM_WIDTH, round(DIAGRAM_WIDTH * 1.2))
        self.diagram.setAccessibleName("Hip diagram with the worked muscles highlighted")
        self.muscle_legend = QLabel(self)
        self.muscle_legend.setWordWrap(True)
        self.muscle_legend.setTextFormat(Qt.TextFormat.RichText)
        self.muscle_legend.setFixedWidth(DIAGRAM_WIDTH)

        header_text = QVBoxLayout()
        header_text.addWidget(self.title)
        header_text.addWidget(self.badges)
        header_text.addWidget(self.summary)
        header = QHBoxLayout()
        header.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(header_text, 1)

        side = QFrame(self)
        side.setObjectName("card")
        side_layout = QVBoxLayout(side)
        side_title = QLabel("Muscles worked", side)
        side_title.setObjectName("sectionTitle")
        side_layout.addWidget(side_title)
        side_layout.addWidget(self.diagram, 0, Qt.AlignmentFlag.AlignHCenter)
        side_layout.addWidget(self.muscle_legend)
        side_layout.addStretch(1)
        side.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

        columns = QHBoxLayout()
        columns.addWidget(self.body, 1)
        columns.addSpacing(16)
        columns.addWidget(side, 0, Qt.AlignmentFlag.AlignTop)

        content = QWidget(self)
        content.setObjectName("page")
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(20, 12, 20, 20)
        content_layout.addLayout(header)
        content_layout.addSpacing(8)
        content_layout.addLayout(columns)
        content_layout.addStretch(1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)

        top = QHBoxLayout()
        top.setContentsMargins(16, 10, 16, 0)
        top.addWidget(self.back_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Esc goes back from anywhere inside the page (key events bubble up to here)."""
        if event.key() == Qt.Key.Key_Escape:
            self.back_requested.emit()
            return
        super().keyPressEvent(event)

    def show_movement(self, movement: Movement) -> None:
        self.movement = movement
        self.icon_label.setPixmap(movement_pixmap(movement.icon, 96, self.devicePixelRatioF()))
        self.title.setText(movement.name)
        colour = style.KIND_COLOURS[movement.kind.value]
        equipment = movement.equipment_text()
        self.badges.setText(
            f"<span style='background:{colour}; color:white'>&nbsp;{movement.kind.label.upper()}"
            f"&nbsp;</span>&nbsp;&nbsp;<span style='color:{style.MUTED}'>"
            f"{html.escape(movement.category.capitalize())} · {html.escape(equipment)}</span>"
        )
        self.summary.setText(movement.summary)
        self.body.setText(self._body_html(movement))
        svg = svg_bytes("diagrams", "hip-front.svg").decode("utf-8")
        lit = highlight_muscles(svg, movement.muscles.primary, movement.muscles.secondary)
        self.diagram.load(QByteArray(lit.encode("utf-8")))
        self.muscle_legend.setText(self._legend_html(movement))
        self.scroll_area.verticalScrollBar().setValue(0)
        self.body.setFocus(Qt.FocusReason.OtherFocusReason)

    def _legend_html(self, movement: Movement) -> str:
        rows = []
        for muscle_id in movement.muscles.primary:
            rows.append(self._legend_row(muscle_id, style.ACCENT, "main"))
        for muscle_id in movement.muscles.secondary:
            rows.append(self._legend_row(muscle_id, SECONDARY_FILL, "helps"))
        return "".join(rows)

    def _legend_row(self, muscle_id: str, colour: str, weight: str) -> str:
        info = self._roles.get(muscle_id)
        role = html.escape(info.role) if info else ""
        return (
            f"<p><span style='color:{colour}'>■</span> <b>{html.escape(muscle_name(muscle_id))}</b>"
            f" <span style='color:{style.MUTED}'>({weight})</span><br>"
            f"<span style='color:{style.MUTED}'>{role}</span></p>"
        )

    def _body_html(self, movement: Movement) -> str:
        records = list(self._bests(movement.id)) if self._bests is not None else []
        dose = html.escape(movement.prescription.summary(movement.kind))
        sections = [f"<h3>Dose</h3><p><b>{dose}</b></p>"]
        if records:
            sections.insert(0, "<h3>Your bests</h3>" + _bullets(tuple(
                f"{best.record.label}: {best.text()}" for best in records)))
        if movement.prescription.note:
            sections.append(f"<p>{html.escape(movement.prescription.note)}</p>")
        if movement.options:
            sections.append(
                _bullets(tuple(_option_text(o, movement) for o in movement.options))
            )
        if movement.key_cue:
            sections.append(f"<p><i>Key cue: {html.escape(movement.key_cue)}</i></p>")
        sections.append("<h3>How to do it</h3>" + _bullets(movement.steps, numbered=True))
        sections.append("<h3>Cues</h3>" + _bullets(movement.cues))
        sections.append("<h3>Common mistakes</h3>" + _bullets(movement.mistakes))
        if movement.progressions:
            sections.append("<h3>Make it harder</h3>" + _bullets(movement.progressions))
        if movement.regressions:
            sections.append("<h3>Make it easier</h3>" + _bullets(movement.regressions))
        related = self._related_links(movement)
        if related:
            sections.append("<h3>Related</h3><p>" + related + "</p>")
        sections.append(
            f"<p style='color:{style.MUTED}'><small>{html.escape(movement.source_note)}</small></p>"
        )
        return "".join(sections)

    def _related_links(self, movement: Movement) -> str:
        links = []
        if movement.ladder:
            rungs = []
            for rung in movement.ladder:
                target = self._catalog.find(rung)
                if target is None:
                    continue
                name = html.escape(target.name)
                rungs.append(f"<b>{name}</b>" if rung == movement.id
                             else f"<a href='{rung}'>{name}</a>")
            links.append("Ladder: " + " → ".join(rungs))
        family = movement.variant_of or movement.id  # the base movement and its variants
        relatives = [m for m in self._catalog
                     if m.id != movement.id and family in (m.id, m.variant_of)]
        if relatives:
            links.append("Variants: " + ", ".join(
                f"<a href='{m.id}'>{html.escape(m.name)}</a>" for m in relatives))
        return "<br>".join(links)

    def _on_link(self, target: str) -> None:
        if target in self._catalog:
            self.movement_requested.emit(target)
