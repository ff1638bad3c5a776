"""PostgreSQL restarted mid-request: each acknowledged submission exists exactly once,
no partial rows, and service resumes by itself (a pooled connection that the server ended
is replaced at checkout: app/database.py).

A restart is provoked by ending this run's backends with pg_terminate_backend: between
requests, during one before its commit, and after its commit but before its response
(the officer never sees the answer, and the browser posts the form again)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Request, Submission
from tests.factories import csrf_token, date_input
from tests.faults.conftest import hidden, terminate
from tests.web.requests.conftest import PROCEDURE, as_user

COMPOSE = f"/requests/new?procedure={PROCEDURE}"


def compose_form(client, responder_id: int) -> dict:
    """The compose form as the browser rendered it once: its CSRF token and its key."""
    page = client.get(COMPOSE).get_data(True)
    return {
        "csrf_token": csrf_token_of(page),
        "submission": hidden(page, "submission"),
        "procedure": PROCEDURE,
        "responder": responder_id,
        "subject": "Dr. Marie Dupont, born 1980-04-02",
        "questions": ["legally_established", "registration_status"],
        "message": "Bitte bestätigen Sie die Berufszulassung.",
        "detail-profession": "Doctor of medicine",
        **date_input("detail-date_of_birth", "1980-04-02"),
        "send": "1",
    }


def csrf_token_of(page: str) -> str:
    class Page:
        def get_data(self, as_text):
            return page

    return csrf_token(Page())


def counts() -> tuple[int, int]:
    db.session.expire_all()
    requests = db.session.scalar(select(func.count()).select_from(Request))
    keys = db.session.scalar(select(func.count()).select_from(Submission))
    return requests, keys


@pytest.fixture
def requester(postgres, people):
    return as_user(postgres, people.requester)


@pytest.fixture
def as_in_production(postgres, monkeypatch):
    """A failing request answers 500, as in production, instead of raising in the test."""
    monkeypatch.setitem(postgres.config, "PROPAGATE_EXCEPTIONS", False)


@pytest.fixture
def one_shot(postgres):
    """Install a session hook for one request; removed afterwards."""
    installed = []

    def install(name, hook):
        event.listen(Session, name, hook)
        installed.append((name, hook))

    yield install
    for name, hook in installed:
        event.remove(Session, name, hook)


def test_the_same_compose_form_posted_twice_creates_one_request(requester, people):
    # given the compose form, rendered once
    form = compose_form(requester, people.authorities["paris"].id)
    # when it is posted twice (a double click, a reload after a lost response)
    first = requester.post("/requests/new", data=form)
    second = requester.post("/requests/new", data=form)
    # then one request exists, and both posts lead to its page
    assert first.status_code == second.status_code == 302
    assert first.location == second.location == f"/requests/{db.session.scalar(select(Request.id))}"
    assert counts() == (1, 1)
    # and a form rendered afresh creates a second one
    assert (
        requester.post(
            "/requests/new", data=compose_form(requester, people.authorities["paris"].id)
        ).status_code
        == 302
    )
    assert counts() == (2, 2)


def test_two_posts_of_one_form_at_once_create_one_request(requester, people):
    # given the officer's form, rendered once
    form = compose_form(requester, people.authorities["paris"].id)
    start = Barrier(2)

    def post(_):
        start.wait()
        return requester.post("/requests/new", data=form)

    # when the browser posts it twice at once (a double click reaching two threads)
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(post, range(2)))
    # then one request exists, and both posts lead to its page
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].location == responses[1].location
    assert counts() == (1, 1)


def test_service_resumes_after_the_connections_are_ended(postgres, requester):
    # given an officer's pages served from pooled connections
    assert requester.get("/requests").status_code == 200
    db.session.remove()
    # when PostgreSQL ends every connection of the app (as a restart does)
    assert terminate(postgres) >= 1
    # then the next requests are served: the pool replaces the ended connections
    assert requester.get("/requests").status_code == 200
    assert requester.get("/requests").status_code == 200


def test_a_submission_cut_before_its_commit_leaves_nothing_and_can_be_sent_again(
    postgres, requester, people, one_shot, as_in_production
):
    form = compose_form(requester, people.authorities["paris"].id)
    cut = []

    def end_backend(session, flush_context):
        # the request has been written, not committed: the connection dies now
        if not cut and any(isinstance(o, Request) for o in session.new):
            pid = session.connection().connection.driver_connection.info.backend_pid
            cut.append(terminate(postgres, pid))

    one_shot("after_flush", end_backend)
    # when the connection is lost in the middle of the submission
    response = requester.post("/requests/new", data=form)
    # then the officer is told it failed, and nothing of it was kept
    assert cut == [1]
    assert response.status_code == 500
    assert counts() == (0, 0)
    # and posting the same form again (the browser's retry) creates it, once
    again = requester.post("/requests/new", data=form)
    assert again.status_code == 302
    assert counts() == (1, 1)


def test_a_submission_whose_answer_was_lost_exists_once(
    postgres, requester, people, one_shot, as_in_production
):
    form = compose_form(requester, people.authorities["paris"].id)
    written, cut = [], []

    def note_pid(session, flush_context):
        if not written and any(isinstance(o, Request) for o in session.new):
            written.append(session.connection().connection.driver_connection.info.backend_pid)

    def end_backend(session):
        # committed: the connection dies before the answer goes out
        if written and not cut:
            cut.append(terminate(postgres, written[0]))

    one_shot("after_flush", note_pid)
    one_shot("after_commit", end_backend)
    # when the connection is lost right after the commit
    requester.post("/requests/new", data=form)
    assert cut == [1]
    created = counts()
    assert created == (1, 1)
    # then the browser's retry of the same form creates nothing, and leads to the case
    again = requester.post("/requests/new", data=form)
    assert again.status_code == 302
    assert again.location == f"/requests/{db.session.scalar(select(Request.id))}"
    assert counts() == created
    assert requester.get(again.location).status_code == 200


def test_the_hourly_purge_forgets_form_keys_older_than_a_week(app):
    from datetime import timedelta

    from sqlalchemy import func, select

    from app.extensions import db
    from app.models.base import utcnow
    from app.models.submissions import Submission

    # Given a form taken eight days ago and one taken today
    db.session.add_all(
        [
            Submission(key="old-key", created_at=utcnow() - timedelta(days=8)),
            Submission(key="new-key"),
        ]
    )
    db.session.commit()

    # When the hourly purge runs
    result = app.test_cli_runner().invoke(args=["purge", "--instance", "production"])

    # Then only the old key is gone
    assert result.exit_code == 0 and "1 old form keys deleted" in result.output
    db.session.expire_all()
    assert list(db.session.scalars(select(Submission.key))) == ["new-key"]
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
