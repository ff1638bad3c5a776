"""A case keeps the pack version it was created with: editing a pack changes new cases
only."""

from __future__ import annotations

import dataclasses

from app.procedures import registry
from app.procedures.store import sync
from tests.web.requests.conftest import PROCEDURE, as_user, compose, only_request

NEW_TEXT = "Is the professional entered in the register kept by your authority?"


def _edited(pack):
    first, *rest = pack.question_sets
    question = dataclasses.replace(first.questions[0], text=NEW_TEXT)
    changed = dataclasses.replace(first, questions=(question, *first.questions[1:]))
    return dataclasses.replace(pack, version=pack.version + 1, question_sets=(changed, *rest))


def test_editing_a_pack_never_changes_an_old_case(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    old = only_request()
    original = registry(app)[PROCEDURE]
    old_text = original.question_sets[0].questions[0].text
    try:
        # the pack is edited and given a new version
        registry(app)[PROCEDURE] = _edited(original)
        sync()
        compose(requester, paris.id)
        handler = as_user(app, people.handler)
        # the old case still shows its question as it was asked
        old_page = handler.get(f"/requests/{old.id}").get_data(True)
        assert old.pack_version == original.version
        assert "register kept by your authority" not in old_page
        # a new case uses the new version
        from app.extensions import db
        from app.models import Request

        new = db.session.query(Request).order_by(Request.id.desc()).first()
        assert new.pack_version == original.version + 1
        assert "register kept by your authority" in handler.get(f"/requests/{new.id}").get_data(
            True
        )
    finally:
        registry(app)[PROCEDURE] = original
    assert old_text
