"""Composing an alert: drafts, their typed fields, sending, validation and the broadcast.

On broadcast each recipient country (or the Commission) gets an AlertRecipient routed to
its alert coordinator (app/cases/alerts/routing.py); the alert's first revision is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.cases import fields
from app.cases.alerts.lifecycle import LIFECYCLE, AlertError
from app.cases.alerts.routing import OPENING, alert_coordinator, national_coordinator, roles_of
from app.cases.kernel import touch
from app.extensions import db
from app.models import COMMISSION, Alert, AlertRecipient, AlertRevision
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import Pack
from app.procedures.store import pinned_pack
from app.reference import COUNTRIES
from app.translation import languages


@dataclass
class Draft:
    procedure_key: str
    fields: dict[str, str] = field(default_factory=dict)
    message: str = ""
    countries: list[str] = field(default_factory=list)
    to_commission: bool = False
    needs_validation: bool = False


def typed_fields(pack: Pack, values: dict[str, str]) -> dict[str, str]:
    """The alert's fields typed, refused with AlertError on a value of the wrong type (the
    web form has refused it already: this guards any other caller)."""
    try:
        return fields.typed_values(pack.fields, values)
    except fields.FieldError as error:
        raise AlertError(error.code) from None


def missing_fields(pack: Pack, values: dict[str, str]) -> list[str]:
    return fields.missing(pack.fields, values)


def send_by(pack: Pack, values: dict[str, str]) -> date | None:
    """The pack's rule: broadcast within send_within_days of the deadline field's date."""
    if not pack.send_within_days or not values.get(pack.deadline_field):
        return None
    return date.fromisoformat(values[pack.deadline_field]) + timedelta(days=pack.send_within_days)


def _countries(actor: Actor, countries) -> list[str]:
    valid = [c for c in dict.fromkeys(countries) if c in COUNTRIES and c != COMMISSION]
    return [c for c in valid if c != actor.authority.country]


def save_draft(actor: Actor, draft: Draft, alert: Alert | None = None) -> Alert:
    """A new draft, or the sender's draft changed; the send-by reminders (re)scheduled."""
    from app.cases.alerts import notices

    if alert is None:
        alert = Alert(
            **OPENING.pin(actor, draft.procedure_key),
            sender_authority_id=actor.authority.id,
            sender_user_id=actor.user.id,
            sender_country=actor.authority.country,
        )
        db.session.add(alert)
        action = "draft_created"
    else:
        LIFECYCLE.require(actor, alert, "edit")
        action = "draft_updated"
    pack = pinned_pack(alert.procedure_key, alert.pack_version)
    alert.fields = typed_fields(pack, draft.fields)
    alert.message = draft.message.strip()
    alert.recipient_countries = _countries(actor, draft.countries)
    alert.to_commission = bool(draft.to_commission)
    alert.needs_validation = bool(draft.needs_validation)
    alert.send_by = send_by(pack, alert.fields)
    alert.language = languages.detect(alert.message, actor.user.language)
    touch(alert)
    alert.reminders_sent = []
    db.session.flush()
    LIFECYCLE.audit(actor, alert, action)
    notices.schedule_reminders(alert)
    db.session.commit()
    return alert


def discard(actor: Actor, alert: Alert) -> None:
    from app.cases import attachments

    LIFECYCLE.require(actor, alert, "discard")
    LIFECYCLE.audit(actor, alert, "draft_discarded")
    for attachment in alert.attachments:
        attachments.path_for(attachment.storage_name).unlink(missing_ok=True)
    db.session.delete(alert)
    db.session.commit()


def send(actor: Actor, alert: Alert) -> None:
    """Broadcast, or submit to the sender's national coordinator for validation."""
    action = "submit" if alert.needs_validation else "send"
    LIFECYCLE.require(actor, alert, action)
    pack = pinned_pack(alert.procedure_key, alert.pack_version)
    if missing_fields(pack, alert.fields):
        raise AlertError("fields")
    if not alert.recipient_countries and not alert.to_commission:
        raise AlertError("recipients")
    if "alert_sender" not in roles_of(actor.authority.id, alert.procedure_key):
        raise AlertError("procedure")
    if action == "send":
        _broadcast(actor, alert, action)
        return
    validator = national_coordinator(alert.sender_country)
    if validator is None:
        raise AlertError("validator")
    alert.validator_authority_id = validator.id
    LIFECYCLE.perform(actor, alert, action, checked=True)


def validate(actor: Actor, alert: Alert, approve: bool, reason: str = "") -> None:
    """The validating coordinator broadcasts the alert, or returns it with a reason."""
    if not approve:
        LIFECYCLE.perform(actor, alert, "return", reason)
        return
    LIFECYCLE.require(actor, alert, "validate")
    LIFECYCLE.record(actor, alert, "validated")
    _broadcast(actor, alert, "validate")


def _broadcast(actor: Actor, alert: Alert, action: str) -> None:
    """Route the alert to each recipient's coordinator, keep revision 1, and send it."""
    targets = list(alert.recipient_countries) + ([COMMISSION] if alert.to_commission else [])
    for country in targets:
        coordinator = alert_coordinator(alert.procedure_key, country)
        if coordinator is None:
            raise AlertError("no_coordinator")
        alert.recipients.append(
            AlertRecipient(country=country, coordinator_authority_id=coordinator.id)
        )
    alert.sent_at = utcnow()
    alert.revision = 1
    alert.revisions.append(
        AlertRevision(
            number=1, fields=dict(alert.fields), message=alert.message, user_id=actor.user.id
        )
    )
    LIFECYCLE.perform(actor, alert, action, data={"countries": targets}, checked=True)
