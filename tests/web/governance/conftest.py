"""People and applications for the governance tests: a national coordinator per
country, an application form filled in as an applicant would."""

from __future__ import annotations

import pytest

from app.accounts import registrations
from app.extensions import db
from app.models import AuthorityKind, Registration
from tests.factories import make_authority, make_user, post_form

APPLICATION = {
    "country": "DE",
    "name": "Chamber of Crafts Leipzig",
    "local_name": "Handwerkskammer zu Leipzig",
    "local_language": "de",
    "street": "Dresdner Straße 11",
    "postcode": "04103",
    "city": "Leipzig",
    "email": "info@hwk-leipzig.example.eu",
    "phone": "+49 341 2188 0",
    "website": "https://hwk-leipzig.example.eu",
    "competences": "Recognition of craft qualifications; master craftsman certificates",
    "applicant_name": "Jana Köhler",
    "applicant_email": "jana.koehler@hwk-leipzig.example.eu",
    "message": "We decide about 200 recognition cases a year.",
}


def apply(client, **changes):
    """Fill in and send the public registration form; the page it ends on (a sent
    application is redirected to its confirmation)."""
    return post_form(client, "/register", {**APPLICATION, **changes}, follow_redirects=True)


def application(country: str = "DE", name: str = "Chamber of Crafts Leipzig", **changes) -> int:
    """An application made through the service, as the public form makes it; its id."""
    data = {**APPLICATION, "country": country, "name": name, "local_name": "", **changes}
    return registrations.apply_for_registration(data, "en").id


def registration(registration_id: int) -> Registration:
    return db.session.get(Registration, registration_id)


@pytest.fixture
def coordination_de(app):
    return make_authority("DE", name="Coordinator Germany", kind=AuthorityKind.NATIONAL_COORDINATOR)


@pytest.fixture
def coordinator(coordination_de):
    """The German national coordinator's officer (also its local administrator)."""
    return make_user(coordination_de, ["coordinator", "admin"], email="nimic@bmwe.example.eu")


@pytest.fixture
def coordinator_fr(app):
    authority = make_authority(
        "FR", name="Coordinator France", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    return make_user(authority, ["coordinator", "admin"], email="nimic@sgae.example.eu")


@pytest.fixture
def other_client(app, client):
    """A second browser."""
    return app.test_client()
