"""Records the transcripts quoted in docs/implementers-guide.md from a real session of the reference adapter.

Starts ``python -m conformance.adapters.reference``, writes it the requests the suite
would write (built by ``conformance.adapters.messages`` and ``conformance.scenarios``),
reads one answer line per request, checks each answer as the suite does, and saves
the lines exactly as they crossed the pipes: ``session.jsonl`` holds the whole
session in order, and one file per exchange holds its request line, then its answer
line.  Re-run it from anywhere with ``python docs/protocol-transcripts/record.py``;
timestamps, and the paths in the error's traceback, change from run to run.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))  # the tree's own conformance package, installed or not

from conformance.adapters.errors import Step  # noqa: E402
from conformance.adapters.messages import (  # noqa: E402
    CloseRequest,
    CloseResponse,
    ErrorResponse,
    HelloRequest,
    HelloResponse,
    Request,
    ResetRequest,
    ResetResponse,
    ResponseT,
    RunRequest,
    RunResponse,
    decode_line,
    encode_line,
    parse_response,
)
from conformance.scenarios import MAIN, Listener, Scenario, ret, send, send_sync  # noqa: E402

ANSWER_TIMEOUT = 60.0


def small_run() -> dict[str, Any]:
    """Return the scenario of the run exchange: a page sends to main, then main answers its sendSync."""
    return (
        Scenario("page")
        .listen(MAIN, Listener("greet", "greeting"))
        .listen(MAIN, Listener("answer", "question", [ret("pong")]))
        .script("page", send("greeting", "hello"), send_sync("question", "ping"))
        .to_json()
    )


def unknown_embedder() -> dict[str, Any]:
    """Return a scenario valid under its schema that no adapter can run: the guest's embedder is no page."""
    scenario = Scenario().guest("guest", embedder="nowhere", element="view").to_json()
    assert scenario["pages"][0]["guest"]["embedder"] not in {page["id"] for page in scenario["pages"]}
    return scenario


class Session:
    """The reference adapter in a child process, with every line that crossed its pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "conformance.adapters.reference"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        self.lines: list[bytes] = []
        self.exchanges: dict[str, list[bytes]] = {}
        self._seq = 0

    def next_seq(self) -> int:
        """Return the next sequence number: 0 first, then one more per request, as the suite numbers them."""
        self._seq += 1
        return self._seq - 1

    def exchange(self, name: str, request: Request, expected: type[ResponseT]) -> ResponseT | ErrorResponse:
        """Return the checked answer to ``request``, after recording both lines under ``name``."""
        assert self.process.stdin is not None and self.process.stdout is not None
        line = encode_line(request.to_json())
        self.process.stdin.write(line)
        self.process.stdin.flush()
        watchdog = threading.Timer(ANSWER_TIMEOUT, self.process.kill)
        watchdog.start()
        try:
            answer = self.process.stdout.readline()
        finally:
            watchdog.cancel()
        if not answer.endswith(b"\n"):
            raise SystemExit(f"no answer to the {request.cmd} request (seq {request.seq}): {answer!r}")
        data = decode_line(answer[:-1], step=Step.COLLECT)
        if data.get("seq") != request.seq:
            raise SystemExit(f"the answer to seq {request.seq} carries seq {data.get('seq')!r}")
        checked = parse_response(data, expected)
        self.lines += [line, answer]
        self.exchanges[name] = [line, answer]
        return checked

    def finish(self) -> None:
        """Wait for the adapter to exit after ``close``; fail unless it exits with 0 and says nothing more."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        extra = self.process.stdout.read()
        code = self.process.wait(ANSWER_TIMEOUT)
        if extra or code != 0:
            raise SystemExit(f"after close: exit code {code}, further output {extra[:200]!r}")


def record() -> list[Path]:
    """Return the transcript files written, after running one session of the reference adapter."""
    session = Session()
    try:
        hello = session.exchange("hello", HelloRequest(session.next_seq()), HelloResponse)
        assert isinstance(hello, HelloResponse), hello
        session.exchange("reset", ResetRequest(session.next_seq()), ResetResponse)
        run = session.exchange("run", RunRequest(session.next_seq(), small_run()), RunResponse)
        assert isinstance(run, RunResponse), run
        session.exchange("reset-again", ResetRequest(session.next_seq()), ResetResponse)
        error = session.exchange("error", RunRequest(session.next_seq(), unknown_embedder()), RunResponse)
        assert isinstance(error, ErrorResponse), error
        session.exchange("close", CloseRequest(session.next_seq()), CloseResponse)
        session.finish()
    finally:
        if session.process.poll() is None:
            session.process.kill()
            session.process.wait()
    written = [HERE / "session.jsonl"]
    written[0].write_bytes(b"".join(session.lines))
    for name in ("hello", "reset", "run", "error", "close"):
        path = HERE / f"{name}.jsonl"
        path.write_bytes(b"".join(session.exchanges[name]))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in record():
        print(path.relative_to(ROOT))
