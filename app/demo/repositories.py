"""Demo data of the repositories: both registers open to the authorities of eight
countries, with records made through the services as officers would make them."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import ProcedureAccess, RepositoryRecord

COUNTRIES = ("DE", "FR", "PL", "IT", "CZ", "PT", "GR", "BG")

SANCTIONS = [
    ("DE", "Dr. Jürgen Müller", "1968-02-11", "Doctor of medicine", "temporary_prohibition",
     "All medical activities, pending disciplinary proceedings", "Landesamt für Gesundheit"),
    ("FR", "Dr. Zoé Lefèvre", "1975-06-30", "Dental practitioner", "restriction",
     "No oral surgery without supervision", "Chambre disciplinaire de l'Ordre"),
    ("PL", "Anna Wiśniewska", "1983-09-17", "Nurse responsible for general care", "prohibition",
     "Removed from the register of nurses", "Okręgowy Sąd Pielęgniarek i Położnych"),
    ("IT", "Dr. Marco Bianchi", "1979-12-01", "Pharmacist", "disciplinary_action",
     "Suspension of six months imposed by the disciplinary board", "Ordine dei Farmacisti"),
]  # fmt: skip

POSTINGS = [
    ("PT", "Construções Lisboa Lda", "PT509876543", "Portugal", "12", "construction",
     "Baustelle Hafencity, Am Sandtorkai 1, 20457 Hamburg, Germany", "Rui Costa, +351 21 000 0000"),
    ("CZ", "Stavby Brno s.r.o.", "CZ27654321", "Czechia", "6", "construction",
     "Chantier Part-Dieu, 69003 Lyon, France", "Petra Svobodová, +420 500 000 000"),
    ("BG", "Агро Труд ЕООД", "BG204567890", "Bulgaria", "20", "agriculture",
     "Azienda agricola, Via Emilia 10, Modena, Italy", "Иван Петров, +359 2 000 0000"),
    ("GR", "Ναυπηγική Πειραιώς Α.Ε.", "EL094567123", "Greece", "3", "manufacturing",
     "Stocznia Gdańsk, ul. Doki 1, Gdańsk, Poland", "Νίκος Παπαδόπουλος, +30 210 000 0000"),
]  # fmt: skip


def seed(officer) -> None:
    """Access for every demo country, and records if there are none yet. `officer(country,
    labour, role)` gives an acting officer of the country's health or labour authority."""
    from app.cases import repositories
    from app.procedures import registry

    packs = registry(current_app)
    sanctions, posting = packs.get("pq_sanctions_register"), packs.get("posting_declarations")
    if sanctions is None or posting is None:
        return
    actors = {}
    for country in COUNTRIES:
        for pack, labour in ((sanctions, False), (posting, True)):
            actor = officer(country, labour, "handler")
            actors[(country, pack.key)] = actor
            _grant(actor.authority.id, pack.key)
    db.session.commit()
    if db.session.scalar(select(RepositoryRecord.id).limit(1)) is not None:
        return
    db.session.info["openimi_no_mail"] = True
    try:
        for country, name, born, profession, measure, scope, decided_by in SANCTIONS:
            values = {
                "full_name": name,
                "date_of_birth": born,
                "profession": profession,
                "measure": measure,
                "measure_scope": scope,
                "deciding_authority": decided_by,
                "decision_date": "2026-09-15",
                "start_date": "2026-10-01",
            }
            actor = actors[(country, sanctions.key)]
            record = repositories.create(actor, sanctions, values, "Entered after the decision.")
            if country == "DE":
                changed = {**values, "end_date": "2027-03-31"}
                repositories.update(actor, record, changed, "The decision limits the prohibition.")
        for country, name, number, home, workers, sector, place, contact in POSTINGS:
            values = {
                "provider_name": name,
                "provider_registration_number": number,
                "establishment_country": home,
                "posted_workers": workers,
                "posting_start": "2026-11-02",
                "posting_end": "2027-01-29",
                "workplace_address": place,
                "sector": sector,
                "liaison_contact": contact,
                "documents_location": "At the workplace",
            }
            repositories.create(actors[(country, posting.key)], posting, values)
    finally:
        db.session.info.pop("openimi_no_mail", None)


def _grant(authority_id: int, key: str) -> None:
    access = db.session.scalar(
        select(ProcedureAccess).where(
            ProcedureAccess.authority_id == authority_id, ProcedureAccess.procedure_key == key
        )
    )
    if access is None:
        db.session.add(
            ProcedureAccess(
                authority_id=authority_id, procedure_key=key, roles=["repository_editor"]
            )
        )
    elif "repository_editor" not in access.roles:
        access.roles = [*access.roles, "repository_editor"]
