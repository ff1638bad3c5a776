"""SOLVIT as it works: a complaint goes to the home centre of the applicant's country,
which contacts them, checks the scope and submits the case to the lead centre of the
country where the problem arose; the lead centre accepts or rejects it; the centres write
to each other out of the applicant's sight; the case closes with its outcome, and a
structural problem goes to the Commission's SOLVIT desk as a summary without the
applicant's personal data. Each stage runs its clock, with reminders."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.cases import public, reminders
from app.cases.public import solvit
from app.extensions import db
from app.models import AuditEvent, PublicCase
from app.models import PublicCaseState as S
from app.models.base import utcnow
from tests.factories import csrf_token
from tests.snapshots import restored
from tests.web.public.conftest import visitor
from tests.web.public.solvit_world import (
    DESCRIPTION,
    EMAIL,
    NAME,
    actor,
    build,
    complaint,
)
from tests.web.requests.conftest import as_user


@pytest.fixture
def world(app):
    return restored("solvit: world", build)


def _tracking(smtp_server) -> str:
    """The newest tracking link mailed to the applicant (each mail replaces the last)."""
    link = smtp_server.link_in(EMAIL, r"https?://\S+/public/case/\S+")
    return re.sub(r"^https?://[^/]+", "", link)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(True)


def test_a_complaint_goes_to_the_centre_the_directory_marks_in_the_applicants_country(app, world):
    # given an unmarked French office that comes first by name, and the French SOLVIT centre
    # when a French resident's complaint is confirmed
    case, _token = complaint(world)

    # then it goes to the SOLVIT centre, whose 7-day contact clock runs from receipt
    assert case.authority_id == world.authorities["home"].id
    assert case.state == S.SUBMITTED
    assert (case.clock, case.due_on) == ("contact", case.submitted_at.date() + timedelta(days=7))


def test_the_centres_take_a_case_through_every_stage_and_the_applicant_reads_only_the_home_centre(
    app, world, smtp_server
):
    home = as_user(app, world.users["home handler"])
    lead = as_user(app, world.users["lead handler"])
    case, _token = complaint(world)
    url = f"/public-cases/{case.id}"

    # the home centre contacts the applicant: the 30-day clock from receipt now runs
    page = _page(home, url)
    assert (
        home.post(
            f"{url}/reply",
            data={
                "csrf_token": csrf_token(home.get(url)),
                "text": "Nous avons reçu votre plainte.",
            },
        ).status_code
        == 302
    )
    case = db.session.get(PublicCase, case.id)
    db.session.refresh(case)
    assert case.contacted_at is not None
    assert (case.clock, case.due_on) == ("submit", case.submitted_at.date() + timedelta(days=30))
    # the lead centre does not see it before it is submitted to it
    assert lead.get(url).status_code == 404

    # the home centre submits it to the German centre with a summary the applicant never reads
    page = _page(home, url)
    assert "Submit the case to the lead centre" in page
    summary = "Familienkasse stopped Kindergeld; Art. 67 of Regulation 883/2004."
    response = home.post(
        f"{url}/solvit/submit_to_lead",
        data={
            "lead-csrf_token": csrf_token(home.get(url)),
            "lead-lead_country": "DE",
            "lead-text": summary,
            "lead-version": str(case.version),
        },
    )
    assert response.status_code == 302, response.get_data(True)[:3000]
    db.session.refresh(case)
    assert case.state == S.WITH_LEAD and case.lead_authority_id == world.authorities["lead"].id
    assert case.clock == "accept"
    notice = smtp_server.to("jonas@solvit-de.example.eu")[-1].get_payload(decode=True).decode()
    assert case.reference in notice and NAME not in notice

    # the lead centre sees the case in its inbox, marked new, and reads the summary
    inbox = _page(lead, "/public-cases")
    assert case.reference in inbox and "tag" in inbox
    page = _page(lead, url)
    assert summary in page and "Accept the case as lead centre" in page
    assert "Write to the submitter" not in page  # the applicant is the home centre's

    # the lead centre rejects it with a reason: back to the home centre, out of its sight
    response = lead.post(
        f"{url}/solvit/lead_reject",
        data={
            "reject-csrf_token": csrf_token(lead.get(url)),
            "reject-text": "Please add the Familienkasse's decision.",
        },
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.state == S.IN_PROGRESS and case.lead_authority_id is None
    assert case.clock == "submit"
    assert lead.get(url).status_code == 404

    # submitted again, accepted: the 10-week clock runs from acceptance, and the applicant
    # is told by a new link (the stage, none of the centres' words)
    home.post(
        f"{url}/solvit/submit_to_lead",
        data={
            "lead-csrf_token": csrf_token(home.get(url)),
            "lead-lead_country": "DE",
            "lead-text": summary + " Decision attached.",
        },
    )
    mailed = len(smtp_server.to(EMAIL))
    assert (
        lead.post(
            f"{url}/solvit/lead_accept", data={"accept-csrf_token": csrf_token(lead.get(url))}
        ).status_code
        == 302
    )
    db.session.refresh(case)
    assert case.state == S.LEAD_WORKING
    assert (case.clock, case.due_on) == ("solve", case.lead_accepted_at.date() + timedelta(days=70))
    assert len(smtp_server.to(EMAIL)) == mailed + 1
    newest = smtp_server.to(EMAIL)[-1].get_payload(decode=True).decode()
    assert case.reference in newest and "/public/case/" in newest
    assert "Decision attached" not in newest

    # the centres write to each other
    internal = "The Familienkasse agrees to review the file."
    assert (
        lead.post(
            f"{url}/solvit/centre_message",
            data={"centre-csrf_token": csrf_token(lead.get(url)), "centre-text": internal},
        ).status_code
        == 302
    )
    assert internal in _page(home, url)

    # the applicant reads the stage in plain words, and none of the centres' texts
    tracking = _page(visitor(app), _tracking(smtp_server))
    assert "has taken on your case and aims to solve it within 10 weeks" in tracking
    assert "Nous avons reçu votre plainte." in tracking
    for secret in (summary, internal, "Please add the Familienkasse's decision."):
        assert secret not in tracking

    # the home centre closes it as a structural problem and hands it to the Commission
    response = home.post(
        f"{url}/close",
        data={
            "csrf_token": csrf_token(home.get(f"{url}/close")),
            "outcome": "structural_problem",
            "text": "The rule itself breaks EU law.",
            "confirm": "close",
        },
    )
    assert response.status_code == 302, response.get_data(True)[:3000]
    db.session.refresh(case)
    assert (case.state, case.outcome, case.clock) == (S.CLOSED, "structural_problem", None)
    handover = "German rule requires a residence certificate for cross-border workers."
    assert (
        home.post(
            f"{url}/solvit/hand_over",
            data={"handover-csrf_token": csrf_token(home.get(url)), "handover-text": handover},
        ).status_code
        == 302
    )
    db.session.refresh(case)
    assert case.desk_id == world.authorities["desk"].id

    # the desk reads the summary and what the case is about, never the applicant
    desk = as_user(app, world.users["desk"])
    assert case.reference in _page(desk, "/public-cases/structural-problems")
    page = _page(desk, f"/public-cases/structural-problems/{case.id}")
    assert handover in page and "Familienkasse Baden-Württemberg" in page
    for personal in (NAME, EMAIL, DESCRIPTION, "French"):
        assert personal not in page
    # ... and not the case itself
    assert desk.get(url).status_code == 404
    assert _page(visitor(app), _tracking(smtp_server)).count(handover) == 0
    read = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "public_case.viewed",
            AuditEvent.object_id == str(case.id),
            AuditEvent.authority_id == world.authorities["desk"].id,
        )
    ).all()
    assert len(read) == 1


@pytest.mark.parametrize(
    ("stage", "outcome", "text", "refusal"),
    [
        ("in_progress", "resolved", "Solved.", "outcome"),
        ("in_progress", "not_within_scope", "", "text"),
        ("lead_working", "not_within_scope", "Out of scope.", "outcome"),
        ("lead_working", "", "Solved.", "outcome"),
    ],
)
def test_the_outcome_must_fit_the_stage_and_out_of_scope_needs_its_reason(
    app, world, stage, outcome, text, refusal
):
    case, _token = complaint(world, stage)
    with pytest.raises(public.PublicError) as refused:
        public.act(actor(world.users["home handler"]), case, "close", text, outcome=outcome)
    assert refused.value.code == refusal
    db.session.rollback()
    db.session.refresh(case)
    assert case.state != S.CLOSED and case.outcome is None


def test_out_of_scope_closes_with_the_reason_the_applicant_reads(app, world, smtp_server):
    case, _token = complaint(world, "in_progress")
    reason = "Votre problème concerne une entreprise privée, pas une autorité publique."
    public.act(
        actor(world.users["home handler"]), case, "close", reason, outcome="not_within_scope"
    )
    page = _page(visitor(app), _tracking(smtp_server))
    assert reason in page and "not one SOLVIT can deal with" in page


def test_a_case_can_go_only_to_another_country_with_a_centre(app, world):
    case, _token = complaint(world, "in_progress")
    home = actor(world.users["home handler"])
    for country in ("FR", "PL", ""):
        with pytest.raises(public.PublicError) as refused:
            public.act(home, case, "submit_to_lead", "Summary.", lead_country=country)
        assert refused.value.code == "lead"
        db.session.rollback()


def test_each_clock_reminds_the_centre_it_binds_and_marks_it_overdue(app, world, smtp_server):
    # given a case waiting for the lead centre's acceptance, its week gone by
    case, _token = complaint(world, "with_lead")
    case.sent_to_lead_at = utcnow() - timedelta(days=8)
    solvit.set_clock(case)
    db.session.commit()
    assert case.due_on < utcnow().date()

    # when the reminders run, then the lead centre is told it is overdue, once
    assert reminders.remind_all(utcnow().date()) >= 1
    assert reminders.remind_all(utcnow().date()) == 0
    mails = smtp_server.to("jonas@solvit-de.example.eu")
    assert any("overdue" in m.get_payload(decode=True).decode() for m in mails)
    # and the lead centre's inbox and case page mark it
    lead = as_user(app, world.users["lead handler"])
    row = re.search(rf"{case.reference}.*?</tr>", _page(lead, "/public-cases"), re.S).group(0)
    assert "overdue" in row
    assert "overdue" in _page(lead, f"/public-cases/{case.id}")
