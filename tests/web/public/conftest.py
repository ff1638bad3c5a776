"""A SOLVIT complaint to France: the Paris SOLVIT centre and a Lyon office hold responder
access (Lyon comes first by name and is the competent authority); a German authority
has nothing to do with the case."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models import AuthorityKind, PublicCase, User
from app.procedures.store import sync
from tests.conftest import IsolatedClient
from tests.factories import csrf_token, make_authority, make_user
from tests.snapshots import restored
from tests.web.requests.conftest import grant as requests_grant

PROCEDURE = "solvit_complaint"
EMAIL = "jan.kowalski@example.org"


@dataclass
class People:
    handler: User
    lyon_viewer: User
    paris_handler: User
    german: User
    coordinator_fr: User
    authorities: dict


def grant(authority, roles, procedure=PROCEDURE):
    requests_grant(authority, roles, procedure)


@pytest.fixture
def people(app) -> People:
    """Built once per worker, restored for later tests (tests/snapshots.py)."""
    return restored("public cases: people", _people)


def _people() -> People:
    sync()
    nimic_fr = make_authority(
        "FR", name="Coordinator France", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    lyon = make_authority("FR", name="Centre SOLVIT France (Lyon)", parent=nimic_fr)
    paris = make_authority("FR", name="SOLVIT Paris", parent=nimic_fr)
    berlin = make_authority("DE", name="SOLVIT Deutschland")
    grant(lyon, ["responder"])
    grant(paris, ["responder"])
    grant(berlin, ["responder"])
    return People(
        handler=make_user(lyon, ["handler"], email="claire@lyon.example.eu", language="fr"),
        lyon_viewer=make_user(lyon, ["viewer"]),
        paris_handler=make_user(paris, ["handler", "allocator"]),
        german=make_user(berlin, ["handler", "allocator", "admin"]),
        coordinator_fr=make_user(nimic_fr, ["coordinator", "admin"]),
        authorities={"lyon": lyon, "paris": paris, "berlin": berlin},
    )


def visitor(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


FIELDS = {
    "field-applicant_type": "citizen",
    "field-nationality": "Polish",
    "field-area": "recognition_qualifications",
    "field-problem_country": "France",
    "field-authority_concerned": "Préfecture du Rhône",
    "field-court_action": "no",
    "field-consent_share": "yes",
}


def submit_case(client, country="FR", files=None, **changes):
    url = f"/public/{PROCEDURE}/{country}/new"
    data = {
        "csrf_token": csrf_token(client.get(url)),
        "name": "Jan Kowalski",
        "email": EMAIL,
        "description": "My diploma of nurse was not recognised within the deadline.",
        **FIELDS,
        **changes,
    }
    if files:
        data["documents"] = files
    return client.post(url, data=data, content_type="multipart/form-data")


def pdf(name="diploma.pdf"):
    return (io.BytesIO(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"), name)


def confirm_case(client, smtp_server) -> str:
    """Confirm through the mailed link; returns the tracking link's path."""
    link = smtp_server.link_in(EMAIL, r"https?://\S+/public/confirm/\S+")
    path = re.sub(r"^https?://[^/]+", "", link)
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 200, response.get_data(True)
    return tracking_path(smtp_server)


def tracking_path(smtp_server) -> str:
    link = smtp_server.link_in(EMAIL, r"https?://\S+/public/case/\S+")
    return re.sub(r"^https?://[^/]+", "", link)


def only_case() -> PublicCase:
    return db.session.query(PublicCase).order_by(PublicCase.id).first()
