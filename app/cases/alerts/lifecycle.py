"""The alert lifecycle as data: who may do what, in which state, on which side.

    draft -> [awaiting_validation ->] sent -> withdrawn | closed
    awaiting_validation -> draft (returned by the validating coordinator with a reason)

The sender's alert handlers write, send, discard and add files to drafts, and update,
withdraw or close the alert once it is broadcast. Only a coordinator of the validating
national coordinator validates or returns it. A recipient country's coordinator passes it
on (disseminates) or handles it itself, once; each receiving authority acknowledges for
itself. Alert handlers and coordinators of every authority taking part comment: the
sender, the receiving side, and the validating coordinator, through which the alert went
out in its country's name (the national IMI coordinator is the main contact point,
Regulation 1024/2012 Art. 6). Viewers read only.
"""

from __future__ import annotations

from app.cases.alerts.parties import acknowledgement, receiving, recipient_of, sides
from app.cases.kernel import CaseError, Lifecycle, Transition
from app.models import Alert, AlertState, RecipientState
from app.policy import Actor

S = AlertState
SENDER = {"sender"}
HANDLER = {"alert_handler"}
# Receiving, passing on, acknowledging and commenting: alert handlers and coordinators.
WORKS_ALERTS = {"alert_handler", "coordinator"}


class AlertError(CaseError):
    """A refused alert action; `code` names the reason, the view words it."""


def received(actor: Actor, alert: Alert) -> bool:
    """The actor's country has the alert and has not yet passed it on or handled it."""
    recipient = recipient_of(actor, alert)
    return recipient is not None and recipient.state == RecipientState.RECEIVED


def unacknowledged(actor: Actor, alert: Alert) -> bool:
    """The actor's authority has not yet acknowledged the alert."""
    recipient = recipient_of(actor, alert)
    return recipient is not None and acknowledgement(actor, recipient).acknowledged_at is None


def notify(alert: Alert, authority_ids: list[int], what: str) -> None:
    """Mail the officers of the authorities (queued in the caller's transaction)."""
    from app.cases.alerts import notices

    notices.notify(alert, authority_ids, what)


NOTICE_TO = {
    "sender": lambda alert: [alert.sender_authority_id],
    "validator": lambda alert: [alert.validator_authority_id],
    "receiving": receiving,
}


def notifier(alert: Alert, to: str, what: str) -> None:
    notify(alert, NOTICE_TO[to](alert), what)


LIFECYCLE = Lifecycle(
    "alert",
    [
        # Drafts: the sender writes (audited as draft_created/draft_updated), discards,
        # and sends: broadcast at once, or submitted for validation first.
        Transition("edit", (S.DRAFT,), sides=SENDER, roles=HANDLER, event=""),
        Transition("discard", (S.DRAFT,), sides=SENDER, roles=HANDLER, event=""),
        Transition(
            "send", (S.DRAFT,), S.SENT, SENDER, HANDLER, "sent",
            notify=(("receiving", "new"),),
        ),
        Transition(
            "submit", (S.DRAFT,), S.AWAITING_VALIDATION, SENDER, HANDLER, "submitted",
            notify=(("validator", "to_validate"),),
        ),
        Transition("attach", (S.DRAFT, S.SENT), sides=SENDER, roles=HANDLER, event="attachment"),
        # The validating coordinator broadcasts the alert or returns it with a reason.
        Transition(
            "validate", (S.AWAITING_VALIDATION,), S.SENT, {"validator"}, {"coordinator"}, "sent",
            notify=(("receiving", "new"),),
        ),
        Transition(
            "return", (S.AWAITING_VALIDATION,), S.DRAFT, {"validator"}, {"coordinator"},
            "returned", needs_text="reason", notify=(("sender", "returned"),),
        ),
        # The receiving side.
        Transition(
            "disseminate", (S.SENT,), sides={"coordinator"}, roles=WORKS_ALERTS,
            event="disseminated", guard=received,
        ),
        Transition(
            "handle", (S.SENT,), sides={"coordinator"}, roles=WORKS_ALERTS, event="handled",
            guard=received,
        ),
        Transition(
            "acknowledge", (S.SENT,), sides={"coordinator", "receiver"}, roles=WORKS_ALERTS,
            event="acknowledged", guard=unacknowledged,
        ),
        Transition(
            "comment", (S.SENT,), sides={"sender", "validator", "coordinator", "receiver"},
            roles=WORKS_ALERTS, event="comment", needs_text="text",
        ),
        # The sender after the broadcast.
        Transition(
            "update", (S.SENT,), sides=SENDER, roles=HANDLER, event="updated",
            notify=(("receiving", "updated"),),
        ),
        Transition(
            "withdraw", (S.SENT,), S.WITHDRAWN, SENDER, HANDLER, "withdrawn",
            needs_text="reason", notify=(("receiving", "withdrawn"),),
        ),
        Transition(
            "close", (S.SENT,), S.CLOSED, SENDER, HANDLER, "closed",
            notify=(("receiving", "closed"),),
        ),
    ],
    sides=sides,
    notifier=notifier,
    error=AlertError,
)  # fmt: skip
