"""The HTML report: standalone, untrusted text inert, findings linked; checked in a real browser."""

from __future__ import annotations

import base64
import os
import hashlib
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import make_diagnosis

from diag.model import Diagnosis
from diag.render import renderer
from diag.render.html import CONTENT_SECURITY_POLICY, SCRIPT, STYLE, render

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INJECTION = (
    'Lumora signs <script>window.__pwned = 1; alert("x")</script> deal with '
    '<img src=x onerror="window.__pwned = 2"> and "quotes" & <b>bold</b> carmakers'
)


def _injected_diagnosis() -> object:
    ref = "Lumora signs battery deal with PACE carmakers\nShares rose 8.5% in Frankfurt.\nA closing line.\n"
    cand = INJECTION + "\nShares rose 5.8% in Frankfurt.\nAn extra line.\nAnother extra line.\n"
    findings = (
        ("major", "value_changed", "8.5%", "5.8%"),
        ("minor", "replaced", "PACE", '<img src=x onerror="window.__pwned = 2">'),
    )
    d = make_diagnosis(ref, cand, findings)
    return d


def with_set_aside(d: Diagnosis, needle: str, reason: str = "photo caption") -> Diagnosis:
    """``d`` with the line of the reference that holds ``needle`` set aside."""
    from dataclasses import replace

    from diag.model import SetAside

    text = d.reference.text
    start = text.rfind("\n", 0, text.index(needle)) + 1
    end = text.index("\n", start)
    return replace(d, reference=replace(d.reference, set_aside=(SetAside(start, end, reason),)))


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def test_standalone_with_a_strict_policy(demo_diagnosis: object) -> None:
    page = render(demo_diagnosis)  # type: ignore[arg-type]
    assert page.startswith("<!DOCTYPE html>")
    assert renderer("html")(demo_diagnosis) == page  # type: ignore[arg-type]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page), "nothing may be fetched"
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert _hash(SCRIPT) in CONTENT_SECURITY_POLICY and _hash(STYLE) in CONTENT_SECURITY_POLICY
    assert f"<script>{SCRIPT}</script>" in page and f"<style>{STYLE}</style>" in page
    assert page.count("<script") == 1


def test_untrusted_text_renders_as_text() -> None:
    page = render(_injected_diagnosis())  # type: ignore[arg-type]
    assert page.count("<script") == 1  # ours only
    assert "<img" not in page
    assert "onerror=" not in page.replace("onerror=&quot;", "")  # only as escaped text
    assert "&lt;script&gt;window.__pwned = 1; alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "&amp;" in page


def test_findings_are_marked_and_linked(demo_diagnosis: object) -> None:
    page = render(demo_diagnosis)  # type: ignore[arg-type]
    for n in range(1, 6):
        assert page.count(f'id="f-{n}"') == 1
        assert f'href="#f-{n}" data-finding="{n}"' in page
    # a finding missing from the candidate is anchored in the reference
    assert re.search(r'<mark id="f-5" class="sev-minor" data-finding="5">Related Article</mark>', page)
    # the critical finding is marked on both sides
    assert len(re.findall(r'<mark[^>]*data-finding="1"', page)) >= 2


def test_rows_mark_omitted_and_added_sentences() -> None:
    page = render(_injected_diagnosis())  # type: ignore[arg-type]
    assert '<tr id="pair-2" class="matched">' in page
    assert '<tr id="pair-3" class="added">' in page and "(not in the reference)" in page
    ref, cand = "One line.\nTwo lines here.\n", "One line.\n"
    page = render(make_diagnosis(ref, cand))  # type: ignore[arg-type]
    assert '<tr id="pair-1" class="omitted">' in page and "(not in the candidate)" in page


