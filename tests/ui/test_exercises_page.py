"""The Exercises page and card detail, driven with real key events."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.catalog_loader import load_catalog
from hipflex_desktop.ui.exercise_detail import ExerciseDetail
from hipflex_desktop.ui.exercises_page import ExercisesPage


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def page(qtbot: QtBot, catalog: Catalog) -> ExercisesPage:
    widget = ExercisesPage(catalog)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ids(page: ExercisesPage) -> set[str]:
    return {m.id for m in page.visible_movements()}


def test_shows_every_movement_at_first(page: ExercisesPage, catalog: Catalog) -> None:
    assert ids(page) == {m.id for m in catalog}
    assert page.count_label.text() == f"{len(catalog)} movements"


def test_search_as_you_type_narrows_instantly(page: ExercisesPage, qtbot: QtBot) -> None:
    page.focus_search()
    qtbot.keyClicks(page.search, "lsit")
    assert ids(page) == set()
    assert page.empty_label.isVisibleTo(page)
    page.search.clear()
    qtbot.keyClicks(page.search, "l-sit")
    assert ids(page) == {"l-sit-tucked", "l-sit-one-leg", "l-sit-hold"}
    page.search.clear()
    qtbot.keyClicks(page.search, "climber band")
    assert ids(page) == {"mountain-climber-mini-band"}


def test_search_matches_muscle_names(page: ExercisesPage, qtbot: QtBot) -> None:
    qtbot.keyClicks(page.search, "rectus femoris")
    found = ids(page)
    assert "reverse-nordic" in found
    assert "kneeling-lunge-stretch" in found


def test_search_knows_muscle_groups_and_hip_flexor(
    page: ExercisesPage, qtbot: QtBot, catalog: Catalog
) -> None:
    qtbot.keyClicks(page.search, "iliopsoas")
    assert {"hanging-leg-raise", "l-sit-hold", "kneeling-lunge-stretch"} <= ids(page)
    page.search.clear()
    qtbot.keyClicks(page.search, "hip flexor")
    assert ids(page) == {m.id for m in catalog}  # every movement here works a hip flexor


def _choose(combo: object, data: str) -> None:
    index = combo.findData(data)  # type: ignore[attr-defined]
    assert index >= 0, data
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_filters_by_kind_equipment_and_muscle(page: ExercisesPage, catalog: Catalog) -> None:
    _choose(page.kind_filter, "per_side")
    assert ids(page) == {m.id for m in catalog if m.kind.value == "per_side"}
    assert {"pigeon-pose", "lizard-pose"} <= ids(page)
    _choose(page.kind_filter, "interval")
    assert "mountain-climber" in ids(page)
    page.kind_filter.setCurrentIndex(0)
    _choose(page.equipment_filter, "pull-up bar")
    assert ids(page) == {m.id for m in catalog if "pull-up bar" in m.equipment}
    page.equipment_filter.setCurrentIndex(0)
    _choose(page.muscle_filter, "sartorius")
    assert ids(page) == {m.id for m in catalog if "sartorius" in m.muscles.all()}
    assert page.count_label.text().endswith(f"of {len(catalog)}")


def test_enter_on_a_card_opens_it(page: ExercisesPage, qtbot: QtBot) -> None:
    opened: list[str] = []
    page.movement_opened.connect(lambda m: opened.append(m.id))
    page.select_movement("pigeon-pose")
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    assert opened == ["pigeon-pose"]


def test_enter_in_search_opens_a_single_match(page: ExercisesPage, qtbot: QtBot) -> None:
    opened: list[str] = []
    page.movement_opened.connect(lambda m: opened.append(m.id))
    qtbot.keyClicks(page.search, "reverse nordic")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened == ["reverse-nordic"]


def test_tab_order_runs_from_search_through_filters_to_grid(
    page: ExercisesPage, qtbot: QtBot
) -> None:
    page.focus_search()
    visited = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == [page.kind_filter, page.equipment_filter, page.muscle_filter, page.grid]


def test_detail_shows_everything_and_lights_up_muscles(
    qtbot: QtBot, catalog: Catalog
) -> None:
    detail = ExerciseDetail(catalog)
    qtbot.addWidget(detail)
    movement = catalog.get("hanging-leg-raise")
    detail.show_movement(movement)
    text = detail.body.text()
    for item in (*movement.cues, *movement.mistakes, *movement.steps):
        assert _escaped(item) in text
    assert "3 × 8–10" in text
    if movement.prescription.note:
        assert _escaped(movement.prescription.note) in text
    assert "Lying Leg Raise" in text or "lying" in text.lower()
    legend = detail.muscle_legend.text()
    assert "Psoas major" in legend or "psoas" in legend.lower()
    back: list[bool] = []
    detail.back_requested.connect(lambda: back.append(True))
    detail.show()
    qtbot.waitExposed(detail)
    qtbot.keyClick(detail.body, Qt.Key.Key_Escape)
    assert back == [True]


def test_detail_links_the_l_sit_ladder(qtbot: QtBot, catalog: Catalog) -> None:
    detail = ExerciseDetail(catalog)
    qtbot.addWidget(detail)
    detail.show_movement(catalog.get("l-sit-one-leg"))
    assert "href='l-sit-tucked'" in detail.body.text()
    assert "href='l-sit-hold'" in detail.body.text()
    requested: list[str] = []
    detail.movement_requested.connect(requested.append)
    detail.body.linkActivated.emit("l-sit-hold")
    assert requested == ["l-sit-hold"]


def test_detail_shows_every_dose_with_its_notes(qtbot: QtBot, catalog: Catalog) -> None:
    detail = ExerciseDetail(catalog)
    qtbot.addWidget(detail)
    climbers = catalog.get("mountain-climber")
    detail.show_movement(climbers)
    text = detail.body.text()
    assert climbers.options, "mountain climbers carry warm-up and strength-endurance doses"
    for option in climbers.options:
        assert _escaped(option.label) in text
        if option.prescription.note:
            assert _escaped(option.prescription.note) in text


def test_detail_shows_the_persons_bests(qtbot: QtBot, catalog: Catalog) -> None:
    from hipflex_desktop.domain.history import Entry, EntryKind
    from hipflex_desktop.domain.progress import personal_bests

    entries = [
        Entry(f"e{i}", f"s{i}", "hanging-leg-raise", EntryKind.REP_SET, 0,
              1_750_000_000.0 + i * 86_400, 1_750_000_030.0 + i * 86_400,
              reps=reps, load=0.0, unit="kg")
        for i, reps in enumerate((8, 11, 9))
    ]
    bests = personal_bests(entries)
    detail = ExerciseDetail(catalog, bests=lambda movement_id: bests.get(movement_id, ()))
    qtbot.addWidget(detail)
    detail.show_movement(catalog.get("hanging-leg-raise"))
    assert "Your bests" in detail.body.text()
    assert "11 reps" in detail.body.text()
    detail.show_movement(catalog.get("pigeon-pose"))
    assert "Your bests" not in detail.body.text()


def test_detail_lists_only_true_variants(qtbot: QtBot, catalog: Catalog) -> None:
    detail = ExerciseDetail(catalog)
    qtbot.addWidget(detail)
    detail.show_movement(catalog.get("l-sit-one-leg"))
    assert "Variants:" not in detail.body.text()
    detail.show_movement(catalog.get("mountain-climber-slider"))
    text = detail.body.text()
    assert "href='mountain-climber'" in text
    assert "href='mountain-climber-mini-band'" in text
    assert "href='lying-leg-raise'" not in text


def test_highlight_recolours_only_named_muscles() -> None:
    from hipflex_desktop.ui.svg import PRIMARY_FILL, SECONDARY_FILL, highlight_muscles

    svg = ('<svg><g id="muscle-iliacus" fill="#e9edf1"><path d="M0 0"/></g>'
           '<path id="muscle-sartorius" fill="#e9edf1" d="M1 1"/>'
           '<g id="muscle-abs" fill="#e9edf1"/></svg>')
    out = highlight_muscles(svg, ("iliacus",), ("sartorius",))
    assert f'<g id="muscle-iliacus" fill="{PRIMARY_FILL}">' in out
    assert f'id="muscle-sartorius" fill="{SECONDARY_FILL}"' in out
    assert '<g id="muscle-abs" fill="#e9edf1"/>' in out


def _escaped(text: str) -> str:
    import html

    return html.escape(text)




def test_muscle_reference_lists_the_eight_and_links_movements(
    qtbot: QtBot, catalog: Catalog
) -> None:
    from hipflex_desktop.ui.muscles_page import MUSCLE_ROLE, MusclesPage

    page = MusclesPage(catalog)
    qtbot.addWidget(page)
    flexors = [
        page.list.item(row).data(MUSCLE_ROLE)
        for row in range(page.list.count())
        if page.list.item(row).data(MUSCLE_ROLE) is not None
        and page.list.item(row).data(MUSCLE_ROLE).hip_flexor
    ]
    assert [m.id for m in flexors] == [
        "psoas-major", "iliacus", "rectus-femoris", "sartorius", "pectineus",
        "tensor-fasciae-latae", "adductors", "gracilis",
    ]
    page.show_muscle("rectus-femoris")
    assert page.name.text() == "Rectus femoris"
    assert "href='reverse-nordic'" in page.details.text()
    requested: list[str] = []
    page.movement_requested.connect(requested.append)
    page.details.linkActivated.emit("reverse-nordic")
    assert requested == ["reverse-nordic"]


def test_a_muscle_table_from_the_start_up_cache_shows_the_same_page(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    """Start-up hands the page the cached muscle reference; filters, search and the cards'
    accessible text must come out as from the bundled reference."""
    from hipflex_desktop.catalog_cache import CatalogCache
    from hipflex_desktop.ui.exercises_page import MOVEMENT_ROLE, SEARCH_TEXT_ROLE

    warm = CatalogCache(tmp_path)
    warm.load()
    assert warm.save_if_needed()
    cache = CatalogCache(tmp_path)
    cached_catalog = cache.load()
    assert cache.hit

    def page_facts(widget: ExercisesPage) -> tuple[list[object], list[object]]:
        filters = [(widget.muscle_filter.itemText(i), widget.muscle_filter.itemData(i))
                   for i in range(widget.muscle_filter.count())]
        rows = [(widget.model.index(r, 0).data(MOVEMENT_ROLE).id,
                 widget.model.index(r, 0).data(SEARCH_TEXT_ROLE),
                 widget.model.index(r, 0).data(Qt.ItemDataRole.AccessibleTextRole))
                for r in range(widget.model.rowCount())]
        return filters, rows

    bundled = ExercisesPage(catalog)
    from_cache = ExercisesPage(cached_catalog, muscles=cache.muscles)
    qtbot.addWidget(bundled)
    qtbot.addWidget(from_cache)
    assert page_facts(from_cache) == page_facts(bundled)
    assert len(page_facts(bundled)[0]) > 5


def test_a_card_knows_it_is_selected_focused_and_hovered(
    page: ExercisesPage, qtbot: QtBot
) -> None:
    """The delegate paints these states from the view (not from QStyle's state flags)."""
    from PySide6.QtTest import QTest

    page.select_movement("pigeon-pose")
    index = page.grid.currentIndex()
    other = page.proxy.index(0, 0) if index.row() else page.proxy.index(1, 0)
    page.search.setFocus()
    assert page.grid.card_state(index) == (True, False, False)
    page.grid.setFocus()
    qtbot.waitUntil(page.grid.hasFocus)
    assert page.grid.card_state(index) == (True, True, False)
    assert page.grid.card_state(other) == (False, False, False)
    QTest.mouseMove(page.grid.viewport(), page.grid.visualRect(other).center())
    qtbot.waitUntil(lambda: page.grid.card_state(other)[2])
    assert not page.grid.card_state(index)[2]


def test_the_roles_are_qts() -> None:
    from hipflex_desktop.ui import exercises_page

    roles = Qt.ItemDataRole
    assert roles.DisplayRole.value == exercises_page.DISPLAY_ROLE
    assert roles.ToolTipRole.value == exercises_page.TOOLTIP_ROLE
    assert roles.AccessibleTextRole.value == exercises_page.ACCESSIBLE_TEXT_ROLE
    assert roles.UserRole.value == exercises_page.USER_ROLE


PaintedCard = tuple[str, bool, bool, bool]  # title, selected, focused, hovered


@pytest.fixture
def painted_cards(monkeypatch: pytest.MonkeyPatch) -> list[PaintedCard]:
    """Every card painted live (not drawn from a picture) from now on, in order."""
    from hipflex_desktop.ui import exercises_page

    painted: list[PaintedCard] = []
    real_paint = exercises_page.paint_card

    def recording_paint(painter, cell, font, texts, *, selected=False, focused=False,  # type: ignore[no-untyped-def]
                        hovered=False):
        painted.append((texts.title, selected, focused, hovered))
        real_paint(painter, cell, font, texts, selected=selected, focused=focused,
                   hovered=hovered)

    monkeypatch.setattr(exercises_page, "paint_card", recording_paint)
    return painted


def _grab(qtbot: QtBot, catalog: Catalog, faces: object = None) -> object:
    """The page as the app shows it (its style sheet gives the grid its background)."""
    from hipflex_desktop.ui.style import APP_STYLE_SHEET

    widget = ExercisesPage(catalog, card_faces=faces)  # type: ignore[arg-type]
    widget.setStyleSheet(APP_STYLE_SHEET)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    image = widget.grab().toImage()
    widget.close()
    return image


def test_cards_drawn_from_saved_pictures_look_exactly_as_painted(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path, painted_cards: list[PaintedCard]
) -> None:
    from hipflex_desktop.ui.exercises_page import CardFaces
    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

    painted = painted_cards
    live = _grab(qtbot, catalog)
    assert len(painted) == len(catalog), "every card painted"
    painted.clear()
    first = CardFaces(PixmapDiskCache(tmp_path / "cards"))
    assert _grab(qtbot, catalog, first) == live, "painted into pictures, then drawn"
    assert first.save() == len(catalog)
    assert first.save() == 0, "only the first frame's pictures are written"
    painted.clear()
    again = CardFaces(PixmapDiskCache(tmp_path / "cards"))
    assert _grab(qtbot, catalog, again) == live, "read back from disk"
    assert painted == [], "nothing painted"


def test_a_card_picture_is_painted_again_when_anything_it_shows_changes(
    qapp: object, tmp_path: Path, painted_cards: list[PaintedCard]
) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QFont

    from hipflex_desktop.ui.exercises_page import CardFaces, CardTexts
    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

    painted = painted_cards
    texts = CardTexts("Pigeon Pose", "STRETCH · PER SIDE", "#16a085", "Glutes", "⚙ mat",
                      "pigeon-pose.svg")
    size, font = QSize(300, 132), QFont("DejaVu Sans", 10)

    def face(texts: CardTexts = texts, size: QSize = size, font: QFont = font,
             dpr: float = 1.0) -> None:
        faces = CardFaces(PixmapDiskCache(tmp_path / "cards"))
        faces.face(texts, "pigeon-pose", size, dpr, font)
        faces.save()

    face()
    face()
    assert len(painted) == 1, "the second start reads the picture"
    face(texts._replace(muscles="Glutes, Psoas major"))
    face(texts._replace(badge_colour="#000000"))
    face(font=QFont("DejaVu Sans", 12))
    face(dpr=2.0)
    assert len(painted) == 5
    face(size=QSize(320, 132))
    assert len(painted) == 6
    files = sorted(p.name for p in (tmp_path / "cards").iterdir())
    assert files == ["card-pigeon-pose-320x132-1x.pixels"], "other sizes' pictures dropped"
    odd = CardFaces(PixmapDiskCache(tmp_path / "odd"))
    odd.face(texts, "My Own/Exercise", size, 1.0, font)
    odd.save()
    (saved,) = (tmp_path / "odd").iterdir()
    assert re.fullmatch(r"card-[0-9a-f]{8}-300x132-1x\.pixels", saved.name), "a safe name"


def test_a_selected_focused_or_hovered_card_is_painted_live(
    page: ExercisesPage, qtbot: QtBot, catalog: Catalog, tmp_path: Path,
    painted_cards: list[PaintedCard],
) -> None:
    from hipflex_desktop.ui.exercises_page import CardFaces
    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

    states = painted_cards
    widget = ExercisesPage(catalog, card_faces=CardFaces(PixmapDiskCache(tmp_path / "c")))
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.select_movement("pigeon-pose")
    widget.grid.setFocus()
    qtbot.waitUntil(lambda: ("Pigeon Pose", True, True, False) in states)


@pytest.mark.parametrize(("dpr", "live"), [(1.0, False), (2.0, False), (1.5, True)])
def test_at_a_fractional_scale_cards_are_painted_live(
    page: ExercisesPage, tmp_path: Path, painted_cards: list[PaintedCard],
    dpr: float, live: bool,
) -> None:
    """A picture drawn between device pixels would blend its edges differently."""
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtWidgets import QStyleOptionViewItem

    from hipflex_desktop.ui.exercises_page import CardFaces, MovementCardDelegate
    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

    painted = painted_cards
    faces = CardFaces(PixmapDiskCache(tmp_path / "cards"))
    delegate = MovementCardDelegate(page, faces=faces)
    target = QPixmap(round(400 * dpr), round(150 * dpr))
    target.setDevicePixelRatio(dpr)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 340, 132)
    option.font = page.font()
    painted.clear()  # the page's own cards, painted when it was shown
    for _ in range(2):
        painter = QPainter(target)
        delegate.paint(painter, option, page.proxy.index(0, 0))
        painter.end()
    assert len(painted) == (2 if live else 1), "a picture is painted once, then reused"


