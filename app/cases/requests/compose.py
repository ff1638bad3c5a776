"""Composing a request: the procedures one may ask under, the authorities that answer
them, drafts, sending (which sets the reply date), and the files of a request."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_

from app.cases import attachments, deadlines, held
from app.cases.attachments import StoredFile
from app.cases.fields import missing, typed_values
from app.cases.packs import Opening, count_holders, holder_countries, holders
from app.cases.requests.lifecycle import LIFECYCLE, RequestError
from app.extensions import db
from app.models import Authority, Request, RequestQuestion
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import Pack, find_question
from app.procedures.store import pinned_pack
from app.translation import languages

OPENING = Opening("request", officer_role="handler", access_role="requester", error=RequestError)

# The most responders the compose page lists before a country is chosen.
LIST_ALL_MAX = 50


def requestable_packs(actor: Actor) -> list[Pack]:
    """Request procedures the actor's authority may send."""
    return OPENING.packs(actor)


def responders(
    procedure_key: str, but: int | None = None, country: str = "", keep: int | None = None
) -> list[Authority]:
    """Active authorities that answer requests of the procedure, by country and name, but
    `but`; of `country` alone when one is given, and `keep` (the one already chosen).
    Asked in SQL: IMI's bigger procedures have thousands of responders, in every country."""
    where = [Authority.id != but] if but is not None else []
    if country:
        mine = Authority.country == country
        where.append(or_(mine, Authority.id == keep) if keep is not None else mine)
    return holders(procedure_key, "responder", *where, order_by=(Authority.country, Authority.name))


@dataclass(frozen=True)
class Offer:
    """The responders a compose page lists; `countries`, when not every country is
    offered, those where one answers; `country_first` when too many answer to list them
    before a country is chosen."""

    authorities: list[Authority]
    countries: frozenset[str] | None = None
    country_first: bool = False


def offer(procedure_key: str, but: int, country: str = "", keep: int | None = None) -> Offer:
    """The responders (but `but`) to list: all of them when no more than LIST_ALL_MAX
    answer the procedure (counted in SQL, not loaded), else those of the chosen country
    alone, none before one is chosen; the one chosen already (`keep`) always."""
    many = count_holders(procedure_key, "responder", Authority.id != but, at_most=LIST_ALL_MAX + 1)
    if many <= LIST_ALL_MAX:
        return Offer(responders(procedure_key, but, country, keep))
    countries = frozenset(responder_countries(procedure_key, (but,)))
    if country:
        return Offer(responders(procedure_key, but, country, keep), countries)
    kept = (
        []
        if keep is None
        else holders(
            procedure_key, "responder", Authority.id == keep, Authority.id != but, order_by=()
        )
    )
    return Offer(kept, countries, country_first=True)


def responder_countries(procedure_key: str, excluding: tuple[int, ...] = ()) -> set[str]:
    """The countries where an authority (but `excluding`) answers the procedure."""
    return holder_countries(procedure_key, "responder", excluding)


def parties(request: Request) -> tuple[int, int]:
    return (request.requester_authority_id, request.responder_authority_id)


def others_in(request: Request, country: str) -> list[Authority]:
    """The authorities of `country` that answer the request's procedure, by name, but its
    two parties. Asked of that country alone, in SQL: IMI's bigger procedures have
    thousands of responders, in every country."""
    return holders(
        request.procedure_key,
        "responder",
        Authority.country == country,
        Authority.id.not_in(parties(request)),
        order_by=(Authority.name,),
    )


def forward_targets(request: Request) -> list[Authority]:
    """The authorities a request may be forwarded to: the others of the responder's
    country that answer its procedure (IMI forwards within a Member State)."""
    return others_in(request, request.responder_country)


def split_target(request: Request, authority_id: int) -> Authority:
    """The authority some of a request's questions may be moved to: one, in any country,
    that answers its procedure, but its two parties (asked of that one authority)."""
    found = holders(
        request.procedure_key,
        "responder",
        Authority.id == authority_id,
        Authority.id.not_in(parties(request)),
        order_by=(),
    )
    if not found:
        raise RequestError("responder")
    return found[0]


def responder_for(procedure_key: str, authority_id: int, actor: Actor) -> Authority:
    """An authority, other than the actor's own, that answers the procedure (asked of
    that one authority, not of every responder)."""
    found = holders(procedure_key, "responder", Authority.id == authority_id, order_by=())
    if not found or authority_id == actor.authority.id:
        raise RequestError("responder")
    return found[0]


