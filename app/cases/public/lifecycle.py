"""Who may do what on a public case, as a table.

Two sides act on a case. The officers of the authority it is routed to ("authority"),
as handlers or allocators, accept it, ask the submitter for information, write to them
and close it. The submitter ("submitter") has no account: they confirm their address
and reply through their private link, which the kernel sees as no actor (None).

A SOLVIT case (app/cases/public/solvit.py) has a third side, the lead centre ("lead"),
once the home centre (the routed authority) submitted the case to it; the rows of its
steps hold only for SOLVIT procedures. Nobody else takes part, and nothing happens to a
closed case but the hand-over of a structural problem to the Commission's SOLVIT desk.
"""

from __future__ import annotations

from app.cases.kernel import CaseError, Lifecycle, Transition
from app.cases.public import solvit
from app.cases.public.notices import notify, reschedule
from app.models import PublicCase
from app.models import PublicCaseState as S
from app.policy import Actor

# Limits of every public form.
MAX_TEXT = 10000
MAX_FIELD = 2000
MAX_NAME = 200
MAX_DOCUMENTS = 5

OPEN = (S.SUBMITTED, S.IN_PROGRESS, S.AWAITING_SUBMITTER)
# A SOLVIT case stays open while it is with the lead centre.
WITH_LEAD = (S.WITH_LEAD, S.LEAD_WORKING)
OFFICERS = {"authority"}
LEAD = {"lead"}
CENTRES = {"authority", "lead"}
OFFICER_ROLES = {"handler", "allocator"}
SUBMITTER = {"submitter"}
# Every action of the officers mails the submitter a new link to the case.
TO_SUBMITTER = (("submitter", "update"),)


class PublicError(CaseError):
    """A refused action: "role", "state", "text", or a document's ("too_many", "type",
    "too_large", "empty"); also "procedure" and "country" on submission; for SOLVIT,
    "outcome" (none, or not one of the case's stage) and "lead" (no centre there)."""


def sides(actor: Actor | None, case: PublicCase) -> set[str]:
    """The submitter acts without an account (actor None); the officers for the authority
    the case is routed to, and for a SOLVIT case's lead centre."""
    if actor is None:
        return set(SUBMITTER)
    found = set(OFFICERS) if actor.authority.id == case.authority_id else set()
    if case.lead_authority_id is not None and actor.authority.id == case.lead_authority_id:
        found |= LEAD
    return found


def _officers(action: str, sources, target, event: str, **more) -> Transition:
    # The audit trail names the officers' actions by their verb ("public_case.accept").
    return Transition(
        action,
        sources,
        target,
        sides=OFFICERS,
        roles=OFFICER_ROLES,
        event=event,
        audit_as=action,
        reminders=True,
        **{"notify": TO_SUBMITTER, **more},
    )


def _centre(action: str, sources, target, event: str, sides=LEAD, **more) -> Transition:
    """A SOLVIT centre's step: the applicant is not told (the home centre tells them),
    unless `notify` says so."""
    more.setdefault("guard", solvit.solvit_guard)
    return Transition(
        action,
        sources,
        target,
        sides=sides,
        roles=OFFICER_ROLES,
        event=event,
        audit_as=action,
        reminders=True,
        **more,
    )


LIFECYCLE = Lifecycle(
    "public_case",
    [
        _officers("accept", (S.SUBMITTED,), S.IN_PROGRESS, "accepted"),
        _officers("ask", (S.SUBMITTED, S.IN_PROGRESS), S.AWAITING_SUBMITTER, "info_requested"),
        # A message takes up a new case; an open one stays as it is.
        _officers(
            "reply",
            OPEN + WITH_LEAD,
            None,
            "officer_message",
            moves=((S.SUBMITTED, S.IN_PROGRESS),),
        ),
        # SOLVIT: closed in the home stage only as "not within scope", once the lead
        # centre works on it with its outcome; never while the lead centre decides.
        _officers("close", (*OPEN, S.LEAD_WORKING), S.CLOSED, "closed"),
        # SOLVIT: the home centre submits the prepared case, with its summary, to the lead
        # centre (the applicant is told the stage, not the summary).
        _officers(
            "submit_to_lead",
            (S.IN_PROGRESS, S.AWAITING_SUBMITTER),
            S.WITH_LEAD,
            "sent_to_lead",
            needs_text="text",
            guard=solvit.solvit_guard,
            notify=(*TO_SUBMITTER, ("lead", "lead_submitted")),
        ),
        # Taken on: the applicant gets a new link to read that the 10 weeks run (the
        # lead centre's words never reach them; the page says the stage).
        _centre(
            "lead_accept",
            (S.WITH_LEAD,),
            S.LEAD_WORKING,
            "lead_accepted",
            notify=(("officers", "lead_accepted"), *TO_SUBMITTER),
        ),
        # A rejection sends the case back to the home centre, with the reason.
        _centre(
            "lead_reject",
            (S.WITH_LEAD,),
            S.IN_PROGRESS,
            "lead_rejected",
            needs_text="text",
            notify=(("officers", "lead_rejected"),),
        ),
        # The centres write to each other (the other one is told, by the route).
        _centre(
            "centre_message", WITH_LEAD, None, "centre_message", sides=CENTRES, needs_text="text"
        ),
        _centre(
            "hand_over",
            (S.CLOSED,),
            None,
            "handed_over",
            sides=OFFICERS,
            needs_text="text",
            guard=solvit.may_hand_over,
            notify=(("desk", "handed_over"),),
        ),
        Transition(
            "confirm",
            (S.UNCONFIRMED,),
            S.SUBMITTED,
            sides=SUBMITTER,
            event="submitted",
            audit_as="submitter_confirmed",
            # The submitter's link is mailed by submission.confirm, which also hands it to
            # the page that follows, so that the page can link to the case.
            notify=(("officers", "new"),),
            reminders=True,
        ),
        # The submitter's answer puts a case waiting for them back in the officers' hands.
        Transition(
            "submitter_reply",
            OPEN + WITH_LEAD,
            sides=SUBMITTER,
            event="submitter_message",
            audit_as="submitter_replied",
            moves=((S.AWAITING_SUBMITTER, S.IN_PROGRESS),),
            notify=(("officers", "submitter_replied"),),
        ),
    ],
    sides=sides,
    notifier=notify,
    scheduler=reschedule,
    error=PublicError,
)

# The actions that carry a message to the submitter: a text or a document.
MESSAGES = frozenset({"ask", "reply"})
# SOLVIT steps whose text is for the centres (and the desk), never for the applicant;
# they carry no documents.
CENTRE_STEPS = frozenset(
    {"submit_to_lead", "lead_accept", "lead_reject", "centre_message", "hand_over"}
)
