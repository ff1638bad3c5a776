"""The responding authority's actions: assign a handler, accept (maybe proposing a later
reply date), forward or split to better-placed authorities, ask for information, and
answer the questions."""

from __future__ import annotations

from datetime import date

from app.accounts.memberships import ANY_AREA, officer_names
from app.cases.areas import area_of, holds
from app.cases.fields import validate_answer
from app.cases.requests import notices
from app.cases.requests.compose import responder_for, set_due, split_target
from app.cases.requests.lifecycle import LIFECYCLE, RequestError, S
from app.extensions import db
from app.models import Request, RequestQuestion
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import find_question
from app.procedures.store import pinned_pack

# What a request split off keeps of its parent.
SPLIT_KEEPS = (
    "procedure_key",
    "pack_version",
    "requester_authority_id",
    "requester_country",
    "requester_user_id",
    "subject",
    "message",
    "language",
    "urgency",
    "urgency_reason",
)


def handlers_of(authority_id: int, procedure_key: str | None = None) -> list:
    """The authority's handlers in the procedure's legislative area (None: in any area),
    as rows of `id` and `full_name`."""
    area = ANY_AREA if procedure_key is None else area_of(procedure_key)
    return officer_names(authority_id, "handler", area=area)


def assign(actor: Actor, request: Request, user_id: int) -> None:
    LIFECYCLE.require(actor, request, "assign")
    handlers = handlers_of(actor.authority.id, request.procedure_key)
    handler = next((u for u in handlers if u.id == user_id), None)
    if handler is None:
        raise RequestError("handler")
    request.handler_id = handler.id
    LIFECYCLE.perform(
        actor,
        request,
        "assign",
        data={"handler": handler.full_name},
        details={"handler": handler.id},
        checked=True,
    )


def accept(actor: Actor, request: Request, proposed_due: date | None = None) -> None:
    LIFECYCLE.require(actor, request, "accept")
    if proposed_due is not None:
        if proposed_due <= (request.reply_due or date.min) or proposed_due <= date.today():
            raise RequestError("proposed_date")
        request.proposed_due = proposed_due
    if request.handler_id is None and holds(actor, "handler", request.procedure_key):
        request.handler_id = actor.user.id
    data = {"proposed_due": proposed_due.isoformat()} if proposed_due else {}
    LIFECYCLE.perform(actor, request, "accept", data=data, checked=True)


def forward(actor: Actor, request: Request, authority_id: int, reason: str) -> None:
    """Hand the request to a better-placed authority of the same country; it stays `sent`
    and this authority no longer sees it."""
    LIFECYCLE.require(actor, request, "forward")
    LIFECYCLE.need(reason, "reason")
    target = responder_for(request.procedure_key, authority_id, actor)
    if target.id == request.requester_authority_id:
        raise RequestError("responder")
    if target.country != request.responder_country:  # IMI forwards within a Member State
        raise RequestError("forward_country")
    previous = request.responder_authority
    request.responder_authority_id = target.id
    request.responder_country = target.country
    request.handler_id = None
    db.session.flush()
    db.session.refresh(request, ["responder_authority"])
    set_due(request, pinned_pack(request.procedure_key, request.pack_version), date.today())
    LIFECYCLE.perform(
        actor,
        request,
        "forward",
        reason,
        data={"from": previous.name, "to": target.name, "to_id": target.id},
        details={"to": target.id},
        checked=True,
    )


def split(actor: Actor, request: Request, question_ids: list[int], authority_id: int, reason: str):
    """Move some questions to another authority as a new, linked request."""
    LIFECYCLE.require(actor, request, "split")
    reason = LIFECYCLE.need(reason, "reason")
    moving = [q for q in request.questions if q.id in set(question_ids)]
    if not moving or len(moving) == len(request.questions):
        raise RequestError("split_questions")
    target = split_target(request, authority_id)
    child = Request(
        **{name: getattr(request, name) for name in SPLIT_KEEPS},
        responder_authority_id=target.id,
        responder_country=target.country,
        parent_id=request.id,
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
    set_due(child, pinned_pack(child.procedure_key, child.pack_version), date.today())
    keys = [q.question_key for q in moving]
    # The new request's own beginning: its responder is told, its reminders scheduled.
    LIFECYCLE.record(actor, child, "split_from", reason, {"parent": request.id, "questions": keys})
    notices.notify(child, "responder", "new")
    notices.schedule_reminders(child)
    LIFECYCLE.perform(
        actor,
        request,
        "split",
        reason,
        data={"to": target.name, "child": child.id, "questions": keys},
        details={"child": child.id, "to": target.id},
        checked=True,
    )
    return child


def refuse(actor: Actor, request: Request, ground: str, text: str = "") -> None:
    """Refuse to execute the request on one of the grounds its procedure lists (e.g.
    Directive 2014/67/EU Article 17), with an optional explanation; the requester is
    told the ground, and the exchange is over."""
    LIFECYCLE.require(actor, request, "refuse")
    pack = pinned_pack(request.procedure_key, request.pack_version)
    if ground not in {o.key for o in pack.refusal_grounds}:
        raise RequestError("ground")
    request.refusal_ground = ground
    request.closed_at = utcnow()
    LIFECYCLE.perform(
        actor,
        request,
        "refuse",
        text,
        data={"ground": ground},
        details={"ground": ground},
        checked=True,
    )


def ask_info(actor: Actor, request: Request, text: str) -> None:
    LIFECYCLE.perform(actor, request, "ask_info", text)


def answer(
    actor: Actor, request: Request, answers: dict[int, tuple[str, str]], text: str, final: bool
) -> list[int]:
    """Save typed answers and comments by question id; with `final`, send the reply.
    Returns the ids of required questions still unanswered (nothing is sent then). An
    answer of the wrong type is refused with app/cases/fields.py FieldError."""
    LIFECYCLE.require(actor, request, "answer")
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
        LIFECYCLE.audit(actor, request, "answers_saved")
        db.session.commit()
        return missing
    if missing:
        db.session.rollback()
        return missing
    answered = {q.question_key: q.answer for q in request.questions}
    LIFECYCLE.perform(actor, request, "answer", text, data={"answers": answered}, checked=True)
    return []
