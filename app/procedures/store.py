"""The procedure table mirrors the loaded packs: coordinators grant access to them, and
each pack version's definition is kept so that cases keep the version they began with."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Procedure, ProcedureVersion
from app.procedures import Pack, registry
from app.procedures.definition import pack_definition, pack_from_definition
from app.procedures.workflow import Workflow

log = logging.getLogger(__name__)


def sync() -> int:
    """Insert or rename a row per pack and store its current version; commits."""
    packs = registry(current_app)
    for pack in packs.values():
        row = db.session.get(Procedure, pack.key)
        if row is None:
            db.session.add(Procedure(key=pack.key, name=pack.name, policy_area=pack.policy_area))
        else:
            row.name, row.policy_area = pack.name, pack.policy_area
        db.session.flush()
        pin_version(pack)
    db.session.commit()
    return len(packs)


def pin_version(pack: Pack) -> ProcedureVersion:
    """The stored definition of the pack's current version, stored now if new. A pack
    edited without a new version number keeps the first definition stored for it."""
    stored = db.session.scalar(
        select(ProcedureVersion).where(
            ProcedureVersion.procedure_key == pack.key, ProcedureVersion.version == pack.version
        )
    )
    definition = pack_definition(pack)
    if stored is None:
        stored = ProcedureVersion(
            procedure_key=pack.key, version=pack.version, definition=definition
        )
        db.session.add(stored)
        db.session.flush()
    elif stored.definition != definition:
        log.warning(
            "pack %s changed but kept version %s: raise its version so new cases use the change",
            pack.key,
            pack.version,
        )
    return stored


PINNED = "openimi_pinned_packs"


def pinned_pack(key: str, version: int) -> Pack:
    """The pack as a case created under `version` knows it. Read once per process: a
    pinned version's stored definition never changes (pin_version), and every case page
    asks for it. It is built again when the app's current pack of the key changes (a
    pinned pack takes its translations from the current one)."""
    current = registry(current_app).get(key)
    kept = current_app.extensions.setdefault(PINNED, {})
    found = kept.get((key, version))
    if found is None or found[0] is not current:
        found = kept[key, version] = (current, _pinned_pack(key, version, current))
    return found[1]


def forget_pinned(app) -> None:
    """Forget the pinned packs read (for a database emptied under a running app: tests)."""
    app.extensions.pop(PINNED, None)


def _pinned_pack(key: str, version: int, current: Pack | None) -> Pack:
    stored = db.session.scalar(
        select(ProcedureVersion).where(
            ProcedureVersion.procedure_key == key, ProcedureVersion.version == version
        )
    )
    if stored is None:
        if current is None or current.version != version:
            raise LookupError(f"no definition of {key} version {version}")
        return current
    return pack_from_definition(stored.definition, current)


def pinned_workflow(key: str, version: int) -> Workflow:
    """The workflow of a case's pinned pack, read once per database session (the kernel
    asks for it for every optional step it offers)."""
    cache = db.session.info.setdefault("openimi_workflows", {})
    if (key, version) not in cache:
        cache[key, version] = pinned_pack(key, version).workflow
    return cache[key, version]
