"""Persistence behind small repository interfaces. TinyDB is the store of record.

TinyDB's default storage rewrites its file in place (not crash-safe), so every
file here goes through :mod:`hipflex_desktop.store.atomic`.
"""
