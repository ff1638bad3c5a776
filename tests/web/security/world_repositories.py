"""Repository records for the security world: authority A (DE) and the French authority
edit the register of restrictions, Germany's coordinator reads it; the French authority
alone has the posting declarations, which A never sees."""

from __future__ import annotations

from app.extensions import db
from app.models import ProcedureAccess
from app.procedures import registry

SANCTIONS = {
    "full_name": "Dr. Jürgen Müller",
    "date_of_birth": "1970-03-04",
    "profession": "Doctor of medicine",
    "measure": "restriction",
    "measure_scope": "No surgery",
    "deciding_authority": "Landesamt Berlin",
    "decision_date": "2026-10-01",
    "start_date": "2026-10-02",
}

POSTING = {
    "provider_name": "Foreign Posting SARL",
    "provider_registration_number": "FR12345678901",
    "establishment_country": "France",
    "posted_workers": "4",
    "posting_start": "2026-12-01",
    "posting_end": "2027-02-28",
    "workplace_address": "Rue de la Paix 1, Paris",
    "sector": "construction",
    "liaison_contact": "Mme Secret Liaison, +33 1 00 00 00 00",
}


def add_repository_records(actor_of, users, authority_a, authority_fr, user_fr, coordinator_de):
    """Returns (ids, canaries)."""
    from flask import current_app

    from app.cases import repositories

    grants = [
        (authority_a, "pq_sanctions_register", ["repository_editor"]),
        (authority_fr, "pq_sanctions_register", ["repository_editor"]),
        (authority_fr, "posting_declarations", ["repository_editor"]),
        (coordinator_de, "pq_sanctions_register", ["repository_reader"]),
    ]
    for authority, key, roles in grants:
        db.session.add(ProcedureAccess(authority_id=authority.id, procedure_key=key, roles=roles))
    db.session.commit()
    packs = registry(current_app)
    sanctions, posting = packs["pq_sanctions_register"], packs["posting_declarations"]
    handler_a, french = actor_of(users["handler"]), actor_of(user_fr)
    own = repositories.create(handler_a, sanctions, SANCTIONS)
    french_record = repositories.create(
        french, sanctions, {**SANCTIONS, "full_name": "Dr. Zoé Lefèvre"}
    )
    foreign = repositories.create(french, posting, POSTING)
    ids = {
        "record_own": own.id,
        "record_fr": french_record.id,
        "record_foreign": foreign.id,
        "repository_key": sanctions.key,
    }
    return ids, ["Foreign Posting SARL", "Secret Liaison"]
