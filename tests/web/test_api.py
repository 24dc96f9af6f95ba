"""The JSON API over a store of the example story: reads, filters, reports, articles, writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsfuse.outputs.json import load_report_schema
from newsfuse.store import Store

jsonschema = pytest.importorskip("jsonschema")

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_story_list_names_outlets_and_counts_independent_sources(client: TestClient) -> None:
    listing = client.get("/api/stories").json()
    assert listing["total"] == 1
    story = listing["stories"][0]
    assert story["title"] == "Port Merrow strike talks collapse, 41 ships stranded"
    assert story["articles"] == 6
    assert "Merrow Herald" in story["outlets"] and "The Workers' Voice" in story["outlets"]
    # two of the six are one wire copy re-run: fewer independent sources than articles
    assert 1 <= story["independent_sources"] < story["articles"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("q=merrow", 1),
        ("q=MERROW", 1),
        ("q=volcano", 0),
        ("outlet=herald", 1),
        ("outlet=reuters", 0),
        ("from=2000-01-01", 1),
        ("to=2000-01-01", 0),
        ("from=2999-01-01", 0),
        ("q=100%25", 0),  # % matches itself, not everything
    ],
)
def test_story_list_filters(client: TestClient, query: str, found: int) -> None:
    response = client.get(f"/api/stories?{query}")
    assert response.status_code == 200
    assert response.json()["total"] == found


def test_story_list_rejects_unknown_parameters_and_bad_dates(client: TestClient) -> None:
    unknown = client.get("/api/stories?colour=red")
    assert unknown.status_code == 422 and "colour" in unknown.json()["detail"]
    bad = client.get("/api/stories?from=yesterday")
    assert bad.status_code == 422 and "from=" in bad.json()["detail"]


def test_story_report_is_the_cli_schema_and_cached_per_version(
    client: TestClient, story_id: str
) -> None:
    response = client.get(f"/api/stories/{story_id}")
    assert response.status_code == 200
    report = response.json()
    jsonschema.validate(report, load_report_schema())
    assert len(report["articles"]) == 6
    etag = response.headers["etag"]
    again = client.get(f"/api/stories/{story_id}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    version = client.get(f"/api/stories/{story_id}/version").json()
    assert f'"{version["version"]}"' == etag and version["articles"] == 6


def test_a_report_kept_in_the_store_is_served_without_reporting_again(
    make_client: Callable[..., TestClient], story_id: str, store_path: Path
) -> None:
    first = make_client().get(f"/api/stories/{story_id}").text
    with Store.open(store_path) as store:
        kept = store.latest_report(story_id)
    assert kept is not None and kept.body == first
    # a new app (a restarted server) serves the stored body as it is
    assert make_client().get(f"/api/stories/{story_id}").text == first


def test_unknown_story_and_article_are_404(client: TestClient) -> None:
    assert client.get("/api/stories/story_nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/stories/story_nope").status_code == 404


def test_article_comes_with_its_annotations(client: TestClient, story_id: str) -> None:
    report = client.get(f"/api/stories/{story_id}").json()
    first = report["articles"][0]
    article = client.get(f"/api/articles/{first['id']}").json()
    assert article["text"] == first["text"]
    assert article["quotes"] and article["mentions"]
    quote = article["quotes"][0]
    assert article["text"][quote["start"] : quote["end"]] == quote["text"]


# --- writes --------------------------------------------------------------------------------------


def _counts(store_path: Path) -> dict[str, int]:
    with Store.open(store_path) as store:
        return store.counts()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-0123456789"}])
def test_writes_without_the_token_are_401_and_change_nothing(
    client: TestClient, store_path: Path, headers: dict[str, str]
) -> None:
    before = _counts(store_path)
    article = {"articles": [{"text": "Dockers return to work in Port Merrow.", "outlet": "X"}]}
    assert client.post("/api/articles", json=article, headers=headers).status_code == 401
    upload = {"files": ("a.txt", b"Dockers return to work.", "text/plain")}
    assert client.post("/api/uploads", files=upload, headers=headers).status_code == 401
    urls = {"urls": ["https://example.org/a"]}
    response = client.post("/api/urls", json=urls, headers=headers)
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert _counts(store_path) == before


def test_unknown_fields_are_422_naming_the_field(client: TestClient) -> None:
    body = {"articles": [{"text": "Dockers return to work.", "colour": "red"}]}
    response = client.post("/api/articles", json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["detail"] == "body.articles.0.colour: unknown field"
    top = client.post(
        "/api/urls", json={"urls": ["https://example.org/"], "depth": 2}, headers=AUTH
    )
    assert top.status_code == 422 and "body.depth: unknown field" in top.json()["detail"]


def test_unknown_form_fields_are_422_naming_the_field_and_change_nothing(
    client: TestClient, store_path: Path
) -> None:
    before = _counts(store_path)
    upload = client.post(
        "/api/uploads",
        files={"files": ("a.txt", b"Dockers return to work.", "text/plain")},
        data={"folder": "../../etc"},
        headers=AUTH,
    )
    assert upload.status_code == 422 and upload.json()["detail"] == "body.folder: unknown field"
    csrf = client.get("/submit").cookies["newsfuse_csrf"]
    form = {"csrf": csrf, "token": TOKEN, "text": "Dockers return to work.", "tittle": "Strike"}
    posted = client.post("/submit", data=form)
    assert posted.status_code == 422 and posted.json()["detail"] == "body.tittle: unknown field"
    assert _counts(store_path) == before


def test_an_article_needs_exactly_one_body(client: TestClient) -> None:
    neither = client.post("/api/articles", json={"articles": [{"title": "t"}]}, headers=AUTH)
    assert neither.status_code == 422 and "give 'text' or 'html'" in neither.json()["detail"]
    both = {"articles": [{"text": "a", "html": "<p>a</p>"}]}
    assert client.post("/api/articles", json=both, headers=AUTH).status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "http://localhost/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_urls_to_private_addresses_or_other_schemes_are_refused(
    client: TestClient, url: str
) -> None:
    response = client.post("/api/urls", json={"urls": [url]}, headers=AUTH)
    assert response.status_code == 422
    assert url in response.json()["detail"]


def test_private_urls_pass_the_check_when_the_operator_allows_them() -> None:
    from newsfuse.web.api import check_url

    assert check_url("http://127.0.0.1/", allow_private=True) is None
    assert check_url("http://127.0.0.1/", allow_private=False) is not None
    assert check_url("https://example.org/news", allow_private=False) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n"),
        ("report.exe", b"MZ"),
        ("report.txt", b"text\x00\x01\x02binary"),
    ],
)
def test_uploads_of_other_types_are_415(client: TestClient, name: str, content: bytes) -> None:
    response = client.post("/api/uploads", files={"files": (name, content)}, headers=AUTH)
    assert response.status_code == 415 and name in response.json()["detail"]


def test_bodies_over_the_cap_are_413(make_client: Callable[..., TestClient]) -> None:
    small = make_client(max_upload_bytes=2_000)
    body = {"articles": [{"text": "word " * 1_000}]}
    response = small.post("/api/articles", json=body, headers=AUTH)
    assert response.status_code == 413 and "2000 bytes" in response.json()["detail"]


def test_an_uploaded_report_joins_its_story(
    client: TestClient,
    story_id: str,
    examples_dir: Path,
    wait_for_job: Callable[[TestClient, str], dict[str, Any]],
) -> None:
    page = examples_dir / "07_harbour-trade-review.html"
    files = {"files": (page.name, page.read_bytes(), "text/html")}
    response = client.post("/api/uploads", files=files, headers=AUTH)
    assert response.status_code == 202
    assert response.headers["location"] == f"/api/jobs/{response.json()['id']}"
    job = wait_for_job(client, response.json()["id"])
    assert job["state"] == "done", job
    assert job["extended_stories"] == [story_id] and job["new_stories"] == []
    report = client.get(f"/api/stories/{story_id}").json()
    assert len(report["articles"]) == 7  # the new version, not the cached six
    assert "Harbour & Trade Review" in {a["outlet"] for a in report["articles"]}


def test_json_articles_go_through_the_same_ingest(
    client: TestClient,
    examples_dir: Path,
    wait_for_job: Callable[[TestClient, str], dict[str, Any]],
) -> None:
    text = (examples_dir / "08_calderra-sentinel.txt").read_text(encoding="utf-8")
    body = {
        "articles": [
            {"text": text, "outlet": "Calderra Sentinel", "published_at": "2026-03-12"},
            {"text": "   ", "outlet": "Blank"},
        ]
    }
    job = wait_for_job(client, client.post("/api/articles", json=body, headers=AUTH).json()["id"])
    assert job["state"] == "done" and len(job["stories"]) == 1
    assert len(job["rejections"]) == 1 and "submitted.jsonl" in job["rejections"][0]
    outlets = client.get("/api/stories").json()["stories"][0]["outlets"]
    assert "Calderra Sentinel" in outlets


def test_every_response_carries_the_security_headers(client: TestClient, story_id: str) -> None:
    for path in ["/", f"/stories/{story_id}", "/api/stories", "/submit", "/static/report.js"]:
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        script = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
        assert "unsafe-inline" not in script and "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_only_the_packaged_assets_are_served(client: TestClient) -> None:
    assert client.get("/static/report.js").headers["content-type"].startswith("text/javascript")
    for path in ["/static/../jobs.py", "/static/..%2F..%2Fconfig.py", "/static/app.py", "/static/"]:
        assert client.get(path).status_code == 404, path


def test_reads_need_the_token_when_bound_beyond_loopback(
    make_client: Callable[..., TestClient],
) -> None:
    guarded = make_client(reads_need_token=True)
    assert guarded.get("/api/stories").status_code == 401
    assert guarded.get("/api/stories", headers=AUTH).status_code == 200
    page = guarded.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    form = guarded.get("/login")
    csrf = form.cookies["newsfuse_csrf"]
    wrong = guarded.post("/login", data={"csrf": csrf, "token": "nope", "next": "/"})
    assert wrong.status_code == 401
    csrf = guarded.cookies["newsfuse_csrf"]  # each form gets a fresh value
    signed = guarded.post(
        "/login",
        data={"csrf": csrf, "token": TOKEN, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/"
    assert guarded.get("/").status_code == 200  # the cookie carries the token now


def test_form_posts_need_the_csrf_token(client: TestClient, store_path: Path) -> None:
    before = _counts(store_path)
    client.get("/submit")
    no_field = client.post("/submit", data={"token": TOKEN, "text": "Dockers return."})
    assert no_field.status_code == 403
    client.cookies.clear()
    no_cookie = client.post("/submit", data={"csrf": "x" * 32, "token": TOKEN, "text": "D."})
    assert no_cookie.status_code == 403
    csrf = client.get("/submit").cookies["newsfuse_csrf"]
    no_token = client.post("/submit", data={"csrf": csrf, "text": "Dockers return."})
    assert no_token.status_code == 401
    assert _counts(store_path) == before


def test_openapi_documents_the_endpoints_on_a_page_of_the_app(client: TestClient) -> None:
    spec = json.loads(client.get("/openapi.json").text)
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/uploads"} <= set(
        spec["paths"]
    )
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "<code>POST /api/uploads</code>" in docs.text and "<code>q</code>" in docs.text
    assert "<script" not in docs.text and "cdn" not in docs.text.lower()
