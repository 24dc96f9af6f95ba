"""The pages: story list, story (the report's own template), article, paste-or-upload, sign-in.

Server-rendered with Jinja2 (autoescape on: article text is untrusted), a little vanilla JS served
by the app itself (``/static``), no CDN.  The story page is :func:`newsfuse.outputs.html.render_html`
with the app's chrome (:class:`~newsfuse.outputs.html.ServedPage`); what is new since the reader's
last visit comes from the same ``--since`` machinery as the command line.  Every form post carries
a CSRF token (:mod:`.auth`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from newsfuse.outputs.html import Mark, ServedPage, http_link, mark_up, render_html
from newsfuse.store import NotInStoreError
from newsfuse.store.listing import StoryFilter
from newsfuse.web.api import check_upload, check_url
from newsfuse.web.auth import (
    CSRF_COOKIE,
    TOKEN_COOKIE,
    check_csrf,
    has_token,
    may_read,
    new_csrf_value,
    same_token,
)
from newsfuse.web.catalog import story_filter, story_line
from newsfuse.web.state import AppState, app_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
_PAGE_SIZE = 50


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsfuse.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = _templates().get_template(name).render(**values)
    return HTMLResponse(html, status_code=status)


def _form_page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page with a form: a fresh CSRF value in its hidden field and in a strict cookie."""
    csrf = new_csrf_value()
    response = _page(name, status, csrf=csrf, signed_in=has_token(request), **values)
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
    return response


def _read_or_sign_in(request: Request) -> Response | None:
    """A redirect to the sign-in page when reads need the token and the browser has none."""
    if may_read(request):
        return None
    return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)


@router.get("/", response_class=HTMLResponse)
async def story_list(
    request: Request,
    state: State,
    page: int = 1,
) -> Response:
    """All stories, newest update first, with a search box and date filters."""
    if (redirect := _read_or_sign_in(request)) is not None:
        return redirect
    params = request.query_params
    values = {k: params.get(k, "") for k in ("q", "outlet", "from", "to")}
    number = max(1, page)
    try:
        wanted = story_filter(
            values["q"],
            values["outlet"],
            values["from"],
            values["to"],
            _PAGE_SIZE,
            (number - 1) * _PAGE_SIZE,
        )
    except ValueError as error:
        return _page(
            "stories.html.j2", 422, stories=[], total=0, values=values, error=str(error), pages={}
        )
    kept = state.listings.fresh_render(wanted, "html")
    if kept is not None:
        return HTMLResponse(kept)  # the hot path: no store, no thread, no template
    return await run_in_threadpool(_story_list, state, wanted, values, number)


def _story_list(
    state: AppState, wanted: StoryFilter, values: dict[str, str], number: int
) -> HTMLResponse:
    listing = state.listings.get(wanted)
    lines = [story_line(s) for s in listing.stories]
    base = {k: v for k, v in values.items() if v}
    pages = {}
    if number > 1:
        pages["previous"] = _query({**base, "page": str(number - 1)})
    if number * _PAGE_SIZE < listing.total:
        pages["next"] = _query({**base, "page": str(number + 1)})
    response = _page(
        "stories.html.j2",
        stories=lines,
        total=listing.total,
        values=values,
        error=None,
        pages=pages,
    )
    state.listings.keep_render(wanted, "html", listing, bytes(response.body).decode("utf-8"))
    return response


def _query(values: Mapping[str, str]) -> str:
    return "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in values.items())


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(
    request: Request, story_id: str, state: State, seen: int | None = None, at: str | None = None
) -> Response:
    """The story's report page; ``?seen=N&at=TIME`` adds what is new since the reader saw N articles."""
    if (redirect := _read_or_sign_in(request)) is not None:
        return redirect
    if seen is None and (kept := state.reports.fresh_page(story_id, "page")) is not None:
        return HTMLResponse(kept)  # the hot path: no store, no thread
    return await run_in_threadpool(_story_page, story_id, state, seen, at)


