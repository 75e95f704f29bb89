"""Blocking (BLK): sendSync stops its whole page until main answers, and nothing else."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.checks.traffic import (
    Traffic,
    check_blocked_scripts,
    check_exactly_once,
    check_fifo,
    check_sync_boundaries,
    tag_of,
)
from conformance.plugin import IpcFixture
from conformance.scenarios import MAIN, Listener, mark, reply, ret, set_timeout, wait
from conformance.verdicts import Checker

ANSWER_AFTER_MS = 300
"""How long main waits before answering: far longer than the page's timers and main's sends need."""


@pytest.mark.clause("BLK-1")
def test_send_sync_stops_the_script_and_timers_until_main_answers(ipc: IpcFixture) -> None:
    """Rejects a sendSync that returns before main's answer, or a page whose timers run while it waits.

    The page's send after sendSync reaching main before main assigned returnValue
    proves the call returned early; timers due while it waited must wait too.
    """
    traffic = Traffic("p1").listen(MAIN, Listener("ms", "s", [ret(echo=True, after_ms=ANSWER_AFTER_MS)]))
    traffic.listen(MAIN, Listener("ma", "a"))
    traffic.script("p1", set_timeout(0, "t0"), set_timeout(20, "t20"), set_timeout(100, "t100"))
    traffic.send("p1", "sendSync", "s")
    traffic.script("p1", mark("returned"))
    traffic.send("p1", "send", "a")
    trace = ipc.run(traffic.scenario)
    check = Checker()
    check_blocked_scripts(check, "BLK-1", trace, "p1")
    check_sync_boundaries(check, traffic, trace, traffic.sent(trace), after="BLK-1")
    check.verify()


@pytest.mark.clause("BLK-2")
def test_main_and_other_pages_go_on_while_a_page_waits(ipc: IpcFixture) -> None:
    """Rejects a main that stops dispatching, answering or sending while one sendSync is unanswered.

    p1's sendSync is never answered (RET-7), so all that main and p2 do after main
    dispatched it happens while p1 waits; p2 starts late to make sure of that, and
    main's message to p2 answers p2's last send, so it never meets p2 in a sendSync.
    """
    traffic = Traffic("p1", "p2").listen(MAIN, Listener("mw", "w"))
    traffic.listen(MAIN, Listener("ma", "a")).listen(MAIN, Listener("mq", "q", [ret(echo=True)]))
    traffic.listen(MAIN, Listener("mr", "r", [reply("m", echo=True)])).listen("p2", Listener("lm", "m"))
    traffic.scenario.limits(block_ms=300)
    traffic.send("p1", "sendSync", "w")
    traffic.script("p2", wait(100), set_timeout(0, "t"))
    to_main = [traffic.send("p2", op, channel) for op, channel in (("send", "a"), ("sendSync", "q"))]
    request = traffic.send("p2", "send", "r")
    traffic.script("p2", wait(20), mark("ran"))
    trace = ipc.run(traffic.scenario)
    check = Checker()
    in_main = {tag_of(d) for d in trace.deliveries(MAIN)}
    missing = [m.tag for m in [*to_main, request] if m.tag not in in_main]
    check.expect(
        "BLK-2", not missing, "main dispatches p2's messages while p1 waits", observed=f"lost {missing}"
    )
    check.expect(
        "BLK-2",
        any(tag_of(d) == request.tag for d in trace.deliveries("p2")),
        "main's event.sender.send reaches p2 while p1 waits",
    )
    p2_sync = trace.calls("p2", "sendSync")
    check.expect(
        "BLK-2",
        bool(p2_sync) and p2_sync[0].returned,
        "p2's sendSync, answered at once, returns while p1 waits",
        observed=repr([call.end.get("error") if call.end else "no return" for call in p2_sync]),
    )
    ran = {e.type for e in trace.events("p2")} >= {"timer", "mark", "script-end"}
    check.expect("BLK-2", ran, "p2's timer and script run to their end while p1 waits")
    check.verify()


@pytest.mark.clause("BLK-3", "ORD-3", "ORD-6")
def test_messages_to_a_page_waiting_in_send_sync(
    ipc: IpcFixture, observe: Callable[[str, str], None]
) -> None:
    """Observes whether a waiting page's listeners run (BLK-3, UNSPEC); either way its messages arrive.

    Rejects a page that drops (ORD-6) or reorders (ORD-3) what main sent it while it waited.
    """
    traffic = Traffic("p1").listen(MAIN, Listener("ms", "s", [ret(echo=True, after_ms=ANSWER_AFTER_MS)]))
    for listener in (Listener("la", "a"), Listener("lb", "b"), Listener("lb2", "b")):
        traffic.listen("p1", listener)
    traffic.send("p1", "sendSync", "s")
    traffic.script(MAIN, wait(ANSWER_AFTER_MS // 3))
    for channel in "abbaabab":
        traffic.send(MAIN, "webContentsSend", channel, to="p1")
    trace = ipc.run(traffic.scenario)
    for call in trace.calls("p1", "sendSync"):
        events = trace.events("p1")
        end = len(events) if call.end is None else call.end.position
        inside = [e for e in events[call.start.position + 1 : end] if e.type == "deliver"]
        observe(
            "BLK-3",
            f"{len(inside)} listener calls for main's messages ran in p1 while its sendSync waited, "
            f"{len(trace.deliveries('p1')) - len(inside)} after "
            f"({'it never returned' if call.end is None else 'it returned'})",
        )
    sent = traffic.sent(trace)
    check = Checker()
    check_fifo(check, "ORD-3", [m for m in sent if m.receiver == "p1"], trace.deliveries("p1"), "p1")
    check_exactly_once(check, "ORD-6", traffic, trace, "p1", sent, edition=ipc.edition)
    check.verify()
