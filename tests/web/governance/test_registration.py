"""The public registration form: an authority applies, its coordinators are told."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts import ratelimit
from app.extensions import db
from app.models import Authority, AuthorityKind, AuthorityStatus, Registration
from app.models.accounts import UserStatus, WebSession
from tests.factories import make_authority, make_user, post_form, sign_in
from tests.web.governance.conftest import APPLICATION, apply
from tests.web.governance.helpers import (
    error_summary,
    form_values,
    mails_to,
    main_text,
    page,
    path_of,
    text,
    title,
)


def authorities_named(name: str) -> list[Authority]:
    return list(db.session.scalars(select(Authority).where(Authority.name == name)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- a valid application ----------------------------------------------------------------


def test_valid_application_creates_a_pending_authority(client, coordinator):
    # Given the public registration form
    assert client.get("/register").status_code == 200

    # When an applicant fills it in
    response = apply(client, name="  Chamber of Crafts Leipzig  ")

    # Then they read that it was sent, and a pending authority exists
    assert response.status_code == 200
    assert title(response).startswith("Application sent")
    assert APPLICATION["applicant_email"] in main_text(response)
    [authority] = authorities_named("Chamber of Crafts Leipzig")
    assert authority.status == AuthorityStatus.PENDING
    assert authority.kind == AuthorityKind.AUTHORITY
    assert authority.country == "DE"
    assert authority.local_names == {"de": "Handwerkskammer zu Leipzig"}
    assert authority.competences == APPLICATION["competences"]
    registration = db.session.scalar(
        select(Registration).where(Registration.authority_id == authority.id)
    )
    assert registration.applicant_name == "Jana Köhler"
    assert registration.applicant_email == APPLICATION["applicant_email"]
    assert registration.message == APPLICATION["message"]


def test_the_confirmation_is_a_page_of_its_own_with_the_reference(client, coordinator):
    # When an applicant sends the form
    response = post_form(client, "/register", APPLICATION)

    # Then the browser is sent to the confirmation (Post/Redirect/Get)
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/register/sent"
    # which shows the application's reference and what happens next
    registration = db.session.scalar(select(Registration))
    assert registration.reference == f"REG-{registration.created_at.year}-{registration.id:07d}"
    shown = client.get("/register/sent")
    assert shown.status_code == 200
    assert title(shown).startswith("Application sent")
    body = main_text(shown)
    assert registration.reference in body and APPLICATION["applicant_email"] in body
    assert "What happens next" in body and "a few working days" in body
    # and reloading it is a GET again: the same page, no second application
    again = client.get("/register/sent")
    assert main_text(again) == body
    assert count(Registration) == 1
    # and the applicant, nobody yet, costs no session row (the cookie carries the id)
    assert count(WebSession) == 0


def test_the_confirmation_shows_only_this_browsers_application(app, client, coordinator):
    # Given an application sent from one browser
    apply(client)
    reference = db.session.scalar(select(Registration)).reference

    # When another visitor opens the confirmation's address
    other = app.test_client()
    response = other.get("/register/sent")

    # Then they are sent to the form, and see nothing of the application
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/register"
    assert reference not in response.get_data(True)


def test_the_receipt_mail_gives_the_reference(client, smtp_server, coordinator):
    apply(client)
    reference = db.session.scalar(select(Registration)).reference
    [(_subject, body)] = mails_to(smtp_server, APPLICATION["applicant_email"])
    assert f"Your reference: {reference}" in body


def test_application_mails_the_applicant_and_the_active_coordinators_of_the_country(
    client, smtp_server, coordinator, coordination_de, coordinator_fr
):
    # Given, besides the German coordinator: a second German coordinator, a colleague of
    # theirs without the coordinator role, a suspended coordinator, a German authority's
    # administrator and the French coordinator
    second = make_user(coordination_de, ["coordinator"], email="second@bmwe.example.eu")
    clerk = make_user(coordination_de, ["admin", "viewer"], email="clerk@bmwe.example.eu")
    away = make_user(coordination_de, ["coordinator"], "away@bmwe.example.eu", UserStatus.SUSPENDED)
    admin_elsewhere = make_user(make_authority("DE"), ["admin"], email="admin@lageso.example.eu")

    # When a German authority applies
    apply(client)

    # Then the applicant gets a receipt
    [(subject, body)] = mails_to(smtp_server, APPLICATION["applicant_email"])
    assert subject == "Your OpenIMI registration has been received"
    assert "Chamber of Crafts Leipzig" in body
    assert "Jana Köhler" in body
    # and each active German coordinator a link to the application
    registration_id = db.session.scalar(select(Registration.id))
    for person in (coordinator, second):
        [(subject, body)] = mails_to(smtp_server, person.email)
        assert subject == "New registration to decide: Chamber of Crafts Leipzig"
        assert path_of(smtp_server.link_in(person.email)) == (
            f"/coordination/registrations/{registration_id}"
        )
    # and nobody else
    for person in (clerk, away, admin_elsewhere, coordinator_fr):
        assert mails_to(smtp_server, person.email) == [], person.email
    assert len(smtp_server.messages) == 3


def test_same_name_in_another_country_is_accepted(client, smtp_server):
    # Given a French authority of that name
    make_authority("FR", name="Chamber of Crafts Leipzig")

    # When a German authority with the same name applies
    response = apply(client)

    # Then it is accepted (names are unique per country only)
    assert title(response).startswith("Application sent")
    assert len(authorities_named("Chamber of Crafts Leipzig")) == 2


def test_a_rejected_authority_name_may_apply_again(client):
    # Given an application that was rejected
    make_authority("DE", name="Chamber of Crafts Leipzig", status=AuthorityStatus.REJECTED)

    # When the authority applies again
    response = apply(client)

    # Then the new application is accepted
    assert title(response).startswith("Application sent")


def test_pending_authority_is_not_in_the_directory(client, coordinator):
    # Given a pending application
    apply(client)
    [authority] = authorities_named("Chamber of Crafts Leipzig")

    # When an officer of an active authority searches the directory for it
    officer = make_user(make_authority("DE", name="Labour Office Leipzig"), ["handler"])
    sign_in(client, officer)
    search = client.get("/directory?q=leipzig")
    profile = client.get(f"/directory/{authority.id}")

    # Then only the active authority is found, and the pending one has no profile
    assert search.status_code == 200
    assert "Labour Office Leipzig" in search.get_data(True)
    assert "Chamber of Crafts" not in search.get_data(True)
    assert "Handwerkskammer" not in search.get_data(True)
    assert profile.status_code == 404


# --- bad input ----------------------------------------------------------------------------


# Each required field left empty, and what its message says (in the user's words).
MISSING = {
    "country": "Choose a country.",
    "name": "Enter the name of the authority in English.",
    "street": "Enter the authority's street and number.",
    "city": "Enter the authority's city.",
    "email": "Enter the authority's e-mail address.",
    "competences": "Say what the authority is competent for.",
    "applicant_name": "Enter your full name.",
    "applicant_email": "Enter your e-mail address.",
}
TOO_LONG = {
    "name": ("N" * 301, 300),
    "local_name": ("L" * 301, 300),
    "competences": ("c" * 5000, 4000),
    "message": ("m" * 4001, 4000),
    "postcode": ("1" * 21, 20),
}
BAD_INPUT = [
    *[pytest.param({f: ""}, message, id=f"no-{f}") for f, message in MISSING.items()],
    pytest.param({"name": "   "}, MISSING["name"], id="blank-name"),
    pytest.param(
        {"email": "info at hwk-leipzig"},
        "Enter an e-mail address like name@example.eu.",
        id="bad-email",
    ),
    pytest.param(
        {"applicant_email": "jana@"},
        "Enter an e-mail address like name@example.eu.",
        id="bad-applicant-email",
    ),
    pytest.param(
        {"website": "hwk-leipzig"}, "Enter a web address like https://example.eu.", id="bad-url"
    ),
    *[
        pytest.param({f: value}, f"Use at most {limit} characters.", id=f"long-{f}")
        for f, (value, limit) in TOO_LONG.items()
    ],
    pytest.param({"country": "XX"}, "Choose a country.", id="unknown-country"),
    pytest.param({"country": "EU"}, "Choose a country.", id="commission-country"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_input_is_shown_with_everything_the_user_typed(
    client, smtp_server, coordinator, changes, message
):
    # When the form is sent with one bad field
    response = apply(client, **changes)

    # Then the form comes back with an error summary naming the problem
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert message in error_summary(response)
    field = next(iter(changes))
    link = page(response).find(".//div[@class='error-summary']//a").get("href")
    assert link == f"#{field}"
    # and every value typed still in the form (an unknown country cannot be selected)
    kept = form_values(response)
    sent = {**APPLICATION, **changes}
    for name, value in sent.items():
        if name == "country" and value not in ("", "DE"):
            continue
        assert (kept[name] or "") == value, name
    # and nothing was registered or mailed
    assert count(Authority) == 1  # the coordinator's own
    assert count(Registration) == 0
    assert smtp_server.messages == []


def test_an_empty_form_names_each_missing_field_once(client, smtp_server, coordinator):
    # When the form is sent with nothing filled in (but its token)
    response = post_form(client, "/register", {})

    # Then the error summary holds one specific message per required field, each
    # different and each a link to its own field, and every field shows its message
    assert response.status_code == 200
    summary = page(response).find(".//div[@class='error-summary']")
    links = {a.get("href"): text(a) for a in summary.iter("a")}
    assert len(links) == len(list(summary.iter("a"))), "two messages link to one field"
    assert links == {f"#{field}": message for field, message in MISSING.items()}
    for field, message in MISSING.items():
        shown = page(response).find(f".//p[@id='{field}-error']")
        assert shown is not None and text(shown) == f"Error: {message}", field
    assert count(Registration) == 0


@pytest.mark.parametrize(
    ("existing", "changes"),
    [
        ({"name": "Chamber of Crafts Leipzig"}, {}),
        ({"name": "Chamber of Crafts Leipzig"}, {"name": "chamber  of CRAFTS leipzig"}),
        ({"name": "Chamber of Crafts Leipzig"}, {"name": "Chambér of Cräfts Leipzig"}),
        (
            {"name": "Crafts Leipzig", "local_names": {"de": "Handwerkskammer zu Leipzig"}},
            {"name": "Handwerkskammer zu Leipzig"},
        ),
        (
            {"name": "Crafts Leipzig", "local_names": {"de": "Handwerkskammer zu Leipzig"}},
            {"name": "Leipzig Chamber", "local_name": "HANDWERKSKAMMER ZU LEIPZIG"},
        ),
    ],
    ids=["same", "case", "accents", "local-name", "typed-local-name"],
)
def test_duplicate_name_in_the_same_country_is_refused(client, smtp_server, existing, changes):
    # Given an authority of that country (pending, active or suspended alike)
    make_authority("DE", status=AuthorityStatus.PENDING, **existing)

    # When another application uses its name, up to case and accents
    response = apply(client, **changes)

    # Then it is refused with a message, and the form keeps what was typed
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert error_summary(response) == [
        "An authority with this name is already registered in this country."
    ]
    kept = form_values(response)
    for name, value in {**APPLICATION, **changes}.items():
        assert kept[name] == value, name
    assert count(Authority) == 1
    assert smtp_server.messages == []


def test_nul_characters_are_dropped_not_a_server_error(client):
    # When a robot sends NUL characters (PostgreSQL cannot store them in text)
    response = apply(client, name="Chamber\x00 of Crafts", competences="\x00Crafts")

    # Then the application is taken without them, never a server error
    assert response.status_code == 200
    assert title(response).startswith("Application sent")
    [authority] = authorities_named("Chamber of Crafts")
    assert authority.competences == "Crafts"


def test_name_language_defaults_to_the_visitors_language(client):
    # given a visitor whose browser asks for Polish, when the form is first shown
    page = client.get("/register", headers={"Accept-Language": "pl"}).get_data(True)
    # then the language of the local name is Polish
    assert '<option selected value="pl">' in page or '<option value="pl" selected>' in page


# --- rate limit -------------------------------------------------------------------------


def test_f7_registration_is_rate_limited_and_keeps_what_was_typed(client, coordinator, smtp_server):
    # Given as many applications from one address as the limit allows
    allowed = ratelimit.RULES["register"].limit

    def apply_as(n: int):
        return apply(client, name=f"Chamber of Crafts {n}", local_name=f"Handwerkskammer {n}")

    for n in range(allowed):
        assert title(apply_as(n)).startswith("Application sent")

    # When more come from the same address (twelve in all)
    responses = [apply_as(n) for n in range(allowed, 12)]

    # Then each is refused with 429, says why, and keeps what was typed
    last = responses[-1]
    assert {r.status_code for r in responses} == {429}
    assert title(last).startswith("Error: Register your authority")
    assert error_summary(last) == [
        "You have sent this form too often. Please wait an hour and send it again: "
        "what you typed is kept below."
    ]
    assert form_values(last)["name"] == "Chamber of Crafts 11"
    assert form_values(last)["message"] == APPLICATION["message"]
    # and nothing was stored or mailed for them
    assert count(Registration) == allowed
    assert len(mails_to(smtp_server, coordinator.email)) == allowed
