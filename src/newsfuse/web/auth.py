"""The write token and CSRF protection.

One token guards the app: writes always need it, reads only when the server listens beyond
loopback.  API clients send it as ``Authorization: Bearer <token>``; a browser signs in once on the
sign-in page, which keeps it in an ``HttpOnly``, ``SameSite=Strict`` cookie.  Tokens are compared in
constant time (:func:`hmac.compare_digest`), so timing tells an attacker nothing about a guess.

Form posts also carry a CSRF token (double submit): the form page sets a random value in a
``SameSite=Strict`` cookie and in a hidden field, and the post must bring both, equal.  Another site
can make a browser post a form, but it can neither read nor set that cookie.  JSON endpoints need no
such token: a cross-site page cannot send ``Authorization`` or a JSON body without a CORS preflight,
which this app never grants.
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
from pathlib import Path

from fastapi import HTTPException, Request

from newsfuse.web.config import WebConfig

__all__ = [
    "CSRF_COOKIE",
    "TOKEN_COOKIE",
    "TOKEN_ENV",
    "check_csrf",
    "has_token",
    "load_or_create_token",
    "may_read",
    "new_csrf_value",
    "require_read",
    "require_write",
    "same_token",
]

TOKEN_ENV = "NEWSFUSE_TOKEN"
TOKEN_COOKIE = "newsfuse_token"
CSRF_COOKIE = "newsfuse_csrf"
_MIN_TOKEN = 16


def same_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison; a missing token is simply wrong."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def load_or_create_token(token_file: Path | None) -> tuple[str, bool]:
    """``$NEWSFUSE_TOKEN``, else the token kept in ``token_file``, else a new one written there.

    Returns the token and whether it was just made (so ``serve`` prints it once).  Raises
    ``ValueError`` for a token too short to be a secret.
    """
    from_env = os.environ.get(TOKEN_ENV)
    if from_env is not None:
        if len(from_env) < _MIN_TOKEN:
            raise ValueError(f"${TOKEN_ENV} is shorter than {_MIN_TOKEN} characters")
        return from_env, False
    if token_file is not None and token_file.exists():
        kept = token_file.read_text(encoding="utf-8").strip()
        if len(kept) < _MIN_TOKEN:
            raise ValueError(
                f"{token_file}: the token in it is shorter than {_MIN_TOKEN} characters"
            )
        return kept, False
    made = secrets.token_urlsafe(24)
    if token_file is not None:
        token_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(
            token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR
        )
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(made + "\n")
    return made, True


def _given_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(TOKEN_COOKIE)


def has_token(request: Request) -> bool:
    """Whether the request carries the app's token (header or sign-in cookie)."""
    config: WebConfig = request.app.state.config
    return same_token(_given_token(request), config.token)


async def require_write(request: Request) -> None:
    """Dependency of every write endpoint: 401 unless the token is right."""
    if not has_token(request):
        raise HTTPException(
            status_code=401,
            detail="a valid token is needed: Authorization: Bearer <token> (see newsfuse serve)",
            headers={"WWW-Authenticate": "Bearer"},
        )


def may_read(request: Request) -> bool:
    """Whether the request may read: always on loopback, with the token otherwise."""
    config: WebConfig = request.app.state.config
    return not config.reads_need_token or has_token(request)


async def require_read(request: Request) -> None:
    """Dependency of every read: open on loopback, the token otherwise."""
    config: WebConfig = request.app.state.config
    if config.reads_need_token:
        await require_write(request)


def new_csrf_value() -> str:
    """A fresh random CSRF value for one form."""
    return secrets.token_urlsafe(24)


def check_csrf(request: Request, field_value: str | None) -> None:
    """403 unless the form's CSRF field equals the CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if (
        not cookie
        or not field_value
        or not hmac.compare_digest(cookie.encode(), field_value.encode())
    ):
        raise HTTPException(
            status_code=403, detail="the form's CSRF token is missing or wrong: reload the form"
        )
