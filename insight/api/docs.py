"""``/docs``: Swagger UI served from the installed ``swagger-ui-bundle-v2`` package, never a CDN.

FastAPI's own docs page loads its script from a CDN and starts it with an inline script, which
the Content-Security-Policy (``insight.api.guards``) forbids; this page loads both from here.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>insight API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""


def mount(app: FastAPI) -> None:
    """The docs page and its assets on ``app``."""
    from swagger_ui_bundle import swagger_ui_path  # the vendored Swagger UI files

    app.mount("/docs/assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs_page() -> HTMLResponse:
        return HTMLResponse(PAGE)
