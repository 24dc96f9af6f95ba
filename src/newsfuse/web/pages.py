"""The reading pages: the story list, the story (the report's own template), an article.

Server-rendered with Jinja2 (autoescape on: article text is untrusted), a little vanilla JS served
by the app itself (``/static``), no CDN.  The story page is :func:`newsfuse.outputs.html.render_html`
with the app's chrome (:class:`~newsfuse.outputs.html.ServedPage`); what is new since the reader's
last visit comes from the same ``--since`` machinery as the command line.  The forms are in
:mod:`.forms`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from newsfuse.outputs.html import Mark, ServedPage, http_link, mark_up, render_html
from newsfuse.store import NotInStoreError
from newsfuse.store.listing import StoryFilter
from newsfuse.web.catalog import story_filter, story_line
from newsfuse.web.render import page, read_or_sign_in
from newsfuse.web.reports import CachedPage
from newsfuse.web.state import AppState, app_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
_PAGE_SIZE = 50


@router.get("/", response_class=HTMLResponse)
async def story_list(
    request: Request,
    state: State,
    page_number: Annotated[int, Query(alias="page")] = 1,
) -> Response:
    """All stories, newest update first, with a search box and date filters."""
    if (redirect := read_or_sign_in(request)) is not None:
        return redirect
    params = request.query_params
    values = {k: params.get(k, "") for k in ("q", "outlet", "from", "to")}
    number = max(1, page_number)
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
        return page(
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
    if (kept := state.listings.rendered(wanted, "html", listing)) is not None:
        return HTMLResponse(kept)  # no story changed since it was rendered
    lines = [story_line(s) for s in listing.stories]
    base = {k: v for k, v in values.items() if v}
    pages = {}
    if number > 1:
        pages["previous"] = _query({**base, "page": str(number - 1)})
    if number * _PAGE_SIZE < listing.total:
        pages["next"] = _query({**base, "page": str(number + 1)})
    response = page(
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
async def storypage(
    request: Request, story_id: str, state: State, seen: int | None = None, at: str | None = None
) -> Response:
    """The story's report page; ``?seen=N&at=TIME`` adds what is new since the reader saw N articles."""
    if (redirect := read_or_sign_in(request)) is not None:
        return redirect
    if seen is None and (kept := state.reports.fresh_page(story_id, "page")) is not None:
        return _send(kept, request)  # the hot path: no store, no thread
    return await run_in_threadpool(_story_page, request, story_id, state, seen, at)


def _send(kept: CachedPage, request: Request) -> Response:
    """The kept page, gzipped when the browser takes it so."""
    return kept.response(request, "text/html; charset=utf-8", {})


def _no_such_story(story_id: str) -> Response:
    return page(
        "message.html.j2",
        404,
        title="No such story",
        message=f"There is no story {story_id} in this store.",
    )


def _story_page(
    request: Request, story_id: str, state: AppState, seen: int | None, at: str | None
) -> Response:
    try:
        cached = state.reports.get(story_id)
    except NotInStoreError:
        into = state.store.merged_into(story_id)
        if into is not None:  # a later report showed it to be part of another story
            return RedirectResponse(f"/stories/{quote(into)}", status_code=301)
        return _no_such_story(story_id)
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
    kept = state.reports.page(story_id, cached.version, "page")
    if kept is None:
        html_text = render_html(cached.report, served)
        kept = state.reports.keep_page(story_id, cached.version, "page", html_text)
    return _send(kept, request)


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
def articlepage(request: Request, story_id: str, article_id: str, state: State) -> Response:
    """One article: its cleaned text with entities, quotes and cited spans marked, and the page
    furniture that was removed from it."""
    if (redirect := read_or_sign_in(request)) is not None:
        return redirect
    try:
        cached = state.reports.get(story_id)
    except NotInStoreError:
        return _no_such_story(story_id)
    found = next((a for a in cached.report.articles if a.id == article_id), None)
    if found is None:
        return page(
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
    return page(
        "article.html.j2",
        article=found,
        outlet=found.source_name,
        url_href=http_link(found.url),
        body=body,
        story_id=story_id,
        story_title=cached.report.story.title,
        cited=len(cited),
    )
