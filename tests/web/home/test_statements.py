"""The home page and the waiting list run as many SQL statements for 20 waiting cases of
each kind as for 2 (tests/web/test_statement_counts.py does the same for case pages)."""

from __future__ import annotations

import pytest

from app.models import AlertState, PublicCaseState, RecipientState, RequestState
from tests.factories import make_authority, statements_of
from tests.web.home import conftest as home
from tests.web.requests.conftest import as_user
from tests.web.test_statement_counts import _same_count

S = RequestState


def _grow(world, n: int) -> None:
    """n more cases in each situation, each with a counterpart authority of its own (a
    statement per counterpart would show)."""
    paris, coordinator = world.paris, world.coordinator_fr
    for i in range(n):
        other = make_authority("DE", name=f"Landesamt {i}")
        french = make_authority("FR", name=f"Préfecture {i}", parent=coordinator)
        for state in (S.SENT, S.ACCEPTED):
            home.request_row(other, paris, state, due_in=i - 3)
        for state in (S.INFO_REQUESTED, S.ANSWERED):
            home.request_row(paris, other, state)
        home.request_row(other, french, S.ACCEPTED, referral_open=True)
        alert = home.alert_row(other, AlertState.SENT)
        recipient = home.routed(alert, coordinator, state=RecipientState.DISSEMINATED)
        home.disseminated(recipient, paris)
        home.alert_row(
            french, AlertState.AWAITING_VALIDATION, validator_authority_id=coordinator.id
        )
        for state in (PublicCaseState.SUBMITTED, PublicCaseState.IN_PROGRESS):
            home.public_row(paris, state)
        home.registration_row("FR", f"Chambre {i}")


def test_the_home_page_and_the_waiting_list_cost_the_same_for_many_cases(app, world):
    # Given a handler and an allocator of Paris, and its coordinator
    clients = {
        who: as_user(app, world.users[who]) for who in ("handler", "allocator", "coordinator_fr")
    }
    urls = [(who, url) for who in clients for url in ("/", "/waiting")]

    # When 2 cases wait in each situation, then 20
    runs: dict[tuple[str, str], list] = {key: [] for key in urls}
    for n in (2, 18):
        _grow(world, n)
        for who, url in urls:
            assert clients[who].get(url).status_code == 200  # warm
            runs[(who, url)].append(statements_of(clients[who], url))

    # Then each page runs as many statements for 20 as for 2
    for (who, url), pair in runs.items():
        try:
            _same_count(pair, at_most=16)  # 5 to 15 today (a coordinator reads referrals)
        except pytest.fail.Exception as failure:
            pytest.fail(f"{who} on {url}: {failure}")
    # and the counts themselves are one statement
    (handler_home, _many) = runs[("handler", "/")]
    assert sum("count(*)" in s for s in handler_home) == 1
