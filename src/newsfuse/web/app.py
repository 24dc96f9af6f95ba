"""The application factory: ``create_app(config)`` wires the store, the caches and the routes.

Static assets are a fixed set read from the package (``static/`` and the report's script); no
path from a request ever reaches the file system, so nothing outside them can be served.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from newsfuse import __version__
from newsfuse.outputs.html import REPORT_SCRIPT
from newsfuse.store import Store
from newsfuse.web import api, forms, pages
from newsfuse.web.catalog import ListingCache
from newsfuse.web.config import WebConfig
from newsfuse.web.docs import api_docs
from newsfuse.web.jobs import IngestQueue
from newsfuse.web.reports import ReportCache
from newsfuse.web.security import BodyLimit, SecurityHeaders
from newsfuse.web.state import AppState

__all__ = ["create_app", "static_assets"]

_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def static_assets() -> dict[str, tuple[bytes, str]]:
    """Every asset the app serves, by name: its bytes and media type."""
    assets: dict[str, tuple[bytes, str]] = {
        "report.js": (REPORT_SCRIPT.encode("utf-8"), _TYPES[".js"])
    }
    folder = resources.files("newsfuse.web").joinpath("static")
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in _TYPES:
            assets[entry.name] = (entry.read_bytes(), _TYPES[suffix])
    return assets


def _validation_message(error: RequestValidationError) -> str:
    """One line naming each field that is wrong: ``body.articles.0.colour: unknown field``."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()))
        what = (
            "unknown field"
            if problem.get("type") == "extra_forbidden"
            else problem.get("msg", "invalid")
        )
        parts.append(f"{where}: {what}")
    return "; ".join(parts)


def create_app(config: WebConfig, store: Store | None = None) -> FastAPI:
    """The app over ``config.store`` (opened here unless ``store`` is given)."""
    reading = store or Store.open(config.store)
    jobs = IngestQueue(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.close()
        if store is None:
            reading.close()

    app = FastAPI(
        title="newsfuse",
        version=__version__,
        description="Stories, their sourced reports, and the reports they are made of.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads its script from a CDN; /docs is our own page instead
        redoc_url=None,
    )
    app.state.config = config
    app.state.newsfuse = AppState(
        config=config,
        store=reading,
        reports=ReportCache(reading, config.settings, config.report_cache_size),
        listings=ListingCache(reading),
        jobs=jobs,
    )
    assets = static_assets()

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        found = assets.get(name)
        if found is None:
            raise HTTPException(404, "no such asset")
        return Response(found[0], media_type=found[1], headers={"cache-control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return api_docs(app.openapi())

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # No icon, and no 404 in every reader's console for the one browsers ask for.
        return Response(status_code=204)

    @app.exception_handler(RequestValidationError)
    async def unprocessable(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            {"detail": _validation_message(error), "errors": jsonable_encoder(error.errors())},
            status_code=422,
        )

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(forms.router)
    app.add_middleware(BodyLimit, max_bytes=config.max_upload_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: a refused body gets the headers too
    return app
