"""Pure-Python core: catalog, workout plans, session engine, analytics.

Nothing in this package may import Qt; ``tests/domain/test_no_qt.py`` enforces it,
so the core can be tested on a fake clock and reused without a display.
"""
