"""The served app in a real browser (Debian's Chromium driven by Playwright), over a live server.

What a reader does: load a story, follow a citation and come back, search, upload a report and
see it join its story, watch a new report arrive while reading, read the page at phone width with
no horizontal scroll; and the page's scripts run under the app's policy with no console error.
Skipped, saying so, where there is no Chromium (``.ci/chromium.sh`` installs it in CI).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
uvicorn = pytest.importorskip("uvicorn", reason="the web app is the 'web' extra")

from newsfuse.web.app import create_app  # noqa: E402

TOKEN = "test-token-0123456789abcdef"
# What a reader's console would show: script errors, CSP refusals, failed loads.
_WATCH = """
window.__problems = [];
window.addEventListener('error', e => window.__problems.push('error: ' + e.message), true);
document.addEventListener('securitypolicyviolation',
    e => window.__problems.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(config_for: Callable[..., Any]) -> Iterator[str]:
    """A live app on 127.0.0.1 over this test's store copy (polling every half second)."""
    app = create_app(config_for(poll_seconds=0.5))
    port = _free_port()
    live = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    while not live.started:
        if not thread.is_alive():
            raise AssertionError("the server did not start")
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    live.should_exit = True
    thread.join(30)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    pages: list[Any] = []

    def opener(url: str, **options: Any) -> Any:
        context = browser.new_context(reduced_motion="reduce", **options)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.add_init_script(_WATCH)
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
        page.__dict__["console_errors"] = messages
        page.goto(url)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.context.close()


def _problems(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__problems")
    return found + list(page.__dict__["console_errors"])


def test_load_a_story_follow_a_citation_and_come_back(server: str, open_page: Any) -> None:
    page = open_page(server + "/")
    page.click("a.story-link")
    page.wait_for_selector("ol.brief a.cite")
    citation = page.locator("ol.brief a.cite").nth(1)
    cite_id = citation.get_attribute("id")
    target = (citation.get_attribute("href") or "")[1:]
    citation.click()
    page.wait_for_function("() => document.querySelector('.hit') !== null")
    assert page.evaluate("location.hash") == "#" + target
    back = page.locator("#back-to-brief")
    back.wait_for(state="visible")
    assert back.get_attribute("href") == f"#{cite_id}"
    back.click()
    page.wait_for_function(f"() => location.hash === '#{cite_id}'")
    assert back.is_hidden()
    assert _problems(page) == []


def test_search_narrows_the_list(server: str, open_page: Any) -> None:
    page = open_page(server + "/")
    assert page.locator("a.story-link").count() == 1
    page.fill("input[name=q]", "volcano")
    page.click("form.filters button")
    page.wait_for_url("**/?q=volcano**")
    assert page.locator("a.story-link").count() == 0
    page.fill("input[name=q]", "merrow")
    page.click("form.filters button")
    page.wait_for_url("**/?q=merrow**")
    assert page.locator("a.story-link").count() == 1
    assert _problems(page) == []


def test_upload_a_report_and_see_it_join_its_story(
    server: str, open_page: Any, examples_dir: Path
) -> None:
    page = open_page(server + "/submit")
    page.fill("input[name=token]", TOKEN)
    page.set_input_files("input[name=files]", str(examples_dir / "07_harbour-trade-review.html"))
    page.click("form.submit button[type=submit]")
    page.wait_for_url("**/stories/*", timeout=120_000)
    assert page.locator("article.source").count() == 7
    assert "Harbour & Trade Review" in page.locator("#sources").inner_text()
    assert _problems(page) == []


def test_a_new_report_is_announced_without_losing_the_readers_place(
    server: str, open_page: Any, examples_dir: Path
) -> None:
    page = open_page(server + "/")
    page.click("a.story-link")
    page.wait_for_selector("#sources")
    # The reader is in the sources, below the brief, facts and timeline that the new report changes.
    place = "art-" + page.locator("article.source").nth(2).get_attribute("id")[len("art-") :]
    page.evaluate(
        f"window.scrollBy(0, document.getElementById('{place}').getBoundingClientRect().top + 40)"
    )
    scrolled = page.evaluate("window.scrollY")
    page.evaluate("window.__marker = 'still here'")  # gone if the page reloads by itself
    text = (examples_dir / "08_calderra-sentinel.txt").read_text(encoding="utf-8")
    response = page.request.post(
        server + "/api/articles",
        data={"articles": [{"text": text, "outlet": "Calderra Sentinel"}]},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status == 202
    banner = page.locator("#live")
    banner.wait_for(state="visible", timeout=120_000)
    assert "1 new report joined this story" in banner.inner_text()
    assert page.evaluate("window.__marker") == "still here"
    assert page.evaluate("window.scrollY") == scrolled
    page.click("#live .live-load")
    page.wait_for_function("() => window.__marker === undefined")
    assert page.locator("article.source").count() == 7
    # back at the same passage: 40 px into the same source, though the text above it changed
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('{place}').getBoundingClientRect().top + 40) < 2"
    )
    assert page.evaluate("window.scrollY") != scrolled
    # the page remembers what this reader had seen: six articles, one new since
    last_visit = page.locator("#last-visit a")
    assert last_visit.inner_text() == "What\u2019s new since your last visit (1 new report)"
    last_visit.click()
    page.wait_for_selector("section#update")
    assert "Calderra Sentinel" in page.locator("section#update").inner_text()
    assert _problems(page) == []


def test_hostile_text_runs_nothing_in_the_browser(
    server: str, open_page: Any, hostile_article: dict[str, str]
) -> None:
    page = open_page(server + "/")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.request.post(
        server + "/api/articles",
        data={"articles": [hostile_article]},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    page.goto(f"{server}/jobs/{response.json()['id']}")
    page.wait_for_url("**/stories/*", timeout=120_000)

    def nothing_ran() -> None:
        assert page.evaluate("window.__pwned") is None, page.url
        assert dialogs == [] and _problems(page) == [], page.url

    cited = page.locator("a.cite[data-outlet*=Gazette]")
    assert cited.count() > 0  # the hostile report is cited: its passages are previewed below
    for index in range(min(3, cited.count())):
        cited.nth(index).hover()
        cited.nth(index).click()
    nothing_ran()
    page.locator("article.source h3 a", has_text="Gazette").first.click()
    page.wait_for_url("**/articles/*")
    assert "window.__pwned = 3" in page.locator("main").inner_text()  # shown, as text
    nothing_ran()
    for path in ("/", "/?q=%3Cscript%3E"):
        page.goto(server + path)
        nothing_ran()


@pytest.mark.parametrize("path", ["/", "/story", "/article", "/submit", "/docs", "/login"])
def test_at_400px_nothing_scrolls_sideways(server: str, open_page: Any, path: str) -> None:
    url = server + "/"
    page = open_page(url, viewport={"width": 400, "height": 800}, has_touch=True, is_mobile=True)
    if path in ("/story", "/article"):
        page.click("a.story-link")
        page.wait_for_selector("#sources")
    if path == "/article":
        page.locator("article.source h3 a").first.click()
        page.wait_for_url("**/articles/*")
    elif path not in ("/", "/story"):
        page.goto(server + path)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert _problems(page) == []


def test_a_tap_on_a_citation_previews_its_passage(server: str, open_page: Any) -> None:
    page = open_page(
        server + "/", viewport={"width": 400, "height": 800}, has_touch=True, is_mobile=True
    )
    page.click("a.story-link")
    citation = page.locator("ol.brief a.cite").first
    passage = citation.get_attribute("data-passage")
    citation.tap()
    preview = page.locator("#preview")
    preview.wait_for(state="visible")
    assert preview.locator(".preview-text").inner_text() == passage
    assert page.evaluate("location.hash") == ""  # the tap did not jump away
    preview.locator(".preview-go").tap()
    page.wait_for_function("() => document.querySelector('.hit') !== null")
    assert preview.is_hidden()
    assert _problems(page) == []


def test_the_who_said_what_tables_stack_at_phone_width(server: str, open_page: Any) -> None:
    page = open_page(server + "/", viewport={"width": 400, "height": 800})
    page.click("a.story-link")
    page.wait_for_selector("table.quotes")
    display = page.eval_on_selector("table.quotes td", "e => getComputedStyle(e).display")
    assert display == "block"
    label = page.eval_on_selector(
        "table.quotes td[data-label]", "e => getComputedStyle(e, '::before').content"
    )
    assert label == '"Kind: "'
