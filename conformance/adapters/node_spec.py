"""Turns a ``node:NAME`` adapter spec into the command line of a Node.js adapter in ``adapters/node/``.

``node:reference-js`` is the kit's JavaScript implementation of v0.32; ``node:<package>``
(``electron-ipc-mock``, ``electron-mock-ipc``, ``electron-mocks``) runs the suite on that
npm package.  An adapter named after one of the kit's npm dependencies installs the
pinned versions first (``npm ci`` in the kit) when that dependency is missing or at
another version; every problem on the way is an ``AdapterStartError`` saying what to do.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Final

from conformance.adapters.errors import AdapterStartError

__all__ = ["KIT_ENV", "NODE_PREFIX", "kit_directory", "node_command"]

NODE_PREFIX: Final = "node:"
KIT_ENV: Final = "IPC_CONFORMANCE_NODE_KIT"
"""Environment variable naming the kit's directory, for a suite not run from a checkout."""
_NAME: Final = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_EXACT_VERSION: Final = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")
_INSTALL_TIMEOUT: Final = 600.0
_OUTPUT_HEAD: Final = 1500


def kit_directory() -> Path:
    """Return the Node.js adapter kit's directory: ``$IPC_CONFORMANCE_NODE_KIT``, or ``adapters/node``."""
    configured = os.environ.get(KIT_ENV)
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parents[2] / "adapters" / "node"


def _available(kit: Path) -> list[str]:
    return sorted(path.stem for path in (kit / "bin").glob("*.js"))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _pinned(kit: Path, spec: str) -> dict[str, str]:
    """Return the kit's npm dependencies, name to pinned version (``package.json``)."""
    manifest = _read_json(kit / "package.json")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("dependencies", {}), dict):
        raise AdapterStartError(
            f"cannot read the dependencies of {kit / 'package.json'}",
            implementation=spec,
            hint="check that the kit's package.json is intact JSON",
        )
    return {str(name): str(version) for name, version in manifest.get("dependencies", {}).items()}


def _installed(kit: Path, name: str, version: str) -> bool:
    """Return whether ``node_modules`` holds the npm package ``name`` (at ``version``, if that is exact)."""
    manifest = _read_json(kit / "node_modules" / name / "package.json")
    if not isinstance(manifest, dict):
        return False
    return manifest.get("version") == version or not _EXACT_VERSION.match(version)


def _install(kit: Path, name: str, version: str, spec: str) -> None:
    """Run ``npm ci`` in ``kit``, once even when several pytest workers start at the same time."""
    npm = shutil.which("npm")
    if npm is None:
        raise AdapterStartError(
            f"{spec!r} needs the npm package {name}@{version}, which is not installed, "
            "and npm is not on PATH",
            implementation=spec,
            hint=f"install Node.js with npm, or run 'npm ci' in {kit} on a machine that has it",
        )
    with open(kit / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be installing: wait, then look again
        if _installed(kit, name, version):
            return
        try:
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=kit,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=_INSTALL_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise AdapterStartError(
                f"npm ci in {kit} failed: {error}", implementation=spec, hint="run 'npm ci' there by hand"
            ) from None
    if done.returncode != 0:
        raise AdapterStartError(
            f"npm ci in {kit} exited with status {done.returncode}: {_npm_output(done.stdout + done.stderr)}",
            implementation=spec,
            hint="the npm registry must be reachable; run 'npm ci' there by hand to see why",
        )
    if not _installed(kit, name, version):
        raise AdapterStartError(
            f"npm ci in {kit} succeeded, but node_modules/{name} is not at version {version}",
            implementation=spec,
            hint="package.json and package-lock.json must pin the same versions",
        )


def _npm_output(text: str) -> str:
    """Return npm's output shortened: its start (the reason) and its last line (where the log is)."""
    text = text.strip()
    if len(text) <= _OUTPUT_HEAD:
        return text
    return f"{text[:_OUTPUT_HEAD]}\n...\n{text.splitlines()[-1]}"


def node_command(spec: str) -> list[str]:
    """Return the command line of the kit's adapter named by ``spec`` (``node:NAME``).

    Installs the kit's npm dependencies first when NAME is one of them and is missing
    or at another version than the one ``package.json`` pins.  Raises ``AdapterStartError`` for
    an unknown name, a missing ``node`` or ``npm``, or a failed install.
    """
    if not spec.startswith(NODE_PREFIX):
        raise ValueError(f"not a {NODE_PREFIX} spec: {spec!r}")
    name = spec[len(NODE_PREFIX) :]
    kit = kit_directory()
    if not (kit / "bin").is_dir():
        raise AdapterStartError(
            f"the Node.js adapter kit is not at {kit}",
            implementation=spec,
            hint=f"run the suite from a checkout of the project, or set {KIT_ENV} to its adapters/node",
        )
    script = kit / "bin" / f"{name}.js"
    if not _NAME.match(name) or not script.is_file():
        raise AdapterStartError(
            f"no Node.js adapter named {name!r} in {kit / 'bin'}",
            implementation=spec,
            hint="known: " + ", ".join(f"{NODE_PREFIX}{known}" for known in _available(kit)),
        )
    node = shutil.which("node")
    if node is None:
        raise AdapterStartError(
            f"{spec!r} needs Node.js, and node is not on PATH",
            implementation=spec,
            hint="install Node.js 18 or later (https://nodejs.org)",
        )
    version = _pinned(kit, spec).get(name)
    if version is not None and not _installed(kit, name, version):
        _install(kit, name, version, spec)
    return [node, str(script)]
