"""Reads the exercise library and the built-in workouts from TOML, strictly.

A typo in a data file should stop the app with a message naming the file and
the field, not quietly drop an exercise or show half a card, so every check
here raises :class:`CatalogError` and no file is ever skipped. The parsing
works on plain dicts (:func:`catalog_from_documents`,
:func:`workouts_from_documents`) so tests can fuzz it without writing TOML.

Movement file (``catalog/<id>.toml``)::

    id, order, name, kind, category, summary, equipment, steps, cues, mistakes,
    progressions, regressions, source_note, icon, key_cue, tags   (required)
    variant_of, ladder                                           (optional)
    [muscles] primary, secondary    [prescription] ...    [[options]] label, ...

Workout file (``workouts/<id>.toml``)::

    id, order, name, builtin = true, description, tags?   [[blocks]] movement_id,
    fallback_movement_id?, note?, [blocks.prescription] ...
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, NoReturn, get_args, get_type_hints

from hipflex_desktop.domain.catalog import (
    Catalog,
    CatalogError,
    Movement,
    Muscles,
    PrescriptionOption,
)
from hipflex_desktop.domain.muscles import load_muscles
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.domain.workouts import Block, Workout, validate_workout
from hipflex_desktop.resources import resource_root

CATALOG_DIR = "catalog"
WORKOUTS_DIR = "workouts"
SYNTAX_FIELD = "(syntax)"  # field named in errors about the file as a whole
FILE_FIELD = "(file)"

CATEGORIES = ("strength", "stretch")
KEY_CUE_MAX_LENGTH = 48  # shown in big type while training; must fit one line
ORDER_RANGE = (0, 100_000)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EQUIPMENT_WORD = re.compile(r"^[a-z0-9]+(?:[ -][a-z0-9]+)*$")

_MOVEMENT_REQUIRED = (
    "id", "order", "name", "kind", "category", "summary", "muscles", "equipment", "steps",
    "cues", "mistakes", "progressions", "regressions", "prescription", "source_note", "icon",
    "key_cue", "tags",
)
_MOVEMENT_OPTIONAL = ("variant_of", "ladder", "options")
_WORKOUT_REQUIRED = ("id", "order", "name", "builtin", "description", "blocks")
_WORKOUT_OPTIONAL = ("tags",)
_BLOCK_REQUIRED = ("movement_id", "prescription")
_BLOCK_OPTIONAL = ("fallback_movement_id", "note")

# Which prescription fields mean something for each kind; others are rejected
# so a data file cannot carry figures the runner would silently ignore.
_COMMON_PRESCRIPTION_FIELDS = frozenset({"sets", "rest_seconds", "note"})
_KIND_PRESCRIPTION_FIELDS: dict[Kind, frozenset[str]] = {
    Kind.REPS: frozenset({"reps_min", "reps_max", "top_hold_seconds"}),
    Kind.HOLD: frozenset({"hold_seconds", "accumulate", "brief_hold_min", "brief_hold_max"}),
    Kind.INTERVAL: frozenset({"work_seconds", "interval_rest_seconds", "rounds"}),
    Kind.PER_SIDE: frozenset({"side_seconds", "transition_seconds"}),
}


def _prescription_field_types() -> dict[str, type]:
    """Python type of each Prescription field (``int | None`` -> ``int``), read from the class."""
    hints = get_type_hints(Prescription)
    types: dict[str, type] = {}
    for field in fields(Prescription):
        hint = hints[field.name]
        concrete = [a for a in get_args(hint) if a is not type(None)] or [hint]
        (only,) = concrete
        types[field.name] = only
    return types


PRESCRIPTION_FIELD_TYPES = _prescription_field_types()


# --------------------------------------------------------------------------- files


def load_catalog(root: Path | None = None) -> Catalog:
    """All movements under ``root/catalog``, in display order (``order``, then id)."""
    base = root if root is not None else resource_root()
    known_muscles = {m.id for m in load_muscles(base)}
    documents = _read_directory(base / CATALOG_DIR, CATALOG_DIR, allow_empty=False)
    return catalog_from_documents(documents, known_muscles)


def load_builtin_workouts(catalog: Catalog, root: Path | None = None) -> list[Workout]:
    """The read-only templates under ``root/workouts``, in display order."""
    base = root if root is not None else resource_root()
    documents = _read_directory(base / WORKOUTS_DIR, WORKOUTS_DIR, allow_empty=True)
    return workouts_from_documents(documents, catalog)


def _read_directory(
    directory: Path, label: str, *, allow_empty: bool
) -> list[tuple[str, dict[str, Any]]]:
    """``(display name, parsed TOML)`` for every ``*.toml``; anything else there is an error."""
    if not directory.is_dir():
        raise CatalogError(label, FILE_FIELD, f"directory not found at {directory}")
    documents: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(directory.iterdir()):
        display = f"{label}/{path.name}"
        if path.name.startswith("."):
            continue  # editor and VCS droppings (.gitkeep, .swp) are not data
        if path.suffix != ".toml" or not path.is_file():
            raise CatalogError(
                display, FILE_FIELD, "unexpected entry; only .toml files belong in this directory"
            )
        documents.append((display, read_toml(path, display)))
    if not documents and not allow_empty:
        raise CatalogError(label, FILE_FIELD, "no .toml files found")
    return documents


def read_toml(path: Path, display: str) -> dict[str, Any]:
    """Parse one file, turning I/O, encoding and syntax failures into :class:`CatalogError`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(display, FILE_FIELD, f"cannot be read: {exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(display, FILE_FIELD, "is not valid UTF-8 text") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(display, SYNTAX_FIELD, f"invalid TOML: {exc}") from exc


def _check_unique_ids(documents: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
    """Runs before any other check, so a copied file that kept its id gets this clear error.

    The copy (the file whose name does not match the id) is the one blamed.
    """
    files_by_id: dict[str, list[str]] = {}
    for file, data in documents:
        declared = data.get("id")
        if isinstance(declared, str):
            files_by_id.setdefault(declared, []).append(file)
    for declared, files in files_by_id.items():
        if len(files) > 1:
            misnamed = [f for f in files if _stem(f) != declared]
            culprit = misnamed[0] if misnamed else files[1]
            others = ", ".join(f for f in files if f != culprit)
            raise CatalogError(culprit, "id", f"duplicate id {declared!r} (also in {others})")


def _stem(display: str) -> str:
    name = display.rsplit("/", 1)[-1]
    return name.removesuffix(".toml")


# --------------------------------------------------------------------------- fields


class _Table:
    """Typed access to one TOML table; every failure names the file and dotted field."""

    def __init__(self, file: str, data: Mapping[str, Any], prefix: str = "") -> None:
        self.file = file
        self.data = data
        self.prefix = prefix

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str, problem: str) -> NoReturn:
        raise CatalogError(self.file, self.name(key), problem)

    def check_keys(self, required: Iterable[str], optional: Iterable[str] = ()) -> None:
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in sorted(str(k) for k in self.data):
            if key not in allowed:
                self.fail(key, "unknown field")
        for key in required:
            if key not in self.data:
                self.fail(key, "missing required field")

    def text(self, key: str, *, max_length: int | None = None) -> str:
        value = self.data[key]
        if not isinstance(value, str):
            self.fail(key, f"must be a string, not {_type_name(value)}")
        if not value.strip():
            self.fail(key, "must not be empty")
        if max_length is not None and len(value) > max_length:
            self.fail(key, f"must be at most {max_length} characters")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if key in self.data else None

    def slug(self, key: str) -> str:
        value = self.text(key)
        if not _SLUG.match(value):
            self.fail(key, f"{value!r} must be lowercase words joined by hyphens")
        return value

    def integer(self, key: str, bounds: tuple[int, int]) -> int:
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a whole number, not {_type_name(value)}")
        low, high = bounds
        if not low <= value <= high:
            self.fail(key, f"must be between {low} and {high}")
        return value

    def boolean(self, key: str) -> bool:
        value = self.data[key]
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {_type_name(value)}")
        return value

    def text_list(self, key: str, *, non_empty: bool, unique: bool = False) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"must be an array of strings, not {_type_name(value)}")
        if non_empty and not value:
            self.fail(key, "must list at least one entry")
        items: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(f"{key}[{index}]", f"must be a string, not {_type_name(item)}")
            if not item.strip():
                self.fail(f"{key}[{index}]", "must not be empty")
            if unique and item in items:
                self.fail(f"{key}[{index}]", f"{item!r} is listed twice")
            items.append(item)
        return tuple(items)

    def table(self, key: str) -> _Table:
        value = self.data[key]
        if not isinstance(value, dict):
            self.fail(key, f"must be a table, not {_type_name(value)}")
        return _Table(self.file, value, f"{self.name(key)}.")

    def tables(self, key: str) -> list[_Table]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"must be an array of tables, not {_type_name(value)}")
        result: list[_Table] = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"{key}[{index}]", f"must be a table, not {_type_name(item)}")
            result.append(_Table(self.file, item, f"{self.name(key)}[{index}]."))
        return result


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number with a fraction",
             str: "a string", list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _parse_prescription(
    table: _Table, kind: Kind, *, ignore: Iterable[str] = ()
) -> Prescription:
    """Type-check each field, reject fields foreign to ``kind``, then apply ``validate``."""
    ignored = set(ignore)
    allowed = _COMMON_PRESCRIPTION_FIELDS | _KIND_PRESCRIPTION_FIELDS[kind]
    values: dict[str, Any] = {}
    for key in sorted(str(k) for k in table.data):
        if key in ignored:
            continue
        if key not in PRESCRIPTION_FIELD_TYPES:
            table.fail(key, "unknown field")
        if key not in allowed:
            table.fail(key, f"does not apply to a {kind.label} movement")
        expected = PRESCRIPTION_FIELD_TYPES[key]
        value = table.data[key]
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            table.fail(key, f"must be a whole number, not {_type_name(value)}")
        if expected is bool and not isinstance(value, bool):
            table.fail(key, f"must be true or false, not {_type_name(value)}")
        if expected is str and not isinstance(value, str):
            table.fail(key, f"must be a string, not {_type_name(value)}")
        values[key] = value
    if not values.get("accumulate", False):
        for key in ("brief_hold_min", "brief_hold_max"):
            if key in values:
                table.fail(key, "only applies when accumulate = true")
    prescription = Prescription(**values)
    errors = prescription.validate(kind)
    if errors:
        table.fail(errors[0].field, errors[0].message)
    return prescription


