"""The request lifecycle as data (DESIGN.md "Request"): who may do what, in which state.

    draft -> sent -> accepted -> answered -> closed
    sent: accept (maybe proposing a new reply date), forward, split
    accepted <-> info_requested (more information asked and given)
    answered -> accepted (a further question)
    sent | accepted | info_requested -> withdrawn (by the requester)
    sent | accepted | info_requested -> refused (by the responder, on a ground its
        procedure's pack lists: Directive 2014/67/EU Article 17; none listed, no refusal)
    any open state: refer a disagreement to the coordinators, who record a resolution

The sides of a request: the requesting authority ("requester"), the responding one once
the request is sent ("responder"), and the coordinators governing either authority while
a disagreement is referred to them ("coordinator"). The requester's actions need a
handler; the responder's a handler or an allocator (assigning: an allocator).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from app.cases.kernel import CaseError, Lifecycle, Transition
from app.cases.requests import notices
from app.models import OPEN_STATES, PENDING_REPLY, Authority, Request, RequestState
from app.policy import Actor, governs_case
from app.procedures.store import pinned_pack, pinned_workflow

S = RequestState
OPEN = OPEN_STATES

REQUESTER = {"requester"}
RESPONDER = {"responder"}
HANDLER = {"handler"}
ANSWERING = {"handler", "allocator"}
PARTIES = {"requester", "responder"}
# What either party may do, each with the roles its own actions need.
PARTY_ROLES = {"requester": HANDLER, "responder": ANSWERING}


class RequestError(CaseError):
    """A refused action on a request. `code` names the reason; the view words it."""


def side_of(actor: Actor, request: Request) -> str | None:
    """The party the actor's authority is: the requester, or the responder once sent."""
    if actor.authority.id == request.requester_authority_id:
        return "requester"
    if actor.authority.id == request.responder_authority_id and request.state != S.DRAFT:
        return "responder"
    return None


def coordinates(actor: Actor, request: Request) -> bool:
    return governs_case(
        actor, request.procedure_key, [request.requester_authority, request.responder_authority]
    )


def sides(actor: Actor, request: Request) -> set[str]:
    found = {side} if (side := side_of(actor, request)) else set()
    if request.referral_open and coordinates(actor, request):
        found.add("coordinator")
    return found


def rated_by(actor: Actor, request: Request) -> bool:
    """The actor's authority has rated the reply already (ratings.py: once, final)."""
    ratings = request.ratings  # type: ignore[attr-defined]
    return any(r.rater_authority_id == actor.authority.id for r in ratings)


def refusable(actor: Actor, request: Request) -> bool:
    """The request's procedure lists grounds on which its responder may refuse it."""
    return bool(pinned_pack(request.procedure_key, request.pack_version).refusal_grounds)


def counterpart(actor: Actor, request: Request) -> Authority:
    if side_of(actor, request) == "requester":
        return request.responder_authority
    return request.requester_authority


def _by(
    side: str,
    other: str,
    action: str,
    sources: tuple[S, ...],
    target: S | None = None,
    *,
    roles: set[str],
    event: str | None = None,
    notify: tuple[tuple[str, str], ...] | None = None,
    **more: Any,
) -> Transition:
    """An action of one party. Unless it says otherwise, the other party is told of it by
    a notice named after its timeline event (none when it leaves no event)."""
    if notify is None:
        told = action if event is None else event
        notify = ((other, told),) if told else ()
    return Transition(
        action, sources, target, sides={side}, roles=roles, event=event, notify=notify, **more
    )


# The two parties' own actions: the requester's handlers; the responder's handlers and
# allocators.
by_requester = partial(_by, "requester", "responder", roles=HANDLER)
by_responder = partial(_by, "responder", "requester", roles=ANSWERING)
DRAFT, SENT, ACCEPTED, ANSWERED = (S.DRAFT,), (S.SENT,), (S.ACCEPTED,), (S.ANSWERED,)
INFO_REQUESTED = (S.INFO_REQUESTED,)

LIFECYCLE = Lifecycle(
    "request",
    [
        # Composing (compose.py): a draft's changes leave no timeline event.
        by_requester("edit", DRAFT, event=""),
        by_requester("discard", DRAFT, event=""),
        by_requester("send", DRAFT, S.SENT, event="sent", notify=(("responder", "new"),),
                     reminders=True),
        # The responder (responding.py).
        by_responder("assign", PENDING_REPLY, roles={"allocator"}, event="assigned",
                     notify=(("handler", "assigned"),)),
        by_responder("accept", SENT, S.ACCEPTED, event="accepted"),
        by_responder("forward", SENT, step="forward", event="forwarded", needs_text="reason",
                     notify=(("responder", "new"), ("requester", "forwarded")), reminders=True),
        by_responder("split", SENT, step="split", needs_text="reason"),
        by_responder("ask_info", ACCEPTED, S.INFO_REQUESTED, step="ask_info",
                     event="info_requested", needs_text="text"),
        by_responder("answer", ACCEPTED, S.ANSWERED, event="answered"),
        # Refusing to execute it, on a ground of the pack (responding.py).
        by_responder("refuse", PENDING_REPLY, S.REFUSED, event="refused", guard=refusable),
        # The requester once the request is sent (asking.py).
        by_requester("reply_info", INFO_REQUESTED, S.ACCEPTED, event="info_given",
                     needs_text="text"),
        # Its event is date_agreed or date_refused (asking.py).
        by_requester("decide_date", (S.ACCEPTED, S.INFO_REQUESTED), event="",
                     guard=lambda actor, request: request.proposed_due is not None),
        by_requester("further_question", ANSWERED, S.ACCEPTED, step="further_question",
                     needs_text="text"),
        by_requester("close", ANSWERED, S.CLOSED, event="closed"),
        by_requester("withdraw", PENDING_REPLY, S.WITHDRAWN, event="withdrawn",
                     needs_text="reason"),
        # Once closed, the requester's handlers and allocators rate the reply, once
        # (ratings.py). No timeline event: a rating is for the two authorities and the
        # rated one's coordinators, not for whoever else reads the case.
        by_requester("rate", (S.CLOSED,), roles=ANSWERING, event="", audit_as="rated",
                     guard=lambda actor, request: not rated_by(actor, request)),
        # A disagreement, referred by either party to the coordinators of both (referrals.py).
        Transition("refer", OPEN, step="refer", sides=PARTIES, side_roles=PARTY_ROLES,
                   event="referred", needs_text="reason",
                   guard=lambda actor, request: not request.referral_open,
                   notify=(("coordinators", "referred"),)),
        Transition("resolve", OPEN, sides={"coordinator"}, event="resolved", needs_text="reason",
                   notify=(("requester", "resolved"), ("responder", "resolved"))),
        # Files (compose.py): the requester's while a draft, either party's while open.
        Transition("attach", (S.DRAFT, *OPEN), sides=PARTIES, side_roles=PARTY_ROLES,
                   event="attachment"),
    ],
    sides=sides,
    notifier=notices.notify,
    scheduler=notices.schedule_reminders,
    error=RequestError,
    # The steps the request's procedure has (its pinned pack's `[workflow]`).
    workflow=lambda request: pinned_workflow(request.procedure_key, request.pack_version),
)  # fmt: skip


def may(actor: Actor, request: Request, action: str) -> bool:
    return LIFECYCLE.may(actor, request, action)


def allowed_actions(actor: Actor, request: Request) -> set[str]:
    return LIFECYCLE.allowed(actor, request)