def _story_page(story_id: str, state: AppState, seen: int | None, at: str | None) -> Response:
    try:
        cached = state.reports.get(story_id)
    except NotInStoreError:
        return _page(
            "message.html.j2",
            404,
            title="No such story",
            message=f"There is no story {story_id} in this store.",
        )
    served = ServedPage(
        script_src=("/static/report.js", "/static/story.js"),
        stylesheet="/static/app.css",
        home_href="/",
        submit_href="/submit",
        article_href=f"/stories/{story_id}/articles/",
        live={
            "story": story_id,
            "version": cached.version,
            "articles": str(len(cached.report.articles)),
            "version-url": f"/api/stories/{story_id}/version",
            "poll": str(state.config.poll_seconds),
        },
    )
    total = len(cached.report.articles)
    if seen is not None and 0 <= seen < total:
        html = render_html(_since_visit(cached.report, cached.json_text, seen, at, state), served)
        return HTMLResponse(html)
    html_text = state.reports.page(story_id, cached.version, "page")
    if html_text is None:
        html_text = render_html(cached.report, served)
        state.reports.keep_page(story_id, cached.version, "page", html_text)
    return HTMLResponse(html_text)


def _since_visit(report: Any, json_text: str, seen: int, at: str | None, state: AppState) -> Any:
    """The report with "what's new" against the first ``seen`` articles (the story's order is the
    order articles joined it, so those are what the reader had seen)."""
    from newsfuse.stages.update import Since, apply_update, previous_from_report

    data = json.loads(json_text)
    known = {a.id for a in report.articles[:seen]}
    data["articles"] = [a for a in data["articles"] if a["id"] in known]
    when = (at or "").strip()[:19]
    label = f"your last visit ({when.replace('T', ' ')} UTC)" if when else "your last visit"
    since = Since(value=label, basis="report", previous=previous_from_report(data))
    return apply_update(report, since, state.config.settings.summarize.brief_sentences)


@router.get("/stories/{story_id}/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, story_id: str, article_id: str, state: State) -> Response:
    """One article: its cleaned text with entities, quotes and cited spans marked, and the page
    furniture that was removed from it."""
    if (redirect := _read_or_sign_in(request)) is not None:
        return redirect
    try:
        cached = state.reports.get(story_id)
    except NotInStoreError:
        return _page(
            "message.html.j2",
            404,
            title="No such story",
            message=f"There is no story {story_id} in this store.",
        )
    found = next((a for a in cached.report.articles if a.id == article_id), None)
    if found is None:
        return _page(
            "message.html.j2",
            404,
            title="No such article",
            message=f"Story {story_id} has no article {article_id}.",
        )
    cited = {
        span
        for sentence in cached.report.story.brief
        for span in sentence.citations
        if span.article_id == article_id
    }
    marks = [
        Mark(
            m.span.start,
            m.span.end,
            "span",
            f"ent ent-{m.label.lower()}",
            title=f"{m.label}: {m.norm}",
        )
        for m in found.mentions
        if m.span.end > m.span.start
    ]
    marks += [
        Mark(
            q.span.start,
            q.span.end,
            "span",
            "quote",
            title=f"Quote ({q.kind}), {q.speaker or 'no speaker'}",
        )
        for q in found.quotes
    ]
    marks += [
        Mark(s.start, s.end, "mark", "cite", title="Cited in the brief") for s in sorted(cited)
    ]
    body: Markup = mark_up(found.text, marks)
    return _page(
        "article.html.j2",
        article=found,
        outlet=found.source_name,
        url_href=http_link(found.url),
        body=body,
        story_id=story_id,
        story_title=cached.report.story.title,
        cited=len(cited),
    )


# --- submitting ----------------------------------------------------------------------------------


@router.get("/submit", response_class=HTMLResponse)
def submit_form(request: Request, state: State) -> Response:
    """Paste a report, upload files or give URLs."""
    return _form_page(
        request, "submit.html.j2", error=None, max_bytes=state.config.max_upload_bytes
    )


@router.post("/submit", response_class=HTMLResponse)
def submit(
    request: Request,
    state: State,
    csrf: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    outlet: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    published_at: Annotated[str, Form()] = "",
    urls: Annotated[str, Form()] = "",
    files: Annotated[list[UploadFile] | None, Form()] = None,
) -> Response:
    """Queue what the form holds, then open the job's page (which opens the story when done)."""
    check_csrf(request, csrf)
    if not (has_token(request) or same_token(token, state.config.token)):
        return _form_page(
            request,
            "submit.html.j2",
            401,
            error="The token is missing or wrong.",
            max_bytes=state.config.max_upload_bytes,
        )
    uploads = [f for f in files or [] if f.filename]
    try:
        job = _queue_form(state, text, title, outlet, url, published_at, urls, uploads)
    except HTTPException as error:
        return _form_page(
            request,
            "submit.html.j2",
            error.status_code,
            error=str(error.detail),
            max_bytes=state.config.max_upload_bytes,
        )
    response = RedirectResponse(f"/jobs/{job}", status_code=303)
    if token and not has_token(request):
        _remember_token(response, token)
    return response


def _queue_form(
    state: AppState,
    text: str,
    title: str,
    outlet: str,
    url: str,
    published_at: str,
    urls: str,
    uploads: list[UploadFile],
) -> str:
    if text.strip():
        record = {
            "text": text,
            "title": title or None,
            "outlet": outlet or None,
            "url": url or None,
            "published_at": published_at or None,
        }
        return state.jobs.submit_articles([record], "pasted text").id
    if uploads:
        checked = []
        for upload in uploads:
            content = upload.file.read()
            checked.append((check_upload(upload.filename or "upload", content), content))
        return state.jobs.submit_files(checked, f"{len(checked)} uploaded file(s)").id
    listed = [line.strip() for line in urls.splitlines() if line.strip()]
    if listed:
        allow = state.config.settings.http.allow_private
        problems = [p for p in (check_url(u, allow_private=allow) for u in listed) if p]
        if problems:
            raise HTTPException(422, "; ".join(problems))
        return state.jobs.submit_urls(listed, f"{len(listed)} URL(s)").id
    raise HTTPException(422, "Paste a report, choose files or list URLs.")


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str, state: State) -> Response:
    """A submission's progress; refreshes itself, and opens the story once it is in."""
    if (redirect := _read_or_sign_in(request)) is not None:
        return redirect
    job = state.jobs.get(job_id)
    if job is None:
        return _page(
            "message.html.j2", 404, title="No such job", message=f"This server has no job {job_id}."
        )
    if job.state == "done" and job.stories:
        return RedirectResponse(f"/stories/{job.stories[0]}", status_code=303)
    return _page("job.html.j2", job=job)


