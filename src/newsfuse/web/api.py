"""The JSON API under ``/api``: stories, reports, articles, submissions and jobs.

Reads are open on loopback and need the token elsewhere (:func:`~newsfuse.web.auth.require_read`);
every write needs it.  Request bodies are pydantic models that forbid unknown fields, so a typo is a
422 naming the field rather than a silently ignored value.  Submissions answer 202 with a job to
poll: the pipeline runs in the ingest queue, never in the request.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsfuse.store import NotInStoreError
from newsfuse.store.listing import StoryFilter
from newsfuse.web.auth import require_read, require_write
from newsfuse.web.catalog import story_filter, story_line
from newsfuse.web.config import UPLOAD_SUFFIXES
from newsfuse.web.jobs import clean_file_name
from newsfuse.web.state import AppState, app_state

__all__ = [
    "ArticleIn",
    "ArticlesIn",
    "UrlsIn",
    "check_upload",
    "check_url",
    "only_form_fields",
    "router",
]

router = APIRouter(prefix="/api", tags=["api"])
State = Annotated[AppState, Depends(app_state)]
_LIST_PARAMS = frozenset({"q", "outlet", "from", "to", "limit", "offset"})
_MAX_FILES = 20


class ArticleIn(BaseModel):
    """One report to ingest: its text (pasted page text) or HTML (a saved page), and metadata."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=2_000_000)
    html: str | None = Field(default=None, max_length=2_000_000)
    url: str | None = Field(default=None, max_length=2_000)
    title: str | None = Field(default=None, max_length=1_000)
    outlet: str | None = Field(default=None, max_length=200)
    byline: str | None = Field(default=None, max_length=500)
    published_at: str | None = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        if (self.text is None) == (self.html is None):
            raise ValueError(
                "give 'text' or 'html', not both" if self.text else "give 'text' or 'html'"
            )
        return self


class ArticlesIn(BaseModel):
    """``POST /api/articles``: reports in the shape ``newsfuse ingest`` reads from JSONL."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=500)


class UrlsIn(BaseModel):
    """``POST /api/urls``: pages to fetch (http or https, public addresses unless allowed)."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(min_length=1, max_length=100)


def check_url(url: str, *, allow_private: bool) -> str | None:
    """Why ``url`` may not be submitted, or ``None``.

    Only http(s).  A host written as an address (or ``localhost``) is checked here, at once; a
    name is checked when it is resolved, by the ingest's fetcher, on every redirect too.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"{url!r}: only http:// and https:// URLs can be fetched"
    if allow_private:
        return None
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        return f"{url!r}: a loopback address; fetching it needs http.allow_private = true"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if not address.is_global:
        return f"{url!r}: a loopback, private or link-local address; fetching it needs http.allow_private = true"
    return None


def only_form_fields(*known: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency refusing form fields other than ``known`` with a 422 naming them, as the JSON
    bodies do (FastAPI would ignore them: a misspelt field would silently do nothing)."""
    allowed = frozenset(known)

    async def check(request: Request) -> None:
        form = await request.form()  # parsed once: the endpoint's own fields read the same form
        unknown = sorted(set(form.keys()) - allowed)
        if unknown:
            raise HTTPException(422, "; ".join(f"body.{name}: unknown field" for name in unknown))

    return check


def check_upload(name: str, content: bytes) -> str:
    """The cleaned name of an acceptable upload; 415 for a type ``newsfuse ingest`` does not read."""
    cleaned = clean_file_name(name)
    if not cleaned.lower().endswith(UPLOAD_SUFFIXES):
        raise HTTPException(
            415, f"{name!r}: not a file type newsfuse reads ({', '.join(UPLOAD_SUFFIXES)})"
        )
    if b"\x00" in content[:8192]:
        raise HTTPException(415, f"{name!r}: binary content, not text or HTML")
    return cleaned


# --- reads ---------------------------------------------------------------------------------------


