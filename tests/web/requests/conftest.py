"""Two countries' authorities exchanging requests of a shipped procedure.

Germany's Approbation office asks; France's medical council answers (an allocator, two
handlers and a viewer); the Lyon council, in France too, could answer (forwarding goes
there: IMI forwards within a Member State); Austria's chamber could answer too (splitting
goes there); an Italian authority has nothing to do with the exchange.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models import AuthorityKind, ProcedureAccess, Request, User
from app.procedures.store import sync
from tests.factories import csrf_token, date_input, make_authority, make_user, sign_in
from tests.snapshots import restored

PROCEDURE = "pq_good_standing"


@dataclass
class People:
    requester: User
    requester_viewer: User
    allocator: User
    handler: User
    other_handler: User
    viewer: User
    austrian: User
    italian: User
    coordinator_de: User
    coordinator_fr: User
    authorities: dict
    lyonnais: User


def grant(authority, roles, procedure=PROCEDURE):
    db.session.add(ProcedureAccess(authority_id=authority.id, procedure_key=procedure, roles=roles))
    db.session.commit()


@pytest.fixture
def people(app) -> People:
    """Built once per worker, restored for later tests (tests/snapshots.py)."""
    return restored("requests: people", _people)


def _people() -> People:
    sync()
    nimic_de = make_authority(
        "DE", name="Coordinator Germany", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    nimic_fr = make_authority(
        "FR", name="Coordinator France", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    berlin = make_authority("DE", name="Landesamt Berlin Approbation", parent=nimic_de)
    paris = make_authority("FR", name="Conseil national de l'Ordre des médecins", parent=nimic_fr)
    lyon = make_authority("FR", name="Ordre des médecins du Rhône", parent=nimic_fr)
    vienna = make_authority("AT", name="Österreichische Ärztekammer")
    rome = make_authority("IT", name="Ministero della Salute")
    grant(berlin, ["requester", "responder"])
    grant(paris, ["requester", "responder"])
    grant(lyon, ["responder"])
    grant(vienna, ["responder"])
    grant(rome, ["requester", "responder"])
    return People(
        requester=make_user(berlin, ["handler"], email="anna@berlin.example.eu", language="de"),
        requester_viewer=make_user(berlin, ["viewer"]),
        allocator=make_user(paris, ["allocator"], email="alloc@paris.example.eu", language="fr"),
        handler=make_user(paris, ["handler"], email="luc@paris.example.eu", language="fr"),
        other_handler=make_user(paris, ["handler"]),
        viewer=make_user(paris, ["viewer"]),
        austrian=make_user(vienna, ["handler", "allocator"], email="eva@wien.example.eu"),
        italian=make_user(rome, ["handler", "allocator", "admin"]),
        coordinator_de=make_user(nimic_de, ["coordinator", "admin"], email="nimic@de.example.eu"),
        coordinator_fr=make_user(nimic_fr, ["coordinator", "admin"], email="nimic@fr.example.eu"),
        authorities={
            "berlin": berlin,
            "paris": paris,
            "lyon": lyon,
            "vienna": vienna,
            "rome": rome,
        },
        lyonnais=make_user(lyon, ["handler", "allocator"], email="paul@lyon.example.eu"),
    )


def as_user(app, user):
    """A browser of its own, signed in as `user`."""
    from tests.conftest import IsolatedClient

    app.test_client_class = IsolatedClient
    client = app.test_client()
    sign_in(client, user)
    return client


def submit(client, page_url: str, action_url: str, data: dict, **kwargs):
    """POST a form of `page_url` with the page's CSRF token, as a browser would."""
    token = csrf_token(client.get(page_url))
    return client.post(action_url, data={"csrf_token": token, **data}, **kwargs)


def compose(client, responder_id: int, send: bool = True, **changes):
    data = {
        "procedure": PROCEDURE,
        "responder": responder_id,
        "subject": "Dr. Marie Dupont, born 1980-04-02",
        "questions": ["legally_established", "registration_status", "sanctions_imposed"],
        "message": "Bitte bestätigen Sie die Berufszulassung.",
        "detail-profession": "Doctor of medicine",
        **date_input("detail-date_of_birth", "1980-04-02"),
        **changes,
    }
    data["send" if send else "save"] = "1"
    url = f"/requests/new?procedure={PROCEDURE}"
    return submit(client, url, "/requests/new", data)


def only_request() -> Request:
    return db.session.query(Request).order_by(Request.id).first()
