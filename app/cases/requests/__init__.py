"""The request lifecycle (DESIGN.md "Request"): who may do what, in which state.

    draft -> sent -> accepted -> answered -> closed
    sent: accept (maybe proposing a new reply date), forward, split
    accepted <-> info_requested (more information asked and given)
    answered -> accepted (a further question)
    sent | accepted | info_requested -> withdrawn (by the requester)
    any open state: refer a disagreement to the coordinators, who record a resolution

Each action checks the state and the actor's side and role (ACTIONS), changes the
request, appends a timeline event, writes the audit record and any notice in the same
transaction, and commits. A refused action raises RequestError and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.cases import deadlines
from app.extensions import db
from app.models import (
    Authority,
    AuthorityStatus,
    Membership,
    ProcedureAccess,
    Request,
    RequestEvent,
    RequestQuestion,
    RequestState,
    User,
)
from app.models.accounts import UserStatus
from app.models.base import utcnow
from app.policy import Actor, governs_case
from app.procedures import Pack, find_question, registry
from app.procedures.store import pin_version, pinned_pack
from app.records import audit, retention
from app.translation import languages

S = RequestState
PENDING_REPLY = (S.SENT, S.ACCEPTED, S.INFO_REQUESTED)
OPEN = (*PENDING_REPLY, S.ANSWERED)

# action -> (states it is allowed in, side that may do it)
#   requester: a handler of the requesting authority
#   responder: a handler or allocator of the responding authority
#   allocator: an allocator of the responding authority
#   coordinator: a coordinator governing either authority, while a referral is open
ACTIONS: dict[str, tuple[tuple[RequestState, ...], str]] = {
    "edit": ((S.DRAFT,), "requester"),
    "send": ((S.DRAFT,), "requester"),
    "discard": ((S.DRAFT,), "requester"),
    "assign": (PENDING_REPLY, "allocator"),
    "accept": ((S.SENT,), "responder"),
    "forward": ((S.SENT,), "responder"),
    "split": ((S.SENT,), "responder"),
    "ask_info": ((S.ACCEPTED,), "responder"),
    "answer": ((S.ACCEPTED,), "responder"),
    "reply_info": ((S.INFO_REQUESTED,), "requester"),
    "decide_date": ((S.ACCEPTED, S.INFO_REQUESTED), "requester"),
    "further_question": ((S.ANSWERED,), "requester"),
    "close": ((S.ANSWERED,), "requester"),
    "withdraw": (PENDING_REPLY, "requester"),
    "refer": (OPEN, "either"),
    "resolve": (OPEN, "coordinator"),
    "attach": ((S.DRAFT, *OPEN), "either"),
}


class RequestError(Exception):
    """A refused action. `code` names the reason; the view words it for the user."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- who is who ------------------------------------------------------------------------


def side_of(actor: Actor, request: Request) -> str | None:
    if actor.authority.id == request.requester_authority_id:
        return "requester"
    if actor.authority.id == request.responder_authority_id and request.state != S.DRAFT:
        return "responder"
    return None


def _plays(actor: Actor, request: Request, side: str) -> bool:
    own = side_of(actor, request)
    if side == "requester":
        return own == "requester" and actor.has("handler")
    if side == "responder":
        return own == "responder" and (actor.has("handler") or actor.has("allocator"))
    if side == "allocator":
        return own == "responder" and actor.has("allocator")
    if side == "either":
        return _plays(actor, request, "requester") or _plays(actor, request, "responder")
    if side == "coordinator":
        return request.referral_open and coordinates(actor, request)
    return False


def coordinates(actor: Actor, request: Request) -> bool:
    return governs_case(
        actor, request.procedure_key, [request.requester_authority, request.responder_authority]
    )


def may(actor: Actor, request: Request, action: str) -> bool:
    states, side = ACTIONS[action]
    if request.state not in states or not _plays(actor, request, side):
        return False
    if action == "decide_date":
        return request.proposed_due is not None
    if action == "refer":
        return not request.referral_open
    return True


def allowed_actions(actor: Actor, request: Request) -> set[str]:
    return {action for action in ACTIONS if may(actor, request, action)}


def _require(actor: Actor, request: Request, action: str) -> None:
    states, side = ACTIONS[action]
    if not _plays(actor, request, side):
        raise RequestError("role")
    if not may(actor, request, action):
        raise RequestError("state")


def may_view(actor: Actor, request: Request) -> bool:
    """The two authorities see the request (the responder once it is sent); the
    coordinators of either country while a disagreement is referred to them."""
    if retention.is_blocked(request):
        return False
    return side_of(actor, request) is not None or (
        request.referral_open and actor.has("coordinator") and coordinates(actor, request)
    )