# --------------------------------------------------------------------------- movements


def catalog_from_documents(
    documents: Sequence[tuple[str, Mapping[str, Any]]], known_muscles: set[str]
) -> Catalog:
    """Build and cross-check the catalog from ``(file name, parsed TOML)`` pairs."""
    parsed: list[tuple[int, Movement, str]] = []
    names: dict[str, str] = {}
    _check_unique_ids(documents)
    for file, data in documents:
        order, movement = _parse_movement(file, data, known_muscles)
        folded = movement.name.casefold()
        if folded in names:
            raise CatalogError(
                file, "name", f"duplicate name {movement.name!r} (also in {names[folded]})"
            )
        names[folded] = file
        parsed.append((order, movement, file))
    by_id = {movement.id: movement for _, movement, _ in parsed}
    for _, movement, file in parsed:
        _check_links(movement, file, by_id)
    _check_ladders_agree([(movement, file) for _, movement, file in parsed], by_id)
    parsed.sort(key=lambda item: (item[0], item[1].id))
    return Catalog(movement for _, movement, _ in parsed)


def _parse_movement(
    file: str, data: Mapping[str, Any], known_muscles: set[str]
) -> tuple[int, Movement]:
    top = _Table(file, data)
    top.check_keys(_MOVEMENT_REQUIRED, _MOVEMENT_OPTIONAL)
    movement_id = top.slug("id")
    if movement_id != _stem(file):
        top.fail("id", f"{movement_id!r} must match the file name ({_stem(file)}.toml)")
    order = top.integer("order", ORDER_RANGE)
    kind = _parse_kind(top)
    category = top.text("category")
    if category not in CATEGORIES:
        top.fail("category", f"{category!r} is not one of {', '.join(CATEGORIES)}")
    icon = top.text("icon")
    if icon != f"{movement_id}.svg":
        top.fail("icon", f"must be '{movement_id}.svg'")
    options = []
    labels: set[str] = set()
    for option_table in top.tables("options"):
        if "label" not in option_table.data:
            option_table.fail("label", "missing required field")
        label = option_table.text("label")
        if label.casefold() in labels:
            option_table.fail("label", f"duplicate option label {label!r}")
        labels.add(label.casefold())
        options.append(
            PrescriptionOption(label, _parse_prescription(option_table, kind, ignore={"label"}))
        )
    movement = Movement(
        id=movement_id,
        name=top.text("name"),
        kind=kind,
        category=category,
        summary=top.text("summary"),
        muscles=_parse_muscles(top.table("muscles"), known_muscles),
        equipment=_parse_equipment(top),
        steps=top.text_list("steps", non_empty=True),
        cues=top.text_list("cues", non_empty=True),
        mistakes=top.text_list("mistakes", non_empty=True),
        progressions=top.text_list("progressions", non_empty=False),
        regressions=top.text_list("regressions", non_empty=False),
        prescription=_parse_prescription(top.table("prescription"), kind),
        source_note=top.text("source_note"),
        icon=icon,
        variant_of=top.optional_text("variant_of"),
        ladder=top.text_list("ladder", non_empty=False, unique=True),
        options=tuple(options),
        key_cue=top.text("key_cue", max_length=KEY_CUE_MAX_LENGTH),
        tags=_parse_tags(top),
    )
    return order, movement


