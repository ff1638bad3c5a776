"""Signing in with a password and a second factor, and signing out."""

from urllib.parse import quote

import pyotp
import pytest
import time_machine

from app.accounts import credentials
from app.extensions import db
from app.models.accounts import UserStatus
from tests.factories import PASSWORD, csrf_token, make_user, sign_in_fully
from tests.web.auth.helpers import (
    PRIVATE_PAGE,
    WRONG_CODE,
    WRONG_PASSWORD,
    code_step,
    input_named,
    is_signed_in,
    password_step,
    sign_out,
    without_tokens,
)

FROZEN = "2030-03-04 10:00:07+00:00"


# --- step 1: password ------------------------------------------------------------------


def test_sign_in_form_fields_tell_password_managers_what_they_hold(client):
    response = client.get("/sign-in")

    assert response.status_code == 200
    assert input_named(response, "email")["autocomplete"] == "username"
    assert input_named(response, "email")["type"] == "email"
    assert input_named(response, "password")["autocomplete"] == "current-password"
    assert input_named(response, "password")["type"] == "password"


def test_password_then_code_signs_the_officer_in(client, officer):
    # given the right password
    response = password_step(client, officer.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in/code")
    assert not is_signed_in(client)  # one factor is not enough

    # the second step asks for a one-time code
    page = client.get("/sign-in/code")
    assert input_named(page, "code")["autocomplete"] == "one-time-code"

    # when the code from the app follows
    response = code_step(client, pyotp.TOTP(officer.totp_secret).now())

    # then the officer is signed in and lands on the start page
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome, " + officer.full_name in client.get("/").get_data(True)
    assert is_signed_in(client)


def test_sign_in_returns_to_the_page_the_officer_asked_for(client, officer):
    response = client.get("/directory?q=arbeit")
    assert response.status_code == 302

    sign_in_url = response.headers["Location"]
    page = client.get(sign_in_url)
    response = client.post(
        sign_in_url,
        data={"csrf_token": csrf_token(page), "email": officer.email, "password": PASSWORD},
    )
    response = code_step(client, pyotp.TOTP(officer.totp_secret).now())

    assert response.headers["Location"] == "/directory?q=arbeit"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_sign_in_does_not_redirect_to_another_site(client, officer, target):
    url = f"/sign-in?next={quote(target, safe='')}"
    page = client.get(url)
    client.post(
        url, data={"csrf_token": csrf_token(page), "email": officer.email, "password": PASSWORD}
    )

    response = code_step(client, pyotp.TOTP(officer.totp_secret).now())

    assert response.headers["Location"] == "/"


def test_email_address_is_matched_without_regard_to_case(client, officer):
    response = password_step(client, "Anna.Huber@EXAMPLE.eu")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in/code")


def test_wrong_password_is_refused_with_a_message_and_keeps_the_email(client, officer):
    response = password_step(client, officer.email, "violet harbour lantern 43")

    assert response.status_code == 200
    body = response.get_data(True)
    assert WRONG_PASSWORD in body
    assert "Error: Sign in" in body  # the title says so for screen readers
    assert "Traceback" not in body
    assert input_named(response, "email")["value"] == officer.email
    assert input_named(response, "password").get("value", "") == ""  # never echoed
    assert not is_signed_in(client)


def test_unknown_email_and_wrong_password_get_the_same_answer(client, officer):
    # given an existing account and an address nobody uses
    known = password_step(client, officer.email, "wrong password, long enough")
    unknown = password_step(client, "nobody.here@example.eu", "wrong password, long enough")

    # then status and page are the same, once the typed address and the tokens are set aside
    assert known.status_code == unknown.status_code == 200
    known_body = without_tokens(known).replace(officer.email, "EMAIL")
    unknown_body = without_tokens(unknown).replace("nobody.here@example.eu", "EMAIL")
    assert known_body == unknown_body


def test_suspended_officer_with_the_right_password_gets_the_usual_refusal(client, authority):
    suspended = make_user(authority, ["handler"], status=UserStatus.SUSPENDED)

    response = password_step(client, suspended.email)

    assert response.status_code == 200
    assert WRONG_PASSWORD in response.get_data(True)
    assert client.get("/sign-in/code").status_code == 302


def test_signed_in_officer_visiting_sign_in_goes_to_the_start_page(client, officer):
    sign_in_fully(client, officer)

    response = client.get("/sign-in")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# --- step 2: code ----------------------------------------------------------------------


def test_code_step_without_password_step_sends_back_to_sign_in(client, officer):
    response = client.get("/sign-in/code")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    page = client.get("/sign-in")
    assert "Please start again with your e-mail address and password." in page.get_data(True)


def test_code_post_without_password_step_signs_nobody_in(client, officer):
    token = csrf_token(client.get("/sign-in"))

    response = client.post(
        "/sign-in/code",
        data={"csrf_token": token, "code": pyotp.TOTP(officer.totp_secret).now()},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert not is_signed_in(client)


def test_code_step_expires_five_minutes_after_the_password(client, officer):
    with time_machine.travel(FROZEN, tick=False) as traveller:
        password_step(client, officer.email)
        token = csrf_token(client.get("/sign-in/code"))
        traveller.shift(6 * 60)

        code = pyotp.TOTP(officer.totp_secret).now()
        response = client.post("/sign-in/code", data={"csrf_token": token, "code": code})

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert not is_signed_in(client)


def test_wrong_code_is_refused_with_a_message(client, officer):
    password_step(client, officer.email)
    right = pyotp.TOTP(officer.totp_secret).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = code_step(client, wrong)

    assert response.status_code == 200
    assert WRONG_CODE in response.get_data(True)
    assert input_named(response, "code")["autocomplete"] == "one-time-code"
    assert not is_signed_in(client)


def test_code_from_long_ago_is_refused(client, officer):
    password_step(client, officer.email)
    old = pyotp.TOTP(officer.totp_secret).at(0)

    response = code_step(client, old)

    assert WRONG_CODE in response.get_data(True)
    assert not is_signed_in(client)


def test_same_code_is_not_accepted_twice(client, officer):
    with time_machine.travel(FROZEN, tick=False):
        code = pyotp.TOTP(officer.totp_secret).now()
        # given the officer signed in with a code and signed out again
        password_step(client, officer.email)
        assert code_step(client, code).status_code == 302
        assert sign_out(client).status_code == 302
        assert not is_signed_in(client)

        # when the same code (same time step) is sent again
        password_step(client, officer.email)
        response = code_step(client, code)

    # then it is refused
    assert response.status_code == 200
    assert WRONG_CODE in response.get_data(True)
    assert not is_signed_in(client)


def test_code_from_the_previous_step_is_accepted_for_clock_drift(client, officer):
    with time_machine.travel(FROZEN, tick=False) as traveller:
        password_step(client, officer.email)
        code = pyotp.TOTP(officer.totp_secret).now()
        traveller.shift(30)

        response = code_step(client, code)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_recovery_code_signs_in_once_and_not_twice(client, officer):
    codes = credentials.new_recovery_codes(officer)
    db.session.commit()

    # when the officer, without their phone, uses a recovery code
    password_step(client, officer.email)
    response = code_step(client, codes[3].upper())

    # then it works
    assert response.status_code == 302
    assert is_signed_in(client)
    assert credentials.recovery_codes_left(officer) == 9

    # and the same code does not work a second time
    sign_out(client)
    password_step(client, officer.email)
    response = code_step(client, codes[3])
    assert response.status_code == 200
    assert WRONG_CODE in response.get_data(True)
    assert not is_signed_in(client)


def test_recovery_code_of_another_officer_does_not_work(client, officer, authority):
    colleague = make_user(authority, ["handler"])
    codes = credentials.new_recovery_codes(colleague)
    db.session.commit()

    password_step(client, officer.email)
    response = code_step(client, codes[0])

    assert WRONG_CODE in response.get_data(True)
    assert not is_signed_in(client)


# --- sign-out --------------------------------------------------------------------------


def test_sign_out_ends_the_session(client, officer):
    sign_in_fully(client, officer)

    response = sign_out(client)

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "You have signed out." in client.get("/sign-in").get_data(True)
    assert not is_signed_in(client)


def test_sign_out_by_get_is_not_allowed(client, officer):
    sign_in_fully(client, officer)

    response = client.get("/sign-out")

    assert response.status_code == 405
    assert is_signed_in(client)


def test_sign_out_without_csrf_token_is_refused(client, officer):
    sign_in_fully(client, officer)

    response = client.post("/sign-out")

    assert response.status_code == 400
    assert "Traceback" not in response.get_data(True)
    assert is_signed_in(client)


def test_sign_out_with_a_forged_csrf_token_is_refused(client, officer):
    sign_in_fully(client, officer)

    response = client.post("/sign-out", data={"csrf_token": "forged." + "x" * 60})

    assert response.status_code == 400
    assert is_signed_in(client)


def test_private_page_after_sign_out_sends_to_sign_in(client, officer):
    sign_in_fully(client, officer)
    sign_out(client)

    response = client.get(PRIVATE_PAGE)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_signed_out_htmx_swap_loads_the_sign_in_page_whole(client):
    # given a visitor whose session has ended, when htmx asks for a directory partial
    response = client.get("/directory?q=x", headers={"HX-Request": "true"}, follow_redirects=True)
    # then the sign-in page tells htmx to navigate instead of swapping it into the page
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/sign-in?next=")
