"""A policy area brings its demo authorities in a file of its own (app/demo/areas/), and
they get the roles each of the area's packs declares."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo import directory
from app.extensions import db
from app.models import Authority, ProcedureAccess, User
from tests.unit.test_cli import _invoke

AREA = """
[staff]
example = [{ account = "example.{cc}", name = "Example Officer {CC}", roles = ["handler"] }]

[exchanges]
example = ["services_alert", "pq_good_standing", "no_such_pack"]

[[authority]]
country = "PT"
staff = "example"
exchanges = "example"
pt = "Autoridade de Exemplo"
en = "Example Authority"
street = "Rua do Exemplo 1"
postcode = "1000-001"
city = "Lisboa"
email = "exemplo@example.example"
concepts = ["area.services"]
"""


@pytest.fixture
def area_file(tmp_path, monkeypatch):
    monkeypatch.setattr(directory, "AREA_FILES", tmp_path)
    directory.data.cache_clear()
    yield tmp_path / "example.toml"
    directory.data.cache_clear()


def test_an_area_file_adds_authorities_officers_and_the_packs_own_roles(app, area_file):
    area_file.write_text(AREA, "utf-8")

    result = _invoke(app, "seed-demo", "--instance", "production")

    authority = db.session.scalar(select(Authority).where(Authority.name == "Example Authority"))
    assert authority.local_names == {"pt": "Autoridade de Exemplo"}
    assert authority.parent.kind.value == "national_coordinator"  # under Portugal's
    roles = {
        a.procedure_key: sorted(a.roles)
        for a in db.session.scalars(
            select(ProcedureAccess).where(ProcedureAccess.authority_id == authority.id)
        )
    }
    # (the demo's other seeders grant every authority some packs too)
    assert roles["services_alert"] == ["alert_receiver", "alert_sender"]
    assert roles["pq_good_standing"] == ["requester", "responder"]
    assert "no_such_pack" not in roles
    officer = db.session.scalar(select(User).where(User.email.startswith("example.pt@")))
    assert [m.roles for m in officer.memberships] == [["handler"]]
    assert result.exit_code == 0


def test_a_group_named_twice_is_refused(area_file):
    area_file.write_text("[exchanges]\nhealth = []\n", "utf-8")

    with pytest.raises(ValueError, match="exchanges \\['health'\\] named twice"):
        directory.data()
