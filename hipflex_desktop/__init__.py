"""Hipflex: a desktop trainer for the hip flexors."""

from importlib import metadata

try:
    __version__ = metadata.version("hipflex")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"

APP_NAME = "hipflex"
ORG_NAME = "Hipflex"
