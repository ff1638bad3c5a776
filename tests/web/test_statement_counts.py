"""Case pages run as many SQL statements for a big case as for a small one.

Each test renders a page for a case with a few rows, then again after the case has grown
(timeline events by different officers, free texts in other languages with machine and
corrected translations, files, questions, recipients, officers of the authority), and
counts the statements of the second request of each size (warm caches). A statement per
row -- an N+1 -- makes the counts differ.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections import Counter

import pytest

from app.extensions import db
from app.models import (
    AlertAttachment,
    AlertDissemination,
    AlertEvent,
    AlertRecipient,
    AlertRevision,
    Attachment,
    AuthorityKind,
    JobStatus,
    PublicCaseEvent,
    PublicDocument,
    RepositoryRecordVersion,
    RequestEvent,
    RequestQuestion,
    Translation,
    TranslationCorrection,
    TranslationJob,
)
from app.procedures.store import pinned_pack
from app.reference import COUNTRIES
from app.translation.texts import fingerprint
from tests.factories import make_authority, make_user, statements_of
from tests.web.alerts import conftest as alerts_world
from tests.web.public import conftest as public_world
from tests.web.repositories import conftest as repositories_world
from tests.web.requests import conftest as requests_world
from tests.web.requests.conftest import as_user

LANGUAGES = ("de", "el", "it", "fr")
_serial = itertools.count(1)
# Numbers the texts, so that each language and each kind of translation comes round.
_texts = itertools.count(1)


def _file() -> dict:
    """A file's row (nothing is stored: the pages list files, they do not read them)."""
    return {
        "filename": f"file-{next(_serial)}.pdf",
        "content_type": "application/pdf",
        "size": 1234,
        "sha256": "0" * 64,
        "storage_name": uuid.uuid4().hex,
    }


def _entry(kind: str, event, document, target: str) -> None:
    """A timeline event with its text in the next of LANGUAGES, translated into `target`
    or not (see _translations), and a file."""
    i = next(_texts)
    event.text, event.language = f"Text number {i}", LANGUAGES[i % len(LANGUAGES)]
    db.session.add_all([event, document])
    db.session.flush()
    _translations(kind, event, target, i)


def _translations(kind: str, row, target: str, i: int) -> None:
    """Every other foreign text has a machine translation, every third a correction, and
    some a job still waiting: each branch of the text block is rendered."""
    text, language = row.text, row.language
    if language == target:
        return
    same = {"source_hash": fingerprint(text), "target_language": target}
    job = TranslationJob(
        kind=kind, object_id=row.id, source_language=language, engine="apertium", **same
    )
    if i % 2 == 0:
        job.status = JobStatus.DONE
        job.translation = Translation(
            source_language=language, engine="apertium", text=f"Translated {text}", **same
        )
    db.session.add(job)
    if i % 3 == 0:
        authority = make_authority("FR")
        officer = make_user(authority, ["handler"])
        db.session.add(
            TranslationCorrection(
                kind=kind,
                object_id=row.id,
                text=f"Corrected {text}",
                user_id=officer.id,
                authority_id=authority.id,
                **same,
            )
        )


def _grown(client, url: str, grow, sizes=(2, 12)) -> list[list[str]]:
    """The statements of `url` as the case grows: grow(n) adds n of everything (2, then 12
    more)."""
    runs = []
    for n in sizes:
        grow(n)
        db.session.commit()
        assert client.get(url).status_code == 200  # warm: caches, the session's first read
        runs.append(statements_of(client, url))
    return runs


def _shape(statement: str) -> str:
    """A statement without its IN list, which grows with the rows of a single statement."""
    return re.sub(r"%\(\w+\)s(::\w+)?(, %\(\w+\)s(::\w+)?)+", "...", statement)


def _same_count(runs: list[list[str]], at_most: int) -> None:
    """The big case runs as many statements as the small one (else: the repeated ones),
    and no more than `at_most` (a few above today's count)."""
    few, many = runs
    if len(few) != len(many):
        repeated = Counter(map(_shape, many)) - Counter(map(_shape, few))
        detail = "\n".join(f"{n} x {s[:300]}" for s, n in repeated.most_common(5))
        pytest.fail(f"{len(few)} statements for the small case, {len(many)} for the big:\n{detail}")
    assert len(few) <= at_most, few


