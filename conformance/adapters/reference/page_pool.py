"""The renderer processes the reference adapter keeps between scenarios, and a spare one starting.

Starting a page costs a Python interpreter's start (tens of milliseconds), so
pages are reused: a scenario's top-level pages come from a pool that keeps each
page's ``<webview>`` guests, so that scenarios with and without guests can
alternate without restarting them.  A page of the scenario never holds a guest
the scenario does not declare (``<webview>.send`` to an empty element must fail,
HOST-6).  When a new top-level page is needed, a spare started in the
background is taken; the next spare starts when the scenario is over (``refill``),
so that starting it does not compete with a running scenario for the processor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Final

from reference_impl import Main, WebContents

__all__ = ["PagePool"]

POOL_LIMIT: Final = 4
"""Top-level pages kept between scenarios (a scenario may use more; the least recently used go first)."""


class PagePool:
    """Top-level pages with their guests, most recently used last, and the spare being started."""

    def __init__(self, main: Main, adopt: Callable[[WebContents], None]) -> None:
        """``adopt`` is called once with every page before the adapter uses it."""
        self._main = main
        self._adopt = adopt
        self._pages: list[WebContents] = []
        self._guests: dict[tuple[int, str], WebContents] = {}
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reference-adapter-spare")
        self._spare: Future[WebContents] | None = None
        self._spare_taken = False
        """Whether a new page was ever needed: only then are spares worth starting."""

    def assign(self, declared: list[Mapping[str, Any]]) -> dict[str, WebContents]:
        """Return a live page for each page a scenario declares (embedders before their guests)."""
        self._pages = [contents for contents in self._pages if not contents.is_destroyed()]
        self._guests = {key: guest for key, guest in self._guests.items() if not guest.is_destroyed()}
        pages: dict[str, WebContents] = {}
        free = list(self._pages)
        for page in declared:
            if "guest" not in page:
                elements = {p["guest"]["element"] for p in declared if _embedder(p) == page["id"]}
                pages[page["id"]] = self._top_level(free, elements)
        wanted: set[tuple[int, str]] = set()
        for page in declared:
            if "guest" in page:
                embedder = pages[page["guest"]["embedder"]]
                key = (embedder.id, page["guest"]["element"])
                wanted.add(key)
                if key not in self._guests:
                    self._guests[key] = self._adopted(self._main.create_guest(embedder, key[1]))
                pages[page["id"]] = self._guests[key]
        used = {contents.id for contents in pages.values()}
        for key, guest in list(self._guests.items()):
            if key[0] in used and key not in wanted:
                guest.destroy()  # with the guests it embeds
                del self._guests[key]
        surplus = max(len(self._pages) - POOL_LIMIT, 0)
        for contents in [wc for wc in self._pages if wc.id not in used][:surplus]:
            contents.destroy()
            self._pages.remove(contents)
        return pages

    def refill(self) -> None:
        """Start a spare page in the background, if the last one was taken."""
        if self._spare is None and self._spare_taken:
            self._spare = self._starter.submit(self._main.create_page)

    def close(self) -> None:
        """Stop starting spares (main's ``close`` then destroys every page)."""
        self._starter.shutdown(wait=True, cancel_futures=True)

    def _guest_elements(self, contents: WebContents) -> set[str]:
        return {element for (embedder, element) in self._guests if embedder == contents.id}

    def _top_level(self, free: list[WebContents], elements: set[str]) -> WebContents:
        """Take the free page whose guests best fit ``elements``, or a new one; mark it most recently used."""
        fitting = [contents for contents in free if self._guest_elements(contents) <= elements]
        if fitting:
            contents = max(fitting, key=lambda wc: len(self._guest_elements(wc) & elements))
        elif free and len(self._pages) >= POOL_LIMIT:
            contents = free[0]  # the least recently used; its other guests are destroyed
        else:
            contents = self._fresh()
            self._pages.append(contents)
            return contents
        free.remove(contents)
        self._pages.remove(contents)
        self._pages.append(contents)
        return contents

    def _fresh(self) -> WebContents:
        """Return the spare page, or start one here if there is none."""
        spare, self._spare = self._spare, None
        contents: WebContents | None = None
        if spare is not None:
            try:
                contents = spare.result()
            except Exception:  # started badly in the background: start one here, to raise the real error
                contents = None
        if contents is None or contents.is_destroyed():
            contents = self._main.create_page()
        self._spare_taken = True
        return self._adopted(contents)

    def _adopted(self, contents: WebContents) -> WebContents:
        self._adopt(contents)
        return contents


def _embedder(page: Mapping[str, Any]) -> str | None:
    guest = page.get("guest")
    return None if guest is None else str(guest["embedder"])
