"""Read-only folders and full disks: a clear typed error, nothing lost from memory, retry.

Tests run as root in CI, where chmod does not stop writes. The failures are
therefore simulated at the system-call boundary (``tempfile.mkstemp`` raising
EROFS as on a read-only mount, ``os.fsync`` raising ENOSPC as a full disk
reports it), and the real read-only case uses a read-only bind mount or the
immutable attribute, whichever this machine allows.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hipflex_desktop.store import atomic
from hipflex_desktop.store.errors import StorageWriteError, WriteFailure
from hipflex_desktop.store.files import NoticeKind
from hipflex_desktop.store.formats import parse_any
from hipflex_desktop.store.layout import JOURNAL_FILE, PENDING_FILE
from tests.store.conftest import T0, finished_session, make_entry, make_session, snapshot_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


class Breaker:
    """Makes writes fail with a chosen errno until ``heal()``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self.code: int | None = None
        real_mkstemp = atomic.tempfile.mkstemp
        real_fsync = os.fsync

        def mkstemp(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if self.code == errno.EROFS:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))
            return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]

        def fsync(fd: int) -> None:
            if self.code == errno.ENOSPC:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp)
        monkeypatch.setattr(atomic.os, "fsync", fsync)

    def fail_with(self, code: int) -> None:
        self.code = code

    def heal(self) -> None:
        self.code = None


@pytest.fixture
def breaker(monkeypatch: pytest.MonkeyPatch) -> Breaker:
    return Breaker(monkeypatch)


@pytest.mark.parametrize(
    ("code", "failure", "words"),
    [
        (errno.EROFS, WriteFailure.READ_ONLY, "read-only"),
        (errno.ENOSPC, WriteFailure.DISK_FULL, "disk is full"),
    ],
)
def test_a_failed_save_keeps_the_entry_in_memory_and_retry_saves_it(  # noqa: PLR0917
    open_store, data_dir: Path, breaker: Breaker, code: int, failure: WriteFailure, words: str
) -> None:
    store, _ = open_store()
    session = make_session()
    store.begin_session(session)
    saved = make_entry(session, set_index=0)
    store.log_entry(saved)
    journal_before = (data_dir / JOURNAL_FILE).read_bytes()

    breaker.fail_with(code)
    first, second = make_entry(session, set_index=1), make_entry(session, set_index=2)
    with pytest.raises(StorageWriteError) as caught:
        store.log_entry(first)
    assert caught.value.failure is failure
    assert words in str(caught.value)
    assert str(data_dir) in str(caught.value)
    assert "kept in memory" in str(caught.value)
    # The session goes on: the next set is accepted in memory too.
    with pytest.raises(StorageWriteError):
        store.log_entry(second)
    assert store.unsaved_entries() == [first, second]
    assert store.active_entries() == [saved, first, second]
    assert store.has_unsaved()
    assert (data_dir / JOURNAL_FILE).read_bytes() == journal_before  # untouched, still valid
    with pytest.raises(StorageWriteError):
        store.retry_unsaved()

    breaker.heal()
    store.retry_unsaved()
    assert store.unsaved_entries() == []
    assert not store.has_unsaved()
    assert [
        d["id"] for d in json.loads((data_dir / JOURNAL_FILE).read_bytes())["entries"].values()
    ] == [
        saved.id,
        first.id,
        second.id,
    ]
    assert list(data_dir.glob(".*.tmp")) == []


def test_a_failed_finish_leaves_the_session_in_progress(open_store, breaker: Breaker) -> None:
    store, _ = open_store()
    session = make_session()
    store.begin_session(session)
    store.log_entry(make_entry(session))
    breaker.fail_with(errno.ENOSPC)
    with pytest.raises(StorageWriteError):
        store.finish_session(T0 + 600)
    assert store.active_session() == session
    assert store.sessions() == []
    breaker.heal()
    store.finish_session(T0 + 600)
    assert [s.id for s in store.sessions()] == [session.id]


def test_a_failed_edit_changes_nothing(open_store, breaker: Breaker) -> None:
    store, _ = open_store()
    _, entries = finished_session(store)
    breaker.fail_with(errno.EROFS)
    from dataclasses import replace

    with pytest.raises(StorageWriteError):
        store.edit_entry(replace(entries[0], reps=99))
    with pytest.raises(StorageWriteError):
        store.delete_entry(entries[1].id)
    breaker.heal()
    assert store.entries_for_session(entries[0].session_id) == entries