# --- composing ---------------------------------------------------------------------------


def requestable_packs(actor: Actor) -> list[Pack]:
    """Request procedures the actor's authority may send."""
    packs = registry(current_app)
    rows = db.session.scalars(
        select(ProcedureAccess)
        .where(ProcedureAccess.authority_id == actor.authority.id)
        .order_by(ProcedureAccess.procedure_key)
    )
    return [
        packs[a.procedure_key]
        for a in rows
        if "requester" in a.roles
        and a.procedure_key in packs
        and packs[a.procedure_key].kind == "request"
    ]


def responders(procedure_key: str, exclude_country: str | None = None) -> list[Authority]:
    """Active authorities that answer requests of the procedure."""
    rows = db.session.scalars(
        select(Authority)
        .join(ProcedureAccess, ProcedureAccess.authority_id == Authority.id)
        .where(
            ProcedureAccess.procedure_key == procedure_key,
            Authority.status == AuthorityStatus.ACTIVE,
        )
        .order_by(Authority.country, Authority.name)
    )
    result = []
    for authority in rows:
        access = next(a for a in authority.access if a.procedure_key == procedure_key)
        if "responder" in access.roles and authority.country != exclude_country:
            result.append(authority)
    return result


def _responder(procedure_key: str, authority_id: int, actor: Actor) -> Authority:
    authority = db.session.get(Authority, authority_id)
    if authority is None or authority not in responders(procedure_key):
        raise RequestError("responder")
    if authority.id == actor.authority.id:
        raise RequestError("responder")
    return authority


@dataclass
class Draft:
    procedure_key: str
    responder_id: int
    subject: str
    message: str
    question_keys: list[str]
    # The pack's request fields, as typed (key -> value); empty values are dropped.
    details: dict[str, str] = field(default_factory=dict)


def _set_questions(request: Request, pack: Pack, keys: Iterable[str]) -> None:
    wanted = [k for k in dict.fromkeys(keys) if find_question(pack, k)]
    if not wanted:
        raise RequestError("questions")
    order = [q.key for s in pack.question_sets for q in s.questions]
    existing = {q.question_key: q for q in request.questions}
    request.questions = [
        existing.get(key)
        or RequestQuestion(set_key=find_question(pack, key)[0].key, question_key=key, position=0)
        for key in sorted(wanted, key=order.index)
    ]
    for position, question in enumerate(request.questions):
        question.position = position


def save_draft(actor: Actor, draft: Draft, request: Request | None = None) -> Request:
    """Create a draft, or change one (its procedure stays)."""
    if request is None:
        if not actor.has("handler"):
            raise RequestError("role")
        if draft.procedure_key not in {p.key for p in requestable_packs(actor)}:
            raise RequestError("procedure")
        pack = registry(current_app)[draft.procedure_key]
        stored = pin_version(pack)
        responder = _responder(pack.key, draft.responder_id, actor)
        request = Request(
            procedure_key=pack.key,
            pack_version=stored.version,
            requester_authority_id=actor.authority.id,
            requester_country=actor.authority.country,
            requester_user_id=actor.user.id,
            responder_authority_id=responder.id,
            responder_country=responder.country,
        )
        db.session.add(request)
        action = "request.draft_created"
    else:
        _require(actor, request, "edit")
        responder = _responder(request.procedure_key, draft.responder_id, actor)
        request.responder_authority_id = responder.id
        request.responder_country = responder.country
        action = "request.draft_updated"
    pack = pinned_pack(request.procedure_key, request.pack_version)
    _set_questions(request, pack, draft.question_keys)
    request.details = typed_details(pack, draft.details)
    request.subject = draft.subject.strip()[:300]
    request.message = draft.message.strip()
    request.language = languages.detect(request.message, actor.user.language)
    request.updated_at = utcnow()
    db.session.flush()
    _audit(actor, action, request)
    db.session.commit()
    return request


def discard(actor: Actor, request: Request) -> None:
    _require(actor, request, "discard")
    _audit(actor, "request.draft_discarded", request)
    for attachment in list(request.attachments):
        from app.cases import attachments

        attachments.remove_file(attachment)
    db.session.delete(request)
    db.session.commit()


