"""report.html: one self-contained page with the verdict, the scores, areas and failures, all text escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from report_samples import failure, report, result, trace

from conformance.reporting.html import report_html

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'


class _Page(HTMLParser):
    """The elements and the text of a page, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def by_id(self, element_id: str) -> dict[str, str | None]:
        return next(attrs for _, attrs in self.tags if attrs.get("id") == element_id)


def _markup_report() -> str:
    failed = result(
        "fails",
        ["CH-1"],
        "FAIL",
        message=f"observed: ({SCRIPT!r})",
        failure=failure("test_sample.py::fails", trace=trace(channel=BREAKOUT, value=SCRIPT)),
        known={"entry": "clause CH-1", "reason": "known", "link": "javascript:alert(1)"},
    )
    doc = report([failed, result("passes", ["CH-2"])], name=f"{SCRIPT} impl")
    doc["run"]["implementation"]["homepage"] = "https://example.org/impl"
    return report_html(doc)


def test_markup_from_the_implementation_stays_text() -> None:
    page = _Page(_markup_report())
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "img" not in tags
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    text = "".join(page.text)
    assert f"{SCRIPT} impl" in text  # the name, shown as written
    assert BREAKOUT.replace('"', '\\"') in text  # the channel, inside the trace's JSON
    assert f"observed: ({SCRIPT!r})" in text


def test_only_http_links_are_links() -> None:
    page = _Page(_markup_report())
    hrefs = {attrs["href"] for tag, attrs in page.tags if tag == "a"}
    assert "https://example.org/impl" in hrefs
    assert not any(h and h.startswith("javascript:") for h in hrefs)
    assert "javascript:alert(1)" not in "".join(page.text).replace("known", "")  # no link, no text either


def test_the_page_is_self_contained_and_forbids_scripts() -> None:
    html = _markup_report()
    page = _Page(html)
    assert not [attrs for tag, attrs in page.tags if tag in ("link", "img", "iframe") or "src" in attrs]
    policy = next(a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert policy["content"] == "default-src 'none'; style-src 'unsafe-inline'"


def test_the_verdict_scores_areas_and_failure_are_on_the_page() -> None:
    page = _Page(_markup_report())
    text = " ".join(" ".join(page.text).split())
    assert "NOT CONFORMANT" in text
    assert "Fails as a CI gate: NOT CONFORMANT: CH-1 violated" in text
    assert "Conformance (MUST clauses) 1 / 2 50.0% passed" in text
    assert "Known failure, listed in the baseline (clause CH-1): known" in text
    assert "Minimal example f(args=[''])" in text
    assert "ipc-conformance replay report.json test_sample.py::fails" in text
    for element_id in (
        "verdict",
        "score-conformance",
        "score-compatibility",
        "area-CH",
        "clause-CH-1",
        "run",
    ):
        page.by_id(element_id)
    assert "failures" in [attrs.get("id") for _, attrs in page.tags]


def test_a_conformant_report_has_no_failure_section() -> None:
    page = _Page(report_html(report([result("passes", ["CH-1"])])))
    ids = [attrs.get("id") for _, attrs in page.tags]
    assert "failures" not in ids
    assert page.by_id("verdict") is not None and "CONFORMANT" in page.text


def test_an_interrupted_run_says_so_under_the_verdict() -> None:
    doc = report([result("a", ["CH-1"])], interrupted={"by": "SIGTERM", "planned": 149})
    page = _Page(report_html(doc))
    assert page.by_id("verdict") is not None
    text = " ".join(" ".join(page.text).split())
    assert "INCOMPLETE" in text
    assert "Interrupted by SIGTERM after 1 of 149 tests" in text
    assert ("header", {"class": "verdict warn"}) in page.tags


def test_template_syntax_from_the_implementation_is_not_evaluated() -> None:
    name, message = "{{ 'ab' * 3 }}", "{% for x in 'pq' %}{{ x * 2 }}{% endfor %}"
    doc = report([result("a", ["CH-1"], "FAIL", message=message)], name=name)
    text = " ".join(_Page(report_html(doc)).text)
    assert name in text and message in text
    assert "ababab" not in text and "ppqq" not in text
