"""The alert lifecycle (one-to-many): compose, validate, broadcast, route, disseminate,
acknowledge, comment, update, withdraw, close.

    draft -> [awaiting_validation ->] sent -> withdrawn | closed
    awaiting_validation -> draft (returned by the validating coordinator with a reason)

On broadcast each recipient country (or the Commission, "EU") gets an AlertRecipient
routed to its alert coordinator: an authority of the country whose kind is a coordinator
and that holds `alert_receiver` for the procedure, else the country's national
coordinator. The coordinator disseminates the alert to competent authorities of its
country holding `alert_receiver`, or marks it handled itself.

Visibility: the sender authority; its validating coordinator; each recipient coordinator;
the authorities an alert was disseminated to. Anyone else gets None from `load`, which the
views turn into 404. Each action checks state and role, appends an event, audits and
queues notices in one transaction. A refused action raises AlertError and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import or_, select

from app.cases.requests import RequestError, validate_answer
from app.extensions import db
from app.models import (
    COMMISSION,
    Alert,
    AlertAttachment,
    AlertDissemination,
    AlertEvent,
    AlertRecipient,
    AlertRevision,
    AlertState,
    Authority,
    AuthorityKind,
    AuthorityStatus,
    ProcedureAccess,
    RecipientState,
)
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import Pack, registry
from app.procedures.store import pin_version, pinned_pack
from app.records import audit, retention
from app.reference import COUNTRIES
from app.translation import languages

S = AlertState
COORDINATOR_KINDS = (AuthorityKind.NATIONAL_COORDINATOR, AuthorityKind.DELEGATED_COORDINATOR)


class AlertError(Exception):
    """A refused action. `code` names the reason; the view words it for the user."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- access ------------------------------------------------------------------------------


def _roles_of(authority_id: int, procedure_key: str) -> list[str]:
    access = db.session.scalar(
        select(ProcedureAccess).where(
            ProcedureAccess.authority_id == authority_id,
            ProcedureAccess.procedure_key == procedure_key,
        )
    )
    return list(access.roles) if access else []


def sendable_packs(actor: Actor) -> list[Pack]:
    """Alert procedures the actor's authority may send."""
    packs = registry(current_app)
    rows = db.session.scalars(
        select(ProcedureAccess)
        .where(ProcedureAccess.authority_id == actor.authority.id)
        .order_by(ProcedureAccess.procedure_key)
    )
    return [
        packs[a.procedure_key]
        for a in rows
        if "alert_sender" in a.roles
        and a.procedure_key in packs
        and packs[a.procedure_key].kind == "alert"
    ]


def national_coordinator(country: str) -> Authority | None:
    kind = AuthorityKind.COMMISSION if country == COMMISSION else AuthorityKind.NATIONAL_COORDINATOR
    query = select(Authority).where(
        Authority.kind == kind, Authority.status == AuthorityStatus.ACTIVE
    )
    if country != COMMISSION:
        query = query.where(Authority.country == country)
    return db.session.scalars(query.order_by(Authority.id)).first()


def alert_coordinator(procedure_key: str, country: str) -> Authority | None:
    """Where an alert to `country` is routed (see the module docstring)."""
    if country != COMMISSION:
        candidates = db.session.scalars(
            select(Authority)
            .join(ProcedureAccess, ProcedureAccess.authority_id == Authority.id)
            .where(
                Authority.country == country,
                Authority.kind.in_(COORDINATOR_KINDS),
                Authority.status == AuthorityStatus.ACTIVE,
                ProcedureAccess.procedure_key == procedure_key,
            )
            .order_by(Authority.kind, Authority.id)
        )
        for authority in candidates:
            if "alert_receiver" in _roles_of(authority.id, procedure_key):
                return authority
    return national_coordinator(country)


def competent_authorities(procedure_key: str, country: str) -> list[Authority]:
    """Authorities of `country` a coordinator may disseminate an alert of the procedure to."""
    rows = db.session.scalars(
        select(Authority)
        .join(ProcedureAccess, ProcedureAccess.authority_id == Authority.id)
        .where(
            Authority.country == country,
            Authority.status == AuthorityStatus.ACTIVE,
            ProcedureAccess.procedure_key == procedure_key,
        )
        .order_by(Authority.name)
    )
    return [a for a in rows if "alert_receiver" in _roles_of(a.id, procedure_key)]


