"""A local administrator keeps the authority's directory entry up to date."""

from app.extensions import db
from app.models import Authority
from tests.factories import make_authority, make_user, post_form, sign_in
from tests.web.governance.helpers import error_summary, form_values

ENTRY = {
    "street": "ul. Sobieskiego 110",
    "postcode": "00-764",
    "city": "Warszawa",
    "email": "biuro@nil.example.eu",
    "phone": "+48 22 559 13 00",
    "website": "https://nil.example.eu",
    "competences": "Prawo wykonywania zawodu lekarza; stomatologia",
}


def _admin_of(country="PL"):
    authority = make_authority(country, name="Supreme Medical Chamber")
    return authority, make_user(authority, ["admin"])


def test_admin_updates_the_entry_and_officers_find_it_by_the_new_competences(client):
    authority, admin = _admin_of()
    sign_in(client, admin)

    response = post_form(client, "/authority", ENTRY)

    assert response.status_code == 302
    profile = client.get(f"/directory/{authority.id}").get_data(True)
    assert "ul. Sobieskiego 110" in profile and "stomatologia" in profile
    found = client.get("/directory?q=STOMATOLOGIA").get_data(True)
    assert f"/directory/{authority.id}" in found


def test_country_and_status_cannot_be_changed_through_the_form(client):
    authority, admin = _admin_of()
    sign_in(client, admin)

    post_form(client, "/authority", {**ENTRY, "country": "DE", "status": "suspended"})

    db.session.expire_all()
    stored = db.session.get(Authority, authority.id)
    assert (stored.country, stored.status.value) == ("PL", "active")


def test_bad_website_is_refused_and_what_was_typed_is_kept(client):
    _, admin = _admin_of()
    sign_in(client, admin)

    response = post_form(client, "/authority", {**ENTRY, "website": "nil.example.eu"})

    assert response.status_code == 200
    assert any("https://example.eu" in error for error in error_summary(response))
    assert form_values(response)["competences"] == ENTRY["competences"]


def test_an_officer_without_the_admin_role_may_not_edit(client):
    authority = make_authority("PL")
    sign_in(client, make_user(authority, ["handler"]))

    assert client.get("/authority").status_code == 403
