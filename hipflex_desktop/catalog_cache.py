"""The validated exercise library, cached in the data folder so start-up skips the TOML.

Parsing and checking the catalog's TOML files (and importing the loader and
``tomllib`` to do it) is a visible share of the time to the first paint, yet the
files only change when Hipflex is installed or updated. After a full, strict
load the result (the movements, and the muscle reference the exercise cards
show) is written to ``<data dir>/cache/catalog.cache``; the next start reads that
instead, but only when every input still matches:

- the cache format, the app version and the Python version;
- the resource folder, and the name, size and modification time of
  ``muscles.toml`` and of every entry in ``catalog/``;
- the size and modification time of the modules that define and check the
  catalog (in a source checkout, editing the rules invalidates the cache too).

The file is a small binary header (magic, format, the Python version that wrote
it, CRC-32 and length of the rest) followed by the key, movements and muscles in
``marshal`` form: built in, so a start imports no ``json`` (~2 ms), and read only
by the same Python and once its checksum is right, so ``marshal`` never sees
bytes it did not write. Anything unexpected (missing file, other key,
bad checksum, a field that does not fit) means a full load, as if there were no
cache; the cache is an optimisation, never a second source of truth. It
is written atomically (``store/atomic.py``), after the first paint, and only
when it decodes back to exactly the catalog that was loaded.
"""

from __future__ import annotations

import marshal
import os
import struct
import sys
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, NamedTuple

from hipflex_desktop import __version__
from hipflex_desktop.domain.catalog import Catalog, Movement, Muscles, PrescriptionOption
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.resources import resource_root

CACHE_DIR = "cache"
CACHE_FILE = "catalog.cache"
LEGACY_CACHE_FILE = "catalog.json"  # format 2 and earlier; removed when a new cache is saved
MAGIC = b"HXCC"
FORMAT_VERSION = 3
# magic, format, sys.hexversion, CRC-32 and length of the payload
_HEADER = struct.Struct("<4sIIII")
# The modules whose rules and classes shape a cached movement (see the docstring).
_DEFINING_MODULES = (
    ("domain", "catalog.py"),
    ("domain", "catalog_loader.py"),
    ("domain", "muscles.py"),
    ("domain", "prescription.py"),
    ("catalog_cache.py",),
)
# Anything that can go wrong reading someone else's bytes: fall back to a full load.
_DAMAGE = (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError, EOFError,
           struct.error)


class MuscleRecord(NamedTuple):
    """A muscle as the cache keeps it: ``domain.muscles.MuscleInfo``'s fields.

    Its own small type because importing ``domain.muscles`` loads ``tomllib``
    (~4 ms), which a start from the cache never needs; tests check the fields match.
    """

    id: str
    name: str
    group: str
    location: str
    role: str
    hip_flexor: bool


def cache_path(data_dir: Path) -> Path:
    return data_dir / CACHE_DIR / CACHE_FILE


def _stat_entry(path: Path) -> list[Any]:
    try:
        info = path.stat()
    except OSError:
        return [path.name, None, None, None]
    return [path.name, "file" if path.is_file() else "other", info.st_size, info.st_mtime_ns]


def cache_key(root: Path) -> dict[str, Any]:
    """What a cached catalog is only valid for (all cheap: no file is read)."""
    catalog_dir = root / "catalog"
    try:
        names = sorted(entry.name for entry in os.scandir(catalog_dir))
    except OSError:
        names = []
    package = Path(__file__).parent
    return {
        "format": FORMAT_VERSION,
        "app": __version__,
        "python": list(sys.version_info[:3]),
        "root": str(root),
        "muscles": _stat_entry(root / "muscles.toml"),
        "catalog": [_stat_entry(catalog_dir / name) for name in names],
        "code": [_stat_entry(package.joinpath(*parts)) for parts in _DEFINING_MODULES],
    }


# --------------------------------------------------------------------------- encoding


def _encode_prescription(prescription: Prescription) -> dict[str, Any]:
    return asdict(prescription)


def encode_movement(movement: Movement) -> dict[str, Any]:
    """Every field of ``movement`` as plain JSON values (tuples become lists)."""
    encoded: dict[str, Any] = {}
    for field in fields(movement):
        value = getattr(movement, field.name)
        if isinstance(value, Kind):
            encoded[field.name] = value.value
        elif isinstance(value, Muscles):
            encoded[field.name] = {"primary": list(value.primary),
                                   "secondary": list(value.secondary)}
        elif isinstance(value, Prescription):
            encoded[field.name] = _encode_prescription(value)
        elif field.name == "options":
            encoded[field.name] = [
                {"label": option.label, "prescription": _encode_prescription(option.prescription)}
                for option in value
            ]
        elif isinstance(value, tuple):
            encoded[field.name] = list(value)
        else:
            encoded[field.name] = value
    return encoded


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError("expected a list of strings")
    return tuple(value)


def _prescription(value: Any) -> Prescription:
    if not isinstance(value, dict):
        raise TypeError("expected a prescription object")
    return Prescription(**value)


