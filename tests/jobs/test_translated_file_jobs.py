"""Translated copies of files through a real Redis and RQ worker: the copy is made after
the asking transaction commits, nothing of the file travels through Redis, an engine
that is down leaves it waiting for RQ's retry; a blocked case's pending copies leave the
queue; erasure takes the copies and their files with the originals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select

from app.cases import attachments
from app.extensions import db
from app.jobs import queue
from app.models import JobStatus, Request, TranslatedFile, User
from app.policy import Actor
from app.records import retention
from app.translation import files
from tests.factories import csrf_token, sign_in
from tests.jobs import test_translation_jobs as text_jobs
from tests.mt_peers import AppServer, FakeETranslation
from tests.web.retention.test_blocking import CLOSED, close

libre = text_jobs.libre  # the LibreTranslate peer, as the text translations' tests use it
_run_worker = text_jobs._run_worker
GERMAN = "Die Approbation ist gültig und es liegen keine Sanktionen vor.\n"


def _exchange(app, libre):
    """A sent request (tests/jobs/test_translation_jobs.py) with a German text file that
    its requester attached; the reader's language is English."""
    return _attach(*text_jobs._exchange(app, libre))


def _attach(request_id: int, reader):
    item = db.session.get(Request, request_id)
    writer = db.session.get(User, item.requester_user_id)
    actor = Actor(writer, writer.memberships[0])
    attachment = attachments.add(actor, item, "Bescheinigung.txt", io.BytesIO(GERMAN.encode()))
    db.session.commit()
    return request_id, attachment.id, reader


def _client(app, user):
    from tests.conftest import IsolatedClient

    app.test_client_class = IsolatedClient
    client = app.test_client()
    sign_in(client, user)
    return client


def _ask(client, request_id: int, attachment_id: int, target: str = "en"):
    page = client.get(f"/requests/{request_id}")
    return client.post(
        f"/translations/files/request/{request_id}/{attachment_id}/translations",
        data={"csrf_token": csrf_token(page), "source": "de", "target": target},
        headers={"HX-Request": "true"},
    )


def _copy() -> TranslatedFile:
    db.session.expire_all()
    return db.session.scalars(select(TranslatedFile)).one()


@pytest.mark.redis
def test_the_worker_makes_the_copy_and_the_poller_stops(rq_apps, libre):
    production, _ = rq_apps
    with production.app_context():
        request_id, attachment_id, reader = _exchange(production, libre)
        client = _client(production, reader)

        body = _ask(client, request_id, attachment_id).get_data(as_text=True)
        assert "Translating into English" in body and "data-hx-get=" in body
        assert queue(production, "translation").count == 1
        assert not [c for c in libre.calls if "file" in c]
        # nothing of the file travels through Redis: the job names a row
        (job_id,) = queue(production, "translation").job_ids
        assert job_id == files.rq_job_id(_copy().id)
        assert "Approbation" not in str(queue(production, "translation").fetch_job(job_id).args)

        _run_worker(production)
        copy = _copy()
        assert copy.status == JobStatus.DONE and copy.filename == "Bescheinigung (en).txt"
        stored = attachments.path_for(copy.storage_name)
        assert stored.read_text() == f"[en] {GERMAN}"
        url = f"/translations/files/request/{request_id}/{attachment_id}/translations"
        poll = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "Bescheinigung (en).txt" in poll and "data-hx-get=" not in poll


@pytest.mark.redis
def test_an_engine_down_leaves_the_copy_waiting_for_a_retry(rq_apps, libre):
    production, _ = rq_apps
    with production.app_context():
        request_id, attachment_id, reader = _exchange(production, libre)
        client = _client(production, reader)
        _ask(client, request_id, attachment_id)
        libre.mode = "500"
        _run_worker(production)

        copy = _copy()
        assert (copy.status, copy.error, copy.attempts) == (JobStatus.PENDING, "unavailable", 1)
        assert ScheduledJobRegistry(queue=queue(production, "translation")).count == 1
        page = client.get(f"/requests/{request_id}").get_data(as_text=True)
        assert "it will try again later" in page

        libre.mode = "ok"
        files.translate(copy.id)  # the retry, run here directly
        assert _copy().status == JobStatus.DONE


@pytest.mark.redis
def test_blocking_drops_a_pending_copy_and_its_queued_job(rq_apps, libre):
    production, _ = rq_apps
    with production.app_context():
        request_id, attachment_id, reader = _exchange(production, libre)
        _ask(_client(production, reader), request_id, attachment_id)
        assert queue(production, "translation").count == 1
        close(db.session.get(Request, request_id))

        report = retention.run(as_of=CLOSED + relativedelta(months=6))
        assert report.blocked and report.queued_jobs >= 1
        assert queue(production, "translation").count == 0
        assert db.session.scalar(select(func.count()).select_from(TranslatedFile)) == 0


@pytest.mark.redis
def test_erasure_takes_the_copies_and_their_files(rq_apps, libre):
    production, _ = rq_apps
    with production.app_context():
        request_id, attachment_id, reader = _exchange(production, libre)
        _ask(_client(production, reader), request_id, attachment_id)
        _run_worker(production)
        stored = attachments.path_for(_copy().storage_name)
        assert stored.exists()
        close(db.session.get(Request, request_id))

        # blocked: the ready copy stays with its original, out of reach; the sweep of
        # orphan files keeps it (its row names it)
        retention.run(as_of=CLOSED + relativedelta(months=6) + relativedelta(hours=2))
        assert stored.exists() and _copy().status == JobStatus.DONE
        # erased: gone with the original, row and file
        retention.run(as_of=CLOSED + relativedelta(years=3))
        assert db.session.scalar(select(func.count()).select_from(TranslatedFile)) == 0
        assert not stored.exists()
        folder = Path(production.config["UPLOAD_DIR"]) / "attachments"
        assert not [p for p in folder.rglob("*") if p.is_file() and b"[en]" in p.read_bytes()]


@pytest.mark.redis
def test_an_etranslation_file_posted_back_before_the_job_commits_finds_it_waiting(rq_apps):
    """The file comes back before the worker has read the request id (the peer's at-once
    mode): the copy, committed as submitted before the engine had it, takes it."""
    production, _ = rq_apps
    peer, server = FakeETranslation().start(), AppServer(production)
    peer.mode = "at-once"
    try:
        with production.app_context():
            text_jobs._use_etranslation(production, peer, server)
            request_id, attachment_id, reader = _attach(*text_jobs._sent_request())
            _ask(_client(production, reader), request_id, attachment_id)
            _run_worker(production)

            assert [r.status_code for r in peer.callbacks] == [204]
            copy = _copy()
            assert copy.status == JobStatus.DONE
            assert attachments.path_for(copy.storage_name).read_text() == f"[en] {GERMAN}"
    finally:
        server.stop()
        peer.stop()
