"""Where the user's data lives, and the one check that it can be written.

Order of precedence: ``--data-dir``, then ``HIPFLEX_DATA_DIR``, then Qt's
``AppDataLocation`` for organization "Hipflex" / application "hipflex"
(``~/.local/share/Hipflex/hipflex`` on Linux). Settings (QSettings, INI
format) live inside the same directory so one override moves everything.
"""

from __future__ import annotations

import os
from pathlib import Path

from hipflex_desktop import APP_NAME, ORG_NAME

DATA_DIR_ENV = "HIPFLEX_DATA_DIR"
SETTINGS_FILE = "settings.ini"


class DataDirError(Exception):
    """The data directory cannot be created or written. The message is for people."""


def default_data_dir() -> Path:
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not location:
        raise DataDirError(
            "Could not find a place for Hipflex's data on this system. "
            f"Choose one with --data-dir DIR or the {DATA_DIR_ENV} environment variable."
        )
    return Path(location)


def resolve_data_dir(cli_value: str | None = None) -> Path:
    """The data dir chosen by flag, environment or platform default (not yet checked)."""
    chosen = cli_value or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return default_data_dir()


def ensure_writable(data_dir: Path) -> Path:
    """Create ``data_dir`` if needed and prove it is writable, or raise :class:`DataDirError`."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DataDirError(f"The data folder {data_dir} is a file, not a folder.") from None
    except OSError as exc:
        raise DataDirError(
            f"Hipflex cannot create its data folder {data_dir}: {exc.strerror or exc}."
        ) from None
    if not data_dir.is_dir():
        raise DataDirError(f"The data folder {data_dir} is not a folder.")
    # A random name (os.urandom, not uuid: importing uuid costs ~2 ms of start-up).
    probe = data_dir / f".write-test-{os.urandom(8).hex()}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise DataDirError(
            f"Hipflex cannot save to its data folder {data_dir} ({exc.strerror or exc}). "
            "Check the folder's permissions and free space, or choose another folder "
            f"with --data-dir DIR or {DATA_DIR_ENV}."
        ) from None
    return data_dir


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE
