"""A request between Berlin and Paris with free text in Greek and Bulgarian, a machine
translation of the Greek, a file, and tools to read the PDFs the app produces."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.extensions import db
from app.models import JobStatus, Request, RequestEvent, Translation, TranslationJob
from app.translation.texts import fingerprint
from tests.web.requests.conftest import as_user, compose, only_request, people, submit  # noqa: F401

GREEK = "Ελληνικό κείμενο για τον έλεγχο της άδειας άσκησης επαγγέλματος."
BULGARIAN = "Български текст: моля, потвърдете регистрацията."
MACHINE = "Greek text about checking the licence to practise (machine)."
# An audit code: an object type, a dot, a word ("request.viewed", "case.proof_viewed").
CODE = re.compile(
    r"\b(?:request|alert|public_case|repository_record|translation|case|retention)\.[a-z_]+\b"
)
TWO_DIGIT_YEAR = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2}\b(?![./]?\d)")


def make_request(app, officers, message: str = GREEK, events=(), requester=None) -> Request:
    """A sent request whose message is `message` (Greek) and with extra timeline events
    (text, language), as the requester's and responder's actions would leave them.
    `requester`: the requester's signed-in client (one sign-in per user and test: a
    TOTP code is accepted once)."""
    requester = requester or as_user(app, officers.requester)
    paris = officers.authorities["paris"]
    compose(requester, paris.id, message=message)
    item = only_request()
    submit(requester, f"/requests/{item.id}", f"/requests/{item.id}/send", {})
    db.session.refresh(item)
    item.message, item.language = message, "el"
    for text, language in events:
        db.session.add(
            RequestEvent(
                request_id=item.id,
                kind="info_given",
                authority_id=paris.id,
                text=text,
                language=language,
            )
        )
    db.session.commit()
    return item


def add_machine_translation(item: Request, text: str = MACHINE, target: str = "en") -> None:
    translation = Translation(
        source_hash=fingerprint(item.message),
        source_language=item.language,
        target_language=target,
        engine="apertium",
        text=text,
    )
    db.session.add(translation)
    db.session.flush()
    db.session.add(
        TranslationJob(
            kind="request",
            object_id=item.id,
            source_hash=fingerprint(item.message),
            source_language=item.language,
            target_language=target,
            status=JobStatus.DONE,
            engine="apertium",
            translation_id=translation.id,
        )
    )
    db.session.commit()


def read_pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:40]
    return PdfReader(io.BytesIO(data))


def page_texts(reader: PdfReader) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
