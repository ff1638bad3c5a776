"""The case kernel: the lifecycle of every kind of case, written once.

A kind declares its transitions as data. Each `Transition` names an action, the states it
is possible in, the state it leads to, the sides of the case that may take it and the
roles they need, the timeline event it leaves, and the notices it sends. A `Lifecycle`
answers who may do what (`may`, `allowed`, `require`) and `perform`s a change. That is
the one path for every state change: state, timeline event, audit record (with state_from
and state_to), touch, notices and reminders, and one commit.

Actions that are truly special (forwarding, splitting, dissemination, a citizen's reply)
are written by hand in their kind's package, but they call `require` first and
`perform` last, so the rules and the bookkeeping stay in one place.

    REQUEST = Lifecycle("request", sides=request_sides, transitions=[
        Transition("accept", (S.SENT,), S.ACCEPTED, sides={"responder"},
                   roles={"handler", "allocator"}, event="accepted",
                   notify=(("requester", "accepted"),)),
        ...])
    REQUEST.perform(actor, request, "accept")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

from app.cases.areas import case_area
from app.extensions import db
from app.models.base import utcnow
from app.policy import Actor
from app.procedures.workflow import Workflow
from app.records import audit
from app.translation import languages

Guard = Callable[[Actor, Any], bool]


class CaseError(Exception):
    """A refused action. `code` names the reason ("role", "state", "text", ...); the view
    words it for the user. A refused action has changed nothing."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Transition:
    """One action of a lifecycle, as data.

    sources: the states the action is possible in.
    target: the state it leads to; None leaves the state as it is.
    sides: the actor must be on one of these sides of the case (the kind's `sides`).
    roles: ... and hold one of these roles in its membership (empty: any role).
    event: the timeline event; None: the action's name; "" for none.
    needs_text: the error code when the action's text (a reason, a message) is blank.
    guard: a further condition on the case; refused as "state" when it fails.
    notify: (to, what) notices sent after the change, through the lifecycle's notifier.
    reminders: whether the deadline reminders are (re)scheduled after the change.
    step: the optional step of the kind this action belongs to: a procedure's pack may
        leave it out (`[workflow] without`, app/procedures/workflow.py).
    audit_as: the last part of the audit action; None: the event (the action's name when
        there is no event). For kinds whose audit trail names actions otherwise.
    moves: (source, target) pairs where a source state leads elsewhere than `target`
        (a message that takes up a new case, and leaves an open one as it is).
    side_roles: the roles one side needs instead of `roles`, for an action two sides take
        with different roles ({"requester": {"handler"}}).
    """

    action: str
    sources: tuple[Enum, ...]
    target: Enum | None = None
    sides: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    event: str | None = None
    needs_text: str | None = None
    guard: Guard | None = None
    notify: tuple[tuple[str, str], ...] = ()
    reminders: bool = False
    step: str | None = None
    audit_as: str | None = None
    moves: tuple[tuple[Enum, Enum], ...] = ()
    side_roles: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Sets are written as literals in the tables; keep them hashable and immutable.
        object.__setattr__(self, "sides", frozenset(self.sides))
        object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(
            self,
            "side_roles",
            MappingProxyType({side: frozenset(r) for side, r in self.side_roles.items()}),
        )

    def roles_of(self, side: str | None) -> frozenset[str]:
        """The roles an actor on `side` needs (empty: any role)."""
        return self.side_roles.get(side, self.roles) if side else self.roles

    @property
    def event_kind(self) -> str:
        return self.action if self.event is None else self.event

    def target_from(self, state: Enum) -> Enum | None:
        """The state the action leads to from `state` (None: it stays)."""
        return dict(self.moves).get(state, self.target)


