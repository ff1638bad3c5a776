"""Who an authority is to an alert: the sides it takes (for the lifecycle), the recipient
row through which it sees the alert, and the one visibility rule, as SQL.

Visibility: the sender authority; its validating coordinator once the alert is submitted;
each recipient coordinator and the authorities an alert was disseminated to once it is
broadcast. Blocked alerts are seen by nobody.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from app.cases.areas import where_areas
from app.models import Alert, AlertDissemination, AlertRecipient, AlertState
from app.policy import Actor
from app.records import retention

S = AlertState
BROADCAST = (S.SENT, S.WITHDRAWN, S.CLOSED)


def disseminated_ids(authority_id: int):
    """The ids of the alerts disseminated to the authority, as a subquery."""
    return select(AlertDissemination.alert_id).where(
        AlertDissemination.authority_id == authority_id
    )


def visible_query(actor: Actor):
    """Every alert the actor's authority may see, as a select (the kind's one rule)."""
    own = actor.authority.id
    routed = select(AlertRecipient.alert_id).where(AlertRecipient.coordinator_authority_id == own)
    return select(Alert).where(
        retention.live(Alert),
        where_areas(actor, Alert.procedure_key),
        or_(
            Alert.sender_authority_id == own,
            (Alert.validator_authority_id == own) & (Alert.state != S.DRAFT),
            Alert.state.in_(BROADCAST)
            & (Alert.id.in_(routed) | Alert.id.in_(disseminated_ids(own))),
        ),
    )


def load(actor: Actor, alert_id: int) -> Alert | None:
    """The alert if the actor may see it, else None (the view answers 404)."""
    from app.cases import registry

    return registry.visible(actor, "alert", alert_id)


def may_view(actor: Actor, alert: Alert) -> bool:
    return load(actor, alert.id) is not None


def recipient_of(actor: Actor, alert: Alert) -> AlertRecipient | None:
    """The recipient row through which the actor's authority sees the alert."""
    if alert.state not in BROADCAST:
        return None
    own = actor.authority.id
    for recipient in alert.recipients:
        if recipient.coordinator_authority_id == own or own in recipient.disseminated_to:
            return recipient
    return None


def acknowledgement(actor: Actor, recipient: AlertRecipient):
    """Where the actor's authority acknowledges: the recipient row for its coordinator,
    its own dissemination row for an authority the coordinator passed the alert to."""
    if recipient.coordinator_authority_id == actor.authority.id:
        return recipient
    own = actor.authority.id
    return next(d for d in recipient.disseminations if d.authority_id == own)


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


def receiving(alert: Alert) -> list[int]:
    """The receiving side: each recipient coordinator and whom it disseminated to."""
    ids = []
    for recipient in alert.recipients:
        ids += [recipient.coordinator_authority_id, *recipient.disseminated_to]
    return list(dict.fromkeys(ids))


def party_ids(alert: Alert) -> list[int]:
    """Every authority the alert went between: the sender, then the receiving side."""
    return list(dict.fromkeys([alert.sender_authority_id, *receiving(alert)]))


def others(actor: Actor, alert: Alert) -> list[int]:
    return [i for i in party_ids(alert) if i != actor.authority.id]
