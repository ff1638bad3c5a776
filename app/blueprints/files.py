"""Stored files as responses (the services say which file; sending it is web glue)."""

from __future__ import annotations

from flask import Response, send_file

from app.cases.attachments import Download


def send_stored(download: Download) -> Response:
    """Hand a stored file over: always as a download, never cached, never sniffed (the
    nosniff header is set for every response)."""
    response = send_file(
        download.path,
        mimetype=download.content_type,
        as_attachment=True,
        download_name=download.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
