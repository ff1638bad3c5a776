"""Notifications assessed by the Commission: a Member State notifies the Commission and
other Member States of measures or requirements, they comment, and the Commission desk
of the policy area concludes or objects, within the act's deadline where it sets one.

The package by subject: `parties` (who an authority is to a notification, and the one
visibility rule), `lifecycle` (the transitions as data, on the case kernel), `routing`
(Commission desks, receiving authorities, validators, deadlines), `compose` (drafts, the
request to the Member State of establishment, validation, notifying), `acting` (reply,
comments, the Commission's assessment, withdrawal), `repository` (what an accepted
notification writes to a repository), `labels` and `notices`. A refused action raises
NotificationError and changes nothing.
"""

from app.cases.notifications.acting import (
    comment,
    conclude,
    object_to,
    record_view,
    reply,
    withdraw,
)
from app.cases.notifications.compose import (
    Draft,
    ask,
    discard,
    pack_of,
    save_draft,
    send,
    validate,
)
from app.cases.notifications.lifecycle import LIFECYCLE, NotificationError, S
from app.cases.notifications.parties import party_ids, recipient_of, sides, visible_query
from app.cases.notifications.routing import notifiable_packs

__all__ = [
    "LIFECYCLE",
    "S",
    "Draft",
    "NotificationError",
    "ask",
    "comment",
    "conclude",
    "discard",
    "notifiable_packs",
    "object_to",
    "pack_of",
    "party_ids",
    "recipient_of",
    "record_view",
    "reply",
    "save_draft",
    "send",
    "sides",
    "validate",
    "visible_query",
    "withdraw",
]