@dataclass
class Lifecycle:
    """The transitions of one kind of case and the bookkeeping every change shares.

    kind: the audit object type and the prefix of audit actions ("request.accepted").
    sides: which sides of the case the actor is on ({"requester"}, {"coordinator"}, ...).
    notifier: called as notifier(case, to, what) for each notice of a transition.
    scheduler: called as scheduler(case) when a transition reschedules reminders.
    error: the kind's CaseError subclass, raised on refusal.
    workflow: the case's procedure workflow (its pinned pack's), which may leave out
        optional steps.
    area: the legislative area of a case, in which the actor must hold the roles a
        transition needs (roles are held per area: app/policy.py `Actor.has_role`); by
        default its `procedure_key`'s area (app/cases/areas.py).
    """

    kind: str
    transitions: Iterable[Transition]
    sides: Callable[[Actor, Any], set[str]]
    notifier: Callable[[Any, str, str], None] | None = None
    scheduler: Callable[[Any], None] | None = None
    error: type[CaseError] = CaseError
    workflow: Callable[[Any], Workflow] | None = None
    area: Callable[[Any], str | None] = case_area
    table: Mapping[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        self.table = {t.action: t for t in self.transitions}

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.table)

    # --- who may do what --------------------------------------------------------------

    def plays(self, actor: Actor, case: Any, transition: Transition) -> bool:
        """The actor is on a side of the case the transition allows, with a role it needs
        in the case's legislative area."""
        on = self.sides(actor, case) & transition.sides if transition.sides else {None}
        held: frozenset[str] | None = None
        for side in on:
            roles = transition.roles_of(side)
            if not roles:
                return True
            if held is None:
                # the case's area is looked up only for roles limited to some areas
                limited = actor.membership.role_areas
                held = actor.roles_in(self.area(case) if limited else None)
            if roles & held:
                return True
        return False

    def takes_part(self, actor: Actor, case: Any) -> bool:
        """The actor acts on the case in some state: on a side one of its transitions
        names, with a role that transition needs there."""
        return any(t.sides and self.plays(actor, case, t) for t in self.table.values())

    def offers(self, case: Any, transition: Transition) -> bool:
        """The case's procedure has the transition's step."""
        if transition.step is None or self.workflow is None:
            return True
        return self.workflow(case).has(transition.step)

    def may(self, actor: Actor, case: Any, action: str) -> bool:
        transition = self.table[action]
        return (
            self.offers(case, transition)
            and case.state in transition.sources
            and self.plays(actor, case, transition)
            and (transition.guard is None or transition.guard(actor, case))
        )

    def allowed(self, actor: Actor, case: Any) -> set[str]:
        return {action for action in self.table if self.may(actor, case, action)}

    def require(self, actor: Actor, case: Any, action: str) -> Transition:
        """The transition, or the kind's error: "role" when the actor does not take part
        as the action needs, "state" when the case is not in a state that allows it."""
        transition = self.table[action]
        if not self.plays(actor, case, transition):
            raise self.error("role")
        if not self.may(actor, case, action):
            raise self.error("state")
        return transition

    def need(self, text: str | None, code: str) -> str:
        """A reason or message the action cannot go without, stripped."""
        text = (text or "").strip()
        if not text:
            raise self.error(code)
        return text

    # --- the one path for a change -----------------------------------------------------

    def perform(
        self,
        actor: Actor | None,
        case: Any,
        action: str,
        text: str = "",
        *,
        data: dict | None = None,
        details: dict | None = None,
        checked: bool = False,
        commit: bool = True,
    ) -> Any:
        """Carry out `action`: state, event, audit, touch, notices, reminders, commit.

        checked: the caller already called `require` (a hand-written action that did its
        own work in between); otherwise it is called here. `actor` None is the system (a
        job) and skips the check. `details` go into the audit record. Returns the event.
        """
        transition = self.table[action]
        if actor is not None and not checked:
            self.require(actor, case, action)
        if transition.needs_text:
            text = self.need(text, transition.needs_text)
        before = case.state
        target = transition.target_from(before)
        if target is not None:
            case.state = target
        event = None
        if transition.event_kind:
            event = self.record(actor, case, transition.event_kind, text, data)
        states = {}
        if target is not None:
            states = {"state_from": before.value, "state_to": target.value}
        audited = transition.audit_as or transition.event_kind or action
        self.audit(actor, case, audited, **states, **(details or {}))
        for to, what in transition.notify:
            self.notifier(case, to, what)
        if transition.reminders and self.scheduler is not None:
            self.scheduler(case)
        if commit:
            db.session.commit()
        return event

    # --- bookkeeping, also for hand-written actions ----------------------------------------

    def record(
        self, actor: Actor | None, case: Any, kind: str, text: str = "", data: dict | None = None
    ) -> Any:
        """A timeline event, and the case touched."""
        text = (text or "").strip()
        event = case.add_event(
            kind,
            user_id=actor.user.id if actor else None,
            authority_id=actor.authority.id if actor else None,
            text=text,
            language=languages.detect(text, actor.user.language if actor else None),
            data=data or {},
        )
        touch(case)
        return event

    def audit(self, actor: Actor | None, case: Any, what: str, **details) -> None:
        action = f"{self.kind}.{what}"
        who = (
            {} if actor is None else {"actor_id": actor.user.id, "authority_id": actor.authority.id}
        )
        audit.append(action, object_type=self.kind, object_id=case.id, **who, **details)


def touch(case: Any) -> None:
    case.updated_at = utcnow()
