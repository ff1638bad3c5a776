"""A page read appends its audit row before the page is sent, unsealed; the sealer chains
it later. A read whose row the database refuses still shows nothing (AUD-5)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.records import audit
from tests.factories import sign_in
from tests.web.security.world import build_world


def _reads() -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "request.viewed").order_by(AuditEvent.id)
        )
    )


def test_a_page_read_is_recorded_before_the_page_and_sealed_after(client):
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("the embedded mode seals at the commit itself")
    world = build_world()
    sign_in(client, world.users["handler"])

    response = client.get(world.url("/requests/{request_sent}"))

    assert response.status_code == 200
    (row,) = _reads()
    assert row.hash is None and row.digest is not None
    assert audit.verify().ok
    audit.seal()
    (row,) = _reads()
    assert row.hash is not None and audit.verify().unsealed == 0


def test_a_read_whose_row_the_database_refuses_shows_nothing(client, monkeypatch):
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce the digest's length")
    world = build_world()
    sign_in(client, world.users["handler"])
    # the INSERT itself fails in the database (a digest too long for its column)
    monkeypatch.setattr(audit, "content_digest", lambda event: "x" * 65)

    response = client.get(world.url("/requests/{request_sent}"))

    assert response.status_code == 500
    assert "Ada Example" not in response.get_data(True)
    assert _reads() == []


def test_a_read_whose_commit_fails_shows_nothing(client, monkeypatch):
    # The row is written, but its COMMIT fails (the database went away between the two):
    # the page, which keeps what it loaded across that commit, must not be sent either.
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from app.records import sealing

    world = build_world()
    sign_in(client, world.users["handler"])

    def refuse(session) -> None:
        if session.info.get(sealing.APPENDED):
            raise RuntimeError("connection lost at commit")

    event.listen(Session, "before_commit", refuse)
    try:
        for url in (
            "/requests/{request_sent}",
            "/requests",
            "/search?q=example",
            "/pdf/request/{request_sent}",
        ):
            response = client.get(world.url(url))
            assert response.status_code == 500, url
            assert "Ada Example" not in response.get_data(True), url
    finally:
        event.remove(Session, "before_commit", refuse)
    assert _reads() == []
