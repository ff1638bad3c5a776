"""Composing a notification: drafts and their typed fields, the request to the Member
State of establishment, validation, and the notification to the Commission and the
Member States (with its deadlines fixed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from app.cases import fields
from app.cases.kernel import touch
from app.cases.notifications.lifecycle import LIFECYCLE, NotificationError
from app.cases.notifications.notices import REMINDERS
from app.cases.notifications.routing import (
    OPENING,
    commission_desk,
    fix_deadlines,
    receiving_authority,
    validator,
)
from app.extensions import db
from app.models import COMMISSION, Notification, NotificationRecipient
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import Pack, registry
from app.procedures.store import pinned_pack
from app.reference import COUNTRIES
from app.translation import languages


@dataclass
class Draft:
    procedure_key: str
    fields: dict[str, str] = field(default_factory=dict)
    message: str = ""
    establishment_country: str = ""
    urgent: bool = False
    urgency_reason: str = ""
    needs_validation: bool = False


def pack_of(item: Notification) -> Pack:
    return pinned_pack(item.procedure_key, item.pack_version)


def typed_fields(pack: Pack, values: dict[str, str]) -> dict[str, str]:
    try:
        return fields.typed_values(pack.fields, values)
    except fields.FieldError as error:
        raise NotificationError(error.code) from None


def save_draft(actor: Actor, draft: Draft, item: Notification | None = None) -> Notification:
    """A new draft, or the notifier's draft changed."""
    if item is None:
        pinned = OPENING.pin(actor, draft.procedure_key)
        item = Notification(
            **pinned,
            notifier_authority_id=actor.authority.id,
            notifier_user_id=actor.user.id,
            notifier_country=actor.authority.country,
        )
        db.session.add(item)
        action = "draft_created"
    else:
        LIFECYCLE.require(actor, item, "edit")
        action = "draft_updated"
    pack = pack_of(item)
    rules = pack.notification
    item.fields = typed_fields(pack, draft.fields)
    item.message = draft.message.strip()
    item.language = languages.detect(item.message, actor.user.language)
    if item.asked_at is None:  # once asked, the Member State of establishment stays
        country = draft.establishment_country
        valid = country in COUNTRIES and country not in (COMMISSION, actor.authority.country)
        item.establishment_country = (
            country if valid and rules.recipients == "establishment" else ""
        )
        item.ask_first = rules.ask_first
    item.urgent = bool(draft.urgent and rules.urgent_basis)
    item.urgency_reason = draft.urgency_reason.strip() if item.urgent else ""
    item.needs_validation = rules.validation == "required" or (
        rules.validation == "optional" and draft.needs_validation
    )
    touch(item)
    db.session.flush()
    LIFECYCLE.audit(actor, item, action)
    db.session.commit()
    return item


def discard(actor: Actor, item: Notification) -> None:
    LIFECYCLE.require(actor, item, "discard")
    LIFECYCLE.audit(actor, item, "draft_discarded")
    db.session.delete(item)
    db.session.commit()


def _complete(item: Notification, pack: Pack) -> None:
    """What any sending needs: every required field, the Member State of establishment
    where the procedure goes to it, the reasons for urgency where urgent."""
    if fields.missing(pack.fields, item.fields):
        raise NotificationError("fields")
    if pack.notification.recipients == "establishment" and not item.establishment_country:
        raise NotificationError("establishment")
    if item.urgent and not item.urgency_reason:
        raise NotificationError("urgency")


def _establishment(item: Notification) -> None:
    """The Member State of establishment's receiving authority, as a recipient."""
    if any(r.establishment for r in item.recipients):
        return
    authority = receiving_authority(item.procedure_key, item.establishment_country)
    if authority is None:
        raise NotificationError("no_recipient")
    item.recipients.append(
        NotificationRecipient(
            country=item.establishment_country, authority_id=authority.id, establishment=True
        )
    )


def ask(actor: Actor, item: Notification) -> None:
    """Ask the Member State of establishment to act (Art 3(4)(b) of Directive 2000/31/EC,
    Art 35(2) of Directive 2006/123/EC)."""
    LIFECYCLE.require(actor, item, "ask")
    _complete(item, pack_of(item))
    _establishment(item)
    item.asked_at = item.sent_at = utcnow()
    LIFECYCLE.perform(actor, item, "ask", checked=True)


def send(actor: Actor, item: Notification) -> None:
    """Notify the Commission and the Member States, or submit the notification to the
    country's notification coordinator for validation first."""
    action = "submit" if item.needs_validation else "notify"
    LIFECYCLE.require(actor, item, action)
    pack = pack_of(item)
    _complete(item, pack)
    if action == "notify":
        _notify(actor, item, pack, action)
        return
    found = validator(item.procedure_key, item.notifier_country)
    if found is None:
        raise NotificationError("validator")
    item.validator_authority_id = found.id
    LIFECYCLE.perform(actor, item, action, checked=True)


def validate(actor: Actor, item: Notification, approve: bool, reason: str = "") -> None:
    """The validating coordinator sends the notification out, or returns it."""
    if not approve:
        LIFECYCLE.perform(actor, item, "return", reason)
        return
    LIFECYCLE.require(actor, item, "validate")
    LIFECYCLE.record(actor, item, "validated")
    _notify(actor, item, pack_of(item), "validate")


def _notify(actor: Actor, item: Notification, pack: Pack, action: str) -> None:
    """To the Commission desk of the procedure and the receiving Member States, with the
    deadlines the act sets from today."""
    desk = commission_desk(item.procedure_key)
    if desk is None:
        raise NotificationError("no_desk")
    item.commission_authority_id = desk.id
    rules = pack.notification
    if rules.recipients == "establishment":
        _establishment(item)
    else:
        taken = {r.country for r in item.recipients}
        for country in COUNTRIES:
            if country in taken or country in (COMMISSION, item.notifier_country):
                continue
            authority = receiving_authority(item.procedure_key, country)
            if authority is not None:
                item.recipients.append(
                    NotificationRecipient(country=country, authority_id=authority.id)
                )
    now = utcnow()
    item.notified_at = now
    item.sent_at = item.sent_at or now
    fix_deadlines(item, rules, now.date())
    REMINDERS.schedule(item)
    countries = [r.country for r in item.recipients]
    LIFECYCLE.perform(actor, item, action, data={"countries": countries}, checked=True)


def packs_by_key() -> dict[str, Pack]:
    return {k: p for k, p in registry(current_app).items() if p.kind == "notification"}
