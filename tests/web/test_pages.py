"""The pages, as HTML: what they list and link, and that untrusted text stays text everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsfuse.store import Store

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _root(html: str) -> Any:
    return lxml.html.document_fromstring(html)


def _assert_inert(html: str) -> None:
    """Only the app's own scripts, no event-handler attribute, no javascript: link."""
    root = _root(html)
    for script in root.xpath("//script"):
        assert script.get("src", "").startswith("/static/") and not (script.text or "").strip()
    for element in root.iter():
        if isinstance(element.tag, str):
            assert not [a for a in element.attrib if a.lower().startswith("on")], element.tag
    hrefs = [h.strip().lower() for h in root.xpath("//@href | //@src | //@action")]
    assert not [h for h in hrefs if h.startswith(("javascript:", "data:", "vbscript:"))]


def test_story_list_page_links_each_story(client: TestClient, story_id: str) -> None:
    root = _root(client.get("/").text)
    links = root.xpath("//a[@class='story-link']")
    assert [a.get("href") for a in links] == [f"/stories/{story_id}"]
    assert links[0].text_content() == "Port Merrow strike talks collapse, 41 ships stranded"
    assert root.xpath("//input[@name='q']") and root.xpath("//input[@name='from'][@type='date']")
    none = _root(client.get("/?q=volcano").text)
    assert not none.xpath("//a[@class='story-link']")
    assert "No story matches these filters" in none.text_content()
    bad = client.get("/?from=someday")
    assert bad.status_code == 422 and "from=&#39;someday&#39;: expected a date" in bad.text


def test_story_page_is_the_report_with_the_apps_script(client: TestClient, story_id: str) -> None:
    html = client.get(f"/stories/{story_id}").text
    root = _root(html)
    assert [s.get("src") for s in root.xpath("//script")] == [
        "/static/report.js",
        "/static/story.js",
    ]
    assert root.xpath("//section[@id='brief']//a[@class='cite']")
    assert root.xpath("//ul[@class='legend']")
    live = root.get_element_by_id("live")
    assert live.get("data-version-url") == f"/api/stories/{story_id}/version"
    article_links = root.xpath("//article[@class='source']/h3/a/@href")
    assert len(article_links) == 6
    assert all(h.startswith(f"/stories/{story_id}/articles/") for h in article_links)
    _assert_inert(html)


def test_whats_new_since_a_visit_lists_what_joined_after_it(
    client: TestClient,
    story_id: str,
    examples_dir: Path,
    wait_for_job: Callable[[TestClient, str], dict[str, Any]],
) -> None:
    page = examples_dir / "07_harbour-trade-review.html"
    files = {"files": (page.name, page.read_bytes(), "text/html")}
    wait_for_job(client, client.post("/api/uploads", files=files, headers=AUTH).json()["id"])
    root = _root(client.get(f"/stories/{story_id}?seen=6&at=2026-03-12T09:00:00").text)
    update = root.get_element_by_id("update")
    assert "your last visit (2026-03-12 09:00:00 UTC)" in update.xpath("h2")[0].text_content()
    plain = _root(client.get(f"/stories/{story_id}").text)
    assert not plain.xpath("//section[@id='update']")


def test_article_page_marks_entities_quotes_and_cited_passages(
    client: TestClient, story_id: str
) -> None:
    report = client.get(f"/api/stories/{story_id}").json()
    cited = {c["article_id"] for s in report["story"]["brief"] for c in s["citations"]}
    article = next(a for a in report["articles"] if a["id"] in cited and a["removed"])
    root = _root(client.get(f"/stories/{story_id}/articles/{article['id']}").text)
    text = root.xpath("//div[@class='article-text']")[0]
    assert text.text_content() == article["text"]
    assert text.xpath(".//mark[@class='cite']") and text.xpath(".//span[@class='quote']")
    assert text.xpath(".//span[starts-with(@class, 'ent ')]")
    removed = root.xpath("//table[@class='removed']/tbody/tr")
    assert len(removed) == len(article["removed"])
    assert client.get(f"/stories/{story_id}/articles/nope").status_code == 404


def test_hostile_text_is_shown_not_run_on_every_page(
    client: TestClient,
    wait_for_job: Callable[[TestClient, str], dict[str, Any]],
    hostile_article: dict[str, str],
) -> None:
    body = {"articles": [hostile_article]}
    job = wait_for_job(client, client.post("/api/articles", json=body, headers=AUTH).json()["id"])
    # the report is about the example's strike: it may join that story or start one
    assert job["state"] == "done" and job["stories"], job
    story = job["stories"][0]
    pages = {
        "list": client.get("/").text,
        "search": client.get("/?q=%3Cscript%3E").text,
        "story": client.get(f"/stories/{story}").text,
        "job": client.get(f"/jobs/{job['id']}", follow_redirects=False).headers["location"],
    }
    report = client.get(f"/api/stories/{story}").json()
    article_id = next(a["id"] for a in report["articles"] if "__pwned" in a["text"])
    pages["article"] = client.get(f"/stories/{story}/articles/{article_id}").text
    for name in ("list", "search", "story", "article"):
        _assert_inert(pages[name])
        assert "&lt;script&gt;window.__pwned" in pages[name] or name in ("list", "search"), name
    assert "&lt;img src=x onerror=" in pages["article"]
    assert hostile_article["url"] in _root(pages["article"]).xpath("//dd/code/text()")
    assert pages["job"] == f"/stories/{story}"


def test_the_submit_form_carries_a_csrf_field_matching_its_cookie(client: TestClient) -> None:
    response = client.get("/submit")
    root = _root(response.text)
    field = root.xpath("//form//input[@name='csrf']/@value")[0]
    assert field == response.cookies["newsfuse_csrf"] and len(field) >= 32
    assert root.xpath("//input[@type='file'][@name='files']")


@pytest.mark.parametrize("path", ["/jobs/nope", "/stories/story_nope"])
def test_missing_things_are_404_pages(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and "<h1>" in response.text


@pytest.mark.parametrize("path", ["/stories/{id}", "/api/stories/{id}"])
def test_the_story_page_and_json_go_gzipped_to_clients_that_take_it(
    client: TestClient, story_id: str, path: str
) -> None:
    url = path.format(id=story_id)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert (
        zipped.headers["content-encoding"] == "gzip" and zipped.headers["vary"] == "accept-encoding"
    )
    assert zipped.text == plain.text  # the client undid the gzip


def test_a_merged_storys_address_leads_to_the_story_it_joined(
    client: TestClient, story_id: str, store_path: Path
) -> None:
    """A reader's bookmark of a story that a later report merged into another still works: the
    page redirects to the story it joined, and the API's 404 names that story."""
    with Store.open(store_path) as store:
        store.put_story("sty_absorbed", "Port Merrow dock strike", [])
        assert store.merge_stories([("sty_absorbed", story_id, 0.5)]) == ["sty_absorbed"]
    sent = client.get("/stories/sty_absorbed", follow_redirects=False)
    assert sent.status_code == 301
    assert sent.headers["location"] == f"/stories/{story_id}"
    missing = client.get("/api/stories/sty_absorbed")
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"story sty_absorbed was merged into {story_id}"
    assert client.get("/stories/sty_never").status_code == 404