def test_the_font_fingerprint_follows_how_the_font_is_drawn(qapp: object) -> None:
    """The key's font description says nothing of DPI, hinting or substitution; drawing a
    sample does."""
    from PySide6.QtGui import QFont

    from hipflex_desktop.ui.exercises_page import font_fingerprint

    font = QFont("DejaVu Sans", 10)
    assert font_fingerprint(font) == font_fingerprint(QFont(font))
    assert font_fingerprint(font) != font_fingerprint(QFont("DejaVu Sans", 11))
    aliased = QFont(font)
    aliased.setStyleStrategy(QFont.StyleStrategy.NoAntialias)
    assert font_fingerprint(font) != font_fingerprint(aliased)


_FINGERPRINT_CHILD = (
    "import sys\n"
    "from PySide6.QtGui import QFont\n"
    "from PySide6.QtWidgets import QApplication\n"
    "from hipflex_desktop.ui.exercises_page import font_fingerprint\n"
    "app = QApplication(sys.argv)\n"
    "font = QFont('DejaVu Sans', 10)\n"
    "print(font.toString())\n"
    "print(font_fingerprint(font))\n"
)


def test_the_font_fingerprint_sees_the_screens_dpi() -> None:
    """Another DPI setting draws the same font description bigger: another picture."""
    import os
    import subprocess
    import sys

    def run(**extra: str) -> tuple[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "QT_FONT_DPI"}
        env |= {"QT_QPA_PLATFORM": "offscreen", **extra}
        out = subprocess.run([sys.executable, "-c", _FINGERPRINT_CHILD], env=env, check=True,
                             capture_output=True, text=True, timeout=60).stdout.splitlines()
        return out[0], out[1]

    (description, usual), (same_description, at_120) = run(), run(QT_FONT_DPI="120")
    assert description == same_description
    assert usual != at_120


