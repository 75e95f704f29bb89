"""The suite's side of an adapter: runs scenarios, derives what they need, and survives broken adapters.

A ``SuiteSession`` wraps one adapter for a whole pytest session (one per xdist
worker).  It checks a scenario's needs against the capabilities the adapter
claimed (UNSUPPORTED otherwise), gives every call a timeout, validates and
decodes the trace, and after an adapter error keeps failing the current test
with that same error (so Hypothesis sees a stable failure) until the next test
restarts the adapter, within a restart budget.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

import jsonschema

from conformance.adapters import Adapter, AdapterError, AdapterReportedError, Hello, Step
from conformance.scenarios import Scenario
from conformance.traces import Trace

__all__ = ["RestartBudgetExhausted", "SuiteSession", "Unsupported", "requirements"]

_OP_CAPABILITIES: Final = {
    "sendSync": "sendSync",
    "sendChannelSync": "sendSync",
    "sendToHost": "sendToHost",
    "webviewSend": "webview",
    "destroy": "destroy",
    "setTimeout": "timers",
    "busy": "busy",
}
DEFAULT_BLOCK_MS: Final = 2000
DEFAULT_SETTLE_MS: Final = 50


class Unsupported(Exception):
    """The scenario needs capabilities or value kinds the implementation does not claim."""

    def __init__(self, capabilities: frozenset[str], value_kinds: frozenset[str]) -> None:
        self.capabilities = capabilities
        self.value_kinds = value_kinds
        parts = [f"capability {c!r}" for c in sorted(capabilities)]
        parts += [f"value kind {k!r}" for k in sorted(value_kinds)]
        super().__init__("the implementation does not claim " + ", ".join(parts))


class RestartBudgetExhausted(AdapterError):
    """The adapter broke more often than the restart budget allows; the rest of the run is ERROR."""


def _walk(node: object) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for child in node.values():
            yield from _walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def requirements(scenario: Mapping[str, Any]) -> tuple[frozenset[str], frozenset[str]]:
    """Return the capabilities and value kinds that running ``scenario`` needs."""
    capabilities: set[str] = set()
    kinds: set[str] = set()
    if len(scenario["pages"]) > 1:
        capabilities.add("multiplePages")
    if any("guest" in page for page in scenario["pages"]) or scenario.get("elements"):
        capabilities.add("webview")
    for node in _walk(scenario):
        if "op" in node and isinstance(node["op"], str):
            if cap := _OP_CAPABILITIES.get(node["op"]):
                capabilities.add(cap)
            if "channelValue" in node:
                capabilities.add("channelValues")
            if node.get("mutateAfter"):
                capabilities.add("mutateAfter")
            if "afterMs" in node:
                capabilities.add("timers")
        elif isinstance(node.get("type"), str):
            kinds.add(node["type"])
            if "utf16" in node:
                kinds.add("loneSurrogate")
            if "class" in node:
                kinds.add("class")
        elif "key" in node or "symbol" in node:
            if "symbol" in node:
                kinds.add("symbolKey")
            if "get" in node:
                kinds.add("accessor")
            if node.get("enumerable") is False:
                kinds.add("nonEnumerable")
    return frozenset(capabilities), frozenset(kinds)


def _scripted_ms(scenario: Mapping[str, Any]) -> int:
    total = 0
    for node in _walk(scenario):
        if node.get("op") in ("wait", "busy", "setTimeout"):
            total += int(node["ms"])
        total += int(node.get("afterMs", 0)) if "op" in node else 0
    return total


class SuiteSession:
    """One adapter, shared by the tests of one pytest session."""

    def __init__(
        self, start: Callable[[], Adapter], *, call_timeout: float = 10.0, restart_budget: int = 3
    ) -> None:
        self._start = start
        self.call_timeout = call_timeout
        self.restarts_left = restart_budget
        self._adapter: Adapter | None = None
        self._hello: Hello | None = None
        self._broken: AdapterError | None = None

    @property
    def hello(self) -> Hello:
        """Return the adapter's handshake, starting the adapter if needed."""
        self._ensure_started()
        assert self._hello is not None
        return self._hello

    def _ensure_started(self) -> Adapter:
        if self._broken is not None:  # raised afresh, so its traceback does not grow with every call
            raise self._broken.with_traceback(None)
        if self._adapter is None:
            try:
                adapter = self._start()
                self._hello = adapter.hello()
            except AdapterError as error:
                self._broken = error
                raise
            self._adapter = adapter
        return self._adapter

    def begin_test(self) -> None:
        """Prepare for a new test: restart an adapter that broke in an earlier one."""
        if self._broken is None or isinstance(self._broken, RestartBudgetExhausted):
            return
        if self.restarts_left <= 0:
            self._broken = RestartBudgetExhausted(
                "the adapter broke again after its restart budget was used up",
                step=Step.START,
                detail=str(self._broken),
                hint="raise --ipc-restart-budget, or fix what broke the adapter (see the first ERROR)",
            )
            return
        self.restarts_left -= 1
        self._discard()
        self._broken = None

    def _discard(self) -> None:
        if self._adapter is not None:
            with contextlib.suppress(AdapterError):
                self._adapter.close()
        self._adapter = None

    def supports(self, scenario: Mapping[str, Any]) -> Unsupported | None:
        """Return why the implementation cannot run ``scenario``, or None if it can."""
        capabilities, kinds = requirements(scenario)
        missing_caps = capabilities - self.hello.capabilities
        missing_kinds = kinds - self.hello.value_kinds
        return Unsupported(missing_caps, missing_kinds) if missing_caps or missing_kinds else None

    def timeout_for(self, scenario: Mapping[str, Any]) -> float:
        """Return the timeout of running ``scenario``: the base call timeout plus its scripted time."""
        limits = scenario.get("limits", {})
        scripted = int(limits.get("blockMs", DEFAULT_BLOCK_MS)) + int(
            limits.get("settleMs", DEFAULT_SETTLE_MS)
        )
        return self.call_timeout + (scripted + _scripted_ms(scenario)) / 1000

    def run(self, scenario: Scenario | Mapping[str, Any]) -> Trace:
        """Run ``scenario`` from a clean state; return its validated, decoded trace.

        Raises ``Unsupported`` if the implementation lacks what it needs, and an
        ``AdapterError`` (also for every later call in this test) if the adapter breaks.
        """
        doc = scenario.to_json() if isinstance(scenario, Scenario) else scenario
        if (unsupported := self.supports(doc)) is not None:
            raise unsupported
        adapter = self._ensure_started()
        try:
            adapter.reset(timeout=self.call_timeout)
            raw = adapter.run(doc, timeout=self.timeout_for(doc))
            return Trace.from_json(raw)
        except AdapterReportedError:
            raise  # an orderly error answer: the adapter is still usable
        except AdapterError as error:
            self._broken = error
            raise
        except (jsonschema.ValidationError, ValueError, RecursionError) as error:
            self._broken = self._with_context(
                adapter,
                AdapterError(
                    "the adapter returned an invalid trace", step=Step.COLLECT, received=str(error)[:2000]
                ),
            )
            raise self._broken from error
        except Exception as error:  # an in-process adapter's own bug
            self._broken = self._with_context(
                adapter,
                AdapterError(
                    f"the adapter raised {type(error).__name__}: {error}",
                    step=Step.RUN,
                    detail=traceback.format_exc(),
                ),
            )
            raise self._broken from error

    def _with_context(self, adapter: Adapter, error: AdapterError) -> AdapterError:
        """Return ``error`` naming the implementation, with the adapter's stderr tail if it has one."""
        tail = getattr(adapter, "stderr_tail", None)
        name = f"{self._hello.name} {self._hello.version}" if self._hello is not None else "the adapter"
        return error.add_context(implementation=name, stderr=tail() if callable(tail) else "")

    def close(self) -> None:
        """Close the adapter."""
        self._discard()
