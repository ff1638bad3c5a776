"""Counterpart ratings (issue 19, section 3): after closing, the requesting authority rates
the reply, its timeliness and its satisfaction on a scale of 1 to 4, with an optional
comment (app/models/ratings.py).

- Who rates: the requesting authority's handlers and allocators, on a closed request
  (the lifecycle's "rate"), once per request and requesting authority.
- Once, final: the rated authority sees the rating at once, so a rating that could still
  change would invite bargaining between the two authorities, and the Scoreboard counts
  a counterpart's judgement at closure, not a negotiated one. A unique constraint holds
  it, so two officers rating at once leave one rating, never two.
- Who sees a rating: the two authorities of the request (the one that gave it, the one
  it is about) and the coordinators governing the rated authority for the request's
  procedure (app/policy.py `governs_case`); nobody else, not even the requesting
  authority's own coordinators.
- Retention: the row outlives the erasure of the request's personal data; the comment,
  free text that may name the person concerned, is blanked with the case
  (app/cases/requests/records.py `erase`), and is not shown once the case is blocked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.cases.requests.lifecycle import LIFECYCLE, RequestError, rated_by
from app.extensions import db
from app.models import (
    NEGATIVE,
    RATING_SCALE,
    Authority,
    AuthorityKind,
    ReplyRating,
    Request,
    RequestState,
)
from app.policy import Actor, governs, governs_case
from app.records import retention


def ratings_of(request: Request) -> list[ReplyRating]:
    """A request's ratings (the backref of ReplyRating.request, loaded once)."""
    return request.ratings  # type: ignore[attr-defined]


def rate(
    actor: Actor, request: Request, timeliness: int, satisfaction: int, comment: str = ""
) -> ReplyRating:
    """Rate the reply to a closed request for the actor's (requesting) authority.
    Refused: "role" (not the requester's handler or allocator), "rated" (already rated by
    the authority), "state" (not closed), "scale" (a value off the scale)."""
    transition = LIFECYCLE.table["rate"]
    if not LIFECYCLE.plays(actor, request, transition):
        raise RequestError("role")
    if request.state == RequestState.CLOSED and rated_by(actor, request):
        raise RequestError("rated")
    LIFECYCLE.require(actor, request, "rate")
    if timeliness not in RATING_SCALE or satisfaction not in RATING_SCALE:
        raise RequestError("scale")
    rated = request.responder_authority
    rating = ReplyRating(
        request=request,
        rater_authority_id=actor.authority.id,
        rated_authority_id=rated.id,
        rater_country=actor.authority.country,
        rated_country=rated.country,
        procedure_key=request.procedure_key,
        timeliness=timeliness,
        satisfaction=satisfaction,
        comment=(comment or "").strip(),
        rated_by_id=actor.user.id,
    )
    db.session.add(rating)
    try:
        # The numbers go into the audit record; the comment (free text) does not.
        LIFECYCLE.perform(
            actor,
            request,
            "rate",
            checked=True,
            details={"timeliness": timeliness, "satisfaction": satisfaction},
        )
    except IntegrityError as error:  # another officer of the authority rated first
        db.session.rollback()
        raise RequestError("rated") from error
    return rating


# --- who sees a rating ------------------------------------------------------------------------


def may_see(actor: Actor, rating: ReplyRating) -> bool:
    """The two authorities of the rated exchange, and the coordinators governing the rated
    authority for the procedure; deny everyone else."""
    own = actor.authority.id
    if own in (rating.rater_authority_id, rating.rated_authority_id):
        return True
    return governs_case(actor, rating.procedure_key, [rating.rated_authority])


def shown_to(actor: Actor, request: Request) -> list[ReplyRating]:
    """The ratings of a request its case page shows the actor (none before closing: a
    request is rated only once closed, so an open one reads nothing)."""
    if request.state != RequestState.CLOSED:
        return []
    return [r for r in ratings_of(request) if may_see(actor, r)]


