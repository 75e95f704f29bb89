"""Start-up costs: a page (a renderer process) and an adapter, against a bare interpreter's start.

A page is started by ``Main.create_page`` (spawn, imports, ``ready``); the
reference adapter then loads its page program into it, which imports the
scenario interpreter and the value codec.  The subprocess adapter's start is
its spawn, its imports and the ``hello`` handshake.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

from benchmarks.adapters import NODE_SPEC, node_kit
from benchmarks.harness import Figure, Section, time_call
from conformance.adapters import load_adapter
from conformance.adapters.reference.adapter import PAGE_PROGRAM
from reference_impl import Main, WebContents

__all__ = ["measure"]

_TIMEOUT: Final = 60.0


def _bare_interpreter(*flags: str) -> float:
    return time_call(lambda: subprocess.run([sys.executable, *flags, "-c", "pass"], check=True))


def _load_program(page: WebContents) -> None:
    """Load the reference adapter's page program with an empty part and wait for its ``ready``."""
    ready = threading.Event()
    page.on("console-message", lambda value: ready.set() if "ready" in value else None)
    page.load(PAGE_PROGRAM, {})
    if not ready.wait(_TIMEOUT):
        raise TimeoutError(f"the page program did not say ready within {_TIMEOUT} s")


def _page_start(main: Main, *, load: bool) -> float:
    def start() -> None:
        page = main.create_page()
        if load:
            _load_program(page)
        pages.append(page)

    pages: list[WebContents] = []
    seconds = time_call(start)
    for page in pages:
        page.destroy()
    return seconds


def _adapter_start(spec: str) -> float:
    adapters = []

    def start() -> None:
        adapter = load_adapter(spec)
        adapter.hello()
        adapters.append(adapter)

    seconds = time_call(start)
    for adapter in adapters:
        adapter.close()
    return seconds


@contextmanager
def _bytecode_cache(cache: str) -> Iterator[None]:
    """Let child processes started meanwhile write and read bytecode in ``cache``."""
    saved = {name: os.environ.get(name) for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = cache
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def measure(*, repeats: int, quick: bool) -> list[Section]:
    """Return the start-up section: pages and adapters against a bare interpreter."""
    section = Section("startup", "Start-up (ms, lower is better)")
    runs: dict[str, Callable[[], float]] = {}
    main = Main()
    cache = tempfile.TemporaryDirectory(prefix="bench-pycache-")
    try:
        runs["python -S"] = lambda: _bare_interpreter("-S")
        runs["python"] = lambda: _bare_interpreter()
        runs["page"] = lambda: _page_start(main, load=False)
        runs["page+program"] = lambda: _page_start(main, load=True)
        runs["reference"] = lambda: _adapter_start("reference")
        runs["reference-subprocess"] = lambda: _adapter_start("reference-subprocess")
        node, why_not = node_kit()
        if node is not None:
            runs["node"] = lambda: _adapter_start(node)
        else:
            section.notes.append(f"Node kit: not measured, {why_not}")
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):

            def cached() -> float:
                with _bytecode_cache(cache.name):
                    return _page_start(main, load=True)

            runs["page+program cached"] = cached
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for run in runs.values():
            run()  # warm up the file system cache and this process's imports
        for _ in range(repeats):
            for name, run in runs.items():
                samples[name].append(run() * 1e3)
    finally:
        main.close()
        cache.cleanup()
    section.add(
        Figure("python -S", "bare interpreter, python -S -c pass (baseline)", "ms", samples["python -S"])
    )
    section.add(
        Figure("python", "bare interpreter with site, python -c pass (baseline)", "ms", samples["python"])
    )
    section.add(
        Figure(
            "page",
            "a page: Main.create_page, until the renderer is ready",
            "ms",
            samples["page"],
            "python -S",
        )
    )
    section.add(
        Figure(
            "page+program",
            "a page with the reference adapter's page program loaded (what a fresh pool page costs)",
            "ms",
            samples["page+program"],
            "python -S",
        )
    )
    if "page+program cached" in samples:
        section.add(
            Figure(
                "page+program cached",
                "the same, with a bytecode cache (PYTHONDONTWRITEBYTECODE unset)",
                "ms",
                samples["page+program cached"],
                "page+program",
                note="PYTHONDONTWRITEBYTECODE=1 is set here: every renderer compiles what it imports",
            )
        )
    section.add(
        Figure(
            "reference",
            "in-process reference adapter: construct, hello (no page yet)",
            "ms",
            samples["reference"],
            "python -S",
        )
    )
    section.add(
        Figure(
            "reference-subprocess",
            "subprocess adapter: spawn, imports, hello handshake",
            "ms",
            samples["reference-subprocess"],
            "python",
        )
    )
    if "node" in samples:
        section.add(
            Figure(
                "node",
                f"Node kit's JavaScript implementation ({NODE_SPEC}): spawn node, hello handshake",
                "ms",
                samples["node"],
                "python",
            )
        )
    return [section]
