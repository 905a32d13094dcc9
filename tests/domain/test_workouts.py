"""Built-in workout templates, name rules and whole-workout validation."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipflex_desktop.domain.catalog import Catalog, CatalogError
from hipflex_desktop.domain.catalog_loader import (
    load_builtin_workouts,
    load_catalog,
    read_toml,
    workouts_from_documents,
)
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.domain.workouts import (
    NAME_MAX_LENGTH,
    Block,
    Workout,
    validate_name,
    validate_workout,
)
from hipflex_desktop.resources import resource_root
from tests.domain.test_catalog import copy_resources, replace_text, rewrite

BUILTIN_IDS = ["hip-flexor-workout", "l-sit-nordic-accessory", "hip-flexor-stretch-routine"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def builtins(catalog: Catalog) -> list[Workout]:
    return load_builtin_workouts(catalog)


def by_id(workouts: list[Workout], workout_id: str) -> Workout:
    return next(w for w in workouts if w.id == workout_id)


def custom(
    name: str, workout_id: str = "custom-1", blocks: tuple[Block, ...] | None = None
) -> Workout:
    if blocks is None:
        blocks = (Block("lying-leg-raise", Prescription(sets=3, reps_min=10, reps_max=12)),)
    return Workout(id=workout_id, name=name, blocks=blocks)


# --------------------------------------------------------------------------- built-ins


def test_builtins_load_in_display_order(builtins: list[Workout], catalog: Catalog) -> None:
    assert [w.id for w in builtins] == BUILTIN_IDS
    for workout in builtins:
        assert workout.builtin is True
        assert workout.description.strip()
        assert validate_workout(workout, catalog, builtins) == []


def test_hip_flexor_workout_matches_the_article(builtins: list[Workout], catalog: Catalog) -> None:
    workout = by_id(builtins, "hip-flexor-workout")
    assert workout.name == "Hip Flexor Workout"
    hanging, raise_, climbers = workout.blocks
    assert hanging.movement_id == "hanging-leg-raise"
    assert hanging.fallback_movement_id == "lying-leg-raise"
    assert (hanging.prescription.sets, hanging.prescription.reps_min) == (3, 8)
    assert hanging.prescription.reps_max == 10
    assert hanging.prescription.summary(Kind.REPS).startswith("3 × 8–10 reps")

    assert raise_.movement_id == "standing-hip-flexor-raise"
    p = raise_.prescription
    assert (p.sets, p.reps_min, p.reps_max, p.top_hold_seconds) == (3, 10, 10, 2)

    assert climbers.movement_id == "mountain-climber"
    assert catalog.get("mountain-climber").kind is Kind.INTERVAL
    c = climbers.prescription
    assert (c.rounds, c.work_seconds, c.interval_rest_seconds) == (3, 30, 30)


def test_accessory_and_stretch_routines(builtins: list[Workout], catalog: Catalog) -> None:
    accessory = by_id(builtins, "l-sit-nordic-accessory")
    assert [b.movement_id for b in accessory.blocks] == ["l-sit-hold", "reverse-nordic"]
    l_sit = accessory.blocks[0].prescription
    assert l_sit.accumulate is True
    assert (l_sit.brief_hold_min, l_sit.brief_hold_max) == (5, 15)
    assert accessory.blocks[0].fallback_movement_id == "l-sit-tucked"

    stretches = by_id(builtins, "hip-flexor-stretch-routine")
    assert [b.movement_id for b in stretches.blocks] == [
        "kneeling-lunge-stretch", "pigeon-pose", "lizard-pose"
    ]
    for block in stretches.blocks:
        assert catalog.get(block.movement_id).kind is Kind.PER_SIDE
        assert block.prescription.side_seconds
    assert stretches.blocks[1].fallback_movement_id == "kneeling-lunge-stretch"


def test_duplicating_a_builtin_makes_an_editable_copy(builtins: list[Workout]) -> None:
    original = builtins[0]
    copy_ = original.duplicated("My Hip Flexors")
    assert copy_.builtin is False
    assert copy_.id != original.id
    assert copy_.id.startswith("custom-")
    assert copy_.blocks == original.blocks


def test_workout_dict_round_trip(builtins: list[Workout]) -> None:
    for workout in builtins:
        assert Workout.from_dict(workout.to_dict()) == workout


# --------------------------------------------------------------------------- names


def test_empty_or_blank_name_is_rejected() -> None:
    for name in ("", "   ", "\t\n"):
        errors = validate_name(name, "custom-1", [])
        assert [e.field for e in errors] == ["name"]
        assert errors[0].message == "Give the workout a name."


def test_overlong_name_is_rejected() -> None:
    assert validate_name("x" * NAME_MAX_LENGTH, "custom-1", []) == []
    errors = validate_name("x" * (NAME_MAX_LENGTH + 1), "custom-1", [])
    assert [e.field for e in errors] == ["name"]
    assert validate_name(f"  {'x' * NAME_MAX_LENGTH}  ", "custom-1", []) == []


def test_duplicate_name_is_case_and_space_insensitive(builtins: list[Workout]) -> None:
    for name in ("hip flexor workout", "HIP  FLEXOR   Workout", "  Hip Flexor Workout "):
        errors = validate_name(name, "custom-1", builtins)
        assert [e.field for e in errors] == ["name"]
        assert "Hip Flexor Workout" in errors[0].message


def test_a_workout_may_keep_its_own_name(builtins: list[Workout]) -> None:
    assert validate_name("Hip Flexor Workout", "hip-flexor-workout", builtins) == []
    mine = custom("Morning Hips", "custom-7")
    assert validate_name("morning hips", "custom-7", [mine]) == []
    assert validate_name("morning hips", "custom-8", [mine]) != []


def test_a_fresh_name_is_fine(builtins: list[Workout]) -> None:
    assert validate_name("Hip Flexor Workout 2", "custom-1", builtins) == []


# --------------------------------------------------------------------------- whole workouts


def test_valid_custom_workout_has_no_problems(catalog: Catalog, builtins: list[Workout]) -> None:
    assert validate_workout(custom("Leg Raises"), catalog, builtins) == []


def test_workout_needs_blocks(catalog: Catalog) -> None:
    problems = validate_workout(custom("Empty", blocks=()), catalog, [])
    assert [(i, e.field) for i, e in problems] == [(None, "blocks")]


def test_unknown_movement_is_reported_by_block(catalog: Catalog) -> None:
    blocks = (
        Block("lying-leg-raise", Prescription(sets=3, reps_min=10, reps_max=12)),
        Block("cartwheel", Prescription(sets=3, reps_min=10, reps_max=12)),
    )
    problems = validate_workout(custom("Odd", blocks=blocks), catalog, [])
    assert [(i, e.field) for i, e in problems] == [(1, "movement_id")]
    assert "cartwheel" in problems[0][1].message


def test_block_prescriptions_are_checked_against_the_movement_kind(catalog: Catalog) -> None:
    blocks = (
        Block(
            "mountain-climber",
            Prescription(rounds=0, work_seconds=30, interval_rest_seconds=30),
        ),
        Block("pigeon-pose", Prescription(sets=2, reps_min=10, reps_max=10)),  # no side time
    )
    problems = validate_workout(custom("Broken", blocks=blocks), catalog, [])
    assert [(i, e.field) for i, e in problems] == [(0, "rounds"), (1, "side_seconds")]


def test_name_and_block_problems_are_reported_together(
    catalog: Catalog, builtins: list[Workout]
) -> None:
    blocks = (Block("lying-leg-raise", Prescription(sets=0, reps_min=10, reps_max=12)),)
    problems = validate_workout(custom("hip flexor workout", blocks=blocks), catalog, builtins)
    assert [(i, e.field) for i, e in problems] == [(None, "name"), (0, "sets")]


# --------------------------------------------------------------------------- strict loading


def expect_workout_error(root: Path, file: str, field: str, problem: str) -> None:
    catalog = load_catalog(root)
    with pytest.raises(CatalogError) as caught:
        load_builtin_workouts(catalog, root)
    error = caught.value
    assert (error.file, error.field_name) == (file, field), str(error)
    assert file in str(error)
    assert field in str(error)
    assert problem.casefold() in error.problem.casefold()


WORKOUT_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("hip-flexor-workout", lambda d: d["blocks"][0].update(movement_id="toe-touch"),
     "blocks[0].movement_id", "unknown movement id 'toe-touch'"),
    ("hip-flexor-workout", lambda d: d["blocks"][1]["prescription"].update(reps_min=0),
     "blocks[1].prescription.reps_min", "between 1 and 100"),
    ("hip-flexor-workout", lambda d: d["blocks"][2]["prescription"].update(work_seconds="30"),
     "blocks[2].prescription.work_seconds", "whole number"),
    ("hip-flexor-workout", lambda d: d["blocks"][2]["prescription"].update(reps_min=10),
     "blocks[2].prescription.reps_min", "does not apply"),
    ("hip-flexor-workout", lambda d: d["blocks"][2].pop("prescription"),
     "blocks[2].prescription", "missing"),
    ("hip-flexor-workout", lambda d: d["blocks"][0].update(fallback_movement_id="crawl"),
     "blocks[0].fallback_movement_id", "unknown movement id"),
    ("hip-flexor-workout", lambda d: d["blocks"][0].update(fallback_movement_id="l-sit-hold"),
     "blocks[0].fallback_movement_id", "timed as hold"),
    ("hip-flexor-workout",
     lambda d: d["blocks"][0].update(fallback_movement_id="hanging-leg-raise"),
     "blocks[0].fallback_movement_id", "must differ"),
    ("hip-flexor-workout", lambda d: d["blocks"][0].update(sets=3), "blocks[0].sets",
     "unknown field"),
    ("hip-flexor-workout", lambda d: d.update(builtin=False), "builtin", "builtin = true"),
    ("hip-flexor-workout", lambda d: d.update(blocks=[]), "blocks", "at least one"),
    ("hip-flexor-workout", lambda d: d.update(author="me"), "author", "unknown field"),
    ("hip-flexor-workout", lambda d: d.pop("name"), "name", "missing"),
    ("hip-flexor-workout", lambda d: d.update(id="hip-flexors"), "id", "file name"),
    ("hip-flexor-workout", lambda d: d.update(tags="strength"), "tags", "array"),
    ("l-sit-nordic-accessory", lambda d: d.update(name="HIP FLEXOR workout"), "name",
     "already exists"),
    ("l-sit-nordic-accessory", lambda d: d.update(name=" " * 3), "name", "empty"),
    ("l-sit-nordic-accessory", lambda d: d.update(name="x" * 81), "name", "under 80"),
]


@pytest.mark.parametrize(
    ("workout_id", "change", "field", "problem"),
    WORKOUT_CASES,
    ids=[f"{case[0]}:{case[2]}:{case[3]}" for case in WORKOUT_CASES],
)
def test_malformed_workout_file_is_rejected(
    tmp_path: Path,
    workout_id: str,
    change: Callable[[dict[str, Any]], None],
    field: str,
    problem: str,
) -> None:
    root = copy_resources(tmp_path)
    rewrite(root, f"workouts/{workout_id}.toml", change)
    expect_workout_error(root, f"workouts/{workout_id}.toml", field, problem)


def test_workout_syntax_error(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    replace_text(root, "workouts/hip-flexor-stretch-routine.toml", "[[blocks]]", "[[blocks]")
    expect_workout_error(root, "workouts/hip-flexor-stretch-routine.toml", "(syntax)", "TOML")


def test_duplicate_workout_id_blames_the_copy(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    folder = root / "workouts"
    shutil.copy2(folder / "hip-flexor-workout.toml", folder / "hip-flexor-workout-v2.toml")
    expect_workout_error(root, "workouts/hip-flexor-workout-v2.toml", "id", "duplicate id")


def test_stray_file_in_workouts_directory(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    (root / "workouts" / "plan.json").write_text("{}", encoding="utf-8")
    expect_workout_error(root, "workouts/plan.json", "(file)", "only .toml")


def test_empty_workouts_directory_means_no_templates(tmp_path: Path) -> None:
    root = copy_resources(tmp_path)
    for path in (root / "workouts").iterdir():
        path.unlink()
    assert load_builtin_workouts(load_catalog(root), root) == []
    (root / "workouts").rmdir()
    with pytest.raises(CatalogError, match="not found"):
        load_builtin_workouts(load_catalog(root), root)


# --------------------------------------------------------------------------- fuzzing


@cache
def bundled_workout_documents() -> tuple[tuple[str, dict[str, Any]], ...]:
    folder = resource_root() / "workouts"
    return tuple(
        (f"workouts/{p.name}", read_toml(p, f"workouts/{p.name}"))
        for p in sorted(folder.glob("*.toml"))
    )


@cache
def bundled_catalog() -> Catalog:
    return load_catalog()


_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10),
        st.sampled_from(["lying-leg-raise", "l-sit-hold", "pigeon-pose", "Hip Flexor Workout"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)
_FIELDS = ["id", "order", "name", "builtin", "description", "tags", "blocks", "movement_id",
           "fallback_movement_id", "note", "prescription", "sets", "reps_min", "rounds"]


@settings(max_examples=200, deadline=None)
@given(
    index=st.integers(min_value=0, max_value=2),
    block=st.integers(min_value=0, max_value=2),
    level=st.sampled_from(["workout", "block", "prescription"]),
    key=st.one_of(st.sampled_from(_FIELDS), st.text(min_size=1, max_size=6)),
    value=_values,
    delete=st.booleans(),
)
def test_random_workout_mutations_load_or_raise_catalog_error(
    *, index: int, block: int, level: str, key: str, value: Any, delete: bool
) -> None:
    documents = [(f, copy.deepcopy(d)) for f, d in bundled_workout_documents()]
    document = documents[index][1]
    blocks = document["blocks"]
    chosen_block = blocks[block % len(blocks)]
    target = {
        "workout": document, "block": chosen_block, "prescription": chosen_block["prescription"]
    }[level]
    if delete:
        target.pop(key, None)
    else:
        target[key] = value
    failure: CatalogError | None = None
    try:
        workouts = workouts_from_documents(documents, bundled_catalog())
    except CatalogError as caught:  # any other exception type fails the test
        failure = caught
    if failure is not None:
        assert failure.file.startswith("workouts/")
        return
    for workout in workouts:
        assert validate_workout(workout, bundled_catalog(), []) == []
