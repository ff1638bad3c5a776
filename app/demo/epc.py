"""Demo European Professional Cards: the first authorities of Portugal, France, Poland and
Italy hold responder access; one applicant has an application waiting for the French host
authority's decision, and one card issued to Italy can be checked on the verification
page (code and identity number below). Not announced by mail."""

from __future__ import annotations

import io

from flask import current_app
from sqlalchemy import select

from app.accounts import credentials
from app.demo import common
from app.extensions import db
from app.models import EpcApplicant, EpcApplication
from app.models.base import utcnow
from app.procedures import registry

COUNTRIES = ("PT", "FR", "PL", "IT")
EMAIL = "ana.sousa@example.org"
# The issued card, as the verification page asks for it (the README's demo tour).
IDENTITY_NUMBER = "19AB12345"
CARD_CODE = "DEMOCARD2026"  # shown as DEMO-CARD-2026

NURSE = {
    "profession": "general_care_nurse", "purpose": "establishment",
    "full_name": "Sousa Lima, Ana", "date_of_birth": "1990-03-12", "place_of_birth": "Braga",
    "nationality": "Portuguese", "identity_document": "Cartão de Cidadão", "identity_number": "12345678",
    "qualification_title": "Licenciatura em Enfermagem",
    "qualification_institution": "Universidade do Minho, 2012", "sanctions_declared": "no",
}  # fmt: skip
GUIDE = {
    "profession": "mountain_guide", "purpose": "temporary", "full_name": "Dupont, Jean",
    "date_of_birth": "1982-07-01", "place_of_birth": "Chamonix", "nationality": "French",
    "identity_document": "Passport", "identity_number": IDENTITY_NUMBER,
    "qualification_title": "Diplôme d'État de guide de haute montagne",
    "qualification_institution": "ENSA Chamonix, 2008", "sanctions_declared": "no",
}  # fmt: skip


class _Upload:
    def __init__(self, name: str, data: bytes):
        self.filename, self.stream = name, io.BytesIO(data)


def _applicant(email: str, name: str, language: str) -> EpcApplicant:
    """An applicant who signs in with the instance's demo password."""
    from app.demo import PASSWORDS

    applicant = EpcApplicant(
        email=email,
        full_name=name,
        language=language,
        password_hash=credentials.hash_password(PASSWORDS[current_app.config["INSTANCE"]]),
        confirmed_at=utcnow(),
    )
    db.session.add(applicant)
    db.session.flush()
    return applicant


def seed() -> None:
    """Grant the EPC procedure and create the demo applications (once)."""
    from app.cases.epc import accounts, applications

    if applications.PROCEDURE not in registry(current_app):
        return
    authorities = [common.officer(c, False, "handler").authority for c in COUNTRIES]
    common.grant(authorities, [applications.PROCEDURE], ["responder"])
    db.session.commit()
    if db.session.scalar(select(EpcApplication.id).limit(1)) is not None:
        return
    db.session.info["openimi_no_mail"] = True
    try:
        ana = _applicant(EMAIL, "Ana Sousa", "pt")
        docs = accounts.add_documents(
            ana, [_Upload("diploma-enfermagem.pdf", b"%PDF-1.4\n%%EOF\n")]
        )
        db.session.commit()
        waiting = applications.submit(
            ana, applications.Application("PT", "FR", NURSE, [d.id for d in docs])
        )
        applications.act(common.officer("PT", False, "handler"), waiting, "acknowledge")
        applications.act(common.officer("PT", False, "handler"), waiting, "transfer")
        jean = _applicant("jean.dupont@example.org", "Jean Dupont", "fr")
        docs = accounts.add_documents(jean, [_Upload("diplome-guide.pdf", b"%PDF-1.4\n%%EOF\n")])
        db.session.commit()
        issued = applications.submit(
            jean, applications.Application("FR", "IT", GUIDE, [d.id for d in docs])
        )
        applications.act(common.officer("FR", False, "handler"), issued, "acknowledge")
        applications.act(common.officer("FR", False, "handler"), issued, "issue_home")
        issued.card_code = CARD_CODE  # a code the demo tour can name
        db.session.commit()
    finally:
        db.session.info.pop("openimi_no_mail", None)