def _parse_kind(top: _Table) -> Kind:
    value = top.text("kind")
    try:
        return Kind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in Kind)
        top.fail("kind", f"{value!r} is not one of {allowed}")


def _parse_muscles(table: _Table, known_muscles: set[str]) -> Muscles:
    table.check_keys(("primary",), ("secondary",))
    primary = table.text_list("primary", non_empty=True, unique=True)
    secondary = table.text_list("secondary", non_empty=False, unique=True)
    for key, ids in (("primary", primary), ("secondary", secondary)):
        for index, muscle_id in enumerate(ids):
            if muscle_id not in known_muscles:
                table.fail(f"{key}[{index}]", f"unknown muscle id {muscle_id!r} (see muscles.toml)")
    for index, muscle_id in enumerate(secondary):
        if muscle_id in primary:
            table.fail(f"secondary[{index}]", f"{muscle_id!r} is already a primary muscle")
    return Muscles(primary=primary, secondary=secondary)


def _parse_equipment(top: _Table) -> tuple[str, ...]:
    equipment = top.text_list("equipment", non_empty=True, unique=True)
    for index, word in enumerate(equipment):
        if not _EQUIPMENT_WORD.match(word):
            top.fail(f"equipment[{index}]", f"{word!r} must be plain lowercase words")
    if "none" in equipment and len(equipment) > 1:
        top.fail("equipment", "'none' cannot be combined with other equipment")
    return equipment


