"""Checks on the bundled artwork: movement icons, kind badges, the muscle diagram and launcher.

Qt renders SVG with its SVG Tiny 1.2 engine, which silently drops what it does
not support (CSS, filters, masks, markers, text). These tests keep the art
inside that subset, so every picture looks the same in the app as in an editor,
and they render the diagram to prove each muscle can actually be seen when the
UI highlights it.
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hipflex_desktop.domain.prescription import Kind
from hipflex_desktop.resources import resource_path, resource_root

SVG_NS = "{http://www.w3.org/2000/svg}"
REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGING = REPO_ROOT / "packaging"

INK = "#1f2933"
ACCENT = "#e4572e"
MUSCLE_FILL = "#e9edf1"
MUSCLE_STROKE = "#8a96a3"

MOVEMENT_IDS = (
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
)

MUSCLE_IDS = (
    "psoas-major",
    "iliacus",
    "rectus-femoris",
    "sartorius",
    "pectineus",
    "tensor-fasciae-latae",
    "adductors",
    "gracilis",
    "abs",
    "obliques",
    "quadriceps",
)

# The SVG Tiny 1.2 shapes and containers our art may use; anything else is a defect.
ALLOWED_ELEMENTS = frozenset(
    {"svg", "title", "desc", "g", "path", "circle", "ellipse", "rect", "line", "polyline"}
    | {"polygon"}
)
FORBIDDEN_ATTRIBUTES = frozenset(
    ["class", "style", "filter", "mask", "clip-path", "marker-start", "marker-mid", "marker-end"]
)


def _movement_icon(movement_id: str) -> Path:
    return resource_path("icons", "movements", f"{movement_id}.svg")


def _all_svgs() -> list[Path]:
    root = resource_root()
    return sorted(
        [
            *(root / "icons" / "movements").glob("*.svg"),
            *(root / "icons" / "kinds").glob("*.svg"),
            root / "icons" / "hipflex.svg",
            root / "diagrams" / "hip-front.svg",
            PACKAGING / "hipflex.svg",
        ]
    )


def _local(tag: str) -> str:
    return tag.removeprefix(SVG_NS)


def _parse(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert _local(root.tag) == "svg", f"{path.name}: root element is {root.tag}"
    return root


def _svg_id(path: Path) -> str:
    """A readable test id: 'movements/lizard-pose.svg' rather than a full path."""
    return f"{path.parent.name}/{path.name}"


ALL_SVGS = _all_svgs()


def test_artwork_set_is_complete() -> None:
    root = resource_root()
    assert sorted(p.stem for p in (root / "icons" / "movements").glob("*.svg")) == sorted(
        MOVEMENT_IDS
    )
    assert sorted(p.stem for p in (root / "icons" / "kinds").glob("*.svg")) == sorted(
        kind.value for kind in Kind
    )
    assert len(ALL_SVGS) == len(MOVEMENT_IDS) + len(Kind) + 3


@pytest.mark.parametrize("movement_id", MOVEMENT_IDS)
def test_every_movement_has_a_96px_icon(movement_id: str) -> None:
    root = _parse(_movement_icon(movement_id))
    assert root.get("viewBox") == "0 0 96 96"


def test_every_icon_named_in_the_catalog_exists() -> None:
    catalog_files = sorted((resource_root() / "catalog").glob("*.toml"))
    assert catalog_files, "no catalog files found"
    for catalog_file in catalog_files:
        icon = tomllib.loads(catalog_file.read_text(encoding="utf-8"))["icon"]
        assert resource_path("icons", "movements", icon).is_file(), catalog_file.name


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_every_kind_has_a_24px_badge(kind: Kind) -> None:
    root = _parse(resource_path("icons", "kinds", f"{kind.value}.svg"))
    assert root.get("viewBox") == "0 0 24 24"


@pytest.mark.parametrize("path", ALL_SVGS, ids=_svg_id)
def test_svg_stays_inside_the_tiny_subset_qt_renders(path: Path) -> None:
    for element in _parse(path).iter():
        name = _local(element.tag)
        assert name in ALLOWED_ELEMENTS, f"{path.name}: <{name}> is not allowed"
        bad = FORBIDDEN_ATTRIBUTES & set(element.attrib)
        assert not bad, f"{path.name}: <{name}> uses {sorted(bad)}"
        for value in element.attrib.values():
            assert "url(" not in value, f"{path.name}: paint servers (gradients) are not allowed"
    text = path.read_text(encoding="utf-8")
    for forbidden in ("<text", "<style", "<filter", "Gradient", "<mask", "<marker", "<image"):
        assert forbidden not in text, f"{path.name} contains {forbidden}"


@pytest.mark.parametrize("path", ALL_SVGS, ids=_svg_id)
def test_qt_renderer_accepts_svg(qapp: object, path: Path) -> None:
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), path.name
    assert not renderer.viewBoxF().isEmpty()


@pytest.mark.parametrize("movement_id", MOVEMENT_IDS)
def test_movement_icon_uses_only_ink_and_one_accent(movement_id: str) -> None:
    colours: set[str] = set()
    for element in _parse(_movement_icon(movement_id)).iter():
        for attribute in ("fill", "stroke"):
            value = element.get(attribute)
            if value is not None and value != "none":
                colours.add(value.lower())
    assert colours == {INK, ACCENT}


def test_app_icon_is_the_same_art_in_resources_and_packaging() -> None:
    bundled = resource_path("icons", "hipflex.svg")
    assert (PACKAGING / "hipflex.svg").read_bytes() == bundled.read_bytes()
    root = _parse(bundled)
    assert root.get("viewBox") == "0 0 256 256"
    background = next(e for e in root.iter() if _local(e.tag) == "rect")
    assert background.get("fill", "").lower() == ACCENT
    assert float(background.get("rx", "0")) > 0


# ---------------------------------------------------------------- muscle diagram


def _diagram() -> ET.Element:
    return _parse(resource_path("diagrams", "hip-front.svg"))


def _muscle_elements() -> dict[str, ET.Element]:
    return {
        element.get("id", "").removeprefix("muscle-"): element
        for element in _diagram().iter()
        if element.get("id", "").startswith("muscle-")
    }


def test_diagram_has_exactly_one_shape_per_muscle() -> None:
    ids = [e.get("id", "") for e in _diagram().iter() if e.get("id", "").startswith("muscle-")]
    assert sorted(ids) == sorted(f"muscle-{m}" for m in MUSCLE_IDS)


@pytest.mark.parametrize("muscle_id", MUSCLE_IDS)
def test_muscle_default_colours_sit_on_the_element_the_ui_recolours(muscle_id: str) -> None:
    element = _muscle_elements()[muscle_id]
    assert element.get("fill") == MUSCLE_FILL
    assert element.get("stroke") == MUSCLE_STROKE
    if _local(element.tag) == "g":
        children = list(element)
        assert children, f"muscle-{muscle_id} is an empty group"
        for child in children:
            assert _local(child.tag) == "path"
            # Children must inherit the group's fill, or recolouring the group would miss them.
            assert child.get("fill") is None, f"a child of muscle-{muscle_id} sets its own fill"
    else:
        assert _local(element.tag) == "path"


def _render_diagram(svg_text: str) -> object:
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg_text.encode("utf-8")))
    assert renderer.isValid()
    image = QImage(300, 360, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 300, 360))
    painter.end()
    return image


def _count_colour(image: object, colour: str) -> int:
    from PySide6.QtGui import QColor, QImage

    assert isinstance(image, QImage)
    target = QColor(colour).rgb()
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixel(x, y) == target
    )


@pytest.mark.parametrize("muscle_id", MUSCLE_IDS)
def test_each_muscle_shows_when_highlighted(qapp: object, muscle_id: str) -> None:
    """Recolour one muscle the way the UI does and check a fair patch of it is visible.

    Catches a shape hidden under another one, drawn outside the body, or not
    inheriting its group's fill.
    """
    marker = "#ff00ff"
    source = resource_path("diagrams", "hip-front.svg").read_text(encoding="utf-8")
    pattern = re.compile(r'(<g\b[^>]*\bid="muscle-' + re.escape(muscle_id) + r'"[^>]*>)')
    recoloured, count = pattern.subn(
        lambda match: match.group(1).replace(f'fill="{MUSCLE_FILL}"', f'fill="{marker}"'), source
    )
    assert count == 1
    assert _count_colour(_render_diagram(source), marker) == 0
    # Sampling every other pixel, 150 samples is about 600 px² of a 300x360 picture:
    # a patch a user can see and point at (the smallest muscle, the pectineus, shows ~270).
    assert _count_colour(_render_diagram(recoloured), marker) >= 150


def test_diagram_is_symmetric_left_and_right(qapp: object) -> None:
    """Both legs get the same muscles: the picture mirrors itself across the midline."""
    from PySide6.QtGui import QColor, QImage

    source = resource_path("diagrams", "hip-front.svg").read_text(encoding="utf-8")
    image = _render_diagram(source)
    assert isinstance(image, QImage)
    mismatched = 0
    samples = 0
    for y in range(0, 360, 3):
        for x in range(0, 150, 3):
            samples += 1
            left = QColor(image.pixel(x, y))
            right = QColor(image.pixel(299 - x, y))
            if abs(left.lightness() - right.lightness()) > 40:
                mismatched += 1
    assert mismatched / samples < 0.02


# ---------------------------------------------------------------- launcher

REQUIRED_DESKTOP_KEYS = {
    "Type": "Application",
    "Name": "Hipflex",
    "GenericName": "Hip flexor trainer",
    "Exec": "hipflex",
    "Icon": "hipflex",
    "Terminal": "false",
    "StartupWMClass": "hipflex",
}
MAIN_CATEGORIES = frozenset(
    {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics", "Network"}
    | {"Office", "Science", "Settings", "System", "Utility"}
)


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(PACKAGING / "hipflex.desktop", encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_desktop_entry_has_the_required_keys() -> None:
    entry = _desktop_entry()
    for key, value in REQUIRED_DESKTOP_KEYS.items():
        assert entry.get(key) == value, key
    assert entry.get("Comment")
    keywords = entry["Keywords"]
    assert keywords.endswith(";")
    assert "hip" in keywords.split(";")
    categories = [c for c in entry["Categories"].split(";") if c]
    assert entry["Categories"].endswith(";")
    # Exactly one main category, so the launcher shows up once in application menus.
    assert len(MAIN_CATEGORIES & set(categories)) == 1


def test_desktop_entry_passes_desktop_file_validate() -> None:
    # `./run test` installs desktop-file-utils; a missing validator is a setup failure.
    assert shutil.which("desktop-file-validate"), "install desktop-file-utils"
    result = subprocess.run(
        ["desktop-file-validate", str(PACKAGING / "hipflex.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    # No errors, no warnings and no hints.
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout
