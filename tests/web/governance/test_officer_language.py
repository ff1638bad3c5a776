"""An officer reads their own language from the start: the invitation page, and the
account it creates, take the language the browser asks for, else the one of the
authority's country (a Norwegian authority's officers read Bokmål), else English."""

from __future__ import annotations

import pytest

from app.accounts import memberships
from app.accounts.auth import user_by_email
from app.policy import Actor
from tests.factories import csrf_token, make_authority, make_user, post_form, sign_in
from tests.web.governance.helpers import GOOD_PASSWORD, page

ICELANDIC = "is"

# (authority's country, browser's Accept-Language (None: sends none), language chosen in
# the switcher before, the language of the page and of the new account)
CASES = [
    ("NO", None, None, "nb"),
    ("NO", "nb-NO,nb;q=0.9,en;q=0.5", None, "nb"),
    ("NO", "no", None, "nb"),
    ("NO", "nn-NO,nn;q=0.9", None, "nb"),
    ("NO", "en-GB,en;q=0.8", None, "en"),  # the browser asks for English: it gets it
    ("NO", None, "sv", "sv"),  # chosen in the switcher
    ("IS", None, None, ICELANDIC),
    ("LI", None, None, "de"),
    ("BE", "fr-BE,fr;q=0.9", None, "fr"),
    ("BE", None, None, "nl"),
    ("DE", None, None, "de"),
    ("DE", "fi", None, "fi"),
    ("DE", "zh-CN", None, "de"),  # a language the interface lacks: the country's
]


def _invitation_link(country: str, email: str) -> str:
    authority = make_authority(country, name=f"Authority {country}")
    admin = make_user(authority, ["admin"])
    invitation = memberships.invite_colleague(
        Actor(admin, admin.memberships[0]), email, "New Officer", ["handler"], "en"
    )
    return f"/invitation/{invitation.token}"


@pytest.mark.parametrize(("country", "accept", "chosen", "expected"), CASES)
def test_a_new_officer_reads_the_browsers_language_else_the_countrys(
    app, client, smtp_server, country, accept, chosen, expected
):
    # Given an invitation to an authority of the country, opened in a browser
    email = f"officer.{country.lower()}@example.eu"
    path = _invitation_link(country, email)
    headers = {"Accept-Language": accept} if accept else {}
    if chosen:  # and the language chosen in the menu of the invitation page
        token = csrf_token(client.get(path, headers=headers))
        client.post("/language", data={"csrf_token": token, "language": chosen, "next": path})

    # When they open it
    opened = client.get(path, headers=headers)

    # Then the page reads in the expected language
    assert opened.status_code == 200
    assert page(opened).get("lang") == expected
    # and the account they make keeps it
    response = post_form(
        client,
        path,
        {"full_name": "New Officer", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD},
        headers=headers,
    )
    assert response.status_code == 302
    assert user_by_email(email).language == expected
    # and so does the authenticator set-up that follows
    enrol = client.get("/sign-in/enrol", headers=headers)
    assert page(enrol).get("lang") == expected


def test_a_signed_in_officers_saved_language_beats_the_country(app, client):
    # A Norwegian officer who chose German reads German, whatever the browser says.
    officer = make_user(make_authority("NO"), ["handler"], language="de")
    sign_in(client, officer)
    response = client.get("/", headers={"Accept-Language": "nb-NO"})
    assert page(response).get("lang") == "de"


def test_a_public_visitor_with_a_norwegian_browser_reads_bokmal(client):
    for accept in ("nb-NO,nb;q=0.9", "no", "nn"):
        response = client.get("/public/", headers={"Accept-Language": accept})
        assert page(response).get("lang") == "nb", accept
    # and with none, English (no country is known on a public page)
    assert page(client.get("/public/")).get("lang") == "en"