def send(actor: Actor, request: Request, today: date | None = None) -> None:
    _require(actor, request, "send")
    if not request.subject:
        raise RequestError("subject")
    request.responder_authority  # noqa: B018  (load before the check below)
    if request.responder_authority not in responders(request.procedure_key):
        raise RequestError("responder")
    pack = pinned_pack(request.procedure_key, request.pack_version)
    if missing_details(pack, request.details):
        raise RequestError("details")
    request.sent_at = utcnow()
    _set_due(request, pack, today or request.sent_at.date())
    _transition(actor, request, S.SENT, "sent", request.message)
    _notify(request, "responder", "new")
    _schedule_reminders(request)
    db.session.commit()


def _set_due(request: Request, pack: Pack, start: date) -> None:
    deadline = deadlines.add_working_days(
        start, pack.reply_deadline_working_days or 20, request.responder_authority.country
    )
    request.reply_due = deadline.due
    request.due_basis = deadline.basis()
    request.reminders_sent = []


# --- the responder ------------------------------------------------------------------------


def handlers_of(authority_id: int) -> list[User]:
    return [
        m.user
        for m in db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.user))
            .where(Membership.authority_id == authority_id, Membership.suspended_at.is_(None))
        )
        if "handler" in m.roles and m.user.status == UserStatus.ACTIVE
    ]


def assign(actor: Actor, request: Request, user_id: int) -> None:
    _require(actor, request, "assign")
    handler = next((u for u in handlers_of(actor.authority.id) if u.id == user_id), None)
    if handler is None:
        raise RequestError("handler")
    request.handler_id = handler.id
    _event(actor, request, "assigned", data={"handler": handler.full_name})
    _audit(actor, "request.assigned", request, handler=handler.id)
    _notify(request, "handler", "assigned")
    db.session.commit()


def accept(actor: Actor, request: Request, proposed_due: date | None = None) -> None:
    _require(actor, request, "accept")
    if proposed_due is not None:
        if proposed_due <= (request.reply_due or date.min) or proposed_due <= date.today():
            raise RequestError("proposed_date")
        request.proposed_due = proposed_due
    if request.handler_id is None and actor.has("handler"):
        request.handler_id = actor.user.id
    data = {"proposed_due": proposed_due.isoformat()} if proposed_due else {}
    _transition(actor, request, S.ACCEPTED, "accepted", data=data)
    _notify(request, "requester", "accepted")
    db.session.commit()


def decide_date(actor: Actor, request: Request, agree: bool) -> None:
    """The requester agrees to the reply date the responder proposed, or refuses it
    (the original date stays; the requester may refer the disagreement)."""
    _require(actor, request, "decide_date")
    proposed = request.proposed_due
    request.proposed_due = None
    if agree:
        request.reply_due = proposed
        request.due_basis = {**request.due_basis, "agreed": proposed.isoformat()}
        request.reminders_sent = []
        _schedule_reminders(request)
    kind = "date_agreed" if agree else "date_refused"
    _event(actor, request, kind, data={"date": proposed.isoformat()})
    _audit(actor, f"request.{kind}", request)
    _notify(request, "responder", kind)
    db.session.commit()


def forward(actor: Actor, request: Request, authority_id: int, reason: str) -> None:
    """Hand the request to a better-placed authority; it stays `sent` and this authority
    no longer sees it."""
    _require(actor, request, "forward")
    _need(reason, "reason")
    target = _responder(request.procedure_key, authority_id, actor)
    if target.id == request.requester_authority_id:
        raise RequestError("responder")
    previous = request.responder_authority
    request.responder_authority_id = target.id
    request.responder_country = target.country
    request.handler_id = None
    db.session.flush()
    db.session.refresh(request, ["responder_authority"])
    _set_due(request, pinned_pack(request.procedure_key, request.pack_version), date.today())
    _event(
        actor,
        request,
        "forwarded",
        reason,
        data={"from": previous.name, "to": target.name, "to_id": target.id},
    )
    _audit(actor, "request.forwarded", request, to=target.id)
    _touch(request)
    _notify(request, "responder", "new")
    _notify(request, "requester", "forwarded")
    _schedule_reminders(request)
    db.session.commit()


