"""The Exercises page and card detail, driven with real key events."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
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
