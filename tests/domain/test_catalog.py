"""The exercise library: bundled data matches the article, and the loader is strict.

Malformed-file tests edit copies of the real data in ``tmp_path`` so every
check runs against the same shapes the app ships with.
"""

from __future__ import annotations

import copy
import json
import math
import shutil
import tomllib
from collections.abc import Callable
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipflex_desktop.domain.catalog import Catalog, CatalogError
from hipflex_desktop.domain.catalog_loader import (
    PRESCRIPTION_FIELD_TYPES,
    catalog_from_documents,
    load_catalog,
)
from hipflex_desktop.domain.muscles import load_muscles, muscle_info, muscle_name
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.resources import resource_root

ARTICLE_MOVEMENTS = {
    "lying-leg-raise": "Lying Leg Raise",
    "hanging-leg-raise": "Hanging Leg Raise",
    "mountain-climber": "Mountain Climbers",
    "mountain-climber-slider": "Slider Mountain Climbers",
    "mountain-climber-mini-band": "Mini-Band Mountain Climbers",
    "banded-hip-march": "Banded Hip March",
    "standing-hip-flexor-raise": "Standing Hip Flexor Raise",
    "l-sit-tucked": "Tucked L-Sit",
    "l-sit-one-leg": "One-Leg L-Sit",
    "l-sit-hold": "L-Sit Hold",
    "reverse-nordic": "Reverse Nordic",
    "kneeling-lunge-stretch": "Kneeling Lunge Stretch",
    "kneeling-lunge-active": "Active Kneeling Lunge",
    "pigeon-pose": "Pigeon Pose",
    "lizard-pose": "Lizard Pose",
}
HIP_FLEXORS = {
    "psoas-major", "iliacus", "rectus-femoris", "sartorius", "pectineus",
    "tensor-fasciae-latae", "adductors", "gracilis",
}
SUPPORTING = {"abs", "obliques", "quadriceps", "glutes"}
L_SIT_LADDER = ("l-sit-tucked", "l-sit-one-leg", "l-sit-hold")


# --------------------------------------------------------------------------- helpers


def toml_value(value: Any) -> str:
    """Inline TOML for the subset the data files use (the stdlib only reads TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def dump_toml(document: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in document.items())


def copy_resources(tmp_path: Path) -> Path:
    """A private copy of the bundled catalog, muscles and workouts to break at will."""
    root = tmp_path / "resources"
    root.mkdir()
    source = resource_root()
    shutil.copytree(source / "catalog", root / "catalog")
    shutil.copytree(source / "workouts", root / "workouts")
    shutil.copy2(source / "muscles.toml", root / "muscles.toml")
    return root


def rewrite(root: Path, relative: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Load a data file, apply ``change`` to its dict and write it back as TOML."""
    path = root / relative
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(dump_toml(document), encoding="utf-8")


