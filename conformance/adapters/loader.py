"""Turns an adapter spec (from the command line or a config) into a running ``Adapter``.

Specs: ``reference`` (the built-in reference implementation, in-process),
``reference-subprocess`` (the same behind the subprocess protocol), ``node:NAME`` (an
adapter of the Node.js kit in ``adapters/node``, see ``node_spec``), ``module:Class``
(an importable in-process adapter class), or any other string: a command line for a
subprocess adapter.
"""

from __future__ import annotations

import importlib
import os
import re
import shlex
import sys
from collections.abc import Mapping

from conformance.adapters.errors import AdapterStartError
from conformance.adapters.node_spec import NODE_PREFIX, node_command
from conformance.adapters.protocol import Adapter
from conformance.adapters.subprocess_adapter import SubprocessAdapter

__all__ = ["load_adapter"]

REFERENCE_PACKAGE = "conformance.adapters.reference"
REFERENCE_MODULE = f"{REFERENCE_PACKAGE}.adapter"
REFERENCE_CLASS = "ReferenceAdapter"
_CLASS_SPEC = re.compile(r"^(?P<module>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):(?P<name>[A-Za-z_]\w*)$")
_METHODS = ("hello", "run", "reset", "close")


def load_adapter(
    spec: str,
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    start_timeout: float = 10.0,
) -> Adapter:
    """Return a ready adapter for ``spec``, or raise ``AdapterStartError`` saying why not.

    A subprocess adapter may also fail its handshake (``HandshakeError``,
    ``AdapterCrashed``, ``AdapterTimeout``).  ``env``, ``cwd`` and ``start_timeout``
    apply to subprocess adapters only.
    """
    if spec == "reference":
        return _instantiate(REFERENCE_MODULE, REFERENCE_CLASS, spec)
    if spec == "reference-subprocess":
        argv = [sys.executable, "-m", REFERENCE_PACKAGE]
        return SubprocessAdapter(argv, env=env, cwd=cwd, start_timeout=start_timeout)
    if spec.startswith(NODE_PREFIX):
        return SubprocessAdapter(node_command(spec), env=env, cwd=cwd, start_timeout=start_timeout)
    if (match := _CLASS_SPEC.match(spec)) is not None:
        return _instantiate(match["module"], match["name"], spec)
    try:
        argv = shlex.split(spec)
    except ValueError as error:
        raise AdapterStartError(
            f"cannot split the command line {spec!r}: {error}", hint="check the quoting of the command"
        ) from None
    if not argv:
        raise AdapterStartError(
            "the adapter spec is empty", hint="give 'reference', 'module:Class' or a command line"
        )
    return SubprocessAdapter(argv, env=env, cwd=cwd, start_timeout=start_timeout)


def _instantiate(module_name: str, class_name: str, spec: str) -> Adapter:
    """Return an instance of ``module_name:class_name``, created without arguments."""
    try:
        module = importlib.import_module(module_name)
    except Exception as error:
        raise AdapterStartError(
            f"cannot import module {module_name!r}: {type(error).__name__}: {error}",
            implementation=spec,
            hint=f"check that {module_name} and what it imports are installed or on PYTHONPATH",
        ) from error
    kind = getattr(module, class_name, None)
    if not isinstance(kind, type):
        raise AdapterStartError(
            f"module {module_name!r} has no class {class_name!r}",
            implementation=spec,
            hint=f"check that {module_name} ({getattr(module, '__file__', '?')}) defines {class_name}",
        )
    missing = [name for name in _METHODS if not callable(getattr(kind, name, None))]
    if missing:
        raise AdapterStartError(
            f"{class_name} is not an adapter: it lacks {', '.join(missing)}",
            implementation=spec,
            hint="an adapter class has hello, run, reset and close (conformance.adapters.protocol.Adapter)",
        )
    try:
        adapter: Adapter = kind()
    except Exception as error:
        raise AdapterStartError(
            f"{class_name}() failed: {type(error).__name__}: {error}",
            implementation=spec,
            hint="an adapter class must be constructible without arguments",
        ) from error
    return adapter
