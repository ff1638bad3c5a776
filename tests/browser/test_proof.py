"""A coordinator proves a blocked exchange: from the coordination page, by reference and
purpose; the form keeps what was typed when something is missing. axe-core runs on the
form, its errors and the proof."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta

from app.extensions import db
from app.models import Request
from app.models.base import utcnow
from tests.browser.helpers import sign_in
from tests.web.retention.test_blocking import close
from tests.web.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_coordinator_proves_a_blocked_exchange(app, live_server, new_page, watch):
    world = build_world()
    item = db.session.get(Request, world.ids["request_sent"])
    close(item, utcnow() - relativedelta(months=6) - timedelta(days=1))
    coordinator = world.users["coordinator_de"]
    page = new_page()
    sign_in(page, live_server, coordinator.email, coordinator.totp_secret)

    page.goto(f"{live_server}/coordination/")
    page.get_by_role("link", name="Proof of exchange (blocked cases)").click()
    watch.axe(page, "proof form")

    # Without a purpose: an error, and the reference stays in the form
    page.get_by_label("Case reference").fill(item.reference)
    page.get_by_role("button", name="Show the proof").click()
    page.locator(".error-summary").wait_for()
    assert page.get_by_label("Case reference").input_value() == item.reference
    watch.axe(page, "proof form with an error")

    page.get_by_label("Purpose").fill("Court order 4 O 123/27")
    page.get_by_role("button", name="Show the proof").click()
    page.get_by_role("heading", name=item.reference).wait_for()
    assert page.get_by_text("Dr. Ada Example").first.is_visible()
    watch.axe(page, "proof")
    watch.assert_clean()