def recipient_of(actor: Actor, alert: Alert) -> AlertRecipient | None:
    """The recipient row through which the actor's authority sees the alert."""
    if alert.state in (S.DRAFT, S.AWAITING_VALIDATION):
        return None
    own = actor.authority.id
    for recipient in alert.recipients:
        if recipient.coordinator_authority_id == own or own in recipient.disseminated_to:
            return recipient
    return None


def sides(actor: Actor, alert: Alert) -> set[str]:
    """sender, validator, coordinator (of a recipient country), receiver (disseminated to)."""
    own = actor.authority.id
    result = set()
    if own == alert.sender_authority_id:
        result.add("sender")
    if alert.validator_authority_id == own and alert.state != S.DRAFT:
        result.add("validator")
    recipient = recipient_of(actor, alert)
    if recipient is not None:
        if recipient.coordinator_authority_id == own:
            result.add("coordinator")
        if own in recipient.disseminated_to:
            result.add("receiver")
    return result


def may_view(actor: Actor, alert: Alert) -> bool:
    return not retention.is_blocked(alert) and bool(sides(actor, alert))


def load(actor: Actor, alert_id: int) -> Alert | None:
    """The alert if the actor may see it, else None (the view answers 404)."""
    alert = db.session.get(Alert, alert_id)
    if alert is None or not may_view(actor, alert):
        return None
    return alert


def disseminated_ids(authority_id: int):
    """The ids of the alerts disseminated to the authority, as a subquery."""
    return select(AlertDissemination.alert_id).where(
        AlertDissemination.authority_id == authority_id
    )


def visible_query(actor: Actor):
    """Every alert the actor's authority may see (for the inbox), as a select."""
    own = actor.authority.id
    routed = select(AlertRecipient.alert_id).where(AlertRecipient.coordinator_authority_id == own)
    disseminated = disseminated_ids(own)
    return select(Alert).where(
        retention.live(Alert),
        or_(
            Alert.sender_authority_id == own,
            (Alert.validator_authority_id == own) & (Alert.state != S.DRAFT),
            (Alert.state.in_((S.SENT, S.WITHDRAWN, S.CLOSED)))
            & (Alert.id.in_(routed) | Alert.id.in_(disseminated)),
        ),
    )


def may(actor: Actor, alert: Alert, action: str) -> bool:
    own = sides(actor, alert)
    handler = actor.has("alert_handler")
    # Receiving, passing on, acknowledging and commenting: alert handlers and coordinators
    # (a viewer reads only).
    works_alerts = actor.has("coordinator") or handler
    state = alert.state
    recipient = recipient_of(actor, alert)
    if action in ("edit", "send", "discard"):
        return "sender" in own and handler and state == S.DRAFT
    if action == "validate":
        return "validator" in own and actor.has("coordinator") and state == S.AWAITING_VALIDATION
    if action in ("update", "withdraw", "close"):
        return "sender" in own and handler and state == S.SENT
    if action in ("disseminate", "handle"):
        return (
            "coordinator" in own
            and works_alerts
            and state == S.SENT
            and recipient is not None
            and recipient.state == RecipientState.RECEIVED
        )
    if action == "acknowledge":
        return (
            bool(own & {"coordinator", "receiver"})
            and works_alerts
            and state == S.SENT
            and recipient is not None
            and _acknowledgement(actor, recipient).acknowledged_at is None
        )
    if action == "attach":
        return "sender" in own and handler and state in (S.DRAFT, S.SENT)
    if action == "comment":
        return (
            bool(own & {"sender", "coordinator", "receiver"}) and works_alerts and state == S.SENT
        )
    return False


ACTIONS = (
    "edit",
    "send",
    "discard",
    "validate",
    "update",
    "withdraw",
    "close",
    "disseminate",
    "handle",
    "acknowledge",
    "comment",
    "attach",
)


def allowed_actions(actor: Actor, alert: Alert) -> set[str]:
    return {action for action in ACTIONS if may(actor, alert, action)}


def _require(actor: Actor, alert: Alert, action: str) -> None:
    if not may(actor, alert, action):
        raise AlertError("state" if sides(actor, alert) else "role")


# --- composing ---------------------------------------------------------------------------


@dataclass
class Draft:
    procedure_key: str
    fields: dict[str, str] = field(default_factory=dict)
    message: str = ""
    countries: list[str] = field(default_factory=list)
    to_commission: bool = False
    needs_validation: bool = False


def typed_fields(pack: Pack, values: dict[str, str]) -> dict[str, str]:
    result = {}
    for question in pack.fields:
        try:
            typed = validate_answer(question, values.get(question.key, ""))
        except RequestError:
            raise AlertError(f"field:{question.key}") from None
        if typed is not None:
            result[question.key] = typed
    return result