@router.get("/stories", dependencies=[Depends(require_read)])
async def list_stories(
    request: Request,
    state: State,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in a story or article title.")
    ] = None,
    outlet: Annotated[
        str | None, Query(max_length=200, description="Text in an article's outlet.")
    ] = None,
    updated_from: Annotated[
        str | None, Query(alias="from", description="Updated on or after (date or ISO time).")
    ] = None,
    updated_to: Annotated[
        str | None, Query(alias="to", description="Updated on or before (date or ISO time).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Stories, newest update first, with outlets and independent sources."""
    unknown = sorted(set(request.query_params) - _LIST_PARAMS)
    if unknown:
        raise HTTPException(422, f"unknown query parameter(s): {', '.join(unknown)}")
    try:
        wanted = story_filter(q, outlet, updated_from, updated_to, limit, offset)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    kept = state.listings.fresh_render(wanted, "json")
    if kept is None:
        kept = await run_in_threadpool(_listing_json, state, wanted)
    return Response(kept, media_type="application/json")


def _listing_json(state: AppState, wanted: StoryFilter) -> str:
    page = state.listings.get(wanted)
    kept = state.listings.rendered(wanted, "json", page)
    if kept is not None:
        return kept
    body = {
        "total": page.total,
        "limit": wanted.limit,
        "offset": wanted.offset,
        "stories": [story_line(s).as_dict() for s in page.stories],
    }
    text = json.dumps(body, ensure_ascii=False)
    state.listings.keep_render(wanted, "json", page, text)
    return text


@router.get("/stories/{story_id}", dependencies=[Depends(require_read)])
async def story_report(story_id: str, request: Request, state: State) -> Response:
    """The story's report: the JSON ``newsfuse report --format json`` writes (cached per version)."""
    try:
        found = state.reports.fresh_json(story_id)
        if found is None:
            found = await run_in_threadpool(state.reports.json_text, story_id)
        body, version = found
    except NotInStoreError:
        raise HTTPException(404, _missing_story(story_id, state)) from None
    etag = f'"{version}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"etag": etag})
    sent = state.reports.json_body(story_id, version, body)
    return sent.response(request, "application/json", {"etag": etag})


def _missing_story(story_id: str, state: AppState) -> str:
    """Why there is no story ``story_id``: merged into another (named), or never there."""
    into = state.store.merged_into(story_id)
    return f"story {story_id} was merged into {into}" if into else f"no story {story_id}"


@router.get("/stories/{story_id}/version", dependencies=[Depends(require_read)])
def story_version(story_id: str, state: State) -> dict[str, Any]:
    """What the story page polls: the version key and the article count."""
    try:
        story, version = state.reports.story(story_id)
    except NotInStoreError:
        raise HTTPException(404, f"no story {story_id}") from None
    return {
        "id": story.id,
        "version": version,
        "articles": len(story.article_ids),
        "updated_at": story.updated_at.isoformat(timespec="seconds"),
    }


@router.get("/articles/{article_id}", dependencies=[Depends(require_read)])
def article(article_id: str, state: State) -> Response:
    """One stored article with its annotations, as the report JSON lists articles."""
    from newsfuse.outputs.json import article_to_dict

    try:
        found = state.store.get_article(article_id)
    except NotInStoreError:
        raise HTTPException(404, f"no article {article_id}") from None
    text = json.dumps(article_to_dict(found), ensure_ascii=False, indent=2) + "\n"
    return Response(text, media_type="application/json")


@router.get("/jobs/{job_id}", dependencies=[Depends(require_read)])
def job(job_id: str, state: State) -> dict[str, object]:
    """A submission's progress, and the stories it made or extended when done."""
    found = state.jobs.get(job_id)
    if found is None:
        raise HTTPException(404, f"no job {job_id}")
    return found.as_dict()


# --- writes --------------------------------------------------------------------------------------


@router.post("/articles", status_code=202, dependencies=[Depends(require_write)])
def submit_articles(body: ArticlesIn, state: State) -> JSONResponse:
    """Ingest reports given as JSON; answers with the job to poll."""
    records = [a.model_dump() for a in body.articles]
    submitted = state.jobs.submit_articles(records, f"{len(records)} article(s) as JSON")
    return _accepted(submitted.as_dict())


@router.post(
    "/uploads",
    status_code=202,
    dependencies=[Depends(require_write), Depends(only_form_fields("files"))],
)
def submit_uploads(
    state: State, files: Annotated[list[UploadFile], File(description="Files newsfuse reads.")]
) -> JSONResponse:
    """Ingest uploaded files (.txt .md .html .htm .jsonl)."""
    if len(files) > _MAX_FILES:
        raise HTTPException(422, f"at most {_MAX_FILES} files at a time")
    checked = []
    for upload in files:
        content = upload.file.read()
        checked.append((check_upload(upload.filename or "upload", content), content))
    submitted = state.jobs.submit_files(checked, f"{len(checked)} uploaded file(s)")
    return _accepted(submitted.as_dict())


@router.post("/urls", status_code=202, dependencies=[Depends(require_write)])
def submit_urls(body: UrlsIn, state: State) -> JSONResponse:
    """Fetch and ingest web pages (the same guarded fetcher as ``newsfuse ingest URL``)."""
    allow = state.config.settings.http.allow_private
    problems = [p for p in (check_url(u, allow_private=allow) for u in body.urls) if p]
    if problems:
        raise HTTPException(422, "; ".join(problems))
    submitted = state.jobs.submit_urls([u.strip() for u in body.urls], f"{len(body.urls)} URL(s)")
    return _accepted(submitted.as_dict())


def _accepted(job: dict[str, object]) -> JSONResponse:
    return JSONResponse(job, status_code=202, headers={"location": f"/api/jobs/{job['id']}"})
