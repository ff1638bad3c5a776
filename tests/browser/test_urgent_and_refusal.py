"""Urgent requests and Chapter VI refusals in the browser, in German and French.

A German labour inspectorate asks a French one, urgently (Directive 2014/67/EU Article
6(6)(a): 2 working days), whether a posting undertaking is genuinely established: the
reason is required and, forgotten, asked for on its field with everything else kept.
The French allocator finds it marked in the inbox and under the urgent filter, and its
reply date explained with the article in French. Then the French handler refuses a
request for the recovery of a fine on a ground of Article 17, which the German officer
reads in German. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest

from app.cases import requests
from app.extensions import db
from app.models import Membership, ProcedureAccess, Request, RequestState
from app.policy import Actor
from app.procedures.store import sync
from tests.browser.helpers import sign_in
from tests.browser.test_languages import _switch_language
from tests.factories import make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

POSTING = "posting_genuine_establishment"
RECOVERY = "posting_penalty_recovery"
REASON = "Die Arbeitnehmer sind heute auf einer kontrollierten Baustelle."


def _world():
    sync()
    berlin = make_authority("DE", name="Landesamt für Arbeitsschutz Berlin")
    paris = make_authority("FR", name="Inspection du travail Paris")
    for authority in (berlin, paris):
        for key in (POSTING, RECOVERY):
            db.session.add(
                ProcedureAccess(
                    authority_id=authority.id, procedure_key=key, roles=["requester", "responder"]
                )
            )
    db.session.commit()
    return {
        "requester": make_user(berlin, ["handler"]),
        "allocator": make_user(paris, ["allocator"]),
        "handler": make_user(paris, ["handler"]),
        "paris": paris,
    }


def _actor(user) -> Actor:
    return Actor(user, db.session.query(Membership).filter_by(user_id=user.id).one())


def _newest() -> Request:
    db.session.expire_all()
    return db.session.query(Request).order_by(Request.id.desc()).first()


def _recovery_request(people) -> Request:
    """A request for the recovery of a fine, sent by Berlin to Paris through the services."""
    from tests.web.requests.test_who_may_refuse import DETAILS

    asker = _actor(people["requester"])
    item = requests.save_draft(
        asker,
        requests.Draft(
            RECOVERY,
            people["paris"].id,
            "Construções Lisboa Lda",
            "Bitte treiben Sie die Geldbuße bei.",
            ["recovery_outcome"],
            DETAILS,
        ),
    )
    requests.send(asker, item)
    return item


def test_an_urgent_request_and_a_refusal_in_german_and_french(app, live_server, new_page, watch):
    people = _world()
    base = live_server

    # The German officer composes an urgent request, in German, and forgets the reason
    requester = new_page()
    sign_in(requester, base, people["requester"].email, people["requester"].totp_secret)
    _switch_language(requester, "de")
    requester.goto(f"{base}/requests/new?procedure={POSTING}")
    watch.axe(requester, "compose, urgency levels (de)")
    requester.locator("#responder").select_option(str(people["paris"].id))
    requester.locator("#subject").fill("Construções Lisboa Lda, NIPC 509876543")
    requester.locator("#detail-posted_workers").fill("12")
    requester.locator("#detail-posting_start-day").fill("2")
    requester.locator("#detail-posting_start-month").fill("11")
    requester.locator("#detail-posting_start-year").fill("2026")
    requester.locator("#q-office_in_member_state").check()
    requester.locator("input[name=urgency][value=urgent]").check()
    requester.locator("button[name=send]").click()
    requester.locator(".error-summary").wait_for()
    watch.axe(requester, "compose, reason missing (de)")
    # the reason is asked for on its field; what was chosen and typed is kept
    assert requester.locator("#urgency_reason-error").count() == 1
    assert requester.locator("input[name=urgency][value=urgent]").is_checked()
    assert requester.locator("#subject").input_value().startswith("Construções Lisboa")
    assert requester.locator("#q-office_in_member_state").is_checked()
    requester.locator("#urgency_reason").fill(REASON)
    requester.locator("button[name=send]").click()
    requester.locator("h1 .tag.urgent").wait_for()
    watch.axe(requester, "case page, urgent (de)")
    item = _newest()
    assert (item.state, item.urgency, item.urgency_reason) == (RequestState.SENT, "urgent", REASON)
    assert item.due_basis["working_days"] == 2 and item.due_basis["country"] == "FR"

    # The French allocator finds it marked in the inbox, and under the urgent filter
    allocator = new_page()
    sign_in(allocator, base, people["allocator"].email, people["allocator"].totp_secret)
    _switch_language(allocator, "fr")
    allocator.goto(f"{base}/requests?box=received")
    row = allocator.locator("tr", has_text=item.reference)
    assert row.locator(".tag.urgent").count() == 1
    watch.axe(allocator, "inbox with an urgent request (fr)")
    allocator.locator("#f-urgent").check()
    allocator.locator("#f-urgent").evaluate("box => box.form.requestSubmit()")
    allocator.wait_for_url(re.compile(r"urgent=1"))
    assert allocator.get_by_role("link", name=item.reference).count() == 1
    watch.axe(allocator, "inbox, urgent only (fr)")
    allocator.get_by_role("link", name=item.reference).click()
    allocator.locator("h1 .tag.urgent").wait_for()
    # the reply date is explained with its article, in French, and the reason shown
    details = allocator.locator("details", has=allocator.locator("summary"))
    details.locator("summary").first.click()
    assert "article 6, paragraphe 6, point a)" in allocator.locator("main").inner_text()
    assert REASON in allocator.locator("main").inner_text()
    watch.axe(allocator, "case page, urgent (fr)")

    # The French handler refuses a request for the recovery of a fine (Article 17)
    recovery = _recovery_request(people)
    handler = new_page()
    sign_in(handler, base, people["handler"].email, people["handler"].totp_secret)
    _switch_language(handler, "fr")
    handler.goto(f"{base}/requests/{recovery.id}")
    handler.locator(f"a[href$='/requests/{recovery.id}/refuse']").click()
    watch.axe(handler, "refusal page (fr)")
    # the grounds are the pack's, in French
    assert handler.locator("label", has_text="Article 17, point b)").count() == 1
    submit = handler.locator("main form[method=post] button.button")
    submit.click()
    handler.locator(".error-summary").wait_for()
    watch.axe(handler, "refusal without a ground (fr)")
    handler.locator("input[name=refuse-ground][value=art17_b_below_350]").check()
    handler.locator("#refuse-text").fill("Le montant total est de 300 EUR.")
    submit.click()
    handler.locator(".flash").first.wait_for()
    db.session.expire_all()
    refused = db.session.get(Request, recovery.id)
    assert (refused.state, refused.refusal_ground) == (RequestState.REFUSED, "art17_b_below_350")

    # The German officer reads the ground in German
    requester.goto(f"{base}/requests/{recovery.id}")
    assert "Artikel 17 Buchstabe b" in requester.locator("main").inner_text()
    watch.axe(requester, "case page, refused (de)")
    # The forms refused on purpose answered 400; nothing else went wrong
    expected = re.compile(r"HTTP 400 ")
    watch.errors[:] = [e for e in watch.errors if not expected.match(e)]
    watch.assert_clean()
