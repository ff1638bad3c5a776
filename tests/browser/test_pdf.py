"""A case page printed by the browser shows the case without the site's controls, and a
case record comes as PDF from its page: at once for a short case, through the page that
prepares it for a long one. axe-core runs on the new pages."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import RequestEvent
from app.records import pdf
from tests.browser.helpers import sign_in
from tests.web.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_printed_case_page_hides_the_controls_and_keeps_the_case(
    app, live_server, new_page, watch
):
    world = build_world()
    handler = world.users["handler"]
    page = new_page()
    sign_in(page, live_server, handler.email, handler.totp_secret)
    page.goto(f"{live_server}/requests/{world.ids['request_sent']}")
    assert page.locator(".site-header").is_visible()
    assert page.locator("main form").first.is_visible()

    # When the browser prints it
    page.emulate_media(media="print")

    # Then navigation, forms, buttons and the PDF link are gone; the case stays
    assert page.locator(".site-header").is_hidden()
    assert page.locator("main form").first.is_hidden()
    assert page.locator(".pdf-link").is_hidden()
    assert page.get_by_role("heading", name="Timeline").is_visible()
    assert page.get_by_text("Dr. Ada Example").first.is_visible()
    watch.assert_clean()


def test_short_and_long_cases_come_as_pdf_from_their_page(
    app, live_server, new_page, watch, tmp_path
):
    world = build_world()
    handler = world.users["handler"]
    request_id = world.ids["request_sent"]
    page = new_page(accept_downloads=True)
    sign_in(page, live_server, handler.email, handler.totp_secret)

    # A short case: the button hands the PDF over at once
    page.goto(f"{live_server}/requests/{request_id}")
    with page.expect_download() as short:
        page.get_by_role("button", name="Download as PDF").click()
    assert short.value.suggested_filename.endswith(".pdf")
    short.value.save_as(tmp_path / "short.pdf")
    assert (tmp_path / "short.pdf").read_bytes().startswith(b"%PDF-")

    # A long case, asked for with its audit extract: the button leads to the page that
    # prepares it, which keeps the choice
    for n in range(pdf.INLINE_MAX_EVENTS + 1):
        db.session.add(RequestEvent(request_id=request_id, kind="info_given", text=f"Note {n}"))
    db.session.commit()
    page.goto(f"{live_server}/requests/{request_id}")
    page.get_by_label("With the audit extract as an annex").check()
    page.get_by_role("button", name="Download as PDF").click()
    page.get_by_text("Audit extract: Included as an annex").wait_for()
    watch.axe(page, "PDF prepare")
    page.get_by_role("button", name="Prepare the PDF").click()
    # (jobs run in-process in this server: the PDF is ready when the page shows)
    page.get_by_text("The PDF is ready.").wait_for()
    watch.axe(page, "PDF status")
    with page.expect_download() as long:
        page.get_by_role("link", name="Download the PDF").click()
    long.value.save_as(tmp_path / "long.pdf")
    assert (tmp_path / "long.pdf").read_bytes().startswith(b"%PDF-")
    watch.assert_clean()
