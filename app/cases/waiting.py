"""What waits for the actor's authority: the tasks of the home page, and the cases whose
next step is the authority's ("Waiting for you").

A task is a list the officer already has -- an inbox box with its filters, the public
cases of one state, the referred disagreements -- named by its link and counted by that
list's own conditions on top of the kind's visibility rule (registry `visible_query`):
a count and the list it links to cannot disagree. Every count comes in one statement.

The waiting list shows each case once, for the first of its reasons (the order of
TASKS), the nearest due date first; a task that repeats another's cases (overdue,
not yet assigned) counts on the home page but gives no reason of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, and_, case, cast, func, literal, null, or_

from app.cases import inbox, registry
from app.cases.alerts import boxes
from app.cases.paging import count_each
from app.cases.public import officer_conditions
from app.cases.requests.referrals import referred_ids
from app.extensions import db
from app.models import Alert, AuthorityKind, Request
from app.policy import Actor
from app.routing import db_int

# The officers who answer requests and handle public cases, and who ask; a viewer sees
# what waits for the authority too (it acts on none of it).
ANSWERING = frozenset({"handler", "allocator", "viewer"})
ASKING = frozenset({"handler", "viewer"})
ALERTS = frozenset({"alert_handler", "coordinator", "viewer"})
COORDINATORS = frozenset({"coordinator"})
PAGE_SIZE = 50
# Cases without a due date come after those with one.
NO_DATE = date(9999, 12, 31)


@dataclass(frozen=True)
class Task:
    """name: the task's code (the pages word it); kind: the registry's kind of case;
    endpoint, args: the list that shows exactly the task's cases; roles: those of the
    acting membership that make the task relevant; where(actor, today): the list's
    conditions beyond the kind's visibility rule; waits: a reason in the waiting list;
    due: the date the authority's step is due by (SQL), if any; coordinating: only at a
    coordinator authority (alerts reach them alone)."""

    name: str
    kind: str
    endpoint: str
    args: dict
    roles: frozenset[str]
    where: Callable[[Actor, date], list]
    waits: bool = True
    due: Any = None
    coordinating: bool = False

    def relevant(self, actor: Actor) -> bool:
        if self.coordinating and actor.authority.kind == AuthorityKind.AUTHORITY:
            return False
        return any(actor.has(role) for role in self.roles)


def _request(name: str, roles: frozenset[str], waits: bool = True, **chosen) -> Task:
    """A task of the request inbox: a box and its filters (app/cases/inbox.py)."""
    filters = inbox.Filters(**chosen)
    answering = filters.box == "received"
    return Task(
        name,
        "request",
        "requests.index",
        filters.args(),
        roles,
        lambda actor, today: inbox.conditions(actor, filters, today),
        waits,
        # the reply date binds the responder
        Request.reply_due if answering else None,
    )


def _referred(actor: Actor, today: date) -> list:
    """The disagreements referred to the actor's coordinator authority (the list of
    requests.referrals)."""
    return [Request.referral_open.is_(True), Request.id.in_(referred_ids(actor))]


def _alert(name: str, roles: frozenset[str], due: Any = None, coordinating=False) -> Task:
    box = name.removeprefix("alert_")
    return Task(
        name,
        "alert",
        "alerts.index",
        {"box": box},
        roles,
        lambda actor, today: boxes.conditions(actor, box),
        due=due,
        coordinating=coordinating,
    )


def _public(name: str, state: str) -> Task:
    return Task(
        name,
        "public_case",
        "public_cases.index",
        {"state": state},
        ANSWERING,
        lambda actor, today: officer_conditions(state),
    )


TASKS = (
    # requests the authority must answer
    _request("request_accept", ANSWERING, box="received", state="sent"),
    _request("request_allocate", frozenset({"allocator", "viewer"}), False, unassigned=True),
    _request("request_answer", ANSWERING, box="received", state="accepted"),
    _request("request_overdue", ANSWERING, False, overdue=True, sort="due"),
    # requests the authority sent, where the other side waits for it
    _request("request_info", ASKING, box="sent", state="info_requested"),
    _request("request_date", ASKING, box="sent", proposed=True),
    _request("request_answered", ASKING, box="sent", state="answered"),
    Task("request_referral", "request", "requests.referrals", {}, COORDINATORS, _referred),
    _alert("alert_validate", frozenset({"coordinator", "viewer"}), Alert.send_by, True),
    _alert("alert_disseminate", ALERTS, coordinating=True),
    _alert("alert_acknowledge", ALERTS),
    _public("public_new", "submitted"),
    _public("public_open", "in_progress"),
)
KINDS = ("request", "alert", "public_case")


@dataclass
class Summary:
    """The relevant tasks with their counts, the registrations waiting for a
    coordinator's decision (None: not a coordinator), and how many cases wait."""

    tasks: list[tuple[Task, int]] = field(default_factory=list)
    registrations: int | None = None
    waiting: int = 0

    def of(self, kind: str) -> list[tuple[Task, int]]:
        return [(task, count) for task, count in self.tasks if task.kind == kind]


