"""One Hipflex window per data folder, through a local socket.

The first instance listens on a ``QLocalServer`` whose name is derived from a
hash of the resolved data folder (and the user), so two folders can be open at
once but one folder only once. A second instance connects, asks the first to
come to the front, and exits. A server left behind by a crashed instance
(its socket file remains but nobody answers) is removed with
``QLocalServer.removeServer`` and claimed afresh.

This guards the GUI; the history store's file lock (``store/lock.py``) guards
the data itself against every other writer, CLI included.

QtNetwork costs start-up time (~8 ms), so it loads only when needed: on Unix a
listening ``QLocalServer`` is a socket file, and when there is no such file no
instance can answer, so :func:`owner_may_be_running` lets the app paint first
and claim right after (see ``app.run_gui``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

SERVER_PREFIX = "hipflex-"
_NAME_HEX_DIGITS = 20  # server_name's hash part
ACTIVATE_MESSAGE = b"activate\n"
CONNECT_TIMEOUT_MS = 500
WRITE_TIMEOUT_MS = 1000


def server_name(data_dir: Path) -> str:
    """Stable per (user, resolved data folder); short enough for a Unix socket path."""
    import getpass
    import hashlib

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        user = ""
    key = f"{user}\0{Path(data_dir).expanduser().resolve()}"
    return SERVER_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:_NAME_HEX_DIGITS]


def owner_may_be_running(data_dir: Path) -> bool:
    """False only when no instance can be listening for ``data_dir``; cheap (no QtNetwork).

    On Unix, Qt puts a server with a plain name at ``QDir.tempPath()/<name>``: no
    file there, nobody to ask (and no file named like a Hipflex server at all, the
    usual case, spares even hashing the name). A file may be a live server or one
    left by a crash, and other platforms use named pipes, so those answer True (ask
    properly).
    """
    if os.name != "posix":
        return True
    folder = QDir.tempPath()
    try:
        with os.scandir(folder) as entries:
            if not any(_looks_like_server(entry.name) for entry in entries):
                return False  # no Hipflex listens at all (hashing the name costs ~2 ms)
    except OSError:
        return True
    return os.path.lexists(os.path.join(folder, server_name(data_dir)))


def _looks_like_server(name: str) -> bool:
    """Named as ``server_name`` names a server (other ``hipflex-…`` temp files are not)."""
    return (len(name) == len(SERVER_PREFIX) + _NAME_HEX_DIGITS
            and name.startswith(SERVER_PREFIX)
            and all(c in "0123456789abcdef" for c in name[len(SERVER_PREFIX):]))


def notify_running_instance(data_dir: Path) -> bool:
    """Ask the instance that owns ``data_dir`` to show itself; True if it got the message."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    try:
        socket.connectToServer(server_name(data_dir))
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(ACTIVATE_MESSAGE)
        delivered = socket.waitForBytesWritten(WRITE_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(WRITE_TIMEOUT_MS)
        return delivered
    finally:
        socket.abort()
        socket.deleteLater()


def _someone_answers(name: str) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    probe = QLocalSocket()
    try:
        probe.connectToServer(name)
        answered = probe.waitForConnected(CONNECT_TIMEOUT_MS)
        if answered:
            probe.disconnectFromServer()
        return answered
    finally:
        probe.abort()
        probe.deleteLater()


class SingleInstance(QObject):
    """Claims a data folder for this process; emits ``activation_requested`` when asked."""

    activation_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    @property
    def claimed(self) -> bool:
        return self._server is not None

    @property
    def name(self) -> str | None:
        return self._server.serverName() if self._server else None

    def try_claim(self, data_dir: Path) -> bool:
        """True when we are the first instance for ``data_dir`` (and now listen)."""
        if self._server is not None:
            return True
        from PySide6.QtNetwork import QLocalServer

        name = server_name(data_dir)
        if _someone_answers(name):
            return False
        # Nobody answered: any socket file left is stale (crashed owner); remove it.
        QLocalServer.removeServer(name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            # Lost a race with another instance starting at the same moment.
            server.deleteLater()
            return False
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    def release(self) -> None:
        """Stop listening (at exit) so the next start needs no stale-socket cleanup."""
        for client in self._clients:
            client.abort()
            client.deleteLater()
        self._clients.clear()
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            client = self._server.nextPendingConnection()
            client.setParent(self)
            self._clients.append(client)
            client.readyRead.connect(self._on_ready_read)
            client.disconnected.connect(self._on_disconnected)

    def _on_ready_read(self) -> None:
        for client in list(self._clients):
            if client.canReadLine():
                line = bytes(client.readLine().data())
                if line == ACTIVATE_MESSAGE:
                    self.activation_requested.emit()

    def _on_disconnected(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        for client in list(self._clients):
            if client.state() == QLocalSocket.LocalSocketState.UnconnectedState:
                self._clients.remove(client)
                client.deleteLater()
