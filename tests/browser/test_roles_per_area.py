"""Roles per legislative area in a browser, in English and in German: a local
administrator limits a colleague's handler role to the services area (after a refused
attempt with no area ticked), and the list of users says where the role holds. axe-core
runs on every page of the way."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext

from app import vocabulary
from app.extensions import db
from app.models import Membership
from app.procedures.store import sync
from tests.browser.helpers import sign_in
from tests.factories import make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _t(language: str, text: str, **values) -> str:
    """An interface text as the page shows it in `language` (English where the catalogs
    do not have it yet)."""
    with force_locale(language):
        return gettext(text, **values)


def _switch_language(page, language: str) -> None:
    """As a person does it: choose in the header's list and press the button."""
    page.locator("#lang-select").select_option(language)
    page.locator(".lang-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", ["en", "de"])
def test_an_administrator_limits_a_role_to_one_area(app, live_server, new_page, watch, language):
    sync()
    chamber = make_authority("AT", name="Österreichische Ärztekammer")
    admin = make_user(chamber, ["admin"])
    colleague = make_user(chamber, ["handler"], email=f"kollegin-{language}@aek.example.eu")
    role = _t(language, "Handler: sends and answers requests").split(":")[0].strip()
    services = vocabulary.label("area.services", language)

    # The administrator signs in, reads in the chosen language, opens the colleague
    page = new_page()
    sign_in(page, live_server, admin.email, admin.totp_secret)
    if language != "en":
        _switch_language(page, language)
    page.goto(f"{live_server}/users")
    page.get_by_role("link", name=colleague.full_name).click()
    legend = _t(language, "Legislative areas: %(role)s", role=role)
    scope = page.get_by_role("group", name=legend, exact=True)
    watch.axe(page, f"a member's roles and areas ({language})")

    # Only some areas, but none ticked: refused, with one error on the handler's areas
    scope.get_by_label(_t(language, "Only the areas ticked")).check()
    page.get_by_role("button", name=_t(language, "Save the roles")).click()
    error = _t(language, "Tick the areas of this role, or choose all legislative areas.")
    page.locator(".error-summary", has_text=error).wait_for()
    assert page.title().startswith(_t(language, "Error:"))
    watch.axe(page, f"a member's areas refused ({language})")

    # The services area ticked: saved, and the list says where the role holds
    areas = page.get_by_role("group", name=_t(language, "Areas: %(role)s", role=role), exact=True)
    areas.get_by_label(services, exact=True).check()
    page.get_by_role("button", name=_t(language, "Save the roles")).click()
    page.locator(".flash", has_text=_t(language, "The roles have been saved.")).wait_for()
    row = page.get_by_role("row", name=re.compile(re.escape(colleague.full_name)))
    assert f"{role} ({services})" in row.inner_text()
    watch.axe(page, f"users with a role in one area ({language})")

    db.session.expire_all()
    membership = db.session.query(Membership).filter_by(user_id=colleague.id).one()
    assert membership.role_areas == {"handler": ["services"]}
    watch.assert_clean()
