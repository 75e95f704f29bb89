"""Mixed traffic as a state machine: every send kind, two pages and a guest, listeners coming and going.

Each rule adds to one scenario (a message, a listener added or removed, a pause, a
timer); the teardown runs it and checks the invariants of ordering, delivery,
blocking and host routing over the trace.  A failure prints the shortest sequence
of rules that shows it.
"""

from __future__ import annotations

from typing import Final

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, rule, run_state_machine_as_test

from conformance.checks.traffic import (
    SYNC_OPS,
    TO_MAIN_OPS,
    Traffic,
    check_blocked_scripts,
    check_exactly_once,
    check_fifo,
    check_host_exactly_once,
    check_host_routing,
    check_sync_boundaries,
)
from conformance.plugin import IpcFixture
from conformance.scenarios import MAIN, Listener, Step, on, remove_listener, reply, ret, set_timeout, wait
from conformance.suite.profiles import suite_settings
from conformance.verdicts import Checker

PAGES: Final = ("p1", "p2", "g")
"""Two top-level pages and a guest in the <webview> 'w' of p1; all send to main and hear from it."""
CHANNELS: Final = ("a", "b")
DEFERRED_MS: Final = 25
"""How long main waits before answering a sendSync on 'd' (timers of the page fall due meanwhile)."""
ASYNC_OPS: Final = tuple(op for op in TO_MAIN_OPS if op not in SYNC_OPS)


class MixedTraffic(RuleBasedStateMachine):
    """Builds one tagged scenario, rule by rule; the teardown runs and checks it.

    Every process records 'a' and 'b' with a listener kept to the end; main answers
    sendSync on 's' at once and on 'd' after ``DEFERRED_MS``, and echoes requests on
    'r' back on 'a'. Listeners of 'a' and 'b' are added and removed by control
    listeners (one channel each) as a message reaches them: in main from the page
    that also removes it later, in pages from main, so that FIFO orders the two.
    """

    added = Bundle("added")

    def __init__(self, ipc: IpcFixture) -> None:
        super().__init__()
        self.ipc = ipc
        self.traffic = Traffic("p1", "p2").guest("g", embedder="p1", element="w")
        for channel in CHANNELS:
            self.traffic.listen(MAIN, Listener(f"m{channel}", channel))
            for page in PAGES:
                self.traffic.listen(page, Listener(f"l{channel}", channel))
        self.traffic.listen(MAIN, Listener("ms", "s", [ret(echo=True)]))
        self.traffic.listen(MAIN, Listener("md", "d", [ret(echo=True, after_ms=DEFERRED_MS)]))
        self.traffic.listen(MAIN, Listener("mr", "r", [reply("a", echo=True)]))
        self.traffic.listen_host("p1", "hw", "w")
        self.controls = 0
        self.timers = 0

    @rule(page=st.sampled_from(PAGES), op=st.sampled_from(ASYNC_OPS), channel=st.sampled_from(CHANNELS))
    def page_sends(self, page: str, op: str, channel: str) -> None:
        self.traffic.send(page, op, channel)

    @rule(page=st.sampled_from(PAGES), op=st.sampled_from(sorted(SYNC_OPS)), deferred=st.booleans())
    def page_sends_sync(self, page: str, op: str, deferred: bool) -> None:
        self.traffic.send(page, op, "d" if deferred else "s")

    @rule(page=st.sampled_from(PAGES))
    def page_requests_a_reply(self, page: str) -> None:
        self.traffic.send(page, "send", "r")

    @rule(page=st.sampled_from(PAGES), channel=st.sampled_from(CHANNELS))
    def main_sends(self, page: str, channel: str) -> None:
        self.traffic.send(MAIN, "webContentsSend", channel, to=page)

    @rule(channel=st.sampled_from(CHANNELS))
    def guest_sends_to_host(self, channel: str) -> None:
        self.traffic.send("g", "sendToHost", channel)

    @rule(
        target=added,
        process=st.sampled_from((MAIN, *PAGES)),
        channel=st.sampled_from(CHANNELS),
        trigger=st.sampled_from(PAGES),
    )
    def add_a_listener(self, process: str, channel: str, trigger: str) -> tuple[str, str, str]:
        listener = Listener(f"x{self.controls}", channel)
        self._control(process, trigger, on(listener))
        return process, listener.id, trigger

    @rule(entry=consumes(added))
    def remove_a_listener(self, entry: tuple[str, str, str]) -> None:
        process, listener_id, trigger = entry
        self._control(process, trigger, remove_listener(listener_id))

    def _control(self, process: str, trigger: str, action: Step) -> None:
        """Make ``action`` run in ``process`` when a message on a channel of its own reaches it."""
        channel = f"k{self.controls}"
        self.controls += 1
        self.traffic.listen(process, Listener(channel, channel, [action]))
        if process == MAIN:
            self.traffic.send(trigger, "send", channel)
        else:
            self.traffic.send(MAIN, "webContentsSend", channel, to=process)

    @rule(process=st.sampled_from((MAIN, *PAGES)), ms=st.sampled_from((0, 5, 15)))
    def pause(self, process: str, ms: int) -> None:
        self.traffic.script(process, wait(ms))

    @rule(page=st.sampled_from(PAGES), ms=st.sampled_from((0, 10)))
    def start_timer(self, page: str, ms: int) -> None:
        self.traffic.script(page, set_timeout(ms, f"t{self.timers}"))
        self.timers += 1

    def teardown(self) -> None:
        trace = self.ipc.run(self.traffic.scenario)
        sent = self.traffic.sent(trace)
        check = Checker()
        for page in PAGES:
            to_main = [m for m in sent if m.sender == page and m.receiver == MAIN]
            check_fifo(check, "ORD-1", to_main, trace.deliveries(MAIN), f"messages from {page} in main")
            to_page = [m for m in sent if m.sender == MAIN and m.receiver == page]
            check_fifo(check, "ORD-3", to_page, trace.deliveries(page), f"messages from main in {page}")
            check_blocked_scripts(check, "BLK-1", trace, page)
        check_sync_boundaries(check, self.traffic, trace, sent, before="ORD-2", after="BLK-1")
        to_host = [m for m in sent if m.op == "sendToHost"]
        check_fifo(check, "ORD-5", to_host, trace.host_messages("p1"), "host messages from g in p1")
        for process in (MAIN, *PAGES):
            check_exactly_once(check, "ORD-6", self.traffic, trace, process, sent, edition=self.ipc.edition)
        check_host_exactly_once(check, "ORD-6", self.traffic, trace, sent)
        check_host_routing(check, "HOST-2", trace, sent)
        check.verify()


@pytest.mark.clause("ORD-1", "ORD-2", "ORD-3", "ORD-5", "ORD-6", "BLK-1", "HOST-2")
def test_mixed_traffic(ipc: IpcFixture) -> None:
    """Rejects, under mixed traffic: one sender's messages reordered, a delivery lost or repeated,
    a page running while its sendSync waits, a host message leaking out of its <webview>."""
    settings = suite_settings(max_examples=10, stateful_step_count=25)
    run_state_machine_as_test(lambda: MixedTraffic(ipc), settings=settings)  # type: ignore[no-untyped-call]
