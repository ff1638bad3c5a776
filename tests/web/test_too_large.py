"""A request body above MAX_CONTENT_LENGTH gets the app's own 413 page, and its body is
read to the end first: gunicorn drains only 64 KB of an unread body and then closes the
connection, so nginx, still sending the rest, would answer 502 instead of the page
(tests/deploy/test_nginx.py meets the same through the real stack)."""

from __future__ import annotations

import io

from app import errors


def post(client, size: int):
    body = io.BytesIO(b"x" * size)
    response = client.post(
        "/sign-in",
        input_stream=body,
        content_length=size,
        content_type="application/octet-stream",
    )
    return response, body.tell()


def test_a_too_large_body_is_read_to_the_end_before_the_page(app, client, monkeypatch):
    # Given a limit of 1 KB
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    # When 64 KB more than the limit arrive, then the app's page answers, the body read
    response, read = post(client, 1024 + 64 * 1024)
    assert response.status_code == 413 and "<html" in response.get_data(True).lower()
    assert read == 1024 + 64 * 1024


def test_a_body_above_the_drain_limit_is_not_read(app, client, monkeypatch):
    # Given a drain limit of 8 KB: a bigger body is refused without being read
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    monkeypatch.setattr(errors, "DRAIN_MAX_BYTES", 8 * 1024)
    response, read = post(client, 9 * 1024)
    assert response.status_code == 413
    assert read == 0
