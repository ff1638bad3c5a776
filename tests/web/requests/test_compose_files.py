"""Files attached while composing a request: sent with it in one POST; held and listed when
the form comes back with an error, so the officer need not choose them again; a refused
file is named on its input and nothing else typed is lost; the country filter stores
none."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask_babel import force_locale

from app.blueprints.requests.page import REFUSALS
from app.extensions import db
from app.models import Attachment, AuditEvent, Request, RequestState
from tests.factories import summary_links
from tests.web.requests.conftest import PROCEDURE, as_user, compose, only_request, submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 60
PAGE = f"/requests/new?procedure={PROCEDURE}"


def pdf(name: str = "diploma.pdf"):
    return (io.BytesIO(PDF), name)


def held_token(page: str) -> str:
    return re.search(r'name="held" value="([^"]*)"', page).group(1)


def held_folder(app) -> set[Path]:
    """The files held now (the folder is the worker's: compare before and after)."""
    folder = Path(app.config["UPLOAD_DIR"]) / "held"
    return set(folder.iterdir()) if folder.is_dir() else set()


def test_a_file_chosen_while_composing_is_sent_with_the_request(app, people):
    requester = as_user(app, people.requester)
    before = held_folder(app)
    response = compose(requester, people.authorities["paris"].id, files=[pdf()])
    assert response.status_code == 302
    item = only_request()
    assert item.state == RequestState.SENT
    attachment = db.session.query(Attachment).one()
    assert (attachment.request_id, attachment.filename) == (item.id, "diploma.pdf")
    # audited and on the timeline as a file added on the case page is
    audit = db.session.query(AuditEvent).filter_by(action="request.attachment_added").one()
    assert audit.details["sha256"] == attachment.sha256
    assert "attachment" in [e.kind for e in item.events]
    assert held_folder(app) == before
    url = f"/requests/{item.id}/attachments/{attachment.id}"
    assert as_user(app, people.handler).get(url).data == PDF
    assert as_user(app, people.italian).get(url).status_code == 404


def test_a_form_error_keeps_the_file_and_the_text_then_sends_with_it(app, people):
    requester = as_user(app, people.requester)
    paris = people.authorities["paris"].id
    before = held_folder(app)
    response = compose(requester, paris, subject="", files=[pdf()])
    assert response.status_code == 400
    page = response.get_data(True)
    assert "diploma.pdf" in page and "Bitte bestätigen Sie die Berufszulassung." in page
    assert 'id="files-held"' in page  # listed as already attached
    assert db.session.query(Request).count() == 0 and db.session.query(Attachment).count() == 0
    # the corrected form, with the held file and no new one, sends it
    response = compose(requester, paris, held=held_token(page))
    assert response.status_code == 302
    assert [a.filename for a in only_request().attachments] == ["diploma.pdf"]
    assert only_request().state == RequestState.SENT and held_folder(app) == before


def test_a_refused_file_is_named_on_its_input_and_nothing_else_is_lost(app, people):
    requester = as_user(app, people.requester)
    paris = people.authorities["paris"].id
    before = held_folder(app)
    response = compose(requester, paris, files=[(io.BytesIO(EXE), "cv.pdf"), pdf()])
    assert response.status_code == 400
    page = response.get_data(True)
    with force_locale("de"):
        refused = str(REFUSALS["type"])
    assert summary_links(page) == [("files", refused)]
    assert 'aria-describedby="files-hint files-error"' in page
    assert 'value="Dr. Marie Dupont, born 1980-04-02"' in page
    assert "diploma.pdf" in page and "cv.pdf" not in page  # the good file is held
    assert db.session.query(Request).count() == 0
    # the officer ticks the held file off and sends: the request goes without it
    token = held_token(page)
    unhold = re.search(r'name="unhold" value="([0-9a-f]+)"', page).group(1)
    response = compose(requester, paris, held=token, unhold=unhold)
    assert response.status_code == 302
    assert only_request().attachments == [] and held_folder(app) == before


def test_held_files_are_their_officers_only(app, people):
    requester = as_user(app, people.requester)
    paris = people.authorities["paris"].id
    page = compose(requester, paris, subject="", files=[pdf()]).get_data(True)
    colleague = as_user(app, people.italian)
    response = compose(colleague, paris, held=held_token(page))
    assert response.status_code == 302
    assert db.session.query(Attachment).count() == 0


def test_the_filter_stores_no_file(app, people):
    requester = as_user(app, people.requester)
    before = held_folder(app)
    data = {"procedure": PROCEDURE, "country": "FR", "filter": "1", "files": [pdf()]}
    response = submit(requester, PAGE, "/requests/new", data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert held_folder(app) == before and db.session.query(Attachment).count() == 0
    assert 'enctype="multipart/form-data"' in requester.get(PAGE).get_data(True)
    # files held after an error stay listed through a filter
    page = compose(requester, 0, subject="", files=[pdf()]).get_data(True)
    data = {"procedure": PROCEDURE, "country": "AT", "filter": "1", "held": held_token(page)}
    response = submit(requester, PAGE, "/requests/new", data)
    assert response.status_code == 200 and "diploma.pdf" in response.get_data(True)


def test_a_draft_lists_its_files_and_takes_more(app, people):
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id, send=False, files=[pdf("a.pdf")])
    item = only_request()
    url = f"/requests/{item.id}/edit"
    page = requester.get(url).get_data(True)
    assert "a.pdf" in page
    data = {
        "procedure": PROCEDURE,
        "responder": item.responder_authority_id,
        "subject": item.subject,
        "questions": [q.question_key for q in item.questions],
        "save": "1",
        "files": [pdf("b.pdf")],
    }
    response = submit(requester, url, url, data, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(item)
    assert sorted(a.filename for a in item.attachments) == ["a.pdf", "b.pdf"]
