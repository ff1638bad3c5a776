"""Translated copies of a public case's documents (SOLVIT, EPC), on the officers' side,
through HTTP with a LibreTranslate peer (jobs in-process): asked for on the case page,
made, downloaded as the document is, every read audited as the document's; who may ask
and who may read, as tables; the submitter neither asks nor sees copies; the copies go
with their documents.

The officers are those of tests/web/public/test_who_may_act.py, written from the domain:
only the authority a case was routed to sees it; its handlers and allocators act on it
and so may ask; its viewer and its administrator without a case role read only.
"""

from __future__ import annotations

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from app.cases import attachments, public
from app.extensions import db
from app.models import AuditEvent, JobStatus, PublicCase, PublicDocument, TranslatedFile
from app.models import PublicCaseState as S
from app.records import retention
from tests.factories import csrf_token
from tests.web.public.test_who_may_act import SIDES, _Upload, case_in
from tests.web.public.test_who_may_act import world as world  # the fixture
from tests.web.requests.conftest import as_user
from tests.web.retention.test_blocking import CLOSED, close
from tests.web.translations.test_translated_files import libre as libre  # the fixture
from tests.web.translations.test_translated_files import read_copy

POLISH = "Mój dyplom pielęgniarki nie został uznany w terminie.\n"


def _case(world, state=S.IN_PROGRESS) -> tuple[PublicCase, PublicDocument, str]:
    """A complaint in Polish routed to Lyon with the submitter's text document, moved to
    `state` by Lyon's handler; with the submitter's private link's token."""
    case, token = case_in(world, state, "pl", ("dyplom.txt", POLISH.encode()))
    return case, case.documents[0], token


def _url(case, document) -> str:
    return f"/translations/files/public_case/{case.id}/{document.id}/translations"


def _ask(client, case, document, token=None, **fields):
    token = token or csrf_token(client.get("/public-cases"))
    data = {"csrf_token": token, "source": "pl", "target": "fr", **fields}
    return client.post(_url(case, document), data=data)


def _count(model=TranslatedFile) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _requested() -> int:
    asked = AuditEvent.action == "translation.request"
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(asked))


def test_an_officer_asks_for_a_copy_on_the_case_page_and_reads_it(app, world, libre):
    case, document, token = _case(world)
    handler = as_user(app, world.users["routed handler"])
    page = handler.get(f"/public-cases/{case.id}").get_data(as_text=True)
    assert "Translate this file into English" in page

    response = _ask(handler, case, document, target="en")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/public-cases/{case.id}#file-public_case-{document.id}"
    )
    copy = db.session.scalars(select(TranslatedFile)).one()
    assert (copy.kind, copy.status) == ("public_case", JobStatus.DONE)
    assert copy.filename == "dyplom (en).txt"
    page = handler.get(f"/public-cases/{case.id}").get_data(as_text=True)
    assert "dyplom (en).txt" in page and "Machine translation" in page

    download = handler.get(f"{_url(case, document)}/{copy.id}")
    assert download.status_code == 200 and download.data.decode().startswith("[en] Mój")
    # audited as the document's own download is
    (read,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "public_case.document_downloaded")
    )
    assert (read.object_id, read.details["document"]) == (str(case.id), document.id)
    assert read.details["translated_copy"] == copy.id

    # the submitter reads their documents through their link, and no copy there
    citizen = app.test_client()
    tracking = citizen.get(f"/public/case/{token}").get_data(as_text=True)
    assert "dyplom.txt" in tracking and "dyplom (en).txt" not in tracking
    assert "Translate" not in tracking


def test_the_officers_own_document_is_offered_into_the_submitters_language(app, world, libre):
    case, _document, _token = _case(world)
    handler = as_user(app, world.users["routed handler"])
    public.act(
        world.mover, case, "reply", "Voir la décision.", [_Upload("decision.txt", b"Decision.\n")]
    )
    letter = db.session.scalars(
        select(PublicDocument).where(PublicDocument.uploaded_by_id.is_not(None))
    ).one()
    page = handler.get(f"/public-cases/{case.id}").get_data(as_text=True)
    # its language is not known: no one-button copy, the choice of languages instead
    assert page.count("Translate this file into English") == 1  # the submitter's only
    assert page.count("Translate into another language") == 2
    form = handler.get(_url(case, letter)).get_data(as_text=True)
    assert '<option selected value="pl">' in form  # into the submitter's language