def missing_fields(pack: Pack, values: dict[str, str]) -> list[str]:
    return [f.key for f in pack.fields if f.required and not values.get(f.key)]


def send_by(pack: Pack, values: dict[str, str]) -> date | None:
    """The pack's rule: broadcast within send_within_days of the deadline field's date."""
    if not pack.send_within_days or not values.get(pack.deadline_field):
        return None
    return date.fromisoformat(values[pack.deadline_field]) + timedelta(days=pack.send_within_days)


def _countries(actor: Actor, countries) -> list[str]:
    valid = [c for c in dict.fromkeys(countries) if c in COUNTRIES and c != COMMISSION]
    return [c for c in valid if c != actor.authority.country]


def save_draft(actor: Actor, draft: Draft, alert: Alert | None = None) -> Alert:
    if alert is None:
        if not actor.has("alert_handler"):
            raise AlertError("role")
        if draft.procedure_key not in {p.key for p in sendable_packs(actor)}:
            raise AlertError("procedure")
        pack = registry(current_app)[draft.procedure_key]
        stored = pin_version(pack)
        alert = Alert(
            procedure_key=pack.key,
            pack_version=stored.version,
            sender_authority_id=actor.authority.id,
            sender_user_id=actor.user.id,
            sender_country=actor.authority.country,
        )
        db.session.add(alert)
        action = "alert.draft_created"
    else:
        _require(actor, alert, "edit")
        action = "alert.draft_updated"
    pack = pinned_pack(alert.procedure_key, alert.pack_version)
    alert.fields = typed_fields(pack, draft.fields)
    alert.message = draft.message.strip()
    alert.recipient_countries = _countries(actor, draft.countries)
    alert.to_commission = bool(draft.to_commission)
    alert.needs_validation = bool(draft.needs_validation)
    alert.send_by = send_by(pack, alert.fields)
    alert.language = languages.detect(alert.message, actor.user.language)
    alert.updated_at = utcnow()
    alert.reminders_sent = []
    db.session.flush()
    _audit(actor, action, alert)
    from app.cases.alerts import notices as alert_notices

    alert_notices.schedule_reminders(alert)
    db.session.commit()
    return alert


def discard(actor: Actor, alert: Alert) -> None:
    from app.cases import attachments

    _require(actor, alert, "discard")
    _audit(actor, "alert.draft_discarded", alert)
    for attachment in alert.attachments:
        attachments.path_for(attachment.storage_name).unlink(missing_ok=True)
    db.session.delete(alert)
    db.session.commit()


def send(actor: Actor, alert: Alert) -> None:
    """Broadcast, or submit to the sender's national coordinator for validation."""
    _require(actor, alert, "send")
    pack = pinned_pack(alert.procedure_key, alert.pack_version)
    if missing_fields(pack, alert.fields):
        raise AlertError("fields")
    if not alert.recipient_countries and not alert.to_commission:
        raise AlertError("recipients")
    if "alert_sender" not in _roles_of(actor.authority.id, alert.procedure_key):
        raise AlertError("procedure")
    if alert.needs_validation:
        validator = national_coordinator(alert.sender_country)
        if validator is None:
            raise AlertError("validator")
        alert.validator_authority_id = validator.id
        _transition(actor, alert, S.AWAITING_VALIDATION, "submitted")
        _notify(alert, [validator.id], "to_validate")
    else:
        _broadcast(actor, alert)
    db.session.commit()


def validate(actor: Actor, alert: Alert, approve: bool, reason: str = "") -> None:
    _require(actor, alert, "validate")
    if approve:
        _event(actor, alert, "validated")
        _broadcast(actor, alert)
    else:
        _need(reason, "reason")
        _transition(actor, alert, S.DRAFT, "returned", reason)
        _notify(alert, [alert.sender_authority_id], "returned")
    db.session.commit()


def _broadcast(actor: Actor, alert: Alert) -> None:
    targets = list(alert.recipient_countries) + ([COMMISSION] if alert.to_commission else [])
    routed = []
    for country in targets:
        coordinator = alert_coordinator(alert.procedure_key, country)
        if coordinator is None:
            raise AlertError("no_coordinator")
        alert.recipients.append(
            AlertRecipient(country=country, coordinator_authority_id=coordinator.id)
        )
        routed.append(coordinator.id)
    alert.sent_at = utcnow()
    alert.revision = 1
    alert.revisions.append(
        AlertRevision(
            number=1, fields=dict(alert.fields), message=alert.message, user_id=actor.user.id
        )
    )
    _transition(actor, alert, S.SENT, "sent", data={"countries": targets})
    _notify(alert, routed, "new")


