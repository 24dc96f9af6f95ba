"""Rendering the app's own pages: one Jinja2 environment (autoescape on: article text is
untrusted), the CSRF cookie of form pages, and the sign-in redirect of reads."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsfuse.web.auth import CSRF_COOKIE, has_token, may_read, new_csrf_value

__all__ = ["form_page", "page", "read_or_sign_in"]


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsfuse.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """The template ``name`` rendered with ``values``."""
    html = _templates().get_template(name).render(**values)
    return HTMLResponse(html, status_code=status)


def form_page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page with a form: a fresh CSRF value in its hidden field and in a strict cookie."""
    csrf = new_csrf_value()
    response = page(name, status, csrf=csrf, signed_in=has_token(request), **values)
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
    return response


def read_or_sign_in(request: Request) -> Response | None:
    """A redirect to the sign-in page when reads need the token and the browser has none."""
    if may_read(request):
        return None
    return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)
