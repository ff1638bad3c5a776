"""An alert from Germany to France, Italy and Poland (and maybe the Commission).

Berlin's Approbation office sends professional qualifications alerts; each recipient
country's national coordinator receives them (France's has `alert_receiver` access);
the French coordinator disseminates to the Ordre des médecins; an Austrian authority and
a second French authority without access see nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models import Alert, AuthorityKind, ProcedureAccess, User
from app.procedures.store import sync
from tests.factories import csrf_token, make_authority, make_user, sign_in
from tests.snapshots import restored

PROCEDURE = "pq_alert"


@dataclass
class People:
    sender: User
    sender_viewer: User
    coordinator_de: User
    coordinator_fr: User
    coordinator_it: User
    coordinator_pl: User
    paris: User
    lyon: User
    austrian: User
    commission: User
    authorities: dict


def grant(authority, roles, procedure=PROCEDURE):
    db.session.add(ProcedureAccess(authority_id=authority.id, procedure_key=procedure, roles=roles))
    db.session.commit()


@pytest.fixture
def people(app) -> People:
    """Built once per worker, restored for later tests (tests/snapshots.py)."""
    return restored("alerts: people", _people)


def _people() -> People:
    sync()
    coordinators = {
        c: make_authority(c, name=f"Coordinator {c}", kind=AuthorityKind.NATIONAL_COORDINATOR)
        for c in ("DE", "FR", "IT", "PL")
    }
    commission = make_authority("BE", name="European Commission", kind=AuthorityKind.COMMISSION)
    berlin = make_authority("DE", name="Landesamt Berlin Approbation", parent=coordinators["DE"])
    paris = make_authority("FR", name="Ordre des médecins", parent=coordinators["FR"])
    lyon = make_authority("FR", name="Préfecture du Rhône", parent=coordinators["FR"])
    vienna = make_authority("AT", name="Österreichische Ärztekammer")
    grant(berlin, ["alert_sender", "alert_receiver"])
    grant(coordinators["FR"], ["alert_receiver"])
    grant(paris, ["alert_receiver"])
    grant(vienna, ["alert_sender", "alert_receiver"])
    return People(
        sender=make_user(berlin, ["alert_handler"], email="anna@berlin.example.eu", language="de"),
        sender_viewer=make_user(berlin, ["viewer"]),
        coordinator_de=make_user(coordinators["DE"], ["coordinator"], email="nimic@de.example.eu"),
        coordinator_fr=make_user(coordinators["FR"], ["coordinator"], email="nimic@fr.example.eu"),
        coordinator_it=make_user(coordinators["IT"], ["coordinator"], email="nimic@it.example.eu"),
        coordinator_pl=make_user(coordinators["PL"], ["coordinator"], email="nimic@pl.example.eu"),
        paris=make_user(paris, ["alert_handler"], email="luc@paris.example.eu", language="fr"),
        lyon=make_user(lyon, ["alert_handler"]),
        austrian=make_user(vienna, ["alert_handler", "coordinator"]),
        commission=make_user(commission, ["coordinator"], email="desk@ec.example.eu"),
        authorities={"berlin": berlin, "paris": paris, "lyon": lyon, **coordinators},
    )


def as_user(app, user):
    from tests.conftest import IsolatedClient

    app.test_client_class = IsolatedClient
    client = app.test_client()
    sign_in(client, user)
    return client


def submit(client, page_url: str, action_url: str, data: dict, **kwargs):
    token = csrf_token(client.get(page_url))
    return client.post(action_url, data={"csrf_token": token, **data}, **kwargs)


FIELDS = {
    "field-alert_type": "art56a_1",
    "field-professional_name": "Dr. Hans Beispiel",
    "field-date_of_birth": "1975-03-14",
    "field-place_of_birth": "Hamburg",
    "field-profession": "Doctor of medicine",
    "field-deciding_authority": "Landesamt Berlin",
    "field-decision_date": "2026-11-27",
    "field-scope": "Full prohibition of practice",
    "field-period_start": "2026-11-27",
}


def compose(client, send: bool = True, countries=("FR", "IT", "PL"), **changes):
    data = {
        "procedure": PROCEDURE,
        **FIELDS,
        "message": "Approbation widerrufen.",
        "countries": list(countries),
        **changes,
    }
    data["send" if send else "save"] = "1"
    return submit(client, f"/alerts/new?procedure={PROCEDURE}", "/alerts/new", data)


def only_alert() -> Alert:
    return db.session.query(Alert).order_by(Alert.id).first()
