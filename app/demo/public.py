"""Demo public cases: a SOLVIT centre in four countries holds responder access, and
citizens' cases stand in every state (not announced by mail). The European Professional
Card has a kind of its own (app/demo/epc.py)."""

from __future__ import annotations

import io

from flask import current_app
from sqlalchemy import select

from app.demo import common
from app.extensions import db
from app.models import Authority, PublicCase
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


def seed() -> None:
    """Grant the public procedures and create the demo cases (once)."""
    from app.cases import public

    packs = registry(current_app)
    keys = [k for k in ("solvit_complaint",) if k in packs]
    authorities = [_authority(country) for country in COUNTRIES]
    common.grant([a for a in authorities if a is not None], keys, ["responder"])
    db.session.commit()
    if db.session.scalar(select(PublicCase.id).limit(1)) is not None:
        return
    db.session.info["openimi_no_mail"] = True
    try:
        for key, country, name, email, language, story, fields, text in DEMO_CASES:
            if key not in keys or public.competent_authority(key, country) is None:
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
