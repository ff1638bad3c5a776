"""eTranslation's asynchronous round trip over real sockets: the app submits with
callback addresses, the peer posts the translation back to the running app; callbacks
are authenticated, idempotent, and refused for references never given out."""

from __future__ import annotations

import time

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.models import JobStatus, Translation, TranslationJob
from tests.factories import csrf_token
from tests.mt_peers import AppServer, FakeETranslation
from tests.web.requests.conftest import as_user, compose, only_request

SECRET = "c" * 40
POLISH = "Czy dyplom tej pielęgniarki jest autentyczny i nadal ważny? Proszę o potwierdzenie."


@pytest.fixture
def etranslation(app, use_mt):
    peer = FakeETranslation().start()
    server = AppServer(app)
    use_mt(
        "etranslation",
        ETRANSLATION_URL=f"{peer.url}/etranslation/si/translate",
        ETRANSLATION_APPLICATION=peer.application,
        ETRANSLATION_PASSWORD=peer.password,
        ETRANSLATION_CALLBACK_SECRET=SECRET,
        PUBLIC_URL=server.url,
    )
    yield peer, server
    server.stop()
    peer.stop()


@pytest.fixture
def polish_request(app, people):
    people.handler.language = "en"
    db.session.commit()
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id, message=POLISH)
    item = only_request()
    assert item.language == "pl"
    return item


def _wait_for(job_id: int, status: JobStatus, seconds: float = 10) -> TranslationJob:
    deadline = time.monotonic() + seconds
    while True:
        db.session.expire_all()
        job = db.session.get(TranslationJob, job_id)
        if job.status == status or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def _ask(client, item):
    page = client.get(f"/requests/{item.id}")
    return client.post(
        f"/translations/request/{item.id}",
        data={"csrf_token": csrf_token(page)},
        headers={"HX-Request": "true"},
    )


def test_the_translation_comes_back_by_callback(app, people, polish_request, etranslation):
    peer, server = etranslation
    handler = as_user(app, people.handler)
    response = _ask(handler, polish_request)
    body = response.get_data(as_text=True)
    # submitted: the block polls until the callback has come
    assert "Translating into English" in body and "data-hx-get=" in body
    (sent,) = peer.calls
    assert sent["requesterCallback"] == f"{server.url}/mt/etranslation/{SECRET}/done"
    assert sent["sourceLanguage"] == "PL" and sent["targetLanguages"] == ["EN"]

    job = _wait_for(db.session.scalars(select(TranslationJob.id)).one(), JobStatus.DONE)
    assert job.status == JobStatus.DONE and job.translation.engine == "etranslation"
    assert [r.status_code for r in peer.callbacks] == [204]
    poll = handler.get(f"/translations/request/{polish_request.id}", headers={"HX-Request": "true"})
    assert f"[en] {POLISH}" in poll.get_data(as_text=True)
    assert "data-hx-get=" not in poll.get_data(as_text=True)  # the poller stops

    # the same callback again changes nothing
    form = {
        "request-id": "1001",
        "target-language": "EN",
        "translated-text": "something else",
        "external-reference": sent["externalReference"],
    }
    again = requests.post(f"{server.url}/mt/etranslation/{SECRET}/done", data=form, timeout=5)
    assert again.status_code == 204
    assert db.session.scalar(select(func.count()).select_from(Translation)) == 1
    db.session.expire_all()
    assert db.session.scalars(select(Translation.text)).one() == f"[en] {POLISH}"


def test_forged_or_unknown_callbacks_are_refused(app, people, polish_request, etranslation):
    peer, server = etranslation
    form = {"target-language": "EN", "translated-text": "<b>forged</b>"}
    unknown = requests.post(
        f"{server.url}/mt/etranslation/{SECRET}/done",
        data={**form, "external-reference": "never-given-out.0"},
        timeout=5,
    )
    assert unknown.status_code == 404
    handler = as_user(app, people.handler)
    _ask(handler, polish_request)
    reference = peer.calls[0]["externalReference"]
    _wait_for(db.session.scalars(select(TranslationJob.id)).one(), JobStatus.DONE)
    wrong_secret = requests.post(
        f"{server.url}/mt/etranslation/{'x' * 40}/done",
        data={**form, "external-reference": reference},
        timeout=5,
    )
    assert wrong_secret.status_code == 404
    assert "forged" not in db.session.scalars(select(Translation.text)).one()


def test_a_long_text_goes_in_pieces_and_comes_back_whole(app, people, etranslation):
    peer, _server = etranslation
    people.handler.language = "en"
    db.session.commit()
    long_text = (POLISH + "\n\n") * 70  # about 6,000 characters: two pieces
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id, message=long_text)
    item = only_request()
    handler = as_user(app, people.handler)
    _ask(handler, item)
    assert len(peer.calls) == 2 and all(len(c["textToTranslate"]) <= 5000 for c in peer.calls)
    job = _wait_for(db.session.scalars(select(TranslationJob.id)).one(), JobStatus.DONE)
    assert job.status == JobStatus.DONE
    assert job.translation.text.count("[en] ") == 2
    assert job.translation.text.replace("[en] ", "") == long_text.strip()


def test_an_error_callback_fails_the_job_visibly(app, people, polish_request, etranslation):
    peer, _server = etranslation
    peer.mode = "error"
    handler = as_user(app, people.handler)
    _ask(handler, polish_request)
    job = _wait_for(db.session.scalars(select(TranslationJob.id)).one(), JobStatus.FAILED)
    assert job.status == JobStatus.FAILED and job.error == "rejected"
    page = handler.get(f"/requests/{polish_request.id}").get_data(as_text=True)
    assert "The translation service could not translate this text." in page
    assert POLISH in page


def test_known_terms_come_back_official_where_the_engine_kept_its_rendering(
    app, people, etranslation
):
    # eTranslation's snippets are plain text: each glossary term found goes out as a
    # snippet of its own, and its rendering is replaced where the translation holds it
    peer, _server = etranslation
    people.handler.language = "en"
    db.session.commit()
    message = "Właściwy organ potwierdza, że dane osobowe kandydatki są załączone do wniosku."
    compose(as_user(app, people.requester), people.authorities["paris"].id, message=message)
    item = only_request()
    assert item.language == "pl"

    _ask(as_user(app, people.handler), item)
    job = _wait_for(db.session.scalars(select(TranslationJob.id)).one(), JobStatus.DONE)

    sent = sorted(peer.calls, key=lambda c: c["externalReference"])
    assert [c["textToTranslate"] for c in sent] == [message, "właściwy organ", "dane osobowe"]
    assert [c["externalReference"].rsplit(".", 1)[1] for c in sent] == ["0", "1", "2"]
    # the peer renders "właściwy organ" alone as "[en] właściwy organ", which its
    # translation holds (at the start); "[en] dane osobowe" it does not: left as it came
    assert job.translation.text == (
        "Competent authority potwierdza, że dane osobowe kandydatki są załączone do wniosku."
    )
