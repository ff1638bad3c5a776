"""A SOLVIT world: the French SOLVIT centre (marked "area.solvit" in the directory, though
an unmarked French office holding the same access comes first by name), the German one
(the lead centre of the complaints here), an Italian one (a third centre), the
Commission's SOLVIT desk and another Commission authority; an officer per side and role;
and a complaint of a French resident about Germany at each stage."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field

from app.cases import public
from app.extensions import db
from app.models import AuthorityKind, PublicCase
from app.models import PublicCaseState as S
from app.policy import Actor
from app.procedures.store import sync
from tests.factories import make_authority, make_user
from tests.web.requests.conftest import grant

PROCEDURE = "solvit_complaint"
SOLVIT = ("area.solvit",)
EMAIL = "marie.dupont@example.org"
DETAILS = {
    "applicant_type": "citizen",
    "nationality": "French",
    "area": "social_security",
    "problem_country": "Germany",
    "authority_concerned": "Familienkasse Baden-Württemberg",
    "court_action": "no",
    "consent_share": "yes",
}
DESCRIPTION = "My child benefit has been stopped since I moved to Strasbourg."
# The applicant's name: the desk must never read it.
NAME = "Marie Dupont"

# stage -> the steps that lead there from a confirmed complaint: (who, action, extra)
STAGES = {
    "submitted": [],
    "in_progress": [("home", "accept", {})],
    "awaiting_submitter": [("home", "ask", {})],
    "with_lead": [("home", "accept", {}), ("home", "submit_to_lead", {"lead_country": "DE"})],
    "lead_working": [
        ("home", "accept", {}),
        ("home", "submit_to_lead", {"lead_country": "DE"}),
        ("lead", "lead_accept", {}),
    ],
    "structural": [
        ("home", "accept", {}),
        ("home", "submit_to_lead", {"lead_country": "DE"}),
        ("lead", "lead_accept", {}),
        ("home", "close", {"outcome": "structural_problem"}),
    ],
}


@dataclass
class World:
    users: dict
    authorities: dict
    actors: dict = field(default_factory=dict)
    # stage -> (case id, tracking token)
    cases: dict = field(default_factory=dict)


def actor(user) -> Actor:
    return Actor(user, user.memberships[0])


def build() -> World:
    sync()
    nimic = make_authority(
        "FR", name="Coordinateur France", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    office = make_authority("FR", name="Agence des prestations", parent=nimic)
    home = make_authority("FR", name="SOLVIT France", parent=nimic, concepts=SOLVIT)
    lead = make_authority("DE", name="SOLVIT Deutschland", concepts=SOLVIT)
    third = make_authority("IT", name="SOLVIT Italia", concepts=SOLVIT)
    desk = make_authority(
        "EU", name="European Commission – SOLVIT", kind=AuthorityKind.COMMISSION, concepts=SOLVIT
    )
    helpdesk = make_authority("EU", name="European Commission", kind=AuthorityKind.COMMISSION)
    for authority in (office, home, lead, third):
        grant(authority, ["responder"], PROCEDURE)
    users = {
        "home handler": make_user(home, ["handler"], email="claire@solvit-fr.example.eu"),
        "home allocator": make_user(home, ["allocator"]),
        "home viewer": make_user(home, ["viewer"]),
        "home admin": make_user(home, ["admin"]),
        "lead handler": make_user(lead, ["handler"], email="jonas@solvit-de.example.eu"),
        "lead allocator": make_user(lead, ["allocator"]),
        "lead viewer": make_user(lead, ["viewer"]),
        "lead admin": make_user(lead, ["admin"]),
        "third centre": make_user(third, ["handler", "allocator", "admin"]),
        "desk": make_user(desk, ["handler", "coordinator"], email="desk@solvit-eu.example.eu"),
        "commission": make_user(helpdesk, ["coordinator", "admin"]),
        "national coordinator": make_user(nimic, ["coordinator", "admin"]),
    }
    db.session.commit()
    return World(
        users=users,
        authorities={"home": home, "lead": lead, "third": third, "desk": desk, "office": office},
    )


class _Upload:
    def __init__(self, name: str, data: bytes):
        self.filename, self.stream = name, io.BytesIO(data)


def complaint(
    world: World, stage: str = "submitted", language: str = "fr"
) -> tuple[PublicCase, str]:
    """A confirmed complaint of a French resident about Germany, moved to `stage` with the
    services; with its tracking token."""
    case = public.submit(
        public.Submission(
            procedure_key=PROCEDURE,
            country="FR",
            name=NAME,
            email=EMAIL,
            language=language,
            details=dict(DETAILS),
            description=DESCRIPTION,
            files=[_Upload("letter.pdf", b"%PDF-1.4\n%%EOF\n")],
        )
    )
    public.confirm(case)
    sides = {"home": actor(world.users["home handler"]), "lead": actor(world.users["lead handler"])}
    for who, action, extra in STAGES[stage]:
        public.act(sides[who], case, action, f"Step {action} of the test's set-up.", **extra)
    token = secrets.token_urlsafe(16)
    case.token_hash, case.pending_token_hash = public.hash_token(token), None
    db.session.commit()
    return case, token


def with_cases() -> World:
    world = build()
    for stage in STAGES:
        case, token = complaint(world, stage)
        world.cases[stage] = (case.id, token)
    return world


def stage_of(case: PublicCase) -> str:
    if case.state == S.CLOSED:
        return "structural" if case.outcome == "structural_problem" else "closed"
    return case.state.value
