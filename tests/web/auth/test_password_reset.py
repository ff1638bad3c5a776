"""Forgotten password: a single-use link by e-mail, valid for one hour."""

from urllib.parse import urlsplit

import pyotp
import time_machine

from app.extensions import db
from app.models.accounts import UserStatus
from tests.factories import PASSWORD, csrf_token, make_user, post_form, sign_in_fully
from tests.web.auth.helpers import (
    WRONG_PASSWORD,
    input_named,
    is_signed_in,
    password_step,
    sign_in_again,
    text_of,
    unused_code,
    without_tokens,
)

NEW_PASSWORD = "amber falcon quietly 77"
CHECK_MAIL = "Check your e-mail"
LINK_BROKEN = "This link does not work"
FROZEN = "2030-03-04 10:00:07+00:00"


def ask_for_link(client, email: str):
    return post_form(client, "/password/forgot", {"email": email})


def mailed_link(smtp_server, email: str) -> str:
    """The path of the reset link in the last mail to `email`."""
    link = smtp_server.link_in(email)
    assert "/password/reset/" in link
    return urlsplit(link).path


def choose(client, path: str, password: str, confirm: str | None = None):
    return post_form(
        client, path, {"password": password, "confirm": password if confirm is None else confirm}
    )


def test_forgot_form_field_is_marked_as_the_username(client):
    response = client.get("/password/forgot")

    assert response.status_code == 200
    assert input_named(response, "email")["autocomplete"] == "username"


def test_officer_resets_the_password_through_the_mailed_link(client, officer, smtp_server):
    # when the officer asks for a link
    response = ask_for_link(client, officer.email)

    # then the page says to check the mail, and the mail arrived with a link
    assert response.status_code == 200
    assert CHECK_MAIL in response.get_data(True)
    [mail] = smtp_server.to(officer.email)
    assert "one hour" in mail.get_payload(decode=True).decode()
    path = mailed_link(smtp_server, officer.email)

    # the link opens a form for the new password
    page = client.get(path)
    assert page.status_code == 200
    assert input_named(page, "password")["autocomplete"] == "new-password"
    assert input_named(page, "confirm")["autocomplete"] == "new-password"

    # when the new password is saved
    response = choose(client, path, NEW_PASSWORD)

    # then the officer is sent to sign in, with the new password only
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "Your password has been changed." in client.get("/sign-in").get_data(True)
    assert WRONG_PASSWORD in password_step(client, officer.email, PASSWORD).get_data(True)
    assert password_step(client, officer.email, NEW_PASSWORD).status_code == 302


def test_short_and_common_passwords_are_refused_and_the_form_keeps_working(
    client, officer, smtp_server
):
    ask_for_link(client, officer.email)
    path = mailed_link(smtp_server, officer.email)

    # too short
    response = choose(client, path, "short words")
    assert response.status_code == 200
    assert "Use at least 12 characters." in response.get_data(True)

    # long enough but among the most common
    response = choose(client, path, "password1234")
    assert response.status_code == 200
    assert "This password is too common or too easy to guess." in response.get_data(True)

    # built from the officer's own e-mail address
    response = choose(client, path, officer.email)
    assert response.status_code == 200
    assert "too common or too easy to guess" in response.get_data(True)

    # longer than the form takes
    response = choose(client, path, "long enough words " * 8)
    assert response.status_code == 200
    assert "Use at most 128 characters." in response.get_data(True)

    # two different entries
    response = choose(client, path, NEW_PASSWORD, confirm=NEW_PASSWORD + "!")
    assert response.status_code == 200
    assert "The two passwords differ." in response.get_data(True)

    # the old password still works meanwhile
    assert password_step(client, officer.email, PASSWORD).status_code == 302

    # then a good one is accepted on the same link
    response = choose(client, path, NEW_PASSWORD)
    assert response.status_code == 302
    assert password_step(client, officer.email, NEW_PASSWORD).status_code == 302


def test_very_long_passphrase_is_accepted(client, officer, smtp_server):
    passphrase = "the quick brown hedgehog forgets seven umbrellas on tuesday " * 2
    assert 64 < len(passphrase) <= 128

    ask_for_link(client, officer.email)
    response = choose(client, mailed_link(smtp_server, officer.email), passphrase)

    assert response.status_code == 302
    assert password_step(client, officer.email, passphrase).status_code == 302


def test_link_works_only_once(client, officer, smtp_server):
    ask_for_link(client, officer.email)
    path = mailed_link(smtp_server, officer.email)
    assert choose(client, path, NEW_PASSWORD).status_code == 302

    response = client.get(path)

    assert response.status_code == 404
    assert LINK_BROKEN in response.get_data(True)


def test_link_used_once_cannot_set_a_second_password(client, other_client, officer, smtp_server):
    # given the reset page open in two tabs
    ask_for_link(client, officer.email)
    path = mailed_link(smtp_server, officer.email)
    tab = other_client.get(path)
    assert tab.status_code == 200

    # when the first tab saves a password
    assert choose(client, path, NEW_PASSWORD).status_code == 302

    # then the second tab's form is refused
    response = other_client.post(
        path,
        data={
            "csrf_token": csrf_token(tab),
            "password": "second harbour choice 19",
            "confirm": "second harbour choice 19",
        },
    )
    assert response.status_code == 404
    assert password_step(client, officer.email, NEW_PASSWORD).status_code == 302


