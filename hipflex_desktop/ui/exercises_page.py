"""The exercise library: a responsive grid of cards with instant search and filters.

A ``QListView`` in icon mode over a filter proxy gives keyboard navigation,
Enter-to-open and instant filtering for free; a delegate paints each card.

This is the first screen, so it keeps off its first frame the PySide classes it
can do without: PySide builds every enum of a class as a Python enum the first
time the class is touched (bench/startup.py). ``QStyle`` costs ~6 ms, so the
delegate asks the view for a card's state instead of reading the style option's
``QStyle.State``, and the grid's background comes from the style sheet rather
than a ``QPalette``. The ``Qt`` namespace costs ~13 ms, and painting a card needs
it (setting a pen or brush does), so a card in its plain state is drawn from a
picture painted at an earlier start (``CardFaces``); the roles are plain ints
and ``Qt`` is looked up as ``QtCore.Qt`` only where an event or a fresh painting
needs it. Test: tests/e2e/test_app.py checks which classes the first frame used.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from PySide6 import QtCore
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Signal,
    qVersion,
)
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetrics, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop import __version__
from hipflex_desktop.domain.catalog import Catalog, Movement
from hipflex_desktop.domain.prescription import Kind
from hipflex_desktop.ui import style, svg
from hipflex_desktop.ui.svg import icon_source_key, movement_pixmap

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QResizeEvent
    from PySide6.QtWidgets import QStyleOptionViewItem

    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

# Qt.ItemDataRole values as ints, so the model never touches the Qt namespace (a test
# checks them against Qt's).
DISPLAY_ROLE = 0
TOOLTIP_ROLE = 3
ACCESSIBLE_TEXT_ROLE = 11
USER_ROLE = 0x0100
MOVEMENT_ROLE = USER_ROLE + 1
SEARCH_TEXT_ROLE = USER_ROLE + 2

CARD_MIN_WIDTH = 280
CARD_HEIGHT = 132
CARD_SPACING = 12
ICON_SIZE = 84

ModelIndex = QModelIndex | QPersistentModelIndex


class MuscleLike(Protocol):
    """What the cards and filters read of a muscle (``MuscleInfo`` or the cache's record)."""

    @property
    def name(self) -> str: ...

    @property
    def group(self) -> str: ...

    @property
    def hip_flexor(self) -> bool: ...


MuscleLookup = Callable[[str], MuscleLike]


def bundled_muscle(muscle_id: str) -> MuscleLike:
    """The shipped muscle reference (``domain.muscles``, imported on first use)."""
    from hipflex_desktop.domain.muscles import muscle_info

    return muscle_info(muscle_id)


def _search_text(movement: Movement, muscle: MuscleLookup) -> str:
    """Everything a person might type: names, kind, equipment, muscles and their groups."""
    muscles = [muscle(m) for m in movement.muscles.all()]
    parts = [
        movement.name,
        movement.kind.label,
        movement.category,
        movement.equipment_text(),
        *movement.tags,
        *(m.name for m in muscles),
        *(m.group for m in muscles),
    ]
    if any(m.hip_flexor for m in muscles):
        parts.append("hip flexor hip flexors")
    return " ".join(parts).casefold()


class MovementListModel(QAbstractListModel):
    def __init__(
        self, catalog: Catalog, parent: QWidget | None = None,
        muscle: MuscleLookup = bundled_muscle,
    ) -> None:
        super().__init__(parent)
        self._muscle = muscle
        self._movements = list(catalog)
        self._search = [_search_text(m, muscle) for m in self._movements]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._movements)

    def data(self, index: ModelIndex, role: int = DISPLAY_ROLE) -> Any:
        if not index.isValid():
            return None
        movement = self._movements[index.row()]
        if role == DISPLAY_ROLE:
            return movement.name
        if role == MOVEMENT_ROLE:
            return movement
        if role == SEARCH_TEXT_ROLE:
            return self._search[index.row()]
        if role == TOOLTIP_ROLE:
            return movement.summary
        if role == ACCESSIBLE_TEXT_ROLE:
            muscles = ", ".join(self._muscle(m).name for m in movement.muscles.primary)
            return f"{movement.name}, {movement.kind.label}, works {muscles}"
        return None


