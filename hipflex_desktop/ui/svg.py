"""Small helpers for our own SVG art: cached rendering and muscle highlighting."""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from hipflex_desktop.resources import ResourceNotFoundError, resource_path

PRIMARY_FILL = "#e4572e"
SECONDARY_FILL = "#f5a48a"


@cache
def svg_bytes(*parts: str) -> bytes:
    return resource_path(*parts).read_bytes()


def render_svg(data: bytes, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """Render SVG bytes into a transparent square pixmap sharp at the given DPR."""
    pixels = max(1, round(size * device_pixel_ratio))
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(QByteArray(data))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap


_pixmap_cache: dict[tuple[str, int, float], QPixmap] = {}


def movement_pixmap(icon_name: str, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """A movement's icon; a blank pixmap if the art is missing rather than a crash."""
    key = (icon_name, size, device_pixel_ratio)
    if key not in _pixmap_cache:
        try:
            data = svg_bytes("icons", "movements", icon_name)
        except ResourceNotFoundError:
            data = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'
        _pixmap_cache[key] = render_svg(data, size, device_pixel_ratio)
    return _pixmap_cache[key]


def app_icon() -> QIcon:
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
