"""Erasure (Reg. 1024/2012 art. 14): three years after closure, to the second, the
personal data of a case is gone from every table, the upload folder and Redis; the bare
facts of the exchange stay for statistics. The run is idempotent and has a dry run."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis as redis_lib
from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import text

from app.cases import attachments, public, repositories
from app.extensions import db
from app.jobs import queue
from app.models import (
    Alert,
    AlertEvent,
    OutboxMessage,
    PdfExport,
    PublicCase,
    RepositoryRecord,
    Request,
    Translation,
    TranslationJob,
)
from app.records import audit, pdf, retention
from app.translation import texts as translations
from tests.conftest import REDIS_URL
from tests.web.retention.test_blocking import CLOSED, close
from tests.web.security.world import actor_of, build_world
from tests.web.security.world_public import _Upload

SECOND = timedelta(seconds=1)
ERASE = CLOSED + relativedelta(years=3)


def database_hits(marker: str) -> list[str]:
    """Every table of the database, row by row, as text."""
    tables = db.session.scalars(
        text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    ).all()
    hits = []
    for table in tables:
        rows = db.session.scalars(text(f'SELECT t::text FROM "{table}" t'))  # noqa: S608
        hits += [f"{table}: {row[:80]}" for row in rows if marker in row.lower()]
    return hits


def upload_hits(folder: str, marker: str) -> list[str]:
    return [
        str(path)
        for path in Path(folder).rglob("*")
        if path.is_file() and (marker in path.name or marker.encode() in path.read_bytes())
    ]


def redis_hits(prefix: str, marker: str) -> list[str]:
    connection = redis_lib.Redis.from_url(REDIS_URL)
    hits = []
    for key in connection.scan_iter("*"):
        name = key.decode()
        kind = connection.type(key).decode()
        if kind == "hash":
            values = connection.hgetall(key).values()
        elif kind == "list":
            values = connection.lrange(key, 0, -1)
        elif kind == "zset":
            values = connection.zrange(key, 0, -1)
        elif kind == "set":
            values = connection.smembers(key)
        elif kind == "string":
            values = [connection.get(key)]
        else:
            values = []
        if marker in name or any(marker.encode() in (v or b"") for v in values):
            hits.append(name)
    return hits


def plant(marker: str) -> dict:
    """The marker in every place personal data goes: case fields, free text, answers,
    events, files and their names, translations and corrections, a queued translation
    job, mail in the outbox."""
    world = build_world()
    handler = actor_of(world.users["handler"])
    request = db.session.get(Request, world.ids["request_sent"])
    request.subject = f"Dr. {marker} Example"
    request.message = f"Please confirm that Dr. {marker} may practise."
    request.details = {**request.details, "profession": f"Surgeon {marker}"}
    request.questions[0].comment = f"Registered as {marker}"
    db.session.commit()
    attachments.add(
        handler, request, f"{marker}.pdf", io.BytesIO(f"%PDF-1.4\n% {marker}\n%%EOF\n".encode())
    )
    db.session.commit()
    wording = translations.readable(handler, "request", request.id)
    translations.correct(handler, wording, "fr", f"Veuillez confirmer le Dr {marker}.")
    db.session.add(
        Translation(
            source_hash=wording.hash,
            source_language=wording.language,
            target_language="it",
            engine="apertium",
            text=f"Si prega di confermare il Dr. {marker}.",
        )
    )
    pending = TranslationJob(
        kind="request",
        object_id=request.id,
        source_hash=wording.hash,
        source_language=wording.language,
        target_language="pl",
    )
    db.session.add(pending)
    db.session.commit()
    queue(current_app, "translation").enqueue(translations.run_job, "production", pending.id)

    case = db.session.get(PublicCase, world.ids["public_case"])
    case.submitter_name = f"Petra {marker}"
    db.session.commit()
    public.submitter_reply(
        case, f"My employer {marker} refused.", [_Upload(f"{marker}.pdf", b"%PDF-1.4\n%%EOF\n")]
    )
    public.lost_link(case.submitter_email)  # a mail naming the submitter

    alert = db.session.get(Alert, world.ids["alert_sent"])
    alert.message = f"Dr. {marker} was struck off."
    alert.fields = {**alert.fields, "professional_name": f"Dr. {marker}"}
    alert.events.append(AlertEvent(kind="comment", text=f"Also known as {marker}"))
    db.session.commit()

    record = db.session.get(RepositoryRecord, world.ids["record_own"])
    repositories.update(
        handler, record, {**record.fields, "full_name": f"Dr. {marker}"}, f"Renamed {marker}"
    )
    db.session.commit()
    # a PDF record rendered and kept, and one still waiting in the queue
    rendered = pdf.prepare(handler, "request", request, "en")
    pdf.run_export(rendered.id)
    pdf.prepare(handler, "request", request, "de")
    for item in (request, case, alert, record):
        close(item)
    return {
        "request": request.id,
        "public_case": case.id,
        "alert": alert.id,
        "pdf": pdf.path_of(rendered),
    }


def test_erasure_leaves_no_trace_three_years_after_closure(rq_apps):
    production, _training = rq_apps
    marker = f"zq{uuid.uuid4().hex[:14]}"
    prefix, uploads = production.config["REDIS_PREFIX"], production.config["UPLOAD_DIR"]
    with production.app_context():
        ids = plant(marker)
        assert database_hits(marker) and upload_hits(uploads, marker)  # the probes see it
        assert queue(production, "translation").count == 1
        # the world prepared one export of the same request too
        assert queue(production, "pdf").count == 3 and ids["pdf"].is_file()

        before = retention.run(ERASE - SECOND)
        assert before.erased == [] and len(before.blocked) == 4
        assert database_hits(marker) and upload_hits(uploads, marker)
        # blocking took the copies and the waiting jobs away already
        assert queue(production, "translation").count == 0
        assert queue(production, "pdf").count == 0 and before.queued_jobs == 4
        assert not ids["pdf"].exists() and db.session.query(PdfExport).count() == 0

        dry = retention.run(ERASE + SECOND, dry_run=True)
        assert len(dry.erased) == 4 and database_hits(marker)

        after = retention.run(ERASE + SECOND)
        assert len(after.erased) == 4
        assert database_hits(marker) == []
        assert upload_hits(uploads, marker) == []
        assert redis_hits(prefix, marker) == []

        # the facts of the exchange remain, for statistics
        request = db.session.get(Request, ids["request"])
        assert request.state.value == "closed" and request.responder_country == "FR"
        assert request.sent_at is not None and request.erased_at == ERASE + SECOND
        assert request.subject == "" and request.attachments == []
        assert db.session.query(OutboxMessage).count() == 0  # mail older than 90 days

        again = retention.run(ERASE + timedelta(days=1))
        assert again.blocked == [] and again.erased == []
        assert audit.verify().ok


def test_the_command_prints_what_it_blocks_and_erases_and_a_dry_run_changes_nothing(app):
    world = build_world()
    request = db.session.get(Request, world.ids["request_sent"])
    close(request)
    runner = app.test_cli_runner()
    moment = (request.block_due + SECOND).isoformat()
    dry = runner.invoke(args=["retention", "run", "--instance", "production", "--as-of", moment,
                              "--dry-run"])  # fmt: skip
    assert dry.exit_code == 0, dry.output
    assert f"block {request.reference}" in dry.output and "dry run" in dry.output
    db.session.expire_all()
    assert request.blocked_at is None
    done = runner.invoke(args=["retention", "run", "--instance", "production", "--as-of", moment])
    assert f"block {request.reference}" in done.output
    db.session.expire_all()
    assert request.blocked_at == request.block_due + SECOND
    bad = runner.invoke(args=["retention", "run", "--instance", "production", "--as-of", "soon"])
    assert bad.exit_code != 0 and "ISO" in bad.output


def test_the_daily_run_is_scheduled_once_and_schedules_the_next(rq_apps):
    from rq.registry import ScheduledJobRegistry

    from app.jobs import retention as retention_jobs

    production, _training = rq_apps
    with production.app_context():
        now = datetime(2027, 5, 1, 3, 0, tzinfo=UTC)
        first = retention_jobs.ensure_scheduled(production, now)
        assert retention_jobs.ensure_scheduled(production, now) == first  # a second worker
        registry = ScheduledJobRegistry(queue=queue(production, "default"))
        assert registry.get_job_ids() == [first]
        assert retention_jobs.next_run(now) == datetime(2027, 5, 2, 2, 30, tzinfo=UTC)
        assert retention_jobs.next_run(now.replace(hour=1)) == datetime(
            2027, 5, 1, 2, 30, tzinfo=UTC
        )
        # the job itself runs the retention and books the following night
        retention_jobs.daily_job("production")
        assert len(registry.get_job_ids()) == 2
