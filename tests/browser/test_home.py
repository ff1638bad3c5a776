"""The home page of demo officers in English, German and Greek, on a desktop and a phone:
the task list fits, axe finds nothing, each count leads to its list, and it all works
without JavaScript. With OPENIMI_SHOTS=<folder> the pages are saved as screenshots there
(to look at them, as issue 16 asks)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app import demo
from app.extensions import db
from app.models import User
from tests.browser.helpers import sign_in
from tests.browser.test_languages import LAYOUT_JS, _switch_language

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ("en", "de", "el")
WIDTHS = (1280, 360)
# the health authority's handler; the labour inspector (overdue, a reply date to
# decide); Germany's coordinator (alerts to pass on, registrations)
OFFICERS = ("handler.de", "inspector.de", "coordinator.de")
SHOTS = os.environ.get("OPENIMI_SHOTS", "")


def _look(page, watch, name: str, problems: list[str]) -> None:
    """Axe, and nothing sticking out at either width; a screenshot of each if asked."""
    watch.axe(page, name)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"{name} at {width}px: {p}" for p in page.evaluate(LAYOUT_JS)]
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name.replace(' ', '-')}-{width}.png", full_page=True)


def test_the_home_page_says_what_waits_in_three_languages(app, live_server, new_page, watch):
    # Given the demo data, and its officers working in English so far
    accounts = {a.email.split("@")[0]: a for a in demo.seed()}
    for slug in OFFICERS:
        db.session.query(User).filter_by(email=accounts[slug].email).one().language = "en"
    db.session.commit()
    problems: list[str] = []

    for slug in OFFICERS:
        account = accounts[slug]
        page = new_page(viewport={"width": WIDTHS[0], "height": 900})
        sign_in(page, live_server, account.email, account.totp_secret, account.password)
        # When each opens the home page (the handler in three languages)
        for language in LANGUAGES if slug == OFFICERS[0] else ("en",):
            if language != "en":
                _switch_language(page, language)
            page.goto(f"{live_server}/")
            # Then it lists tasks under their headings, and fits
            assert page.locator(".task-list .task").count() >= 3
            _look(page, watch, f"home {slug} {language}", problems)
        # and a count leads to the list of its cases, and the waiting list opens
        link = page.locator(".task-list a").first
        if link.count():
            link.click()
            page.wait_for_load_state()
            assert page.locator("table a").count() >= 1
        page.goto(f"{live_server}/waiting")
        _look(page, watch, f"waiting {slug}", problems)

    assert not problems, "\n".join(problems)
    watch.assert_clean()


def test_the_home_page_and_its_links_work_without_javascript(app, live_server, new_page, watch):
    # Given the demo handler, in a browser without JavaScript
    accounts = {a.email.split("@")[0]: a for a in demo.seed()}
    account = accounts["handler.de"]
    db.session.query(User).filter_by(email=account.email).one().language = "en"
    db.session.commit()
    page = new_page(java_script_enabled=False)
    sign_in(page, live_server, account.email, account.totp_secret, account.password)

    # When the officer follows the waiting list's link from the home page
    page.goto(f"{live_server}/")
    page.locator("main a[href='/waiting']").click()
    page.wait_for_load_state()

    # Then the list of what waits is there, each row linked to its case
    assert page.url.endswith("/waiting")
    assert page.locator("tbody tr").count() >= 1
    page.locator("tbody a").first.click()
    page.wait_for_load_state()
    assert "/waiting" not in page.url
    watch.assert_clean()
