"""Guards against binding bugs we have hit, so an upgrade that brings one back fails here."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QComboBox


def test_null_qvariant_to_none_keeps_none_alive(qapp: QApplication) -> None:
    """PySide6 6.12.0 on Python 3.11 decref'd None for every null QVariant returned.

    None is immortal from Python 3.12 on, so the count only moves on 3.11; there
    the process aborts with ``none_dealloc`` once the count reaches zero.
    """
    combo = QComboBox()
    combo.addItem("any", None)
    before = sys.getrefcount(None)
    values = [combo.itemData(0) for _ in range(1000)]
    after = sys.getrefcount(None)
    assert values == [None] * 1000
    if sys.version_info < (3, 12):
        assert after - before >= 1000  # each list slot holds a new reference to None
    combo.deleteLater()
