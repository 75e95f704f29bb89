"""Main's end of one renderer process: spawning it, its two pipes, and reaping it.

Each renderer gets a pipe in each direction (not stdin/stdout, which page code
may print to). Writes from main never block: what the pipe does not take at once
waits in a backlog that main's loop flushes when the pipe is writable (BLK-2).
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from reference_impl.framing import READ_SIZE, READY, Frame, FrameReader
from reference_impl.renderer import PRELOAD_VARIABLE, SYS_PATH_VARIABLE

__all__ = ["RendererProcess"]

_PACKAGE_ROOT: Final = str(Path(__file__).resolve().parent.parent)
_READY_TIMEOUT: Final = 60.0
_EXIT_GRACE: Final = 1.0


class RendererProcess:
    """A running ``python -m reference_impl.renderer`` and main's ends of its pipes."""

    def __init__(
        self,
        *,
        page_id: int,
        sys_path: Sequence[str],
        request_flush: Callable[[], None],
        preload: str | None = None,
    ) -> None:
        """Spawn the renderer; ``request_flush`` is called when writes wait in the backlog."""
        to_page_read, self.write_fd = os.pipe()
        self.read_fd, from_page_write = os.pipe()
        child_fds = (to_page_read, from_page_write)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        env[SYS_PATH_VARIABLE] = os.pathsep.join(sys_path)
        env.pop(PRELOAD_VARIABLE, None)
        if preload is not None:
            env[PRELOAD_VARIABLE] = preload
        command = [sys.executable, "-S", "-u", "-m", "reference_impl.renderer"]
        try:
            self.popen = subprocess.Popen(
                [*command, *map(str, child_fds), str(page_id)],
                pass_fds=child_fds,
                stdin=subprocess.DEVNULL,
                env=env,
            )
        except BaseException:
            os.close(self.read_fd)
            os.close(self.write_fd)
            raise
        finally:
            for fd in child_fds:
                os.close(fd)
        os.set_blocking(self.write_fd, False)
        self.reader = FrameReader()
        self._request_flush = request_flush
        self._backlog = bytearray()
        self._lock = threading.Lock()
        self._closed = False

    @property
    def pid(self) -> int:
        """Return the renderer's process id."""
        return self.popen.pid

    def wait_ready(self) -> list[Frame]:
        """Block until the renderer says it is ready; return any frame that followed.

        Raises RuntimeError if it exits or stays silent for a minute first.
        """
        deadline = time.monotonic() + _READY_TIMEOUT
        with selectors.DefaultSelector() as selector:
            selector.register(self.read_fd, selectors.EVENT_READ)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    self.close()
                    raise RuntimeError(f"renderer {self.pid} did not start within {_READY_TIMEOUT} s")
                data = os.read(self.read_fd, READ_SIZE)
                if not data:
                    self.close()
                    raise RuntimeError(
                        f"renderer {self.pid} exited with status {self.popen.returncode} before it was"
                        " ready; its stderr above says why"
                    )
                frames = self.reader.feed(data)
                if frames:
                    if frames[0].kind != READY:
                        self.close()
                        raise RuntimeError(f"renderer {self.pid} began with {frames[0]!r}, not ready")
                    return frames[1:]

    def read(self) -> list[Frame] | None:
        """Read what the pipe holds (it must be readable) and return the frames completed, or None at EOF."""
        try:
            data = os.read(self.read_fd, READ_SIZE)
        except OSError:
            return None
        return self.reader.feed(data) if data else None

    def write(self, data: bytes) -> bool:
        """Queue ``data`` for the renderer without blocking; return False if the pipe is closed."""
        with self._lock:
            if self._closed:
                return False
            if self._backlog:
                self._backlog += data
                return True
            try:
                written = os.write(self.write_fd, data)
            except BlockingIOError:
                written = 0
            except BrokenPipeError:
                return False
            if written < len(data):
                self._backlog += data[written:]
                self._request_flush()
            return True

    def flush(self) -> bool:
        """Write what the backlog holds and the pipe takes; return whether some is left."""
        with self._lock:
            if self._closed or not self._backlog:
                return False
            try:
                written = os.write(self.write_fd, self._backlog)
            except BlockingIOError:
                return True
            except BrokenPipeError:
                self._backlog.clear()
                return False
            del self._backlog[:written]
            return bool(self._backlog)

    def hang_up(self) -> None:
        """Close both pipes: the renderer sees end-of-file and exits."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._backlog.clear()
            os.close(self.write_fd)
        os.close(self.read_fd)

    def reap(self) -> None:
        """Wait for the renderer to exit (killing it after a grace period) and collect its status."""
        try:
            self.popen.wait(timeout=_EXIT_GRACE)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()

    def close(self) -> None:
        """Hang up and reap."""
        self.hang_up()
        self.reap()
