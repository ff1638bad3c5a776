"""A long case's PDF is prepared by a real RQ worker on the `pdf` queue: the job carries
only the export's id, the page follows it by htmx polling (or a Refresh link), and only
the requesting authority downloads the finished file."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from rq import SimpleWorker
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import select

from app.extensions import db
from app.jobs import queue, redis_connection
from app.models import AuditEvent, ExportStatus, PdfExport
from app.models.base import utcnow
from app.policy import Actor
from app.records import pdf
from tests.conftest import IsolatedClient
from tests.factories import csrf_token, sign_in
from tests.web.pdf.conftest import BULGARIAN, make_request, page_texts, read_pdf

HTMX = {"HX-Request": "true"}


def _client(app, user):
    app.test_client_class = IsolatedClient
    client = app.test_client()
    sign_in(client, user)
    return client


def _raw_job(connection, job_id: str) -> str:
    import zlib

    data = connection.hget(f"rq:job:{job_id}", "data")
    try:
        return zlib.decompress(data).decode()
    except zlib.error:
        return data.decode()


@pytest.mark.redis
def test_a_long_case_is_prepared_by_the_worker_and_downloaded_by_its_authority(
    rq_apps, people, app
):
    production, _ = rq_apps
    requester = _client(production, people.requester)
    # Given a request with more timeline events than are rendered in the request
    events = [(f"{BULGARIAN} {n}", "bg") for n in range(pdf.INLINE_MAX_EVENTS + 5)]
    item = make_request(production, people, events=events, requester=requester)

    # When the requester opens its PDF link: a page offers to prepare it
    page = requester.get(f"/pdf/request/{item.id}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    # ... and they prepare it (a form POST with its CSRF token)
    response = requester.post(
        f"/pdf/request/{item.id}", data={"csrf_token": csrf_token(page)}, follow_redirects=False
    )
    assert response.status_code == 303
    status_url = response.headers["Location"]
    export = db.session.scalars(select(PdfExport)).one()
    assert status_url == f"/pdf/exports/{export.id}"
    assert export.status == ExportStatus.QUEUED and export.kind == "request"

    # Then one job waits on the pdf queue, with only the export's id, as JSON, 60 s at most
    pdf_queue = queue(production, "pdf")
    connection = redis_connection(production)
    (job_id,) = pdf_queue.job_ids
    job = Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
    assert job.func_name == "app.jobs.pdf.render_export"
    assert list(job.args) == ["production", export.id] and job.kwargs == {}
    assert job.timeout == 60
    raw = _raw_job(connection, job_id)
    for personal in (item.subject, BULGARIAN, item.reference):
        assert personal not in raw

    # ... the status partial polls, small, with a plain Refresh link for no-JS browsers
    waiting = requester.get(status_url, headers=HTMX)
    body = waiting.get_data(True)
    assert waiting.status_code == 200 and "<html" not in body
    assert 'data-hx-trigger="every 2s"' in body and f'href="{status_url}"' in body
    assert len(waiting.data) < 3 * 1024

    # When the worker runs
    SimpleWorker([pdf_queue], connection=connection, serializer=JSONSerializer).work(burst=True)

    # Then the export is done, its file complete (no temporary file left beside it)
    db.session.expire_all()
    export = db.session.get(PdfExport, export.id)
    assert export.status == ExportStatus.DONE and export.finished_at is not None
    path = Path(production.config["UPLOAD_DIR"]) / export.file_path
    assert path.parent.name == "pdf" and not list(path.parent.glob(".part-*"))
    # ... the poller stops (no trigger) and offers the download
    done = requester.get(status_url, headers=HTMX).get_data(True)
    assert "data-hx-trigger" not in done
    assert f"/pdf/exports/{export.id}/file" in done
    page = requester.get(status_url).get_data(True)
    assert "<html" in page and f"/pdf/exports/{export.id}/file" in page

    # ... the requester downloads it: every event is in it
    download = requester.get(f"/pdf/exports/{export.id}/file")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert item.reference in download.headers["Content-Disposition"]
    assert download.data == path.read_bytes()
    text = " ".join(page_texts(read_pdf(download.data)))
    assert f"{BULGARIAN} {pdf.INLINE_MAX_EVENTS + 4}" in text
    download.close()

    # ... and nobody else: the other side of the exchange and a foreign authority get 404
    for user in (people.handler, people.italian):
        other = _client(production, user)
        assert other.get(status_url).status_code == 404
        assert other.get(f"/pdf/exports/{export.id}/file").status_code == 404
        assert other.post(f"/pdf/request/{item.id}", data={}).status_code == 400  # no token
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("request.pdf_%"))
    ).all()
    assert actions == ["request.pdf_exported", "request.pdf_downloaded"]
    assert re.fullmatch(r"[0-9]+-[0-9a-f]{16}\.pdf", path.name)


def test_the_job_is_safe_to_run_twice_refuses_unseen_cases_and_files_can_be_deleted(app, people):
    # Given a request and its export, prepared in-process (no Redis)
    item = make_request(app, people)
    requester = people.requester
    actor = Actor(requester, requester.memberships[0])
    export = pdf.prepare(actor, "request", item, "en")
    db.session.expire_all()
    export = db.session.get(PdfExport, export.id)
    assert export.status == ExportStatus.DONE
    path = pdf.path_of(export)
    first = path.read_bytes()

    # When the job runs again, nothing changes
    pdf.run_export(export.id)
    assert db.session.get(PdfExport, export.id).file_path == export.file_path
    assert path.read_bytes() == first

    # An export asked for by an authority that cannot see the case (queued before it
    # lost access, say) fails without rendering anything
    italian = people.italian
    foreign = PdfExport(
        kind="request",
        object_id=item.id,
        user_id=italian.id,
        authority_id=italian.memberships[0].authority_id,
    )
    db.session.add(foreign)
    db.session.commit()
    pdf.run_export(foreign.id)
    assert (foreign.status, foreign.error, foreign.file_path) == (ExportStatus.FAILED, "gone", "")

    # Retention removes every file and row of the case
    assert pdf.delete_files("request", item.id) == 2
    db.session.commit()
    assert not path.exists()
    assert db.session.scalars(select(PdfExport)).all() == []


def test_an_export_lost_on_the_way_stops_polling_and_offers_to_try_again(app, people):
    # Given an export still queued long after any job would have ended (Redis was down
    # when it was asked for, say)
    requester = _client(app, people.requester)
    item = make_request(app, people, requester=requester)
    export = PdfExport(
        kind="request",
        object_id=item.id,
        user_id=people.requester.id,
        authority_id=people.requester.memberships[0].authority_id,
        created_at=utcnow() - pdf.STALE_AFTER - timedelta(seconds=1),
    )
    db.session.add(export)
    db.session.commit()

    # When its page is polled
    body = requester.get(f"/pdf/exports/{export.id}", headers=HTMX).get_data(True)

    # Then the poller stops and a new export can be asked for
    assert "data-hx-trigger" not in body
    assert f'action="/pdf/request/{item.id}"' in body and 'name="csrf_token"' in body
