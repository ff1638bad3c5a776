"""A public complaint submitted, routed, answered and followed through the private link:
a citizen files a SOLVIT complaint about France with a document, confirms it through the
mailed link; the competent French centre asks for information; the citizen answers
through the private link; the officer replies and closes. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import ProcedureAccess, PublicCase, PublicCaseState
from app.procedures.store import sync
from tests.browser.helpers import sign_in, wait_for_mail
from tests.factories import make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EMAIL = "maria.rossi@example.org"


def _world():
    sync()
    lyon = make_authority("FR", name="Centre SOLVIT France")
    berlin = make_authority("DE", name="SOLVIT Deutschland")
    for authority in (lyon, berlin):
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id, procedure_key="solvit_complaint", roles=["responder"]
            )
        )
    db.session.commit()
    return make_user(lyon, ["handler"])


def _case() -> PublicCase:
    db.session.expire_all()
    return db.session.query(PublicCase).one()


def _link(smtp_server, count: int, kind: str) -> str:
    mails = wait_for_mail(smtp_server, EMAIL, count=count)
    body = mails[count - 1].get_payload(decode=True).decode()
    return re.search(rf"https?://\S+/public/{kind}/\S+", body).group(0)


def test_a_public_complaint_is_submitted_routed_answered_and_followed(
    app, live_server, new_page, watch, smtp_server, tmp_path
):
    officer_user = _world()
    base = live_server

    # The citizen chooses the procedure and the country
    citizen = new_page()
    citizen.goto(f"{base}/public/")
    watch.axe(citizen, "public start")
    # no country is chosen for the citizen: starting without one asks for it
    question = "Which country do you live in or, for a business, is it established in?"
    assert citizen.get_by_label(question).first.input_value() == ""
    citizen.get_by_role("button", name="Start").first.click()
    citizen.locator(".error-summary", has_text="Choose a country.").wait_for()
    watch.axe(citizen, "public start, no country")
    # that refusal is the one 400 expected here
    refused = "HTTP 400 GET " + base + "/public/start?procedure=solvit_complaint&country="
    watch.errors[:] = [e for e in watch.errors if e != refused]
    citizen.get_by_label(question).first.select_option("FR")
    citizen.get_by_role("button", name="Start").first.click()
    citizen.get_by_role("heading", name=re.compile("SOLVIT complaint")).wait_for()
    watch.axe(citizen, "public form")

    # ...fills the form, adds a document and sends it
    citizen.get_by_label("Your full name").fill("Maria Rossi")
    citizen.get_by_label("Your e-mail address").fill(EMAIL)
    citizen.locator("#field-applicant_type-citizen").check()
    citizen.get_by_label("Your nationality").fill("Italian")
    citizen.get_by_label("Which area does your problem concern?").select_option("social_security")
    citizen.get_by_label("In which country did the problem arise?").fill("France")
    citizen.get_by_label("Name of the public authority").fill("CPAM de Lyon")
    citizen.locator("#field-court_action-no").check()
    citizen.locator("#field-consent_share-yes").check()
    document = tmp_path / "s1-form.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")
    citizen.get_by_label("Documents (optional)").set_input_files(str(document))
    # sent without the description: the form comes back with the document held and listed
    citizen.get_by_role("button", name="Send").click()
    citizen.locator(".error-summary").wait_for()
    watch.axe(citizen, "public form with errors")
    assert citizen.locator("#documents-held li", has_text="s1-form.pdf").count() == 1
    assert citizen.get_by_label("Your nationality").input_value() == "Italian"
    refused = "HTTP 400 POST " + base + "/public/solvit_complaint/FR/new"
    watch.errors[:] = [e for e in watch.errors if e != refused]
    citizen.get_by_label("Describe your case").fill("My S1 form was refused by the CPAM.")
    citizen.get_by_role("button", name="Send").click()
    citizen.get_by_role("heading", name="Check your e-mail").wait_for()
    watch.axe(citizen, "public sent")
    assert _case().state == PublicCaseState.UNCONFIRMED
    assert [d.filename for d in _case().documents] == ["s1-form.pdf"]

    # ...confirms through the mailed link (opening it alone confirms nothing)
    citizen.goto(_link(smtp_server, 1, "confirm"))
    watch.axe(citizen, "public confirm")
    assert _case().state == PublicCaseState.UNCONFIRMED
    citizen.get_by_role("button", name="Confirm and send my case").click()
    citizen.get_by_role("heading", name="Your case has been sent").wait_for()
    reference = _case().reference

    # The French officer finds it in the public cases and asks for information
    officer = new_page()
    sign_in(officer, base, officer_user.email, officer_user.totp_secret)
    officer.get_by_role("link", name="Public cases").click()
    watch.axe(officer, "public cases inbox")
    officer.get_by_role("link", name=reference).click()
    officer.get_by_role("heading", name=re.compile(reference)).wait_for()
    watch.axe(officer, "public case (officer)")
    assert officer.get_by_text("Maria Rossi").count() >= 1
    # a new case: accepting it is the next action; writing is folded away until asked for
    officer.locator("summary", has_text="Write to the submitter").click()
    officer.get_by_label("Message to the submitter").fill("Please send the refusal letter.")
    officer.get_by_role("button", name="Ask the submitter for information").click()
    officer.locator(".flash", has_text="Your question has been sent").wait_for()

    # The citizen follows the private link and answers with a document
    citizen.goto(_link(smtp_server, 3, "case"))
    citizen.get_by_text("Please send the refusal letter.").wait_for()
    citizen.get_by_text("Your SOLVIT centre is waiting for your answer").wait_for()
    watch.axe(citizen, "public case (submitter)")
    citizen.get_by_label("Your message").fill("Here is the refusal letter.")
    letter = tmp_path / "refusal.pdf"
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    citizen.get_by_label("Add documents (optional)").set_input_files(str(letter))
    citizen.get_by_role("button", name="Send").click()
    citizen.get_by_text("Your message has been sent to the authority.").wait_for()
    assert _case().state == PublicCaseState.IN_PROGRESS

    # The officer reads the answer, replies and closes
    officer.reload()
    officer.get_by_text("Here is the refusal letter.").wait_for()
    officer.get_by_role("link", name="refusal.pdf").wait_for()
    officer.get_by_label("Message to the submitter").fill("Solved: the S1 form is issued.")
    officer.get_by_role("button", name="Reply").click()
    officer.locator(".flash", has_text="Your reply has been sent").wait_for()
    officer.get_by_role("link", name="Close the case").click()
    watch.axe(officer, "public case closing confirmation")
    officer.get_by_label("Outcome").select_option("not_within_scope")
    officer.get_by_label("Closing note (optional)").fill("A court decides on it.")
    officer.get_by_role("button", name="Close the case").click()
    officer.locator(".flash", has_text="The case has been closed").wait_for()

    # The citizen sees the outcome through the newest link
    citizen.goto(_link(smtp_server, 5, "case"))
    citizen.get_by_text("Solved: the S1 form is issued.").wait_for()
    citizen.get_by_text("Closed: your problem is not one SOLVIT can deal with.").wait_for()
    watch.axe(citizen, "public case closed")
    assert _case().state == PublicCaseState.CLOSED
    watch.assert_clean()
