"""Guessing passwords and codes is slowed down, without locking the real user out."""

import contextlib

import pyotp
import time_machine

from app.accounts import auth
from tests.factories import make_user, sign_in_fully
from tests.web.auth.helpers import (
    TOO_MANY,
    WRONG_CODE,
    WRONG_PASSWORD,
    code_step,
    input_named,
    is_signed_in,
    password_step,
    sign_out,
    unused_code,
)

ATTACKER = {"REMOTE_ADDR": "198.51.100.66"}
OFFICE = {"REMOTE_ADDR": "203.0.113.10"}
FROZEN = "2030-03-04 10:00:07+00:00"


def fail_passwords(client, email: str, times: int, address: dict = ATTACKER) -> None:
    for _ in range(times):
        response = password_step(client, email, "not the password at all", environ_base=address)
        assert response.status_code == 200
        assert WRONG_PASSWORD in response.get_data(True)


def test_sixth_attempt_from_one_address_is_refused_even_with_the_right_password(client, officer):
    # given five wrong passwords for one account from one address
    fail_passwords(client, officer.email, 5)

    # when the right password comes from the same address
    response = password_step(client, officer.email, environ_base=ATTACKER)

    # then it is refused with 429 and a message, and the form keeps the address
    assert response.status_code == 429
    body = response.get_data(True)
    assert TOO_MANY in body
    assert "Traceback" not in body
    assert input_named(response, "email")["value"] == officer.email
    assert client.get("/sign-in/code").status_code == 302  # no second step either


def test_four_failures_do_not_stop_the_right_password(client, officer):
    fail_passwords(client, officer.email, 4)

    response = password_step(client, officer.email, environ_base=ATTACKER)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in/code")


def test_real_user_from_another_address_still_signs_in(client, other_client, officer):
    # given an attacker who made the account refuse their address
    fail_passwords(client, officer.email, 5)
    assert password_step(client, officer.email, environ_base=ATTACKER).status_code == 429

    # when the officer signs in from the office
    response = password_step(other_client, officer.email, environ_base=OFFICE)
    assert response.status_code == 302
    response = code_step(other_client, pyotp.TOTP(officer.totp_secret).now(), environ_base=OFFICE)

    # then the officer is in
    assert response.status_code == 302
    assert is_signed_in(other_client)


def test_failures_on_one_account_do_not_block_another_account(client, officer, authority):
    colleague = make_user(authority, ["handler"])
    fail_passwords(client, officer.email, 5)

    response = password_step(client, colleague.email, environ_base=ATTACKER)

    assert response.status_code == 302


def test_unknown_accounts_are_throttled_like_known_ones(client):
    fail_passwords(client, "nobody.here@example.eu", 5)

    response = password_step(client, "nobody.here@example.eu", environ_base=ATTACKER)

    assert response.status_code == 429
    assert TOO_MANY in response.get_data(True)


def test_throttle_counts_the_account_whatever_the_case_of_the_address(client, officer):
    fail_passwords(client, officer.email.upper(), 5)

    response = password_step(client, officer.email, environ_base=ATTACKER)

    assert response.status_code == 429


def test_throttle_ends_once_the_failures_slide_out_of_the_window(client, officer):
    with time_machine.travel(FROZEN, tick=False) as traveller:
        fail_passwords(client, officer.email, 5)
        assert password_step(client, officer.email, environ_base=ATTACKER).status_code == 429

        # the failures still weigh on the next window, less as it goes on
        traveller.shift(16 * 60)
        assert password_step(client, officer.email, environ_base=ATTACKER).status_code == 429
        traveller.shift(14 * 60)
        response = password_step(client, officer.email, environ_base=ATTACKER)

    assert response.status_code == 302


def test_f5_a_burst_across_a_window_boundary_is_still_throttled(client, officer):
    # given five failures just before a window ends (10:14:50; windows start every 15 min)
    with time_machine.travel("2030-03-04 10:14:50+00:00", tick=False) as traveller:
        fail_passwords(client, officer.email, 5)

        # when the sixth try comes just after the boundary
        traveller.shift(15)
        response = password_step(client, officer.email, environ_base=ATTACKER)

    # then the five still count: the previous window weighs in
    assert response.status_code == 429


