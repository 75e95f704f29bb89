"""Scenarios per second through each adapter, on a fixed mix of small scenarios like the suite's.

Every adapter runs the same mix with a ``reset`` before each scenario, as
``SuiteSession`` does; the trace is not validated here (the suite's cost of
that is in ``suite``).  The in-memory oracle adapter is the in-process
adapter's baseline (the cost of real processes); the in-process adapter is the
subprocess adapter's (the cost of the protocol), and the Node kit's, if present.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from functools import cache
from typing import Any, Final

from benchmarks.harness import Figure, Section, summarize, time_call
from conformance.adapters import Adapter, load_adapter
from conformance.scenarios import (
    MAIN,
    Listener,
    Scenario,
    reply,
    ret,
    send,
    send_sync,
    send_to_host,
    web_contents_send,
    webview_send,
)

__all__ = ["MIX", "NODE_SPEC", "ORACLE", "load_measured", "measure", "node_kit", "scenarios_per_second"]

ORACLE: Final = "benchmarks.oracle_adapter:OracleAdapter"
NODE_SPEC: Final = "node:reference-js"
"""The Node kit's JavaScript implementation of v0.32 (``adapters/node/bin/reference-js.js``)."""
_TIMEOUT: Final = 60.0
_ARGS: Final[list[Any]] = [1, "two", {"three": [3.5, True, None]}]


def _mix() -> dict[str, dict[str, Any]]:
    """Return the scenarios of the mix by name: one of each kind of message, and a small mixed one."""
    guest = Scenario("e1").guest("g1", embedder="e1", element="w1")
    mixed = (
        Scenario("p1", "p2")
        .listen(MAIN, Listener("ma", "a"))
        .listen(MAIN, Listener("ms", "s", [ret(echo=True)]))
        .listen(MAIN, Listener("mr", "r", [reply("a", echo=True)]))
        .listen("p1", Listener("la", "a"))
        .listen("p2", Listener("la", "a"))
    )
    for n in range(4):
        mixed.script("p1", send("a", f"p1:{n}"), send_sync("s", f"p1:s{n}"), send("r", f"p1:r{n}"))
        mixed.script("p2", send("a", f"p2:{n}"))
        mixed.script(MAIN, web_contents_send("p2", "a", f"main:{n}"))
    scenarios = {
        "send": Scenario("p1").listen(MAIN, Listener("m1", "c")).script("p1", send("c", *_ARGS)),
        "sendSync": Scenario("p1")
        .listen(MAIN, Listener("m1", "c", [ret(echo=True)]))
        .script("p1", send_sync("c", *_ARGS)),
        "webContents.send": Scenario("p1")
        .listen("p1", Listener("l1", "c"))
        .script(MAIN, web_contents_send("p1", "c", *_ARGS)),
        "sendToHost": Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen_host("e1", "h1", "w1")
        .script("g1", send_to_host("c", *_ARGS)),
        "webview.send": guest.listen("g1", Listener("l1", "c")).script("e1", webview_send("w1", "c", *_ARGS)),
        "mixed (2 pages, 24 messages)": mixed,
    }
    return {name: scenario.to_json() for name, scenario in scenarios.items()}


MIX: Final = _mix()


def scenarios_per_second(adapter: Adapter, scenarios: Mapping[str, Mapping[str, Any]], rounds: int) -> float:
    """Return scenarios per second: ``rounds`` passes over ``scenarios``, each run after a reset."""

    def run_all() -> None:
        for _ in range(rounds):
            for scenario in scenarios.values():
                adapter.reset(timeout=_TIMEOUT)
                adapter.run(scenario, timeout=_TIMEOUT)

    return rounds * len(scenarios) / time_call(run_all)


@cache
def node_kit() -> tuple[str | None, str]:
    """Return ``(NODE_SPEC, "")`` if the Node kit's implementation answers, else ``(None, why not)``.

    It must start, say hello and run one scenario of the mix; whatever goes wrong is the reason.
    """
    if shutil.which("node") is None:
        return None, "no node executable on PATH"
    try:
        adapter = load_adapter(NODE_SPEC)
    except Exception as error:  # an AdapterStartError names the problem and what to do
        return None, f"{NODE_SPEC} does not start: {error}"
    try:
        adapter.hello()
        adapter.reset(timeout=_TIMEOUT)
        adapter.run(MIX["send"], timeout=_TIMEOUT)
    except Exception as error:
        return None, f"{NODE_SPEC} does not run a scenario: {type(error).__name__}: {error}"
    finally:
        adapter.close()
    return NODE_SPEC, ""


def load_measured(specs: Mapping[str, str], notes: list[str]) -> dict[str, Adapter]:
    """Load the adapters of ``specs`` and the Node kit's as ``node`` if it answers (else say why)."""
    named = dict(specs)
    node, why_not = node_kit()
    if node is None:
        notes.append(f"Node kit: not measured, {why_not}")
    else:
        named["node"] = node
    return {name: load_adapter(spec) for name, spec in named.items()}


def measure(*, repeats: int, quick: bool) -> list[Section]:
    """Return the scenarios-per-second section."""
    rounds = 2 if quick else 20
    section = Section(
        "adapters", f"Scenarios per second through each adapter (higher is better, {len(MIX)} kinds)"
    )
    specs = {"oracle": ORACLE, "in-process": "reference", "subprocess": "reference-subprocess"}
    adapters = load_measured(specs, section.notes)
    samples: dict[str, list[float]] = {name: [] for name in adapters}
    kinds: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in MIX} for name in adapters}
    try:
        for adapter in adapters.values():
            scenarios_per_second(adapter, MIX, 1)  # warm up: page pools, imports
        for _ in range(repeats):
            for name, adapter in adapters.items():
                samples[name].append(scenarios_per_second(adapter, MIX, rounds))
                for kind, scenario in MIX.items():
                    scenarios_per_second(adapter, {kind: scenario}, 1)  # its pages, as one test's run has
                    kinds[name][kind].append(scenarios_per_second(adapter, {kind: scenario}, rounds))
    finally:
        for adapter in adapters.values():
            adapter.close()
    titles = {
        "oracle": "in-memory oracle adapter (baseline: no process, no IPC)",
        "in-process": "reference adapter, in-process (pages are processes)",
        "subprocess": "reference adapter behind the subprocess protocol",
        "node": f"the Node kit's JavaScript implementation ({NODE_SPEC}), subprocess protocol",
    }
    baselines = {"oracle": None, "in-process": "oracle", "subprocess": "in-process", "node": "in-process"}
    for name in adapters:
        by_kind = {kind: summarize(values).median for kind, values in kinds[name].items()}
        section.add(
            Figure(
                name,
                titles[name],
                "scenarios/s",
                samples[name],
                baseline=baselines[name],
                extra={"median scenarios/s by kind": by_kind},
            )
        )
    section.notes.append(
        f"{rounds} passes over the mix per sample, a reset before every scenario; the mix alternates page"
        " layouts (with and without guests), by kind the same scenario is repeated"
    )
    return [section]
