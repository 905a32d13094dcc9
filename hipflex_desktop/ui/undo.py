"""Undoable history edits: one QUndoCommand per store change.

Each store edit returns what it replaced or removed, so a command can invert
it exactly (same ids, same order). The first application happens *before*
the command is pushed (:func:`apply_and_push`): if saving fails nothing is
pushed and the stack never claims a change the disk does not hold.

A later undo or redo can fail too (disk full, folder gone read-only). The
store then leaves its files and memory untouched, and the command records the
error and skips the next call in the opposite direction, so
:func:`undo_safely`/:func:`redo_safely` can move the stack's index straight
back. The stack and the store therefore always agree.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from hipflex_desktop.domain.history import Entry
from hipflex_desktop.store.errors import StoreError
from hipflex_desktop.store.history import DeletedEntry, DeletedSession, HistoryStore

# What the page is told after a command changed the store: the session touched.
Changed = Callable[[str], None]


class HistoryCommand(QUndoCommand):
    """Base: runs ``_apply``/``_revert`` against the store and reports failures."""

    def __init__(self, store: HistoryStore, session_id: str, text: str, changed: Changed) -> None:
        super().__init__(text)
        self._store = store
        self.session_id = session_id
        self._changed = changed
        self._skip_next = True  # the first redo (on push) was done by apply_and_push
        self._report_skip = True  # ... and the page still wants to hear about it
        self.error: StoreError | ValueError | None = None

    def redo(self) -> None:
        self._run(self._apply)

    def undo(self) -> None:
        self._run(self._revert)

    def _run(self, action: Callable[[], None]) -> None:
        self.error = None
        if self._skip_next:
            self._skip_next = False
            if not self._report_skip:
                return
            self._report_skip = False
        else:
            try:
                action()
            except (StoreError, ValueError) as error:
                self.error = error
                self._skip_next = True  # the stack is stepped back without touching the store
                return
        self._changed(self.session_id)

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError


class EditEntryCommand(HistoryCommand):
    """Replace one entry; undo puts the previous version back."""

    def __init__(self, store: HistoryStore, edited: Entry, previous: Entry, text: str,
                 changed: Changed) -> None:
        super().__init__(store, edited.session_id, text, changed)
        self.edited = edited
        self.previous = previous

    def _apply(self) -> None:
        self._store.edit_entry(self.edited)

    def _revert(self) -> None:
        self._store.edit_entry(self.previous)


class DeleteEntryCommand(HistoryCommand):
    """Delete one entry; undo restores it at its old position with its old id."""

    def __init__(self, store: HistoryStore, deleted: DeletedEntry, text: str,
                 changed: Changed) -> None:
        super().__init__(store, deleted.entry.session_id, text, changed)
        self.deleted = deleted

    def _apply(self) -> None:
        self.deleted = self._store.delete_entry(self.deleted.entry.id)

    def _revert(self) -> None:
        self._store.restore_entry(self.deleted)


class DeleteSessionCommand(HistoryCommand):
    """Delete a session with its entries; undo restores both unchanged."""

    def __init__(self, store: HistoryStore, deleted: DeletedSession, text: str,
                 changed: Changed) -> None:
        super().__init__(store, deleted.session.id, text, changed)
        self.deleted = deleted

    def _apply(self) -> None:
        self.deleted = self._store.delete_session(self.deleted.session.id)

    def _revert(self) -> None:
        self._store.restore_session(self.deleted)


def apply_and_push(stack: QUndoStack, command: HistoryCommand) -> None:
    """Push a command whose change the caller has already saved (see module doc)."""
    stack.push(command)


def undo_safely(stack: QUndoStack) -> StoreError | ValueError | None:
    """Undo the last change; on a failure step the index back and return the error."""
    if not stack.canUndo():
        return None
    command = stack.command(stack.index() - 1)
    stack.undo()
    error = command.error if isinstance(command, HistoryCommand) else None
    if error is not None:
        stack.redo()  # skipped by the command: only the index moves back
    return error


def redo_safely(stack: QUndoStack) -> StoreError | ValueError | None:
    """Redo the next change; on a failure step the index back and return the error."""
    if not stack.canRedo():
        return None
    command = stack.command(stack.index())
    stack.redo()
    error = command.error if isinstance(command, HistoryCommand) else None
    if error is not None:
        stack.undo()  # skipped by the command: only the index moves back
    return error
