"""File ▸ Import/Export and the unfinished-session prompt, with a real store in tmp_path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from hipflex_desktop.domain.history import Entry, EntryKind, Session
from hipflex_desktop.store.history import HistoryStore
from hipflex_desktop.ui.file_actions import EXPORT_CHOICES, FileActions
from hipflex_desktop.ui.unfinished_dialog import UnfinishedChoice, UnfinishedSessionPrompt
from tests.ui.builder_factories import ScriptedAsker

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


class FakeChooser:
    def __init__(self, open_path: Path | None = None,
                 save: tuple[Path, str] | None = None) -> None:
        self.open_path = open_path
        self.save = save

    def open_file(self, parent: QWidget, title: str, filters: str) -> Path | None:
        return self.open_path

    def save_file(self, parent: QWidget, title: str, suggested: Path,
                  filters: list[str]) -> tuple[Path, str] | None:
        return self.save


@pytest.fixture
def store(data_dir: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def actions_for(window: QWidget, store: HistoryStore | None, asker: ScriptedAsker,
                chooser: FakeChooser) -> FileActions:
    return FileActions(window, lambda: store, asker, chooser)


def test_import_previews_then_imports_on_confirm(window: QWidget, store: HistoryStore) -> None:
    asker = ScriptedAsker()
    asker.answer_confirm(True)
    actions = actions_for(window, store, asker, FakeChooser(FIXTURES / "strong_newest.csv"))
    changed: list[bool] = []
    actions.history_changed.connect(lambda: changed.append(True))
    report = actions.import_interactively()
    assert report is not None
    assert report.sessions_added > 0
    assert store.counts()[0] == report.sessions_added
    (kind, preview), = asker.asked
    assert kind == "confirm"
    assert "Would add" in preview
    assert "Strong" not in preview
    assert "Hevy" not in preview
    assert changed == [True]


def test_cancelled_import_changes_nothing(window: QWidget, store: HistoryStore) -> None:
    asker = ScriptedAsker()
    asker.answer_confirm(False)
    actions = actions_for(window, store, asker, FakeChooser(FIXTURES / "hevy_kg.csv"))
    assert actions.import_interactively() is None
    assert store.counts()[0] == 0


def test_importing_the_same_file_twice_says_nothing_new(
    window: QWidget, store: HistoryStore
) -> None:
    asker = ScriptedAsker()
    asker.answer_confirm(True)
    actions = actions_for(window, store, asker, FakeChooser(FIXTURES / "hevy_kg.csv"))
    assert actions.import_interactively() is not None
    before = store.counts()
    assert actions.import_interactively() is None
    assert store.counts() == before
    assert asker.informed[-1].startswith("Everything in this file is already in your history")


def test_broken_file_is_explained_with_its_line(window: QWidget, store: HistoryStore) -> None:
    asker = ScriptedAsker()
    actions = actions_for(window, store, asker, FakeChooser(FIXTURES / "strong_bad_reps.csv"))
    assert actions.import_interactively() is None
    assert store.counts()[0] == 0
    assert "line" in asker.informed[-1]


def test_export_writes_the_chosen_format(
    window: QWidget, store: HistoryStore, tmp_path: Path
) -> None:
    store.begin_session(Session("s1", None, "Quick", 1_750_000_000.0))
    store.log_entry(Entry("e1", "s1", "hanging-leg-raise", EntryKind.REP_SET, 0,
                          1_750_000_010.0, 1_750_000_040.0, reps=9, load=0.0, unit="kg"))
    store.finish_session(1_750_000_600.0)
    asker = ScriptedAsker()
    json_choice = next(c for c in EXPORT_CHOICES if c.format == "json")
    target = tmp_path / "out" / "backup"
    target.parent.mkdir()
    actions = actions_for(window, store, asker, FakeChooser(save=(target, json_choice.label)))
    written = actions.export_interactively()
    assert written == target.with_suffix(".json")
    data = json.loads(written.read_text(encoding="utf-8"))
    assert "e1" in json.dumps(data)


def test_export_failure_is_a_sentence(window: QWidget, store: HistoryStore,
                                      tmp_path: Path) -> None:
    asker = ScriptedAsker()
    actions = actions_for(window, store, asker, FakeChooser())
    assert actions.export_to(tmp_path / "missing-folder" / "x.json", "json") is None
    assert "could not write" in asker.informed[-1]


def test_unfinished_prompt_defaults_to_resume_and_guards_discard(
    qtbot: QtBot, store: HistoryStore, data_dir: Path
) -> None:
    store.begin_session(Session("s9", "hip-flexor-workout", "Hip Flexor Workout",
                                1_750_000_000.0))
    store.log_entry(Entry("e9", "s9", "hanging-leg-raise", EntryKind.REP_SET, 0,
                          1_750_000_010.0, 1_750_000_040.0, reps=8, load=0.0, unit="kg"))
    store.close()
    reopened, _ = HistoryStore.open(data_dir)
    unfinished = reopened.unfinished_session()
    assert unfinished is not None
    asker = ScriptedAsker()
    prompt = UnfinishedSessionPrompt(None, unfinished, asker)
    assert prompt.box.defaultButton() is prompt.resume_button
    assert "Hip Flexor Workout" in prompt.box.text()
    assert "1 set logged" in prompt.box.text()
    asker.answer_confirm(False, True)
    assert prompt.choose(prompt.discard_button) is UnfinishedChoice.LATER
    assert prompt.choose(prompt.discard_button) is UnfinishedChoice.DISCARD
    assert prompt.choose(prompt.save_button) is UnfinishedChoice.SAVE
    assert prompt.choose(prompt.resume_button) is UnfinishedChoice.RESUME
    assert prompt.choose(None) is UnfinishedChoice.LATER
    prompt.box.deleteLater()
    reopened.close()
