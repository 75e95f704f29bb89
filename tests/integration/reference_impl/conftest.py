"""Fixtures for the reference implementation's process tests: a ``Main`` per test and its pages.

Page programs live in ``ref_pages.py`` beside this file; ``Main(page_path=[HERE])``
lets renderers import it. This directory also goes on the test process's
``sys.path``, for ``ref_helpers`` and ``ref_values``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

import pytest

HERE: Final = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from ref_helpers import Inbox, LoadedPage, load  # noqa: E402

from reference_impl import Main, WebContents  # noqa: E402


@pytest.fixture
def uncaught() -> Inbox:
    """The exceptions nothing caught in main; the test fails if one is left untaken."""
    return Inbox()


@pytest.fixture
def main(uncaught: Inbox) -> Iterator[Main]:
    """A ``Main`` for one test, closed (with all its pages) afterwards."""
    with Main(page_path=[HERE]) as main:
        main.on_uncaught_exception(uncaught.put)
        yield main
    uncaught.assert_quiet(within=0)


@pytest.fixture
def start_page(main: Main) -> Callable[..., LoadedPage]:
    """Return ``start(program, *args, embedder=None, element="wv", wait=True)``.

    It starts a page (or a guest of ``embedder``) running ``ref_pages.<program>``,
    and waits until the program returned unless ``wait`` is false.
    """

    def start(
        program: str,
        *args: object,
        embedder: WebContents | None = None,
        element: str = "wv",
        wait: bool = True,
    ) -> LoadedPage:
        contents = main.create_page() if embedder is None else main.create_guest(embedder, element)
        posts = Inbox()
        contents.on("console-message", posts.put)
        if wait:
            load(contents, program, *args)
        else:
            contents.load(f"ref_pages:{program}", *args)
        return LoadedPage(contents, posts)

    return start
