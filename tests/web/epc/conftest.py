"""An EPC world: a nurse established in Spain applies for a card to work in France. The
Madrid and Paris authorities hold responder access to the EPC procedure; a German
authority has nothing to do with the application."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest

from app.cases.epc import accounts, applications
from app.extensions import db
from app.models import Authority, EpcApplicant, User
from app.models.base import utcnow
from app.procedures.store import sync
from tests.conftest import IsolatedClient
from tests.factories import PASSWORD, csrf_token, make_authority, make_user
from tests.snapshots import restored
from tests.web.requests.conftest import grant

PROCEDURE = "epc_application"

DETAILS = {
    "profession": "general_care_nurse",
    "purpose": "establishment",
    "full_name": "García López, Ana",
    "date_of_birth": "1990-03-12",
    "place_of_birth": "Sevilla",
    "nationality": "Spanish",
    "identity_document": "DNI",
    "identity_number": "12345678Z",
    "qualification_title": "Graduada en Enfermería",
    "qualification_institution": "Universidad de Sevilla, 2012",
    "sanctions_declared": "no",
}


@dataclass
class World:
    madrid: Authority
    paris: Authority
    berlin: Authority
    home: User  # handler in Madrid
    home_viewer: User
    host: User  # handler in Paris
    host_viewer: User
    host_alerts: User  # alert handler in Paris: takes no EPC decision
    third: User  # handler in Berlin
    applicant: EpcApplicant
    other: EpcApplicant


@pytest.fixture
def world(app) -> World:
    return restored("epc: world", _world)


def _applicant(email: str, name: str) -> EpcApplicant:
    applicant = EpcApplicant(
        email=email,
        full_name=name,
        language="en",
        password_hash=_hash(),
        confirmed_at=utcnow(),
    )
    db.session.add(applicant)
    db.session.commit()
    return applicant


def _hash() -> str:
    from app.accounts import credentials

    return credentials.hash_password(PASSWORD)


def _world() -> World:
    sync()
    madrid = make_authority("ES", name="Consejo General de Enfermería")
    paris = make_authority("FR", name="Ordre national des infirmiers")
    berlin = make_authority("DE", name="Landesamt Berlin")
    for authority in (madrid, paris, berlin):
        grant(authority, ["responder"], PROCEDURE)
    return World(
        madrid=madrid,
        paris=paris,
        berlin=berlin,
        home=make_user(madrid, ["handler"]),
        home_viewer=make_user(madrid, ["viewer"]),
        host=make_user(paris, ["handler", "allocator"]),
        host_viewer=make_user(paris, ["viewer"]),
        host_alerts=make_user(paris, ["alert_handler"]),
        third=make_user(berlin, ["handler", "allocator", "alert_handler"]),
        applicant=_applicant("ana.garcia@example.org", "Ana García"),
        other=_applicant("jean.dupont@example.org", "Jean Dupont"),
    )


def visitor(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


def applicant_client(app, applicant: EpcApplicant):
    client = visitor(app)
    page = client.get("/epc/sign-in")
    response = client.post(
        "/epc/sign-in",
        data={"csrf_token": csrf_token(page), "email": applicant.email, "password": PASSWORD},
    )
    assert response.status_code == 302, response.get_data(True)
    return client


class Upload:
    def __init__(self, name: str, data: bytes):
        self.filename, self.stream = name, io.BytesIO(data)


def application_of(applicant: EpcApplicant, world: World, purpose: str = "establishment"):
    """An application submitted through the service (with one document of the account)."""
    documents = accounts.add_documents(applicant, [Upload("diploma.pdf", b"%PDF-1.4\n%%EOF\n")])
    db.session.commit()
    return applications.submit(
        applicant,
        applications.Application(
            "ES", "FR", {**DETAILS, "purpose": purpose}, [d.id for d in documents]
        ),
    )


def code_of(page: str) -> str:
    return re.search(r"<code>([A-Z0-9-]+)</code>", page).group(1)
