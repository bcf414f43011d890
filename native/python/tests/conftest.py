# Copyright 2025 Switchboard contributors.
"""Fixtures of the package's tests.

- `library`: libswitchboard loaded from $SWITCHBOARD_LIBRARY. Tests that need it are skipped, with the reason, when
  the variable is not set (a plain `python3 -m pytest` without a build); the interop module's PythonInteropTest sets
  it, and fails when anything is skipped.
- `router`: a running router's control socket ($SWITCHBOARD_SOCKET, with $SWITCHBOARD_SHM_DIR); PythonInteropTest
  starts a real router and sets both.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


@pytest.fixture(scope="session")
def library():
    if not os.environ.get("SWITCHBOARD_LIBRARY"):
        pytest.skip("SWITCHBOARD_LIBRARY is not set: no libswitchboard.so to test (see native/python/README.md)")
    from switchboard import _lib
    return _lib.lib()


@pytest.fixture(scope="session")
def router(library):
    socket = os.environ.get("SWITCHBOARD_SOCKET")
    if not socket:
        pytest.skip("SWITCHBOARD_SOCKET is not set: no router to talk to (see native/python/README.md)")
    if not os.path.exists(socket):
        pytest.fail(f"SWITCHBOARD_SOCKET names {socket}, which does not exist: is the router running?")
    return socket


_names = iter(range(1, 1_000_000))


@pytest.fixture
def agent_name(request):
    """A name no other test's agent has: the test's name and a counter (the router keeps names unique)."""
    def make(role):
        return f"py-{role}-{os.getpid()}-{next(_names)}"
    return make
