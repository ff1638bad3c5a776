"""The notification lifecycle as data: who may do what, in which state, on which side.

    draft -> [asked ->] [awaiting_validation ->] notified -> assessed | objected
    asked, awaiting_validation, notified -> withdrawn
    awaiting_validation -> draft (returned by the validating coordinator, with a reason)

Where the procedure says so (Directive 2000/31/EC Art 3(4)(b), Directive 2006/123/EC
Art 35(2)) the notifier first asks the Member State of establishment to act; that Member
State replies; only then may the notifier notify the Commission and that Member State of
the measures it intends to take, unless it uses the urgent procedure (Art 3(5), Art
35(6)), which skips the request. Where the pack says so, the notifying country's
notification coordinator validates the notification before it goes out. Once notified,
the Commission desk of the policy area, the notifier and the receiving Member States
comment; the Commission desk concludes (no objection; for a repository notification:
accepted, and the records written) or objects, with its reasons. The notifier's handlers
write, send and withdraw; viewers read only.
"""

from __future__ import annotations

from app.cases.kernel import CaseError, Lifecycle, Transition
from app.cases.notifications.parties import establishment_ids, receiving, sides
from app.models import Notification, NotificationState
from app.policy import Actor

S = NotificationState
NOTIFIER = {"notifier"}
HANDLER = {"handler"}
# Replying, commenting and deciding: handlers and coordinators of the authority.
WORKS = {"handler", "coordinator"}
EVERY_SIDE = {"notifier", "validator", "commission", "establishment", "recipient"}


class NotificationError(CaseError):
    """A refused notification action; `code` names the reason, the view words it."""


def may_ask(_actor: Actor, item: Notification) -> bool:
    """The procedure asks the Member State of establishment first, not yet asked, and the
    notifier does not use the urgent procedure."""
    return item.ask_first and not item.urgent and item.asked_at is None


def ready(_actor: Actor, item: Notification) -> bool:
    """The notification may go out: the procedure asks no one first, the Member State of
    establishment replied to the request, or the urgent procedure is used."""
    return not item.ask_first or item.urgent or item.replied_at is not None


def ready_direct(actor: Actor, item: Notification) -> bool:
    return ready(actor, item) and not item.needs_validation


def ready_validated(actor: Actor, item: Notification) -> bool:
    return ready(actor, item) and item.needs_validation


def unanswered(_actor: Actor, item: Notification) -> bool:
    return item.replied_at is None


def unasked(_actor: Actor, item: Notification) -> bool:
    """A draft that has not gone anywhere yet (once asked, it is withdrawn, not deleted)."""
    return item.asked_at is None


def notify(item: Notification, authority_ids: list[int], what: str) -> None:
    from app.cases.notifications import notices

    notices.notify(item, authority_ids, what)


NOTICE_TO = {
    "notifier": lambda item: [item.notifier_authority_id],
    "validator": lambda item: [item.validator_authority_id],
    "establishment": establishment_ids,
    "receiving": receiving,
}


def notifier(item: Notification, to: str, what: str) -> None:
    notify(item, NOTICE_TO[to](item), what)


LIFECYCLE = Lifecycle(
    "notification",
    [
        # Drafts: the notifier's handlers write them (audited as draft_created/updated)
        # and delete them while they have gone nowhere.
        Transition("edit", (S.DRAFT,), sides=NOTIFIER, roles=HANDLER, event=""),
        Transition("discard", (S.DRAFT,), sides=NOTIFIER, roles=HANDLER, event="",
                   guard=unasked),
        # The request to the Member State of establishment, and its reply.
        Transition("ask", (S.DRAFT,), S.ASKED, NOTIFIER, HANDLER, "asked", guard=may_ask,
                   notify=(("establishment", "asked"),)),
        Transition("reply", (S.ASKED,), None, {"establishment"}, WORKS, "replied",
                   needs_text="text", guard=unanswered, notify=(("notifier", "replied"),)),
        # Out to the Commission and the Member States: at once, or validated first.
        Transition("notify", (S.DRAFT, S.ASKED), S.NOTIFIED, NOTIFIER, HANDLER, "notified",
                   guard=ready_direct, notify=(("receiving", "new"),)),
        Transition("submit", (S.DRAFT, S.ASKED), S.AWAITING_VALIDATION, NOTIFIER, HANDLER,
                   "submitted", guard=ready_validated, notify=(("validator", "to_validate"),)),
        Transition("validate", (S.AWAITING_VALIDATION,), S.NOTIFIED, {"validator"},
                   {"coordinator"}, "notified", notify=(("receiving", "new"),)),
        Transition("return", (S.AWAITING_VALIDATION,), S.DRAFT, {"validator"}, {"coordinator"},
                   "returned", needs_text="reason", notify=(("notifier", "returned"),)),
        # Comments, by every authority taking part, while the exchange is open.
        Transition("comment", (S.ASKED, S.NOTIFIED), sides=EVERY_SIDE, roles=WORKS,
                   event="comment", needs_text="text"),
        # The Commission desk's assessment.
        Transition("conclude", (S.NOTIFIED,), S.ASSESSED, {"commission"}, WORKS, "concluded",
                   notify=(("notifier", "concluded"),)),
        Transition("object", (S.NOTIFIED,), S.OBJECTED, {"commission"}, WORKS, "objected",
                   needs_text="reason", notify=(("receiving", "objected"), ("notifier", "objected"))),
        # The notifier withdraws what it sent.
        Transition("withdraw", (S.ASKED, S.AWAITING_VALIDATION, S.NOTIFIED), S.WITHDRAWN,
                   NOTIFIER, HANDLER, "withdrawn", needs_text="reason",
                   notify=(("receiving", "withdrawn"),)),
    ],
    sides=sides,
    notifier=notifier,
    error=NotificationError,
)  # fmt: skip
