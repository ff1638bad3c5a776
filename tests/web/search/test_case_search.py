"""Officers find their authority's cases by reference, procedure, person and words, in
the original language or a translation; never another authority's."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.cases import search as case_search
from app.extensions import db
from app.models import Request
from tests.factories import csrf_token
from tests.mt_peers import FakeLibreTranslate
from tests.web.requests.conftest import as_user, compose, only_request

GERMAN = "Bitte bestätigen Sie die Approbation von Frau Dr. Müller-Lüdenscheidt."


@pytest.fixture
def requester(app, people):
    return as_user(app, people.requester)


def references(response) -> list[str]:
    return re.findall(r">((?:REQ|ALR|PUB)-[\w-]+)</a>", response.get_data(as_text=True))


def test_find_by_reference_person_and_words_ignoring_case_and_accents(app, people, requester):
    compose(requester, people.authorities["paris"].id, message=GERMAN)
    item = only_request()
    for query in (
        item.reference,
        item.reference.lower(),
        "dupont",  # the person concerned
        "MULLER-LUDENSCHEIDT",  # accents and case ignored
        "approbation bestätigen",  # every word, in any order
    ):
        assert references(requester.get("/search", query_string={"q": query})) == [
            item.reference
        ], query
    assert references(requester.get("/search", query_string={"q": "approbation rossi"})) == []


def test_find_by_procedure_name_in_another_language(app, people, requester):
    compose(requester, people.authorities["paris"].id)
    item = only_request()
    pack = app.extensions["procedures"][item.procedure_key]
    # the procedure's name as a French officer reads it finds it for the German one too
    french_word = max(pack.gettext(pack.name, "fr").split(), key=len)
    found = references(requester.get("/search", query_string={"q": french_word}))
    assert found == [item.reference]


def test_the_responder_finds_it_and_others_do_not(app, people, requester):
    compose(requester, people.authorities["paris"].id, message=GERMAN)
    item = only_request()
    handler = as_user(app, people.handler)
    assert references(handler.get("/search?q=ludenscheidt")) == [item.reference]
    italian = as_user(app, people.italian)
    page = italian.get("/search?q=ludenscheidt")
    assert page.status_code == 200 and references(page) == []
    assert item.reference not in page.get_data(as_text=True)


def test_a_draft_stays_with_its_writer(app, people, requester):
    compose(requester, people.authorities["paris"].id, send=False, message=GERMAN)
    assert len(references(requester.get("/search?q=ludenscheidt"))) == 1
    handler = as_user(app, people.handler)
    assert references(handler.get("/search?q=ludenscheidt")) == []


def test_find_by_words_of_a_translation(app, people, requester, use_mt):
    peer = FakeLibreTranslate().start()
    try:
        use_mt("libretranslate", LIBRETRANSLATE_URL=peer.url, LIBRETRANSLATE_API_KEY=peer.api_key)
        compose(requester, people.authorities["paris"].id, message=GERMAN)
        item = only_request()
        people.handler.language = "en"
        db.session.commit()
        handler = as_user(app, people.handler)
        # before any translation, the English marker of the peer finds nothing
        assert references(handler.get("/search?q=%5Ben%5D")) == []
        page = handler.get(f"/requests/{item.id}")
        handler.post(f"/translations/request/{item.id}", data={"csrf_token": csrf_token(page)})
        assert references(handler.get("/search?q=%5Ben%5D")) == [item.reference]
        # and an officer's corrected translation is searchable too
        handler.post(
            f"/translations/request/{item.id}/correction",
            data={"csrf_token": csrf_token(page), "text": "Please confirm the licence."},
        )
        assert references(handler.get("/search?q=licence")) == [item.reference]
    finally:
        peer.stop()


def test_htmx_gets_the_results_only_and_text_is_escaped(app, people, requester):
    compose(requester, people.authorities["paris"].id)
    response = requester.get(
        "/search", query_string={"q": "<script>x</script>"}, headers={"HX-Request": "true"}
    )
    body = response.get_data(as_text=True)
    assert "<html" not in body and "&lt;script&gt;x&lt;/script&gt;" in body
    assert "<script>x" not in body


def test_reindex_rebuilds_the_search_text(app, people, requester):
    compose(requester, people.authorities["paris"].id, message=GERMAN)
    db.session.execute(Request.__table__.update().values(search_text=""))
    db.session.commit()
    assert references(requester.get("/search?q=ludenscheidt")) == []
    assert case_search.reindex_all() == 1
    assert references(requester.get("/search?q=ludenscheidt")) != []
    assert "ludenscheidt" in db.session.scalars(select(Request.search_text)).one()
