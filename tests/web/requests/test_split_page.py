"""Moving some of a request's questions to another authority: the officer chooses the
country first, then an authority of it, so that the page never lists every authority
answering the procedure (IMI's bigger procedures have thousands, in every country). The
request's two parties are never offered, and a split posted to one of them, or to an
authority that does not answer the procedure, is refused and changes nothing."""

from __future__ import annotations

import re

from flask_babel import force_locale
from markupsafe import escape

from app.blueprints.requests.page import REFUSALS
from app.extensions import db
from app.models import Request
from tests.factories import make_authority, statements_of
from tests.web.requests.conftest import as_user, compose, grant, only_request, submit


def _sent(app, people) -> tuple[Request, object]:
    """A request Berlin sent to Paris, and Paris's handler in a browser of their own."""
    compose(as_user(app, people.requester), people.authorities["paris"].id)
    return only_request(), as_user(app, people.handler)


def _options(page: str, select_id: str) -> list[str]:
    """What a select of `page` offers, but its empty first choice, in its order."""
    select = page.split(f'id="{select_id}"')[1].split("</select>")[0]
    return re.findall(r'<option[^>]*value="\w+"[^>]*>([^<]*)</option>', select)


def test_without_a_country_the_split_page_asks_for_one_first(app, people):
    # Given a request Berlin sent to Paris, and another German authority answering
    grant(make_authority("DE", name="Ärztekammer Hamburg"), ["responder"])
    item, handler = _sent(app, people)

    # When Paris's handler opens its split page
    page = handler.get(f"/requests/{item.id}/split").get_data(True)

    # Then the countries where another authority answers are offered, in the reader's
    # language, and no authority: the rest of the form comes once a country is chosen
    assert _options(page, "country") == ["Allemagne", "Autriche", "France", "Italie"]
    assert 'id="split-authority"' not in page and 'name="split-text"' not in page
    assert "Ärztekammer" not in page and "Ordre des médecins du Rhône" not in page


def test_the_split_page_offers_the_chosen_countrys_authorities_but_never_the_parties(app, people):
    # Given a request Berlin sent to Paris, and another German authority answering
    grant(make_authority("DE", name="Ärztekammer Hamburg"), ["responder"])
    item, handler = _sent(app, people)
    url = f"/requests/{item.id}/split"

    # When the handler chooses Germany, then France: the authorities of that country
    # alone, but the requester and the responder itself
    page = handler.get(f"{url}?country=DE").get_data(True)
    assert _options(page, "split-authority") == ["Ärztekammer Hamburg (DE)"]
    assert "Landesamt Berlin" not in page.split('id="split-authority"')[1]
    assert re.search(r'<option value="DE" selected>', page)
    assert 'name="split-text"' in page and 'name="split-questions"' in page
    page = handler.get(f"{url}?country=FR").get_data(True)
    assert _options(page, "split-authority") == ["Ordre des médecins du Rhône (FR)"]
    assert "Österreichische Ärztekammer" not in page

    # Then a country where no other authority answers is no choice: it is asked again
    for country in ("ES", "XX"):
        page = handler.get(f"{url}?country={country}").get_data(True)
        assert 'id="split-authority"' not in page and 'id="country"' in page


def test_a_change_of_country_keeps_what_was_typed_and_takes_nothing(app, people):
    # Given a split begun towards Austria: a question chosen, the reason typed
    grant(make_authority("DE", name="Ärztekammer Hamburg"), ["responder"])
    item, handler = _sent(app, people)
    url = f"/requests/{item.id}/split"
    moving = item.questions[-1].id
    typed = {
        "country": "DE",
        "split-questions": [moving],
        "split-text": "Sanctions are kept in Hamburg.",
        "filter": "1",
    }

    # When the handler changes the country with the filter button of the form
    response = submit(handler, f"{url}?country=AT", url, typed)

    # Then the page offers Germany's authority, with the question and the reason kept
    assert response.status_code == 200
    page = response.get_data(True)
    assert _options(page, "split-authority") == ["Ärztekammer Hamburg (DE)"]
    assert re.search(rf'<input checked[^>]*value="{moving}"', page)
    assert "Sanctions are kept in Hamburg.</textarea>" in page
    assert 'class="error-summary"' not in page  # filtering is not moving
    db.session.expire_all()
    assert db.session.query(Request).count() == 1
    assert moving in [q.id for q in db.session.get(Request, item.id).questions]

    # And the requester, to whom splitting is not offered, is refused the filter too
    requester = as_user(app, people.requester)
    response = submit(requester, f"/requests/{item.id}", url, typed)
    assert response.status_code == 403


def test_a_split_to_a_party_or_to_an_authority_of_another_procedure_is_refused(app, people):
    # Given a request Berlin sent to Paris; an Austrian authority answering another
    # procedure only, and one that only asks under this one
    other_procedure = make_authority("AT", name="Bundesministerium")
    grant(other_procedure, ["responder"], procedure="pq_diploma_authenticity")
    asking_only = make_authority("AT", name="Landesregierung")
    grant(asking_only, ["requester"])
    item, handler = _sent(app, people)
    url = f"/requests/{item.id}/split"
    berlin, paris = people.authorities["berlin"], people.authorities["paris"]
    events, questions = len(item.events), [q.id for q in item.questions]

    for authority in (berlin, paris, other_procedure, asking_only):
        # When the handler posts a split to it
        data = {
            "country": authority.country,
            "split-questions": [questions[-1]],
            "split-authority": authority.id,
            "split-text": "Sanctions are kept there.",
        }
        response = submit(handler, f"{url}?country={authority.country}", url, data)

        # Then it is refused in the handler's words, the reason typed kept
        assert response.status_code == 400, authority.name
        page = response.get_data(True)
        with force_locale("fr"):
            assert str(escape(str(REFUSALS["responder"]))) in page
        assert "Sanctions are kept there.</textarea>" in page

    # And nothing changed
    db.session.expire_all()
    item = db.session.get(Request, item.id)
    assert [q.id for q in item.questions] == questions and len(item.events) == events
    assert db.session.query(Request).count() == 1


def test_the_split_page_runs_the_same_statements_however_many_answer_elsewhere(app, people):
    # Given a request Berlin sent to Paris, whose handler chooses Austria on its split
    # page, while 3 Spanish authorities answer the procedure
    item, handler = _sent(app, people)
    url = f"/requests/{item.id}/split?country=AT"
    names = [f"Colegio de Médicos {n}" for n in range(30)]
    for name in names[:3]:
        grant(make_authority("ES", name=name), ["responder"])
    handler.get(url)  # warm: what the first visit looks up once is kept
    few = statements_of(handler, url)

    # When 27 more Spanish authorities come to answer it
    for name in names[3:]:
        grant(make_authority("ES", name=name), ["responder"])
    many = statements_of(handler, url)
    page = handler.get(url).get_data(True)

    # Then the page runs as many statements, names none of them and offers Vienna
    assert len(many) == len(few), (few, many)
    assert not [name for name in names if name in page]
    assert _options(page, "split-authority") == ["Österreichische Ärztekammer (AT)"]
