"""The ``node:NAME`` adapter spec: the Node.js kit's adapters by name, installed with npm on first use.

Real ``node`` and ``npm`` processes.  The install tests use a kit of their own in a
temporary directory (``IPC_CONFORMANCE_NODE_KIT``), whose one dependency is a tarball
beside it, so that ``npm ci`` needs no registry; the package adapters of the real kit
install from the npm registry the first time, as a user's first run does.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.adapters import AdapterStartError, load_adapter
from conformance.adapters.node_spec import KIT_ENV, kit_directory, node_command

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None, reason="needs Node.js and npm on PATH"
)

KIT = kit_directory()
PINNED: dict[str, str] = json.loads((KIT / "package.json").read_text(encoding="utf-8"))["dependencies"]
TIMEOUT = 30.0

DEMO_ADAPTER = """\
'use strict';
const dep = require('dep');
require(process.argv[2]).serve({
  async hello() {
    const implementation = { name: dep.name, version: dep.version };
    return { implementation, edition: 'v0.32', capabilities: [], valueKinds: [] };
  },
  async reset() {},
  async run() { return { processes: { main: [] } }; },
  async close() {},
});
"""


def _tarball(version: str) -> bytes:
    """Return an npm package tarball of ``dep`` at ``version``, which exports its name and version."""
    files = {
        "package/package.json": json.dumps({"name": "dep", "version": version, "main": "index.js"}),
        "package/index.js": "module.exports = { name: 'dep', version: require('./package.json').version };\n",
    }
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.fixture
def demo_kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Return a kit whose adapter ``demo`` needs the npm package ``dep`` 1.0.0 (a local tarball)."""
    kit = tmp_path / "kit"
    (kit / "bin").mkdir(parents=True)
    program = DEMO_ADAPTER.replace("process.argv[2]", json.dumps(str(KIT / "kit" / "protocol.js")))
    (kit / "bin" / "demo.js").write_text(program)
    (kit / "bin" / "dep.js").write_text(program)  # an adapter named after the package: installs it
    tarball = _tarball("1.0.0")
    (kit / "dep-1.0.0.tgz").write_bytes(tarball)
    sha = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    root = {"name": "demo-kit", "version": "0.0.0", "dependencies": {"dep": "1.0.0"}}
    (kit / "package.json").write_text(json.dumps({**root, "private": True}))
    lock = {
        "name": "demo-kit",
        "version": "0.0.0",
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": root,
            "node_modules/dep": {"version": "1.0.0", "resolved": "file:dep-1.0.0.tgz", "integrity": sha},
        },
    }
    (kit / "package-lock.json").write_text(json.dumps(lock))
    monkeypatch.setenv(KIT_ENV, str(kit))
    yield kit


def _installed_version(kit: Path) -> str | None:
    manifest = kit / "node_modules" / "dep" / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.is_file() else None


def test_a_node_spec_names_a_program_of_the_kit() -> None:
    assert node_command("node:reference-js") == [shutil.which("node"), str(KIT / "bin" / "reference-js.js")]


@pytest.mark.parametrize("name", ["nothing-here", "../bin/reference-js", "Reference-js", ""])
def test_an_unknown_name_is_a_start_error_listing_the_known_ones(name: str) -> None:
    with pytest.raises(AdapterStartError) as caught:
        load_adapter(f"node:{name}")
    assert f"no Node.js adapter named {name!r}" in str(caught.value)
    for known in ["node:reference-js", *(f"node:{package}" for package in PINNED)]:
        assert known in caught.value.hint


def test_without_node_on_path_the_spec_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(AdapterStartError, match=r"needs Node\.js, and node is not on PATH"):
        node_command("node:reference-js")


def test_the_first_use_installs_the_pinned_dependency_then_the_adapter_starts(demo_kit: Path) -> None:
    assert _installed_version(demo_kit) is None
    adapter = load_adapter("node:dep")
    try:
        hello = adapter.hello()
    finally:
        adapter.close()
    assert (hello.name, hello.version) == ("dep", "1.0.0")
    assert _installed_version(demo_kit) == "1.0.0"


def test_an_adapter_not_named_after_a_dependency_installs_nothing(demo_kit: Path) -> None:
    node_command("node:demo")
    assert _installed_version(demo_kit) is None


def test_another_installed_version_is_replaced_by_the_pinned_one(demo_kit: Path) -> None:
    stale = demo_kit / "node_modules" / "dep"
    stale.mkdir(parents=True)
    (stale / "package.json").write_text(json.dumps({"name": "dep", "version": "0.9.0"}))
    node_command("node:dep")
    assert _installed_version(demo_kit) == "1.0.0"


def test_a_failed_install_is_a_start_error_with_npm_s_output(demo_kit: Path) -> None:
    (demo_kit / "package-lock.json").unlink()
    with pytest.raises(AdapterStartError) as caught:
        node_command("node:dep")
    reason = caught.value.reason
    assert "npm ci in" in reason and "exited with status" in reason
    assert "package-lock.json" in reason  # npm's own explanation, passed on


def test_without_npm_a_missing_dependency_says_so(
    demo_kit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_node = tmp_path / "only-node"
    only_node.mkdir()
    os.symlink(str(shutil.which("node")), only_node / "node")
    monkeypatch.setenv("PATH", str(only_node))
    with pytest.raises(
        AdapterStartError, match=r"dep@1\.0\.0, which is not installed, and npm is not on PATH"
    ):
        node_command("node:dep")


def _text(value: str) -> dict[str, Any]:
    return {"type": "string", "value": value}


def test_the_javascript_implementation_runs_a_scenario_through_the_spec() -> None:
    """``sendSync`` answered by main, through ``node:reference-js``: the trace shows the answer."""
    scenario = {
        "pages": [{"id": "page"}],
        "main": {"listeners": [{"id": "a", "channel": "q", "actions": [{"op": "return", "echo": True}]}]},
        "renderers": {"page": {"script": [{"op": "sendSync", "channel": "q", "args": [_text("ping")]}]}},
    }
    adapter = load_adapter("node:reference-js")
    try:
        hello = adapter.hello()
        adapter.reset(timeout=TIMEOUT)
        trace = adapter.run(scenario, timeout=TIMEOUT)
    finally:
        adapter.close()
    assert (hello.name, hello.language) == ("reference-js", "JavaScript")
    assert {"sendSync", "sendToHost", "webview", "multiplePages"} <= hello.capabilities
    [end] = [e for e in trace["processes"]["page"] if e["type"] == "call-end"]
    assert end["value"] == {"type": "array", "items": [_text("ping")]}


@pytest.mark.parametrize("package", sorted(PINNED))
def test_each_package_adapter_names_its_pinned_package_and_claims_no_sendsync(package: str) -> None:
    """None of the three packages has a working ``sendSync``: each declares it missing."""
    adapter = load_adapter(f"node:{package}")
    try:
        hello = adapter.hello()
    finally:
        adapter.close()
    assert (hello.name, hello.version) == (package, PINNED[package])
    assert "sendSync" not in hello.capabilities and "sendToHost" not in hello.capabilities
