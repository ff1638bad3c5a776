"""Who an authority is to a notification: the sides it takes (for the lifecycle), and the
one visibility rule, as SQL.

Visibility: the notifying authority; its validating coordinator once the notification is
submitted; the Member States' receiving authorities once it has reached them (the Member
State of establishment from the request to act on, the others from the notification on);
the Commission desk it was notified to. A third Member State that is not a recipient,
another Commission desk and every other authority see nothing (404). Blocked
notifications are seen by nobody.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from app.cases.areas import where_areas
from app.models import Notification, NotificationRecipient, NotificationState
from app.policy import Actor
from app.records import retention

S = NotificationState


def received_ids(authority_id: int):
    """The ids of the notifications that reached the authority, as a subquery."""
    return select(NotificationRecipient.notification_id).where(
        NotificationRecipient.authority_id == authority_id
    )


def visible_query(actor: Actor):
    """Every notification the actor's authority may see, as a select (the kind's rule)."""
    own = actor.authority.id
    return select(Notification).where(
        retention.live(Notification),
        or_(
            Notification.notifier_authority_id == own,
            (Notification.validator_authority_id == own) & (Notification.state != S.DRAFT),
            Notification.commission_authority_id == own,
            Notification.id.in_(received_ids(own)),
        ),
        # an officer whose roles hold in other legislative areas only sees none of its
        where_areas(actor, Notification.procedure_key),
    )


def recipient_of(actor: Actor, item: Notification) -> NotificationRecipient | None:
    own = actor.authority.id
    return next((r for r in item.recipients if r.authority_id == own), None)


def sides(actor: Actor, item: Notification) -> set[str]:
    """notifier, validator, commission (its desk), establishment (the Member State of
    establishment's receiving authority), recipient (another Member State's)."""
    own = actor.authority.id
    result = set()
    if own == item.notifier_authority_id:
        result.add("notifier")
    if item.validator_authority_id == own and item.state != S.DRAFT:
        result.add("validator")
    if item.commission_authority_id == own:
        result.add("commission")
    recipient = recipient_of(actor, item)
    if recipient is not None:
        result.add("establishment" if recipient.establishment else "recipient")
    return result


def establishment_ids(item: Notification) -> list[int]:
    return [r.authority_id for r in item.recipients if r.establishment]


def receiving(item: Notification) -> list[int]:
    """The Commission desk and every receiving authority of the Member States."""
    ids = [item.commission_authority_id] if item.commission_authority_id else []
    return list(dict.fromkeys(ids + [r.authority_id for r in item.recipients]))


def party_ids(item: Notification) -> list[int]:
    """Every authority the notification went between: the notifier first."""
    ids = [item.notifier_authority_id, *receiving(item)]
    if item.validator_authority_id and item.state != S.DRAFT:
        ids.append(item.validator_authority_id)
    return list(dict.fromkeys(ids))


def others(actor: Actor, item: Notification) -> list[int]:
    return [i for i in party_ids(item) if i != actor.authority.id]
