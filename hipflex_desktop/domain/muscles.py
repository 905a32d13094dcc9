"""The muscle reference: the hip flexors and the muscles that support them.

Kept as data (``resources/muscles.toml``) so exercise cards, filters and the
catalog loader share one list of ids and one wording. Loading is as strict as
the catalog's: any problem raises :class:`CatalogError` naming file and field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hipflex_desktop.domain.catalog import CatalogError
from hipflex_desktop.resources import resource_root

MUSCLES_FILE = "muscles.toml"
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEXT_FIELDS = ("id", "name", "group", "location", "role")
_FIELDS = (*_TEXT_FIELDS, "hip_flexor")


@dataclass(frozen=True)
class MuscleInfo:
    id: str
    name: str
    group: str  # e.g. "iliopsoas" for the psoas major and the iliacus
    location: str  # where it lies, in plain words
    role: str  # what it does, in one or two sentences
    hip_flexor: bool  # False for supporting muscles such as the abs


def load_muscles(root: Path | None = None) -> list[MuscleInfo]:
    """Every muscle in file order; raises :class:`CatalogError` on any malformed entry."""
    path = (root if root is not None else resource_root()) / MUSCLES_FILE
    data = _read(path)
    unknown = sorted(set(data) - {"muscles"})
    if unknown:
        raise CatalogError(MUSCLES_FILE, unknown[0], "unknown field")
    entries = data.get("muscles")
    if entries is None:
        raise CatalogError(MUSCLES_FILE, "muscles", "missing required field")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CatalogError(MUSCLES_FILE, "muscles", "must be an array of tables ([[muscles]])")
    if not entries:
        raise CatalogError(MUSCLES_FILE, "muscles", "must list at least one muscle")
    muscles: list[MuscleInfo] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        muscle = _parse_entry(entry, f"muscles[{index}]")
        if muscle.id in seen:
            raise CatalogError(MUSCLES_FILE, f"muscles[{index}].id", f"duplicate id {muscle.id!r}")
        seen.add(muscle.id)
        muscles.append(muscle)
    return muscles


def muscle_info(muscle_id: str) -> MuscleInfo:
    """The bundled entry for ``muscle_id``; raises ``KeyError`` for an unknown id."""
    try:
        return _bundled_by_id()[muscle_id]
    except KeyError:
        raise KeyError(f"unknown muscle id {muscle_id!r}") from None


def muscle_name(muscle_id: str) -> str:
    """Display name of a bundled muscle, e.g. ``"Psoas major"``."""
    return muscle_info(muscle_id).name


@cache
def _bundled_by_id() -> dict[str, MuscleInfo]:
    """The shipped reference never changes while the app runs, so read it once."""
    return {m.id: m for m in load_muscles()}


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise CatalogError(MUSCLES_FILE, "(file)", f"cannot be read: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise CatalogError(MUSCLES_FILE, "(file)", "is not valid UTF-8 text") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(MUSCLES_FILE, "(syntax)", f"invalid TOML: {exc}") from exc


def _parse_entry(entry: dict[str, Any], prefix: str) -> MuscleInfo:
    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise CatalogError(MUSCLES_FILE, f"{prefix}.{unknown[0]}", "unknown field")
    for key in _FIELDS:
        if key not in entry:
            raise CatalogError(MUSCLES_FILE, f"{prefix}.{key}", "missing required field")
    for key in _TEXT_FIELDS:
        value = entry[key]
        if not isinstance(value, str):
            raise CatalogError(MUSCLES_FILE, f"{prefix}.{key}", "must be a string")
        if not value.strip():
            raise CatalogError(MUSCLES_FILE, f"{prefix}.{key}", "must not be empty")
    if not _ID_PATTERN.match(entry["id"]):
        raise CatalogError(
            MUSCLES_FILE, f"{prefix}.id", "must be lowercase words joined by hyphens"
        )
    if not isinstance(entry["hip_flexor"], bool):
        raise CatalogError(MUSCLES_FILE, f"{prefix}.hip_flexor", "must be true or false")
    return MuscleInfo(
        id=entry["id"],
        name=entry["name"],
        group=entry["group"],
        location=entry["location"],
        role=entry["role"],
        hip_flexor=entry["hip_flexor"],
    )