def split(actor: Actor, request: Request, question_ids: list[int], authority_id: int, reason: str):
    """Move some questions to another authority as a new, linked request."""
    _require(actor, request, "split")
    _need(reason, "reason")
    moving = [q for q in request.questions if q.id in set(question_ids)]
    if not moving or len(moving) == len(request.questions):
        raise RequestError("split_questions")
    target = _responder(request.procedure_key, authority_id, actor)
    if target.id in (request.requester_authority_id, request.responder_authority_id):
        raise RequestError("responder")
    child = Request(
        procedure_key=request.procedure_key,
        pack_version=request.pack_version,
        requester_authority_id=request.requester_authority_id,
        requester_country=request.requester_country,
        requester_user_id=request.requester_user_id,
        responder_authority_id=target.id,
        responder_country=target.country,
        parent_id=request.id,
        subject=request.subject,
        message=request.message,
        language=request.language,
        state=S.SENT,
        sent_at=utcnow(),
    )
    db.session.add(child)
    db.session.flush()
    for question in moving:
        request.questions.remove(question)
        child.questions.append(
            RequestQuestion(
                set_key=question.set_key, question_key=question.question_key, position=0
            )
        )
    for position, question in enumerate(child.questions):
        question.position = position
    db.session.flush()
    db.session.refresh(child, ["responder_authority", "requester_authority"])
    _set_due(child, pinned_pack(child.procedure_key, child.pack_version), date.today())
    keys = [q.question_key for q in moving]
    _event(
        actor,
        request,
        "split",
        reason,
        data={"to": target.name, "child": child.id, "questions": keys},
    )
    _event(actor, child, "split_from", reason, data={"parent": request.id, "questions": keys})
    _audit(actor, "request.split", request, child=child.id, to=target.id)
    _touch(request)
    _touch(child)
    _notify(child, "responder", "new")
    _notify(request, "requester", "split")
    _schedule_reminders(child)
    db.session.commit()
    return child


def ask_info(actor: Actor, request: Request, text: str) -> None:
    _require(actor, request, "ask_info")
    _need(text, "text")
    _transition(actor, request, S.INFO_REQUESTED, "info_requested", text)
    _notify(request, "requester", "info_requested")
    db.session.commit()


def reply_info(actor: Actor, request: Request, text: str) -> None:
    _require(actor, request, "reply_info")
    _need(text, "text")
    _transition(actor, request, S.ACCEPTED, "info_given", text)
    _notify(request, "responder", "info_given")
    db.session.commit()


def typed_details(pack: Pack, values: dict[str, str]) -> dict[str, str]:
    """The pack's request fields from `values`, typed (RequestError on a wrong type)."""
    details = {}
    for question in pack.request_fields:
        typed = validate_answer(question, values.get(question.key, ""))
        if typed is not None:
            details[question.key] = typed
    return details


def missing_details(pack: Pack, details: dict[str, str]) -> list[str]:
    return [f.key for f in pack.request_fields if f.required and not details.get(f.key)]


def validate_answer(question, value: str) -> str | None:
    """The stored form of a typed answer, or RequestError for a value of the wrong type."""
    value = (value or "").strip()
    if not value:
        return None
    if question.type == "yes_no" and value not in ("yes", "no"):
        raise RequestError("answer_type")
    if question.type == "choice" and value not in {o.key for o in question.options}:
        raise RequestError("answer_type")
    if question.type == "date":
        try:
            value = date.fromisoformat(value).isoformat()
        except ValueError:
            raise RequestError("answer_type") from None
    if question.type == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise RequestError("answer_type") from None
        value = str(int(number)) if number.is_integer() else str(number)
    return value[:10000]


def answer(
    actor: Actor, request: Request, answers: dict[int, tuple[str, str]], text: str, final: bool
) -> list[int]:
    """Save typed answers and comments by question id; with `final`, send the reply.
    Returns the ids of required questions still unanswered (nothing is sent then)."""
    _require(actor, request, "answer")
    pack = pinned_pack(request.procedure_key, request.pack_version)
    now = utcnow()
    for question in request.questions:
        if question.id not in answers:
            continue
        value, comment = answers[question.id]
        found = find_question(pack, question.question_key)
        typed = validate_answer(found[1], value) if found else None
        if typed != question.answer or comment.strip() != question.comment:
            question.answer, question.comment = typed, comment.strip()[:10000]
            question.answered_at, question.answered_by_id = now, actor.user.id
    missing = [
        q.id
        for q in request.questions
        if q.answer is None
        and (found := find_question(pack, q.question_key)) is not None
        and found[1].required
    ]
    request.updated_at = now
    if not final:
        _audit(actor, "request.answers_saved", request)
        db.session.commit()
        return missing
    if missing:
        db.session.rollback()
        return missing
    answered = {q.question_key: q.answer for q in request.questions}
    _transition(actor, request, S.ANSWERED, "answered", text, data={"answers": answered})
    _notify(request, "requester", "answered")
    db.session.commit()
    return []


# --- the requester after the answer --------------------------------------------------------


