"""``/docs``: the API's OpenAPI description as a page of the app.

FastAPI's own ``/docs`` is Swagger UI, whose script comes from a CDN: this app serves every asset
itself and runs no inline script, so the same description is rendered here, server-side.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import HTMLResponse

from newsfuse.web.render import page

__all__ = ["api_docs"]


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
    return page(
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
