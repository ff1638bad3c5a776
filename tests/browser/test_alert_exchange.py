"""An alert from one country to three others in the browser: a German officer sends a
professional qualifications alert to France, Italy and Poland; each national coordinator
receives it; France's disseminates it to the Ordre des médecins, which acknowledges and
comments; the sender updates it (the recipient sees what changed) and withdraws it with
a reason. axe-core runs on the inbox, compose, alert and update pages."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Alert, AlertState, AuthorityKind, ProcedureAccess
from app.procedures.store import sync
from tests.browser.helpers import fill_date, sign_in
from tests.factories import make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PROCEDURE_NAME = "Alert on a professional (professional qualifications)"


def _world():
    sync()
    coordinators = {
        c: make_authority(c, name=f"Coordinator {c}", kind=AuthorityKind.NATIONAL_COORDINATOR)
        for c in ("FR", "IT", "PL")
    }
    berlin = make_authority("DE", name="Landesamt Berlin")
    paris = make_authority("FR", name="Ordre des médecins Paris", parent=coordinators["FR"])
    for authority in (berlin, paris):
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id,
                procedure_key="pq_alert",
                roles=["alert_sender", "alert_receiver"],
            )
        )
    db.session.commit()
    return {
        "sender": make_user(berlin, ["alert_handler"]),
        **{c: make_user(a, ["coordinator"]) for c, a in coordinators.items()},
        "paris": make_user(paris, ["alert_handler"]),
    }


def _flash(page, text: str) -> None:
    page.locator(".flash", has_text=text).wait_for()


def _open(page, base: str, reference: str, box: str = "received") -> None:
    page.goto(f"{base}/alerts?box={box}")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("heading", name=re.compile(reference)).wait_for()


def _alert() -> Alert:
    db.session.expire_all()
    return db.session.query(Alert).one()


def test_an_alert_routed_acknowledged_commented_updated_withdrawn(
    app, live_server, new_page, watch
):
    people = _world()
    base = live_server

    sender = new_page()
    sign_in(sender, base, people["sender"].email, people["sender"].totp_secret)
    sender.get_by_role("link", name="Alerts").first.click()
    watch.axe(sender, "alert inbox")
    sender.get_by_role("link", name="New alert").click()
    sender.get_by_label(PROCEDURE_NAME).check()
    sender.get_by_role("button", name="Continue").click()
    watch.axe(sender, "alert compose")
    sender.locator("#field-alert_type-art56a_1").check()
    sender.locator("#field-professional_name").fill("Dr. Hans Beispiel")
    fill_date(sender, "Date of birth", "1975-03-14")
    sender.locator("#field-profession").fill("Doctor of medicine")
    sender.locator("#field-deciding_authority").fill("Landesamt Berlin")
    # a required field missing: refused, what was typed is kept
    sender.locator("#c-FR").check()
    sender.locator("#c-IT").check()
    sender.locator("#c-PL").check()
    sender.get_by_label("Files (optional)").set_input_files(
        [{"name": "decision.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    sender.get_by_role("button", name="Send alert").click()
    sender.locator(".error-summary").wait_for()
    watch.axe(sender, "alert compose with errors")
    assert sender.locator("#field-professional_name").input_value() == "Dr. Hans Beispiel"
    assert sender.locator("#c-PL").is_checked()
    # the file chosen is held and listed, not to be chosen again
    assert sender.locator("#files-held li", has_text="decision.pdf").count() == 1
    fill_date(sender, "Date of the decision", "2026-11-27")
    sender.locator("#field-scope").fill("Full prohibition")
    sender.get_by_role("button", name="Send alert").click()
    _flash(sender, "The alert has been sent.")
    assert sender.get_by_role("link", name="decision.pdf").count() == 1
    reference = sender.locator("h1").inner_text().split()[0]
    watch.axe(sender, "alert page, sender")
    assert {r.country for r in _alert().recipients} == {"FR", "IT", "PL"}

    # Each coordinator receives it
    for country in ("IT", "PL"):
        page = new_page()
        sign_in(page, base, people[country].email, people[country].totp_secret)
        _open(page, base, reference)
    french = new_page()
    sign_in(french, base, people["FR"].email, people["FR"].totp_secret)
    _open(french, base, reference, "disseminate")
    watch.axe(french, "alert page, coordinator")
    french.get_by_label("Ordre des médecins Paris").check()
    french.get_by_role("button", name="Disseminate").click()
    _flash(french, "The alert has been disseminated.")

    # The Ordre acknowledges and comments
    paris = new_page()
    sign_in(paris, base, people["paris"].email, people["paris"].totp_secret)
    _open(paris, base, reference)
    paris.get_by_role("button", name="Acknowledge receipt").click()
    _flash(paris, "You have acknowledged the alert.")
    # the comment is folded away until asked for
    paris.locator("summary", has_text="Add a comment").click()
    paris.locator("#comment-text").fill("Registre vérifié : aucune inscription.")
    paris.get_by_role("button", name="Add comment").click()
    _flash(paris, "Your comment has been added.")

    # The sender sees the comment, updates the alert
    _open(sender, base, reference, "sent")
    assert sender.get_by_text("Registre vérifié : aucune inscription.").count() == 1
    # and, in the recipients table, that the Ordre has acknowledged
    france = sender.locator("tr", has_text="Ordre des médecins")
    assert "Ordre des médecins" in france.locator("td").last.inner_text()
    sender.get_by_role("link", name="Update the alert").click()
    watch.axe(sender, "alert update")
    sender.locator("#field-scope").fill("Prohibition of surgery only")
    sender.locator("#note").fill("Scope narrowed on appeal")
    sender.get_by_role("button", name="Send the new version").click()
    _flash(sender, "The alert has been updated.")

    # The recipient sees what changed
    _open(paris, base, reference)
    assert paris.locator("dt", has_text="Scope").locator(".changed").count() == 1
    assert paris.get_by_text("Prohibition of surgery only").count() == 1
    watch.axe(paris, "alert page, updated, receiver")

    # The sender withdraws it with a reason
    _open(sender, base, reference, "sent")
    sender.get_by_role("link", name="Withdraw the alert").click()
    watch.axe(sender, "alert withdrawal confirmation")
    sender.locator("#reason").fill("Decision annulled")
    sender.get_by_role("button", name="Withdraw the alert").click()
    _flash(sender, "The alert has been withdrawn.")
    assert _alert().state == AlertState.WITHDRAWN
    _open(paris, base, reference)
    assert paris.get_by_text("Decision annulled").count() >= 1
    # the one refusal of the story answered 400, as a form with errors does
    expected = re.compile(r"HTTP 400 POST .*/alerts/new$")
    watch.errors[:] = [e for e in watch.errors if not expected.match(e)]
    watch.assert_clean()
