"""Notifications between Germany, France, Austria and the Commission's desks.

Berlin's Landesamt notifies under the e-commerce derogation (to France, the Member State
of establishment, whose Ordre receives it) and under the Services Directive's new
requirements (to every other Member State's national coordinator). Each procedure has
its Commission desk: DG CNECT's e-commerce desk and DG GROW's services desk, each of
which sees only its own procedures. Austria's coordinator receives the services
notifications, and no e-commerce one; Germany's national coordinator validates.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.cases import notifications
from app.extensions import db
from app.models import AuthorityKind, Membership, ProcedureAccess, User
from app.policy import Actor
from app.procedures.store import sync
from tests.factories import csrf_token, make_authority, make_user, sign_in
from tests.snapshots import restored

ECOMMERCE = "ecommerce_derogation"
SERVICES = "services_new_requirements"
ALL = ["notifier", "notification_receiver", "notification_assessor", "notification_coordinator"]

ECOMMERCE_FIELDS = {
    "service_provider": "Glücksspiel Online Ltd, Paris",
    "service": "Online betting website",
    "ground": "consumers",
    "prejudice": "Unlicensed betting aimed at minors.",
    "measures": "Blocking of the website by access providers.",
    "proportionality": "Limited to the German market for six months.",
}
SERVICES_FIELDS = {
    "act_title": "Gesetz über Immobilienmakler",
    "adoption_stage": "draft",
    "service_activity": "Real estate agents",
    "requirement_type": "tariffs",
    "requirement": "Maximum commission of 3 %.",
    "justification": "Consumer protection.",
}


def grant(authority, roles, procedure):
    db.session.add(ProcedureAccess(authority_id=authority.id, procedure_key=procedure, roles=roles))
    db.session.commit()


@dataclass
class People:
    users: dict[str, User]
    authorities: dict

    def actor(self, name: str) -> Actor:
        user = self.users[name]
        membership = db.session.query(Membership).filter_by(user_id=user.id).one()
        return Actor(user, membership)


@pytest.fixture
def people(app) -> People:
    return restored("notifications: people", _people)


def _people() -> People:
    sync()
    coordinators = {
        c: make_authority(c, name=f"Coordinator {c}", kind=AuthorityKind.NATIONAL_COORDINATOR)
        for c in ("DE", "FR", "AT")
    }
    cnect = make_authority("EU", name="DG CNECT e-commerce desk", kind=AuthorityKind.COMMISSION)
    grow = make_authority("EU", name="DG GROW services desk", kind=AuthorityKind.COMMISSION)
    berlin = make_authority("DE", name="Landesamt Berlin", parent=coordinators["DE"])
    paris = make_authority("FR", name="ARCOM Paris", parent=coordinators["FR"])
    vienna = make_authority("AT", name="KommAustria Wien", parent=coordinators["AT"])
    grant(berlin, ["notifier"], ECOMMERCE)
    grant(berlin, ["notifier"], SERVICES)
    grant(paris, ["notification_receiver"], ECOMMERCE)
    grant(vienna, ["notification_receiver"], ECOMMERCE)
    grant(cnect, ["notification_assessor"], ECOMMERCE)
    grant(grow, ["notification_assessor"], SERVICES)
    grant(coordinators["DE"], ["notification_coordinator"], SERVICES)
    made = {
        "berlin": make_user(berlin, ["handler"], email="anna@berlin.example.eu", language="de"),
        "berlin_viewer": make_user(berlin, ["viewer"]),
        "de_coordinator": make_user(coordinators["DE"], ["coordinator"]),
        "paris": make_user(paris, ["handler"], email="luc@paris.example.eu", language="fr"),
        "paris_viewer": make_user(paris, ["viewer"]),
        "vienna": make_user(vienna, ["handler", "coordinator"]),
        "at_coordinator": make_user(coordinators["AT"], ["coordinator", "handler"]),
        "fr_coordinator": make_user(coordinators["FR"], ["coordinator", "handler"]),
        "cnect": make_user(cnect, ["handler"], email="desk@cnect.example.eu"),
        "grow": make_user(grow, ["handler", "coordinator"], email="desk@grow.example.eu"),
    }
    return People(made, {"berlin": berlin, "paris": paris, "cnect": cnect, "grow": grow})


def as_user(app, user):
    from tests.conftest import IsolatedClient

    app.test_client_class = IsolatedClient
    client = app.test_client()
    sign_in(client, user)
    return client


def post(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    token = csrf_token(client.get(page or url))
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def ecommerce_draft(people: People, urgent: bool = False):
    draft = notifications.Draft(
        ECOMMERCE,
        dict(ECOMMERCE_FIELDS),
        "Wir bitten Frankreich, tätig zu werden.",
        establishment_country="FR",
        urgent=urgent,
        urgency_reason="Minors are exposed now." if urgent else "",
    )
    return notifications.save_draft(people.actor("berlin"), draft)


def services_draft(people: People):
    draft = notifications.Draft(SERVICES, dict(SERVICES_FIELDS), "Entwurf.")
    return notifications.save_draft(people.actor("berlin"), draft)
