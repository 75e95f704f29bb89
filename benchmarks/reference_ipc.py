"""The reference implementation's IPC against the raw pipe: ``sendSync`` round trip and ``send`` throughput.

The page programs (``benchmarks.pages``) time themselves inside a real renderer
process; main answers or counts on its dispatcher thread.  The same ``sendSync``
round trip is then taken through both adapters, as a scenario of ``sendSync``
steps timed from its trace (so it includes recording the trace).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from benchmarks import raw_pipe
from benchmarks.adapters import NODE_SPEC, load_measured
from benchmarks.harness import Figure, Section, Target
from conformance.adapters import Adapter
from conformance.scenarios import MAIN, Listener, Scenario, ret, send_sync
from reference_impl import Main, WebContents

__all__ = ["ReferencePage", "adapter_round_trip", "measure", "round_trip_scenario"]

ROOT: Final = Path(__file__).resolve().parent.parent
_TIMEOUT: Final = 120.0


class ReferencePage:
    """One ``Main`` with one page, reused across repeats (each measurement loads a page program)."""

    def __init__(self) -> None:
        self.main = Main(page_path=[ROOT])
        self.page: WebContents = self.main.create_page()
        self._posted: list[Mapping[str, Any]] = []
        self._changed = threading.Condition()
        self.page.on("console-message", self._on_post)

    def _on_post(self, value: Mapping[str, Any]) -> None:
        with self._changed:
            self._posted.append(value)
            self._changed.notify_all()

    def _wait_for(self, done: Callable[[], bool], what: str) -> None:
        with self._changed:
            if not self._changed.wait_for(done, timeout=_TIMEOUT):
                raise TimeoutError(f"the benchmark page did not {what} within {_TIMEOUT} s")

    def _listen(self, listener: Callable[..., None]) -> None:
        def install() -> None:
            self.main.ipc.remove_all_listeners()
            self.main.ipc.on("c", listener)

        self.main.call(install)

    def send_sync_round_trip(self, count: int) -> float:
        """Return the seconds per ``sendSync`` round trip, main answering with the message's number."""
        self._listen(lambda event, n, *rest: setattr(event, "return_value", n))
        self._posted.clear()
        self.page.load("benchmarks.pages:sync_loop", count, raw_pipe.PAYLOAD)
        self._wait_for(lambda: bool(self._posted), "finish its sendSync loop")
        seconds: float = self._posted[0]["seconds"]
        return seconds / count

    def send_rate(self, count: int) -> float:
        """Return messages per second of ``count`` sends, from the page's clock to main's last dispatch."""
        received = 0
        ended: list[float] = []

        def on_message(event: object, *args: object) -> None:
            nonlocal received
            received += 1
            if received == count:
                with self._changed:
                    ended.append(time.monotonic())
                    self._changed.notify_all()

        self._listen(on_message)
        self._posted.clear()
        self.page.load("benchmarks.pages:flood", count, raw_pipe.PAYLOAD)
        self._wait_for(lambda: bool(ended) and bool(self._posted), "deliver all its messages")
        return count / (ended[0] - float(self._posted[0]["start"]))

    def close(self) -> None:
        """Destroy the page and stop main."""
        self.main.close()


def round_trip_scenario(count: int) -> dict[str, Any]:
    """Return a scenario whose page calls ``sendSync`` ``count`` times, main echoing each."""
    steps = [send_sync("c", n, *raw_pipe.PAYLOAD) for n in range(count)]  # type: ignore[arg-type]
    scenario = Scenario("p1").listen(MAIN, Listener("m1", "c", [ret(echo=True)])).script("p1", *steps)
    return scenario.to_json()


def adapter_round_trip(adapter: Adapter, scenario: Mapping[str, Any]) -> float:
    """Return the seconds per ``sendSync`` round trip of ``scenario`` run by ``adapter``, from its trace."""
    adapter.reset(timeout=_TIMEOUT)
    trace = adapter.run(scenario, timeout=_TIMEOUT)
    events = trace["processes"]["p1"]
    starts = [event["t"] for event in events if event["type"] == "call-start"]
    ends = [event["t"] for event in events if event["type"] == "call-end"]
    if not starts or len(ends) != len(starts):
        raise RuntimeError(f"{len(starts)} sendSync calls started and {len(ends)} ended: the scenario broke")
    span: float = ends[-1] - starts[0]
    return span / 1000 / len(starts)


def measure(*, repeats: int, quick: bool) -> list[Section]:
    """Return the sendSync and send sections: each figure against the raw pipe of the same repeat."""
    round_trips, messages, steps = (300, 5_000, 40) if quick else (2_000, 30_000, 150)
    rtt = Section("send_sync", "sendSync round trip (µs, lower is better)")
    rate = Section("send", "send throughput (messages/s, higher is better)")
    page = ReferencePage()
    scenario = round_trip_scenario(steps)
    adapters = load_measured({"in-process": "reference", "subprocess": "reference-subprocess"}, rtt.notes)
    samples: dict[str, list[float]] = {
        key: [] for key in ("raw", "reference", "raw_rate", "reference_rate", *adapters)
    }
    try:
        raw_pipe.ping_pong(round_trips // 4)  # warm up: imports, caches, page pool
        page.send_sync_round_trip(round_trips // 4)
        for adapter in adapters.values():
            adapter_round_trip(adapter, scenario)
        for _ in range(repeats):
            samples["raw"].append(raw_pipe.ping_pong(round_trips) * 1e6)
            samples["reference"].append(page.send_sync_round_trip(round_trips) * 1e6)
            for name, adapter in adapters.items():
                samples[name].append(adapter_round_trip(adapter, scenario) * 1e6)
            samples["raw_rate"].append(raw_pipe.flood(messages))
            samples["reference_rate"].append(page.send_rate(messages))
    finally:
        page.close()
        for adapter in adapters.values():
            adapter.close()
    rtt.add(Figure("raw", "raw JSON-lines ping-pong over a pipe (baseline)", "µs", samples["raw"]))
    rtt.add(
        Figure(
            "reference",
            "reference_impl sendSync (page program loop)",
            "µs",
            samples["reference"],
            baseline="raw",
            target=Target("ratio", "max", 3.0, "at most 3x the raw ping-pong"),
        )
    )
    titles = {
        "in-process": "the in-process reference adapter",
        "subprocess": "the reference adapter behind the subprocess protocol",
        "node": f"the Node kit's JavaScript implementation ({NODE_SPEC})",
    }
    for name in adapters:
        rtt.add(
            Figure(
                f"{name}-adapter",
                f"sendSync through {titles[name]} (scenario of {steps} steps, from its trace)",
                "µs",
                samples[name],
                baseline="raw",
                note="includes recording the trace (a call-start and a call-end in the page, a deliver and"
                " a return-assigned in main, per call)",
            )
        )
    rtt.notes.append(f"{round_trips} round trips per sample; every message carries {raw_pipe.PAYLOAD!r}")
    rate.add(
        Figure(
            "raw",
            "raw JSON lines over a pipe, one write per message (baseline)",
            "msg/s",
            samples["raw_rate"],
        )
    )
    rate.add(
        Figure(
            "reference",
            "reference_impl send, page to main's listener",
            "msg/s",
            samples["reference_rate"],
            baseline="raw",
            target=Target("ratio", "min", 1 / 3, "at least a third of the raw pipe throughput"),
        )
    )
    rate.notes.append(
        f"{messages} messages per sample, from the sender's clock to the receiver's last decode"
    )
    return [rtt, rate]
