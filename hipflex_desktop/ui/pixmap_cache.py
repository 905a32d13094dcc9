"""Pixmaps painted at an earlier start, kept on disk so the first frame need not paint them.

Two things on the first screen are costly to paint: the card icons (rendering
SVG loads QtSvg, ~4-5 ms) and the exercise cards themselves (their painting
code needs PySide's ``Qt`` namespace, whose ~100 Python enums take ~13 ms to
build). Reading the same pixels back costs well under a millisecond each.

Each file holds one pixmap, exactly as painted (premultiplied ARGB, compressed
without loss, so the screen looks the same to the pixel), behind a header:

    magic "HXPX", format 2, the lengths of the key and of the compressed pixels,
    the width and height in pixels, and the CRC-32 of the pixels

then the key, then the pixels. The key is whatever decides the picture (for an
icon, the SVG's size and modification time; for a card, its texts, font, size
and the painting code's version): a file is used only if its key is exactly the
caller's and the pixels match their checksum; anything else means painting
again. New pixmaps are written only when asked (``save_pending``, after the
first paint), atomically.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QImage, QPixmap

MAGIC = b"HXPX"
FORMAT_VERSION = 2
SUFFIX = ".pixels"
_HEADER = struct.Struct("<4sBIIHHI")
_PIXEL_FORMAT = QImage.Format.Format_ARGB32_Premultiplied
_COMPRESSION_LEVEL = 1  # the cards are mostly flat colour: fast and about 30x smaller


class PixmapDiskCache:
    """One folder of painted pixmaps, each under a file name and a key; see the module."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._pending: dict[str, bytes] = {}

    def path_for(self, name: str) -> Path:
        return self.directory / f"{name}{SUFFIX}"

    def load(self, name: str, key: bytes, device_pixel_ratio: float) -> QPixmap | None:
        """The pixmap saved under ``name`` for exactly ``key``, or None."""
        try:
            data = self.path_for(name).read_bytes()
        except OSError:
            return None
        if len(data) < _HEADER.size:
            return None
        magic, version, key_length, packed_length, width, height, crc = _HEADER.unpack_from(data)
        start = _HEADER.size + key_length
        if (
            magic != MAGIC
            or version != FORMAT_VERSION
            or data[_HEADER.size:start] != key
            or len(data) != start + packed_length
        ):
            return None
        try:
            pixels = zlib.decompress(data[start:])
        except zlib.error:
            return None
        if len(pixels) != width * height * 4 or zlib.crc32(pixels) != crc:
            return None
        image = QImage(pixels, width, height, width * 4, _PIXEL_FORMAT).copy()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(device_pixel_ratio)
        return pixmap

    def remember(self, name: str, key: bytes, pixmap: QPixmap) -> None:
        """Queue a freshly painted pixmap for ``save_pending`` (nothing is written yet)."""
        image = pixmap.toImage().convertToFormat(_PIXEL_FORMAT)
        width, height = image.width(), image.height()
        if image.bytesPerLine() != width * 4:
            return
        pixels = bytes(image.constBits())[: width * height * 4]
        packed = zlib.compress(pixels, _COMPRESSION_LEVEL)
        header = _HEADER.pack(MAGIC, FORMAT_VERSION, len(key), len(packed), width, height,
                              zlib.crc32(pixels))
        self._pending[name] = header + key + packed

    def save_pending(self, obsolete: Callable[[str], bool] | None = None) -> int:
        """Write what was painted since the last save; how many files were written.

        ``obsolete``, given a saved file's name, says whether it can go (a card
        painted for a window width no longer used); it is asked only about files
        not just written. A folder that cannot be written just means no cache:
        nothing is reported.
        """
        from hipflex_desktop.store.atomic import atomic_write_bytes

        written = 0
        pending, self._pending = self._pending, {}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            return 0
        for name, data in pending.items():
            try:
                atomic_write_bytes(self.path_for(name), data)
            except OSError:
                continue
            written += 1
        if obsolete is not None:
            self._remove(obsolete, keep=set(pending))
        return written

    def _remove(self, obsolete: Callable[[str], bool], keep: set[str]) -> None:
        try:
            paths = list(self.directory.glob(f"*{SUFFIX}"))
        except OSError:
            return
        for path in paths:
            name = path.name.removesuffix(SUFFIX)
            if name not in keep and obsolete(name):
                try:
                    path.unlink(missing_ok=True)
                except OSError:  # locked, read-only, a folder: it stays, unused
                    continue
