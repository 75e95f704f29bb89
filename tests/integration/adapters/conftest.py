"""Fixtures for driving real adapter processes: the fakes in ``tests/fakes/adapters``."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.adapters import SubprocessAdapter

ROOT = Path(__file__).resolve().parents[3]
FAKES = ROOT / "tests" / "fakes" / "adapters"


def _live_members(pgid: int) -> list[int]:
    """Return the live (not zombie) processes of group ``pgid``."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return []
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return [pgid]
    members = []
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def _alive(pid: int) -> bool:
    """Return whether process ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


@pytest.fixture
def fake_argv() -> Callable[..., list[str]]:
    """Return the command line of the fake adapter ``name`` with ``args``."""
    return lambda name, *args: [sys.executable, str(FAKES / f"{name}.py"), *args]


@pytest.fixture
def fake_env() -> dict[str, str]:
    """Return an environment in which the fakes can import this project."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


@pytest.fixture
def start(
    fake_argv: Callable[..., list[str]], fake_env: dict[str, str]
) -> Iterator[Callable[..., SubprocessAdapter]]:
    """Return a function starting the fake ``name`` with ``args`` and short timeouts; close them all after."""
    started: list[SubprocessAdapter] = []

    def start(name: str, *args: str, **options: Any) -> SubprocessAdapter:
        options = {"env": fake_env, "start_timeout": 10.0, "grace": 0.5, **options}
        adapter = SubprocessAdapter(fake_argv(name, *args), **options)
        started.append(adapter)
        return adapter

    yield start
    for adapter in started:
        adapter.close()


@pytest.fixture
def gone() -> Callable[..., bool]:
    """Return a function telling whether a process group (or with ``pid=``, a process) is gone.

    It waits up to ``within`` seconds (5): a process killed with SIGKILL disappears shortly after.
    """

    def gone(pgid: int | None = None, *, pid: int | None = None, within: float = 5.0) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if (pgid is None or not _live_members(pgid)) and (pid is None or not _alive(pid)):
                return True
            time.sleep(0.02)
        return False

    return gone
