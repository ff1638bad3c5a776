"""Archiving or restoring a record asks first, on a confirmation page with the reason:
who may open it, as a table (the sides of tests/web/repositories/test_who_may_act.py,
whose table also covers the POST); opening it changes nothing."""

from __future__ import annotations

import pytest

from tests.web.repositories.test_who_may_act import (
    ACTIVE,
    ARCHIVED,
    MAY_ACT_ON,
    SIDES,
    VIEWERS,
    record_in,
    snapshot,
)
from tests.web.repositories.test_who_may_act import world as world  # the fixture
from tests.web.requests.conftest import as_user

# state of the record -> the action its confirmation offers
OFFERED = {ACTIVE: "archive", ARCHIVED: "restore"}


def expected(who: str, state) -> int:
    # a viewer may ask (a GET) but is offered nothing to confirm, as any non-owner
    assert who not in VIEWERS or who not in MAY_ACT_ON[OFFERED[state]][state]
    return 200 if who in MAY_ACT_ON[OFFERED[state]][state] else 404


@pytest.mark.parametrize("who", list(SIDES), ids=[w.replace(" ", "_") for w in SIDES])
def test_who_may_open_the_archive_or_restore_confirmation(app, world, who):
    officer = as_user(app, world.users[who])
    for state in (ACTIVE, ARCHIVED):
        record_id = record_in(world, state)
        before = snapshot(record_id)
        response = officer.get(f"/repositories/records/{record_id}/state")
        assert response.status_code == expected(who, state), state
        if response.status_code == 200:
            page = response.get_data(True)
            assert f'name="action" value="{OFFERED[state]}"' in page
            assert ('class="button warning"' in page) is (state == ACTIVE)
        assert snapshot(record_id) == before


def test_the_record_page_links_to_the_confirmation(app, world):
    owner = as_user(app, world.users["owner handler"])
    record_id = record_in(world, ACTIVE)
    page = owner.get(f"/repositories/records/{record_id}").get_data(True)
    assert f'href="/repositories/records/{record_id}/state"' in page
    assert "<textarea" not in page  # the reason is asked on the confirmation
