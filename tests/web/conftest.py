"""A store of the example story for the web app's tests, and clients of the app over it.

The store is built once per session from six of the example story's eight reports, through the
same ingest as ``newsfuse ingest``; each test that writes gets its own copy, so the other two
reports can be submitted and seen joining the story.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfuse.config import load_settings
from newsfuse.corpus.ingest import ingest
from newsfuse.store import Store

if importlib.util.find_spec("fastapi") is None:  # the 'web' extra is not installed
    collect_ignore_glob = ["test_*.py"]
    print("tests/web skipped: pip install -e '.[web]' to run them", file=sys.stderr)
else:
    from fastapi.testclient import TestClient

    from newsfuse.web.app import create_app
    from newsfuse.web.config import WebConfig

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FIRST_SIX = 6

# Untrusted text in every field a page shows: any of it running sets window.__pwned or alerts.
HOSTILE_ARTICLE = {
    "title": "Strike </title><script>window.__pwned = 1</script> talks",
    "outlet": '<img src=x onerror="window.__pwned = 2">Gazette',
    "text": (
        "PORT MERROW: Dockers <script>window.__pwned = 3</script> walked out on Monday, the union "
        'said. "We will not be moved <img src=x onerror=alert(4)>," said union leader Ines Varga. '
        "The Port Merrow Harbour Authority said 41 ships were stranded."
    ),
    "url": "javascript:alert(5)",
}


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """A SQLite store holding the example story's first six reports (one story)."""
    folder = tmp_path_factory.mktemp("web-store")
    path = folder / "stories.db"
    sources = [str(p) for p in sorted(examples_dir.iterdir())[:FIRST_SIX]]
    with Store.open(path) as store:
        summary = ingest(sources, store, load_settings(None, []))
    assert len(summary.new_stories) == 1
    return path


@pytest.fixture
def store_path(built_store: Path, tmp_path: Path) -> Path:
    """A copy of the built store for one test (the test may write to it)."""
    path = tmp_path / "stories.db"
    shutil.copyfile(built_store, path)
    return path


def web_config(store_path: Path, **changes: Any) -> WebConfig:
    """The app's config over ``store_path`` with the test token (``changes`` replace fields)."""
    values: dict[str, Any] = {
        "store": str(store_path),
        "settings": load_settings(None, []),
        "token": TOKEN,
        "upload_dir": store_path.parent / "uploads",
    }
    values.update(changes)
    return WebConfig(**values)


@pytest.fixture
def config_for(store_path: Path) -> Callable[..., WebConfig]:
    """The config of an app over this test's store copy, with changes."""
    return lambda **changes: web_config(store_path, **changes)


@pytest.fixture
def make_client(store_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Make clients of apps over this test's store copy, with config changes; closed at the end."""
    opened: list[TestClient] = []

    def factory(**changes: Any) -> TestClient:
        made = TestClient(create_app(web_config(store_path, **changes)))
        made.__enter__()
        opened.append(made)
        return made

    yield factory
    for made in opened:
        made.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A client of the app over a fresh copy of the store; reads open, as on loopback."""
    return make_client()


@pytest.fixture
def story_id(client: TestClient) -> str:
    """The id of the example story."""
    stories = client.get("/api/stories").json()["stories"]
    assert len(stories) == 1
    return str(stories[0]["id"])


@pytest.fixture
def hostile_article() -> dict[str, str]:
    """A report whose title, outlet, body (with a quote) and URL carry script payloads."""
    return dict(HOSTILE_ARTICLE)


@pytest.fixture
def wait_for_job() -> Callable[[TestClient, str], dict[str, Any]]:
    """Poll a submission until it is done or failed; the job as the API shows it."""
    return _wait_for_job


def _wait_for_job(client: TestClient, job_id: str, seconds: float = 120.0) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {seconds}s")