def decode_movement(data: Mapping[str, Any]) -> Movement:
    """The inverse of :func:`encode_movement`; raises on anything that does not fit."""
    values = dict(data)
    values["kind"] = Kind(values["kind"])
    muscles = values["muscles"]
    values["muscles"] = Muscles(primary=_texts(muscles["primary"]),
                                secondary=_texts(muscles["secondary"]))
    values["prescription"] = _prescription(values["prescription"])
    values["options"] = tuple(
        PrescriptionOption(str(option["label"]), _prescription(option["prescription"]))
        for option in values["options"]
    )
    for name in ("equipment", "steps", "cues", "mistakes", "progressions", "regressions",
                 "ladder", "tags"):
        values[name] = _texts(values[name])
    return Movement(**values)


def _muscle(value: Any) -> MuscleRecord:
    if not isinstance(value, list) or len(value) != len(MuscleRecord._fields):
        raise TypeError("expected a muscle record")
    record = MuscleRecord(*value)
    if not all(isinstance(v, str) for v in record[:-1]) or not isinstance(record[-1], bool):
        raise TypeError("a muscle record field has the wrong type")
    return record


def encode_catalog(
    catalog: Iterable[Movement], muscles: Iterable[MuscleRecord], key: Mapping[str, Any]
) -> bytes:
    content = {
        "movements": [encode_movement(m) for m in catalog],
        "muscle_fields": list(MuscleRecord._fields),
        "muscles": [list(m) for m in muscles],
    }
    payload = marshal.dumps((dict(key), content))
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, sys.hexversion, zlib.crc32(payload),
                          len(payload))
    return header + payload


def decode_catalog(
    data: bytes, key: Mapping[str, Any]
) -> tuple[Catalog, dict[str, MuscleRecord]] | None:
    """The cached catalog and muscles if ``data`` is intact and made for ``key``, else None."""
    try:
        magic, version, python, crc, length = _HEADER.unpack_from(data)
        payload = data[_HEADER.size:]
        if (
            magic != MAGIC
            or version != FORMAT_VERSION
            or python != sys.hexversion
            or length != len(payload)
            or crc != zlib.crc32(payload)
        ):
            return None
        saved_key, content = marshal.loads(payload)  # checked above: bytes we wrote
        if (
            saved_key != key
            or not isinstance(content, dict)
            or set(content) != {"movements", "muscle_fields", "muscles"}
            or content["muscle_fields"] != list(MuscleRecord._fields)
            or not content["movements"]
            or not content["muscles"]
        ):
            return None
        muscles = {record.id: record for record in map(_muscle, content["muscles"])}
        return Catalog(decode_movement(m) for m in content["movements"]), muscles
    except _DAMAGE:
        return None


# --------------------------------------------------------------------------- the cache


class CatalogCache:
    """Loads the catalog for start-up, from the cache when it is still valid.

    ``load()`` never trusts the cache over the files: on any doubt it does the
    full strict load, which raises :class:`CatalogError` for a broken library
    exactly as before. ``muscles`` then holds the muscle reference by id (what
    the exercise cards show). ``save_if_needed()`` (after the first paint) writes
    what was loaded, so the next start is fast.
    """

    def __init__(self, data_dir: Path, root: Path | None = None) -> None:
        self.path = cache_path(data_dir)
        self._root = root
        self._key: dict[str, Any] | None = None
        self._loaded: Catalog | None = None
        self.muscles: dict[str, MuscleRecord] = {}
        self.hit = False

    def load(self) -> Catalog:
        root = self._root if self._root is not None else resource_root()
        # The key is taken before the files are read: if one changes meanwhile, the
        # saved key is the old one and the next start reloads, never the reverse.
        self._key = cache_key(root)
        try:
            cached = decode_catalog(self.path.read_bytes(), self._key)
        except OSError:
            cached = None
        if cached is not None:
            self.hit = True
            self._loaded, self.muscles = cached
            return self._loaded
        from hipflex_desktop.domain.catalog_loader import load_catalog
        from hipflex_desktop.domain.muscles import load_muscles

        self._loaded = load_catalog(root)
        self.muscles = {
            m.id: MuscleRecord(**{name: getattr(m, name) for name in MuscleRecord._fields})
            for m in load_muscles(root)
        }
        return self._loaded

    def save_if_needed(self) -> bool:
        """Write the loaded catalog if it did not come from the cache; True if written.

        A data folder we cannot write to just means no cache (start-up already
        proved the folder writable, so this is rare); nothing is reported.
        """
        if self.hit or self._loaded is None or self._key is None:
            return False
        data = encode_catalog(self._loaded, self.muscles.values(), self._key)
        decoded = decode_catalog(data, self._key)
        if decoded is None or list(decoded[0]) != list(self._loaded) or decoded[1] != self.muscles:
            return False  # would not read back the same: keep loading in full
        from hipflex_desktop.store.atomic import atomic_write_bytes

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, data)
            self.path.with_name(LEGACY_CACHE_FILE).unlink(missing_ok=True)
        except OSError:
            return False
        return True
