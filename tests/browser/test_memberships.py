"""Memberships in a browser (security review F2): an administrator invites a colleague
who already has an account, who joins signed in; the administrator suspends that
membership after a confirmation; the coordinator who governs all of the person's
authorities suspends the account after one. axe-core runs on every page of the way."""

from __future__ import annotations

import re

import pytest

from app.models import AuthorityKind
from tests.browser.helpers import sign_in, wait_for_mail
from tests.factories import make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _flash(page, text: str) -> None:
    page.locator(".flash", has_text=text).first.wait_for()


def test_invite_join_suspend_membership_then_account(
    app, live_server, new_page, watch, smtp_server
):
    coordinator_authority = make_authority(
        "DE", name="Koordinierungsstelle", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    chamber = make_authority("DE", name="Ärztekammer Berlin", parent=coordinator_authority)
    office = make_authority("DE", name="Landesamt Potsdam", parent=coordinator_authority)
    admin = make_user(chamber, ["admin"])
    colleague = make_user(office, ["handler"], email="kollegin@landesamt.example.eu")
    coordinator = make_user(coordinator_authority, ["coordinator"])

    # The chamber's administrator invites a colleague who works at the Landesamt
    chamber_page = new_page()
    sign_in(chamber_page, live_server, admin.email, admin.totp_secret)
    chamber_page.goto(f"{live_server}/users")
    chamber_page.get_by_role("link", name="Invite a colleague").click()
    chamber_page.get_by_label("E-mail address").fill(colleague.email)
    chamber_page.get_by_label("Full name").fill("Dr. Kollegin")
    chamber_page.get_by_label(re.compile("^Handler")).check()
    chamber_page.get_by_role("button", name="Send the invitation").click()
    _flash(chamber_page, f"The invitation has been sent to {colleague.email}.")
    watch.axe(chamber_page, "members with an open invitation")

    # She opens the link signed in, reads what she would join, and joins
    (mail,) = wait_for_mail(smtp_server, colleague.email)
    link = re.search(r"https?://\S+", mail.get_payload(decode=True).decode()).group(0)
    her_page = new_page()
    sign_in(her_page, live_server, colleague.email, colleague.totp_secret)
    her_page.goto(link)
    her_page.get_by_role("heading", name="Join Ärztekammer Berlin").wait_for()
    watch.axe(her_page, "invitation to join")
    her_page.get_by_role("button", name="Join Ärztekammer Berlin").click()
    _flash(her_page, "You are now a member of Ärztekammer Berlin.")

    # The administrator suspends her access to the chamber, after a confirmation
    chamber_page.goto(f"{live_server}/users")
    chamber_page.get_by_role("link", name=colleague.full_name).click()
    chamber_page.get_by_role("link", name="Suspend access to your authority").click()
    chamber_page.get_by_role(
        "heading", name=f"Suspend access for {colleague.full_name}?"
    ).wait_for()
    watch.axe(chamber_page, "confirm suspending a membership")
    chamber_page.get_by_role("button", name="Suspend access to your authority").click()
    _flash(chamber_page, "Access to your authority is suspended for this user.")
    watch.axe(chamber_page, "member with suspended access")

    # The coordinator, who governs both of her authorities, suspends the account
    coordinator_page = new_page()
    sign_in(coordinator_page, live_server, coordinator.email, coordinator.totp_secret)
    coordinator_page.goto(f"{live_server}/coordination/authorities/{office.id}")
    coordinator_page.get_by_role("link", name=colleague.full_name).click()
    coordinator_page.get_by_role("heading", name=colleague.full_name).wait_for()
    watch.axe(coordinator_page, "a user, for the coordinator")
    coordinator_page.get_by_role("link", name="Suspend the account").click()
    watch.axe(coordinator_page, "confirm suspending an account")
    coordinator_page.get_by_role("button", name="Suspend the account").click()
    _flash(coordinator_page, "The account is suspended.")

    # Her session has ended
    her_page.goto(f"{live_server}/account")
    assert "/sign-in" in her_page.url
    watch.assert_clean()