# --- recipients --------------------------------------------------------------------------


def disseminate(actor: Actor, alert: Alert, authority_ids: list[int]) -> None:
    _require(actor, alert, "disseminate")
    recipient = recipient_of(actor, alert)
    allowed = {a.id for a in competent_authorities(alert.procedure_key, recipient.country)}
    chosen = [i for i in dict.fromkeys(authority_ids) if i in allowed and i != actor.authority.id]
    if not chosen:
        raise AlertError("authorities")
    kept = [d for d in recipient.disseminations if d.authority_id in chosen]
    recipient.disseminations = kept + [
        AlertDissemination(alert_id=alert.id, authority_id=i)
        for i in chosen
        if i not in {d.authority_id for d in kept}
    ]
    recipient.state = RecipientState.DISSEMINATED
    _event(actor, alert, "disseminated", data={"authorities": chosen})
    _audit(actor, "alert.disseminated", alert, authorities=chosen)
    _notify(alert, chosen, "disseminated")
    db.session.commit()


def handle(actor: Actor, alert: Alert) -> None:
    _require(actor, alert, "handle")
    recipient_of(actor, alert).state = RecipientState.HANDLED
    _event(actor, alert, "handled")
    _audit(actor, "alert.handled", alert)
    db.session.commit()


def _acknowledgement(actor: Actor, recipient: AlertRecipient):
    """Where the actor's authority acknowledges: the recipient row for its coordinator,
    its own dissemination row for an authority the coordinator passed the alert to."""
    if recipient.coordinator_authority_id == actor.authority.id:
        return recipient
    own = actor.authority.id
    return next(d for d in recipient.disseminations if d.authority_id == own)


def acknowledge(actor: Actor, alert: Alert) -> None:
    """Each receiving authority acknowledges for itself."""
    _require(actor, alert, "acknowledge")
    target = _acknowledgement(actor, recipient_of(actor, alert))
    target.acknowledged_at = utcnow()
    target.acknowledged_by_id = actor.user.id
    _event(actor, alert, "acknowledged")
    _audit(actor, "alert.acknowledged", alert)
    db.session.commit()


def comment(actor: Actor, alert: Alert, text: str) -> None:
    _require(actor, alert, "comment")
    _need(text, "text")
    _event(actor, alert, "comment", text)
    _audit(actor, "alert.commented", alert)
    _notify(alert, _others(actor, alert), "commented")
    db.session.commit()


# --- the sender after broadcast ------------------------------------------------------------


def update(actor: Actor, alert: Alert, values: dict[str, str], message: str, note: str) -> None:
    """A new version: recipients see which fields changed."""
    _require(actor, alert, "update")
    pack = pinned_pack(alert.procedure_key, alert.pack_version)
    fields = typed_fields(pack, values)
    if missing_fields(pack, fields):
        raise AlertError("fields")
    message = message.strip()
    changed = [f.key for f in pack.fields if (alert.fields or {}).get(f.key) != fields.get(f.key)]
    if message != alert.message:
        changed.append("message")
    if not changed:
        raise AlertError("unchanged")
    alert.revision += 1
    alert.fields = fields
    alert.message = message
    alert.revisions.append(
        AlertRevision(
            number=alert.revision,
            fields=dict(fields),
            message=message,
            changed_keys=changed,
            user_id=actor.user.id,
        )
    )
    _event(actor, alert, "updated", note, {"revision": alert.revision, "changed": changed})
    _audit(actor, "alert.updated", alert, revision=alert.revision)
    _touch(alert)
    _notify(alert, _receiving(alert), "updated")
    db.session.commit()


def withdraw(actor: Actor, alert: Alert, reason: str) -> None:
    _require(actor, alert, "withdraw")
    _need(reason, "reason")
    alert.withdrawal_reason = reason.strip()
    alert.closed_at = utcnow()
    _transition(actor, alert, S.WITHDRAWN, "withdrawn", reason)
    _notify(alert, _receiving(alert), "withdrawn")
    db.session.commit()


def close(actor: Actor, alert: Alert, note: str = "") -> None:
    _require(actor, alert, "close")
    alert.closed_at = utcnow()
    _transition(actor, alert, S.CLOSED, "closed", note)
    _notify(alert, _receiving(alert), "closed")
    db.session.commit()


def changes(alert: Alert, number: int) -> list[str]:
    """Keys changed in revision `number` against the one before."""
    for revision in alert.revisions:
        if revision.number == number:
            return list(revision.changed_keys or [])
    return []