# Who may ask: the officers who act on the case (handlers, allocators of the authority it
# was routed to); a viewer never (403); an administrator without a case role reads only
# (403); every other officer does not find the document (404); nor does the submitter,
# whose session is the public interface's. The same once the case is closed.
ASK = {
    "routed handler": 303,
    "routed allocator": 303,
    "routed viewer": 403,
    "routed admin": 403,
    "same-country authority": 404,
    "foreign authority": 404,
    "national coordinator": 404,
    "commission": 404,
}


def test_the_ask_table_covers_every_officer():
    assert set(ASK) == set(SIDES)


@pytest.mark.parametrize("state", [S.IN_PROGRESS, S.CLOSED])
@pytest.mark.parametrize(("who", "expected"), ASK.items())
def test_who_may_ask_for_a_copy_of_a_document(app, world, libre, who, expected, state):
    case, document, _token = _case(world, state)
    client = as_user(app, world.users[who])
    audits = _requested()
    assert _ask(client, case, document).status_code == expected
    assert (_count(), _requested() - audits) == ((1, 1) if expected == 303 else (0, 0))
    page = client.get(f"/public-cases/{case.id}").get_data(as_text=True)
    assert ("Translate into another language" in page) == (expected == 303)


def test_the_submitter_cannot_ask(app, world, libre):
    case, document, token = _case(world)
    citizen = app.test_client()
    page = citizen.get(f"/public/case/{token}")
    response = citizen.post(
        _url(case, document), data={"csrf_token": csrf_token(page), "source": "pl", "target": "fr"}
    )
    # a session of the public interface reaches no officers' route (as if it were not there)
    assert response.status_code == 404 and _count() == 0


# Who may read a copy: whoever reads the document on the officers' side.
READ = {
    "routed handler": 200,
    "routed allocator": 200,
    "routed viewer": 200,
    "routed admin": 200,
    "same-country authority": 404,
    "foreign authority": 404,
    "national coordinator": 404,
    "commission": 404,
}


@pytest.mark.parametrize(("who", "expected"), READ.items())
def test_who_may_read_a_copy_of_a_document(app, world, libre, who, expected):
    case, document, _token = _case(world)
    _ask(as_user(app, world.users["routed handler"]), case, document)
    copy = db.session.scalars(select(TranslatedFile)).one()
    client = as_user(app, world.users[who])
    audited = ["public_case.document_downloaded", "translation.viewed"]
    refused = ["public_case.denied"] * 2
    expected_reads = ([200, 200], audited) if expected == 200 else ([404, 404], refused)
    assert read_copy(client, _url(case, document), copy.id) == expected_reads


def test_erasure_takes_the_copies_of_a_public_case(app, world, libre):
    case, document, _token = _case(world)
    _ask(as_user(app, world.users["routed handler"]), case, document)
    stored = attachments.path_for(db.session.scalars(select(TranslatedFile)).one().storage_name)
    close(case)
    retention.run(as_of=CLOSED + relativedelta(months=6, hours=2))
    assert stored.exists() and _count() == 1  # blocked: kept with its document
    retention.run(as_of=CLOSED + relativedelta(years=3))
    assert _count() == 0
    assert db.session.scalars(select(PublicDocument).filter_by(case_id=case.id)).all() == []
    assert not stored.exists()
    assert db.session.get(PublicCase, case.id).erased_at is not None


def test_a_copy_is_read_only_through_its_own_document(app, world, libre):
    case, document, _token = _case(world)
    handler = as_user(app, world.users["routed handler"])
    _ask(handler, case, document)
    copy = db.session.scalars(select(TranslatedFile)).one()
    other, other_document, _token = _case(world)
    assert handler.get(f"{_url(other, other_document)}/{copy.id}").status_code == 404
    # a request's file of the same number is no public case's document
    crossed = f"/translations/files/request/{case.id}/{document.id}/translations/{copy.id}"
    assert handler.get(crossed).status_code == 404
