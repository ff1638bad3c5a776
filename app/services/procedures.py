"""The procedure table mirrors the loaded packs: coordinators grant access to them."""

from flask import current_app

from app.extensions import db
from app.models import Procedure
from app.procedures import registry


def sync() -> int:
    """Insert or rename a row per pack; the caller's transaction is committed."""
    packs = registry(current_app)
    for pack in packs.values():
        row = db.session.get(Procedure, pack.key)
        if row is None:
            db.session.add(Procedure(key=pack.key, name=pack.name, policy_area=pack.policy_area))
        else:
            row.name, row.policy_area = pack.name, pack.policy_area
    db.session.commit()
    return len(packs)
