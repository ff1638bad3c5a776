"""RQ: translations run on the `translation` queue of a real Redis after the asking
transaction commits; a page polls until the worker is done; an engine that is down leaves
the job waiting and RQ tries again later."""

from __future__ import annotations

import pytest
from rq import SimpleWorker
from rq.registry import ScheduledJobRegistry
from rq.serializers import JSONSerializer
from sqlalchemy import select

from app.cases import requests
from app.extensions import db
from app.jobs import QUEUES, queue, redis_connection
from app.models import JobStatus, ProcedureAccess, TranslationJob
from app.policy import Actor
from app.procedures.store import sync
from app.translation import texts as translations
from tests.factories import csrf_token, make_authority, make_user, sign_in
from tests.mt_peers import AppServer, FakeETranslation, FakeLibreTranslate

SPANISH = "¿Puede confirmar que el título de esta enfermera es auténtico y que sigue vigente?"


@pytest.fixture
def libre():
    peer = FakeLibreTranslate().start()
    yield peer
    peer.stop()


def _run_worker(app) -> None:
    queues = [queue(app, name) for name in QUEUES]
    SimpleWorker(queues, connection=redis_connection(app), serializer=JSONSerializer).work(
        burst=True
    )


def _exchange(app, libre):
    """A sent request whose message is Spanish; the reader's interface is English."""
    app.config.update(
        MT_PROVIDER="libretranslate",
        LIBRETRANSLATE_URL=libre.url,
        LIBRETRANSLATE_API_KEY=libre.api_key,
    )
    return _sent_request()


def _sent_request(text: str = SPANISH):
    sync()
    berlin, paris = make_authority("DE"), make_authority("FR")
    for authority in (berlin, paris):
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id,
                procedure_key="pq_good_standing",
                roles=["requester", "responder"],
            )
        )
    db.session.commit()
    writer = make_user(berlin, ["handler"], language="es")
    reader = make_user(paris, ["handler", "allocator"], language="en")
    actor = Actor(writer, writer.memberships[0])
    item = requests.save_draft(
        actor,
        requests.Draft(
            "pq_good_standing",
            paris.id,
            "Dr. Ada Example",
            text,
            ["legally_established"],
            {"profession": "Nurse", "date_of_birth": "1980-01-01"},
        ),
    )
    requests.send(actor, item)
    return item.id, reader


def _client(app):
    from tests.conftest import IsolatedClient

    app.test_client_class = IsolatedClient
    return app.test_client()


def _ask(client, request_id: int):
    page = client.get(f"/requests/{request_id}")
    return client.post(
        f"/translations/request/{request_id}",
        data={"csrf_token": csrf_token(page)},
        headers={"HX-Request": "true"},
    )


@pytest.mark.redis
def test_the_worker_translates_and_the_poller_stops(rq_apps, libre):
    production, _ = rq_apps
    with production.app_context():
        request_id, reader = _exchange(production, libre)
        client = _client(production)
        sign_in(client, reader)

        # Asking queues a job: the block says so and polls
        body = _ask(client, request_id).get_data(as_text=True)
        assert "Translating into English" in body and "data-hx-get=" in body
        assert queue(production, "translation").count == 1 and libre.calls == []
        # nothing personal travels through Redis: the job names a row, not its text
        (job_id,) = queue(production, "translation").job_ids
        assert SPANISH not in str(queue(production, "translation").fetch_job(job_id).args)

        _run_worker(production)
        db.session.expire_all()
        job = db.session.scalars(select(TranslationJob)).one()
        assert job.status == JobStatus.DONE and len(libre.calls) == 1
        poll = client.get(f"/translations/request/{request_id}", headers={"HX-Request": "true"})
        assert f"[en] {SPANISH}" in poll.get_data(as_text=True)
        assert "data-hx-get=" not in poll.get_data(as_text=True)


@pytest.mark.redis
def test_an_engine_down_leaves_the_job_waiting_for_a_retry(rq_apps, libre):
    production, _ = rq_apps
    with production.app_context():
        request_id, reader = _exchange(production, libre)
        client = _client(production)
        sign_in(client, reader)
        libre.mode = "500"
        _ask(client, request_id)
        _run_worker(production)

        db.session.expire_all()
        job = db.session.scalars(select(TranslationJob)).one()
        assert (job.status, job.error, job.attempts) == (JobStatus.PENDING, "unavailable", 1)
        # RQ holds the job for its next try
        registry = ScheduledJobRegistry(queue=queue(production, "translation"))
        assert registry.count == 1
        page = client.get(f"/requests/{request_id}").get_data(as_text=True)
        assert "it will try again later" in page and SPANISH in page

        # the engine is back; the retry (run here directly) finishes the job
        libre.mode = "ok"
        translations.translate(job.id)
        db.session.expire_all()
        assert db.session.get(TranslationJob, job.id).status == JobStatus.DONE


def _use_etranslation(app, peer: FakeETranslation, server: AppServer) -> None:
    """The app's engine is the eTranslation peer, calling the app back on its socket."""
    app.config.update(
        MT_PROVIDER="etranslation",
        ETRANSLATION_URL=f"{peer.url}/etranslation/si/translate",
        ETRANSLATION_APPLICATION=peer.application,
        ETRANSLATION_PASSWORD=peer.password,
        ETRANSLATION_CALLBACK_SECRET="c" * 40,
        PUBLIC_URL=server.url,
    )


@pytest.mark.redis
def test_an_etranslation_callback_before_the_job_commits_finds_it_waiting(rq_apps):
    """eTranslation may post the translation back before the worker has read the request
    id (the peer's at-once mode); the callback must find the job submitted, not miss it
    and leave it waiting for ever. A long text: every piece comes back at once."""
    production, _ = rq_apps
    peer, server = FakeETranslation().start(), AppServer(production)
    peer.mode = "at-once"
    try:
        with production.app_context():
            _use_etranslation(production, peer, server)
            long_text = (SPANISH + "\n\n") * 60  # about 5,000 characters: two pieces
            request_id, reader = _sent_request(long_text)
            client = _client(production)
            sign_in(client, reader)
            _ask(client, request_id)
            _run_worker(production)

            assert len(peer.calls) == 2 and peer.callback_errors == []
            assert [r.status_code for r in peer.callbacks] == [204, 204]
            db.session.expire_all()
            job = db.session.scalars(select(TranslationJob)).one()
            assert job.status == JobStatus.DONE
            assert job.translation.text.replace("[en] ", "") == long_text.strip()
    finally:
        server.stop()
        peer.stop()
