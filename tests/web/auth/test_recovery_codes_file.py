"""The recovery codes, shown once after enrolment, can be saved as a text file or printed:
the file holds only the signed-in user's own unused codes, and is never cached."""

from __future__ import annotations

import pyotp
import pytest

from app.accounts import credentials
from app.extensions import db
from tests.factories import csrf_token, make_user, sign_in
from tests.web.auth.helpers import page, password_step
from tests.web.auth.test_enrolment import ENROL, enrolment_secret, form_data

FILE = "/account/recovery-codes/file"


@pytest.fixture
def enrolled(client, authority):
    """A newcomer who has just set up the app, on the page of their ten codes."""
    user = make_user(authority, ["viewer"], email="jan.novak@example.eu")
    user.totp_secret, user.totp_enrolled = None, False
    db.session.commit()
    password_step(client, user.email)
    secret = enrolment_secret(client)
    assert client.post(ENROL, data=form_data(client, pyotp.TOTP(secret).now())).status_code == 302
    codes_page = client.get("/account/recovery-codes")
    assert codes_page.status_code == 200
    return user, codes_page


def _codes(codes_page) -> list[str]:
    return [
        "".join(li.itertext()) for li in page(codes_page).findall(".//ul[@id='recovery-codes']/li")
    ]


def _download_form(codes_page) -> dict[str, list[str]]:
    form = page(codes_page).find(f".//form[@action='{FILE}']")
    assert form is not None and form.get("method") == "post"
    fields: dict[str, list[str]] = {}
    for element in form.iter("input"):
        fields.setdefault(element.get("name"), []).append(element.get("value"))
    return fields


def test_the_codes_page_offers_a_download_and_a_print_button(enrolled):
    _user, codes_page = enrolled
    root = page(codes_page)
    # the download is a form with the page's token and the codes shown
    fields = _download_form(codes_page)
    assert fields["code"] == _codes(codes_page) and len(fields["csrf_token"]) == 1
    buttons = {"".join(b.itertext()).strip(): b for b in root.iter("button")}
    assert "Download as a text file" in buttons
    # the print button needs the script: hidden until it shows it
    printing = buttons["Print the codes"]
    assert printing.get("data-print") is not None and printing.get("hidden") is not None
    # printed, only the heading and the codes: the rest of <main> is marked no-print
    main = root.find(".//main")
    for child in main.iter("p"):
        if child.find(".//a") is not None or "safe place" in "".join(child.itertext()):
            assert "no-print" in child.get("class", ""), "".join(child.itertext())


def test_the_file_holds_the_users_own_codes_and_is_not_cached(client, enrolled):
    user, codes_page = enrolled
    codes = _codes(codes_page)

    response = client.post(FILE, data=_download_form(codes_page))

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="openimi-recovery-codes.txt"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(True)
    assert user.email in body
    assert [line for line in body.splitlines() if line in codes] == codes
    # and saving them changed nothing: the codes are still unused
    assert credentials.recovery_codes_left(user) == 10


def test_the_file_leaves_out_used_codes_and_anything_else(client, enrolled):
    user, codes_page = enrolled
    codes = _codes(codes_page)
    assert credentials.use_recovery_code(user, codes[0])
    db.session.commit()
    token = csrf_token(codes_page)

    response = client.post(FILE, data={"csrf_token": token, "code": [*codes, "abcde-12345"]})

    body = response.get_data(True)
    assert codes[0] not in body and "abcde-12345" not in body
    assert all(code in body for code in codes[1:])
    # codes that are not the user's give no file at all
    nothing = client.post(FILE, data={"csrf_token": token, "code": ["abcde-12345"]})
    assert nothing.status_code == 404


def test_nobody_else_gets_a_file_of_these_codes(app, client, authority, enrolled):
    _user, codes_page = enrolled
    data = _download_form(codes_page)

    # another officer, signed in, sending the same codes with their own token
    other = app.test_client()
    sign_in(other, make_user(authority, ["admin"], email="eva.berger@example.eu"))
    theirs = other.post(FILE, data={**data, "csrf_token": csrf_token(other.get("/account"))})
    # a visitor who is not signed in, and a post without a token
    anonymous = app.test_client().post(FILE, data=data)
    forged = client.post(FILE, data={"code": data["code"]})

    assert theirs.status_code == 404
    assert anonymous.status_code in (302, 400) and "Content-Disposition" not in anonymous.headers
    assert forged.status_code == 400 and "Content-Disposition" not in forged.headers