@dataclass(frozen=True)
class Row:
    """A case of the waiting list, why it waits, and by when."""

    kind: str
    case: Any
    reason: str
    due: date | None


def relevant(actor: Actor) -> list[Task]:
    return [task for task in TASKS if task.relevant(actor)]


def _visible(actor: Actor, tasks: list[Task]) -> dict:
    """Each kind's visibility rule, built once (a coordinator's reads its referrals)."""
    return {kind: registry.kind(kind).visible_query(actor) for kind in {t.kind for t in tasks}}


def _conditions(actor: Actor, tasks: list[Task], today: date) -> dict:
    """Each task's conditions, built once (a referral's read the referred ids)."""
    return {task.name: and_(*task.where(actor, today)) for task in tasks}


def _waits(tasks: list[Task], kind: str) -> list[Task]:
    return [task for task in tasks if task.kind == kind and task.waits]


def summary(actor: Actor, today: date) -> Summary:
    """The home page's counts: each relevant task, and the cases waiting, in one
    statement (plus the registrations, for a coordinator)."""
    tasks = relevant(actor)
    visible = _visible(actor, tasks)
    where = _conditions(actor, tasks, today)
    queries = {task.name: visible[task.kind].where(where[task.name]) for task in tasks}
    for kind in visible:
        waiting = _waits(tasks, kind)
        if waiting:
            queries[f"waiting:{kind}"] = visible[kind].where(or_(*[where[t.name] for t in waiting]))
    counts = count_each(queries)
    result = Summary(
        [(task, counts[task.name]) for task in tasks],
        waiting=sum(n for name, n in counts.items() if name.startswith("waiting:")),
    )
    if actor.has("coordinator") or actor.has("access_manager"):
        from app.accounts.registrations import pending_registrations

        result.registrations = len(pending_registrations(actor))
    return result


def _cursor(row: Row) -> str:
    return f"{(row.due or NO_DATE).isoformat()}.{row.kind}.{row.case.id}"


def _decode(cursor: str) -> tuple[date, str, int] | None:
    """The (due date, kind, id) a cursor names, or None (the first page)."""
    parts = cursor.split(".")
    if len(parts) != 3 or parts[1] not in KINDS:
        return None
    try:
        return date.fromisoformat(parts[0]), parts[1], db_int(parts[2])
    except ValueError:
        return None


def _kind_rows(kind: str, visible, where: dict, tasks: list[Task], after, limit: int):
    """Up to `limit` waiting cases of one kind, after the cursor's key, in list order."""
    model = registry.kind(kind).model
    # the first reason a case meets, and that reason's due date
    reason = case(*[(where[t.name], literal(t.name)) for t in tasks])
    nothing = cast(null(), Date)
    due = case(*[(where[t.name], nothing if t.due is None else t.due) for t in tasks])
    key = func.coalesce(due, NO_DATE)
    stmt = visible.add_columns(reason.label("reason"), due.label("due")).where(
        or_(*[where[t.name] for t in tasks])
    )
    if after is not None:
        at, after_kind, after_id = after
        # the list's order is (due date, kind, id): this kind's rows after the key
        if kind > after_kind:
            stmt = stmt.where(key >= at)
        elif kind < after_kind:
            stmt = stmt.where(key > at)
        else:
            stmt = stmt.where(or_(key > at, and_(key == at, model.id > after_id)))
    rows = db.session.execute(stmt.order_by(key, model.id).limit(limit))
    return [Row(kind, item, name, when) for item, name, when in rows]


def waiting(actor: Actor, today: date, after: str = "") -> tuple[list[Row], str | None]:
    """The cases whose next step is the actor's authority's, the nearest due date first
    (then by kind and id), a page at a time; and the cursor of the next page."""
    tasks = [task for task in relevant(actor) if task.waits]
    visible = _visible(actor, tasks)
    where = _conditions(actor, tasks, today)
    key = _decode(after)
    rows: list[Row] = []
    for kind in KINDS:
        of_kind = [task for task in tasks if task.kind == kind]
        if of_kind:
            rows += _kind_rows(kind, visible[kind], where, of_kind, key, PAGE_SIZE + 1)
    rows.sort(key=lambda r: (r.due or NO_DATE, r.kind, r.case.id))
    if len(rows) <= PAGE_SIZE:
        return rows, None
    return rows[:PAGE_SIZE], _cursor(rows[PAGE_SIZE - 1])
