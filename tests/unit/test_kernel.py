"""The lifecycle engine's own rules, on a made-up kind (no database): sides, roles,
states and guards decide `may`, and `require` says which of them refused."""

from enum import Enum
from types import SimpleNamespace

import pytest

from app.cases.kernel import CaseError, Lifecycle, Transition
from app.policy import Actor


class St(Enum):
    OPEN = "open"
    SHUT = "shut"


class ToyError(CaseError):
    pass


def sides(actor, case):
    return {"owner"} if actor.authority.id == case.owner else set()


TOY = Lifecycle(
    "toy",
    [
        Transition("shut", (St.OPEN,), St.SHUT, sides={"owner"}, roles={"handler"}),
        Transition("note", (St.OPEN, St.SHUT), sides={"owner"}, guard=lambda a, c: c.notes),
        Transition("peek", (St.OPEN,)),
    ],
    sides=sides,
    error=ToyError,
)


def actor(authority: int, *roles: str, areas: dict | None = None):
    """An actor of `authority` holding `roles` in all areas, but those `areas` names
    (role -> its areas), as the Actor of app/policy.py answers for a membership."""
    membership = SimpleNamespace(
        roles=list(roles), role_areas=areas or {}, authority=SimpleNamespace(id=authority)
    )
    return Actor(SimpleNamespace(id=authority), membership)


def case(state=St.OPEN, notes=True):
    return SimpleNamespace(owner=1, state=state, notes=notes)


@pytest.mark.parametrize(
    ("who", "the_case", "expected"),
    [
        (actor(1, "handler"), case(), {"shut", "note", "peek"}),
        (actor(1, "viewer"), case(), {"note", "peek"}),
        (actor(2, "handler"), case(), {"peek"}),
        (actor(1, "handler"), case(St.SHUT), {"note"}),
        (actor(1, "handler"), case(notes=False), {"shut", "peek"}),
    ],
)
def test_allowed_follows_sides_roles_states_and_guards(who, the_case, expected):
    assert TOY.allowed(who, the_case) == expected


@pytest.mark.parametrize(
    ("who", "the_case", "code"),
    [
        (actor(2, "handler"), case(), "role"),  # not on the owner's side
        (actor(1, "viewer"), case(), "role"),  # on the side, without the role
        (actor(1, "handler"), case(St.SHUT), "state"),
    ],
)
def test_require_names_the_reason_in_the_kinds_error(who, the_case, code):
    with pytest.raises(ToyError) as refused:
        TOY.require(who, the_case, "shut")
    assert refused.value.code == code


def test_need_refuses_blank_text_with_the_given_code():
    with pytest.raises(ToyError) as refused:
        TOY.need("  \n", "reason")
    assert refused.value.code == "reason"
    assert TOY.need(" why ", "reason") == "why"


PARTIES = Lifecycle(
    "toy",
    [
        # Both sides may add a note, each with its own role; "shut" keeps one role set.
        Transition(
            "note",
            (St.OPEN,),
            sides={"owner", "guest"},
            side_roles={"owner": {"handler"}, "guest": {"handler", "allocator"}},
        ),
    ],
    sides=lambda actor, case: {"owner"} if actor.authority.id == case.owner else {"guest"},
    error=ToyError,
)


@pytest.mark.parametrize(
    ("who", "may"),
    [
        (actor(1, "handler"), True),
        (actor(1, "allocator"), False),  # the owner's side needs a handler
        (actor(2, "allocator"), True),
        (actor(2, "viewer"), False),
    ],
)
def test_each_side_may_need_roles_of_its_own(who, may):
    assert PARTIES.may(who, case(), "note") is may
    if not may:
        with pytest.raises(ToyError) as refused:
            PARTIES.require(who, case(), "note")
        assert refused.value.code == "role"


# The same kind whose cases each have a legislative area (the kernel's default reads the
# area of the case's procedure_key; here the case names it).
AREAS = Lifecycle(
    "toy", list(TOY.table.values()), sides=sides, error=ToyError, area=lambda c: c.area
)


@pytest.mark.parametrize(
    ("who", "area", "expected"),
    [
        # a role held in all areas (the usual membership) acts in every area
        (actor(1, "handler"), "services", {"shut", "note", "peek"}),
        # a role held in one area acts there, and is no role in another
        (
            actor(1, "handler", areas={"handler": ["services"]}),
            "services",
            {"shut", "note", "peek"},
        ),
        (
            actor(1, "handler", areas={"handler": ["services"]}),
            "professional_qualifications",
            {"note", "peek"},
        ),
        (actor(1, "handler", areas={"handler": ["a", "b"]}), "b", {"shut", "note", "peek"}),
        # a case whose area nobody knows counts only the roles held in all areas
        (actor(1, "handler", areas={"handler": ["services"]}), None, {"note", "peek"}),
        (actor(1, "handler", "viewer", areas={"viewer": ["x"]}), None, {"shut", "note", "peek"}),
    ],
)
def test_roles_count_in_the_area_of_the_case(who, area, expected):
    # given a case of `area`, then the actor takes what its roles there allow
    the_case = SimpleNamespace(owner=1, state=St.OPEN, notes=True, area=area)
    assert AREAS.allowed(who, the_case) == expected


def test_a_refusal_for_a_role_held_in_another_area_names_the_role():
    only_services = actor(1, "handler", areas={"handler": ["services"]})
    the_case = SimpleNamespace(owner=1, state=St.OPEN, notes=True, area="pq")
    with pytest.raises(ToyError) as refused:
        AREAS.require(only_services, the_case, "shut")
    assert refused.value.code == "role"
