"""Silence one harmless Qt probe before QtMultimedia loads.

Qt 6.10+ first looks for PipeWire's client library and logs two warnings when it is
absent, then uses PulseAudio as it always did. On such machines (and in CI) those
warnings are noise, and under pytest-qt's ``qt_log_level_fail`` they would fail tests.
Rules from ``QT_LOGGING_RULES`` are applied after ours, so a developer can still
turn the category back on.
"""

from __future__ import annotations

from PySide6.QtCore import QLoggingCategory

QUIET_RULES = "qt.multimedia.symbolsresolver.warning=false"

_installed = False


def quiet_optional_backend_probe() -> None:
    global _installed  # noqa: PLW0603 - once per process, before QtMultimedia logs
    if not _installed:
        QLoggingCategory.setFilterRules(QUIET_RULES)
        _installed = True