# --- signing in ----------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    """Give the token once; the browser keeps it in a strict, HttpOnly cookie."""
    return _form_page(request, "login.html.j2", error=None, next=_local(next))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    state: State,
    csrf: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the token (constant time) and remember it in the browser."""
    check_csrf(request, csrf)
    if not same_token(token, state.config.token):
        return _form_page(
            request, "login.html.j2", 401, error="That token is wrong.", next=_local(next)
        )
    response = RedirectResponse(_local(next), status_code=303)
    _remember_token(response, token)
    return response


def _remember_token(response: Response, token: str) -> None:
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/")


def _local(target: str) -> str:
    """Only a path on this app: ``//evil.example`` or ``https://…`` would send the reader away."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


# --- the API's documentation ----------------------------------------------------------------------


def api_docs(spec: Mapping[str, Any]) -> HTMLResponse:
    """``/docs``: the OpenAPI description as a page of the app (no CDN, no inline script)."""
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            parameters = [
                {
                    "name": p.get("name", ""),
                    "where": p.get("in", ""),
                    "required": p.get("required", False),
                    "type": _schema_type(p.get("schema", {})),
                    "description": p.get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            content = op.get("requestBody", {}).get("content", {})
            body = ", ".join(
                f"{kind}: {_schema_type(value.get('schema', {}))}"
                for kind, value in content.items()
            )
            operations.append(
                {
                    "id": op.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": parameters,
                    "body": body,
                }
            )
    info = spec.get("info", {})
    return _page(
        "docs.html.j2",
        title=info.get("title", "newsfuse"),
        version=info.get("version", ""),
        operations=operations,
    )


def _schema_type(schema: Mapping[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_schema_type(s) for s in schema["anyOf"])
    return str(schema.get("type", "any"))
