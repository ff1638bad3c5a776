"""Who holds which role for a procedure (ProcedureAccess rows, granted by coordinators):
the packs of a kind an authority may open cases under, and the authorities that hold a
role for a procedure."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import String, cast, func, select

from app.cases.areas import holds, in_areas
from app.extensions import db
from app.models import Authority, AuthorityStatus, ProcedureAccess
from app.policy import Actor
from app.procedures import Pack, registry
from app.procedures.store import pin_version


def held_packs(authority_id: int, kind: str, role: str) -> list[Pack]:
    """The loaded packs of `kind` for which the authority holds `role`, by key."""
    packs = registry(current_app)
    rows = db.session.scalars(
        select(ProcedureAccess)
        .where(ProcedureAccess.authority_id == authority_id)
        .order_by(ProcedureAccess.procedure_key)
    )
    return [
        packs[a.procedure_key]
        for a in rows
        if role in a.roles and a.procedure_key in packs and packs[a.procedure_key].kind == kind
    ]


def holders(procedure_key: str, role: str, *where, order_by: tuple) -> list[Authority]:
    """The active authorities that hold `role` for the procedure and meet `where`."""
    return list(
        db.session.scalars(
            select(Authority)
            .join(ProcedureAccess, ProcedureAccess.authority_id == Authority.id)
            .where(
                ProcedureAccess.procedure_key == procedure_key,
                Authority.status == AuthorityStatus.ACTIVE,
                holding(role),
                *where,
            )
            .order_by(*order_by)
        )
    )


def holding(role: str):
    """SQL: the access row grants `role`, its JSON list as text holding the quoted name
    (a role's name is a plain word), in PostgreSQL and SQLite alike."""
    return cast(ProcedureAccess.roles, String).contains(f'"{role}"', autoescape=True)


def count_holders(procedure_key: str, role: str, *where, at_most: int) -> int:
    """How many active authorities hold `role` for the procedure and meet `where`, up to
    `at_most`: counted in SQL, none loaded (a procedure may have thousands)."""
    found = (
        select(Authority.id)
        .join(ProcedureAccess, ProcedureAccess.authority_id == Authority.id)
        .where(
            ProcedureAccess.procedure_key == procedure_key,
            Authority.status == AuthorityStatus.ACTIVE,
            holding(role),
            *where,
        )
        .limit(at_most)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(found))


def holder_countries(procedure_key: str, role: str, excluding: tuple[int, ...] = ()) -> set[str]:
    """The countries of the active authorities (but `excluding`) that hold `role` for the
    procedure, without loading them: a row per country, however many authorities
    answer the procedure (a case page asks whether it can offer forwarding
    and splitting on every visit)."""
    return set(
        db.session.scalars(
            select(Authority.country)
            .join(ProcedureAccess, ProcedureAccess.authority_id == Authority.id)
            .where(
                ProcedureAccess.procedure_key == procedure_key,
                Authority.status == AuthorityStatus.ACTIVE,
                Authority.id.not_in(excluding),
                holding(role),
            )
            .distinct()
        )
    )


@dataclass(frozen=True)
class Opening:
    """Who opens a case of `kind`: an officer holding `officer_role`, under a pack for
    which their authority holds `access_role`; a refusal raises `error`."""

    kind: str
    officer_role: str
    access_role: str
    error: type[Exception]

    def packs(self, actor: Actor) -> list[Pack]:
        """The packs the actor may open cases under: its authority holds `access_role`
        for them, and the actor `officer_role` in their area."""
        held = held_packs(actor.authority.id, self.kind, self.access_role)
        keys = set(in_areas(actor, [p.key for p in held], (self.officer_role,)))
        return [p for p in held if p.key in keys]

    def pin(self, actor: Actor, key: str) -> dict[str, object]:
        """The procedure and pack version of a new case (the version is pinned now);
        error("role") or error("procedure") when the actor may not open one under it
        (a role held in other areas only is no role here)."""
        if not holds(actor, self.officer_role, key):
            raise self.error("role")
        if key not in {p.key for p in self.packs(actor)}:
            raise self.error("procedure")
        stored = pin_version(registry(current_app)[key])
        return {"procedure_key": key, "pack_version": stored.version}
