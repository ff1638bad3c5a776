"""Roles per legislative area, for every kind of case.

A membership holds each of its roles in all legislative areas or in some (the policy area
of a procedure pack: `professional_qualifications`, `services`, ...). The rule itself is
the Actor's (app/policy.py `roles_in`, `has_role`, `areas`); this module gives it a case's
area and turns an actor's areas into a condition on a kind's cases:

- a role check on a case: `holds(actor, role, procedure_key)`; the kernel's transitions
  ask it for every kind whose case has a `procedure_key` (app/cases/kernel.py);
- a list of a kind's cases: `where_areas(actor, Model.procedure_key)` in its
  `visible_query`, or, for a statement kept with bind parameters, `area_keys(actor)` as
  the parameter's value and `ALL` in the statement's shape;
- a choice of procedures (compose): `in_areas(actor, keys, roles)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, true

from app.policy import Actor
from app.procedures import registry

# The value of `area_keys` for an actor who sees every area: the statement has no condition.
ALL = None


def area_of(procedure_key: str | None) -> str | None:
    """The legislative area of a procedure (its pack's policy area), None if unknown."""
    if not procedure_key:
        return None
    pack = registry(current_app).get(procedure_key)
    return pack.policy_area if pack is not None else None


def case_area(case: Any) -> str | None:
    """The area of a case: its procedure's."""
    return area_of(getattr(case, "procedure_key", None))


def holds(actor: Actor, role: str, procedure_key: str | None) -> bool:
    """Whether the actor holds `role` in the area of the procedure."""
    return actor.has_role(role, area_of(procedure_key))


def in_areas(actor: Actor, keys: Iterable[str], roles: Iterable[str] | None = None) -> list[str]:
    """The procedure keys among `keys` in whose area the actor holds one of `roles`
    (None: any role)."""
    areas = actor.areas(roles)
    return [key for key in keys if areas is None or area_of(key) in areas]


def keys_in(areas: Iterable[str]) -> list[str]:
    """The procedure keys of some areas (of the packs the app loaded), sorted."""
    wanted = set(areas)
    return sorted(key for key, pack in registry(current_app).items() if pack.policy_area in wanted)


def area_keys(actor: Actor, roles: Iterable[str] | None = None) -> list[str] | None:
    """The procedure keys of the areas where the actor holds a role: ALL (None) when it
    holds one in all areas, so that the usual list costs no condition."""
    areas = actor.areas(roles)
    return ALL if areas is None else keys_in(areas)


def where_areas(actor: Actor, column: Any) -> ColumnElement[bool]:
    """The condition on a kind's `procedure_key` column: the cases of the areas where the
    actor holds a role (always true for an actor holding one in all areas)."""
    keys = area_keys(actor)
    return true() if keys is ALL else column.in_(keys)
