"""Demo data: coordinators and authorities in 8 countries with users of every role.

Idempotent: running it again changes nothing. Each instance has its own accounts
(production: @demo.openimi.eu, training: @training.openimi.eu) and password.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app import directory
from app.accounts import credentials
from app.demo import public as demo_public
from app.extensions import db
from app.models import (
    Authority,
    AuthorityKind,
    AuthorityStatus,
    Membership,
    Procedure,
    ProcedureAccess,
    Registration,
    Request,
    User,
)
from app.models.accounts import UserStatus
from app.procedures import store as procedures

PASSWORDS = {"production": "imi demo harbour lantern", "training": "imi training harbour lantern"}
DOMAINS = {"production": "demo.openimi.eu", "training": "training.openimi.eu"}


# country -> (coordinator (local, English), health authority, labour authority)
COUNTRIES = {
    "DE": (("Bundesministerium für Wirtschaft und Energie", "Federal Ministry for Economic Affairs and Energy"),
           ("Landesamt für Gesundheit und Soziales Berlin", "State Office for Health and Social Affairs Berlin", "Berlin"),
           ("Zoll – Finanzkontrolle Schwarzarbeit", "Customs – Financial Control of Undeclared Work", "Köln")),
    "FR": (("Secrétariat général des affaires européennes", "General Secretariat for European Affairs"),
           ("Ordre national des infirmiers", "National Order of Nurses", "Paris"),
           ("Direction générale du travail", "Directorate-General for Labour", "Paris")),
    "PL": (("Ministerstwo Rozwoju i Technologii", "Ministry of Development and Technology"),
           ("Naczelna Izba Lekarska", "Supreme Medical Chamber", "Warszawa"),
           ("Państwowa Inspekcja Pracy", "National Labour Inspectorate", "Warszawa")),
    "CZ": (("Ministerstvo průmyslu a obchodu", "Ministry of Industry and Trade"),
           ("Ministerstvo zdravotnictví České republiky", "Ministry of Health of the Czech Republic", "Praha"),
           ("Státní úřad inspekce práce", "State Labour Inspection Office", "Opava")),
    "PT": (("Direção-Geral das Atividades Económicas", "Directorate-General for Economic Activities"),
           ("Ordem dos Enfermeiros", "Order of Nurses", "Lisboa"),
           ("Autoridade para as Condições do Trabalho", "Authority for Working Conditions", "Lisboa")),
    "IT": (("Dipartimento per gli Affari Europei", "Department for European Affairs"),
           ("Ministero della Salute", "Ministry of Health", "Roma"),
           ("Ispettorato Nazionale del Lavoro", "National Labour Inspectorate", "Roma")),
    "GR": (("Υπουργείο Ανάπτυξης", "Ministry of Development"),
           ("Υπουργείο Υγείας", "Ministry of Health", "Αθήνα"),
           ("Ανεξάρτητη Αρχή Επιθεώρησης Εργασίας", "Independent Labour Inspection Authority", "Αθήνα")),
    "BG": (("Министерство на иновациите и растежа", "Ministry of Innovation and Growth"),
           ("Министерство на здравеопазването", "Ministry of Health", "София"),
           ("Изпълнителна агенция „Главна инспекция по труда“", "General Labour Inspectorate Executive Agency", "София")),
}  # fmt: skip

LOCAL_LANGUAGE = {
    "DE": "de",
    "FR": "fr",
    "PL": "pl",
    "CZ": "cs",
    "PT": "pt",
    "IT": "it",
    "GR": "el",
    "BG": "bg",
}
HEALTH_ROLES = ("admin", "allocator", "handler", "alert_handler", "viewer")

# What the demo authorities are competent for (concepts of app/vocabulary): a ministry of
# health covers the health professions, a chamber or order its own profession.
_MINISTRY_OF_HEALTH = [
    "profession.doctor", "profession.nurse", "profession.dentist", "profession.pharmacist",
    "profession.midwife", "area.public_health", "area.patients_rights",
    "area.professional_qualifications",
]  # fmt: skip
HEALTH_COMPETENCES = {
    "DE": ["profession.doctor", "profession.nurse", "profession.pharmacist",
           "area.public_health", "area.professional_qualifications"],
    "FR": ["profession.nurse", "area.professional_qualifications"],
    "PL": ["profession.doctor", "profession.dentist", "area.professional_qualifications"],
    "CZ": _MINISTRY_OF_HEALTH,
    "PT": ["profession.nurse", "profession.midwife", "area.professional_qualifications"],
    "IT": [*_MINISTRY_OF_HEALTH, "activity.medical_devices"],
    "GR": _MINISTRY_OF_HEALTH,
    "BG": _MINISTRY_OF_HEALTH,
}  # fmt: skip
LABOUR_COMPETENCES = {
    "DE": ["area.undeclared_work", "area.posting_of_workers"],
    "FR": ["area.labour_inspection", "area.posting_of_workers", "activity.temporary_agency_work"],
}  # fmt: skip
LABOUR_DEFAULT = ["area.labour_inspection", "area.posting_of_workers", "area.undeclared_work"]
COORDINATOR_COMPETENCES = ["area.services", "area.solvit"]


@dataclass
class DemoAccount:
    email: str
    password: str
    totp_secret: str
    authority: str
    country: str
    roles: list[str]
    instance: str


def _secret(instance: str, email: str) -> str:
    """A stable TOTP secret per demo account, so seeding twice changes nothing."""
    digest = hashlib.sha256(f"openimi-demo|{instance}|{email}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def _authority(country, kind, local, english, city, language, parent=None) -> Authority:
    found = db.session.scalar(
        select(Authority).where(Authority.country == country, Authority.name == english)
    )
    if found:
        return found
    authority = Authority(
        kind=kind,
        status=AuthorityStatus.ACTIVE,
        country=country,
        name=english,
        local_names={language: local} if language else {},
        city=city,
        street="—",
        email=f"contact@{country.lower()}.{DOMAINS['production']}",
        parent=parent,
    )
    directory.index_text(authority)
    db.session.add(authority)
    db.session.flush()
    return authority


def seed() -> list[DemoAccount]:
    """Create the demo data of the current instance (if missing); return its accounts."""
    instance = current_app.config["INSTANCE"]
    password = PASSWORDS[instance]
    existing_hash = db.session.scalar(
        select(User.password_hash).where(User.email.like(f"%@{DOMAINS[instance]}")).limit(1)
    )
    password_hash = existing_hash or credentials.hash_password(password)
    accounts: list[DemoAccount] = []

    procedures.sync()

    def user(authority: Authority, slug: str, full_name: str, roles: list[str], language: str):
        email = f"{slug}@{DOMAINS[instance]}"
        found = db.session.scalar(select(User).where(User.email == email))
        if found is None:
            found = User(
                email=email,
                full_name=full_name,
                language=language,
                status=UserStatus.ACTIVE,
                password_hash=password_hash,
                totp_secret=_secret(instance, email),
                totp_enrolled=True,
            )
            db.session.add(found)
            db.session.flush()
            db.session.add(Membership(user_id=found.id, authority_id=authority.id, roles=roles))
        accounts.append(
            DemoAccount(
                email,
                password,
                found.totp_secret,
                authority.name,
                authority.country,
                roles,
                instance,
            )
        )

    commission = _authority(
        "EU", AuthorityKind.COMMISSION, "", "European Commission – IMI helpdesk", "Bruxelles", None
    )
    user(commission, "coordinator.eu", "Ana Commission", ["coordinator", "admin"], "en")

    for country, (coordinator, health, labour) in COUNTRIES.items():
        language = LOCAL_LANGUAGE[country]
        cc = country.lower()
        nimic = _authority(
            country,
            AuthorityKind.NATIONAL_COORDINATOR,
            coordinator[0],
            coordinator[1],
            health[2],
            language,
            parent=commission,
        )
        user(
            nimic, f"coordinator.{cc}", f"Coordinator {country}", ["coordinator", "admin"], language
        )
        health_authority = _authority(
            country,
            AuthorityKind.AUTHORITY,
            health[0],
            health[1],
            health[2],
            language,
            parent=nimic,
        )
        labour_authority = _authority(
            country,
            AuthorityKind.AUTHORITY,
            labour[0],
            labour[1],
            labour[2],
            language,
            parent=nimic,
        )
        for role in HEALTH_ROLES:
            user(
                health_authority,
                f"{role}.{cc}",
                f"{role.replace('_', ' ').title()} {country}",
                [role],
                language,
            )
        user(
            labour_authority,
            f"inspector.{cc}",
            f"Inspector {country}",
            ["handler", "allocator"],
            language,
        )
        _grant(
            health_authority,
            ["pq_diploma_authenticity", "pq_good_standing", "healthcare_right_to_practise"],
        )
        _grant(labour_authority, ["posting_genuine_establishment", "services_establishment"])
        directory.set_competences(nimic, COORDINATOR_COMPETENCES)
        directory.set_competences(health_authority, HEALTH_COMPETENCES[country])
        directory.set_competences(labour_authority, LABOUR_COMPETENCES.get(country, LABOUR_DEFAULT))

    # A delegated coordinator under Germany's national coordinator, for one policy area.
    german_nimic = db.session.scalar(
        select(Authority).where(
            Authority.country == "DE", Authority.kind == AuthorityKind.NATIONAL_COORDINATOR
        )
    )
    zab = _authority(
        "DE",
        AuthorityKind.DELEGATED_COORDINATOR,
        "Zentralstelle für ausländisches Bildungswesen",
        "Central Office for Foreign Education",
        "Bonn",
        "de",
        parent=german_nimic,
    )
    zab.coordinated_procedures = ["pq_diploma_authenticity", "pq_good_standing"]
    directory.set_competences(
        zab, ["activity.academic_recognition", "area.professional_qualifications"]
    )
    user(zab, "coordinator.de-pq", "Delegated coordinator DE", ["coordinator"], "de")

    _pending_registration("DE", "Handwerkskammer Berlin", "Chamber of Crafts Berlin", "de")
    _pending_registration(
        "PL",
        "Okręgowa Izba Pielęgniarek i Położnych w Krakowie",
        "Regional Chamber of Nurses and Midwives in Kraków",
        "pl",
    )
    db.session.commit()
    if db.session.scalar(select(Request.id).limit(1)) is None:
        _seed_requests()
    demo_public.seed()
    from app.demo import repositories as demo_repositories

    demo_repositories.seed(_officer)
    from app.demo import alerts as demo_alerts

    demo_alerts.seed()
    return accounts


# (requester country, responder country, procedure, what happens, subject)
DEMO_REQUESTS = [
    ("DE", "FR", "pq_good_standing", "sent", "Dr. Camille Martin, born 1979-03-14"),
    ("PL", "DE", "pq_diploma_authenticity", "accepted", "Anna Kowalska, nurse, born 1988-07-02"),
    ("CZ", "PT", "healthcare_right_to_practise", "info_requested", "Dr. João Silva, born 1975-11-30"),
    ("IT", "PL", "pq_good_standing", "answered", "Dr. Piotr Nowak, born 1983-01-21"),
    ("GR", "BG", "pq_diploma_authenticity", "closed", "Мария Иванова, midwife, born 1990-05-09"),
    ("BG", "CZ", "pq_good_standing", "withdrawn", "MUDr. Jan Novák, born 1970-02-17"),
    ("FR", "IT", "pq_good_standing", "draft", "Dr. Giulia Rossi, born 1986-09-12"),
    ("PT", "DE", "posting_genuine_establishment", "overdue", "Construções Lisboa Lda, NIPC 509876543"),
    ("DE", "GR", "services_establishment", "date_proposed", "Κατασκευαστική Αθηνών Α.Ε., ΓΕΜΗ 123456701000"),
    ("FR", "PL", "pq_good_standing", "referred", "Dr. Tomasz Wiśniewski, born 1981-12-03"),
    ("DE", "CZ", "healthcare_right_to_practise", "forwarded", "Dr. Eva Dvořáková, born 1977-04-25"),
    ("PL", "IT", "pq_good_standing", "split", "Dr. Marco Bianchi, born 1984-08-08"),
]  # fmt: skip

SAMPLE_ANSWERS = {"yes_no": "yes", "date": "2015-06-01", "number": "5", "file": "attached"}


def _seed_requests() -> None:
    """Requests in every state, between authorities of eight countries, made through the
    services as officers would make them (demo data is not announced by mail)."""
    from datetime import timedelta

    from app.cases import requests
    from app.models.base import utcnow
    from app.procedures import registry

    db.session.info["openimi_no_mail"] = True
    try:
        for requester_cc, responder_cc, key, story, subject in DEMO_REQUESTS:
            pack = registry(current_app).get(key)
            if pack is None:
                continue
            labour = key in ("posting_genuine_establishment", "services_establishment")
            ask = _officer(requester_cc, labour, "handler")
            answer = _officer(responder_cc, labour, "handler")
            keys = [q.key for s in pack.question_sets for q in s.questions][:3]
            item = requests.save_draft(
                ask,
                requests.Draft(
                    key,
                    answer.authority.id,
                    subject,
                    _DEMO_MESSAGES.get(requester_cc, _DEMO_MESSAGE),
                    keys,
                    {f.key: _sample_answer(pack, f.key) for f in pack.request_fields},
                ),
            )
            if story == "draft":
                continue
            today = utcnow().date()
            requests.send(ask, item, today - timedelta(days=40) if story == "overdue" else None)
            if story in ("sent", "overdue"):
                continue
            if story == "forwarded":
                target = _officer("PL", labour, "handler").authority
                requests.forward(answer, item, target.id, "Der Arzt ist in Polen registriert.")
                continue
            if story == "split":
                target = _officer("GR", labour, "handler").authority
                moving = [item.questions[-1].id]
                requests.split(answer, item, moving, target.id, "Sanctions are recorded in Greece.")
                continue
            if story == "withdrawn":
                requests.withdraw(ask, item, "The applicant has withdrawn the application.")
                continue
            if story == "referred":
                requests.refer(answer, item, "The reply date cannot be met: archives are closed.")
                continue
            proposed = item.reply_due + timedelta(days=30) if story == "date_proposed" else None
            requests.accept(answer, item, proposed)
            if story in ("accepted", "date_proposed"):
                continue
            if story == "info_requested":
                requests.ask_info(answer, item, "Please send the registration number.")
                continue
            answers = {q.id: (_sample_answer(pack, q.question_key), "") for q in item.questions}
            requests.answer(answer, item, answers, "Reply attached to each question.", final=True)
            if story == "closed":
                requests.close(ask, item)
    finally:
        db.session.info.pop("openimi_no_mail", None)


_DEMO_MESSAGE = "Please confirm the information below for the recognition procedure."
# Officers write in their own language; readers elsewhere translate it (Apertium has
# French, Portuguese and Italian to English through Spanish).
_DEMO_MESSAGES = {
    "FR": "Merci de confirmer les informations ci-dessous pour la procédure de reconnaissance.",
    "PT": "Por favor, confirme as informações abaixo para o procedimento de reconhecimento.",
    "IT": "Si prega di confermare le informazioni seguenti per la procedura di riconoscimento.",
    "DE": "Bitte bestätigen Sie die folgenden Angaben für das Anerkennungsverfahren.",
    "PL": "Proszę o potwierdzenie poniższych informacji na potrzeby procedury uznania.",
}


def _officer(country: str, labour: bool, role: str):
    from app.policy import Actor

    authorities = db.session.scalars(
        select(Authority)
        .where(
            Authority.country == country,
            Authority.kind == AuthorityKind.AUTHORITY,
            Authority.status == AuthorityStatus.ACTIVE,
        )
        .order_by(Authority.id)
    ).all()
    authority = authorities[1] if labour else authorities[0]
    membership = next(m for m in authority_members(authority.id) if role in m.roles)
    return Actor(membership.user, membership)


def authority_members(authority_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.authority_id == authority_id)
            .order_by(Membership.id)
        )
    )


def _sample_answer(pack, key: str) -> str:
    from app.procedures import find_question

    found = find_question(pack, key)
    question = found[1] if found else next(f for f in pack.request_fields if f.key == key)
    if question.type == "choice":
        return question.options[0].key
    return SAMPLE_ANSWERS.get(question.type, "Entered in the register under no. 12345.")


def _grant(authority: Authority, keys: list[str]) -> None:
    for key in keys:
        if db.session.get(Procedure, key) is None:  # a pack this installation lacks
            continue
        exists = db.session.scalar(
            select(ProcedureAccess).where(
                ProcedureAccess.authority_id == authority.id, ProcedureAccess.procedure_key == key
            )
        )
        if exists is None:
            db.session.add(
                ProcedureAccess(
                    authority_id=authority.id, procedure_key=key, roles=["requester", "responder"]
                )
            )


def _pending_registration(country: str, local: str, english: str, language: str) -> None:
    if db.session.scalar(select(Authority).where(Authority.name == english)):
        return
    authority = Authority(
        kind=AuthorityKind.AUTHORITY,
        status=AuthorityStatus.PENDING,
        country=country,
        name=english,
        local_names={language: local},
        street="—",
        city="—",
        email=f"office@{country.lower()}.{DOMAINS['production']}",
        competences="Recognition of professional qualifications",
    )
    directory.index_text(authority)
    db.session.add(authority)
    db.session.flush()
    db.session.add(
        Registration(
            authority_id=authority.id,
            applicant_name="Demo Applicant",
            applicant_email=f"applicant.{country.lower()}@{DOMAINS['production']}",
            language=language,
        )
    )


def list_accounts() -> list[DemoAccount]:
    """The demo accounts that exist in the current instance."""
    instance = current_app.config["INSTANCE"]
    rows = db.session.scalars(
        select(Membership)
        .join(User)
        .where(User.email.like(f"%@{DOMAINS[instance]}"))
        .order_by(User.email)
    )
    return [
        DemoAccount(
            m.user.email,
            PASSWORDS[instance],
            m.user.totp_secret or "",
            m.authority.name,
            m.authority.country,
            list(m.roles),
            instance,
        )
        for m in rows
    ]