def replace_text(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def expect_error(root: Path, file: str, field: str, problem: str = "") -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        load_catalog(root)
    error = caught.value
    assert (error.file, error.field_name) == (file, field), str(error)
    assert file in str(error)
    assert field in str(error)
    assert problem.casefold() in error.problem.casefold()
    return error


@cache
def bundled_documents() -> tuple[tuple[str, dict[str, Any]], ...]:
    folder = resource_root() / "catalog"
    return tuple(
        (f"catalog/{path.name}", tomllib.loads(path.read_text(encoding="utf-8")))
        for path in sorted(folder.glob("*.toml"))
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


# --------------------------------------------------------------------------- bundled data


def test_every_article_movement_is_present_with_its_name(catalog: Catalog) -> None:
    assert {m.id: m.name for m in catalog} == ARTICLE_MOVEMENTS


def test_every_movement_is_fully_described(catalog: Catalog) -> None:
    for movement in catalog:
        assert movement.summary.strip(), movement.id
        assert movement.steps, movement.id
        assert all(s.strip() for s in movement.steps), movement.id
        assert movement.cues, movement.id
        assert all(c.strip() for c in movement.cues), movement.id
        assert movement.mistakes, movement.id
        assert movement.progressions, movement.id
        assert movement.regressions, movement.id
        assert movement.muscles.primary, movement.id
        assert movement.equipment, movement.id
        assert movement.source_note.strip(), movement.id
        assert movement.key_cue.strip(), movement.id
        assert len(movement.key_cue) <= 48, movement.id
        assert movement.icon == f"{movement.id}.svg"


def test_every_muscle_id_in_the_catalog_is_in_the_reference(catalog: Catalog) -> None:
    known = {m.id for m in load_muscles()}
    for movement in catalog:
        assert set(movement.muscles.all()) <= known, movement.id


def test_every_prescription_and_option_is_valid(catalog: Catalog) -> None:
    for movement in catalog:
        assert movement.prescription.validate(movement.kind) == [], movement.id
        for option in movement.options:
            assert option.prescription.validate(movement.kind) == [], (movement.id, option.label)


def test_kinds_and_categories_are_from_the_allowed_sets(catalog: Catalog) -> None:
    assert {m.kind for m in catalog} <= set(Kind)
    assert {m.kind.value for m in catalog} <= {"reps", "hold", "interval", "per_side"}
    assert {m.category for m in catalog} == {"strength", "stretch"}
    stretches = {m.id for m in catalog if m.category == "stretch"}
    assert stretches == {
        "kneeling-lunge-stretch", "kneeling-lunge-active", "pigeon-pose", "lizard-pose"
    }
    assert all(catalog.get(i).kind is Kind.PER_SIDE for i in stretches)


def test_to_json_has_exactly_the_documented_keys(catalog: Catalog) -> None:
    required = {
        "id", "name", "kind", "muscles", "equipment", "steps", "cues", "mistakes",
        "progressions", "regressions", "prescription", "source_note",
    }
    extras = {"category", "summary", "prescription_options", "variant_of", "ladder"}
    for movement in catalog:
        data = movement.to_json()
        assert set(data) == required | extras
        assert data["kind"] in {"reps", "hold", "interval", "per_side"}
        assert set(data["muscles"]) == {"primary", "secondary"}
        json.dumps(data)  # must be JSON-ready


def test_display_order_follows_the_order_field(catalog: Catalog) -> None:
    ids = [m.id for m in catalog]
    assert ids[0] == "lying-leg-raise"
    assert ids.index("l-sit-tucked") < ids.index("l-sit-one-leg") < ids.index("l-sit-hold")
    assert ids[-1] == "lizard-pose"


def test_variants_and_ladder(catalog: Catalog) -> None:
    variants = {m.id: m.variant_of for m in catalog if m.variant_of}
    assert variants == {
        "mountain-climber-slider": "mountain-climber",
        "mountain-climber-mini-band": "mountain-climber",
        "kneeling-lunge-active": "kneeling-lunge-stretch",
    }
    for rung in L_SIT_LADDER:
        assert catalog.get(rung).ladder == L_SIT_LADDER
        assert catalog.get(rung).variant_of is None
    assert {m.id for m in catalog if m.ladder} == set(L_SIT_LADDER)


def test_equipment_words_are_plain_lowercase(catalog: Catalog) -> None:
    assert catalog.equipment() == [
        "ankle weight", "cable", "dumbbell", "kettlebell", "mat", "mini band", "none",
        "parallettes", "pull-up bar", "resistance band", "sliders",
    ]
    assert catalog.get("hanging-leg-raise").equipment == ("pull-up bar",)
    assert catalog.get("mountain-climber-slider").equipment == ("sliders",)
    assert catalog.get("mountain-climber-mini-band").equipment == ("mini band",)


# --------------------------------------------------------------------------- article figures


def test_leg_raises_match_the_article(catalog: Catalog) -> None:
    hanging = catalog.get("hanging-leg-raise")
    assert hanging.kind is Kind.REPS
    assert (hanging.prescription.sets, hanging.prescription.reps_min) == (3, 8)
    assert hanging.prescription.reps_max == 10
    assert any("lying leg raise" in r.casefold() for r in hanging.regressions)
    assert any("ankle weight" in p.casefold() for p in hanging.progressions)
    assert any("parallel" in c for c in hanging.cues)
    assert any("2–3" in c or "two to three" in c for c in hanging.cues)
    lying = catalog.get("lying-leg-raise")
    assert any("70–90" in c for c in lying.cues)
    for movement in (hanging, lying):
        assert "abs" in movement.muscles.all()
        assert {"psoas-major", "iliacus"} <= set(movement.muscles.primary)


def test_mountain_climbers_match_the_article(catalog: Catalog) -> None:
    climber = catalog.get("mountain-climber")
    assert climber.kind is Kind.INTERVAL
    p = climber.prescription
    assert (p.rounds, p.work_seconds, p.interval_rest_seconds) == (3, 30, 30)
    options = {o.label: o.prescription for o in climber.options}
    assert "8–12" in options["Warm-up"].note
    assert 2 <= (options["Warm-up"].rounds or 0) <= 3
    endurance = options["Strength-endurance"]
    assert 20 <= (endurance.work_seconds or 0) <= 30
    assert "1 s" in endurance.note
    for option in options.values():
        assert 20 <= (option.work_seconds or 0) <= 40
    assert {"abs", "obliques"} <= set(climber.muscles.all())


def test_l_sits_accumulate_brief_holds(catalog: Catalog) -> None:
    for rung in L_SIT_LADDER:
        p = catalog.get(rung).prescription
        assert catalog.get(rung).kind is Kind.HOLD
        assert p.accumulate is True
        assert (p.brief_hold_min, p.brief_hold_max, p.hold_seconds) == (5, 15, 30)


def test_standing_raise_holds_at_the_top(catalog: Catalog) -> None:
    p = catalog.get("standing-hip-flexor-raise").prescription
    assert (p.sets, p.reps_min, p.reps_max, p.top_hold_seconds) == (3, 10, 10, 2)
    equipment = set(catalog.get("standing-hip-flexor-raise").equipment)
    assert {"resistance band", "cable", "kettlebell"} <= equipment


def test_muscle_targets_follow_the_article(catalog: Catalog) -> None:
    assert catalog.get("reverse-nordic").muscles.primary[0] == "rectus-femoris"
    pigeon = set(catalog.get("pigeon-pose").muscles.primary)
    assert {"glutes", "psoas-major", "rectus-femoris"} <= pigeon
    assert "adductors" in catalog.get("lizard-pose").muscles.primary
    for lunge in ("kneeling-lunge-stretch", "kneeling-lunge-active"):
        primary = set(catalog.get(lunge).muscles.primary)
        assert {"psoas-major", "iliacus", "rectus-femoris"} <= primary
    assert "glutes" in catalog.get("kneeling-lunge-active").muscles.all()


def test_source_notes_say_when_a_figure_is_the_apps_choice(catalog: Catalog) -> None:
    for movement_id in (
        "reverse-nordic", "kneeling-lunge-stretch", "kneeling-lunge-active", "pigeon-pose",
        "lizard-pose", "banded-hip-march", "lying-leg-raise",
    ):
        assert "app's choice" in catalog.get(movement_id).source_note, movement_id


# --------------------------------------------------------------------------- muscles


def test_muscle_reference_has_the_eight_hip_flexors_and_the_helpers() -> None:
    muscles = {m.id: m for m in load_muscles()}
    assert set(muscles) == HIP_FLEXORS | SUPPORTING
    assert {i for i, m in muscles.items() if m.hip_flexor} == HIP_FLEXORS
    assert muscles["psoas-major"].group == muscles["iliacus"].group == "iliopsoas"
    for muscle in muscles.values():
        for text in (muscle.name, muscle.location, muscle.role, muscle.group):
            assert text.strip(), muscle.id


def test_muscle_name_lookup() -> None:
    assert muscle_name("psoas-major") == "Psoas major"
    assert muscle_name("tensor-fasciae-latae") == "Tensor fasciae latae"
    assert muscle_info("glutes").hip_flexor is False
    with pytest.raises(KeyError, match="no-such-muscle"):
        muscle_name("no-such-muscle")


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (lambda d: d["muscles"][0].pop("role"), "muscles[0].role", "missing"),
        (lambda d: d["muscles"][1].update(colour="red"), "muscles[1].colour", "unknown"),
        (lambda d: d["muscles"][2].update(hip_flexor="yes"), "muscles[2].hip_flexor", "true or"),
        (lambda d: d["muscles"][3].update(name=""), "muscles[3].name", "empty"),
        (lambda d: d["muscles"][4].update(id="Pectineus Muscle"), "muscles[4].id", "lowercase"),
        (lambda d: d["muscles"].append(dict(d["muscles"][0])), "muscles[12].id", "duplicate"),
        (lambda d: d.update(extra=1), "extra", "unknown"),
        (lambda d: d.pop("muscles"), "muscles", "missing"),
        (lambda d: d.update(muscles=[]), "muscles", "at least one"),
    ],
)
def test_malformed_muscle_reference_is_rejected(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], field: str, problem: str
) -> None:
    root = copy_resources(tmp_path)
    rewrite(root, "muscles.toml", change)
    with pytest.raises(CatalogError) as caught:
        load_muscles(root)
    assert (caught.value.file, caught.value.field_name) == ("muscles.toml", field)
    assert problem in caught.value.problem
    with pytest.raises(CatalogError):  # the catalog refuses to load on a broken reference
        load_catalog(root)