def further_question(actor: Actor, request: Request, text: str) -> None:
    _require(actor, request, "further_question")
    _need(text, "text")
    _transition(actor, request, S.ACCEPTED, "further_question", text)
    _notify(request, "responder", "further_question")
    db.session.commit()


def close(actor: Actor, request: Request) -> None:
    _require(actor, request, "close")
    request.closed_at = utcnow()
    _transition(actor, request, S.CLOSED, "closed")
    _notify(request, "responder", "closed")
    db.session.commit()


def withdraw(actor: Actor, request: Request, reason: str) -> None:
    _require(actor, request, "withdraw")
    _need(reason, "reason")
    request.closed_at = utcnow()
    _transition(actor, request, S.WITHDRAWN, "withdrawn", reason)
    _notify(request, "responder", "withdrawn")
    db.session.commit()


# --- disagreement -------------------------------------------------------------------------


def refer(actor: Actor, request: Request, reason: str) -> None:
    """Refer a disagreement (date, forwarding, answer) to the coordinators of both sides."""
    _require(actor, request, "refer")
    _need(reason, "reason")
    request.referral_open = True
    _event(actor, request, "referred", reason)
    _audit(actor, "request.referred", request)
    _touch(request)
    _notify(request, "coordinators", "referred")
    db.session.commit()


def resolve(actor: Actor, request: Request, resolution: str) -> None:
    _require(actor, request, "resolve")
    _need(resolution, "reason")
    request.referral_open = False
    _event(actor, request, "resolved", resolution)
    _audit(actor, "request.resolved", request)
    _touch(request)
    _notify(request, "requester", "resolved")
    _notify(request, "responder", "resolved")
    db.session.commit()


def referred_to(actor: Actor) -> list[Request]:
    """Open referrals the actor's coordinator authority governs."""
    rows = db.session.scalars(
        select(Request).where(Request.referral_open.is_(True)).order_by(Request.updated_at)
    )
    return [r for r in rows if coordinates(actor, r) and not retention.is_blocked(r)]


# --- reading -----------------------------------------------------------------------------


def record_view(actor: Actor, request: Request) -> None:
    """A read of the case's personal data, for the audit trail; clears the side's flag."""
    _audit(actor, "request.viewed", request)
    side = side_of(actor, request)
    if side == "requester":
        request.requester_unread = False
    elif side == "responder":
        request.responder_unread = False
    audit.commit_read()


def counterpart(actor: Actor, request: Request) -> Authority:
    if side_of(actor, request) == "requester":
        return request.responder_authority
    return request.requester_authority


# --- internals ----------------------------------------------------------------------------


def _need(text: str, code: str) -> None:
    """A reason or message the action cannot go without."""
    if not (text or "").strip():
        raise RequestError(code)


def _event(
    actor: Actor | None, request: Request, kind: str, text: str = "", data: dict | None = None
) -> RequestEvent:
    event = RequestEvent(
        kind=kind,
        at=utcnow(),
        user_id=actor.user.id if actor else None,
        authority_id=actor.authority.id if actor else None,
        text=text.strip(),
        language=languages.detect(text, actor.user.language if actor else None),
        data=data or {},
    )
    request.events.append(event)
    return event


def _transition(
    actor: Actor,
    request: Request,
    state: RequestState,
    kind: str,
    text: str = "",
    data: dict | None = None,
) -> None:
    before = request.state
    request.state = state
    _event(actor, request, kind, text, data)
    _audit(actor, f"request.{kind}", request, state_from=before.value, state_to=state.value)
    _touch(request)


def _touch(request: Request) -> None:
    request.updated_at = utcnow()


def _audit(actor: Actor, action: str, request: Request, **details) -> None:
    audit.by_actor(actor, action, "request", request.id, **details)


def _notify(request: Request, to: str, what: str) -> None:
    """Inbox flag and mail (outbox) for the side concerned."""
    from app.cases.requests import notices as request_notices

    request_notices.notify(request, to, what)


def _schedule_reminders(request: Request) -> None:
    from app.cases.requests import notices as request_notices

    request_notices.schedule_reminders(request)


def attach(actor: Actor, request: Request, filename: str, stream) -> None:
    """Add a file to the request (either side, while it is a draft or open)."""
    from app.cases import attachments

    _require(actor, request, "attach")
    attachment = attachments.add(actor, request, filename, stream)
    _event(actor, request, "attachment", data={"filename": attachment.filename})
    _touch(request)
    db.session.commit()


def record_download(actor: Actor, request: Request, attachment) -> None:
    _audit(actor, "request.attachment_downloaded", request, attachment=attachment.id)
    db.session.commit()
