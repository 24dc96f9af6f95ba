"""``newsfuse serve``: the web app and API over a store (``pip install 'newsfuse[web]'``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsfuse.cli_options import ConfigFile, Overrides, command_settings

__all__ = ["serve"]

_err = Console(
    stderr=True, highlight=False, soft_wrap=True, emoji=False
)  # ":100:" is a line number


def _token_file(store: str) -> Path:
    """Where a generated token is kept: beside a SQLite store, else in the user's config folder."""
    from newsfuse.store.engine import resolve

    location = resolve(store)
    if location.path is not None:
        return location.path.with_name(location.path.name + ".token")
    return Path.home() / ".config" / "newsfuse" / "token"


def serve(
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            "-s",
            help="The store (default: $NEWSFUSE_STORE, else newsfuse.db).",
            show_default=False,
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    config: ConfigFile = None,
    overrides: Overrides = None,
    max_upload_mb: Annotated[
        float, typer.Option("--max-upload-mb", min=0.01, help="Largest request body accepted.")
    ] = 5.0,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Serve the stories of a store in the browser and over a JSON API (OpenAPI at /docs).

    Writes need the token ($NEWSFUSE_TOKEN, else one generated at first start and printed);
    reads need it too when --host is not a loopback address.
    """
    from newsfuse.cli import _guarded
    from newsfuse.cli_store import open_existing_store, store_location

    with _guarded(debug):
        try:
            import uvicorn

            from newsfuse.web.app import create_app
            from newsfuse.web.auth import load_or_create_token
            from newsfuse.web.config import WebConfig, is_loopback
        except ImportError as error:
            _err.print(
                f"newsfuse: error: the web app needs its extra ({error.name} is missing): "
                "pip install 'newsfuse[web]'",
                markup=False,
            )
            raise typer.Exit(1) from None
        target = store_location(store)
        settings = command_settings(config, overrides)
        opened = open_existing_store(store)
        token_file = _token_file(target)
        try:
            token, made = load_or_create_token(token_file)
        except (ValueError, OSError) as error:
            _err.print(f"newsfuse: error: token: {error}", markup=False)
            raise typer.Exit(1) from None
        web = WebConfig(
            store=target,
            settings=settings,
            token=token,
            reads_need_token=not is_loopback(host),
            max_upload_bytes=int(max_upload_mb * 1_000_000),
        )
        app = create_app(web, opened)
        if made:
            _err.print(f"newsfuse: write token (kept in {token_file}): {token}", markup=False)
        reads = "open" if not web.reads_need_token else "token-protected"
        _err.print(
            f"newsfuse: serving {opened.location} on http://{host}:{port}/ (reads {reads}; API docs at /docs)",
            markup=False,
        )
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
