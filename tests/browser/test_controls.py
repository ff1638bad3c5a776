"""Checkboxes and radios at the GOV.UK size (issue 16, item 12): each box is a target of
at least 40 by 40 px, and its label, beside it, still ticks it."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Membership
from tests.browser.helpers import sign_in
from tests.factories import make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MIN_PX = 40


def _size(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["width"], box["height"]


def test_radios_and_checkboxes_are_large_and_their_labels_tick_them(
    app, live_server, new_page, watch
):
    # Given an administrator who works for two authorities
    council = make_authority("GR", name="Hellenic Medical Council")
    chamber = make_authority("GR", name="Technical Chamber of Greece")
    admin = make_user(council, ["admin"])
    db.session.add(Membership(user_id=admin.id, authority_id=chamber.id, roles=["viewer"]))
    db.session.commit()
    page = new_page(viewport={"width": 360, "height": 800})
    sign_in(page, live_server, admin.email, admin.totp_secret)

    # When they open their account page, with a radio per authority and a checkbox
    page.goto(f"{live_server}/account")
    radio, checkbox = f"#auth-{chamber.id}", "#auto_translate"

    # Then each box is at least 40 px square
    for selector in (radio, checkbox):
        width, height = _size(page, selector)
        assert width >= MIN_PX and height >= MIN_PX, f"{selector}: {width}x{height} px"
    # and a click on a label ticks its box
    page.locator(f"label[for='auth-{chamber.id}']").click()
    assert page.locator(radio).is_checked()
    page.locator("label[for='auto_translate']").click()
    assert page.locator(checkbox).is_checked()
    watch.axe(page, "account")

    # The same on the invitation form's role checkboxes
    page.goto(f"{live_server}/users/invite")
    width, height = _size(page, "#roles-0")
    assert width >= MIN_PX and height >= MIN_PX, f"#roles-0: {width}x{height} px"
    page.locator("label[for='roles-2']").click()
    assert page.locator("#roles-2").is_checked()
    watch.axe(page, "invite")
    watch.assert_clean()