def _parse_tags(top: _Table) -> tuple[str, ...]:
    tags = top.text_list("tags", non_empty=False, unique=True)
    for index, tag in enumerate(tags):
        if not _SLUG.match(tag):
            top.fail(f"tags[{index}]", f"{tag!r} must be lowercase words joined by hyphens")
    return tags


def _check_links(movement: Movement, file: str, by_id: Mapping[str, Movement]) -> None:
    """``variant_of`` and ``ladder`` must point at real movements (agreement is checked later)."""
    if movement.variant_of is not None:
        base = by_id.get(movement.variant_of)
        if base is None:
            raise CatalogError(file, "variant_of", f"unknown movement id {movement.variant_of!r}")
        if base.id == movement.id:
            raise CatalogError(file, "variant_of", "a movement cannot be a variant of itself")
        if base.variant_of is not None:
            raise CatalogError(
                file, "variant_of", f"{base.id!r} is itself a variant; point at its base movement"
            )
    if movement.ladder:
        if len(movement.ladder) < 2:
            raise CatalogError(file, "ladder", "a ladder needs at least two rungs")
        if movement.id not in movement.ladder:
            raise CatalogError(file, "ladder", f"must include this movement ({movement.id!r})")
        for index, rung_id in enumerate(movement.ladder):
            rung = by_id.get(rung_id)
            if rung is None:
                raise CatalogError(file, f"ladder[{index}]", f"unknown movement id {rung_id!r}")
            if rung.kind is not movement.kind:
                raise CatalogError(
                    file, f"ladder[{index}]", f"{rung_id!r} is timed differently ({rung.kind})"
                )


