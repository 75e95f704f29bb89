"""The reference adapter's page pool: pages and their guests are reused, never seen where not declared.

Real renderer processes; a ``Main`` subclass (through the ``make_main`` seam) counts
the pages started.  A few seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conformance.adapters.reference.adapter import ReferenceAdapter
from conformance.scenarios import MAIN, Listener, Scenario, destroy, send, set_timeout, webview_send
from reference_impl import Main, WebContents

_TIMEOUT = 30.0


class _CountingMain(Main):
    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.started: list[str] = []

    def _start_page(self, *, embedder: WebContents | None, element: str | None) -> WebContents:
        self.started.append("top" if embedder is None else f"guest {element}")
        return super()._start_page(embedder=embedder, element=element)


class _CountingAdapter(ReferenceAdapter):
    def make_main(self) -> Main:
        return _CountingMain(preload=self.preload)


@pytest.fixture
def adapter() -> Iterator[_CountingAdapter]:
    adapter = _CountingAdapter()
    yield adapter
    adapter.close()


def _run(adapter: ReferenceAdapter, scenario: Scenario) -> dict[str, Any]:
    adapter.reset(timeout=_TIMEOUT)
    return adapter.run(scenario.to_json(), timeout=_TIMEOUT)


def _with_guest() -> Scenario:
    return (
        Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen("g1", Listener("l1", "c"))
        .script("e1", webview_send("w1", "c", 1))
    )


def _without_guest() -> Scenario:
    return (
        Scenario("p1")
        .listen(MAIN, Listener("m1", "c"))
        .script("p1", webview_send("w1", "c", 2), send("c", 3))
    )


def _types(trace: dict[str, Any], process: str) -> list[str]:
    return [event["type"] for event in trace["processes"][process] if event["type"] != "script-end"]


def _started(adapter: ReferenceAdapter) -> list[str]:
    main = adapter.main
    assert isinstance(main, _CountingMain)
    return main.started


def test_guests_are_kept_for_later_scenarios_and_hidden_from_others(adapter: _CountingAdapter) -> None:
    for _ in range(3):
        guest_trace = _run(adapter, _with_guest())
        assert _types(guest_trace, "g1") == ["deliver"]
        plain = _run(adapter, _without_guest())["processes"]["p1"]
        failed = [e for e in plain if e["type"] == "call-end" and e["op"] == "webviewSend"]
        assert [e["error"]["name"] for e in failed] == ["TypeError"], "a guest of another scenario answered"
    assert _started(adapter).count("guest w1") == 1, _started(adapter)


def test_a_destroyed_page_is_replaced_by_the_spare(adapter: _CountingAdapter) -> None:
    doomed = Scenario("p1").script(MAIN, destroy("p1")).limits(block_ms=200)
    for _ in range(3):
        _run(adapter, doomed)
        trace = _run(adapter, Scenario("p1").listen(MAIN, Listener("m1", "c")).script("p1", send("c", 1)))
        assert _types(trace, "main") == ["deliver"]
    assert _started(adapter).count("top") >= 4  # one per destroyed page, and a spare


def test_a_page_with_a_timer_still_due_is_not_reused(adapter: _CountingAdapter) -> None:
    late = Scenario("p1").script("p1", set_timeout(60_000, "late")).limits(block_ms=100)
    _run(adapter, late)
    assert adapter._run is not None
    assert adapter._run.pages["p1"].is_destroyed()
    trace = _run(adapter, Scenario("p1").listen(MAIN, Listener("m1", "c")).script("p1", send("c", 1)))
    assert _types(trace, "main") == ["deliver"]
