"""Issue 17, anonymous visits: a visitor who is nobody costs no session row, with
compression on, through a whole public form (its CSRF token, the flash after it), and the
row starts only when an officer signs in."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models.accounts import WebSession
from tests.web.auth.helpers import code_step, is_signed_in, password_step, unused_code
from tests.web.public.conftest import PROCEDURE, only_case, submit_case, visitor

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
PUBLIC_PAGES = ["/", "/public/", f"/public/{PROCEDURE}/FR/new", "/sign-in", "/directory"]


def session_rows() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(WebSession))


def test_anonymous_visits_and_a_public_form_write_no_session_row(app, people):
    # given browsers that visit the public pages again and again
    for _ in range(5):
        browser = visitor(app)
        for url in PUBLIC_PAGES * 2:
            assert browser.get(url, headers=BROWSER).status_code in (200, 302)
    assert session_rows() == 0

    # when one of them sends the public form, with the CSRF token of its signed cookie
    response = submit_case(browser)

    # then the case is made and the visitor sees the page after it, still with no row
    assert response.status_code == 302 and response.location.endswith("/public/sent")
    assert only_case() is not None
    assert browser.get("/public/sent", headers=BROWSER).status_code == 200
    assert session_rows() == 0


def test_a_row_starts_when_an_officer_signs_in(app, people):
    officer = visitor(app)
    officer.get("/sign-in", headers=BROWSER)
    assert session_rows() == 0

    password_step(officer, people.handler.email)
    assert session_rows() == 1 and not is_signed_in(officer)  # the code is still to come

    response = code_step(officer, unused_code(people.handler), headers=BROWSER)

    assert response.status_code == 302 and is_signed_in(officer)
    assert session_rows() == 1  # rotated at sign-in: the same one row, a new token
