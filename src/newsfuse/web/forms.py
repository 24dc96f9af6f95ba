"""The form pages: paste-or-upload, a submission's progress, and signing in.

Every post carries a CSRF token (:mod:`.auth`); what a form submits goes to the same ingest queue
as the API's submissions.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsfuse.web.api import check_upload, check_url, only_form_fields
from newsfuse.web.auth import TOKEN_COOKIE, check_csrf, has_token, same_token
from newsfuse.web.render import form_page, page, read_or_sign_in
from newsfuse.web.state import AppState, app_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]


@router.get("/submit", response_class=HTMLResponse)
def submit_form(request: Request, state: State) -> Response:
    """Paste a report, upload files or give URLs."""
    return form_page(request, "submit.html.j2", error=None, max_bytes=state.config.max_upload_bytes)


_SUBMIT_FIELDS = (
    "csrf",
    "token",
    "text",
    "title",
    "outlet",
    "url",
    "published_at",
    "urls",
    "files",
)


@router.post(
    "/submit",
    response_class=HTMLResponse,
    dependencies=[Depends(only_form_fields(*_SUBMIT_FIELDS))],
)
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
        return form_page(
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
        return form_page(
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
def jobpage(request: Request, job_id: str, state: State) -> Response:
    """A submission's progress; refreshes itself, and opens the story once it is in."""
    if (redirect := read_or_sign_in(request)) is not None:
        return redirect
    job = state.jobs.get(job_id)
    if job is None:
        return page(
            "message.html.j2", 404, title="No such job", message=f"This server has no job {job_id}."
        )
    if job.state == "done" and job.stories:
        return RedirectResponse(f"/stories/{job.stories[0]}", status_code=303)
    return page("job.html.j2", job=job)


# --- signing in ----------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    """Give the token once; the browser keeps it in a strict, HttpOnly cookie."""
    return form_page(request, "login.html.j2", error=None, next=_local(next))


@router.post(
    "/login",
    response_class=HTMLResponse,
    dependencies=[Depends(only_form_fields("csrf", "token", "next"))],
)
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
        return form_page(
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
