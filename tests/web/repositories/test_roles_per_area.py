"""Roles per legislative area, on repositories: an officer of an editing authority whose
roles hold in the services area only neither reads nor writes the professional
qualifications register (it is not there for them), while a colleague of all areas does."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import RepositoryRecord
from tests.factories import make_user, post_form
from tests.web.repositories.conftest import REGISTER, VALUES, as_user


def test_an_officer_of_services_only_does_not_reach_the_pq_register(app, people):
    berlin = people.authorities["berlin"]
    limited = as_user(app, make_user(berlin, ["handler"], role_areas={"handler": ["services"]}))
    # given a record of the register made by a colleague of all areas
    assert (
        post_form(as_user(app, people.editor), f"/repositories/{REGISTER}/new", VALUES).status_code
        == 302
    )
    record = db.session.scalars(select(RepositoryRecord)).one()
    # then for the officer of services only, the register and its record are not there
    assert REGISTER not in limited.get("/repositories").get_data(True)
    assert limited.get(f"/repositories/{REGISTER}").status_code == 404
    assert limited.get(f"/repositories/{REGISTER}/new").status_code == 404
    assert limited.get(f"/repositories/records/{record.id}").status_code == 404
    assert limited.get(f"/repositories/records/{record.id}/edit").status_code == 404
    # and a new record cannot be posted either
    response = limited.post(f"/repositories/{REGISTER}/new", data=VALUES)
    assert response.status_code in (400, 404)
    assert db.session.query(RepositoryRecord).count() == 1
