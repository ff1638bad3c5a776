"""Applications: the applicant's submission and documents, the authorities' actions
through the lifecycle, the card they issue, and the system's tacit issue (Art 4d(5))."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from app.cases import fields
from app.cases.epc import notices, periods
from app.cases.epc.deadlines import Due
from app.cases.epc.lifecycle import LIFECYCLE, MAX_TEXT, EpcError
from app.cases.packs import holders
from app.extensions import db
from app.models import Alert, Authority, EpcApplicant, EpcApplication, EpcDocument, EpcState
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import Pack, registry
from app.procedures.store import pin_version
from app.translation import languages

PROCEDURE = "epc_application"
PURPOSES = ("temporary", "temporary_public_health", "establishment")
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def pack() -> Pack | None:
    found = registry(current_app).get(PROCEDURE)
    return found if found is not None and found.kind == "epc" else None


def competent_authority(country: str) -> Authority | None:
    """The first active authority, by name, of the country holding `responder` access to
    the EPC procedure (its coordinators decide who holds it)."""
    found = holders(
        PROCEDURE,
        "responder",
        Authority.country == country,
        order_by=(Authority.name, Authority.id),
    )
    return found[0] if found else None


def countries() -> list[str]:
    from app.cases.packs import holder_countries

    return sorted(holder_countries(PROCEDURE, "responder"))


def identity_key(number: str) -> str:
    """An identity document number as compared: upper case, letters and digits only."""
    return re.sub(r"[^0-9A-Z]", "", (number or "").upper())[:64]


def _random(prefix: str, length: int, column) -> str:
    while True:
        value = prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))
        if db.session.scalar(select(column).where(column == value)) is None:
            return value


@dataclass
class Application:
    home_country: str
    host_country: str
    details: dict[str, str]
    documents: list[int]  # ids of the applicant's own documents


def submit(applicant: EpcApplicant, application: Application) -> EpcApplication:
    """Create the application with the applicant's chosen documents, routed to the home
    and host authorities; the home authority's officers are told. Commits."""
    found = pack()
    if found is None:
        raise EpcError("procedure")
    home = competent_authority(application.home_country)
    host = competent_authority(application.host_country)
    if home is None or host is None or application.home_country == application.host_country:
        raise EpcError("country")
    details, errors = fields.typed_fields(found.fields, application.details, 2000)
    if errors:
        raise EpcError("details")
    if details.get("purpose") not in PURPOSES:
        raise EpcError("details")
    chosen = db.session.scalars(
        select(EpcDocument).where(
            EpcDocument.applicant_id == applicant.id, EpcDocument.id.in_(application.documents)
        )
    ).all()
    if len(chosen) != len(set(application.documents)):
        raise EpcError("documents")
    pin_version(found)
    case = EpcApplication(
        reference=_random("EPC-", 10, EpcApplication.reference),
        procedure_key=found.key,
        pack_version=found.version,
        applicant=applicant,
        profession=details.get("profession", ""),
        purpose=details["purpose"],
        home_country=application.home_country,
        host_country=application.host_country,
        home_authority_id=home.id,
        host_authority_id=host.id,
        language=applicant.language,
        details=details,
        identity_key=identity_key(details.get("identity_number", "")),
        documents=list(chosen),
        submitted_at=utcnow(),
    )
    db.session.add(case)
    db.session.flush()
    case.home_due = periods.acknowledge_due(case).due
    notices.new_period(case, (False, None))
    LIFECYCLE.record(None, case, "submitted")
    LIFECYCLE.audit(None, case, "submitted", applicant=applicant.id)
    from app.cases.epc.notices import notify_officers

    notify_officers(home.id, case, "new")
    applicant.active_at = utcnow()
    db.session.commit()
    return case


def own_applications(applicant: EpcApplicant) -> list[EpcApplication]:
    return db.session.scalars(
        select(EpcApplication)
        .where(EpcApplication.applicant_id == applicant.id, EpcApplication.erased_at.is_(None))
        .order_by(EpcApplication.id.desc())
    ).all()


def own_application(applicant: EpcApplicant, application_id: int) -> EpcApplication | None:
    """One of the applicant's own applications, or None (another's is not found)."""
    return db.session.scalar(
        select(EpcApplication).where(
            EpcApplication.id == application_id,
            EpcApplication.applicant_id == applicant.id,
            EpcApplication.erased_at.is_(None),
        )
    )


def supplement(applicant: EpcApplicant, case: EpcApplication, document_ids: list[int]) -> None:
    """The applicant adds documents of their account to the application (those the home
    authority listed as missing); the home period starts again from now. Commits."""
    LIFECYCLE.require(None, case, "supplement")
    chosen = db.session.scalars(
        select(EpcDocument).where(
            EpcDocument.applicant_id == applicant.id, EpcDocument.id.in_(document_ids)
        )
    ).all()
    new = [d for d in chosen if d not in case.documents]
    if not new:
        raise EpcError("documents")
    case.documents.extend(new)
    LIFECYCLE.perform(
        None, case, "supplement", data={"documents": len(new)}, checked=True, commit=False
    )
    if case.state == EpcState.ACKNOWLEDGED:
        before = notices.period(case)
        start = periods.home_start(case)
        case.home_due = periods.home_due(case, start).due if start else None
        notices.new_period(case, before)
    applicant.active_at = utcnow()
    db.session.commit()


