"""Composing a request: the country filter is a button of the compose form, so what the
officer typed survives it (without JavaScript a new page, with htmx only the list of
authorities); the responding authority starts unchosen and must be chosen."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import event

from app.blueprints.requests.page import REFUSALS
from app.cases.requests import compose as compose_service
from app.extensions import db
from app.models import Request
from tests.factories import date_input, make_authority, summary_links
from tests.web.requests.conftest import (
    PROCEDURE,
    as_user,
    compose,
    grant,
    only_request,
    submit,
)

TYPED = {
    "procedure": PROCEDURE,
    "subject": "Dr. Marie Dupont, born 1980-04-02",
    "questions": ["legally_established", "sanctions_imposed"],
    "message": "Bitte bestätigen Sie die Berufszulassung.",
    "detail-profession": "Doctor of medicine",
    **date_input("detail-date_of_birth", "1980-04-02"),
}


def _listed(page: str) -> str:
    return page.split('id="responder"')[1].split("</select>")[0]


def _filter(client, country: str, url: str = "/requests/new", **headers):
    page = f"{url}?procedure={PROCEDURE}"
    data = {**TYPED, "country": country, "filter": "1"}
    return submit(client, page, url, data, headers=headers)


def test_the_filter_keeps_what_was_typed_and_saves_nothing(app, people):
    requester = as_user(app, people.requester)
    response = _filter(requester, "AT")
    assert response.status_code == 200
    page = response.get_data(True)
    listed = _listed(page)
    assert "Österreichische Ärztekammer" in listed
    assert "Ordre des médecins" not in listed and "Ministero" not in listed
    assert 'value="Dr. Marie Dupont, born 1980-04-02"' in page
    assert str(escape(TYPED["message"])) + "</textarea>" in page
    assert "Doctor of medicine</textarea>" in page
    assert 'value="legally_established" checked' in page
    assert 'value="registration_status" checked' not in page
    assert 'value="AT" selected' in page
    assert 'class="error-summary"' not in page  # filtering is not sending
    assert db.session.query(Request).count() == 0


def test_the_filter_on_a_draft_changes_nothing(app, people):
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id, send=False)
    item = only_request()
    url = f"/requests/{item.id}/edit"
    data = {**TYPED, "subject": "Someone else", "country": "AT", "filter": "1"}
    response = submit(requester, url, url, data)
    assert response.status_code == 200
    assert 'value="Someone else"' in response.get_data(True)
    db.session.expire_all()
    assert db.session.get(Request, item.id).subject == "Dr. Marie Dupont, born 1980-04-02"


def test_a_country_lists_its_responders_alone_and_the_one_chosen(app, people):
    # Given 30 Spanish authorities answering the procedure too
    for n in range(30):
        grant(make_authority("ES", name=f"Colegio de Médicos {n}"), ["responder"])
    requester = as_user(app, people.requester)

    # When the requester, having chosen Paris, filters by Austria
    url, paris = "/requests/new", people.authorities["paris"].id
    data = {**TYPED, "responder": paris, "country": "AT", "filter": "1"}
    response = submit(requester, f"{url}?procedure={PROCEDURE}", url, data)

    # Then Austria's responder is listed, and Paris (chosen) still: no other authority
    page = response.get_data(True)
    listed = re.findall(r'<option[^>]*value="\d+"[^>]*>([^<]*)</option>', _listed(page))
    assert listed == [
        "Österreichische Ärztekammer (AT)",
        str(escape("Conseil national de l'Ordre des médecins (FR)")),
    ]
    assert "Colegio" not in page


def test_a_country_is_asked_of_the_database(app, people):
    # Given Austria chosen on the compose page, while 3 Spanish authorities answer too
    requester = as_user(app, people.requester)
    few, many = _rows_as_more_answer(requester, f"/requests/new?procedure={PROCEDURE}&country=AT")

    # When 27 more come to answer it, then no statement returns more rows
    assert many == few


def _rows_as_more_answer(client, url: str) -> tuple[list[int], list[int]]:
    """The rows each SELECT returned for a GET of `url` while 3 Spanish authorities
    answer the procedure too, then while 30 do."""
    for n in range(3):
        grant(make_authority("ES", name=f"Colegio de Médicos {n}"), ["responder"])
    client.get(url)  # warm: what the first visit looks up once is kept
    few = _rows(client, url)
    for n in range(3, 30):
        grant(make_authority("ES", name=f"Colegio de Médicos {n}"), ["responder"])
    return few, _rows(client, url)


def _rows(client, url: str) -> list[int]:
    """The rows each SELECT returned while answering a GET of `url`."""
    rows: list[int] = []

    def note(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            rows.append(cursor.rowcount)

    event.listen(db.engine, "after_cursor_execute", note)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "after_cursor_execute", note)
    return rows


def test_with_htmx_the_filter_returns_only_the_list(app, people):
    requester = as_user(app, people.requester)
    response = _filter(requester, "AT", **{"HX-Request": "true"})
    assert response.status_code == 200
    page = response.get_data(True).strip()
    assert page.startswith('<div id="responders">') and page.endswith("</div>")
    assert "Österreichische Ärztekammer" in _listed(page) and "Ministero" not in page
    assert 'name="subject"' not in page and "<h1>" not in page


def test_the_responder_starts_unchosen_and_must_be_chosen(app, people):
    requester = as_user(app, people.requester)
    page = requester.get(f"/requests/new?procedure={PROCEDURE}").get_data(True)
    first = _listed(page).split("</option>")[0]
    assert first.endswith('<option selected value="">Auswählen')  # "Choose", in German

    response = compose(requester, "")
    assert response.status_code == 400
    page = response.get_data(True)
    with force_locale("de"):  # the requester's language
        message = str(escape(REFUSALS["responder"]))
    assert ("responder", message) in summary_links(page)
    assert 'id="responder-error"' in page
    assert str(escape(TYPED["message"])) + "</textarea>" in page
    assert db.session.query(Request).count() == 0


def test_a_draft_is_not_sent_to_an_authority_that_no_longer_answers_the_procedure(app, people):
    # Given a draft to Paris, then Paris no longer answers the procedure (its access now
    # only to ask), and a draft to Lyon, then Lyon suspended
    from app.cases import requests
    from app.cases.requests import RequestError
    from app.models import Authority, AuthorityStatus, Membership, ProcedureAccess
    from app.policy import Actor

    requester = as_user(app, people.requester)
    paris, lyon = people.authorities["paris"], people.authorities["lyon"]
    drafts = []
    for authority in (paris, lyon):
        assert compose(requester, authority.id, send=False).status_code == 302
        drafts.append(db.session.query(Request).order_by(Request.id.desc()).first().id)
    access = db.session.query(ProcedureAccess).filter_by(authority_id=paris.id).one()
    access.roles = ["requester"]
    db.session.get(Authority, lyon.id).status = AuthorityStatus.SUSPENDED
    db.session.commit()
    actor = Actor(
        people.requester,
        db.session.query(Membership).filter_by(user_id=people.requester.id).one(),
    )
    # When Berlin sends them, then each is refused for its responder, and stays a draft
    for draft_id in drafts:
        item = db.session.get(Request, draft_id)
        try:
            requests.send(actor, item)
        except RequestError as error:
            assert error.code == "responder"
        else:
            raise AssertionError("sent to an authority that does not answer")
        db.session.rollback()
        assert db.session.get(Request, draft_id).state == "draft"
    # and a draft to an authority that answers is sent
    assert compose(requester, people.authorities["vienna"].id).status_code == 302


# --- more responders than the page lists at once -----------------------------------------

PROMPT = "Many authorities answer this procedure: choose their country first."


def _names(page: str) -> list[str]:
    """The authorities the responder select lists (the empty first choice left out)."""
    return re.findall(r'<option[^>]*value="\d+"[^>]*>([^<]*)</option>', _listed(page))


def _country_choices(page: str) -> list[str]:
    select = page.split('id="country"')[1].split("</select>")[0]
    return re.findall(r'<option value="([A-Z]{2})"', select)


def _prompt(msgid: str = PROMPT) -> str:
    with force_locale("de"):  # the requester's language
        return gettext(msgid)


ALL_HINT = "Authorities with access to this procedure as responders."


@pytest.fixture
def list_at_most(monkeypatch):
    """Set how many responders the compose page lists before a country is chosen."""

    def set_to(n: int) -> None:
        monkeypatch.setattr(compose_service, "LIST_ALL_MAX", n)

    return set_to


def test_above_the_limit_all_countries_lists_none_and_asks_for_the_country(
    app, people, list_at_most
):
    # Given 4 authorities answering the procedure besides Berlin, and 3 listed at most
    list_at_most(3)
    requester = as_user(app, people.requester)

    # When the requester opens the compose page, with all countries
    page = requester.get(f"/requests/new?procedure={PROCEDURE}").get_data(True)

    # Then no authority is listed, the country is asked for first, and the countries
    # offered are those where one answers (Berlin's own Germany not among them)
    assert _names(page) == []
    assert _prompt() in page
    assert _prompt(ALL_HINT) not in page
    assert sorted(_country_choices(page)) == ["AT", "FR", "IT"]


def test_above_the_limit_a_country_lists_its_own(app, people, list_at_most):
    list_at_most(3)
    requester = as_user(app, people.requester)
    for headers in ({}, {"HX-Request": "true"}):
        page = _filter(requester, "FR", **headers).get_data(True)
        assert _names(page) == [
            str(escape("Conseil national de l'Ordre des médecins (FR)")),
            "Ordre des médecins du Rhône (FR)",
        ]
        assert _prompt() not in page
    page = _filter(requester, "FR").get_data(True)
    assert 'value="FR" selected' in page and sorted(_country_choices(page)) == ["AT", "FR", "IT"]


def test_above_the_limit_a_drafts_responder_stays_chosen(app, people, list_at_most):
    # Given a draft to Paris, then 3 listed at most
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id, send=False)
    url = f"/requests/{only_request().id}/edit"
    list_at_most(3)
    paris = people.authorities["paris"].id

    # When the draft is opened, with all countries: Paris alone is listed, and chosen
    page = requester.get(url).get_data(True)
    assert _names(page) == [str(escape("Conseil national de l'Ordre des médecins (FR)"))]
    assert f'<option selected value="{paris}">' in _listed(page)
    assert _prompt() in page

    # and when filtered by Austria (with and without htmx), Paris is kept chosen
    for headers in ({}, {"HX-Request": "true"}):
        data = {**TYPED, "responder": paris, "country": "AT", "filter": "1"}
        page = submit(requester, url, url, data, headers=headers).get_data(True)
        assert _names(page) == [
            "Österreichische Ärztekammer (AT)",
            str(escape("Conseil national de l'Ordre des médecins (FR)")),
        ]
        assert f'<option selected value="{paris}">' in _listed(page)

    # and when saved with all countries, it stays Paris's
    data = {**TYPED, "responder": paris, "country": "", "save": "1"}
    assert submit(requester, url, url, data).status_code == 302
    db.session.expire_all()
    assert only_request().responder_authority_id == paris


def test_at_the_limit_all_are_listed_as_before(app, people, list_at_most):
    # Given 4 authorities answering besides Berlin, and 4 listed at most; 5 more that
    # only ask (they answer nothing, so they do not count)
    list_at_most(4)
    for n in range(5):
        grant(make_authority("ES", name=f"Consejo {n}"), ["requester"])
    requester = as_user(app, people.requester)

    page = requester.get(f"/requests/new?procedure={PROCEDURE}").get_data(True)

    assert len(_names(page)) == 4 and "Consejo" not in page
    assert _prompt() not in page
    assert _prompt(ALL_HINT) in page
    assert len(_country_choices(page)) == 30  # every country, as before


def test_above_the_limit_no_statement_grows_with_the_responders(app, people, list_at_most):
    # Given 3 listed at most, and 3 Spanish authorities answering too (7 in all)
    list_at_most(3)
    requester = as_user(app, people.requester)
    url = f"/requests/new?procedure={PROCEDURE}"
    few, many = _rows_as_more_answer(requester, url)

    # When 27 more come to answer it, then no statement returns more rows: the page
    # counts at most 4 of them, and lists none
    assert many == few
    assert "Colegio" not in requester.get(url).get_data(True)
