"""Blocking (Reg. 1024/2012 art. 14): a closed exchange is visible to its parties until
6 months after closure (18 for "extended" packs), to the second, and then to nobody but
the coordinators of its parties, through the audited proof of exchange."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Alert,
    AlertState,
    AuditEvent,
    PublicCase,
    PublicCaseState,
    RecordState,
    RepositoryRecord,
    Request,
    RequestState,
)
from app.records import retention
from tests.factories import csrf_token
from tests.web.requests.conftest import as_user
from tests.web.security.world import build_world

CLOSED = datetime(2027, 3, 31, 12, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def close(case, at: datetime = CLOSED) -> None:
    """Formal closure at `at` (the services stamp the real time; the clock is what is
    tested here, not the closing)."""
    if isinstance(case, RepositoryRecord):
        case.state, case.updated_at = RecordState.ARCHIVED, at
    else:
        case.state = {
            Request: RequestState.CLOSED,
            Alert: AlertState.CLOSED,
            PublicCase: PublicCaseState.CLOSED,
        }[type(case)]
        case.closed_at = at
    db.session.commit()


def test_closing_fixes_the_dates_from_the_packs_retention_class(app):
    world = build_world()
    request = db.session.get(Request, world.ids["request_sent"])
    record = db.session.get(RepositoryRecord, world.ids["record_own"])  # sanctions: extended
    assert request.block_due is None and record.block_due is None
    close(request)
    close(record)
    assert request.block_due == CLOSED + relativedelta(months=6)
    assert record.block_due == CLOSED + relativedelta(months=18)
    assert request.erase_due == record.erase_due == CLOSED + relativedelta(years=3)
    # a restored record is live again, with no dates
    record.state = RecordState.ACTIVE
    db.session.commit()
    assert record.block_due is None and record.erase_due is None


def test_a_closed_request_vanishes_everywhere_one_second_after_six_months(app):
    world = build_world()
    item = db.session.get(Request, world.ids["request_sent"])
    item.message = "Bitte bestätigen Sie die Zulassung von Frau Quibbleworth."
    db.session.commit()
    close(item)
    reference, case_url = item.reference, f"/requests/{item.id}"
    urls = [
        case_url,
        f"{case_url}/attachments/{world.ids['attachment_sent']}",
        f"/translations/request/{item.id}",
        f"/pdf/request/{item.id}",
    ]
    with time_machine.travel(item.block_due - SECOND, tick=False):
        handler = as_user(app, world.users["handler"])
        for url in urls:
            assert handler.get(url).status_code == 200, url
        assert reference in handler.get("/requests?box=sent&state=closed").text
        assert reference in handler.get("/search?q=quibbleworth").text
    with time_machine.travel(item.block_due + SECOND, tick=False):
        for url in urls:
            assert handler.get(url).status_code == 404, url
        assert reference not in handler.get("/requests?box=sent&state=closed").text
        assert reference not in handler.get("/requests?box=sent").text
        assert reference not in handler.get("/search?q=quibbleworth").text
        # the coordinators, too, only through the proof of exchange
        coordinator = as_user(app, world.users["coordinator_de"])
        assert coordinator.get(case_url).status_code == 404


def test_an_extended_record_stays_visible_until_eighteen_months(app):
    world = build_world()
    record = db.session.get(RepositoryRecord, world.ids["record_own"])
    close(record)
    url = f"/repositories/records/{record.id}"
    listing = "/repositories/pq_sanctions_register?state=archived"
    with time_machine.travel(CLOSED + relativedelta(months=6) + SECOND, tick=False):
        handler = as_user(app, world.users["handler"])
        assert handler.get(url).status_code == 200
    with time_machine.travel(record.block_due - SECOND, tick=False):
        handler = as_user(app, world.users["handler"])  # a year on: a new session
        assert handler.get(url).status_code == 200
        assert record.reference in handler.get(listing).text
    with time_machine.travel(record.block_due + SECOND, tick=False):
        assert handler.get(url).status_code == 404
        assert record.reference not in handler.get(listing).text


def test_alerts_and_public_cases_are_blocked_for_officers_and_the_submitter(app):
    world = build_world()
    alert = db.session.get(Alert, world.ids["alert_sent"])  # an extended (18 months) pack
    case = db.session.get(PublicCase, world.ids["public_case"])
    close(alert)
    close(case)
    token = world.ids["public_token"]
    assert case.block_due == CLOSED + relativedelta(months=6)
    with time_machine.travel(case.block_due - SECOND, tick=False):
        officer = as_user(app, world.users["handler"])
        assert officer.get(f"/public-cases/{case.id}").status_code == 200
        assert officer.get(f"/public/case/{token}").status_code == 200
    with time_machine.travel(case.block_due + SECOND, tick=False):
        assert officer.get(f"/public-cases/{case.id}").status_code == 404
        assert case.reference not in officer.get("/public-cases?state=closed").text
        assert officer.get(f"/public/case/{token}").status_code == 404
    with time_machine.travel(alert.block_due - SECOND, tick=False):
        sender = as_user(app, world.users["alert_handler"])
        assert sender.get(f"/alerts/{alert.id}").status_code == 200
        assert alert.reference in sender.get("/alerts?box=sent").text
    with time_machine.travel(alert.block_due + SECOND, tick=False):
        assert sender.get(f"/alerts/{alert.id}").status_code == 404
        assert alert.reference not in sender.get("/alerts?box=sent").text


def _proof(client, reference: str, purpose: str):
    token = csrf_token(client.get("/proof/"))
    return client.post(
        "/proof/", data={"csrf_token": token, "reference": reference, "purpose": purpose}
    )


def test_coordinators_of_a_party_prove_a_blocked_exchange_with_an_audited_purpose(app):
    world = build_world()
    item = db.session.get(Request, world.ids["request_sent"])
    live = db.session.get(Request, world.ids["request_referred"])
    close(item)
    with time_machine.travel(item.block_due + SECOND, tick=False):
        german = as_user(app, world.users["coordinator_de"])
        page = _proof(german, item.reference, "Court order 4 O 123/27")
        assert page.status_code == 200
        assert "Dr. Ada Example" in page.text and "Autorité de Paris" in page.text
        # the fields in the words of the pack and of the page
        assert "Date of birth of the professional" in page.text
        assert "Person or company concerned" in page.text
        row = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.proof_viewed")
        ).one()
        assert (row.object_type, row.object_id) == ("request", str(item.id))
        assert row.details["purpose"] == "Court order 4 O 123/27"
        assert row.actor_id == world.users["coordinator_de"].id
        # the French coordinator governs the other party
        french = as_user(app, world.users["coordinator_fr"])
        assert "Dr. Ada Example" in _proof(french, item.reference.lower(), "Access request").text
        # the Commission coordinates coordinators, not these authorities
        commission = as_user(app, world.users["coordinator_eu"])
        refused = _proof(commission, item.reference, "Curiosity")
        assert "Dr. Ada Example" not in refused.text and "No blocked case" in refused.text
        # a live case is for its parties, not for the proof
        assert "Dr. Bea Example" not in _proof(german, live.reference, "Checking").text
        # no purpose, no proof; what was typed stays in the form
        empty = _proof(german, item.reference, "")
        assert "Dr. Ada Example" not in empty.text and item.reference in empty.text
        # an officer without the coordinator role has no proof page at all
        handler = as_user(app, world.users["handler"])
        assert handler.get("/proof/").status_code in (403, 404)
    assert (
        len(
            db.session.scalars(
                select(AuditEvent.id).where(AuditEvent.action == "case.proof_viewed")
            ).all()
        )
        == 2
    )
    assert retention.is_blocked(item, CLOSED + relativedelta(months=6) + SECOND)


def test_a_blocked_exchange_leaves_the_data_subject_report(app):
    world = build_world()
    item = db.session.get(Request, world.ids["request_sent"])
    close(item)
    form = {"name": "Ada Example", "purpose": "Access request, ref DPA-2027-3"}
    with time_machine.travel(item.block_due - SECOND, tick=False):
        coordinator = as_user(app, world.users["coordinator_de"])
        token = csrf_token(coordinator.get("/audit/subject"))
        page = coordinator.post("/audit/subject", data={"csrf_token": token, **form})
        assert item.reference in page.text
    with time_machine.travel(item.block_due + SECOND, tick=False):
        token = csrf_token(coordinator.get("/audit/subject"))
        page = coordinator.post("/audit/subject", data={"csrf_token": token, **form})
        assert page.status_code == 200 and item.reference not in page.text
