"""The alias table: true synonyms only, insensitive to case and punctuation."""

from __future__ import annotations

import pytest

from hipflex_desktop.store.formats.aliases import (
    ALIASES,
    CANONICAL_NAMES,
    SYNONYMS,
    catalog_id_for,
    custom_id_for,
    display_name,
    exercise_id_for,
    normalise_name,
)

CATALOG_IDS = {
    "lying-leg-raise",
    "hanging-leg-raise",
    "mountain-climber",
    "mountain-climber-slider",
    "mountain-climber-mini-band",
    "banded-hip-march",
    "standing-hip-flexor-raise",
    "l-sit-tucked",
    "l-sit-one-leg",
    "l-sit-hold",
    "reverse-nordic",
    "kneeling-lunge-stretch",
    "kneeling-lunge-active",
    "pigeon-pose",
    "lizard-pose",
}


def test_every_catalog_id_has_an_export_name_and_nothing_else_does() -> None:
    assert set(CANONICAL_NAMES) == CATALOG_IDS
    assert set(SYNONYMS) <= CATALOG_IDS
    assert set(ALIASES.values()) == CATALOG_IDS


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hanging Leg Raise", "hanging-leg-raise"),
        ("hanging leg raises", "hanging-leg-raise"),
        ("Mountain Climber", "mountain-climber"),
        ("Mountain Climbers", "mountain-climber"),
        ("MOUNTAIN-CLIMBERS", "mountain-climber"),
        ("L-Sit", "l-sit-hold"),
        ("L Sit Hold", "l-sit-hold"),
        ("l_sit  hold!", "l-sit-hold"),
        ("Tuck L-Sit", "l-sit-tucked"),
        ("Reverse Nordic", "reverse-nordic"),
        ("Reverse Nordic Curl", "reverse-nordic"),
        ("Hip Flexor Raise (Standing)", "standing-hip-flexor-raise"),
        ("Half-Kneeling Hip Flexor Stretch", "kneeling-lunge-stretch"),
        ("Pigeon Pose", "pigeon-pose"),
        ("Lizard Lunge", "lizard-pose"),
        ("Mountain Climber (Sliders)", "mountain-climber-slider"),
        ("Mini-Band Mountain Climber", "mountain-climber-mini-band"),
    ],
)
def test_synonyms_map_to_their_catalog_id(name: str, expected: str) -> None:
    assert catalog_id_for(name) == expected


@pytest.mark.parametrize("name", ["Hanging Knee Raise", "Leg Raise", "Knee Raise", "Squat"])
def test_near_misses_are_not_aliases(name: str) -> None:
    """A hanging knee raise is an easier movement, not another name for the leg raise."""
    assert catalog_id_for(name) is None
    exercise_id, is_custom = exercise_id_for(name)
    assert is_custom
    assert exercise_id.startswith("custom:")


def test_custom_ids_are_slugs_shared_by_equal_names() -> None:
    assert custom_id_for("Squat (Barbell)") == "custom:squat-barbell"
    assert custom_id_for("squat  barbell") == "custom:squat-barbell"
    assert custom_id_for("Élévation") == "custom:elevation"
    assert custom_id_for("!!!") == "custom:unnamed"


def test_normalisation_folds_case_accents_and_punctuation() -> None:
    assert normalise_name("  L-SIT (Tucked)  ") == "l sit tucked"
    assert normalise_name("Pigeon\u00a0Pose") == "pigeon pose"


def test_display_names() -> None:
    assert display_name("l-sit-hold") == "L-Sit Hold"
    assert display_name("custom:squat-barbell", {"custom:squat-barbell": "Squat (Barbell)"}) == (
        "Squat (Barbell)"
    )
    assert display_name("custom:cable-crunch") == "Cable Crunch"
    assert display_name("some-new-catalog-id") == "some-new-catalog-id"


def test_the_shipped_catalog_names_resolve_to_their_ids() -> None:
    """If the catalog names a movement differently, the alias table must learn it."""
    try:
        from hipflex_desktop.domain.catalog_loader import load_catalog
    except ImportError:  # pragma: no cover - the loader ships with the app
        pytest.fail("the catalog loader is missing")
    catalog = load_catalog()
    unresolved = {m.id: m.name for m in catalog if catalog_id_for(m.name) != m.id}
    assert unresolved == {}