# --- requests ------------------------------------------------------------------------------


def _request_case(app, people):
    requester = as_user(app, people.requester)
    requests_world.compose(requester, people.authorities["paris"].id)
    item = requests_world.only_request()
    requests_world.submit(requester, f"/requests/{item.id}", f"/requests/{item.id}/send", {})
    return item


def _grow_request(item, people, target: str):
    paris = people.authorities["paris"]
    pack = pinned_pack(item.procedure_key, item.pack_version)
    pack_questions = [(qs.key, q.key) for qs in pack.question_sets for q in qs.questions]

    def grow(n: int) -> None:
        db.session.refresh(item)
        taken = {q.question_key for q in item.questions}
        free = [(s, q) for s, q in pack_questions if q not in taken]
        for position, (set_key, key) in enumerate(free[: n // 2], start=len(taken)):
            db.session.add(
                RequestQuestion(
                    request_id=item.id, set_key=set_key, question_key=key, position=position
                )
            )
        for _ in range(n):
            # an officer of its own: the authority grows, and every event has another author
            officer = make_user(paris, ["handler"])
            _entry(
                "request_event",
                RequestEvent(
                    request_id=item.id,
                    kind="info_given",
                    user_id=officer.id,
                    authority_id=make_authority("FR").id,
                ),
                Attachment(
                    request_id=item.id, uploaded_by_id=officer.id, authority_id=paris.id, **_file()
                ),
                target,
            )

    return grow


@pytest.fixture
def request_people(app):
    return requests_world.people.__wrapped__(app)


def test_a_request_case_page_runs_as_many_statements_for_a_big_case(app, request_people):
    # Given a sent request that grows: events by other officers of other authorities, in
    # other languages, translated or not; files; questions; handlers the allocator may pick
    people = request_people
    item = _request_case(app, people)
    allocator = as_user(app, people.allocator)
    runs = _grown(
        allocator, f"/requests/{item.id}", _grow_request(item, people, people.allocator.language)
    )

    # Then its page runs as many statements for 14 of each as for 2
    _same_count(runs, at_most=26)  # 22 today; 42 before, and 94 for 14 of each


@pytest.mark.parametrize("query", ["", "?audit=1"])  # without, then with the audit annex
def test_a_request_pdf_runs_as_many_statements_for_a_big_case(
    app, request_people, monkeypatch, query
):
    from app.records import pdf, pdf_render

    # Given a request that grows, exported inline (WeasyPrint left out: only the
    # database work of the export is counted)
    monkeypatch.setattr(pdf, "INLINE_MAX_EVENTS", 1000)
    monkeypatch.setattr(
        pdf_render, "render", lambda html, page_css="": b"%PDF-1.7 " + html.encode()
    )
    people = request_people
    item = _request_case(app, people)
    allocator = as_user(app, people.allocator)
    runs = _grown(
        allocator,
        f"/pdf/request/{item.id}{query}",
        _grow_request(item, people, people.allocator.language),
    )

    # Then its PDF costs as many statements for 14 of each as for 2
    _same_count(runs, at_most=26)  # 20 today without the annex, 22 with it


# --- alerts --------------------------------------------------------------------------------


@pytest.fixture
def alert_people(app):
    return alerts_world.people.__wrapped__(app)


def _grow_alert(item, target: str):
    def grow(n: int) -> None:
        db.session.refresh(item)
        taken = {r.country for r in item.recipients}
        for country in [c for c in COUNTRIES if c not in taken and c != "DE"][:n]:
            coordinator = make_authority(country, kind=AuthorityKind.NATIONAL_COORDINATOR)
            recipient = AlertRecipient(
                alert_id=item.id, country=country, coordinator_authority_id=coordinator.id
            )
            db.session.add(recipient)
            db.session.flush()
            db.session.add(
                AlertDissemination(
                    recipient_id=recipient.id,
                    alert_id=item.id,
                    authority_id=make_authority(country).id,
                )
            )
        for _ in range(n):
            authority = make_authority("FR")
            officer = make_user(authority, ["alert_handler"])
            _entry(
                "alert_event",
                AlertEvent(
                    alert_id=item.id, kind="comment", user_id=officer.id, authority_id=authority.id
                ),
                AlertAttachment(
                    alert_id=item.id,
                    uploaded_by_id=officer.id,
                    authority_id=authority.id,
                    **_file(),
                ),
                target,
            )
            item.revision += 1
            db.session.add(
                AlertRevision(
                    alert_id=item.id,
                    number=item.revision,
                    fields=item.fields,
                    message=item.message,
                    changed_keys=["message"],
                )
            )

    return grow


def test_an_alert_case_page_runs_as_many_statements_for_a_big_alert(app, alert_people):
    # Given a sent alert that grows: recipients, disseminations, comments, files, versions
    people = alert_people
    sender = alerts_world.as_user(app, people.sender)
    assert alerts_world.compose(sender).status_code == 302
    item = alerts_world.only_alert()
    assert item.state.value == "sent"

    # Then its sender's page runs as many statements for 14 of each as for 2
    runs = _grown(sender, f"/alerts/{item.id}", _grow_alert(item, people.sender.language))
    _same_count(runs, at_most=24)  # 20 today; 34 before, and 90 for 14 of each


# --- public cases --------------------------------------------------------------------------


@pytest.fixture
def public_people(app):
    return public_world.people.__wrapped__(app)


def _public_case(people):
    from app.cases import public

    case = public.submit(
        public.Submission(
            procedure_key=public_world.PROCEDURE,
            country="FR",
            name="Jan Kowalski",
            email=public_world.EMAIL,
            language="pl",
            details={"applicant_type": "citizen", "court_action": "no"},
            description="Mój dyplom pielęgniarki nie został uznany w terminie.",
            files=[],
        )
    )
    public.confirm(case)
    db.session.commit()
    assert case.authority_id == people.authorities["lyon"].id
    return case


def _grow_public(case, people, target: str):
    lyon = people.authorities["lyon"]

    def grow(n: int) -> None:
        for i in range(n):
            officer = make_user(lyon, ["handler"])
            _entry(
                "public_event",
                # the officers' messages and the submitter's
                PublicCaseEvent(
                    case_id=case.id, kind="message", user_id=officer.id if i % 2 else None
                ),
                PublicDocument(case_id=case.id, uploaded_by_id=officer.id, **_file()),
                target,
            )

    return grow


def test_a_public_case_page_runs_as_many_statements_for_a_big_case(app, public_people):
    # Given a complaint that grows: messages of officers and of the submitter, documents
    people = public_people
    case = _public_case(people)
    officer = as_user(app, people.handler)
    runs = _grown(
        officer, f"/public-cases/{case.id}", _grow_public(case, people, people.handler.language)
    )

    # Then the officers' page of it runs as many statements for 14 of each as for 2
    _same_count(runs, at_most=18)  # 14 today; 21 before, and 49 for 14 of each


# --- repository records --------------------------------------------------------------------


@pytest.fixture
def repository_people(app):
    return repositories_world.people.__wrapped__(app)


def test_a_repository_record_page_runs_as_many_statements_for_a_long_history(
    app, repository_people
):
    from flask import current_app

    from app.cases import repositories
    from app.procedures import registry
    from tests.web.security.world import actor_of
    from tests.web.security.world_repositories import SANCTIONS

    # Given a record that each update gives a version by another officer
    people = repository_people
    pack = registry(current_app)[repositories_world.REGISTER]
    record = repositories.create(actor_of(people.editor), pack, SANCTIONS)
    db.session.commit()

    def grow(n: int) -> None:
        db.session.refresh(record)
        for _ in range(n):
            officer = make_user(people.authorities["berlin"], ["handler"])
            record.version += 1
            db.session.add(
                RepositoryRecordVersion(
                    record_id=record.id,
                    number=record.version,
                    fields=record.fields,
                    changed=["measure_scope"],
                    action="updated",
                    note=f"Note {next(_serial)}",
                    user_id=officer.id,
                    authority_id=people.authorities["berlin"].id,
                )
            )

    # When a reader of another country opens it with 2 versions, then with 14
    runs = _grown(as_user(app, people.reader), f"/repositories/records/{record.id}", grow)

    # Then the page runs as many statements
    _same_count(runs, at_most=16)  # 13 today
