"""Exercise names in other apps' files, mapped to Hipflex catalog ids.

Names are compared after :func:`normalise_name`: case folded, every run of
punctuation or spaces turned into one space, so "L-Sit", "l sit" and "L  SIT"
are one name. Only true synonyms are listed: a hanging *knee* raise is an easier
movement than a hanging *leg* raise, so it is not an alias of it and becomes a
custom exercise instead. A name that is not here becomes ``custom:<slug>``;
it is never dropped. ``docs/data-format.md`` prints this table.
"""

from __future__ import annotations

import re
import unicodedata

#: The name written for each catalog id on export (the catalog's own name; always an alias).
CANONICAL_NAMES: dict[str, str] = {
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

#: Other names people and apps use for the same movement.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "lying-leg-raise": (
        "Lying Leg Raises",
        "Leg Raise (Lying)",
        "Lying Straight Leg Raise",
        "Floor Leg Raise",
        "Supine Leg Raise",
    ),
    "hanging-leg-raise": (
        "Hanging Leg Raises",
        "Leg Raise (Hanging)",
        "Hanging Straight Leg Raise",
    ),
    "mountain-climber": ("Mountain Climber", "Mountain Climber (Bodyweight)"),
    "mountain-climber-slider": (
        "Slider Mountain Climber",
        "Sliding Mountain Climber",
        "Sliding Mountain Climbers",
        "Mountain Climber (Sliders)",
        "Mountain Climber (Slider)",
        "Mountain Climbers (Sliders)",
    ),
    "mountain-climber-mini-band": (
        "Mini-Band Mountain Climber",
        "Banded Mountain Climber",
        "Banded Mountain Climbers",
        "Mountain Climber (Mini Band)",
        "Mountain Climber (Band)",
        "Mountain Climbers (Band)",
    ),
    "banded-hip-march": (
        "Banded Hip Marches",
        "Hip March (Band)",
        "Band Hip March",
        "Resistance Band Hip March",
    ),
    "standing-hip-flexor-raise": (
        "Standing Hip Flexor Raises",
        "Hip Flexor Raise (Standing)",
        "Standing Hip Flexion",
    ),
    "l-sit-tucked": (
        "Tuck L-Sit",
        "Tuck L Sit",
        "L-Sit (Tucked)",
        "L-Sit (Tuck)",
        "Tucked L-Sit Hold",
    ),
    "l-sit-one-leg": (
        "One Leg L-Sit",
        "Single-Leg L-Sit",
        "Single Leg L Sit",
        "L-Sit (One Leg)",
        "L-Sit (Single Leg)",
    ),
    "l-sit-hold": ("L-Sit", "L Sit Hold", "L-Sits", "L-Sit (Hold)", "L-Hold", "L-Sit Holds"),
    "reverse-nordic": ("Reverse Nordics", "Reverse Nordic Curl", "Reverse Nordic Curls"),
    "kneeling-lunge-stretch": (
        "Kneeling Lunge",
        "Kneeling Hip Flexor Stretch",
        "Half-Kneeling Hip Flexor Stretch",
        "Kneeling Lunge Hip Flexor Stretch",
    ),
    "kneeling-lunge-active": (
        "Kneeling Lunge Stretch (Active)",
        "Active Kneeling Lunge Stretch",
        "Active Kneeling Hip Flexor Stretch",
    ),
    "pigeon-pose": ("Pigeon Stretch", "Pigeon", "Pigeon Pose Stretch"),
    "lizard-pose": ("Lizard Stretch", "Lizard", "Lizard Lunge"),
}

CUSTOM_PREFIX = "custom:"

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for every comparison."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain).strip()


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for exercise_id, canonical in CANONICAL_NAMES.items():
        for name in (canonical, *SYNONYMS.get(exercise_id, ())):
            key = normalise_name(name)
            previous = table.setdefault(key, exercise_id)
            if previous != exercise_id:  # pragma: no cover - guarded by a test
                raise ValueError(f"alias {name!r} is claimed by {previous} and {exercise_id}")
    return table


ALIASES: dict[str, str] = _build_table()


def catalog_id_for(name: str) -> str | None:
    """The catalog id a name stands for, or None when it is not a known synonym."""
    return ALIASES.get(normalise_name(name))


def custom_id_for(name: str) -> str:
    """``custom:<slug>``; names equal after normalisation share one custom exercise."""
    slug = normalise_name(name).replace(" ", "-")
    return CUSTOM_PREFIX + (slug or "unnamed")


def exercise_id_for(name: str) -> tuple[str, bool]:
    """``(id, is_custom)`` for a name met in a file."""
    known = catalog_id_for(name)
    if known is not None:
        return known, False
    return custom_id_for(name), True


def display_name(exercise_id: str, custom_names: dict[str, str] | None = None) -> str:
    """The name to write on export: catalog name, custom name, or the id itself."""
    if exercise_id in CANONICAL_NAMES:
        return CANONICAL_NAMES[exercise_id]
    if custom_names and exercise_id in custom_names:
        return custom_names[exercise_id]
    if exercise_id.startswith(CUSTOM_PREFIX):
        return exercise_id.removeprefix(CUSTOM_PREFIX).replace("-", " ").title()
    return exercise_id
