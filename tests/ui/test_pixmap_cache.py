"""Pictures kept on disk as pixels: exact, checked, and never trusted over their source."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QPixmap

from hipflex_desktop.resources import resource_path
from hipflex_desktop.ui import svg
from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

SIZE = 84


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A private copy of one icon's SVG, free to touch."""
    copy = tmp_path / "art" / "pigeon-pose.svg"
    copy.parent.mkdir()
    shutil.copy2(resource_path("icons", "movements", "pigeon-pose.svg"), copy)
    return copy


KEY = b"svg 1234 5678"


@pytest.fixture
def rendered_icons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every icon rendered from SVG from now on (not read from the cache)."""
    rendered: list[int] = []
    real_render = svg.render_svg

    def counting_render(data: bytes, size: int, dpr: float = 1.0) -> QPixmap:
        rendered.append(size)
        return real_render(data, size, dpr)

    monkeypatch.setattr(svg, "render_svg", counting_render)
    monkeypatch.setattr(svg, "_pixmap_cache", {})
    return rendered


def _rendered(source: Path, dpr: float = 1.0) -> QPixmap:
    return svg.render_svg(source.read_bytes(), SIZE, dpr)


def _name(dpr: float = 1.0) -> str:
    return f"pigeon-pose-{SIZE}px-{dpr:g}x"


def _saved(cache: PixmapDiskCache, source: Path, dpr: float = 1.0) -> QPixmap:
    pixmap = _rendered(source, dpr)
    cache.remember(_name(dpr), KEY, pixmap)
    assert cache.save_pending() == 1
    return pixmap


@pytest.mark.parametrize("dpr", [1.0, 1.5, 2.0])
def test_pixels_come_back_exactly_as_rendered(
    qapp: object, tmp_path: Path, source: Path, dpr: float
) -> None:
    cache = PixmapDiskCache(tmp_path / "icons")
    assert cache.load(_name(dpr), KEY, dpr) is None
    rendered = _saved(cache, source, dpr)
    loaded = PixmapDiskCache(tmp_path / "icons").load(_name(dpr), KEY, dpr)
    assert loaded is not None
    assert loaded.devicePixelRatio() == dpr
    assert loaded.toImage() == rendered.toImage()
    assert not loaded.toImage().isNull()


def test_nothing_is_written_until_asked(qapp: object, tmp_path: Path, source: Path) -> None:
    cache = PixmapDiskCache(tmp_path / "icons")
    cache.remember(_name(), KEY, _rendered(source))
    assert not (tmp_path / "icons").exists()
    assert cache.save_pending() == 1
    assert cache.save_pending() == 0, "written once"


def test_another_key_is_not_trusted(qapp: object, tmp_path: Path, source: Path) -> None:
    cache = PixmapDiskCache(tmp_path / "icons")
    _saved(cache, source)
    assert cache.load(_name(), KEY + b"0", 1.0) is None
    assert cache.load(_name(), KEY[:-1], 1.0) is None
    assert cache.load(_name(), b"", 1.0) is None
    assert cache.load(_name(2.0), KEY, 2.0) is None, "another name is another file"
    assert cache.load(_name(), KEY, 1.0) is not None


def test_an_edited_svg_is_rendered_again(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered_icons: list[int]
) -> None:
    """The icon's key is its SVG's size and modification time."""
    art = tmp_path / "art"
    shutil.copytree(resource_path("icons", "movements"), art)
    monkeypatch.setattr(svg, "resource_path", lambda *parts: art / parts[-1])
    rendered = rendered_icons
    svg.use_disk_cache(tmp_path / "icons")
    try:
        svg.movement_pixmap("pigeon-pose.svg", SIZE)
        assert svg.save_disk_cache() == 1
        monkeypatch.setattr(svg, "_pixmap_cache", {})
        svg.movement_pixmap("pigeon-pose.svg", SIZE)
        assert len(rendered) == 1, "read from disk"
        source = art / "pigeon-pose.svg"
        stat = source.stat()
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        monkeypatch.setattr(svg, "_pixmap_cache", {})
        svg.movement_pixmap("pigeon-pose.svg", SIZE)
        assert len(rendered) == 2, "touched: rendered again"
        assert svg.icon_source_key("pigeon-pose.svg").startswith(b"svg ")
        assert svg.icon_source_key("no-such-art.svg") == b""
    finally:
        svg.use_disk_cache(None)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: b"", id="empty"),
        pytest.param(lambda d: d[:20], id="header-cut"),
        pytest.param(lambda d: d[:-7], id="pixels-cut"),
        pytest.param(lambda d: d[:-1] + bytes([d[-1] ^ 1]), id="bit-flip"),
        pytest.param(lambda d: d[:40] + bytes([d[40] ^ 1]) + d[41:], id="early-bit-flip"),
        pytest.param(lambda d: b"XXXX" + d[4:], id="magic"),
        pytest.param(lambda d: d[:4] + bytes([9]) + d[5:], id="format"),
        pytest.param(lambda d: d + b"\0\0\0\0", id="too-long"),
    ],
)
def test_a_damaged_file_means_a_fresh_rendering(
    qapp: object, tmp_path: Path, source: Path, damage: object
) -> None:
    cache = PixmapDiskCache(tmp_path / "icons")
    _saved(cache, source)
    path = cache.path_for(_name())
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert cache.load(_name(), KEY, 1.0) is None


def test_a_folder_that_cannot_be_written_is_skipped(
    qapp: object, tmp_path: Path, source: Path
) -> None:
    (tmp_path / "icons").write_text("in the way", encoding="utf-8")
    cache = PixmapDiskCache(tmp_path / "icons")
    cache.remember(_name(), KEY, _rendered(source))
    assert cache.save_pending() == 0
    assert cache.load(_name(), KEY, 1.0) is None


def test_movement_icons_use_the_disk_cache_once_pointed_at_it(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered_icons: list[int]
) -> None:
    rendered = rendered_icons
    svg.use_disk_cache(tmp_path / "icons")
    try:
        first = svg.movement_pixmap("pigeon-pose.svg", SIZE).toImage()
        assert rendered == [SIZE]
        assert svg.save_disk_cache() == 1
        monkeypatch.setattr(svg, "_pixmap_cache", {})  # as if the app started again
        again = svg.movement_pixmap("pigeon-pose.svg", SIZE).toImage()
        assert rendered == [SIZE], "read from disk, not rendered"
        assert again == first
        missing = svg.movement_pixmap("no-such-art.svg", SIZE)
        assert not missing.isNull()
        assert svg.save_disk_cache() == 0, "blank art is not cached"
    finally:
        svg.use_disk_cache(None)
    assert svg.save_disk_cache() == 0


def test_saving_can_drop_files_no_longer_wanted(
    qapp: object, tmp_path: Path, source: Path
) -> None:
    cache = PixmapDiskCache(tmp_path / "cards")
    for name in ("card-a-300x132-1x", "card-b-300x132-1x", "card-a-400x132-1x"):
        cache.remember(name, KEY, _rendered(source))
    assert cache.save_pending() == 3
    cache.remember("card-c-400x132-1x", KEY, _rendered(source))
    asked: list[str] = []

    def obsolete(name: str) -> bool:
        asked.append(name)
        return not name.endswith("-400x132-1x")

    assert cache.save_pending(obsolete) == 1
    assert sorted(asked) == ["card-a-300x132-1x", "card-a-400x132-1x", "card-b-300x132-1x"]
    left = sorted(p.name for p in (tmp_path / "cards").iterdir())
    assert left == ["card-a-400x132-1x.pixels", "card-c-400x132-1x.pixels"]


def test_a_file_that_cannot_be_removed_does_not_stop_the_save(
    qapp: object, tmp_path: Path, source: Path
) -> None:
    cache = PixmapDiskCache(tmp_path / "cards")
    (tmp_path / "cards" / "card-old-1x1-1x.pixels").mkdir(parents=True)  # not removable
    cache.remember("card-new-2x2-1x", KEY, _rendered(source))
    assert cache.save_pending(obsolete=lambda name: name != "card-new-2x2-1x") == 1
    assert (tmp_path / "cards" / "card-old-1x1-1x.pixels").is_dir()