def _coordinated(actor: Actor) -> tuple[str, list[str] | None] | None:
    """The rated country (and, for a delegated coordinator with procedures, the procedures)
    the actor's ratings pages may read, or None: not a coordinator of a Member State (the
    Commission governs coordinators, which answer no request)."""
    own = actor.authority
    if not actor.has("coordinator") or own.kind not in (
        AuthorityKind.NATIONAL_COORDINATOR,
        AuthorityKind.DELEGATED_COORDINATOR,
    ):
        return None
    scoped = own.kind == AuthorityKind.DELEGATED_COORDINATOR and own.coordinated_procedures
    return own.country, (list(own.coordinated_procedures) if scoped else None)


def received(actor: Actor, limit: int = 50) -> list[ReplyRating]:
    """The latest ratings of the authorities the actor coordinates (the coordinators'
    page). The SQL narrows to the coordinator's country (and a delegated coordinator's
    procedures); the one governance rule decides each row."""
    scope = _coordinated(actor)
    if scope is None:
        return []
    country, procedures = scope
    query = (
        select(ReplyRating)
        .where(ReplyRating.rated_country == country)
        .options(
            joinedload(ReplyRating.rated_authority).selectinload(Authority.access),
            joinedload(ReplyRating.rater_authority),
            joinedload(ReplyRating.request).load_only(
                Request.id, Request.created_at, Request.sent_at, Request.block_due
            ),
        )
        .order_by(ReplyRating.rated_at.desc(), ReplyRating.id.desc())
        .limit(limit)
    )
    if procedures is not None:
        query = query.where(ReplyRating.procedure_key.in_(procedures))
    return [r for r in db.session.scalars(query).unique() if may_see(actor, r)]


def received_tallies(actor: Actor, start: datetime, end: datetime) -> list[tuple[Authority, Tally]]:
    """The tallies of [start, end) of each authority the actor coordinates that was rated."""
    scope = _coordinated(actor)
    if scope is None:
        return []
    country, procedures = scope
    tallies = tally("authority", start, end, country=country, procedures=procedures)
    authorities = {
        a.id: a
        for a in db.session.scalars(
            select(Authority)
            .where(Authority.id.in_([t.key for t in tallies]))
            .options(selectinload(Authority.access))  # governs() reads a delegate's procedures
        )
    }
    return [
        (authorities[t.key], t)
        for t in tallies
        if t.key in authorities and governs(actor, authorities[t.key])
    ]


def comment_shown(rating: ReplyRating) -> str:
    """The comment, while the request is not blocked: like the case's other free text,
    it is then out of reach (and blanked at erasure)."""
    return "" if retention.is_blocked(rating.request) else rating.comment


# --- statistics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Ratings of one group (an authority or a country) in a period: how many, how many
    negative (timeliness or satisfaction 1 or 2, as the Scoreboard counts them), and the
    average of each scale."""

    key: int | str
    ratings: int
    negative: int
    timeliness: float
    satisfaction: float

    @property
    def negative_share(self) -> float:
        return self.negative / self.ratings if self.ratings else 0.0


def tally(
    by: str,
    start: datetime,
    end: datetime,
    country: str | None = None,
    procedures: list[str] | None = None,
) -> list[Tally]:
    """Ratings given in [start, end), per rated authority (`by` "authority") or rated
    country (`by` "country"), optionally of one rated country or some procedures; for the
    statistics. Reads only the rating rows, which outlive the requests' personal data."""
    column = {
        "authority": ReplyRating.rated_authority_id,
        "country": ReplyRating.rated_country,
    }[by]
    negative = (ReplyRating.timeliness.in_(NEGATIVE)) | (ReplyRating.satisfaction.in_(NEGATIVE))
    query = (
        select(
            column,
            func.count(ReplyRating.id),
            func.sum(case((negative, 1), else_=0)),
            func.avg(ReplyRating.timeliness),
            func.avg(ReplyRating.satisfaction),
        )
        .where(ReplyRating.rated_at >= start, ReplyRating.rated_at < end)
        .group_by(column)
        .order_by(column)
    )
    if country is not None:
        query = query.where(ReplyRating.rated_country == country)
    if procedures is not None:
        query = query.where(ReplyRating.procedure_key.in_(procedures))
    return [
        Tally(key, count, int(bad or 0), round(float(t), 2), round(float(s), 2))
        for key, count, bad, t, s in db.session.execute(query)
    ]


__all__ = [
    "Tally",
    "comment_shown",
    "may_see",
    "rate",
    "ratings_of",
    "received",
    "received_tallies",
    "shown_to",
    "tally",
]