@dataclass
class Draft:
    procedure_key: str
    responder_id: int
    subject: str
    message: str
    question_keys: list[str]
    # The pack's request fields, as typed (key -> value); empty values are dropped.
    details: dict[str, str] = field(default_factory=dict)
    # An urgency level of the pack ("": normal), and the reason the level may require.
    urgency: str = ""
    urgency_reason: str = ""


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
    """Create a draft, or change one (its procedure stays). A detail of the wrong type
    is refused with app/cases/fields.py FieldError."""
    if request is None:
        pinned = OPENING.pin(actor, draft.procedure_key)
        responder = responder_for(draft.procedure_key, draft.responder_id, actor)
        request = Request(
            **pinned,
            requester_authority_id=actor.authority.id,
            requester_country=actor.authority.country,
            requester_user_id=actor.user.id,
            responder_authority_id=responder.id,
            responder_country=responder.country,
        )
        db.session.add(request)
        what = "draft_created"
    else:
        LIFECYCLE.require(actor, request, "edit")
        responder = responder_for(request.procedure_key, draft.responder_id, actor)
        request.responder_authority_id = responder.id
        request.responder_country = responder.country
        what = "draft_updated"
    pack = pinned_pack(request.procedure_key, request.pack_version)
    _set_questions(request, pack, draft.question_keys)
    request.details = typed_values(pack.request_fields, draft.details)
    request.urgency, request.urgency_reason = urgency_of(pack, draft.urgency, draft.urgency_reason)
    request.subject = draft.subject.strip()[:300]
    request.message = draft.message.strip()
    request.language = languages.detect(request.message, actor.user.language)
    request.updated_at = utcnow()
    db.session.flush()
    LIFECYCLE.audit(actor, request, what)
    db.session.commit()
    return request


def urgency_of(pack: Pack, key: str, reason: str) -> tuple[str, str]:
    """The urgency level and reason to keep: RequestError "urgency" for a level the pack
    lacks, "urgency_reason" when the level requires a reason and none is given (the
    reason of no level is not kept)."""
    key, reason = (key or "").strip(), (reason or "").strip()[:10000]
    if not key:
        return "", ""
    level = pack.workflow.level(key)
    if level is None:
        raise RequestError("urgency")
    if level.reason and not reason:
        raise RequestError("urgency_reason")
    return key, reason


def discard(actor: Actor, request: Request) -> None:
    LIFECYCLE.require(actor, request, "discard")
    LIFECYCLE.audit(actor, request, "draft_discarded")
    for attachment in list(request.attachments):
        attachments.remove_file(attachment)
    db.session.delete(request)
    db.session.commit()


def send(actor: Actor, request: Request, today: date | None = None) -> None:
    LIFECYCLE.require(actor, request, "send")
    if not request.subject:
        raise RequestError("subject")
    # asked of the one authority, not of every responder of every country
    if not holders(
        request.procedure_key,
        "responder",
        Authority.id == request.responder_authority_id,
        order_by=(),
    ):
        raise RequestError("responder")
    pack = pinned_pack(request.procedure_key, request.pack_version)
    if missing(pack.request_fields, request.details):
        raise RequestError("details")
    urgency_of(pack, request.urgency, request.urgency_reason)  # the pack's rule, again
    request.sent_at = utcnow()
    set_due(request, pack, today or request.sent_at.date())
    LIFECYCLE.perform(actor, request, "send", request.message, checked=True)


def set_due(request: Request, pack: Pack, start: date) -> None:
    """The reply date: the pack's working days (at the request's urgency level) of the
    responder's country from `start`, with the article behind them; its reminders start
    afresh."""
    days = pack.working_days("reply", request.urgency) or 20
    deadline = deadlines.add_working_days(start, days, request.responder_authority.country)
    request.reply_due = deadline.due
    request.due_basis = deadline.basis()
    if request.urgency:
        request.due_basis["urgency"] = request.urgency
    if article := pack.workflow.basis_of(request.urgency):
        request.due_basis["article"] = article
    request.reminders_sent = []


def attach(actor: Actor, request: Request, filename: str, stream) -> None:
    """Add a file to the request (either side, while it is a draft or open)."""
    LIFECYCLE.require(actor, request, "attach")
    _attached(actor, request, attachments.store(filename, stream))
    db.session.commit()


def attach_held(actor: Actor, request: Request, files: list[StoredFile]) -> None:
    """The files held while composing become the request's, as if added on its page."""
    held.hand_over(LIFECYCLE, actor, request, files, _attached)


def _attached(actor: Actor, request: Request, stored: StoredFile) -> None:
    attachment = attachments.add_stored(actor, request, stored)
    LIFECYCLE.record(actor, request, "attachment", data={"filename": attachment.filename})
