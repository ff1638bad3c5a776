"""An e-commerce notification in the browser, in German and French: Berlin's officer (in
German) composes it from the pack, asks France (the Member State of establishment) to
act; the French receiving authority (in French) replies; Berlin notifies the Commission;
the Commission's e-commerce desk (in English) reads that the act sets no fixed period,
and objects. axe-core runs on the inbox, compose and notification pages."""

from __future__ import annotations

import re

import pyotp
import pytest

from app.extensions import db
from app.models import AuthorityKind, Notification, NotificationState, ProcedureAccess
from app.procedures.store import sync
from tests.factories import PASSWORD, make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PROCEDURE = "ecommerce_derogation"


def _world():
    sync()
    coordinator_fr = make_authority(
        "FR", name="Coordinateur FR", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    berlin = make_authority("DE", name="Landesamt Berlin")
    paris = make_authority("FR", name="ARCOM Paris", parent=coordinator_fr)
    desk = make_authority("EU", name="DG CNECT e-commerce desk", kind=AuthorityKind.COMMISSION)
    for authority, roles in (
        (berlin, ["notifier"]),
        (paris, ["notification_receiver"]),
        (desk, ["notification_assessor"]),
    ):
        db.session.add(
            ProcedureAccess(authority_id=authority.id, procedure_key=PROCEDURE, roles=roles)
        )
    db.session.commit()
    return {
        "berlin": make_user(berlin, ["handler"], language="de"),
        "paris": make_user(paris, ["handler"], language="fr"),
        "desk": make_user(desk, ["handler"]),
    }


def sign_in(page, base: str, email: str, totp_secret: str) -> None:
    """Both steps of the sign-in form (tests/browser/helpers.py), then the home page in
    the officer's own language (its heading is not the English one)."""
    page.goto(f"{base}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        pyotp.TOTP(totp_secret).now()
    )
    page.get_by_role("button", name="Sign in").click()
    page.locator("main h1").wait_for()


def _notification() -> Notification:
    db.session.expire_all()
    return db.session.query(Notification).one()


def _act(page, action: str) -> None:
    page.locator(f"form[action$='/{action}'] button[type=submit]").click()
    page.locator(".flash").first.wait_for()


def test_an_ecommerce_notification_asked_replied_notified_objected(
    app, live_server, new_page, watch
):
    people = _world()
    base = live_server

    berlin = new_page()
    sign_in(berlin, base, people["berlin"].email, people["berlin"].totp_secret)
    berlin.goto(f"{base}/notifications")
    assert berlin.locator("html").get_attribute("lang") == "de"
    watch.axe(berlin, "notification inbox (de)")
    berlin.goto(f"{base}/notifications/new")
    berlin.locator(f"#p-{PROCEDURE}").check()
    berlin.locator("form[method=get] button[type=submit]").click()
    watch.axe(berlin, "notification compose (de)")
    berlin.locator("#establishment_country").select_option("FR")
    berlin.locator("#field-service_provider").fill("Paris Sport SAS")
    berlin.locator("#field-service").fill("Online betting")
    berlin.locator("#field-ground-consumers").check()
    berlin.locator("#field-prejudice").fill("Bets from minors.")
    berlin.locator("#field-measures").fill("Blocking for six months.")
    berlin.locator("#field-proportionality").fill("Germany only, six months.")
    berlin.locator("textarea#message").fill("Wir bitten Frankreich, tätig zu werden.")
    berlin.locator("button[name=save]").click()
    berlin.locator("h1 .tag").wait_for()
    watch.axe(berlin, "notification draft (de)")
    _act(berlin, "ask")
    assert _notification().state == NotificationState.ASKED
    reference = berlin.locator("h1").inner_text().split()[0]

    # France replies, in French
    paris = new_page()
    sign_in(paris, base, people["paris"].email, people["paris"].totp_secret)
    paris.goto(f"{base}/notifications?box=reply")
    assert paris.locator("html").get_attribute("lang") == "fr"
    paris.get_by_role("link", name=reference).click()
    paris.get_by_role("heading", name=re.compile(reference)).wait_for()
    watch.axe(paris, "notification page, Member State of establishment (fr)")
    paris.locator("#reply-text").fill("L'opérateur est agréé ; aucune mesure.")
    _act(paris, "reply")

    # Germany notifies
    berlin.reload()
    _act(berlin, "send")
    assert _notification().state == NotificationState.NOTIFIED

    # The desk reads the deadline explained, and objects (the reasons are required)
    desk = new_page()
    sign_in(desk, base, people["desk"].email, people["desk"].totp_secret)
    desk.goto(f"{base}/notifications?box=assess")
    desk.get_by_role("link", name=reference).click()
    assert "no fixed period" in desk.locator("main").inner_text()
    watch.axe(desk, "notification page, Commission desk")
    desk.locator("details", has=desk.locator("#object-reason")).locator("summary").click()
    desk.locator("form[action$='/object'] button[type=submit]").click()
    desk.locator(".error-summary").wait_for()
    watch.axe(desk, "notification objection with errors")
    desk.locator("#object-reason").fill("Blocking the whole site is not proportionate.")
    _act(desk, "object")
    assert _notification().state == NotificationState.OBJECTED