def test_verdict_and_findings_summary_come_first(demo_diagnosis: object) -> None:
    page = render(demo_diagnosis)  # type: ignore[arg-type]
    order = ['class="verdict"', 'class="counts"', 'id="findings"', "<h3>Critical and major: 4 kinds, 4 places</h3>",
             "<h3>Minor: 1 kind, 1 place</h3>", 'id="strip"', "<h2>Metrics</h2>", 'id="texts"']
    positions = [page.index(mark) for mark in order]
    assert positions == sorted(positions)


def test_repeated_findings_are_one_group_with_every_place() -> None:
    ref = "TikTok grew. TikTok hired. TikTok sold.\n"
    cand = "Tiktok grew. Tiktok hired. Tiktok sold.\n"
    findings = tuple(("minor", "casing_changed", "TikTok", "Tiktok") for _ in range(3))
    page = render(make_diagnosis(ref, cand, findings))  # type: ignore[arg-type]
    assert page.count('<details class="group') == 1
    assert '<span class="count">×3</span>' in page
    assert page.count('<table class="places">') == 1 and page.count('class="goto"') == 3


def test_the_strip_is_inline_svg_with_accuracy_when_assessed(demo_diagnosis: Diagnosis) -> None:
    from dataclasses import replace

    from diag.render.html import strip
    from diag.render.view import ReportView

    v = ReportView.build(demo_diagnosis)
    svg = strip(v)
    assert svg.startswith("<svg") and svg.count("<a href=\"#pair-") == len(v.pairs)
    assert "accuracy" not in svg
    assert svg.count('class="gap"') == len(v.omitted) + len(v.added)
    risky = replace(v, pairs=tuple(replace(p, accuracy_risk=0.5) for p in v.pairs))
    assert strip(risky).count("accuracy risk 0.50") == len(v.pairs)


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_every_bidi_control_is_neutralised() -> None:
    ref = "The price is 10 dollars.\nSecond line here.\n"
    cand = f"The price is \u202e01 dollars\u202c.\nSecond {BIDI} line here.\n"
    d = make_diagnosis(ref, cand, (("major", "value_changed", "10", "\u202e01"),), paths=("r\u202etxt.txt", "c.txt"))
    page = render(d)  # type: ignore[arg-type]
    assert not any(ch in page for ch in BIDI)
    assert "\ufffd01" in page


def test_set_aside_stretches_are_listed(demo_diagnosis: Diagnosis) -> None:
    page = render(with_set_aside(demo_diagnosis, "photo illustration"))
    assert page.count('<td class="furniture">') == 1
    assert '<td>reference</td><td class="num">' in page and "<td>photo caption</td>" in page
    assert "set-aside" not in render(demo_diagnosis)


def test_word_differences_are_highlighted(demo_diagnosis: object) -> None:
    page = render(demo_diagnosis)  # type: ignore[arg-type]
    assert "<del>PACE carmakers</del>" in page and "<ins>Peace car makers</ins>" in page


def _browser() -> tuple[object, str]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    return sync_playwright, Path(CHROMIUM).exists() and CHROMIUM or str(shutil.which("chromium"))


@contextmanager
def guarded_page(report: Path, viewport: dict[str, int] | None = None) -> Iterator[tuple[Any, list[str], list[str], list[str]]]:
    """A headless Chromium page on ``report`` that records dialogs, requests and script errors.

    Yields (page, dialogs, requests, errors) once the page has loaded; skips if no browser.
    """
    sync_playwright, executable = _browser()
    with sync_playwright() as p:  # type: ignore[operator]
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=viewport) if viewport else browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            yield page, dialogs, requests, errors
        finally:
            browser.close()


