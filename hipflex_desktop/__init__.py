"""Hipflex: a desktop trainer for the hip flexors."""

# The single source of the version (pyproject reads it via hatch). A literal, not
# importlib.metadata, which alone costs ~90 ms of start-up.
__version__ = "0.1.0"

APP_NAME = "hipflex"
ORG_NAME = "Hipflex"
