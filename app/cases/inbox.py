"""The request inbox: received, sent, drafts and assigned to me, filtered and keyset-paged.

Every list starts from the kind's visibility rule and the actor's own authority (or the
actor's own assignments), so nothing of another authority can come into it. A list and
a count of the same filters run the same query (`matching`), so the home page never
counts a request that its list would not show.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as _replace
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, bindparam, func, literal_column, select

from app.cases import counters, paging, registry
from app.cases.areas import ALL, area_keys
from app.cases.paging import Keyset, Page
from app.cases.requests.kind import visible_to
from app.cases.requests.referrals import referred_ids
from app.extensions import db
from app.models import OPEN_STATES, PENDING_REPLY, Authority, Request, RequestState
from app.models.base import utcnow
from app.policy import Actor
from app.records import retention


@dataclass(frozen=True, slots=True)
class Row:
    """A request as a row of the inbox shows it: plain columns, not an ORM object (25
    rows a page; loading them as objects was a tenth of the page's time). Its reference
    and overdue test are the request's own."""

    id: int
    procedure_key: str
    state: RequestState
    created_at: datetime
    sent_at: datetime | None
    updated_at: datetime
    reply_due: date | None
    requester_unread: bool
    responder_unread: bool
    referral_open: bool
    urgency: str  # the pack's urgency level ("": normal)
    other_name: str  # the other side's authority (the own side is the actor's)
    other_country: str

    reference_prefix = Request.reference_prefix
    reference = Request.reference
    is_overdue = Request.is_overdue


ROW = (
    Request.id,
    Request.procedure_key,
    Request.state,
    Request.created_at,
    Request.sent_at,
    Request.updated_at,
    Request.reply_due,
    Request.requester_unread,
    Request.responder_unread,
    Request.referral_open,
    Request.urgency,
)
BOXES = ("received", "sent", "drafts", "assigned")
SORTS = ("activity", "due")
PAGE_SIZE = 25
# a reply date the responder proposed, which the requester may still decide on
DECIDING_DATE = (RequestState.ACCEPTED, RequestState.INFO_REQUESTED)
ORDERS = {
    # the latest activity first; the nearest reply date first
    "activity": Keyset(Request.id, Request.updated_at),
    "due": Keyset(Request.id, Request.reply_due, date.fromisoformat, descending=False),
}


@dataclass
class Filters(paging.Filters):
    choices = {"box": BOXES, "sort": SORTS, "state": {s.value for s in RequestState}}

    box: str = "received"
    state: str = ""
    procedure: str = ""
    country: str = ""
    overdue: bool = False
    # not yet assigned to a handler (received requests waiting for an allocator)
    unassigned: bool = False
    # the responder proposed a new reply date, which the requester has not decided yet
    proposed: bool = False
    # sent at an urgency level of its procedure (Directive 2014/67/EU Article 6(6))
    urgent: bool = False
    sort: str = "activity"
    after: str = ""

    @property
    def receiving(self) -> bool:
        """Whether the box holds requests the actor's authority received (else sent)."""
        return self.box in ("received", "assigned")


def _box(actor: Actor, box: str) -> list:
    """The conditions of a box: always the actor's own authority (or own assignments),
    and the areas where the actor holds a role."""
    keys = area_keys(actor)
    where = _box_of(actor.authority.id, actor.user.id, box)
    return where if keys is ALL else [*where, Request.procedure_key.in_(keys)]


def _box_of(own, user, box: str) -> list:
    """`_box` on the authority's and the user's ids, as values or bind parameters."""
    if box == "received":
        return [Request.responder_authority_id == own, Request.state != RequestState.DRAFT]
    if box == "sent":
        return [Request.requester_authority_id == own, Request.state != RequestState.DRAFT]
    if box == "drafts":
        return [Request.requester_authority_id == own, Request.state == RequestState.DRAFT]
    return [
        Request.responder_authority_id == own,
        Request.handler_id == user,
        Request.state != RequestState.DRAFT,
    ]


def _urgent() -> ColumnElement[bool]:
    """Sent at an urgency level. The empty string is written into the SQL, not bound, so
    PostgreSQL proves the predicate of the partial index ix_request_responder_urgent."""
    return Request.urgency != literal_column("''")


def _states(states) -> ColumnElement[bool]:
    """`state IN (...)` with the states written into the SQL, not bound: PostgreSQL then
    proves that the condition implies the predicate of a partial index (ix_request_*_open)
    in every plan, a prepared statement's generic plan included."""
    values = [state.value for state in states]
    return Request.state.in_(bindparam(None, values, expanding=True, literal_execute=True))


# What moves an authority's counts, besides a request created or deleted (app/cases/counters):
# its boxes; and its officers' own (assigned to me), which an assignment moves too.
counters.watch(
    Request,
    "request",
    columns=("state", "reply_due", "urgency"),
    authorities=("requester_authority_id", "responder_authority_id"),
)
counters.watch(
    Request,
    "request-assigned",
    columns=("state", "handler_id"),
    authorities=("responder_authority_id",),
)


def counts(actor: Actor, today: date) -> dict[str, int]:
    """Open items per box (drafts: all of them), the overdue among received, and the
    urgent received ones still awaiting the reply. They
    are kept between the changes that move them (app/cases/counters.py): the
    authority's boxes per day, and the officer's own (assigned to me). Each count reads
    only the open requests' partial indexes (ix_request_*_open), so its cost follows the
    authority's open work, not its history."""
    # An officer with roles in some areas only counts those areas' requests.
    areas = actor.areas()
    within = "" if areas is None else "@" + ",".join(sorted(areas))
    return counters.cached(
        actor.authority.id,
        lambda names: _count(actor, today, names),
        counters.Counts(
            "request",
            today.isoformat() + within,
            ("received", "sent", "drafts", "overdue", "urgent"),
        ),
        counters.Counts("request-assigned", f"officer-{actor.user.id}{within}", ("assigned",)),
    )


def _count(actor: Actor, today: date, names) -> dict[str, int]:
    """The counts `names` (boxes, and "overdue"), in one round trip."""

    def where(name: str) -> list:
        if name == "overdue":
            return [*_box(actor, "received"), _states(PENDING_REPLY), Request.reply_due < today]
        if name == "urgent":
            return [*_box(actor, "received"), _states(PENDING_REPLY), _urgent()]
        states = (RequestState.DRAFT,) if name == "drafts" else OPEN_STATES
        return [*_box(actor, name), _states(states)]

    columns = [
        select(func.count()).select_from(Request).where(*where(name)).scalar_subquery().label(name)
        for name in names
    ]
    row = db.session.execute(select(*columns)).one()
    return dict(row._mapping)


@dataclass(frozen=True, slots=True)
class _Values:
    """What the conditions of a list compare with: values, or bind parameters of the same
    names (`_BOUND`, for a statement kept and run with each request's values)."""

    own: object
    user: object
    today: object
    now: object
    state: object
    procedure: object
    country: object
    # the procedures of the areas where the actor holds a role (ALL: no condition)
    areas: object


_BOUND = _Values(*(bindparam(name, expanding=name == "areas") for name in _Values.__slots__))


def conditions(actor: Actor, filters: Filters, today: date) -> list:
    """What a request must meet to be listed under `filters` (besides being visible)."""
    return _conditions(filters, _values(actor, filters, today))


def _values(actor: Actor, filters: Filters, today: date) -> _Values:
    return _Values(
        actor.authority.id,
        actor.user.id,
        today,
        utcnow(),
        filters.state,
        filters.procedure,
        filters.country,
        area_keys(actor),
    )


def _conditions(filters: Filters, v: _Values) -> list:
    """`conditions`: which ones follows from `filters` (the box, the sort, the filters in
    use), what they compare with from `v`."""
    where = [*_box_of(v.own, v.user, filters.box), retention.live(Request, v.now)]
    if v.areas is not ALL:
        where.append(Request.procedure_key.in_(v.areas))
    if filters.state:
        where.append(Request.state == v.state)
    if filters.procedure:
        where.append(Request.procedure_key == v.procedure)
    if filters.country:
        where.append(
            Request.requester_country == v.country
            if filters.receiving
            else Request.responder_country == v.country
        )
    if filters.overdue:
        where += [Request.state.in_(PENDING_REPLY), Request.reply_due < v.today]
    if filters.unassigned:
        where += [Request.state.in_(PENDING_REPLY), Request.handler_id.is_(None)]
    if filters.proposed:
        # a proposal the requester can still decide on (the lifecycle's decide_date)
        where += [Request.state.in_(DECIDING_DATE), Request.proposed_due.is_not(None)]
    if filters.urgent:
        where.append(_urgent())
    if filters.sort == "due":
        where.append(Request.reply_due.is_not(None))
    return where


def matching(actor: Actor, filters: Filters, today: date, visible: Select | None = None):
    """The requests listed under `filters`: the kind's visibility rule (`visible`, when
    the caller built it already), then the box and the filters."""
    if visible is None:
        visible = registry.kind("request").visible_query(actor)
    return visible.where(*conditions(actor, filters, today))


def page(actor: Actor, filters: Filters, today: date, limit: int | None = None) -> Page:
    """A page of the list. The first page's statement (every inbox page a tab or filter
    opens) is built once per shape (box, sort, filters in use, limit) with bind
    parameters, and run with this actor's and these filters' values: building it and its
    cache key was about a tenth of an inbox page's time. A later page (a cursor) is built
    each time, by the same code with the values in place."""
    limit = limit or PAGE_SIZE
    order = ORDERS[filters.sort]
    referred = referred_ids(actor)
    values = _values(actor, filters, today)
    if filters.after:
        stmt = _rows(filters, values, referred)
        rows, next_cursor = order.page(stmt, filters.after, limit, Row)
        return Page(rows, next_cursor)
    # "all areas" is a shape of its own, whose statement has no condition on areas
    every_area = values.areas is ALL
    shape = (
        filters.box,
        filters.sort,
        bool(filters.state),
        bool(filters.procedure),
        bool(filters.country),
        filters.overdue,
        filters.unassigned,
        filters.proposed,
        filters.urgent,
        every_area,
        limit,
    )
    query = _FIRST_PAGES.get(shape)
    if query is None:
        bound = _BOUND if not every_area else _replace(_BOUND, areas=ALL)
        stmt = _rows(filters, bound, bindparam("referred", expanding=True))
        query = order.query(stmt, "").limit(limit + 1)
        if len(_FIRST_PAGES) < 1024:  # shapes are few; a caller's odd limits are not kept
            _FIRST_PAGES[shape] = query
    params = {name: getattr(values, name) for name in _Values.__slots__}
    if every_area:
        del params["areas"]
    rows, next_cursor = order.rows(query, limit, Row, params | {"referred": referred})
    return Page(rows, next_cursor)


# The first page's statement per shape (see `page`).
_FIRST_PAGES: dict[tuple, Select] = {}


def _rows(filters: Filters, v: _Values, referred) -> Select:
    """The list's statement of columns: the visibility rule, the box and the filters."""
    other = Request.requester_authority_id if filters.receiving else Request.responder_authority_id
    return (
        visible_to(v.own, referred, v.now)
        .where(*_conditions(filters, v))
        .with_only_columns(*ROW, Authority.name, Authority.country)
        .join_from(Request, Authority, Authority.id == other)
    )
