"""A pytest plugin for the suite benchmarks: ``--bench-max-examples N`` sets the Hypothesis example count.

Loaded with ``-p benchmarks.examples_plugin``; after the suite's plugin activated
its profile, it activates the same profile with ``N`` examples, so that every
property test's count scales by ``N / 25`` (the ``quick`` profile's count).
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ipc-conformance benchmarks")
    group.addoption(
        "--bench-max-examples",
        dest="bench_max_examples",
        type=int,
        default=None,
        metavar="N",
        help="Hypothesis examples of the active profile (quick: 25); each test's count scales with it",
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    from conformance.suite import profiles

    examples = config.getoption("bench_max_examples")
    if examples is not None:
        profiles.activate(config.getoption("ipc_profile"), max_examples=examples)
