"""``ipc-conformance check-adapter``: a quick smoke test of an adapter, one step of its life at a time.

Start, handshake, what it claims, reset, a ``send`` from a page to main, a
``sendSync`` answered by main (if claimed), the first scenario again (a reset must
leave nothing behind), close.  Each step prints ``ok`` or ``FAIL`` with what was
expected, what came, and what to try; the first broken step ends the check.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Final

from conformance.adapters import Adapter, AdapterError, Hello
from conformance.commands import EXIT_NO, EXIT_UNUSABLE, EXIT_YES, adapter_problem, printable
from conformance.scenarios import MAIN, Listener, Scenario, ret, send, send_sync
from conformance.traces import Trace

__all__ = ["main"]

PING: Final = "ping"
PONG: Final = "pong"


class _Check:
    """Prints the steps; remembers whether the adapter is unusable (2) or only wrong (1)."""

    def __init__(self) -> None:
        self.code = EXIT_YES
        self.reason = "the adapter speaks the protocol and passed the smoke scenarios"

    def ok(self, step: str, text: str) -> None:
        print(printable(f"  ok    {step}: {text}"))

    def wrong(self, step: str, text: str, *, unusable: bool = False, detail: str = "") -> None:
        print(printable(f"  FAIL  {step}: {text}"))
        for line in detail.splitlines():
            print(printable(f"          {line}"))
        if self.code == EXIT_YES or unusable:
            self.code = EXIT_UNUSABLE if unusable else EXIT_NO
            self.reason = f"{step}: {text}"


def _detail(error: BaseException) -> str:
    """Return what an adapter error says beyond its first line: expected, received, hint, stderr tail."""
    return "\n".join(str(error).splitlines()[1:]) if isinstance(error, AdapterError) else ""


def _claims(check: _Check, hello: Hello) -> None:
    from conformance.editions import edition_for
    from conformance.schemas import load_schema

    result = load_schema("protocol/hello.response.schema.json")["properties"]["result"]["properties"]
    for field, claimed in (("capabilities", hello.capabilities), ("valueKinds", hello.value_kinds)):
        known = set(result[field]["items"]["enum"])
        if unknown := sorted(set(claimed) - known):
            check.wrong(
                "claims",
                f"unknown {field}: {', '.join(unknown)}",
                detail=f"known: {', '.join(sorted(known))}",
            )
    try:
        edition_for(hello.edition)
    except LookupError as error:
        check.wrong("claims", f"edition {hello.edition!r} is not one this suite tests", detail=str(error))
        return
    check.ok(
        "claims", f"edition {hello.edition}; capabilities: {', '.join(sorted(hello.capabilities)) or 'none'}"
    )


def _send_scenario() -> Scenario:
    return Scenario("p1").listen(MAIN, Listener("m1", PING)).script("p1", send(PING, PING))


def _check_send(trace: Trace) -> str | None:
    got = [(d.args, d.get("sender")) for d in trace.deliveries(MAIN, "m1")]
    if got == [([PING], "p1")]:
        return None
    return f"expected main's listener m1 to get ['ping'] once from p1, got {got!r}"


def _check_sync(trace: Trace) -> str | None:
    calls = trace.calls("p1", "sendSync")
    call = calls[0] if len(calls) == 1 else None
    if call is not None and call.returned and call.end is not None and call.end.value == PONG:
        return None
    if call is None:
        shown = f"{len(calls)} sendSync calls in the page's trace"
    elif call.end is None:
        shown = "no return"
    else:
        shown = repr(call.end.value if call.returned else call.error)
    return f"expected sendSync to return 'pong' (main assigns returnValue), got {shown}"


def _scenario(
    check: _Check,
    adapter: Adapter,
    step: str,
    scenario: Scenario,
    judge: Callable[[Trace], str | None],
    timeout: float,
) -> bool:
    try:
        adapter.reset(timeout=timeout)
        raw = adapter.run(scenario.to_json(), timeout=timeout)
    except AdapterError as error:
        check.wrong(step, adapter_problem(error, step=False), unusable=True, detail=_detail(error))
        return False
    try:
        trace = Trace.from_json(raw)
    except Exception as error:
        check.wrong(step, "the trace breaks trace.schema.json", unusable=True, detail=str(error)[:2000])
        return False
    problem = judge(trace)
    if problem is None:
        check.ok(step, "the trace shows what the scenario did")
    else:
        check.wrong(
            step,
            problem,
            detail="the protocol works; the implementation (or the adapter's recording) does not",
        )
    return True


def main(args: argparse.Namespace) -> int:
    """Smoke-test the adapter; return 0 if it works, 1 if it answers wrongly, 2 if it cannot be used."""
    from conformance.adapters import load_adapter

    print(printable(f"checking adapter {args.adapter!r}"))
    check = _Check()
    try:
        adapter = load_adapter(args.adapter, start_timeout=args.timeout)
        hello = adapter.hello()
    except Exception as error:
        step = str(getattr(error, "step", "start the adapter"))
        check.wrong(step, adapter_problem(error, step=False), unusable=True, detail=_detail(error))
        print(printable(f"unusable: {check.reason}"))
        return check.code
    check.ok(
        "start and handshake", f"{hello.name} {hello.version} ({hello.language or 'language not given'})"
    )
    try:
        _claims(check, hello)
        send_step = f"{PING!r} from a page to main"
        usable = _scenario(check, adapter, send_step, _send_scenario(), _check_send, args.timeout)
        if usable and "sendSync" in hello.capabilities:
            scenario = (
                Scenario("p1").listen(MAIN, Listener("s", PING, [ret(PONG)])).script("p1", send_sync(PING))
            )
            usable = _scenario(
                check, adapter, "sendSync answered by main", scenario, _check_sync, args.timeout
            )
        if usable:
            _scenario(
                check,
                adapter,
                "the first scenario again, after a reset",
                _send_scenario(),
                _check_send,
                args.timeout,
            )
    finally:
        adapter.close()
    if check.code != EXIT_UNUSABLE:
        check.ok("close", "the adapter closed")
    verdict = {EXIT_YES: "works", EXIT_NO: "answers wrongly", EXIT_UNUSABLE: "unusable"}[check.code]
    print(printable(f"{verdict}: {check.reason}"))
    return check.code