def test_a_font_change_repaints_the_pictures(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path, painted_cards: list[PaintedCard]
) -> None:
    from PySide6.QtGui import QFont

    from hipflex_desktop.ui.exercises_page import CardFaces
    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache
    from hipflex_desktop.ui.style import APP_STYLE_SHEET

    def page_with(faces: CardFaces | None) -> ExercisesPage:
        widget = ExercisesPage(catalog, card_faces=faces)
        widget.setStyleSheet(APP_STYLE_SHEET)
        qtbot.addWidget(widget)
        widget.resize(1100, 700)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    pictured = page_with(CardFaces(PixmapDiskCache(tmp_path / "cards")))
    live = page_with(None)
    bigger = QFont(pictured.grid.font())
    bigger.setPointSizeF(bigger.pointSizeF() + 3)
    for widget in (pictured, live):
        widget.grid.setFont(bigger)
    painted_cards.clear()
    assert pictured.grab().toImage() == live.grab().toImage()
    assert len(painted_cards) == 2 * len(catalog), "new pictures, in the new font"


def test_after_the_first_frame_a_card_without_a_picture_is_painted_live(
    qapp: object, tmp_path: Path, painted_cards: list[PaintedCard]
) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QFont

    from hipflex_desktop.ui.exercises_page import CardFaces, CardTexts
    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

    texts = CardTexts("Pigeon Pose", "STRETCH · PER SIDE", "#16a085", "Glutes", "⚙ mat",
                      "pigeon-pose.svg")
    font = QFont("DejaVu Sans", 10)
    faces = CardFaces(PixmapDiskCache(tmp_path / "cards"))
    assert faces.face(texts, "pigeon-pose", QSize(300, 132), 1.0, font) is not None
    assert faces.save() == 1
    assert faces.face(texts, "pigeon-pose", QSize(300, 132), 1.0, font) is not None, "kept"
    assert faces.face(texts, "pigeon-pose", QSize(320, 132), 1.0, font) is None, "resized"
    assert faces.face(texts, "pigeon-pose", QSize(300, 132), 1.0, font) is None, "let go"
    assert len(painted_cards) == 1
    assert CardFaces().face(texts, "pigeon-pose", QSize(300, 132), 1.0, font) is None


def test_right_to_left_cards_are_painted_live(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path, painted_cards: list[PaintedCard]
) -> None:
    from PySide6.QtWidgets import QApplication

    from hipflex_desktop.ui.exercises_page import CardFaces
    from hipflex_desktop.ui.pixmap_cache import PixmapDiskCache

    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        faces = CardFaces(PixmapDiskCache(tmp_path / "cards"))
        _grab(qtbot, catalog, faces)
        assert len(painted_cards) == len(catalog)
        assert faces.save() == 0, "no pictures made"
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_a_hovered_card_is_painted_hovered(
    page: ExercisesPage, qtbot: QtBot, painted_cards: list[PaintedCard]
) -> None:
    from PySide6.QtTest import QTest

    index = page.proxy.index(1, 0)
    title = index.data()
    QTest.mouseMove(page.grid.viewport(), page.grid.visualRect(index).center())
    qtbot.waitUntil(lambda: (title, False, False, True) in painted_cards)