def test_link_expires_after_one_hour(client, officer, smtp_server):
    with time_machine.travel(FROZEN, tick=False) as traveller:
        ask_for_link(client, officer.email)
        path = mailed_link(smtp_server, officer.email)

        traveller.shift(59 * 60)
        assert client.get(path).status_code == 200

        traveller.shift(2 * 60)
        response = client.get(path)
        assert response.status_code == 404
        assert LINK_BROKEN in response.get_data(True)
        assert "Traceback" not in response.get_data(True)

        # and an expired link does not change the password either
        token = csrf_token(client.get("/password/forgot"))
        response = client.post(
            path, data={"csrf_token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        )
        assert response.status_code == 404
        assert password_step(client, officer.email, PASSWORD).status_code == 302


def test_made_up_link_does_not_work(client):
    response = client.get("/password/reset/" + "A" * 43)

    assert response.status_code == 404
    assert LINK_BROKEN in response.get_data(True)


def test_unknown_address_gets_the_same_page_and_no_mail(client, officer, smtp_server):
    known = ask_for_link(client, officer.email)
    smtp_server.messages.clear()

    unknown = ask_for_link(client, "nobody.here@example.eu")

    assert unknown.status_code == known.status_code == 200
    assert CHECK_MAIL in unknown.get_data(True)
    assert without_tokens(unknown) == without_tokens(known)
    assert smtp_server.messages == []


def test_suspended_officer_gets_no_reset_mail(client, authority, smtp_server):
    suspended = make_user(authority, ["handler"], status=UserStatus.SUSPENDED)

    response = ask_for_link(client, suspended.email)

    assert CHECK_MAIL in response.get_data(True)
    assert smtp_server.to(suspended.email) == []


def test_reset_ends_the_officers_other_sessions(client, other_client, officer, smtp_server):
    # given the officer signed in on their office computer
    sign_in_fully(client, officer)
    assert is_signed_in(client)

    # when the password is reset from another device
    ask_for_link(other_client, officer.email)
    response = choose(other_client, mailed_link(smtp_server, officer.email), NEW_PASSWORD)
    assert response.status_code == 302

    # then the office session has ended
    assert not is_signed_in(client)
    # and a fresh sign-in with the new password works
    sign_in_again(client, officer, password=NEW_PASSWORD)
    assert is_signed_in(client)


def test_reset_ends_a_sign_in_half_way_through(client, other_client, officer, smtp_server):
    # given someone who knows the old password and passed the first step
    assert password_step(other_client, officer.email).status_code == 302
    token = csrf_token(other_client.get("/sign-in/code"))

    # when the officer resets the password
    ask_for_link(client, officer.email)
    assert choose(client, mailed_link(smtp_server, officer.email), NEW_PASSWORD).status_code == 302

    # then the second step no longer continues from the old password: the half-made
    # session is gone (its form token with it), and a fresh token does not help
    response = other_client.post(
        "/sign-in/code", data={"csrf_token": token, "code": unused_code(officer)}
    )
    assert response.status_code == 400
    token = csrf_token(other_client.get("/sign-in"))
    response = other_client.post(
        "/sign-in/code", data={"csrf_token": token, "code": unused_code(officer)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert not is_signed_in(other_client)


def test_reset_ends_an_enrolment_started_with_the_old_password(
    client, other_client, authority, smtp_server
):
    newcomer = make_user(authority, ["handler"])
    newcomer.totp_secret, newcomer.totp_enrolled = None, False
    db.session.commit()
    # given someone who knows the newcomer's password and reached the enrolment page
    assert password_step(other_client, newcomer.email).headers["Location"] == "/sign-in/enrol"
    secret = text_of(other_client.get("/sign-in/enrol"), "totp-secret").replace(" ", "")

    # when the newcomer resets the password
    ask_for_link(client, newcomer.email)
    assert choose(client, mailed_link(smtp_server, newcomer.email), NEW_PASSWORD).status_code == 302

    # then the other person cannot finish the enrolment with their own app (a token
    # from a fresh page, so the view itself answers: app/errors.py cannot show this page
    # again for a refused token, see tests/web/security/test_csrf_headers.py)
    token = csrf_token(other_client.get("/sign-in"))
    response = other_client.post(
        "/sign-in/enrol", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()}
    )
    assert response.status_code == 404
    assert not is_signed_in(other_client)
    db.session.refresh(newcomer)
    assert not newcomer.totp_enrolled


def test_using_one_link_cancels_the_older_ones(client, officer, smtp_server):
    # given two links asked for, one after the other
    ask_for_link(client, officer.email)
    older = mailed_link(smtp_server, officer.email)
    ask_for_link(client, officer.email)
    newer = mailed_link(smtp_server, officer.email)
    assert older != newer

    # when the newer one sets the password
    assert choose(client, newer, NEW_PASSWORD).status_code == 302

    # then the older one no longer works
    response = client.get(older)
    assert response.status_code == 404
    assert LINK_BROKEN in response.get_data(True)