def record_view(actor: Actor, alert: Alert) -> None:
    """A read of the alert's personal data, for the audit trail; marks the revision seen."""
    _audit(actor, "alert.viewed", alert)
    own = actor.authority.id
    recipient = recipient_of(actor, alert)
    if recipient is not None and recipient.coordinator_authority_id == own:
        recipient.seen_revision = alert.revision
    elif recipient is not None:
        for dissemination in recipient.disseminations:
            if dissemination.authority_id == own:
                dissemination.seen_revision = alert.revision
    audit.commit_read()


def seen_revisions(actor: Actor, alert_ids: list[int]) -> dict[int, int]:
    """For the alerts the actor's authority received: the revision it last looked at
    (0: never opened)."""
    own = actor.authority.id
    routed = select(AlertRecipient.alert_id, AlertRecipient.seen_revision).where(
        AlertRecipient.coordinator_authority_id == own, AlertRecipient.alert_id.in_(alert_ids)
    )
    passed_on = select(AlertDissemination.alert_id, AlertDissemination.seen_revision).where(
        AlertDissemination.authority_id == own, AlertDissemination.alert_id.in_(alert_ids)
    )
    return {
        alert_id: seen
        for query in (routed, passed_on)
        for alert_id, seen in db.session.execute(query)
    }


# --- internals ----------------------------------------------------------------------------


def _receiving(alert: Alert) -> list[int]:
    ids = []
    for recipient in alert.recipients:
        ids += [recipient.coordinator_authority_id, *recipient.disseminated_to]
    return list(dict.fromkeys(ids))


def party_ids(alert: Alert) -> list[int]:
    """Every authority the alert went between: the sender, then the receiving side."""
    return list(dict.fromkeys([alert.sender_authority_id, *_receiving(alert)]))


def _others(actor: Actor, alert: Alert) -> list[int]:
    return [i for i in party_ids(alert) if i != actor.authority.id]


def _need(text: str, code: str) -> None:
    if not (text or "").strip():
        raise AlertError(code)


def _event(
    actor: Actor | None, alert: Alert, kind: str, text: str = "", data: dict | None = None
) -> AlertEvent:
    event = AlertEvent(
        kind=kind,
        at=utcnow(),
        user_id=actor.user.id if actor else None,
        authority_id=actor.authority.id if actor else None,
        text=(text or "").strip(),
        language=languages.detect(text or "", actor.user.language if actor else None),
        data=data or {},
    )
    alert.events.append(event)
    return event


def _transition(
    actor: Actor, alert: Alert, state: AlertState, kind: str, text: str = "", data=None
) -> None:
    before = alert.state
    alert.state = state
    _event(actor, alert, kind, text, data)
    _audit(actor, f"alert.{kind}", alert, state_from=before.value, state_to=state.value)
    _touch(alert)


def _touch(alert: Alert) -> None:
    alert.updated_at = utcnow()


def _audit(actor: Actor, action: str, alert: Alert, **details) -> None:
    audit.by_actor(actor, action, "alert", alert.id, **details)


def _notify(alert: Alert, authority_ids: list[int], what: str) -> None:
    from app.cases.alerts import notices as alert_notices

    alert_notices.notify(alert, authority_ids, what)


# --- files ---------------------------------------------------------------------------------


def attach(actor: Actor, alert: Alert, filename: str, stream) -> AlertAttachment:
    """The sender adds a file (a draft, or a broadcast alert); AttachmentError if the
    file is refused."""
    from app.cases import attachments

    _require(actor, alert, "attach")
    stored = attachments.store(filename, stream)
    attachment = AlertAttachment(
        alert_id=alert.id,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_name=stored.storage_name,
        uploaded_by_id=actor.user.id,
        authority_id=actor.authority.id,
    )
    alert.attachments.append(attachment)
    db.session.flush()
    _event(actor, alert, "attachment", data={"filename": attachment.filename})
    _audit(actor, "alert.attachment_added", alert, attachment=attachment.id, sha256=stored.sha256)
    _touch(alert)
    if alert.state == S.SENT:
        _notify(alert, _receiving(alert), "updated")
    db.session.commit()
    return attachment


def attachment_of(alert: Alert, attachment_id: int) -> AlertAttachment | None:
    return next((a for a in alert.attachments if a.id == attachment_id), None)


def record_download(actor: Actor, alert: Alert, attachment: AlertAttachment) -> None:
    _audit(actor, "alert.attachment_downloaded", alert, attachment=attachment.id)
    db.session.commit()
