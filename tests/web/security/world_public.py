"""Public cases of the security world: one routed to authority A (DE) and one to the
French authority (foreign to A), each with a document, and an unconfirmed one. Tokens
are set to known values here (the service stores only their hashes)."""

from __future__ import annotations

import io
import secrets

from app.cases import public
from app.extensions import db
from app.models import ProcedureAccess


class _Upload:
    def __init__(self, name: str, data: bytes):
        self.filename, self.stream = name, io.BytesIO(data)


def _case(authority, country: str, name: str, confirm: bool = True) -> tuple[int, int, str]:
    case = public.submit(
        public.Submission(
            procedure_key="solvit_complaint",
            country=country,
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            language="en",
            details={"applicant_type": "citizen", "court_action": "no"},
            description="A complaint about a refused registration.",
            files=[_Upload("decision.pdf", b"%PDF-1.4\n%%EOF\n")],
        )
    )
    assert case.authority_id == authority.id
    if confirm:
        public.confirm(case)
    token = secrets.token_urlsafe(16)
    if confirm:
        case.token_hash = public.hash_token(token)
    else:
        case.confirm_hash = public.hash_token(token)
    db.session.commit()
    return case.id, case.documents[0].id, token


def build(authority_a, authority_fr) -> tuple[dict, list[str]]:
    for authority in (authority_a, authority_fr):
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id, procedure_key="solvit_complaint", roles=["responder"]
            )
        )
    db.session.commit()
    own, own_document, own_token = _case(authority_a, "DE", "Petra Public Example")
    foreign, foreign_document, foreign_token = _case(authority_fr, "FR", "Piotr Canary Nowak")
    _unconfirmed, _doc, confirm_token = _case(authority_a, "DE", "Uma Unconfirmed", False)
    ids = {
        "public_case": own,
        "public_document": own_document,
        "public_token": own_token,
        "public_case_foreign": foreign,
        "public_document_foreign": foreign_document,
        "public_confirm_token": confirm_token,
        "public_procedure": "solvit_complaint",
        "public_country": "DE",
    }
    return ids, ["Piotr Canary Nowak", "piotr@example.org", "Uma Unconfirmed"]
