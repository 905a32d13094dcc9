"""Small helpers for our own SVG art: cached rendering and muscle highlighting."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QPainter, QPixmap

from hipflex_desktop.resources import ResourceNotFoundError, resource_path

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

PRIMARY_FILL = "#e4572e"
SECONDARY_FILL = "#f5a48a"


@cache
def svg_bytes(*parts: str) -> bytes:
    return resource_path(*parts).read_bytes()


def render_svg(data: bytes, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """Render SVG bytes into a transparent square pixmap sharp at the given DPR."""
    from PySide6.QtSvg import QSvgRenderer  # not needed when icons come from the disk cache

    pixels = max(1, round(size * device_pixel_ratio))
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(QtCore.Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(QByteArray(data))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap


_pixmap_cache: dict[tuple[str, int, float], QPixmap] = {}
_BLANK_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'


class _DiskCacheSetting:
    """Where rendered movement icons are also kept (see ``use_disk_cache``)."""

    cache: PixmapDiskCache | None = None


_DISK = _DiskCacheSetting()


def use_disk_cache(directory: Path | None) -> None:
    """Keep movement icons rendered from now on in ``directory`` too (None: memory only).

    run_gui points this at the data folder's cache, so a start reads the card icons
    instead of rendering them (ui/pixmap_cache.py); ``save_disk_cache`` writes them.
    """
    if directory is None:
        _DISK.cache = None
    else:
        from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

        _DISK.cache = PixmapDiskCache(directory)


def save_disk_cache() -> int:
    """Write the icons rendered since the last save (after the first paint); how many."""
    return _DISK.cache.save_pending() if _DISK.cache is not None else 0


def movement_pixmap(icon_name: str, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """A movement's icon; a blank pixmap if the art is missing rather than a crash."""
    key = (icon_name, size, device_pixel_ratio)
    if key not in _pixmap_cache:
        _pixmap_cache[key] = _load_or_render(icon_name, size, device_pixel_ratio)
    return _pixmap_cache[key]


def _load_or_render(icon_name: str, size: int, device_pixel_ratio: float) -> QPixmap:
    try:
        source = resource_path("icons", "movements", icon_name)
    except ResourceNotFoundError:
        return render_svg(_BLANK_SVG, size, device_pixel_ratio)
    disk = _DISK.cache
    name = f"{source.stem}-{size}px-{device_pixel_ratio:g}x"
    key = _file_key(source)
    pixmap = None
    if disk is not None and key is not None:
        pixmap = disk.load(name, key, device_pixel_ratio)
    if pixmap is None:
        pixmap = render_svg(source.read_bytes(), size, device_pixel_ratio)
        if disk is not None and key is not None:
            disk.remember(name, key, pixmap)
    return pixmap


def _file_key(source: Path) -> bytes | None:
    """What decides an icon's pixels: its SVG's size and modification time."""
    try:
        info = source.stat()
    except OSError:
        return None
    return f"svg {info.st_size} {info.st_mtime_ns}".encode()


def icon_source_key(icon_name: str) -> bytes:
    """``movement_pixmap``'s icon as its file is now (b"" when there is no such art), for
    pictures that show it to know when it changed."""
    try:
        return _file_key(resource_path("icons", "movements", icon_name)) or b""
    except ResourceNotFoundError:
        return b""


def app_icon() -> QIcon:
    from PySide6.QtGui import QIcon

    try:
        return QIcon(str(resource_path("icons", "hipflex.svg")))
    except ResourceNotFoundError:
        return QIcon()


def highlight_muscles(svg: str, primary: tuple[str, ...], secondary: tuple[str, ...]) -> str:
    """Recolour ``id="muscle-<id>"`` shapes: primary in the accent, secondary softer."""
    for ids, colour in ((secondary, SECONDARY_FILL), (primary, PRIMARY_FILL)):
        for muscle_id in ids:
            tag = re.compile(r'<[a-z]+\b[^>]*\bid="muscle-' + re.escape(muscle_id) + r'"[^>]*>')
            svg = tag.sub(_FillSetter(colour), svg)
    return svg


class _FillSetter:
    """``re.sub`` callback that sets the fill of one matched start tag."""

    def __init__(self, colour: str) -> None:
        self.colour = colour

    def __call__(self, match: re.Match[str]) -> str:
        return _set_fill(match.group(0), self.colour)


def _set_fill(tag: str, colour: str) -> str:
    if re.search(r'\bfill="[^"]*"', tag):
        return re.sub(r'\bfill="[^"]*"', f'fill="{colour}"', tag, count=1)
    return tag.replace(" id=", f' fill="{colour}" id=', 1)
