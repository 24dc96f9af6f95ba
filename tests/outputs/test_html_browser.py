"""The HTML report in a real browser (headless Chromium driven by Playwright).

The static tests prove the markup; these prove what a reader gets: the page's one script runs under
its own Content-Security-Policy, following a citation highlights every fragment of the cited
passage and opens the collapsed section it sits in, and article text that looks like markup stays
text.  They need Chromium: ``.ci/chromium.sh`` installs Debian's package, and ``.ci/run`` sets
``NEWSFUSE_TEST_CHROMIUM``; where neither a browser nor that variable is found, they are skipped
and say so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfuse.models import Report
from newsfuse.outputs.html import render_html

pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")

# Records what the page would report to a reader's console: script errors and CSP refusals.
_WATCH = """
window.__problems = [];
window.addEventListener('error', e => window.__problems.push('error: ' + e.message));
document.addEventListener('securitypolicyviolation',
    e => window.__problems.push('csp: ' + e.violatedDirective));
"""


@pytest.fixture
def open_report(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Open a report's HTML file (``file://``, as a reader opens it) and return the page."""
    pages: list[Any] = []

    def opener(report: Report, fragment: str = "") -> Any:
        path = tmp_path / f"report{len(pages)}.html"
        path.write_text(render_html(report), encoding="utf-8")
        # Reduced motion, as a reader may ask: no smooth scrolling to wait out on a busy machine.
        page = browser.new_page(reduced_motion="reduce")
        page.set_default_timeout(10_000)  # a script that never runs fails in seconds, not minutes
        page.add_init_script(_WATCH)
        page.goto(path.as_uri() + fragment)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.close()


def _hit_spans(page: Any) -> list[str]:
    return page.eval_on_selector_all(".hit", "els => els.map(e => e.dataset.span)")


def test_the_script_runs_under_the_pages_own_policy(open_report: Any, report: Report) -> None:
    page = open_report(report)
    citation = page.locator("ol.brief a.cite").first
    target = (citation.get_attribute("href") or "")[1:]
    citation.click()
    page.wait_for_function("() => document.querySelector('.hit') !== null")
    assert page.evaluate("decodeURIComponent(location.hash.slice(1))") == target
    assert page.evaluate("window.__problems") == []


def test_a_citation_highlights_every_fragment_of_its_passage_and_nothing_else(
    open_report: Any, report: Report
) -> None:
    page = open_report(report)
    links = page.eval_on_selector_all("ol.brief a.cite", "els => els.map(e => e.hash.slice(1))")
    first, second = links[0], links[1]
    page.locator(f"ol.brief a.cite[href='#{first}']").first.click()
    page.wait_for_function("() => document.querySelector('.hit') !== null")
    fragments = page.eval_on_selector_all(f"[data-span='{first}']", "els => els.length")
    assert fragments >= 1
    assert set(_hit_spans(page)) == {first} and len(_hit_spans(page)) == fragments
    # Following another citation moves the highlight: the first passage is no longer marked.
    page.locator(f"ol.brief a.cite[href='#{second}']").first.click()
    page.wait_for_function(f"() => location.hash === '#{second}'")
    page.wait_for_function(
        "s => { const hits = [...document.querySelectorAll('.hit')];"
        " return hits.length > 0 && hits.every(e => e.dataset.span === s); }",
        arg=second,
    )
    assert set(_hit_spans(page)) == {second}


def test_going_to_a_passage_in_a_collapsed_section_opens_it(
    open_report: Any, report: Report
) -> None:
    page = open_report(report)
    inside = page.eval_on_selector_all(
        "details:not([open]) [id]", "els => els.map(e => e.id).filter(Boolean)"
    )
    assert inside, "the fixture report has a collapsed section with anchors (single-source facts)"
    target = inside[0]
    is_open = f"() => document.getElementById('{target}').closest('details').open"
    assert not page.evaluate(is_open)
    page.evaluate(f"location.hash = '#{target}'")  # a reader following a shared link
    page.wait_for_function(is_open)
    assert page.evaluate("window.__problems") == []


def test_opening_the_file_at_a_passage_highlights_it(open_report: Any, report: Report) -> None:
    probe = open_report(report)
    anchor = probe.eval_on_selector("ol.brief a.cite", "e => e.hash.slice(1)")
    page = open_report(report, "#" + anchor)  # a link someone shared, or a bookmark
    page.wait_for_function("() => document.querySelector('.hit') !== null")
    assert set(_hit_spans(page)) == {anchor}


def test_article_text_that_looks_like_markup_stays_text(open_report: Any, report: Report) -> None:
    hostile = '<img src=x onerror="window.__ran = 1"><script>window.__ran = 2</script>'
    first = report.articles[0]
    # Appended after the last span, so every citation still slices its own passage.
    articles = (dataclasses.replace(first, text=first.text + "\n" + hostile), *report.articles[1:])
    page = open_report(dataclasses.replace(report, articles=articles))
    # The checks that fail if markup leaked into the page: it reads as text and makes no element.
    # (Had it leaked, the page's CSP would still stop the handler: the last check is a backstop.)
    assert hostile in page.inner_text("body")
    assert page.locator("img").count() == 0
    assert page.evaluate("window.__ran") is None


def test_from_a_cited_passage_back_to_the_citation_followed(
    open_report: Any, report: Report
) -> None:
    page = open_report(report)
    citation = page.locator("ol.brief a.cite").last
    cite_id = citation.get_attribute("id")
    citation.click()
    page.wait_for_function("() => document.querySelector('.hit') !== null")
    back = page.locator("#back-to-brief")
    back.wait_for(state="visible")
    assert back.get_attribute("href") == f"#{cite_id}"
    back.click()
    page.wait_for_function(f"() => location.hash === '#{cite_id}'")
    assert back.is_hidden()
    assert page.evaluate("window.__problems") == []


def test_a_shared_link_to_a_passage_leads_back_to_the_first_citation(
    open_report: Any, report: Report
) -> None:
    probe = open_report(report)
    first = probe.locator("ol.brief a.cite").first
    anchor, cite_id = (first.get_attribute("href") or "")[1:], first.get_attribute("id")
    page = open_report(report, "#" + anchor)
    back = page.locator("#back-to-brief")
    back.wait_for(state="visible")
    assert back.get_attribute("href") == f"#{cite_id}"


def test_on_a_touch_screen_a_tap_previews_the_passage_first(
    browser: Any, tmp_path: Path, report: Report
) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    context = browser.new_context(
        viewport={"width": 400, "height": 800}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.add_init_script(_WATCH)
    page.goto(path.as_uri())
    citation = page.locator("ol.brief a.cite").first
    citation.tap()
    preview = page.locator("#preview")
    preview.wait_for(state="visible")
    assert preview.locator(".preview-text").inner_text() == citation.get_attribute("data-passage")
    assert page.evaluate("location.hash") == ""
    preview.locator(".preview-go").tap()
    page.wait_for_function("() => document.querySelector('.hit') !== null")
    # at 400 px the page does not scroll sideways: the tables stack
    width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(f"() => {width}") <= 0
    assert page.eval_on_selector("table.quotes td", "e => getComputedStyle(e).display") == "block"
    assert page.evaluate("window.__problems") == []
    context.close()
