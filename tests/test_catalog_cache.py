"""The start-up catalog cache: used only while every input matches, never trusted over the files."""

from __future__ import annotations

import marshal
import os
import shutil
import sys
import zlib
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from hipflex_desktop import catalog_cache
from hipflex_desktop.catalog_cache import (
    CatalogCache,
    MuscleRecord,
    cache_key,
    cache_path,
    decode_catalog,
    encode_catalog,
    encode_movement,
)
from hipflex_desktop.domain.catalog import CatalogError, Movement
from hipflex_desktop.domain.catalog_loader import load_catalog
from hipflex_desktop.domain.muscles import MuscleInfo, load_muscles
from hipflex_desktop.resources import resource_root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the catalog's inputs, free to edit."""
    copy = tmp_path / "resources"
    copy.mkdir()
    shutil.copytree(resource_root() / "catalog", copy / "catalog")
    shutil.copy2(resource_root() / "muscles.toml", copy / "muscles.toml")
    return copy


def _warm(data_dir: Path, root: Path) -> None:
    cache = CatalogCache(data_dir, root)
    cache.load()
    assert cache.save_if_needed()


def _load(data_dir: Path, root: Path) -> CatalogCache:
    cache = CatalogCache(data_dir, root)
    cache.load()
    return cache


def test_the_first_start_parses_and_saves_the_next_reads_the_same_catalog(
    data_dir: Path, root: Path
) -> None:
    first = CatalogCache(data_dir, root)
    parsed = first.load()
    assert not first.hit
    assert not cache_path(data_dir).exists(), "nothing is written before save_if_needed"
    assert first.save_if_needed()
    assert cache_path(data_dir).is_file()

    second = CatalogCache(data_dir, root)
    cached = second.load()
    assert second.hit
    assert list(cached) == list(parsed) == list(load_catalog(root))
    assert second.muscles == first.muscles
    assert not second.save_if_needed(), "a hit is not written again"


def test_the_muscles_are_the_reference_whether_cached_or_parsed(
    data_dir: Path, root: Path
) -> None:
    _warm(data_dir, root)
    cached = _load(data_dir, root)
    assert cached.hit
    expected = {m.id: tuple(getattr(m, f) for f in MuscleRecord._fields)
                for m in load_muscles(root)}
    assert {k: tuple(v) for k, v in cached.muscles.items()} == expected
    miss = CatalogCache(data_dir / "fresh", root)
    miss.load()
    assert not miss.hit
    assert {k: tuple(v) for k, v in miss.muscles.items()} == expected


def test_the_muscle_record_has_exactly_the_reference_fields() -> None:
    assert MuscleRecord._fields == tuple(f.name for f in fields(MuscleInfo))


def test_the_bundled_catalog_survives_the_round_trip() -> None:
    catalog = load_catalog()
    muscles = [MuscleRecord(*(getattr(m, f) for f in MuscleRecord._fields))
               for m in load_muscles()]
    key = cache_key(resource_root())
    decoded = decode_catalog(encode_catalog(catalog, muscles, key), key)
    assert decoded is not None
    assert list(decoded[0]) == list(catalog)
    assert [m.id for m in decoded[0]] == [m.id for m in catalog]  # display order kept
    assert list(decoded[1].values()) == muscles


def test_every_movement_field_is_stored() -> None:
    movement = next(iter(load_catalog()))
    assert set(encode_movement(movement)) == {f.name for f in fields(Movement)}


def _read(path: Path) -> tuple[dict[str, Any], Any]:
    """The saved key and content (the format: catalog_cache's module docstring)."""
    return marshal.loads(path.read_bytes()[catalog_cache._HEADER.size:])  # type: ignore[no-any-return]


def _write(path: Path, key: dict[str, Any], content: object) -> None:
    """Save ``content`` under ``key`` with a matching checksum, as the app would."""
    _write_marshalled(path, (key, content))


def _write_marshalled(path: Path, value: object) -> None:
    _write_raw(path, marshal.dumps(value))


def _write_raw(path: Path, payload: bytes, python: int = sys.hexversion) -> None:
    header = catalog_cache._HEADER.pack(catalog_cache.MAGIC, catalog_cache.FORMAT_VERSION,
                                        python, zlib.crc32(payload), len(payload))
    path.write_bytes(header + payload)


def _rewrite_payload(path: Path, change: object) -> None:
    """Apply ``change`` to the cached content and write it back with a matching checksum."""
    key, content = _read(path)
    change(content)  # type: ignore[operator]
    _write(path, key, content)


def _replace_payload(path: Path, content: object) -> None:
    key, _ = _read(path)
    _write(path, key, content)


