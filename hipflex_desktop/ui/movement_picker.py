"""A searchable "Add exercise" dialog, plus the two-line list delegate the builder shares.

Typing filters instantly (every word must match the name, kind, category or
equipment); Up/Down move through the results without leaving the search box,
and Enter adds the highlighted exercise.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.catalog import Catalog, Movement
from hipflex_desktop.ui import style
from hipflex_desktop.ui.svg import movement_pixmap

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 2
BADGE_ROLE = Qt.ItemDataRole.UserRole + 3
HEADER_ROLE = Qt.ItemDataRole.UserRole + 4
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 5

PICKER_ICON_SIZE = 40
ModelIndex = QModelIndex | QPersistentModelIndex


def movement_subtitle(movement: Movement) -> str:
    parts = [movement.kind.label, movement.category]
    equipment = [e for e in movement.equipment if e != "none"]
    parts.append(", ".join(equipment) if equipment else "no equipment")
    return " · ".join(parts)


class TwoLineDelegate(QStyledItemDelegate):
    """Title, a muted subtitle, an optional pill badge, and section headers.

    Used by the workout list and the movement picker so both read the same way.
    """

    def __init__(self, parent: QObject | None = None, *, icon_size: int = 0) -> None:
        super().__init__(parent)
        self._icon_size = icon_size

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:  # noqa: N802
        metrics = QFontMetrics(option.font)
        if index.data(HEADER_ROLE):
            return QSize(120, metrics.height() + 18)
        text_height = metrics.height() * 2 + 14
        return QSize(160, max(text_height, self._icon_size + 12))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        painter.save()
        font = QFont(option.font)
        if index.data(HEADER_ROLE):
            font.setPointSizeF(font.pointSizeF() * 0.85)
            font.setBold(True)
            font.setCapitalization(QFont.Capitalization.AllUppercase)
            font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0.8)
            painter.setFont(font)
            painter.setPen(QColor(style.MUTED))
            painter.drawText(rect.adjusted(12, 8, -8, -2),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             str(index.data(Qt.ItemDataRole.DisplayRole)))
            painter.restore()
            return

        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        background = rect.adjusted(4, 2, -4, -2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(style.ACCENT_SOFT))
            painter.drawRoundedRect(background, 6, 6)
            painter.setBrush(QColor(style.ACCENT))
            painter.drawRoundedRect(QRect(background.left(), background.top() + 6, 3,
                                          background.height() - 12), 1.5, 1.5)
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
            painter.drawRoundedRect(background, 6, 6)
        if focused and selected:
            painter.setPen(QColor(style.ACCENT))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(background.adjusted(0, 0, -1, -1), 6, 6)

        left = background.left() + 12
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if self._icon_size and isinstance(icon, QIcon) and not icon.isNull():
            top = background.top() + (background.height() - self._icon_size) // 2
            icon.paint(painter, QRect(left, top, self._icon_size, self._icon_size))
            left += self._icon_size + 10

        right = background.right() - 10
        badge = index.data(BADGE_ROLE)
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.85)
        if badge:
            painter.setFont(small)
            metrics = QFontMetrics(small)
            width = metrics.horizontalAdvance(str(badge)) + 14
            height = metrics.height() + 4
            badge_rect = QRect(right - width, background.top() + 8, width, height)
            painter.setPen(QColor(style.BORDER))
            painter.setBrush(QColor(style.SURFACE))
            painter.drawRoundedRect(badge_rect, height / 2, height / 2)
            painter.setPen(QColor(style.MUTED))
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, str(badge))
            right = badge_rect.left() - 8

        metrics = QFontMetrics(font)
        title_font = QFont(font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        title_rect = QRect(left, background.top() + 6, right - left, metrics.height() + 2)
        title = QFontMetrics(title_font).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole)), Qt.TextElideMode.ElideRight,
            title_rect.width())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         title)
        subtitle = index.data(SUBTITLE_ROLE)
        if subtitle:
            painter.setFont(small)
            painter.setPen(QColor(style.MUTED))
            sub_rect = QRect(left, title_rect.bottom() + 2, background.right() - 10 - left,
                             metrics.height())
            painter.drawText(sub_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(small).elidedText(str(subtitle),
                                                            Qt.TextElideMode.ElideRight,
                                                            sub_rect.width()))
        painter.restore()


class MovementPickerDialog(QDialog):
    """Choose one movement from the catalog. Open it with ``open()`` and read
    :meth:`chosen_movement_id` in a slot connected to ``accepted``."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("movementPicker")
        self.setWindowTitle("Add exercise")
        self.setModal(True)
        self.resize(460, 540)
        self._catalog = catalog

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(8)
        hint = QLabel("Type to filter by name, kind or equipment. Enter adds the highlighted "
                      "exercise.", self)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.search = QLineEdit(self)
        self.search.setObjectName("pickerSearch")
        self.search.setPlaceholderText("Search exercises…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search exercises")
        self.search.installEventFilter(self)
        layout.addWidget(self.search)

        self.model = QStandardItemModel(self)
        for movement in catalog:
            item = QStandardItem(movement.name)
            item.setEditable(False)
            item.setData(movement.id, ID_ROLE)
            item.setData(movement_subtitle(movement), SUBTITLE_ROLE)
            item.setData(
                " ".join([movement.name, movement.kind.label, movement.kind.value,
                          movement.category, *movement.equipment, *movement.tags]).casefold(),
                SEARCH_ROLE,
            )
            item.setData(QIcon(movement_pixmap(movement.icon or f"{movement.id}.svg",
                                               PICKER_ICON_SIZE, 2.0)),
                         Qt.ItemDataRole.DecorationRole)
            item.setToolTip(movement.summary)
            item.setData(f"{movement.name}, {movement.kind.label}",
                         Qt.ItemDataRole.AccessibleTextRole)
            self.model.appendRow(item)

        self.view = QListView(self)
        self.view.setObjectName("pickerList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(TwoLineDelegate(self.view, icon_size=PICKER_ICON_SIZE))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.setMouseTracking(True)
        self.view.setAccessibleName("Exercises")
        self.view.doubleClicked.connect(self._on_double_clicked)
        layout.addWidget(self.view, 1)

        self.empty_label = QLabel("No exercise matches that search.", self)
        self.empty_label.setObjectName("muted")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        layout.addWidget(self.empty_label)

        self.buttons = QDialogButtonBox(self)
        self.add_button = self.buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.search.textChanged.connect(self._apply_filter)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.reset()

    def reset(self) -> None:
        """Clear the search and highlight the first exercise (called before each opening)."""
        self.search.clear()
        self._apply_filter("")
        self.search.setFocus()

    def visible_movement_ids(self) -> list[str]:
        return [
            str(self.model.item(row).data(ID_ROLE))
            for row in range(self.model.rowCount())
            if not self.view.isRowHidden(row)
        ]

    def chosen_movement_id(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid() or self.view.isRowHidden(index.row()):
            return None
        return str(index.data(ID_ROLE))

    def select_movement(self, movement_id: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.item(row).data(ID_ROLE) == movement_id:
                self.view.setCurrentIndex(self.model.index(row, 0))
                return
        raise KeyError(movement_id)

    def accept(self) -> None:
        if self.chosen_movement_id() is None:
            return  # nothing highlighted: Enter on an empty result list does nothing
        super().accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Up/Down/PageUp/PageDown in the search box move through the results."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp,
                               Qt.Key.Key_PageDown):
                self._step(event.key())
                return True
        return super().eventFilter(watched, event)

    def _step(self, key: int) -> None:
        rows = [r for r in range(self.model.rowCount()) if not self.view.isRowHidden(r)]
        if not rows:
            return
        current = self.view.currentIndex().row()
        position = rows.index(current) if current in rows else -1
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -5,
                Qt.Key.Key_PageDown: 5}[Qt.Key(key)]
        position = min(max(position + step, 0), len(rows) - 1)
        self.view.setCurrentIndex(self.model.index(rows[position], 0))

    def _apply_filter(self, text: str) -> None:
        words = text.casefold().split()
        first_visible: int | None = None
        for row in range(self.model.rowCount()):
            haystack = str(self.model.item(row).data(SEARCH_ROLE))
            hidden = not all(word in haystack for word in words)
            self.view.setRowHidden(row, hidden)
            if not hidden and first_visible is None:
                first_visible = row
        if first_visible is None:
            self.view.clearSelection()
            self.view.setCurrentIndex(QModelIndex())
        else:
            self.view.setCurrentIndex(self.model.index(first_visible, 0))
        self.empty_label.setVisible(first_visible is None)
        self.add_button.setEnabled(first_visible is not None)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.view.scrollTo(current)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.accept()