class MovementFilter(QSortFilterProxyModel):
    """Every filter at once: free text (all words must match), kind, equipment, muscle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._kind: str | None = None
        self._equipment: str | None = None
        self._muscle: str | None = None

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_kind(self, kind: str | None) -> None:
        self.beginFilterChange()
        self._kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_equipment(self, equipment: str | None) -> None:
        self.beginFilterChange()
        self._equipment = equipment
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_muscle(self, muscle: str | None) -> None:
        self.beginFilterChange()
        self._muscle = muscle
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        index = self.sourceModel().index(source_row, 0, source_parent)
        movement: Movement = index.data(MOVEMENT_ROLE)
        haystack: str = index.data(SEARCH_TEXT_ROLE)
        if self._kind and movement.kind.value != self._kind:
            return False
        if self._equipment and self._equipment not in movement.equipment:
            return False
        if self._muscle and self._muscle not in movement.muscles.all():
            return False
        return all(word in haystack for word in self._words)


class CardTexts(NamedTuple):
    """What a card says, and its badge colour: all a plain card's picture depends on,
    besides its size, font and the painting code."""

    title: str
    badge: str
    badge_colour: str
    muscles: str
    equipment: str
    icon: str


def card_texts(movement: Movement, muscle: MuscleLookup) -> CardTexts:
    badge = movement.kind.label.upper()
    if movement.category == "stretch":
        badge = "STRETCH · " + badge
    return CardTexts(
        title=movement.name,
        badge=badge,
        badge_colour=style.KIND_COLOURS[movement.kind.value],
        muscles=", ".join(muscle(m).name for m in movement.muscles.primary),
        equipment="⚙ " + movement.equipment_text(),
        icon=movement.icon,
    )


def _pixel_ratio(painter: QPainter) -> float:
    device = painter.device()
    return device.devicePixelRatioF() if device else 1.0


def card_fonts(font: QFont) -> tuple[QFont, QFont]:
    """A card's title font and its small font, from the view's font."""
    title_font = QFont(font)
    title_font.setPointSizeF(font.pointSizeF() * 1.15)
    title_font.setWeight(QFont.Weight.DemiBold)
    small_font = QFont(font)
    small_font.setPointSizeF(font.pointSizeF() * 0.9)
    return title_font, small_font


def paint_card(
    painter: QPainter, cell: QRect, font: QFont, texts: CardTexts, *,
    selected: bool = False, focused: bool = False, hovered: bool = False,
) -> None:
    """Paint one card filling ``cell``: icon, name, kind badge, primary muscles, equipment."""
    qt = QtCore.Qt
    rect = cell.adjusted(4, 4, -4, -4)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    border = QColor(style.ACCENT if (selected or focused) else style.BORDER)
    painter.setPen(QPen(border, 2 if selected or focused else 1))
    painter.setBrush(QColor(style.ACCENT_SOFT if selected else "#ffffff"))
    if hovered and not selected:
        painter.setBrush(QColor("#fbfcfd"))
    painter.drawRoundedRect(rect, 8, 8)

    dpr = _pixel_ratio(painter)
    icon_rect = QRect(rect.left() + 12, rect.top() + (rect.height() - ICON_SIZE) // 2,
                      ICON_SIZE, ICON_SIZE)
    painter.drawPixmap(icon_rect, movement_pixmap(texts.icon, ICON_SIZE, dpr))

    text_left = icon_rect.right() + 14
    text_width = rect.right() - text_left - 10
    title_font, small_font = card_fonts(font)
    painter.setFont(title_font)
    painter.setPen(QColor(style.INK))
    title_metrics = QFontMetrics(title_font)
    y = rect.top() + 14
    title = title_metrics.elidedText(texts.title, qt.TextElideMode.ElideRight, text_width)
    painter.drawText(QRect(text_left, y, text_width, title_metrics.height()),
                     qt.AlignmentFlag.AlignLeft | qt.AlignmentFlag.AlignVCenter, title)
    y += title_metrics.height() + 6

    painter.setFont(small_font)
    small_metrics = QFontMetrics(small_font)
    badge_width = small_metrics.horizontalAdvance(texts.badge) + 14
    badge = QRect(text_left, y, badge_width, small_metrics.height() + 4)
    painter.setPen(qt.PenStyle.NoPen)
    painter.setBrush(QColor(texts.badge_colour))
    painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
    painter.setPen(QColor("white"))
    painter.drawText(badge, qt.AlignmentFlag.AlignCenter, texts.badge)
    y = badge.bottom() + 8

    for line, colour in ((texts.muscles, style.INK), (texts.equipment, style.MUTED)):
        painter.setPen(QColor(colour))
        painter.drawText(
            QRect(text_left, y, text_width, small_metrics.height()),
            qt.AlignmentFlag.AlignLeft,
            small_metrics.elidedText(line, qt.TextElideMode.ElideRight, text_width),
        )
        y += small_metrics.height() + 3
    painter.restore()


def _painting_version() -> str:
    """What else decides a card's pixels: the app and Qt versions and, so that editing a
    source checkout shows, the size and time of the modules that paint (and draw icons)."""
    stamps = []
    for module in (__file__, style.__file__, svg.__file__):
        try:
            info = Path(module).stat()
            stamps.append(f"{info.st_size}:{info.st_mtime_ns}")
        except (OSError, TypeError):
            stamps.append("-")
    return f"{__version__} Qt {qVersion()} {' '.join(stamps)}"


def font_fingerprint(font: QFont) -> int:
    """How this system draws the cards' fonts right now: a checksum of a sample in each.

    A font's description (in the key too) does not say everything that decides its
    pixels: the screen's DPI, hinting and anti-aliasing settings, which font stands in
    for a missing one. Drawing a few characters costs a fraction of a millisecond and
    needs no ``Qt`` enums.
    """
    width, height = 160, 48
    buffer = bytearray(width * height * 4)
    image = QImage(buffer, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    for row, sample_font in enumerate(card_fonts(font)):
        painter.setFont(sample_font)
        painter.drawText(QRect(0, row * height // 2, width, height // 2), 0, "Ag 9 ⚙ · …")
    painter.end()
    return zlib.crc32(bytes(image.constBits()))


_SAFE_NAME = re.compile(r"[a-z0-9-]{1,64}")


class CardFaces:
    """Pictures of the cards in their plain state (not selected, focused or hovered).

    Painting a card needs the ``Qt`` namespace (~13 ms to build at start-up); drawing
    a picture does not. A start reads the pictures painted at the last start from
    ``disk`` (``<data dir>/cache/cards``), keyed by everything that decides their
    pixels (``CardTexts``, the icon file, size, pixel ratio, font and how the system
    draws it now (``font_fingerprint``), ``_painting_version``), and paints
    only what is missing. Pictures painted before ``save`` (the first frame's) are
    written then and kept in memory while the card size and font stay the same; cards
    first shown later (scrolling, resizing) are painted live.
    """

    def __init__(self, disk: PixmapDiskCache | None = None) -> None:
        self._disk = disk
        self._memory: dict[str, QPixmap] = {}
        self._generation: tuple[int, int, float, str] | None = None
        self._collecting = disk is not None
        self._version = _painting_version() if disk is not None else ""
        self._common_keys: dict[str, str] = {}  # by QFont.toString()
        self._icon_keys: dict[str, bytes] = {}

    def face(self, texts: CardTexts, movement_id: str, size: QSize, dpr: float,
             font: QFont) -> QPixmap | None:
        """The card's picture, or None when it is better painted live: once the first
        frame's pictures are saved, a picture not made yet is not worth making."""
        generation = (size.width(), size.height(), dpr, font.toString())
        if generation != self._generation:  # another size or font: old pictures are no use
            self._memory.clear()
            self._generation = generation
        name = "card-" + _file_safe(movement_id) + _size_suffix(size, dpr)
        face = self._memory.get(name)
        if face is None and self._collecting and self._disk is not None:
            key = repr((self._common_key(font), texts, self._icon_key(texts.icon))).encode()
            face = self._disk.load(name, key, dpr)
            if face is None:
                face = _painted_face(texts, size, dpr, font)
                self._disk.remember(name, key, face)
            self._memory[name] = face
        return face

    def _common_key(self, font: QFont) -> str:
        """The part of the key every card shares (built once a font, not once a card)."""
        description = font.toString()
        if description not in self._common_keys:
            self._common_keys[description] = repr(
                (self._version, description, font_fingerprint(font), style.BACKGROUND)
            )
        return self._common_keys[description]

    def _icon_key(self, icon: str) -> bytes:
        if icon not in self._icon_keys:
            self._icon_keys[icon] = icon_source_key(icon)
        return self._icon_keys[icon]

    def save(self) -> int:
        """Write the pictures painted so far (the first frame's), and drop the files of
        other card sizes; from now on pictures stay in memory. How many were written."""
        if self._disk is None or not self._collecting:
            return 0
        self._collecting = False
        if self._generation is None:  # no card drawn: nothing to tell old files by
            return self._disk.save_pending()
        width, height, dpr, _ = self._generation
        suffix = _size_suffix(QSize(width, height), dpr)
        return self._disk.save_pending(obsolete=lambda name: not name.endswith(suffix))


def _size_suffix(size: QSize, dpr: float) -> str:
    return f"-{size.width()}x{size.height()}-{dpr:g}x"


def _file_safe(movement_id: str) -> str:
    if _SAFE_NAME.fullmatch(movement_id):
        return movement_id
    return f"{zlib.crc32(movement_id.encode()):08x}"


def _painted_face(texts: CardTexts, size: QSize, dpr: float, font: QFont) -> QPixmap:
    """A plain card painted on the grid's background, exactly as the grid would paint it.

    Opaque, on ``style.BACKGROUND`` (the app's style sheet gives the grid that colour):
    a transparent picture's anti-aliased edges would blend a shade differently.
    """
    face = QPixmap(round(size.width() * dpr), round(size.height() * dpr))
    face.setDevicePixelRatio(dpr)
    face.fill(QColor(style.BACKGROUND))
    painter = QPainter(face)
    paint_card(painter, QRect(0, 0, size.width(), size.height()), font, texts)
    painter.end()
    return face


class MovementCardDelegate(QStyledItemDelegate):
    """Paints a card: icon, name, kind badge, primary muscles and equipment."""

    def __init__(
        self, parent: QWidget | None = None, muscle: MuscleLookup = bundled_muscle,
        faces: CardFaces | None = None,
    ) -> None:
        super().__init__(parent)
        self._muscle = muscle
        self._faces = faces
        self._texts: dict[str, CardTexts] = {}  # by movement id: a page's catalog is fixed

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:  # noqa: N802
        """Fill the grid cell the view computed, so cards stretch with the window."""
        view = self.parent()
        if isinstance(view, QListView) and view.gridSize().isValid():
            cell = view.gridSize()
            return QSize(cell.width() - CARD_SPACING, CARD_HEIGHT)
        return QSize(CARD_MIN_WIDTH, CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        movement: Movement = index.data(MOVEMENT_ROLE)
        texts = self._texts.get(movement.id)
        if texts is None:
            texts = self._texts[movement.id] = card_texts(movement, self._muscle)
        view = self.parent()
        if isinstance(view, CardGridView):
            selected, focused, hovered = view.card_state(index)
        else:
            selected = focused = hovered = False
        cell: QRect = option.rect
        dpr = _pixel_ratio(painter)
        # At a fractional scale (125 %, 150 %) a card can start between two device
        # pixels, where a picture's edges would blend differently; pictures are painted
        # left to right. Those cards are painted live.
        if (self._faces is not None and dpr.is_integer() and not QApplication.isRightToLeft()
                and not (selected or focused or hovered)):
            face = self._faces.face(texts, movement.id, cell.size(), dpr, option.font)
            if face is not None:
                painter.drawPixmap(cell.topLeft(), face)
                return
        paint_card(painter, cell, option.font, texts,
                   selected=selected, focused=focused, hovered=hovered)


class CardGridView(QListView):
    """Icon-mode list whose cards stretch so each row fills the width (responsive grid)."""

    activated_movement = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMouseTracking(True)
        self.setSpacing(0)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setObjectName("cardGrid")  # the style sheet gives it the page's background
        self.activated.connect(self._on_activated)

    def card_state(self, index: ModelIndex) -> tuple[bool, bool, bool]:
        """Whether the card at ``index`` is selected, has the keyboard focus, is hovered.

        What the style option's ``state`` would say, without loading ``QStyle``.
        """
        selection = self.selectionModel()
        selected = selection is not None and selection.isSelected(index)
        focused = self.hasFocus() and self.currentIndex() == index
        hovered = False
        # The viewport is only asked for once the pointer is over the grid: PySide's first
        # wrapper for that Qt-made widget makes every QWidget subclass (~8 ms at start-up).
        if self.underMouse():
            viewport = self.viewport()
            hovered = viewport.underMouse() and (
                self.indexAt(viewport.mapFromGlobal(QCursor.pos())) == index
            )
        return selected, focused, hovered

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._fit_grid(event.size().width())
        super().resizeEvent(event)

    def _fit_grid(self, width: int) -> None:
        usable = max(CARD_MIN_WIDTH, width - self.verticalScrollBar().sizeHint().width() - 4)
        columns = max(1, usable // (CARD_MIN_WIDTH + CARD_SPACING))
        grid = QSize(usable // columns, CARD_HEIGHT + CARD_SPACING // 2)
        if grid != self.gridSize():
            self.setGridSize(grid)
            self.scheduleDelayedItemsLayout()  # item sizes follow the grid (see sizeHint)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        keys = QtCore.Qt.Key
        if event.key() in (keys.Key_Return, keys.Key_Enter) and self.currentIndex().isValid():
            self._on_activated(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _on_activated(self, index: QModelIndex) -> None:
        movement = index.data(MOVEMENT_ROLE)
        if movement is not None:
            self.activated_movement.emit(movement)


class ExercisesPage(QWidget):
    """Search box and filters above the card grid. Emits ``movement_opened`` on Enter/click."""

    movement_opened = Signal(object)

    def __init__(
        self, catalog: Catalog, parent: QWidget | None = None, *,
        muscles: Mapping[str, MuscleLike] | None = None,
        card_faces: CardFaces | None = None,
    ) -> None:
        """``muscles``: the muscle reference by id, when the caller has it at hand (start-up
        reads it from the catalog cache); otherwise ``domain.muscles`` is loaded.
        ``card_faces``: where plain cards' pictures come from (start-up); without it
        every card is painted."""
        super().__init__(parent)
        self.setObjectName("page")
        self._catalog = catalog
        muscle: MuscleLookup = muscles.__getitem__ if muscles is not None else bundled_muscle

        title = QLabel("Exercises", self)
        title.setObjectName("pageTitle")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search exercises, muscles, equipment…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search exercises")

        self.kind_filter = QComboBox(self)
        self.kind_filter.setAccessibleName("Filter by kind")
        self.kind_filter.addItem("Any kind", None)
        for kind in Kind:
            self.kind_filter.addItem(kind.label.capitalize(), kind.value)

        self.equipment_filter = QComboBox(self)
        self.equipment_filter.setAccessibleName("Filter by equipment")
        self.equipment_filter.addItem("Any equipment", None)
        for item in catalog.equipment():
            label = "No equipment" if item == "none" else item.capitalize()
            self.equipment_filter.addItem(label, item)

        self.muscle_filter = QComboBox(self)
        self.muscle_filter.setAccessibleName("Filter by muscle")
        self.muscle_filter.addItem("Any muscle", None)
        names = {muscle_id: muscle(muscle_id).name for muscle_id in catalog.muscles()}
        for muscle_id in sorted(names, key=names.__getitem__):
            self.muscle_filter.addItem(names[muscle_id], muscle_id)

        self.model = MovementListModel(catalog, self, muscle)
        self.proxy = MovementFilter(self)
        self.proxy.setSourceModel(self.model)
        self.grid = CardGridView(self)
        self.grid.setItemDelegate(MovementCardDelegate(self.grid, muscle, card_faces))
        self.grid.setModel(self.proxy)
        self.grid.setAccessibleName("Exercise cards")

        self.empty_label = QLabel(
            "No exercise matches these filters. Clear the search or a filter.", self
        )
        self.empty_label.setObjectName("muted")
        self.empty_label.hide()

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.count_label)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.equipment_filter, 1)
        filters.addWidget(self.muscle_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 8)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.grid, 1)

        QWidget.setTabOrder(self.search, self.kind_filter)
        QWidget.setTabOrder(self.kind_filter, self.equipment_filter)
        QWidget.setTabOrder(self.equipment_filter, self.muscle_filter)
        QWidget.setTabOrder(self.muscle_filter, self.grid)

        self.search.textChanged.connect(self._on_search_changed)
        self.search.returnPressed.connect(self._on_search_return)
        self.kind_filter.currentIndexChanged.connect(self._on_filters_changed)
        self.equipment_filter.currentIndexChanged.connect(self._on_filters_changed)
        self.muscle_filter.currentIndexChanged.connect(self._on_filters_changed)
        self.grid.activated_movement.connect(self.movement_opened)
        self._update_count()

    # -- intents -------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def visible_movements(self) -> list[Movement]:
        return [
            self.proxy.index(row, 0).data(MOVEMENT_ROLE) for row in range(self.proxy.rowCount())
        ]

    def select_movement(self, movement_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(MOVEMENT_ROLE).id == movement_id:
                self.grid.setCurrentIndex(index)
                self.grid.scrollTo(index)
                return

    def focus_grid(self) -> None:
        if not self.grid.currentIndex().isValid() and self.proxy.rowCount():
            self.grid.setCurrentIndex(self.proxy.index(0, 0))
        self.grid.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    # -- slots ---------------------------------------------------------------------------
    def _on_search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _on_search_return(self) -> None:
        """Enter in the search box opens the only match, or moves to the grid."""
        if self.proxy.rowCount() == 1:
            self.movement_opened.emit(self.proxy.index(0, 0).data(MOVEMENT_ROLE))
        elif self.proxy.rowCount():
            self.focus_grid()

    def _on_filters_changed(self) -> None:
        self.proxy.set_kind(self.kind_filter.currentData())
        self.proxy.set_equipment(self.equipment_filter.currentData())
        self.proxy.set_muscle(self.muscle_filter.currentData())
        self._update_count()

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        total = self.model.rowCount()
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total} movements")
        if shown == 0:  # centred when first needed: the first frame has no use for Qt's enums
            self.empty_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setVisible(shown == 0)
        self.grid.setVisible(shown > 0)
