"""First sign-in of an account without a second factor: set up the authenticator app."""

import re

import pyotp
import pytest

from app.accounts import credentials
from app.extensions import db
from app.models.accounts import UserStatus
from tests.factories import csrf_token, make_user
from tests.web.auth.helpers import (
    code_step,
    input_named,
    is_signed_in,
    page,
    password_step,
    sign_out,
    text_of,
)

ENROL = "/sign-in/enrol"
WRONG_ENROL_CODE = "This code is not right. Check the time on your phone and try again."


@pytest.fixture
def newcomer(authority):
    user = make_user(authority, ["handler"], email="jan.novak@example.eu")
    user.totp_secret = None
    user.totp_enrolled = False
    db.session.commit()
    return user


def form_data(client, code: str) -> dict:
    """The enrolment form with `code`, as the browser would send it."""
    return {"csrf_token": csrf_token(client.get(ENROL)), "code": code}


def key_shown(response) -> str:
    """The key as a person types it from the page: without the spaces between groups."""
    return text_of(response, "totp-secret").replace(" ", "")


def enrolment_secret(client) -> str:
    response = client.get(ENROL)
    assert response.status_code == 200
    return key_shown(response)


def test_password_without_second_factor_leads_to_enrolment(client, newcomer):
    response = password_step(client, newcomer.email)

    assert response.status_code == 302
    assert response.headers["Location"] == ENROL
    assert not is_signed_in(client)


def test_enrolment_page_shows_a_qr_code_and_the_key(client, newcomer):
    password_step(client, newcomer.email)

    response = client.get(ENROL)

    assert response.status_code == 200
    qr = page(response).find(".//img[@class='qr']")
    assert qr is not None
    assert qr.get("src").startswith("data:image/svg+xml")
    assert qr.get("alt")
    # the key in groups of 4, to read and type; the link to an app carries it unspaced
    shown = text_of(response, "totp-secret")
    assert page(response).find(".//code[@id='totp-secret']") is not None
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})*( [A-Z2-7]{1,3})?", shown), shown
    secret = key_shown(response)
    assert len(secret) >= 32
    pyotp.TOTP(secret).now()  # a valid base32 key
    links = [a.get("href", "") for a in page(response).iter("a")]
    otpauth = [link for link in links if link.startswith("otpauth://totp/")]
    assert len(otpauth) == 1 and f"secret={secret}" in otpauth[0], links
    assert input_named(response, "code")["autocomplete"] == "one-time-code"
    # the key stays the same when the page is reloaded
    assert enrolment_secret(client) == secret


def test_wrong_code_does_not_enrol(client, newcomer):
    password_step(client, newcomer.email)
    secret = enrolment_secret(client)
    right = pyotp.TOTP(secret).now()
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"

    response = client.post(ENROL, data=form_data(client, wrong))

    assert response.status_code == 200
    assert WRONG_ENROL_CODE in response.get_data(True)
    assert key_shown(response) == secret
    db.session.refresh(newcomer)
    assert not newcomer.totp_enrolled
    assert newcomer.totp_secret is None
    assert not is_signed_in(client)


def test_right_code_enrols_signs_in_and_shows_recovery_codes_once(client, newcomer):
    password_step(client, newcomer.email)
    secret = enrolment_secret(client)

    # when the code from the freshly set up app is confirmed
    response = client.post(ENROL, data=form_data(client, pyotp.TOTP(secret).now()))

    # then the officer is signed in and sees ten recovery codes
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/recovery-codes"
    codes_page = client.get("/account/recovery-codes")
    assert codes_page.status_code == 200
    codes = [
        "".join(item.itertext()).strip()
        for item in page(codes_page).findall(".//ul[@id='recovery-codes']/li")
    ]
    assert len(codes) == len(set(codes)) == 10
    assert is_signed_in(client)
    db.session.refresh(newcomer)
    assert newcomer.totp_enrolled
    assert newcomer.totp_secret == secret
    assert credentials.recovery_codes_left(newcomer) == 10

    # and a second visit does not show them again
    again = client.get("/account/recovery-codes")
    assert again.status_code == 302
    assert again.headers["Location"] == "/account"
    assert codes[0] not in client.get("/account").get_data(True)

    # the codes shown are the ones that work
    sign_out(client)
    password_step(client, newcomer.email)
    assert code_step(client, codes[0]).status_code == 302
    assert is_signed_in(client)


def test_invited_officer_becomes_active_on_enrolment(client, authority):
    invited = make_user(authority, ["handler"], status=UserStatus.INVITED)
    invited.totp_secret = None
    invited.totp_enrolled = False
    db.session.commit()

    password_step(client, invited.email)
    secret = enrolment_secret(client)
    client.post(ENROL, data=form_data(client, pyotp.TOTP(secret).now()))

    db.session.refresh(invited)
    assert invited.status == UserStatus.ACTIVE
    assert is_signed_in(client)


def test_enrolment_code_cannot_be_reused_for_the_next_sign_in(client, newcomer):
    password_step(client, newcomer.email)
    secret = enrolment_secret(client)
    code = pyotp.TOTP(secret).now()
    client.post(ENROL, data=form_data(client, code))
    sign_out(client)

    password_step(client, newcomer.email)
    response = code_step(client, code)

    assert response.status_code == 200
    assert not is_signed_in(client)


def test_enrolment_page_without_password_is_not_found(client, newcomer):
    assert client.get(ENROL).status_code == 404


def test_enrolled_officer_cannot_enrol_again(client, officer):
    password_step(client, officer.email)

    assert client.get(ENROL).status_code == 404


def test_password_alone_never_signs_a_newcomer_in(client, newcomer):
    password_step(client, newcomer.email)

    # the code step has no secret to check against, and guesses do not get in
    response = code_step(client, "123456")

    assert response.status_code == 200
    assert not is_signed_in(client)
