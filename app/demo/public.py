"""Demo public cases: a SOLVIT centre in four countries holds responder access, and
citizens' cases stand in every state (not announced by mail).

SOLVIT: each demo country's SOLVIT centre is the authority the directory marks with the
competence "area.solvit" (its national coordinator); it gets a handler, solvit.<cc>. The
Commission's SOLVIT desk is a Commission authority marked the same way, with solvit.eu.
One complaint stands at the lead-centre stage: from Poland, about Germany, waiting for
the German centre's acceptance. The European Professional Card has a kind of its own
(app/demo/epc.py)."""

from __future__ import annotations

import io

from flask import current_app
from sqlalchemy import select

from app import directory
from app.cases.public import solvit
from app.demo import common
from app.extensions import db
from app.models import (
    Authority,
    AuthorityKind,
    AuthorityStatus,
    Membership,
    PublicCase,
)
from app.policy import Actor
from app.procedures import registry

COUNTRIES = ("FR", "DE", "PL", "IT")

# (procedure, country, submitter, e-mail, language, state story, fields, description)
DEMO_CASES = [
    ("solvit_complaint", "FR", "Maria Rossi", "maria.rossi@example.org", "it", "submitted",
     {"applicant_type": "citizen", "nationality": "Italian", "area": "social_security",
      "authority_concerned": "CPAM du Rhône", "court_action": "no", "consent_share": "yes"},
     "My S1 form has not been accepted for eight months."),
    ("solvit_complaint", "DE", "Piotr Nowak", "piotr.nowak@example.org", "pl", "awaiting",
     {"applicant_type": "citizen", "nationality": "Polish", "area": "vehicles",
      "authority_concerned": "Kfz-Zulassungsstelle Berlin", "court_action": "no",
      "consent_share": "yes"},
     "The registration of my car imported from Poland was refused."),
    ("solvit_complaint", "PL", "Anna Kowalska", "anna.kowalska@example.org", "pl", "lead",
     {"applicant_type": "citizen", "nationality": "Polish", "area": "social_security",
      "problem_country": "Germany", "authority_concerned": "Familienkasse Bayern Nord",
      "court_action": "no", "consent_share": "yes"},
     "Kindergeld for my son has been refused although I work in Nuremberg."),
]  # fmt: skip


class _Upload:
    def __init__(self, name: str, data: bytes):
        self.filename, self.stream = name, io.BytesIO(data)


def _authority(country: str) -> Authority | None:
    """The first active authority of the country (the one the demo requests use)."""
    try:
        return common.officer(country, False, "handler").authority
    except (IndexError, StopIteration):
        return None


DESK = {"en": "European Commission – SOLVIT", "street": "Rue de Spa 2", "postcode": "1049",
        "city": "Bruxelles", "email": "solvit@commission.example"}  # fmt: skip


def _centres() -> list[Authority]:
    """The demo countries' SOLVIT centres (the authorities the directory marks)."""
    return list(
        db.session.scalars(
            select(Authority)
            .where(Authority.country.in_(COUNTRIES), solvit.marked())
            .order_by(Authority.country)
        )
    )


def _desk() -> Authority:
    """The Commission's SOLVIT desk, created once."""
    found = solvit.desk()
    if found is None:
        found = Authority(
            kind=AuthorityKind.COMMISSION,
            status=AuthorityStatus.ACTIVE,
            country="EU",
            name=DESK["en"],
            street=DESK["street"],
            postcode=DESK["postcode"],
            city=DESK["city"],
            email=DESK["email"],
        )
        directory.index_text(found)
        db.session.add(found)
        db.session.flush()
        directory.set_competences(found, [solvit.CENTRE_CONCEPT])
    return found


def _centre_officer(country: str) -> Actor:
    centre = next(a for a in _centres() if a.country == country)
    membership = db.session.scalars(
        select(Membership).where(Membership.authority_id == centre.id).order_by(Membership.id)
    )
    found = next(m for m in membership if "handler" in m.roles)
    return Actor(found.user, found)


def seed(make_user=None) -> None:
    """Grant the public procedures, give the SOLVIT centres and the Commission's SOLVIT
    desk their handlers (`make_user`, as app/demo makes accounts) and create the demo
    cases (once)."""
    from app.cases import public

    packs = registry(current_app)
    if "solvit_complaint" in packs:
        centres = _centres()
        common.grant(centres, ["solvit_complaint"], ["responder"])
        desk = _desk()
        if make_user is not None:
            for centre in centres:
                cc = centre.country
                language = next(iter(centre.local_names), "en")
                make_user(centre, f"solvit.{cc.lower()}", f"SOLVIT centre {cc}", ["handler"],
                          language)  # fmt: skip
            make_user(desk, "solvit.eu", "SOLVIT desk EU", ["handler"], "en")
    db.session.commit()
    if db.session.scalar(select(PublicCase.id).limit(1)) is not None:
        return
    db.session.info["openimi_no_mail"] = True
    try:
        for key, country, name, email, language, story, fields, text in DEMO_CASES:
            if key not in packs or public.competent_authority(key, country) is None:
                continue
            case = public.submit(
                public.Submission(
                    key, country, name, email, language, fields, text,
                    [_Upload("letter.pdf", b"%PDF-1.4\n%%EOF\n")],
                )
            )  # fmt: skip
            public.confirm(case)
            if story == "submitted":
                continue
            if key == "solvit_complaint":
                _solvit_story(case, country, story)
                continue
            officer = common.officer(country, False, "handler")
            if story == "awaiting":
                public.act(officer, case, "ask", "Please send a copy of the decision of refusal.")
                continue
            public.act(officer, case, "accept")
            if story == "closed":
                public.act(officer, case, "reply", "Your card has been issued.")
                public.act(officer, case, "close")
    finally:
        db.session.info.pop("openimi_no_mail", None)


def _solvit_story(case: PublicCase, country: str, story: str) -> None:
    from app.cases import public

    home = _centre_officer(country)
    if story == "awaiting":
        public.act(home, case, "ask", "Please send a copy of the decision of refusal.")
    elif story == "lead":
        public.act(home, case, "accept")
        public.act(
            home,
            case,
            "submit_to_lead",
            "Polish worker in Nuremberg; Kindergeld refused for lack of a certificate the "
            "Polish institution has already sent (Regulation 883/2004, Art. 67 and 68).",
            lead_country="DE",
        )