def test_an_import_that_fails_half_way_is_rolled_back(
    open_store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = open_store()
    finished_session(store, T0 - 86_400 * 400)  # 2023, so the import touches several files
    before = snapshot_files(data_dir)
    batch = parse_any((FIXTURES / "strong_comma.csv").read_bytes())

    from hipflex_desktop.store import history

    real_write = history.write_tables
    calls = {"n": 0}

    def flaky_write(path: Path, tables: dict, *, keep_backup: bool = True) -> None:  # type: ignore[type-arg]
        calls["n"] += 1
        if calls["n"] == 3:  # pending intent, first file, then the disk fills up
            raise StorageWriteError.from_os_error(path, OSError(errno.ENOSPC, "No space"))
        real_write(path, tables, keep_backup=keep_backup)

    monkeypatch.setattr(history, "write_tables", flaky_write)
    with pytest.raises(StorageWriteError):
        store.import_batch(batch)
    monkeypatch.undo()
    after = snapshot_files(data_dir)
    # Backups of rewritten files may have been refreshed; the data files must be as before.
    assert {k: v for k, v in after.items() if not k.endswith(".bak")} == {
        k: v for k, v in before.items() if not k.endswith(".bak")
    }
    assert not (data_dir / PENDING_FILE).exists()
    assert store.counts() == (1, 3)


def test_a_crash_half_way_through_an_import_is_completed_at_next_start(
    open_store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = open_store()
    batch = parse_any((FIXTURES / "strong_comma.csv").read_bytes())
    batch2 = parse_any((FIXTURES / "strong_semicolon_units.csv").read_bytes())
    from dataclasses import replace

    combined = replace(
        batch,
        sessions=batch.sessions + batch2.sessions,
        entries=batch.entries + batch2.entries,
        custom_exercises=batch.custom_exercises + batch2.custom_exercises,
    )
    from hipflex_desktop.store import history

    real_write = history.write_tables
    calls = {"n": 0}

    class Killed(BaseException):
        """Stands for the process dying: nothing after it runs, no cleanup."""

    def dying_write(path: Path, tables: dict, *, keep_backup: bool = True) -> None:  # type: ignore[type-arg]
        calls["n"] += 1
        if calls["n"] == 3:
            raise Killed
        real_write(path, tables, keep_backup=keep_backup)

    monkeypatch.setattr(history, "write_tables", dying_write)
    with pytest.raises(Killed):
        store.import_batch(combined)
    monkeypatch.undo()
    store.close()
    assert (data_dir / PENDING_FILE).exists()

    again, notices = open_store()
    assert [n.kind for n in notices] == [NoticeKind.COMPLETED_CHANGE]
    assert again.counts() == (3, 11)
    assert {c.name for c in again.custom_exercises()} == {"Squat (Barbell)", "Farmer's Walk"}
    assert not (data_dir / PENDING_FILE).exists()


# -- a real read-only folder ---------------------------------------------------------------


def _read_only_methods() -> list[str]:
    methods = []
    if shutil.which("mount") and os.geteuid() == 0:
        methods.append("bind-mount")
    if shutil.which("chattr"):
        methods.append("immutable")
    if os.geteuid() != 0:
        methods.append("chmod")
    return methods


@contextlib.contextmanager
def _made_read_only(folder: Path, method: str) -> Iterator[None]:
    def run(*cmd: str) -> bool:
        return subprocess.run(cmd, capture_output=True, check=False).returncode == 0

    undo: Callable[[], object]
    if method == "bind-mount":
        if not run("mount", "--bind", "-o", "ro", str(folder), str(folder)):
            pytest.skip("this machine does not allow a read-only bind mount")
        undo = lambda: run("umount", str(folder))  # noqa: E731
    elif method == "immutable":
        if not run("chattr", "+i", str(folder)):
            pytest.skip("this file system does not support the immutable attribute")
        undo = lambda: run("chattr", "-i", str(folder))  # noqa: E731
    else:
        folder.chmod(0o555)
        undo = lambda: folder.chmod(0o755)  # noqa: E731
    try:
        probe = folder / "probe"
        try:
            probe.write_bytes(b"x")
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip(f"{method} did not make the folder read-only here")
        yield
    finally:
        undo()


@pytest.mark.parametrize("method", _read_only_methods() or ["none"])
def test_a_really_read_only_folder(open_store, data_dir: Path, method: str) -> None:
    if method == "none":
        pytest.skip("no way to make a read-only folder on this machine (not root, no chattr)")
    store, _ = open_store()
    old, _ = finished_session(store)
    store.close()

    with _made_read_only(data_dir, method):
        ro_store, notices = open_store()
        assert NoticeKind.READ_ONLY in [n.kind for n in notices]
        assert [s.id for s in ro_store.sessions()] == [old.id]
        session = make_session(T0 + 86_400)
        with pytest.raises(StorageWriteError) as caught:
            ro_store.begin_session(session)
        assert caught.value.failure in (WriteFailure.READ_ONLY, WriteFailure.PERMISSION)
        entry = make_entry(session)
        with pytest.raises(StorageWriteError):
            ro_store.log_entry(entry)
        assert ro_store.unsaved_entries() == [entry]
    ro_store.retry_unsaved()  # the folder is writable again
    ro_store.finish_session(T0 + 86_400 + 600)
    ro_store.close()

    again, _ = open_store()
    assert [s.id for s in again.sessions()] == [old.id, session.id]
    assert again.entries_for_session(session.id) == [entry]
