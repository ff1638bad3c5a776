"""Two editors of the owner acting on one record, and one form sent twice.

A form rendered before another editor saved the record is refused: the page comes back
(400) with the reason in the error summary and what was typed kept, and nothing changed.
The same rendered form sent twice (a double click, a retry) saves once; the second
sending goes where the first led.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import RecordState, RepositoryRecord
from tests.factories import make_user, post_form, rendered_form, stale_words, summary_links
from tests.web.repositories.conftest import REGISTER, VALUES, as_user


def the_record() -> RepositoryRecord:
    db.session.expire_all()
    return db.session.scalars(select(RepositoryRecord)).one()


# form -> (its page under the record, what the editor typed, what must show it was kept)
FORMS = {
    "edit": (
        "/edit",
        {**VALUES, "field-profession": "Dentist", "note": "Profession corrected"},
        ("Dentist", "Profession corrected"),
    ),
    "archive": (
        "/state",
        {"action": "archive", "note": "The measure ended on appeal."},
        ("The measure ended on appeal.",),
    ),
}


@pytest.fixture
def record(app, people) -> RepositoryRecord:
    """A record of Berlin's, in the register."""
    created = post_form(as_user(app, people.editor), f"/repositories/{REGISTER}/new", VALUES)
    assert created.status_code == 302
    return the_record()


def saved_by_colleague(app, people, record) -> None:
    """Another editor of Berlin saves the record: its version moves on."""
    colleague = as_user(app, make_user(people.authorities["berlin"], ["handler"]))
    theirs = {**VALUES, "field-measure_scope": "Surgery only", "note": "Scope narrowed"}
    edit = f"/repositories/records/{record.id}/edit"
    assert (
        colleague.post(edit, data={**rendered_form(colleague, edit), **theirs}).status_code == 302
    )


@pytest.mark.parametrize("name", FORMS)
def test_a_form_rendered_before_a_colleagues_save_is_refused_with_its_text(
    app, people, record, name
):
    # given the editor's form rendered
    url = f"/repositories/records/{record.id}" + FORMS[name][0]
    editor = as_user(app, people.editor)
    form = rendered_form(editor, url)
    assert form.get("version")
    # when a colleague of Berlin saves the record, then the editor sends the form
    saved_by_colleague(app, people, record)
    response = editor.post(url, data={**form, **FORMS[name][1]})
    # then it is refused, in the error summary, the text kept, nothing changed
    assert response.status_code == 400
    body = response.get_data(True)
    assert stale_words(people.editor.language) in [m for _, m in summary_links(body)]
    assert stale_words(people.editor.language, "STALE_ACTION") not in body
    for kept in FORMS[name][2]:
        assert kept in body
    record = the_record()
    assert (record.version, record.state) == (2, RecordState.ACTIVE)
    assert record.fields["measure_scope"] == "Surgery only"


def test_an_archiving_without_a_reason_rendered_before_a_colleagues_save_is_to_be_redone(
    app, people, record
):
    # given the editor's archive confirmation rendered, its reason left blank
    url = f"/repositories/records/{record.id}/state"
    editor = as_user(app, people.editor)
    form = rendered_form(editor, url)
    # when a colleague of Berlin saves the record, then the editor archives it
    saved_by_colleague(app, people, record)
    response = editor.post(url, data={**form, "action": "archive", "note": ""})
    # then it is refused in words that keep nothing (not "your text is below")
    assert response.status_code == 400
    body = response.get_data(True)
    language = people.editor.language
    assert stale_words(language, "STALE_ACTION") in [m for _, m in summary_links(body)]
    assert stale_words(language) not in body
    assert the_record().state == RecordState.ACTIVE


@pytest.mark.parametrize("name", FORMS)
def test_one_form_sent_twice_saves_once(app, people, record, name):
    url = f"/repositories/records/{record.id}" + FORMS[name][0]
    editor = as_user(app, people.editor)
    form = {**rendered_form(editor, url), **FORMS[name][1]}
    first, second = (editor.post(url, data=form) for _ in range(2))
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.location == second.location == f"/repositories/records/{record.id}"
    assert [v.number for v in the_record().versions] == [2, 1]


def test_a_new_record_sent_twice_is_one_record(app, people):
    editor = as_user(app, people.editor)
    url = f"/repositories/{REGISTER}/new"
    form = {**rendered_form(editor, url), **VALUES}
    first, second = (editor.post(url, data=form) for _ in range(2))
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.location == second.location == f"/repositories/records/{the_record().id}"
    assert db.session.scalar(select(func.count()).select_from(RepositoryRecord)) == 1
