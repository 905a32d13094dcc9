"""One window per data folder: claim, refuse, wake the first one, survive stale sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QObject

from hipflex_desktop.single_instance import SingleInstance, notify_running_instance, server_name

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def owner(qapp) -> QObject:  # type: ignore[no-untyped-def]
    parent = QObject()
    yield parent
    parent.deleteLater()


def _instance(parent: QObject) -> SingleInstance:
    return SingleInstance(parent)


def test_the_first_claims_and_the_second_is_refused(qtbot, owner: QObject, data_dir: Path) -> None:
    first = _instance(owner)
    second = _instance(owner)
    try:
        assert first.try_claim(data_dir)
        assert first.claimed
        assert not second.try_claim(data_dir)
        assert not second.claimed
    finally:
        first.release()


def test_the_second_asks_the_first_to_come_forward(qtbot, owner: QObject, data_dir: Path) -> None:
    first = _instance(owner)
    assert first.try_claim(data_dir)
    try:
        with qtbot.waitSignal(first.activation_requested, timeout=5000):
            assert notify_running_instance(data_dir)
    finally:
        first.release()


def test_another_process_is_refused_and_wakes_us(qtbot, owner: QObject, data_dir: Path) -> None:
    first = _instance(owner)
    assert first.try_claim(data_dir)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from hipflex_desktop.single_instance import SingleInstance, notify_running_instance\n"
        "app = QCoreApplication([])\n"
        "me = SingleInstance(app)\n"
        "claimed = me.try_claim(Path(sys.argv[1]))\n"
        "print('CLAIMED' if claimed else 'REFUSED', notify_running_instance(Path(sys.argv[1])))\n"
    )
    try:
        with qtbot.waitSignal(first.activation_requested, timeout=10_000):
            child = subprocess.Popen(
                [sys.executable, "-c", code, str(data_dir)],
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "QT_QPA_PLATFORM": "offscreen"},
            )
            # The child blocks in connect/write, which our listening socket accepts at
            # the kernel level; its message is read once our event loop runs (waitSignal).
        output, _ = child.communicate(timeout=30)
        assert output.split() == ["REFUSED", "True"]
    finally:
        first.release()


def test_folders_get_different_names_and_equal_paths_the_same(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "b" / ".." / "a")
    assert len(server_name(tmp_path / "a")) < 40  # fits comfortably in a socket path


def test_a_stale_socket_left_by_a_crash_is_cleaned_up(
    qtbot, owner: QObject, data_dir: Path
) -> None:
    # A crashed owner leaves its socket file behind with nobody listening on it.
    path = Path(QDir.tempPath()) / server_name(data_dir)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()
    assert path.exists()
    assert not notify_running_instance(data_dir)

    fresh = _instance(owner)
    try:
        assert fresh.try_claim(data_dir)
        with qtbot.waitSignal(fresh.activation_requested, timeout=5000):
            assert notify_running_instance(data_dir)
    finally:
        fresh.release()


def test_after_release_the_folder_can_be_claimed_again(
    qtbot, owner: QObject, data_dir: Path
) -> None:
    first = _instance(owner)
    assert first.try_claim(data_dir)
    first.release()
    assert not first.claimed
    again = _instance(owner)
    try:
        assert again.try_claim(data_dir)
    finally:
        again.release()


def test_nobody_to_notify(qapp, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert not notify_running_instance(data_dir)


def test_the_cheap_precheck_sees_a_claimed_folder_only(
    qtbot, owner: QObject, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hipflex_desktop.single_instance import owner_may_be_running

    monkeypatch.setenv("TMPDIR", str(tmp_path / "sockets"))
    (tmp_path / "sockets").mkdir()
    assert QDir.tempPath() == str(tmp_path / "sockets")
    assert not owner_may_be_running(data_dir), "no Hipflex socket at all"
    other = tmp_path / "other"
    other.mkdir()
    first = _instance(owner)
    assert first.try_claim(other)
    try:
        assert not owner_may_be_running(data_dir), "another folder's socket is not ours"
        assert owner_may_be_running(other)
    finally:
        first.release()
    assert not owner_may_be_running(other)


def test_the_precheck_counts_a_stale_socket_as_maybe_running(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hipflex_desktop.single_instance import owner_may_be_running

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(tmp_path / server_name(data_dir)))
    dead.close()
    assert owner_may_be_running(data_dir), "a crash's leftover is for the full check to clear"


def test_the_precheck_ignores_other_hipflex_temp_files(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test and benchmark folders named ``hipflex-…`` are no server, so the start skips
    hashing the folder's name; a file named like a server is checked in full."""
    from hipflex_desktop import single_instance

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    hashed: list[Path] = []

    def counting_server_name(folder: Path) -> str:
        hashed.append(folder)
        return server_name(folder)

    monkeypatch.setattr(single_instance, "server_name", counting_server_name)
    (tmp_path / "hipflex-pulse-x1y2z3").mkdir()
    (tmp_path / "hipflex-cue-bench-abcdefgh").mkdir()
    assert not single_instance.owner_may_be_running(data_dir)
    assert hashed == [], "no file named like a server: no need to hash"
    lookalike = tmp_path / (single_instance.SERVER_PREFIX + "0123456789abcdef0123")
    lookalike.write_text("")
    assert lookalike.name != server_name(data_dir)
    assert not single_instance.owner_may_be_running(data_dir), "not this folder's server"
    assert hashed == [data_dir]
