"""File ▸ Import… and File ▸ Export…: the GUI side of moving history in and out.

Import reads the chosen file, shows what it would add (a dry run, nothing is
written), and only imports when the person confirms; the store makes the
import all-or-nothing and idempotent. Export writes atomically. File choosers
and questions go through small interfaces so tests never open a dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QWidget

from hipflex_desktop.ui.asker import Asker

if TYPE_CHECKING:  # the store is imported when an action runs, not when the menu is built
    from hipflex_desktop.store.history import HistoryStore, ImportReport


@dataclass(frozen=True)
class ExportChoice:
    """A format as the GUI describes it, in words that name no other app."""

    format: str
    label: str
    suffix: str


EXPORT_CHOICES = (
    ExportChoice("json", "Hipflex backup, everything (*.json)", ".json"),
    ExportChoice("strong-csv", "Spreadsheet CSV, one row per set, semicolons (*.csv)", ".csv"),
    ExportChoice("hevy-csv", "Spreadsheet CSV, one row per set, commas (*.csv)", ".csv"),
)


class FileChooser(Protocol):
    def open_file(self, parent: QWidget, title: str, filters: str) -> Path | None: ...

    def save_file(
        self, parent: QWidget, title: str, suggested: Path, filters: list[str]
    ) -> tuple[Path, str] | None:
        """The chosen path and the chosen filter label, or None if cancelled."""
        ...


class DialogFileChooser:
    """The platform's file dialogs."""

    def open_file(self, parent: QWidget, title: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, _documents(), filters)
        return Path(name) if name else None

    def save_file(
        self, parent: QWidget, title: str, suggested: Path, filters: list[str]
    ) -> tuple[Path, str] | None:
        name, chosen = QFileDialog.getSaveFileName(
            parent, title, str(suggested), ";;".join(filters), filters[0]
        )
        return (Path(name), chosen) if name else None


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


class FileActions(QObject):
    """Owns the two QActions; ``history_changed`` fires after a successful import."""

    history_changed = Signal()

    def __init__(
        self,
        window: QWidget,
        store: Callable[[], HistoryStore | None],
        asker: Asker,
        chooser: FileChooser | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._asker = asker
        self._chooser = chooser or DialogFileChooser()
        self.import_action = QAction("&Import history…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_interactively)
        self.export_action = QAction("&Export history…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_action.triggered.connect(self.export_interactively)

    # -- import -------------------------------------------------------------------------
    def import_interactively(self) -> ImportReport | None:
        path = self._chooser.open_file(
            self._window, "Import history",
            "Workout logs (*.csv *.json);;CSV files (*.csv);;Hipflex backups (*.json)",
        )
        return None if path is None else self.import_path(path)

    def import_path(self, path: Path) -> ImportReport | None:
        """Preview, confirm, import. Returns the final report, or None if nothing changed."""
        from hipflex_desktop.store.errors import StoreError
        from hipflex_desktop.store.exchange import read_import_file
        from hipflex_desktop.store.formats import HistoryImportError

        store = self._store()
        if store is None:
            self._asker.inform(self._window, "Import history",
                               "Your history is not open, so nothing can be imported yet.")
            return None
        try:
            batch = read_import_file(path)
            preview = store.import_batch(batch, dry_run=True)
        except (HistoryImportError, StoreError) as exc:
            self._asker.inform(self._window, "Nothing was imported",
                               f"{path.name} could not be imported: {exc}")
            return None
        lines = _report_lines(preview)
        if preview.sessions_added == 0 and preview.workouts_added == 0:
            self._asker.inform(self._window, "Nothing new to import",
                               "\n".join(["Everything in this file is already in your history.",
                                          *lines]))
            return None
        if not self._asker.confirm(self._window, "Import history",
                                   "\n".join([f"From {path.name}:", *lines]), "Import"):
            return None
        try:
            report = store.import_batch(batch)
        except StoreError as exc:
            self._asker.inform(self._window, "Nothing was imported", str(exc))
            return None
        self.history_changed.emit()
        return report

    # -- export -------------------------------------------------------------------------
    def export_interactively(self) -> Path | None:
        labels = [c.label for c in EXPORT_CHOICES]
        suggested = Path(_documents()) / "hipflex-history.json"
        chosen = self._chooser.save_file(self._window, "Export history", suggested, labels)
        if chosen is None:
            return None
        path, label = chosen
        choice = next((c for c in EXPORT_CHOICES if c.label == label), EXPORT_CHOICES[0])
        if not path.suffix:
            path = path.with_suffix(choice.suffix)
        return self.export_to(path, choice.format)

    def export_to(self, path: Path, format: str) -> Path | None:
        from hipflex_desktop.store.atomic import atomic_write_bytes
        from hipflex_desktop.store.exchange import export_text

        store = self._store()
        if store is None:
            self._asker.inform(self._window, "Export history",
                               "Your history is not open, so there is nothing to export yet.")
            return None
        try:
            atomic_write_bytes(path, export_text(store, format).encode("utf-8"))
        except OSError as exc:
            self._asker.inform(self._window, "Export failed",
                               f"Hipflex could not write {path}: {exc.strerror or exc}. "
                               "Your history is unchanged.")
            return None
        return path


def _report_lines(report: ImportReport) -> list[str]:
    """The store's summary, minus the line that names the file's source format."""
    from hipflex_desktop.store.exchange import describe_report

    return [line for line in describe_report(report) if not line.startswith("Read:")]