def _issue(case: EpcApplication, tacit: bool = False) -> None:
    now = utcnow()
    case.card_code = _random("", 12, EpcApplication.card_code)
    case.issued_at = case.decided_at = now
    case.tacit = tacit
    case.home_due = case.host_due = None
    if case.purpose == "temporary":
        validity = periods.settings_of(case).periods["temporary_validity"]
        from app.cases.epc import deadlines

        case.valid_until = deadlines.add(now.date(), validity, case.host_country).end


def act(actor: Actor, case: EpcApplication, action: str, text: str = "") -> None:
    """An officer's action on the application (commits)."""
    LIFECYCLE.require(actor, case, action)
    text = (text or "").strip()[:MAX_TEXT]
    transition = LIFECYCLE.table[action]
    if transition.needs_text and not text:
        raise EpcError("text")
    now = utcnow()
    before = notices.period(case)
    if action == "acknowledge":
        case.acknowledged_at = now
        case.missing_documents = text
        start = periods.home_start(case)
        case.home_due = periods.home_due(case, start).due if start else None
    elif action == "transfer":
        case.transferred_at = now
        case.home_due = None
        case.host_due = periods.host_due(case).due
    elif action == "extend":
        case.extensions += 1
        case.host_due = periods.host_due(case).due
    elif action in ("issue", "issue_home"):
        _issue(case)
    elif action in ("refuse", "refuse_home"):
        case.decided_at = case.closed_at = now
        case.home_due = case.host_due = None
    elif action == "revoke":
        case.revoked_at = case.closed_at = now
    LIFECYCLE.perform(actor, case, action, text, checked=True, commit=False)
    notices.new_period(case, before)
    db.session.commit()


def link_alert(actor: Actor, case: EpcApplication, reference: str) -> Alert:
    """Link the Art 56a alert the actor's authority can see (its reference) to the card;
    EpcError("alert") when there is no such alert. Commits."""
    from app.cases import registry as kinds

    LIFECYCLE.require(actor, case, "link_alert")
    found = kinds.named(reference or "")
    alert = None
    if found is not None and found[0].name == "alert":
        alert = kinds.visible(actor, "alert", found[1])
    if alert is None or alert.procedure_key != "pq_alert":
        raise EpcError("alert")
    case.alert_id = alert.id
    LIFECYCLE.perform(
        actor,
        case,
        "link_alert",
        data={"alert": alert.reference},
        checked=True,
        details={"alert": alert.id},
    )
    return alert


def cards_linked_to(actor: Actor, alert_id: int) -> list[EpcApplication]:
    """The cards the actor's authority sees that name the alert (the alert's side of the
    link: Art 56a alerts about a professional who holds a card)."""
    from app.cases import registry as kinds

    visible = kinds.kind("epc_application").visible_query(actor)
    return list(
        db.session.scalars(
            visible.where(EpcApplication.alert_id == alert_id).order_by(EpcApplication.id)
        )
    )


def host_period_passed(today: date):
    """The condition of an application whose host's last day to decide is over: the due
    date is that last day, so the card is issued by law from the day after."""
    return EpcApplication.host_due < today


def _each_due(due: tuple, act) -> list[int]:
    """`act` on every application matching `due`, each locked and read again first (an
    officer may have acted meanwhile) and committed on its own. Returns the ids."""
    done = []
    for case_id in db.session.scalars(select(EpcApplication.id).where(*due)).all():
        case = db.session.scalar(
            select(EpcApplication).where(EpcApplication.id == case_id, *due).with_for_update()
        )
        if case is None:
            db.session.rollback()
            continue
        act(case)
        done.append(case.id)
    return done


def mark_tacit(as_of: date | None = None) -> list[int]:
    """Issue by law every card whose host let its period pass (Art 4d(5)): the host's due
    date is the last day it may decide, so the card is issued the day after. Idempotent.
    Returns the ids issued."""
    today = as_of or utcnow().date()

    def issue(case: EpcApplication) -> None:
        _issue(case, tacit=True)
        LIFECYCLE.perform(None, case, "tacit")

    return _each_due(
        (EpcApplication.state == EpcState.TRANSFERRED, host_period_passed(today)), issue
    )


def expire_cards(as_of: date | None = None) -> list[int]:
    """Close every temporary card whose validity has ended (Art 4c(1)): `valid_until` is
    its last valid day, so it expires the day after. Idempotent. Returns the ids closed."""
    today = as_of or utcnow().date()

    def expire(case: EpcApplication) -> None:
        case.closed_at = utcnow()
        LIFECYCLE.perform(None, case, "expire")

    return _each_due(
        (EpcApplication.state == EpcState.ISSUED, EpcApplication.valid_until < today), expire
    )


def verify(code: str, identity_number: str) -> EpcApplication | None:
    """The card with this code and the holder's identity document number, or None: the
    same None for an unknown code and a wrong number, so that a code alone tells nothing
    (the Commission's verification asks for both)."""
    code = re.sub(r"[^0-9A-Z]", "", (code or "").upper())
    key = identity_key(identity_number)
    if len(code) != 12 or not key:
        return None
    case = db.session.scalar(
        select(EpcApplication).where(
            EpcApplication.card_code == code, EpcApplication.erased_at.is_(None)
        )
    )
    if case is None or not secrets.compare_digest(case.identity_key, key):
        return None
    return case


def is_valid(case: EpcApplication, today: date | None = None) -> bool:
    today = today or utcnow().date()
    return case.state == EpcState.ISSUED and (case.valid_until is None or today <= case.valid_until)


def shown_code(case: EpcApplication) -> str:
    code = case.card_code or ""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def detect_language(text: str, fallback: str) -> str:
    return languages.detect(text, fallback)


__all__ = ["Due"]
