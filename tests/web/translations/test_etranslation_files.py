"""eTranslation's document round trip over real sockets: the app submits the file with
its HTTP destination, the peer posts the translated file back to the running app; the
callbacks are authenticated, idempotent, and refused for references never given out."""

from __future__ import annotations

import time

import requests
from sqlalchemy import select

from app.cases import attachments
from app.extensions import db
from app.models import JobStatus, TranslatedFile
from tests.web.translations import test_etranslation as text_callbacks
from tests.web.translations.test_translated_files import _ask, _url, _with_file

SECRET = text_callbacks.SECRET
etranslation = text_callbacks.etranslation  # the peer and the app on a socket


def _wait_for(status: JobStatus, seconds: float = 10) -> TranslatedFile:
    deadline = time.monotonic() + seconds
    while True:
        db.session.expire_all()
        copy = db.session.scalars(select(TranslatedFile)).one()
        if copy.status == status or time.monotonic() > deadline:
            return copy
        time.sleep(0.1)


def test_the_translated_file_comes_back_to_its_destination(app, people, etranslation):
    peer, server = etranslation
    item, attachment = _with_file(app, people)
    from tests.web.requests.conftest import as_user

    handler = as_user(app, people.handler)
    body = _ask(handler, item, attachment, htmx=True).get_data(as_text=True)
    # submitted: the block polls until the file has come
    assert "Translating into French" in body and "data-hx-get=" in body
    (sent,) = peer.calls
    done = f"{server.url}/mt/etranslation/{SECRET}/file-done"
    assert sent["destinations"] == {"httpDestinations": [done]}
    assert sent["errorCallback"] == f"{server.url}/mt/etranslation/{SECRET}/file-error"

    copy = _wait_for(JobStatus.DONE)
    assert copy.engine == "etranslation" and [r.status_code for r in peer.callbacks] == [204]
    first = attachments.path_for(copy.storage_name).read_text()
    assert first.startswith("[fr] Die Approbation ist gültig.")
    poll = handler.get(_url(item, attachment), headers={"HX-Request": "true"})
    assert "Bescheinigung (fr).txt" in poll.get_data(as_text=True)

    # the same file again changes nothing; a reference never given out is refused
    form = {"request-id": "1001", "target-language": "FR"}
    again = requests.post(
        done,
        data={**form, "external-reference": sent["externalReference"]},
        files={"file": ("x.txt", b"something else")},
        timeout=5,
    )
    assert again.status_code == 204
    db.session.expire_all()
    assert attachments.path_for(_wait_for(JobStatus.DONE).storage_name).read_text() == first
    unknown = requests.post(
        done, data={**form, "external-reference": "never"}, files={"file": ("x", b"x")}, timeout=5
    )
    forged = requests.post(
        f"{server.url}/mt/etranslation/{'x' * 40}/file-done",
        data={**form, "external-reference": sent["externalReference"]},
        timeout=5,
    )
    assert (unknown.status_code, forged.status_code) == (404, 404)


def test_an_error_callback_fails_the_copy_and_it_can_be_asked_again(app, people, etranslation):
    peer, _server = etranslation
    peer.mode = "error"
    item, attachment = _with_file(app, people)
    from tests.web.requests.conftest import as_user

    handler = as_user(app, people.handler)
    _ask(handler, item, attachment)
    copy = _wait_for(JobStatus.FAILED)
    assert (copy.status, copy.error) == (JobStatus.FAILED, "rejected")
    page = handler.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "could not translate this file" in page
    peer.mode = "ok"
    _ask(handler, item, attachment)
    assert _wait_for(JobStatus.DONE).status == JobStatus.DONE