def test_wrong_codes_are_throttled_too(client, officer):
    # given the right password, then five wrong codes
    assert password_step(client, officer.email, environ_base=ATTACKER).status_code == 302
    right = pyotp.TOTP(officer.totp_secret).now()
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    for _ in range(5):
        response = code_step(client, wrong, environ_base=ATTACKER)
        assert response.status_code == 200
        assert WRONG_CODE in response.get_data(True)

    # when even the right code comes next
    response = code_step(client, right, environ_base=ATTACKER)

    # then it is refused with 429 and a message
    assert response.status_code == 429
    assert TOO_MANY in response.get_data(True)
    assert input_named(response, "code")["autocomplete"] == "one-time-code"
    assert not is_signed_in(client)


def test_wrong_recovery_codes_are_throttled(client, officer):
    assert password_step(client, officer.email, environ_base=ATTACKER).status_code == 302
    for guess in ("aaaaa-00001", "aaaaa-00002", "aaaaa-00003", "aaaaa-00004", "aaaaa-00005"):
        assert code_step(client, guess, environ_base=ATTACKER).status_code == 200

    response = code_step(client, "aaaaa-00006", environ_base=ATTACKER)

    assert response.status_code == 429


def _guess_from(address: str, accounts: list[str]) -> None:
    """One wrong password per account from `address` (a sprayer, or a user behind it)."""
    for email in accounts:
        with contextlib.suppress(auth.Throttled):
            auth.check_password_step(email, "not the password at all", address)


def test_f5_failures_from_an_address_do_not_lock_out_a_browser_its_user_signed_in_with(
    client, other_client, officer
):
    with time_machine.travel(FROZEN, tick=False):  # clear of a window's end
        # given the officer signed in before from this browser, at the office
        sign_in_fully(client, officer)
        sign_out(client, environ_base=OFFICE)
        # and thirty failures from the office's address (one shared address: NAT or a proxy)
        _guess_from(OFFICE["REMOTE_ADDR"], [f"guess{n}@example.eu" for n in range(30)])
        assert password_step(other_client, officer.email, environ_base=OFFICE).status_code == 429

        # when the officer signs in from their browser
        response = password_step(client, officer.email, environ_base=OFFICE)
        assert response.status_code == 302
        response = code_step(client, unused_code(officer), environ_base=OFFICE)

        # then they are in
        assert response.status_code == 302
        assert is_signed_in(client)


def test_f5_failures_against_the_account_do_not_lock_out_its_known_browser(client, officer):
    with time_machine.travel(FROZEN, tick=False):  # clear of a window's end
        sign_in_fully(client, officer)
        sign_out(client)
        # fifty failures against the account, from many addresses
        for n in range(50):
            _guess_from(f"198.51.100.{n}", [officer.email])

        assert password_step(client, officer.email, environ_base=OFFICE).status_code == 302


def test_f5_a_known_browser_is_throttled_on_its_own_and_only_for_its_account(
    client, officer, authority
):
    with time_machine.travel(FROZEN, tick=False):  # clear of a window's end
        colleague = make_user(authority, ["handler"])
        sign_in_fully(client, officer)
        sign_out(client)

        # a browser known for one account is no help against another
        fail_passwords(client, colleague.email, 5)
        assert password_step(client, colleague.email, environ_base=ATTACKER).status_code == 429
        # and guessing from it is limited too
        fail_passwords(client, officer.email, 5)
        assert password_step(client, officer.email, environ_base=ATTACKER).status_code == 429


def test_f5_the_known_device_cookie_is_http_only_and_names_no_one(client, officer):
    assert password_step(client, officer.email).status_code == 302
    response = code_step(client, pyotp.TOTP(officer.totp_secret).now())

    [cookie] = [
        header
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith("openimi_session_device=")
    ]
    attributes = cookie.lower()
    assert "httponly" in attributes and "samesite=lax" in attributes
    assert "max-age=15552000" in attributes  # 180 days
    assert "anna" not in attributes and "example" not in attributes


def test_f5_correct_passwords_are_not_counted_as_failures(client, officer):
    # given the right password five times (the second step left undone)
    for _ in range(5):
        assert password_step(client, officer.email, environ_base=ATTACKER).status_code == 302

    # then a wrong one is still answered as wrong, not throttled
    fail_passwords(client, officer.email, 1)
