"""All htmx header handling lives here (htmx 2.0.11), wrapping htmx-flask's request class."""

from __future__ import annotations

from flask import Response, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_partial() -> bool:
    """An htmx swap asks for a fragment; a history restore or htmx 4 'full' asks for a page."""
    headers = request.headers
    return (
        is_htmx()
        and headers.get("HX-History-Restore-Request") != "true"
        and headers.get("HX-Request-Type", "partial") != "full"
    )


def render(template: str, block: str | None = None, status: int = 200, **context) -> Response:
    """Render the whole page, or only `block` of the same template for an htmx swap."""
    if block and wants_partial():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = Response(body, status=status, mimetype="text/html")
    response.vary.add("HX-Request")
    return response
