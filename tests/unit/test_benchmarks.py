"""The benchmarks: harness, report, measurement modules at tiny sizes, oracle adapter (no timing asserted).

The measurement modules run for real (processes, pipes, pytest), with the quick sizes
and one repeat; what is checked is that every figure is there, paired with its
baseline, and that the results document is valid under its schema.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from benchmarks import __main__ as cli
from benchmarks import adapters as bench_adapters
from benchmarks import reference_ipc
from benchmarks import strategies as bench_strategies
from benchmarks.adapters import ORACLE
from benchmarks.harness import Figure, Section, Target, paired_ratios, summarize
from benchmarks.oracle_adapter import OracleAdapter, simulate
from benchmarks.report import SCHEMA, render_markdown, results_document
from benchmarks.suite import SuiteConfig, SuiteRunner, command
from conformance.adapters import Adapter
from conformance.adapters.reference.adapter import CAPABILITIES, VALUE_KINDS
from conformance.scenarios import MAIN, Listener, Scenario, reply, ret, send, send_sync, send_to_host, wait
from conformance.session import SuiteSession
from conformance.suite import profiles
from conformance.values.model import UNDEFINED


def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


# The harness


@pytest.mark.parametrize(
    ("samples", "median"), [([3.0], 3.0), ([5.0, 1.0, 3.0], 3.0), ([4.0, 1.0, 2.0, 3.0], 2.5)]
)
def test_summaries_give_median_min_max(samples: list[float], median: float) -> None:
    summary = summarize(samples)
    assert (summary.median, summary.min, summary.max, summary.n) == (
        median,
        min(samples),
        max(samples),
        len(samples),
    )


def test_no_samples_is_an_error() -> None:
    with pytest.raises(ValueError, match="no samples"):
        summarize([])


def test_ratios_pair_repeats() -> None:
    assert paired_ratios([2.0, 9.0, 4.0], [1.0, 3.0, 8.0]) == [2.0, 3.0, 0.5]
    with pytest.raises(ValueError, match="pair them"):
        paired_ratios([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="baseline sample is 0"):
        paired_ratios([1.0], [0.0])


def test_a_section_summarises_the_ratio_of_paired_repeats_not_of_medians() -> None:
    section = Section("s", "a section")
    section.add(Figure("base", "baseline", "µs", [10.0, 100.0, 10.0]))
    section.add(
        Figure("x", "measured", "µs", [20.0, 100.0, 40.0], "base", Target("ratio", "max", 3.0, "at most 3x"))
    )
    figure = section.to_json()["figures"][1]
    assert figure["value"] == {"median": 40.0, "min": 20.0, "max": 100.0, "n": 3}
    assert figure["ratio"] == {"median": 2.0, "min": 1.0, "max": 4.0, "n": 3}  # medians alone would say 4.0
    assert figure["target"]["met"] is True


@pytest.mark.parametrize(
    ("target", "met"),
    [
        (Target("ratio", "max", 2.0, ""), True),
        (Target("ratio", "min", 2.5, ""), False),
        (Target("value", "max", 5.0, ""), False),
        (Target("value", "min", 5.0, ""), True),
    ],
)
def test_targets_judge_the_median(target: Target, met: bool) -> None:
    assert target.met(summarize([1.0, 2.0, 9.0]), summarize([6.0, 7.0, 1.0])) is met


def test_a_target_on_a_ratio_without_baseline_is_not_judged() -> None:
    assert Target("ratio", "max", 1.0, "").met(None, summarize([1.0])) is None


def test_a_baseline_from_another_section_is_an_error() -> None:
    section = Section("s", "a section")
    section.add(Figure("x", "measured", "s", [1.0], baseline="elsewhere"))
    with pytest.raises(KeyError, match="elsewhere"):
        section.to_json()


def test_figure_ids_are_unique_in_a_section() -> None:
    section = Section("s", "a section")
    section.add(Figure("x", "one", "s", [1.0]))
    with pytest.raises(ValueError, match="already"):
        section.add(Figure("x", "two", "s", [2.0]))


# The report


def _document() -> dict[str, object]:
    section = Section("s", "A section")
    section.add(Figure("base", "baseline", "msg/s", [100.0, 120.0]))
    section.add(
        Figure("x", "measured", "msg/s", [40.0, 30.0], "base", Target("ratio", "min", 1 / 3, "a third"))
    )
    section.notes.append("a note | with a pipe")
    return results_document(
        [section], repeats=2, quick=True, started=_machine(), argv=["python", "-m", "benchmarks"]
    )


def test_the_results_document_is_valid_and_lists_the_targets() -> None:
    doc = _document()
    _validator().validate(doc)
    assert [(t["figure"], t["met"]) for t in doc["targets"]] == [("x", False)]  # type: ignore[index, union-attr]


def test_the_markdown_shows_targets_and_escapes_pipes() -> None:
    text = render_markdown(_document())
    assert "| s: measured | a third | 0.325 (0.25-0.4) (ratio) | **missed** |" in text
    assert "a note \\| with a pipe" in text


def test_a_quick_run_writes_valid_json_and_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        bench_strategies, "STRATEGIES", {"st.integers()": st.integers, "st.booleans()": st.booleans}
    )
    assert cli.main(["--quick", "--repeats", "2", "--only", "strategies", "--out", str(tmp_path)]) == 0
    doc = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    _validator().validate(doc)
    figures = doc["sections"][0]["figures"]
    assert [f["id"] for f in figures] == ["st.integers()", "st.booleans()"]
    assert figures[1]["baseline"] == "st.integers()" and figures[1]["ratio"]["n"] == 2
    assert (tmp_path / "results.md").read_text(encoding="utf-8").startswith("# Benchmarks")


# The oracle adapter


def test_the_oracle_adapter_claims_what_the_reference_adapter_claims() -> None:
    adapter = OracleAdapter()
    assert isinstance(adapter, Adapter)
    hello = adapter.hello()
    assert (hello.edition, hello.capabilities, hello.value_kinds) == ("v0.32", CAPABILITIES, VALUE_KINDS)


def test_the_oracle_answers_send_sync_with_json_and_leaves_an_unanswered_one_blocked() -> None:
    scenario = (
        Scenario("p1", "p2")
        .listen(MAIN, Listener("m1", "s", [ret({"a": [1, UNDEFINED]})]))
        .script("p1", send_sync("s"), send("after"))
        .script("p2", send_sync("nobody"), send("never"))
    )
    trace = SuiteSession(OracleAdapter).run(scenario)
    first = trace.call("p1", 0)
    assert first.returned and first.end is not None and first.end.value == {"a": [1, None]}
    assert trace.call("p2", 0).end is None
    assert [e.type for e in trace.events("p2")] == ["call-start"]


def test_the_oracle_routes_replies_and_host_messages() -> None:
    scenario = (
        Scenario("e1")
        .guest("g1", embedder="e1", element="w1")
        .listen(MAIN, Listener("m1", "ask", [reply("answer", echo=True)]))
        .listen("g1", Listener("l1", "answer"))
        .listen_host("e1", "h1", "w1")
        .script("g1", send("ask", 1, {"x": UNDEFINED}), send_to_host("c", 2))
    )
    trace = SuiteSession(OracleAdapter).run(scenario)
    assert [d.args for d in trace.deliveries(MAIN, "m1")] == [[1, {}]]
    assert trace.deliveries(MAIN, "m1")[0].get("sender") == "g1"
    assert [d.args for d in trace.deliveries("g1", "l1")] == [[1, {}]]
    assert [(m.get("channel"), m.args) for m in trace.host_messages("e1")] == [("c", [2])]


def test_the_oracle_keeps_virtual_time() -> None:
    trace = simulate(Scenario("p1").script("p1", wait(500), send("c")).to_json())
    events = trace["processes"]["p1"]
    assert [e["type"] for e in events] == ["call-start", "call-end", "script-end"]
    assert events[0]["t"] - trace["processes"]["main"][0]["t"] >= 500


# The measurement modules, at tiny sizes


def test_the_ipc_sections_pair_every_figure_with_the_raw_pipe_of_the_same_repeat() -> None:
    sections = reference_ipc.measure(repeats=1, quick=True)
    doc = results_document(sections, repeats=1, quick=True, started=_machine(), argv=["test"])
    _validator().validate(doc)
    rtt, rate = doc["sections"]
    ids = [figure["id"] for figure in rtt["figures"]]
    assert ids[:4] == ["raw", "reference", "in-process-adapter", "subprocess-adapter"]
    assert all(f["baseline"] == "raw" and f["ratio"]["n"] == 1 for f in rtt["figures"][1:])
    assert [f["id"] for f in rate["figures"]] == ["raw", "reference"]
    assert all(f["value"]["median"] > 0 for section in (rtt, rate) for f in section["figures"])
    assert [t["figure"] for t in doc["targets"]] == ["reference", "reference"]


def test_without_node_the_node_kit_is_skipped_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    bench_adapters.node_kit.cache_clear()
    monkeypatch.setattr(bench_adapters.shutil, "which", lambda name: None)
    try:
        assert bench_adapters.node_kit() == (None, "no node executable on PATH")
        notes: list[str] = []
        loaded = bench_adapters.load_measured({"oracle": ORACLE}, notes)
        assert list(loaded) == ["oracle"] and isinstance(loaded["oracle"], Adapter)
        assert notes == ["Node kit: not measured, no node executable on PATH"]
    finally:
        bench_adapters.node_kit.cache_clear()


def test_a_suite_run_reports_what_pytest_said(tmp_path: Path) -> None:
    config = SuiteConfig(ORACLE, 0, max_examples=2, select="test_one_emitter_for_all_pages_with_the_sender")
    argv = command(config, seed=3)
    assert argv[argv.index("-n") + 1] == "0" and "--hypothesis-seed=3" in argv
    assert argv[argv.index("--bench-max-examples") + 1] == "2"
    run = SuiteRunner(tmp_path).run(config, seed=3)
    assert run.returncode == 0 and run.outcome.startswith("1 passed, "), run.outcome
    assert run.wall > 0 and run.cpu > 0
    assert any((tmp_path / "pycache").iterdir()), "the runs share a bytecode cache"


def test_the_example_count_scales_every_tests_own_count() -> None:
    try:
        profiles.activate("quick", max_examples=50)
        assert profiles.suite_settings().max_examples == 50
        assert profiles.suite_settings(max_examples=10).max_examples == 20
    finally:
        profiles.activate("quick")
    assert profiles.suite_settings(max_examples=10).max_examples == 10
    with pytest.raises(ValueError, match="positive int"):
        profiles.activate("quick", max_examples=0)


def _machine() -> dict[str, object]:
    return {"cpus": 2, "python": "3.11", "platform": "test", "load_average": [1.0, 1.0, 1.0]}