def test_muscle_reference_syntax_error(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    replace_text(root, "muscles.toml", 'id = "iliacus"', 'id = "iliacus')
    with pytest.raises(CatalogError) as caught:
        load_muscles(root)
    assert caught.value.field_name == "(syntax)"


# --------------------------------------------------------------------------- strict loading


def test_a_copy_of_the_bundled_data_loads_identically(tmp_path: Path, catalog: Catalog) -> None:
    root = copy_resources(tmp_path)
    for path in (root / "catalog").glob("*.toml"):
        rewrite(root, f"catalog/{path.name}", lambda d: None)  # round-trip through dump_toml
    assert [m.to_json() for m in load_catalog(root)] == [m.to_json() for m in catalog]


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    replace_text(root, "catalog/reverse-nordic.toml", 'kind = "reps"', 'kind = "reps')
    error = expect_error(root, "catalog/reverse-nordic.toml", "(syntax)", "invalid TOML")
    assert "line" in error.problem


def test_non_utf8_file_is_rejected(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    (root / "catalog" / "pigeon-pose.toml").write_bytes(b'name = "\xff"\n')
    expect_error(root, "catalog/pigeon-pose.toml", "(file)", "UTF-8")


MOVEMENT_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    # (movement id, change, field named in the error, words in the problem)
    ("pigeon-pose", lambda d: d.pop("summary"), "summary", "missing"),
    ("pigeon-pose", lambda d: d.pop("prescription"), "prescription", "missing"),
    ("pigeon-pose", lambda d: d["muscles"].pop("primary"), "muscles.primary", "missing"),
    ("lizard-pose", lambda d: d.update(order="10"), "order", "whole number"),
    ("lizard-pose", lambda d: d.update(order=True), "order", "whole number"),
    ("lizard-pose", lambda d: d.update(name=42), "name", "must be a string"),
    ("lizard-pose", lambda d: d.update(cues="Hips low"), "cues", "array"),
    ("lizard-pose", lambda d: d.update(steps=["ok", 3]), "steps[1]", "string"),
    ("lizard-pose", lambda d: d.update(muscles=["psoas-major"]), "muscles", "table"),
    ("lizard-pose", lambda d: d["prescription"].update(sets=2.5), "prescription.sets",
     "whole number"),
    ("lizard-pose", lambda d: d.update(kind="jumping"), "kind", "'jumping' is not one of"),
    ("lizard-pose", lambda d: d.update(category="cardio"), "category", "not one of"),
    ("mountain-climber", lambda d: d["muscles"]["primary"].append("six-pack"),
     "muscles.primary[3]", "unknown muscle id 'six-pack'"),
    ("mountain-climber", lambda d: d["muscles"]["secondary"].insert(0, "psoas-major"),
     "muscles.secondary[0]", "already a primary"),
    ("mountain-climber", lambda d: d["prescription"].update(rounds=0), "prescription.rounds",
     "between 1 and 50"),
    ("mountain-climber", lambda d: d["prescription"].pop("work_seconds"),
     "prescription.work_seconds", "required"),
    ("mountain-climber", lambda d: d["prescription"].update(hold_seconds=5),
     "prescription.hold_seconds", "does not apply"),
    ("mountain-climber", lambda d: d["options"][1].update(work_seconds=4000),
     "options[1].work_seconds", "between 1 and 3600"),
    ("mountain-climber", lambda d: d["options"][0].pop("label"), "options[0].label", "missing"),
    ("mountain-climber", lambda d: d["options"][1].update(label="warm-up"), "options[1].label",
     "duplicate"),
    ("hanging-leg-raise", lambda d: d["prescription"].update(reps_min=12),
     "prescription.reps_max", "at least the minimum"),
    ("hanging-leg-raise", lambda d: d["prescription"].update(speed=3), "prescription.speed",
     "unknown field"),
    ("l-sit-hold", lambda d: d["prescription"].update(accumulate=False),
     "prescription.brief_hold_min", "accumulate"),
    ("l-sit-hold", lambda d: d["prescription"].update(brief_hold_min=20),
     "prescription.brief_hold_max", "at least the shortest"),
    ("l-sit-hold", lambda d: d.update(ladder=["l-sit-tucked", "l-sit-hold", "l-sit-floating"]),
     "ladder[2]", "unknown movement id"),
    ("l-sit-hold", lambda d: d.update(ladder=["l-sit-hold", "l-sit-one-leg", "l-sit-tucked"]),
     "ladder", "different ladder"),
    ("l-sit-tucked", lambda d: d.update(ladder=["l-sit-one-leg", "l-sit-tucked", "l-sit-hold"]),
     "ladder", "different ladder"),
    ("l-sit-tucked", lambda d: d.update(ladder=["l-sit-tucked"]), "ladder", "two rungs"),
    ("l-sit-tucked", lambda d: d.update(ladder=["l-sit-tucked", "l-sit-tucked"]), "ladder[1]",
     "listed twice"),
    ("l-sit-tucked", lambda d: d.update(ladder=["l-sit-tucked", "l-sit-floating"]),
     "ladder[1]", "unknown movement id"),
    ("l-sit-tucked", lambda d: d.update(ladder=["l-sit-one-leg", "l-sit-hold"]), "ladder",
     "must include"),
    ("mountain-climber-slider", lambda d: d.update(variant_of="mountain-climbers"),
     "variant_of", "unknown movement id"),
    ("mountain-climber-slider", lambda d: d.update(variant_of="mountain-climber-slider"),
     "variant_of", "itself"),
    ("mountain-climber-slider", lambda d: d.update(variant_of="mountain-climber-mini-band"),
     "variant_of", "itself a variant"),
    ("banded-hip-march", lambda d: d.update(colour="red"), "colour", "unknown field"),
    ("banded-hip-march", lambda d: d["muscles"].update(tertiary=[]), "muscles.tertiary",
     "unknown field"),
    ("banded-hip-march", lambda d: d.update(cues=[]), "cues", "at least one"),
    ("banded-hip-march", lambda d: d.update(steps=["  "]), "steps[0]", "empty"),
    ("banded-hip-march", lambda d: d.update(id="hip-march"), "id", "file name"),
    ("banded-hip-march", lambda d: d.update(id="Banded March"), "id", "lowercase"),
    ("banded-hip-march", lambda d: d.update(icon="march.png"), "icon", "banded-hip-march.svg"),
    ("banded-hip-march", lambda d: d.update(equipment=["Mini Band"]), "equipment[0]",
     "lowercase"),
    ("banded-hip-march", lambda d: d.update(equipment=["none", "mat"]), "equipment", "'none'"),
    ("banded-hip-march", lambda d: d.update(key_cue="x" * 49), "key_cue", "at most 48"),
    ("pigeon-pose", lambda d: d.update(name="banded hip MARCH"), "name",
     "duplicate name 'banded hip MARCH' (also in catalog/banded-hip-march.toml)"),
]


@pytest.mark.parametrize(
    ("movement_id", "change", "field", "problem"),
    MOVEMENT_CASES,
    ids=[f"{case[0]}:{case[2]}:{case[3]}" for case in MOVEMENT_CASES],
)
def test_malformed_movement_is_rejected_naming_file_and_field(
    tmp_path: Path,
    movement_id: str,
    change: Callable[[dict[str, Any]], None],
    field: str,
    problem: str,
) -> None:
    root = copy_resources(tmp_path)
    rewrite(root, f"catalog/{movement_id}.toml", change)
    expect_error(root, f"catalog/{movement_id}.toml", field, problem)


def test_duplicate_id_blames_the_copy_not_the_original(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    for copy_name in ("pigeon-pose-2.toml", "a-copy.toml", "zz.toml"):
        shutil.copy2(root / "catalog" / "pigeon-pose.toml", root / "catalog" / copy_name)
        error = expect_error(root, f"catalog/{copy_name}", "id", "duplicate id 'pigeon-pose'")
        assert "catalog/pigeon-pose.toml" in error.problem
        (root / "catalog" / copy_name).unlink()


def test_stray_file_in_the_catalog_directory_is_an_error(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    (root / "catalog" / "notes.txt").write_text("todo", encoding="utf-8")
    expect_error(root, "catalog/notes.txt", "(file)", "only .toml")


def test_hidden_files_are_not_data(tmp_path: Path, catalog: Catalog) -> None:
    root = copy_resources(tmp_path)
    (root / "catalog" / ".gitkeep").write_text("", encoding="utf-8")
    assert len(load_catalog(root)) == len(catalog)


def test_missing_or_empty_catalog_directory(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    for path in (root / "catalog").iterdir():
        path.unlink()
    expect_error(root, "catalog", "(file)", "no .toml files")
    (root / "catalog").rmdir()
    expect_error(root, "catalog", "(file)", "not found")


def test_prescription_type_table_covers_every_field() -> None:
    assert set(PRESCRIPTION_FIELD_TYPES) == set(Prescription.__dataclass_fields__)
    assert PRESCRIPTION_FIELD_TYPES["sets"] is int
    assert PRESCRIPTION_FIELD_TYPES["reps_min"] is int
    assert PRESCRIPTION_FIELD_TYPES["accumulate"] is bool
    assert PRESCRIPTION_FIELD_TYPES["note"] is str


# --------------------------------------------------------------------------- fuzzing

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["reps", "hold", "interval", "per_side", "psoas-major", "mountain-climber",
                     "l-sit-hold", "", " ", "none", "mat"]),
    st.dates(),
    st.times(),
    st.datetimes(),
)
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every addressable spot in a document: dict keys and list indexes, at any depth."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, child in value.items():
            found.append((*prefix, key))
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.append((*prefix, index))
            found.extend(_paths(child, (*prefix, index)))
    return found


@st.composite
def mutated_documents(draw: st.DrawFn) -> tuple[int, dict[str, Any]]:
    documents = bundled_documents()
    index = draw(st.integers(min_value=0, max_value=len(documents) - 1))
    document = copy.deepcopy(documents[index][1])
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        paths = _paths(document)
        top_level = [p for p in paths if len(p) == 1]
        # Half the time aim at a top-level field: that is where most rules live.
        path = draw(st.one_of(st.sampled_from(top_level), st.sampled_from(paths)))
        *parents, last = path
        container: Any = document
        for step in parents:
            container = container[step]
        # Replacing is weighted up: wrong types are the subtle case; missing/unknown are simple.
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        if action == "delete":
            del container[last]
        elif action == "replace":
            container[last] = draw(_values)
        elif isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=8))] = draw(_values)
        else:
            container.append(draw(_values))
    return index, document


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_random_mutations_load_or_raise_catalog_error(mutation: tuple[int, dict[str, Any]]) -> None:
    index, document = mutation
    documents = list(bundled_documents())
    file = documents[index][0]
    documents[index] = (file, document)
    known = {m.id for m in load_muscles()}
    failure: CatalogError | None = None
    try:
        catalog = catalog_from_documents(documents, known)
    except CatalogError as caught:  # any other exception type fails the test
        failure = caught
    if failure is not None:
        assert failure.file.startswith("catalog/")
        assert failure.field_name
        return
    # Whatever survived must be a complete, valid movement.
    for movement in catalog:
        assert movement.prescription.validate(movement.kind) == []
        assert movement.cues
        assert movement.steps
        assert movement.muscles.primary


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", None),
        ("order", math.nan),
        ("order", 10.0),
        ("name", date(2024, 1, 1)),
        ("tags", [time(1, 2)]),
        ("prescription", {"sets": datetime(2024, 1, 1)}),
    ],
)
def test_values_toml_cannot_express_are_rejected_cleanly(field: str, value: object) -> None:
    """Callers may hand dicts from elsewhere (or a fuzzer); every check must be total."""
    documents = list(bundled_documents())
    file, original = documents[0]
    documents[0] = (file, {**original, field: value})
    with pytest.raises(CatalogError) as caught:
        catalog_from_documents(documents, {m.id for m in load_muscles()})
    assert caught.value.file == file
    assert caught.value.field_name.startswith(field)
