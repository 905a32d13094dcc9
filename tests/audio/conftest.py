"""Fixtures for the audio tests: a private PulseAudio server, or a loud failure.

The real-audio tests play into a PulseAudio daemon started for this test session (see
``tests/audio/onsets.py``), so sounds from other programs on the machine never land
in the recordings. ``PULSE_SERVER`` is exported for this process too, because
QtMultimedia connects once per process, and the root conftest's temporary ``HOME``
would hide a per-user server anyway.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.audio.onsets import PulseUnavailableError, private_pulse_server


@pytest.fixture(scope="session")
def pulse_server_env() -> Iterator[dict[str, str]]:
    try:
        with private_pulse_server() as env:
            previous = os.environ.get("PULSE_SERVER")
            os.environ["PULSE_SERVER"] = env["PULSE_SERVER"]
            try:
                yield env
            finally:
                if previous is None:
                    os.environ.pop("PULSE_SERVER", None)
                else:
                    os.environ["PULSE_SERVER"] = previous
    except PulseUnavailableError as error:
        pytest.fail(f"No PulseAudio for the audio tests: {error}", pytrace=False)


@pytest.fixture
def pulse_env(pulse_server_env: dict[str, str]) -> dict[str, str]:
    """Environment for child processes that must reach the test's sound server.

    Built from the current ``os.environ`` (so the per-test temporary HOME applies)
    plus the private server's address; fails (never skips) when there is none.
    """
    env = dict(os.environ)
    env["PULSE_SERVER"] = pulse_server_env["PULSE_SERVER"]
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env
