"""The reference implementation of Electron v0.32.0's renderer IPC, with real processes.

``Main`` is the main process (in the caller's process); each page is a renderer
process it starts (``Main.create_page``, ``Main.create_guest``) and drives through
its ``WebContents``; a page program receives a ``Page``. Module map, following a
message: ``page``/``renderer`` (the page's side) → ``wire_values`` and
``framing`` (the bytes on the pipes) → ``web_contents``/``main_process`` (main's
side) → ``main_events`` and ``json_answer`` (the answer to ``sendSync``).

The names below are imported on first use: every renderer process starts by
importing this package, and should not pay for main's modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from reference_impl.emitter import EventEmitter, UnhandledErrorEvent
    from reference_impl.loop import Timer
    from reference_impl.main_events import IpcEvent, SyncIpcEvent
    from reference_impl.main_process import Main
    from reference_impl.page import OMITTED, IpcMessageEvent, Page, RendererIpc, WebView
    from reference_impl.web_contents import WebContents

__all__ = [
    "OMITTED",
    "EventEmitter",
    "IpcEvent",
    "IpcMessageEvent",
    "Main",
    "Page",
    "RendererIpc",
    "SyncIpcEvent",
    "Timer",
    "UnhandledErrorEvent",
    "WebContents",
    "WebView",
]

_HOMES: Final = {
    "OMITTED": "page",
    "EventEmitter": "emitter",
    "IpcEvent": "main_events",
    "IpcMessageEvent": "page",
    "Main": "main_process",
    "Page": "page",
    "RendererIpc": "page",
    "SyncIpcEvent": "main_events",
    "Timer": "loop",
    "UnhandledErrorEvent": "emitter",
    "WebContents": "web_contents",
    "WebView": "page",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'reference_impl' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"reference_impl.{home}"), name)
    globals()[name] = value
    return value