def _until(page: object, predicate: str, seconds: float = 5.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not page.evaluate(predicate):  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, f"timed out waiting for {predicate}"
        time.sleep(0.05)


@pytest.mark.browser
def test_report_in_a_headless_browser(tmp_path: Path) -> None:
    ref = (Path(__file__).parents[1] / "diag" / "data" / "demo_reference.txt").read_text(encoding="utf-8")
    cand = (Path(__file__).parents[1] / "diag" / "data" / "demo_candidate.txt").read_text(encoding="utf-8")
    cand = cand.replace("Lumora signs battery deal", INJECTION, 1)
    from conftest import DEMO_FINDINGS

    from dataclasses import replace

    from diag.model import Verdict

    d = with_set_aside(make_diagnosis(ref, cand, DEMO_FINDINGS), "photo illustration")  # type: ignore[arg-type]
    verdict = Verdict(
        "translation", 0.83, "likely machine round-trip translation", 0.9, {"translation": 0.9, "rewrite": 0.1},
        ("Every sentence of both texts is paired, in order.", "Five names or numbers changed."),
    )  # fmt: skip
    d = replace(d, verdict=verdict)
    report = tmp_path / "report.html"
    report.write_text(render(d), encoding="utf-8")  # type: ignore[arg-type]
    shot = tmp_path / "report.png"
    with guarded_page(report, {"width": 1400, "height": 1000}) as (page, dialogs, requests, errors):
        # the injection attempt is text: nothing ran, nothing was fetched, no element was made
        assert page.evaluate("window.__pwned") is None
        assert dialogs == [] and errors == []
        assert requests == [report.as_uri()]
        assert page.locator("img").count() == 0
        assert (
            page.locator("td.cand").first.inner_text().startswith("Lumora signs <script>window.__pwned")
        )

        assert page.locator(".verdict").inner_text().startswith("Likely machine round-trip translation (confidence 90%")
        assert page.locator("details.evidence li").count() == 2
        # the verdict and the findings come first, grouped, their places folded away
        assert page.locator("details.group").count() == 5
        assert page.locator("details.sev-critical .sev").text_content() == "critical"
        tops = page.evaluate(
            "['.verdict', '#findings', '#strip', '#set-aside', '#texts']"
            ".map(s => document.querySelector(s).getBoundingClientRect().top)"
        )
        assert tops == sorted(tops)
        assert page.locator("table.places").first.is_hidden()
        page.click("details.sev-critical summary")
        assert page.locator("details.sev-critical table.places").is_visible()
        # the strip: one bar per pair, each a link to its row
        assert page.locator("svg.strip a").count() == len(d.alignment.pairs)
        assert page.locator("svg.strip").is_visible()
        # the stretches set aside are listed
        assert page.locator("table.set-aside tbody tr").count() == len(d.reference.set_aside) + len(d.candidate.set_aside)
        # a finding's mark may be cut into pieces by word differences; the id is on the first
        marked = "Array.from(document.querySelectorAll('td.cand mark[data-finding=\"1\"]'))"
        assert page.evaluate(marked + ".map(m => m.textContent).join('')") == "$2.4 million"
        assert page.evaluate(marked + "[0].id") == "f-1"
        assert page.locator("ins", has_text="hire").count() >= 1
        assert page.locator("#f-1").evaluate("m => getComputedStyle(m).borderBottomStyle") == "solid"

        # clicking a finding's place scrolls to it in the texts and flashes it
        page.click('details:has(a.goto[data-finding="4"]) summary')
        page.click('a.goto[data-finding="4"]')
        # (polled from Python: the page's policy forbids the eval that wait_for_function uses)
        _until(page, "() => document.querySelector('#f-4').classList.contains('flash')")
        _until(  # the smooth scroll brings the mark into view
            page,
            "() => { const r = document.querySelector('#f-4').getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        )

        # the severity filter hides the groups of a severity
        page.uncheck('input[data-severity="major"]')
        assert page.locator("details.sev-major").first.is_hidden()
        assert page.locator("details.sev-critical").is_visible()
        page.check('input[data-severity="major"]')
        assert page.locator("details.sev-major").first.is_visible()

        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    try:  # kept for a person to look at (DIAG_SCREENSHOT names where)
        shutil.copyfile(shot, os.environ.get("DIAG_SCREENSHOT", "/tmp/diag_html.png"))
    except OSError:
        pass
