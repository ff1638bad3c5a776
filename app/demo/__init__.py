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
from app.demo import alerts as demo_alerts
from app.demo import public as demo_public
from app.demo import repositories as demo_repositories
from app.demo import requests as demo_requests
from app.demo.common import grant, officer
from app.extensions import db
from app.models import (
    Authority,
    AuthorityKind,
    AuthorityStatus,
    Membership,
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
EXCHANGE_ROLES = ["requester", "responder"]
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
        health = ["pq_diploma_authenticity", "pq_good_standing", "healthcare_right_to_practise"]
        grant(health_authority, health, EXCHANGE_ROLES)
        labour = ["posting_genuine_establishment", "services_establishment"]
        grant(labour_authority, labour, EXCHANGE_ROLES)
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
        demo_requests.seed()
    demo_public.seed()
    demo_repositories.seed(officer)
    demo_alerts.seed()
    return accounts


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
