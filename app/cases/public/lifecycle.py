"""Who may do what on a public case, as a table.

Two sides act on a case. The officers of the authority it is routed to ("authority"),
as handlers or allocators, accept it, ask the submitter for information, write to them
and close it. The submitter ("submitter") has no account: they confirm their address
and reply through their private link, which the kernel sees as no actor (None). Nobody
else takes part, and nothing happens to a closed case.
"""

from __future__ import annotations

from app.cases.kernel import CaseError, Lifecycle, Transition
from app.cases.public.notices import notify
from app.models import PublicCase
from app.models import PublicCaseState as S
from app.policy import Actor

# Limits of every public form.
MAX_TEXT = 10000
MAX_FIELD = 2000
MAX_NAME = 200
MAX_DOCUMENTS = 5

OPEN = (S.SUBMITTED, S.IN_PROGRESS, S.AWAITING_SUBMITTER)
OFFICERS = {"authority"}
OFFICER_ROLES = {"handler", "allocator"}
SUBMITTER = {"submitter"}
# Every action of the officers mails the submitter a new link to the case.
TO_SUBMITTER = (("submitter", "update"),)


class PublicError(CaseError):
    """A refused action: "role", "state", "text", or a document's ("too_many", "type",
    "too_large", "empty"); also "procedure" and "country" on submission."""


def sides(actor: Actor | None, case: PublicCase) -> set[str]:
    """The submitter acts without an account (actor None); the officers for the authority
    the case is routed to."""
    if actor is None:
        return set(SUBMITTER)
    return set(OFFICERS) if actor.authority.id == case.authority_id else set()


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
        notify=TO_SUBMITTER,
        **more,
    )


LIFECYCLE = Lifecycle(
    "public_case",
    [
        _officers("accept", (S.SUBMITTED,), S.IN_PROGRESS, "accepted"),
        _officers("ask", (S.SUBMITTED, S.IN_PROGRESS), S.AWAITING_SUBMITTER, "info_requested"),
        # A message takes up a new case; an open one stays as it is.
        _officers("reply", OPEN, None, "officer_message", moves=((S.SUBMITTED, S.IN_PROGRESS),)),
        _officers("close", OPEN, S.CLOSED, "closed"),
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
        ),
        # The submitter's answer puts a case waiting for them back in the officers' hands.
        Transition(
            "submitter_reply",
            OPEN,
            sides=SUBMITTER,
            event="submitter_message",
            audit_as="submitter_replied",
            moves=((S.AWAITING_SUBMITTER, S.IN_PROGRESS),),
            notify=(("officers", "submitter_replied"),),
        ),
    ],
    sides=sides,
    notifier=notify,
    error=PublicError,
)

# The actions that carry a message to the submitter: a text or a document.
MESSAGES = frozenset({"ask", "reply"})
