"""The receiving side of a broadcast alert: dissemination, handling, acknowledgement,
comments, and which version each receiving authority has seen."""

from __future__ import annotations

from sqlalchemy import literal, select, union_all

from app.cases.alerts.lifecycle import LIFECYCLE, AlertError, notify
from app.cases.alerts.parties import acknowledgement, others, recipient_of
from app.cases.alerts.routing import competent_authorities
from app.extensions import db
from app.models import Alert, AlertDissemination, AlertRecipient, RecipientState
from app.models.base import utcnow
from app.policy import Actor
from app.records import audit


def disseminate(actor: Actor, alert: Alert, authority_ids: list[int]) -> None:
    """The recipient country's coordinator passes the alert to competent authorities."""
    LIFECYCLE.require(actor, alert, "disseminate")
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
    details = {"authorities": chosen}
    LIFECYCLE.perform(
        actor, alert, "disseminate", data=details, details=details, checked=True, commit=False
    )
    notify(alert, chosen, "disseminated")
    db.session.commit()


def handle(actor: Actor, alert: Alert) -> None:
    """The recipient country's coordinator deals with the alert itself."""
    LIFECYCLE.require(actor, alert, "handle")
    recipient_of(actor, alert).state = RecipientState.HANDLED
    LIFECYCLE.perform(actor, alert, "handle", checked=True)


def acknowledge(actor: Actor, alert: Alert) -> None:
    """Each receiving authority acknowledges for itself."""
    LIFECYCLE.require(actor, alert, "acknowledge")
    target = acknowledgement(actor, recipient_of(actor, alert))
    target.acknowledged_at = utcnow()
    target.acknowledged_by_id = actor.user.id
    LIFECYCLE.perform(actor, alert, "acknowledge", checked=True)


def comment(actor: Actor, alert: Alert, text: str) -> None:
    """A comment on the timeline, announced to every other party of the exchange."""
    LIFECYCLE.require(actor, alert, "comment")
    text = LIFECYCLE.need(text, "text")
    LIFECYCLE.record(actor, alert, "comment", text)
    LIFECYCLE.audit(actor, alert, "commented")
    notify(alert, others(actor, alert), "commented")
    db.session.commit()


def record_view(actor: Actor, alert: Alert) -> None:
    """A read of the alert's personal data, for the audit trail; marks the revision seen."""
    LIFECYCLE.audit(actor, alert, "viewed")
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
    (0: never opened). One statement, none for no alerts."""
    if not alert_ids:
        return {}
    own = actor.authority.id
    routed = select(
        AlertRecipient.alert_id, AlertRecipient.seen_revision, literal(0).label("passed_on")
    ).where(AlertRecipient.coordinator_authority_id == own, AlertRecipient.alert_id.in_(alert_ids))
    passed_on = select(
        AlertDissemination.alert_id, AlertDissemination.seen_revision, literal(1)
    ).where(AlertDissemination.authority_id == own, AlertDissemination.alert_id.in_(alert_ids))
    # where the authority both received and was passed an alert, the latter counts
    rows = db.session.execute(union_all(routed, passed_on).order_by("passed_on"))
    return {alert_id: seen for alert_id, seen, _ in rows}
