"""Authorities of several countries around the register of restrictions on practice.

Berlin and Paris edit it (each owns its records), Vienna only reads it, Rome has no
access, Madrid has access to another procedure only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models import ProcedureAccess, User
from app.procedures.store import sync
from tests.factories import make_authority, make_user
from tests.snapshots import restored
from tests.web.requests.conftest import as_user  # noqa: F401

REGISTER = "pq_sanctions_register"

VALUES = {
    "field-full_name": "Jürgen Müller",
    "field-date_of_birth": "1970-03-04",
    "field-profession": "Doctor of medicine",
    "field-measure": "temporary_prohibition",
    "field-measure_scope": "All medical activities",
    "field-deciding_authority": "Landesamt Berlin",
    "field-decision_date": "2026-10-01",
    "field-start_date": "2026-10-02",
}


@dataclass
class People:
    editor: User
    other_editor: User
    reader: User
    outsider: User
    stranger: User
    authorities: dict


def grant(authority, roles, procedure=REGISTER):
    db.session.add(ProcedureAccess(authority_id=authority.id, procedure_key=procedure, roles=roles))
    db.session.commit()


@pytest.fixture
def people(app) -> People:
    """Built once per worker, restored for later tests (tests/snapshots.py)."""
    return restored("repositories: people", _people)


def _people() -> People:
    sync()
    berlin = make_authority("DE", name="Landesamt Berlin")
    paris = make_authority("FR", name="Ordre des médecins")
    vienna = make_authority("AT", name="Ärztekammer Wien")
    rome = make_authority("IT", name="Ministero della Salute")
    madrid = make_authority("ES", name="Ministerio de Sanidad")
    grant(berlin, ["repository_editor"])
    grant(paris, ["repository_editor"])
    grant(vienna, ["repository_reader"])
    grant(madrid, ["repository_editor"], procedure="posting_declarations")
    return People(
        editor=make_user(berlin, ["handler"]),
        other_editor=make_user(paris, ["handler"]),
        reader=make_user(vienna, ["viewer"]),
        outsider=make_user(rome, ["handler", "admin"]),
        stranger=make_user(madrid, ["handler"]),
        authorities={"berlin": berlin, "paris": paris, "vienna": vienna, "rome": rome},
    )
