"""Tagged traffic: scenarios whose every message carries a unique tag, and the invariants over their traces.

A ``Traffic`` builds a scenario in which each message has one argument, a tag
naming its sender and its rank (``"p1:3"``), and remembers which script step sends
which message, so that a trace tells which message every listener call belongs to.
The checks state section 2 of SEMANTICS.md (per-sender FIFO, exactly-once delivery
to the listeners registered at dispatch, replayed through ``dispatch.EmitterModel``),
the sendSync boundaries of ORD-2 and BLK-1, and host routing (HOST-2).

Every channel that tagged messages use must keep one listener installed before the
scripts run and never removed (a witness), so that a message no listener got is
known to be lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from conformance.checks.dispatch import EmitterModel, Registration
from conformance.editions import Assign, Edition
from conformance.scenarios import (
    MAIN,
    Listener,
    Scenario,
    Step,
    send,
    send_channel,
    send_channel_sync,
    send_sync,
    send_to_host,
    web_contents_send,
)
from conformance.traces import Event, Trace
from conformance.values.model import Value
from conformance.verdicts import Checker

__all__ = [
    "SYNC_OPS",
    "TO_MAIN_OPS",
    "Message",
    "Traffic",
    "check_blocked_scripts",
    "check_exactly_once",
    "check_fifo",
    "check_host_exactly_once",
    "check_host_routing",
    "check_sync_boundaries",
    "tag_of",
]

TO_MAIN_OPS: Final[Mapping[str, Callable[..., Step]]] = {
    "send": send,
    "sendChannel": send_channel,
    "sendSync": send_sync,
    "sendChannelSync": send_channel_sync,
}
SYNC_OPS: Final = frozenset({"sendSync", "sendChannelSync"})
_SCRIPT_EVENTS: Final = frozenset({"timer", "mark", "script-end"})
_SHOWN: Final = 12


@dataclass(frozen=True)
class Message:
    """One tagged message: its sender, the call that sends it, where it goes, on which channel."""

    tag: str
    sender: str
    op: str
    receiver: str
    channel: str
    element: str | None = None
    """For ``sendToHost``: the ``<webview>`` element of the embedder it arrives on."""


def tag_of(event: Event) -> str | None:
    """Return the tag an event's message carries: its first string parameter, or None.

    A tagged message has one argument, but a listener may get more parameters (an event
    object before it, an M2R-2 deviation that M2R-2 judges): the tag is sought among them all.
    """
    return next((arg for arg in event.args if isinstance(arg, str)), None)


class Traffic:
    """A scenario under construction whose messages are tagged, with the record needed to check it."""

    def __init__(self, *pages: str) -> None:
        self.scenario = Scenario(*pages)
        self._elements: dict[str, tuple[str, str]] = {}
        self._listeners: dict[str, list[dict[str, Any]]] = {}
        self._host_listeners: dict[tuple[str, str], list[str]] = {}
        self._replies: dict[tuple[str, int], str] = {}
        self._answering: set[str] = set()
        self._steps: dict[str, int] = {}
        self._messages: dict[tuple[str, int], Message] = {}
        self._count = 0

    def guest(self, page: str, *, embedder: str, element: str) -> Traffic:
        """Add a guest page in the ``<webview>`` ``element`` of ``embedder``."""
        self.scenario.guest(page, embedder=embedder, element=element)
        self._elements[page] = (embedder, element)
        return self

    def listen(self, process: str, listener: Listener) -> Traffic:
        """Install ``listener`` in ``process`` before the scripts run.

        In main, ``reply`` actions must echo (the reply carries the request's tag),
        and a listener with a ``return`` action answers the sendSync messages of its channel.
        """
        doc = listener.to_json()
        self.scenario.listen(process, listener)
        self._listeners.setdefault(process, []).append(doc)
        if process == MAIN:
            for index, action in enumerate(doc["actions"]):
                if action["op"] == "reply":
                    if not action.get("echo"):
                        raise ValueError(f"listener {listener.id!r}: a tagged reply must echo its request")
                    self._replies[(listener.id, index)] = action["channel"]
                elif action["op"] == "return":
                    self._answering.add(listener.id)
        return self

    def listen_host(self, page: str, listener_id: str, element: str) -> Traffic:
        """Install an 'ipc-message' listener on the ``<webview>`` ``element`` of ``page``."""
        self.scenario.listen_host(page, listener_id, element)
        self._host_listeners.setdefault((page, element), []).append(listener_id)
        return self

    def script(self, process: str, *steps: Step) -> Traffic:
        """Append untagged ``steps`` (waits, timers, marks) to the script of ``process``."""
        self.scenario.script(process, *steps)
        self._steps[process] = self._steps.get(process, 0) + len(steps)
        return self

    def send(self, sender: str, op: str, channel: str, *, to: str | None = None) -> Message:
        """Append a call sending a fresh tag to the script of ``sender``; return its message.

        ``op`` is a renderer op of ``TO_MAIN_OPS``, ``sendToHost`` (from a guest), or
        ``webContentsSend`` (from main, ``to`` a page).
        """
        tag = f"{sender}:{self._count}"
        self._count += 1
        element = None
        if op in TO_MAIN_OPS:
            receiver, step = MAIN, TO_MAIN_OPS[op](channel, tag)
        elif op == "sendToHost":
            receiver, element = self._elements[sender]
            step = send_to_host(channel, tag)
        elif op == "webContentsSend" and to is not None:
            receiver, step = to, web_contents_send(to, channel, tag)
        else:
            raise ValueError(f"cannot send a tagged message by {op!r} (to={to!r})")
        message = Message(tag, sender, op, receiver, channel, element)
        self._messages[(sender, self._steps.get(sender, 0))] = message
        self.script(sender, step)
        return message

    def listeners(self, process: str) -> list[dict[str, Any]]:
        """Return the listener documents installed in ``process`` before the scripts run."""
        return list(self._listeners.get(process, ()))

    def host_listeners(self, page: str, element: str) -> list[str]:
        """Return the ids of the 'ipc-message' listeners on ``element`` of ``page``."""
        return list(self._host_listeners.get((page, element), ()))

    @property
    def answering(self) -> frozenset[str]:
        """Return the ids of main's listeners that assign ``event.returnValue``."""
        return frozenset(self._answering)

    def sent(self, trace: Trace) -> list[Message]:
        """Return the messages whose call started and did not throw, each sender's in its call order.

        Includes main's echoed replies, found from main's ``reply`` calls. A call that
        threw sent nothing: its failure is another clause's, if any.
        """
        messages = []
        for process in trace.processes:
            for started in trace.calls(process):
                if started.error is not None:
                    continue
                event = started.start
                listener, call, index = event.origin
                if listener is None:
                    message = self._messages.get((process, index))
                elif process == MAIN and event.get("op") == "reply" and call is not None:
                    message = self._reply(trace, listener, call, index)
                else:
                    message = None
                if message is not None:
                    messages.append(message)
        return messages

    def _reply(self, trace: Trace, listener: str, call: int, index: int) -> Message | None:
        channel = self._replies.get((listener, index))
        calls = trace.deliveries(MAIN, listener)
        if channel is None or call >= len(calls):
            return None
        request = calls[call]
        tag, page = tag_of(request), request.get("sender")
        if tag is None or not isinstance(page, str):
            return None
        return Message(tag, MAIN, "reply", page, channel)


def _shown(tags: Sequence[str]) -> str:
    return repr(list(tags[:_SHOWN])) + (f" ... ({len(tags)} in all)" if len(tags) > _SHOWN else "")


def _first_deliveries(events: Iterable[Event], tags: Iterable[str]) -> list[Event]:
    wanted, seen, firsts = set(tags), set(), []
    for event in events:
        tag = tag_of(event)
        if tag in wanted and tag not in seen:
            seen.add(tag)
            firsts.append(event)
    return firsts


def check_fifo(
    check: Checker, clause: str, sent: Sequence[Message], events: Iterable[Event], what: str
) -> bool:
    """Expect the first arrivals of ``sent`` among ``events`` to be in sending order; return whether they are.

    Lost and duplicated messages are left to ORD-6: only the order of first arrivals counts.
    """
    rank = {message.tag: n for n, message in enumerate(sent)}
    arrived = [tag_of(event) or "" for event in _first_deliveries(events, rank)]
    latest: str | None = None
    for tag in arrived:
        if latest is not None and rank[tag] < rank[latest]:
            return check.expect(
                clause,
                False,
                f"{what}: {tag!r} arrived after {latest!r}, which was sent after it",
                expected=_shown(sorted(arrived, key=rank.__getitem__)),
                observed=_shown(arrived),
            )
        latest = tag
    return True


def check_exactly_once(
    check: Checker,
    clause: str,
    traffic: Traffic,
    trace: Trace,
    process: str,
    sent: Sequence[Message],
    *,
    edition: Edition | None = None,
) -> bool:
    """Expect each message ``sent`` to ``process``'s ipc to reach every listener registered at dispatch once.

    Replays the messages, in the order of their first delivery, through the emitter
    model (listeners added or removed by listener actions take effect as they run;
    with ``edition``, a sendSync listener's assignment that throws stops the rest, RET-3);
    a message that no listener got although its channel had listeners is lost.
    """
    messages = {m.tag: m for m in sent if m.receiver == process and m.op != "sendToHost"}
    calls: dict[str, list[str]] = {}
    for delivery in trace.deliveries(process):
        tag = tag_of(delivery)
        if tag in messages:
            calls.setdefault(tag, []).append(str(delivery.get("listener")))
    model = EmitterModel() if edition is None else EmitterModel(assignment_throws=_assignment_throws(edition))
    initially = set()
    for doc in traffic.listeners(process):
        model.add(Registration.from_json(doc))
        initially.add(doc["channel"])
    wrong = []
    for tag, got in calls.items():
        want = model.dispatch(messages[tag].channel, sync=messages[tag].op in SYNC_OPS)
        if Counter(got) != Counter(want):
            wrong.append((tag, sorted(want), sorted(got)))
    ok = _expect_each(
        check,
        clause,
        wrong,
        f"{process}: messages must reach each listener registered at their dispatch once",
    )
    lost = [tag for tag, m in messages.items() if tag not in calls and m.channel in initially]
    if lost:
        ok = check.expect(
            clause, False, f"{process}: messages sent to it never reached any listener", observed=_shown(lost)
        )
    return ok


def _assignment_throws(edition: Edition) -> Callable[[Value], bool]:
    return lambda value: edition.sync_outcome([Assign(value)]).main_throws


def _expect_each(check: Checker, clause: str, wrong: Sequence[tuple[str, Any, Any]], what: str) -> bool:
    """Record one violation for messages ``wrong`` (tag, expected, observed), showing the first."""
    if not wrong:
        return True
    tag, want, got = wrong[0]
    return check.expect(
        clause,
        False,
        f"{what}; {len(wrong)} did not, the first is {tag!r}",
        expected=repr(want),
        observed=repr(got) + (f" (others: {_shown([w[0] for w in wrong[1:]])})" if len(wrong) > 1 else ""),
    )


def check_host_exactly_once(
    check: Checker, clause: str, traffic: Traffic, trace: Trace, sent: Sequence[Message]
) -> bool:
    """Expect every ``sendToHost`` message to reach each 'ipc-message' listener of its element once."""
    wrong = []
    for message in sent:
        if message.op != "sendToHost" or message.element is None:
            continue
        got = Counter(
            str(event.get("listener"))
            for event in trace.host_messages(message.receiver)
            if tag_of(event) == message.tag and event.get("element") == message.element
        )
        want = Counter(traffic.host_listeners(message.receiver, message.element))
        if got != want:
            wrong.append((message.tag, sorted(want.elements()), sorted(got.elements())))
    return _expect_each(
        check,
        clause,
        wrong,
        "sendToHost messages must reach each 'ipc-message' listener of their <webview> once",
    )


def check_host_routing(check: Checker, clause: str, trace: Trace, sent: Sequence[Message]) -> bool:
    """Expect ``sendToHost`` messages to reach no ipc listener, and no element but their guest's."""
    routes = {m.tag: (m.receiver, m.element) for m in sent if m.op == "sendToHost"}
    leaks: dict[str, list[str]] = {}
    for event in trace.all_events():
        tag = tag_of(event)
        if tag not in routes:
            continue
        if event.type == "deliver":
            where = f"the ipc listener {event.get('listener')!r} of {event.process}"
        elif event.type == "host-message" and (event.process, event.get("element")) != routes[tag]:
            where = f"<webview> {event.get('element')!r} of {event.process}"
        else:
            continue
        leaks.setdefault(where, []).append(tag)
    ok = True
    for where, tags in leaks.items():
        ok = check.expect(clause, False, f"sendToHost messages reached {where}", observed=_shown(tags))
    return ok


def check_sync_boundaries(
    check: Checker,
    traffic: Traffic,
    trace: Trace,
    sent: Sequence[Message],
    *,
    before: str | None = None,
    after: str | None = None,
) -> bool:
    """Expect each page's sendSync to split that page's messages in main.

    Under clause ``before`` (ORD-2): every listener of the page's earlier messages is
    called before the answering listener.  Under clause ``after`` (BLK-1): every
    listener of its later messages is called after the answer is assigned; a later
    message dispatched earlier proves that sendSync returned first.  Only the first
    call of each listener for each message counts (repeated calls are ORD-6's).
    """
    positions: dict[str, dict[str, int]] = {}
    for delivery in trace.deliveries(MAIN):
        if (tag := tag_of(delivery)) is not None:
            positions.setdefault(tag, {}).setdefault(str(delivery.get("listener")), delivery.position)
    by_sender: dict[str, list[Message]] = {}
    for message in sent:
        if message.receiver == MAIN and message.op != "reply":
            by_sender.setdefault(message.sender, []).append(message)
    ok = True
    for messages in by_sender.values():
        for n, sync in enumerate(messages):
            bounds = _answer_bounds(trace, traffic.answering, sync.tag) if sync.op in SYNC_OPS else None
            if bounds is None:
                continue
            called, assigned = bounds
            late = [m.tag for m in messages[:n] if any(p > called for p in positions.get(m.tag, {}).values())]
            if before is not None and late:
                ok = check.expect(
                    before,
                    False,
                    f"messages sent before sendSync {sync.tag!r} still had listeners to run "
                    "when its listener ran",
                    observed=_shown(late),
                )
            if after is None or assigned is None:
                continue
            early = [
                m.tag
                for m in messages[n + 1 :]
                if any(p < assigned for p in positions.get(m.tag, {}).values())
            ]
            if early:
                ok = check.expect(
                    after,
                    False,
                    f"messages sent after sendSync {sync.tag!r} returned reached main's listeners "
                    "before its answer was assigned",
                    observed=_shown(early),
                )
    return ok


def _answer_bounds(trace: Trace, answering: Iterable[str], tag: str) -> tuple[int, int | None] | None:
    """Return the positions in main of the answering call for ``tag`` and of its assignment (if any)."""
    for listener in answering:
        for call, delivery in enumerate(trace.deliveries(MAIN, listener)):
            if tag_of(delivery) != tag:
                continue
            for event in trace.events(MAIN, "return-assigned"):
                if event.origin[:2] == (listener, call):
                    return delivery.position, event.position
            return delivery.position, None
    return None


def check_blocked_scripts(check: Checker, clause: str, trace: Trace, page: str) -> bool:
    """Expect no script step, mark or timer of ``page`` while one of its sendSync calls is blocked.

    Blocked means from the call's start to its end, or to the end of the trace if it
    never returned. Listener calls in between are BLK-3 (UNSPEC): deliveries, and the
    calls and busy steps of listener actions, are allowed (marks are taken as script's).
    """
    events = trace.events(page)
    ok = True
    for call in trace.calls(page):
        if call.start.get("op") not in SYNC_OPS or call.start.origin[0] is not None:
            continue
        end = len(events) if call.end is None else call.end.position
        ran = [
            event
            for event in events[call.start.position + 1 : end]
            if event.type in _SCRIPT_EVENTS
            or (event.type in ("call-start", "busy-end") and event.origin[0] is None)
        ]
        if ran:
            ok = check.expect(
                clause,
                False,
                f"{page} ran script code or timers while its {call.start.get('op')} "
                f"(script step {call.start.origin[2]}) was blocked",
                observed=repr([(e.type, e.get("label", e.get("op"))) for e in ran]),
            )
    return ok
