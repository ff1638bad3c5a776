"""The boxes of the alert inbox, as conditions on top of the kind's one visibility rule,
so that the inbox and the home page's counts list and count the same alerts."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.cases.alerts.parties import BROADCAST, disseminated_ids, visible_query
from app.models import Alert, AlertDissemination, AlertRecipient, AlertState, RecipientState
from app.policy import Actor

BOXES = ("received", "disseminate", "acknowledge", "validate", "sent", "drafts")


def _routed(own: int, *where):
    """The ids of the alerts routed to the coordinator authority `own`, as a subquery."""
    return select(AlertRecipient.alert_id).where(
        AlertRecipient.coordinator_authority_id == own, *where
    )


def conditions(actor: Actor, box: str) -> list:
    """What an alert the actor sees must meet to be in `box` (received when unknown)."""
    own = actor.authority.id
    if box == "sent":
        return [Alert.sender_authority_id == own, Alert.state != AlertState.DRAFT]
    if box == "drafts":
        return [Alert.sender_authority_id == own, Alert.state == AlertState.DRAFT]
    if box == "validate":
        return [Alert.validator_authority_id == own, Alert.state == AlertState.AWAITING_VALIDATION]
    if box == "disseminate":
        # routed to us, and not yet passed on or handled
        pending = _routed(own, AlertRecipient.state == RecipientState.RECEIVED)
        return [Alert.id.in_(pending), Alert.state == AlertState.SENT]
    if box == "acknowledge":
        # the acknowledgement our authority owes: as the coordinator it was routed to, or
        # as an authority it was disseminated to (the lifecycle's `unacknowledged`)
        as_coordinator = _routed(own, AlertRecipient.acknowledged_at.is_(None))
        as_receiver = select(AlertDissemination.alert_id).where(
            AlertDissemination.authority_id == own, AlertDissemination.acknowledged_at.is_(None)
        )
        return [
            Alert.state == AlertState.SENT,
            or_(Alert.id.in_(as_coordinator), Alert.id.in_(as_receiver)),
        ]
    # received: routed to us or disseminated to us, once broadcast
    return [
        Alert.sender_authority_id != own,
        Alert.state.in_(BROADCAST),
        or_(Alert.id.in_(_routed(own)), Alert.id.in_(disseminated_ids(own))),
    ]


def box_query(actor: Actor, box: str, visible=None):
    """The alerts of `box`: the visibility rule (`visible`, when the caller built it
    already), then the box."""
    if visible is None:
        visible = visible_query(actor)
    return visible.where(*conditions(actor, box))