def _flip_a_byte_in_the_payload(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x20
    path.write_bytes(bytes(data))


Content = dict[str, list[Any]]


def _drop_a_field(content: Content) -> None:
    del content["movements"][0]["name"]


def _add_a_field(content: Content) -> None:
    content["movements"][0]["colour"] = "red"


def _bad_kind(content: Content) -> None:
    content["movements"][0]["kind"] = "sprint"


def _wrong_type(content: Content) -> None:
    content["movements"][0]["steps"] = "one long step"


def _no_movements(content: Content) -> None:
    content["movements"].clear()


def _short_muscle(content: Content) -> None:
    content["muscles"][0].pop()


def _muscle_flag_as_text(content: Content) -> None:
    content["muscles"][0][-1] = "yes"


def _other_muscle_fields(content: Content) -> None:
    content["muscle_fields"].reverse()


def _no_muscles(content: Content) -> None:
    content["muscles"].clear()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
        pytest.param(lambda p: p.write_bytes(os.urandom(512)), id="random-bytes"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:-100]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes().split(b"\n")[0]), id="header-only"),
        pytest.param(lambda p: p.write_bytes(b"[1, 2]\n[]"), id="not-a-header"),
        pytest.param(_flip_a_byte_in_the_payload, id="bit-flip"),
        pytest.param(lambda p: _rewrite_payload(p, _drop_a_field), id="missing-field"),
        pytest.param(lambda p: _rewrite_payload(p, _add_a_field), id="unknown-field"),
        pytest.param(lambda p: _rewrite_payload(p, _bad_kind), id="unknown-kind"),
        pytest.param(lambda p: _rewrite_payload(p, _wrong_type), id="wrong-type"),
        pytest.param(lambda p: _rewrite_payload(p, _no_movements), id="no-movements"),
        pytest.param(lambda p: _rewrite_payload(p, _short_muscle), id="short-muscle"),
        pytest.param(lambda p: _rewrite_payload(p, _muscle_flag_as_text), id="muscle-type"),
        pytest.param(lambda p: _rewrite_payload(p, _other_muscle_fields), id="muscle-fields"),
        pytest.param(lambda p: _rewrite_payload(p, _no_muscles), id="no-muscles"),
        pytest.param(lambda p: _replace_payload(p, [1, 2]), id="not-an-object"),
        pytest.param(lambda p: _write(p, _read(p)[0] | {"app": "0"}, _read(p)[1]),
                     id="other-key-inside"),
        pytest.param(lambda p: _write_marshalled(p, 5), id="not-a-pair"),
        pytest.param(lambda p: _write_marshalled(p, (1, 2, 3)), id="not-two"),
        pytest.param(lambda p: _write_raw(p, p.read_bytes()[catalog_cache._HEADER.size:],
                                          python=sys.hexversion + 1), id="other-python"),
        pytest.param(lambda p: (p.unlink(), p.mkdir()), id="a-folder"),
    ],
)
def test_a_damaged_cache_means_a_full_load_and_a_fresh_cache(
    data_dir: Path, root: Path, damage: object
) -> None:
    _warm(data_dir, root)
    damage(cache_path(data_dir))  # type: ignore[operator]
    cache = _load(data_dir, root)
    assert not cache.hit
    assert list(cache.load()) == list(load_catalog(root))
    if cache_path(data_dir).is_file():
        assert cache.save_if_needed()
        assert _load(data_dir, root).hit


def test_an_edited_catalog_file_is_read_not_the_cache(data_dir: Path, root: Path) -> None:
    _warm(data_dir, root)
    path = root / "catalog" / "pigeon-pose.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name = "Pigeon Pose"', 'name = "Pigeon"'), encoding="utf-8")
    cache = _load(data_dir, root)
    assert not cache.hit
    assert cache.load().get("pigeon-pose").name == "Pigeon"


def test_a_touched_muscle_file_is_noticed_by_its_time(data_dir: Path, root: Path) -> None:
    _warm(data_dir, root)
    path = root / "muscles.toml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not _load(data_dir, root).hit


def test_a_broken_file_still_stops_start_up_even_with_a_cache(data_dir: Path, root: Path) -> None:
    _warm(data_dir, root)
    path = root / "catalog" / "pigeon-pose.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\nbogus = 1\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="bogus"):
        CatalogCache(data_dir, root).load()


@pytest.mark.parametrize("name", ["notes.txt", "extra.toml"])
def test_a_new_file_in_the_catalog_folder_is_not_hidden_by_the_cache(
    data_dir: Path, root: Path, name: str
) -> None:
    _warm(data_dir, root)
    (root / "catalog" / name).write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(CatalogError):
        CatalogCache(data_dir, root).load()


def test_a_removed_catalog_file_is_noticed(data_dir: Path, root: Path) -> None:
    _warm(data_dir, root)
    (root / "catalog" / "lizard-pose.toml").unlink()
    cache = _load(data_dir, root)
    assert not cache.hit
    assert "lizard-pose" not in cache.load()


def test_another_app_version_or_format_ignores_the_cache(
    data_dir: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _warm(data_dir, root)
    monkeypatch.setattr(catalog_cache, "__version__", "99.0")
    assert not _load(data_dir, root).hit
    monkeypatch.undo()
    assert _load(data_dir, root).hit
    monkeypatch.setattr(catalog_cache, "FORMAT_VERSION", catalog_cache.FORMAT_VERSION + 1)
    assert not _load(data_dir, root).hit


def test_a_cache_that_cannot_be_written_is_simply_skipped(data_dir: Path, root: Path) -> None:
    (data_dir / "cache").write_text("in the way", encoding="utf-8")
    cache = CatalogCache(data_dir, root)
    cache.load()
    assert not cache.save_if_needed()
    assert not _load(data_dir, root).hit


def test_the_cache_is_written_atomically_leaving_no_temp_files(
    data_dir: Path, root: Path
) -> None:
    _warm(data_dir, root)
    path = root / "catalog" / "lizard-pose.toml"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    _warm(data_dir, root)  # replaces the cache
    assert sorted(p.name for p in (data_dir / "cache").iterdir()) == ["catalog.cache"]
    assert _load(data_dir, root).hit


def test_save_before_load_writes_nothing(data_dir: Path, root: Path) -> None:
    assert not CatalogCache(data_dir, root).save_if_needed()
    assert not cache_path(data_dir).exists()


def test_saving_removes_the_old_json_cache(data_dir: Path, root: Path) -> None:
    """Format 2 kept the catalog as ``catalog.json``; a new save leaves no stale copy."""
    (data_dir / "cache").mkdir()
    (data_dir / "cache" / "catalog.json").write_text("{}", encoding="utf-8")
    _warm(data_dir, root)
    assert sorted(p.name for p in (data_dir / "cache").iterdir()) == ["catalog.cache"]
