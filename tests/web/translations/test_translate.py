"""Free text in the reader's language, through the web: ask, see it labelled with the
original one click away, correct it; engines that cannot or will not translate; who may
see what. The engine is the real Apertium server (Spanish <-> English is a Debian pair)
or a local peer speaking LibreTranslate's API."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import JobStatus, Request, Translation, TranslationCorrection, TranslationJob
from tests.factories import csrf_token
from tests.mt_peers import FakeLibreTranslate
from tests.web.requests.conftest import as_user, compose, only_request

SPANISH = "¿Puede confirmar que el título de esta enfermera es auténtico y que sigue vigente?"


@pytest.fixture
def libre():
    peer = FakeLibreTranslate().start()
    yield peer
    peer.stop()


@pytest.fixture
def requester(app, people):
    return as_user(app, people.requester)


@pytest.fixture
def spanish_request(app, people, requester):
    """The German requester writes her message in Spanish; the French handler reads
    the interface in English."""
    people.handler.language = "en"
    db.session.commit()
    paris = people.authorities["paris"]
    assert compose(requester, paris.id, message=SPANISH).status_code == 302
    return only_request()


def block(response, kind: str, object_id: int) -> str:
    match = re.search(
        rf'<div class="free-text-block" id="text-{kind}-{object_id}".*?</div>\s*(?=<|$)',
        response.get_data(as_text=True),
        re.S,
    )
    assert match, f"no text block for {kind} {object_id}"
    return match.group(0)


def ask(client, item, kind="request", object_id=None, **headers):
    page = client.get(f"/requests/{item.id}")
    url = f"/translations/{kind}/{object_id or item.id}"
    return client.post(url, data={"csrf_token": csrf_token(page)}, headers=headers)


def test_the_writer_language_is_detected_from_the_text(spanish_request):
    # the requester's interface is German; what she wrote is Spanish
    assert spanish_request.language == "es"


def test_translate_on_demand_with_apertium(app, people, spanish_request, apertium_url, use_mt):
    use_mt("apertium", APERTIUM_URL=apertium_url)
    handler = as_user(app, people.handler)
    page = handler.get(f"/requests/{spanish_request.id}")
    shown = block(page, "request", spanish_request.id)
    assert SPANISH in shown and 'lang="es"' in shown
    assert "Translate into English" in shown

    # Without JS: the form posts, the job runs (in-process here), back to the case
    response = ask(handler, spanish_request)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/requests/{spanish_request.id}#text-request-{spanish_request.id}"
    )
    shown = block(handler.get(f"/requests/{spanish_request.id}"), "request", spanish_request.id)
    translation = db.session.scalars(select(Translation)).one()
    assert translation.engine == "apertium" and translation.engine_version == "es>en"
    assert "nurse" in translation.text.lower()
    assert translation.text in shown or translation.text.replace("'", "&#39;") in shown
    assert "Machine translation" in shown
    # the original, one click away
    assert "<summary>Show the original (Spanish)</summary>" in shown and SPANISH in shown


def test_the_cache_answers_the_same_wording_once(
    app, people, requester, spanish_request, libre, use_mt
):
    use_mt("libretranslate", LIBRETRANSLATE_URL=libre.url, LIBRETRANSLATE_API_KEY=libre.api_key)
    handler = as_user(app, people.handler)
    ask(handler, spanish_request)
    # the same wording in a second request: no second call to the engine
    compose(requester, people.authorities["paris"].id, message=SPANISH)
    second = db.session.scalars(select(Request).order_by(Request.id.desc())).first()
    assert second.id != spanish_request.id
    ask(handler, second)
    assert len(libre.calls) == 1
    assert db.session.scalar(select(func.count()).select_from(Translation)) == 1
    jobs = db.session.scalars(select(TranslationJob).order_by(TranslationJob.id)).all()
    assert [(j.object_id, j.status) for j in jobs] == [
        (spanish_request.id, JobStatus.DONE),
        (second.id, JobStatus.DONE),
    ]
    assert jobs[0].translation_id == jobs[1].translation_id


def test_htmx_gets_only_the_text_block(app, people, spanish_request, libre, use_mt):
    use_mt("libretranslate", LIBRETRANSLATE_URL=libre.url, LIBRETRANSLATE_API_KEY=libre.api_key)
    handler = as_user(app, people.handler)
    response = ask(handler, spanish_request, **{"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div class="free-text-block"')
    assert "<html" not in body and f"[en] {SPANISH}" in body
    assert len(body.encode()) < 3000


def test_libretranslate_carries_the_official_term(app, people, requester, libre, use_mt):
    # a glossary term (Spanish "autoridad competente") comes out as the official English
    # term: held out of LibreTranslate as a tag in its HTML mode
    use_mt("libretranslate", LIBRETRANSLATE_URL=libre.url, LIBRETRANSLATE_API_KEY=libre.api_key)
    people.handler.language = "en"
    db.session.commit()
    message = (
        "¿Puede la autoridad competente confirmar que el título de esta enfermera sigue vigente?"
    )
    compose(requester, people.authorities["paris"].id, message=message)
    item = only_request()
    handler = as_user(app, people.handler)
    ask(handler, item)
    shown = block(handler.get(f"/requests/{item.id}"), "request", item.id)
    assert "[en] ¿Puede la competent authority confirmar que el título" in shown
    assert [call["format"] for call in libre.calls] == ["text", "text", "html"]


def test_translated_text_is_escaped(app, people, spanish_request, libre, use_mt):
    use_mt("libretranslate", LIBRETRANSLATE_URL=libre.url, LIBRETRANSLATE_API_KEY=libre.api_key)
    libre.mode = "hostile"
    handler = as_user(app, people.handler)
    ask(handler, spanish_request)
    page = handler.get(f"/requests/{spanish_request.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page
    assert '<script>alert("mt")' not in page and "<img src=x>" not in page


def test_an_unsupported_pair_says_so_and_keeps_the_original(
    app, people, spanish_request, apertium_url, use_mt
):
    use_mt("apertium", APERTIUM_URL=apertium_url)
    people.handler.language = "pl"  # no Polish in Debian's Apertium pairs
    db.session.commit()
    handler = as_user(app, people.handler)
    ask(handler, spanish_request)
    job = db.session.scalars(select(TranslationJob)).one()
    assert job.status == JobStatus.UNSUPPORTED
    shown = block(handler.get(f"/requests/{spanish_request.id}"), "request", spanish_request.id)
    assert SPANISH in shown
    # (the interface is Polish; this sentence's Polish catalog entry may lag behind)
    assert "hiszpański" in shown and "polski" in shown and 'name="again"' not in shown


def test_an_engine_that_is_down_fails_visibly_then_works_on_retry(
    app, people, spanish_request, apertium_url, use_mt
):
    use_mt("apertium", APERTIUM_URL="http://127.0.0.1:9")
    handler = as_user(app, people.handler)
    response = ask(handler, spanish_request)
    assert response.status_code == 303  # no stack trace, back to the case
    job = db.session.scalars(select(TranslationJob)).one()
    assert job.status == JobStatus.FAILED and job.error == "unavailable"
    shown = block(handler.get(f"/requests/{spanish_request.id}"), "request", spanish_request.id)
    assert "The translation service did not answer." in shown and SPANISH in shown
    assert 'name="again" value="1"' in shown

    # the engine is back: "Try again"
    use_mt("apertium", APERTIUM_URL=apertium_url)
    page = handler.get(f"/requests/{spanish_request.id}")
    handler.post(
        f"/translations/request/{spanish_request.id}",
        data={"csrf_token": csrf_token(page), "again": "1"},
    )
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_a_reader_corrects_the_machine(app, people, requester, spanish_request, libre, use_mt):
    use_mt("libretranslate", LIBRETRANSLATE_URL=libre.url, LIBRETRANSLATE_API_KEY=libre.api_key)
    handler = as_user(app, people.handler)
    ask(handler, spanish_request)
    url = f"/translations/request/{spanish_request.id}/correction"

    # an empty correction is refused with a message, in its form
    page = handler.get(f"/requests/{spanish_request.id}")
    refused = handler.post(url, data={"csrf_token": csrf_token(page), "text": "  "})
    assert refused.status_code == 422
    assert "Write your translation." in refused.get_data(as_text=True)

    better = "Can you confirm that this nurse's diploma is genuine and still valid?"
    response = handler.post(url, data={"csrf_token": csrf_token(page), "text": better})
    assert response.status_code == 303
    shown = block(handler.get(f"/requests/{spanish_request.id}"), "request", spanish_request.id)
    assert "Translated by an officer" in shown and people.handler.full_name in shown
    assert better.replace("'", "&#39;") in shown
    assert "Show the machine translation" in shown and "Show the original (Spanish)" in shown
    correction = db.session.scalars(select(TranslationCorrection)).one()
    assert correction.authority_id == people.authorities["paris"].id

    # the requester, whose language is the original's, sees just the original
    people.requester.language = "es"
    db.session.commit()
    mine = block(requester.get(f"/requests/{spanish_request.id}"), "request", spanish_request.id)
    assert SPANISH in mine and "Translated by an officer" not in mine


def test_a_correction_too_long_keeps_what_was_written(app, people, spanish_request):
    handler = as_user(app, people.handler)
    page = handler.get(f"/requests/{spanish_request.id}")
    text = "x" * 20001
    response = handler.post(
        f"/translations/request/{spanish_request.id}/correction",
        data={"csrf_token": csrf_token(page), "text": text},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Use at most 20000 characters." in body
    assert text in body


def test_no_engine_no_button_but_a_human_translation(app, people, spanish_request, use_mt):
    use_mt("none")
    handler = as_user(app, people.handler)
    shown = block(handler.get(f"/requests/{spanish_request.id}"), "request", spanish_request.id)
    assert "Translate into" not in shown and "Write a translation" in shown
    # and the block says why there is no button
    assert "Machine translation is not available on this system." in shown
    response = ask(handler, spanish_request, **{"HX-Request": "true"})
    assert "Machine translation is not available on this system." in response.get_data(True)
    assert db.session.scalar(select(func.count()).select_from(TranslationJob)) == 0


def test_a_failed_translation_with_the_engine_since_switched_off_says_so(
    app, people, spanish_request, use_mt
):
    # Given a translation that failed while an engine was configured (but down)
    use_mt("apertium", APERTIUM_URL="http://127.0.0.1:9")
    handler = as_user(app, people.handler)
    ask(handler, spanish_request)
    shown = block(handler.get(f"/requests/{spanish_request.id}"), "request", spanish_request.id)
    assert 'name="again"' in shown
    assert "Machine translation is not available on this system." not in shown

    # When machine translation is switched off
    use_mt("none")
    shown = block(handler.get(f"/requests/{spanish_request.id}"), "request", spanish_request.id)

    # Then the block offers no "Try again" that would fail, and says why
    assert 'name="again"' not in shown and SPANISH in shown
    assert "Machine translation is not available on this system." in shown


def test_other_authorities_cannot_read_or_translate(app, people, spanish_request, libre, use_mt):
    use_mt("libretranslate", LIBRETRANSLATE_URL=libre.url, LIBRETRANSLATE_API_KEY=libre.api_key)
    italian = as_user(app, people.italian)
    token = csrf_token(italian.get("/account"))
    base = f"/translations/request/{spanish_request.id}"
    assert italian.get(base).status_code == 404
    assert italian.post(base, data={"csrf_token": token}).status_code == 404
    assert (
        italian.post(f"{base}/correction", data={"csrf_token": token, "text": "x"}).status_code
        == 404
    )
    assert libre.calls == []
    assert db.session.scalar(select(func.count()).select_from(TranslationJob)) == 0


def test_incoming_text_is_translated_for_officers_who_asked(app, people, requester, libre, use_mt):
    use_mt("libretranslate", LIBRETRANSLATE_URL=libre.url, LIBRETRANSLATE_API_KEY=libre.api_key)
    # the French allocator wants incoming text in French, set on the account page
    allocator = as_user(app, people.allocator)
    page = allocator.get("/account")
    response = allocator.post(
        "/account",
        data={
            "csrf_token": csrf_token(page),
            "full_name": people.allocator.full_name,
            "language": "fr",
            "auto_translate": "y",
        },
    )
    assert response.status_code == 302
    db.session.refresh(people.allocator)
    assert people.allocator.auto_translate

    # a request in German arrives at Paris
    compose(requester, people.authorities["paris"].id)
    item = only_request()
    assert item.language == "de"
    # the message, and the "sent" event that carries it on the timeline
    jobs = db.session.scalars(select(TranslationJob).order_by(TranslationJob.id)).all()
    assert [(j.kind, j.target_language, j.status, j.requested_by_id) for j in jobs] == [
        ("request", "fr", JobStatus.DONE, None),
        ("request_event", "fr", JobStatus.DONE, None),
    ]
    shown = block(allocator.get(f"/requests/{item.id}"), "request", item.id)
    assert f"[fr] {item.message}" in shown
