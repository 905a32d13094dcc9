"""Rendered icons kept on disk as raw pixels, so a start paints its cards without QtSvg.

Rendering the fifteen card icons from SVG (and loading QtSvg to do it) costs
about 4-5 ms of the first frame; reading the same pixels back costs well under
one. Each file holds one icon at one size and device pixel ratio, exactly as
rendered (premultiplied ARGB, no lossy or rounding step, so the cards look the
same to the pixel), behind a small header:

    magic "HXPX", format 1, the SVG's size and modification time (ns), the width
    and height in pixels, and the CRC-32 of the pixels

A file is used only if all of that matches the SVG on disk now and the pixels'
checksum; anything else means the SVG is rendered again. New renderings are
written only when asked (``save_pending``, after the first paint), atomically.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PySide6.QtGui import QImage, QPixmap

MAGIC = b"HXPX"
FORMAT_VERSION = 1
_HEADER = struct.Struct("<4sBQqHHI")
_PIXEL_FORMAT = QImage.Format.Format_ARGB32_Premultiplied


def _source_key(source: Path) -> tuple[int, int] | None:
    try:
        info = source.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class PixmapDiskCache:
    """One folder of rendered icons; see the module docstring."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._pending: dict[Path, bytes] = {}

    def path_for(self, source: Path, size: int, device_pixel_ratio: float) -> Path:
        return self.directory / f"{source.stem}-{size}px-{device_pixel_ratio:g}x.pixels"

    def load(self, source: Path, size: int, device_pixel_ratio: float) -> QPixmap | None:
        """The pixmap rendered earlier from ``source`` as it is now, or None."""
        key = _source_key(source)
        if key is None:
            return None
        try:
            data = self.path_for(source, size, device_pixel_ratio).read_bytes()
        except OSError:
            return None
        if len(data) < _HEADER.size:
            return None
        magic, version, source_size, source_mtime, width, height, crc = _HEADER.unpack_from(data)
        pixels = data[_HEADER.size:]
        if (
            magic != MAGIC
            or version != FORMAT_VERSION
            or (source_size, source_mtime) != key
            or width != height
            or width != max(1, round(size * device_pixel_ratio))
            or len(pixels) != width * height * 4
            or zlib.crc32(pixels) != crc
        ):
            return None
        image = QImage(pixels, width, height, width * 4, _PIXEL_FORMAT).copy()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(device_pixel_ratio)
        return pixmap

    def remember(
        self, source: Path, size: int, device_pixel_ratio: float, pixmap: QPixmap
    ) -> None:
        """Queue a fresh rendering for ``save_pending`` (nothing is written yet)."""
        key = _source_key(source)
        if key is None:
            return
        image = pixmap.toImage().convertToFormat(_PIXEL_FORMAT)
        width, height = image.width(), image.height()
        if image.bytesPerLine() != width * 4:
            return
        pixels = bytes(image.constBits())[: width * height * 4]
        header = _HEADER.pack(MAGIC, FORMAT_VERSION, *key, width, height, zlib.crc32(pixels))
        self._pending[self.path_for(source, size, device_pixel_ratio)] = header + pixels

    def save_pending(self) -> int:
        """Write what was rendered since the last save; how many files were written.

        A folder that cannot be written just means no cache: nothing is reported.
        """
        from hipflex_desktop.store.atomic import atomic_write_bytes

        written = 0
        pending, self._pending = self._pending, {}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            return 0
        for path, data in pending.items():
            try:
                atomic_write_bytes(path, data)
            except OSError:
                continue
            written += 1
        return written