def _check_ladders_agree(
    movements: Sequence[tuple[Movement, str]], by_id: Mapping[str, Movement]
) -> None:
    """Every rung of a ladder must list the same ladder.

    When they disagree, the file whose ladder most of its rungs do not share is
    the one blamed, so the error points at the file that was actually edited.
    """
    disagreeing: list[tuple[Movement, str, int, str]] = []
    for movement, file in movements:
        rungs = [by_id[rung_id] for rung_id in movement.ladder]
        odd = [(i, r.id) for i, r in enumerate(rungs) if r.ladder != movement.ladder]
        if not odd:
            continue
        index, rung_id = odd[0]
        if len(odd) > len(rungs) - len(odd):
            raise CatalogError(file, "ladder", f"{rung_id!r} lists a different ladder")
        disagreeing.append((movement, file, index, rung_id))
    if disagreeing:
        _, file, index, rung_id = disagreeing[0]
        raise CatalogError(file, f"ladder[{index}]", f"{rung_id!r} lists a different ladder")


# --------------------------------------------------------------------------- workouts


def workouts_from_documents(
    documents: Sequence[tuple[str, Mapping[str, Any]]], catalog: Catalog
) -> list[Workout]:
    """Built-in workouts from ``(file name, parsed TOML)`` pairs, checked against ``catalog``."""
    parsed: list[tuple[int, Workout]] = []
    _check_unique_ids(documents)
    for file, data in documents:
        order, workout = _parse_workout(file, data, catalog)
        for index, error in validate_workout(workout, catalog, [w for _, w in parsed]):
            where = error.field if index is None else f"blocks[{index}].{error.field}"
            raise CatalogError(file, where, error.message)
        parsed.append((order, workout))
    parsed.sort(key=lambda item: (item[0], item[1].id))
    return [workout for _, workout in parsed]


def _parse_workout(file: str, data: Mapping[str, Any], catalog: Catalog) -> tuple[int, Workout]:
    top = _Table(file, data)
    top.check_keys(_WORKOUT_REQUIRED, _WORKOUT_OPTIONAL)
    workout_id = top.slug("id")
    if workout_id != _stem(file):
        top.fail("id", f"{workout_id!r} must match the file name ({_stem(file)}.toml)")
    order = top.integer("order", ORDER_RANGE)
    if not top.boolean("builtin"):
        top.fail("builtin", "workouts shipped as resources must set builtin = true")
    block_tables = top.tables("blocks")
    if not block_tables:
        top.fail("blocks", "must list at least one block")
    workout = Workout(
        id=workout_id,
        name=top.text("name"),
        builtin=True,
        description=top.text("description"),
        tags=_parse_tags(top),
        blocks=tuple(_parse_block(table, catalog) for table in block_tables),
    )
    return order, workout


def _parse_block(table: _Table, catalog: Catalog) -> Block:
    table.check_keys(_BLOCK_REQUIRED, _BLOCK_OPTIONAL)
    movement_id = table.text("movement_id")
    movement = catalog.find(movement_id)
    if movement is None:
        table.fail("movement_id", f"unknown movement id {movement_id!r}")
    fallback_id = table.optional_text("fallback_movement_id")
    if fallback_id is not None:
        fallback = catalog.find(fallback_id)
        if fallback is None:
            table.fail("fallback_movement_id", f"unknown movement id {fallback_id!r}")
        if fallback.id == movement.id:
            table.fail("fallback_movement_id", "must differ from movement_id")
        if fallback.kind is not movement.kind:
            table.fail(
                "fallback_movement_id",
                f"{fallback_id!r} is timed as {fallback.kind.label}, "
                f"but {movement_id!r} as {movement.kind.label}",
            )
    note = table.optional_text("note") or ""
    return Block(
        movement_id=movement_id,
        prescription=_parse_prescription(table.table("prescription"), movement.kind),
        fallback_movement_id=fallback_id,
        note=note,
    )
