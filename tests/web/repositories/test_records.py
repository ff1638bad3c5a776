"""Repository records: who sees and changes what, versions, search, form errors."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, RecordState, RepositoryRecord
from tests.factories import date_input, post_form, said, summary_links
from tests.web.repositories.conftest import REGISTER, VALUES, as_user


def create(client, **changes):
    return post_form(client, f"/repositories/{REGISTER}/new", {**VALUES, **changes})


def the_record() -> RepositoryRecord:
    db.session.expire_all()
    return db.session.scalars(select(RepositoryRecord)).one()


def test_editor_creates_a_record_that_readers_of_any_country_find(app, people):
    editor = as_user(app, people.editor)
    response = create(editor)
    assert response.status_code == 302
    record = the_record()
    assert (record.country, record.version, record.state) == ("DE", 1, RecordState.ACTIVE)
    assert record.fields["full_name"] == "Jürgen Müller"
    assert record.pack_version == 1
    for client in (as_user(app, people.reader), as_user(app, people.other_editor), editor):
        page = client.get(f"/repositories/records/{record.id}")
        assert page.status_code == 200
        assert "Jürgen Müller" in page.get_data(True)
        found = client.get(f"/repositories/{REGISTER}?q=muller").get_data(True)
        assert record.reference in found
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "repository_record")
    ).all()
    assert actions.count("repository_record.viewed") == 3


def test_no_access_means_404_everywhere(app, people):
    create(as_user(app, people.editor))
    record = the_record()
    madrid = as_user(app, people.stranger)
    for client in (as_user(app, people.outsider), madrid):
        assert client.get(f"/repositories/records/{record.id}").status_code == 404
        assert client.get(f"/repositories/records/{record.id}/edit").status_code == 404
        assert client.get(f"/repositories/{REGISTER}").status_code == 404
        assert client.get(f"/repositories/{REGISTER}/new").status_code == 404
        assert REGISTER not in client.get("/repositories").get_data(True)
    assert "posting_declarations" in madrid.get("/repositories").get_data(True)
    assert madrid.get("/repositories/pq_good_standing").status_code == 404


def test_only_editors_of_the_owner_update(app, people):
    create(as_user(app, people.editor))
    record = the_record()
    reader = as_user(app, people.reader)
    for client in (reader, as_user(app, people.other_editor)):
        assert client.get(f"/repositories/records/{record.id}/edit").status_code == 404
        page = client.get(f"/repositories/records/{record.id}").get_data(True)
        assert f"/repositories/records/{record.id}/edit" not in page
    assert reader.get(f"/repositories/{REGISTER}/new").status_code == 404


def test_update_makes_a_version_and_history_shows_the_change(app, people):
    editor = as_user(app, people.editor)
    create(editor)
    record = the_record()
    url = f"/repositories/records/{record.id}/edit"
    response = post_form(
        editor, url, {**VALUES, "field-end_date": "2027-04-01", "note": "Decision limited"}
    )
    assert response.status_code == 302
    record = the_record()
    assert record.version == 2 and record.fields["end_date"] == "2027-04-01"
    assert [v.number for v in record.versions] == [2, 1]
    assert record.versions[0].changed == ["end_date"]
    assert record.versions[1].fields.get("end_date") is None
    page = editor.get(f"/repositories/records/{record.id}").get_data(True)
    assert "Decision limited" in page and "1 Apr 2027" in page and "Version 2" in page


def test_update_without_note_or_change_is_refused_and_keeps_the_input(app, people):
    editor = as_user(app, people.editor)
    create(editor)
    record = the_record()
    url = f"/repositories/records/{record.id}/edit"
    response = post_form(editor, url, {**VALUES, "field-profession": "Dentist", "note": ""})
    assert response.status_code == 422
    body = response.get_data(True)
    assert "Say what changed and why." in body and "Dentist" in body
    response = post_form(editor, url, {**VALUES, "note": "nothing"})
    assert response.status_code == 422 and "Nothing has changed." in response.get_data(True)
    assert the_record().version == 1


def test_form_errors_are_shown_with_what_was_typed(app, people):
    # Given a new record without the name, and a date of birth without its month
    editor = as_user(app, people.editor)
    typed = {**date_input("field-date_of_birth", "1970-03-04"), "field-date_of_birth-month": ""}
    response = create(editor, **{"field-full_name": "", **typed})
    # Then nothing is created; each field's message is linked from the summary
    assert response.status_code == 422
    assert db.session.scalar(select(RepositoryRecord)) is None
    body = response.get_data(True)
    assert summary_links(body) == [
        ("field-full_name", said("Enter %(field)s", "en", field="Full name of the professional")),
        (
            "field-date_of_birth-month",
            said("%(field)s must include a month", "en", field="Date of birth of the professional"),
        ),
    ]
    # and what was typed is kept
    assert "All medical activities</textarea>" in body
    assert 'name="field-date_of_birth-day" value="04">' in body
    assert 'name="field-date_of_birth-year" value="1970">' in body


def test_the_edit_form_shows_the_record_and_keeps_a_refused_edit(app, people):
    editor = as_user(app, people.editor)
    create(editor)
    record = the_record()
    url = f"/repositories/records/{record.id}/edit"
    # the stored date shows in its three inputs, the measure's radio chosen
    page = editor.get(url).get_data(True)
    assert 'name="field-date_of_birth-day" value="4">' in page
    assert 'name="field-date_of_birth-month" value="3">' in page
    assert 'value="temporary_prohibition" checked>' in page
    # an impossible end date is refused, the rest kept
    typed = {**date_input("field-end_date", "2027-02-30"), "note": "Ends in February"}
    response = post_form(editor, url, {**VALUES, **typed})
    assert response.status_code == 422 and the_record().version == 1
    body = response.get_data(True)
    end = "Date until which the restriction or prohibition applies, if limited in time"
    assert summary_links(body) == [
        ("field-end_date-day", said("%(field)s must be a real date", "en", field=end))
    ]
    assert "Ends in February</textarea>" in body and 'value="30"' in body


def test_archive_and_restore_by_the_owner(app, people):
    editor = as_user(app, people.editor)
    create(editor)
    record = the_record()
    page = f"/repositories/records/{record.id}"
    url = f"{page}/state"
    assert post_form(editor, page, {}).status_code == 405
    token = re.search(r'name="csrf_token" value="([^"]+)"', editor.get(page).get_data(True))[1]
    archive = {"csrf_token": token, "action": "archive"}
    refused = editor.post(url, data={**archive, "note": ""})
    assert refused.status_code == 400
    assert summary_links(refused.get_data(True)) == [
        ("note", "Give the reason for archiving the record")
    ]
    assert editor.post(url, data={**archive, "note": "Expired", "action": "x"}).status_code == 400
    assert editor.post(url, data={**archive, "note": "Expired"}).status_code == 302
    assert the_record().state == RecordState.ARCHIVED
    reader = as_user(app, people.reader)
    assert record.reference not in reader.get(f"/repositories/{REGISTER}").get_data(True)
    archived = reader.get(f"/repositories/{REGISTER}?state=archived").get_data(True)
    assert record.reference in archived
    other = as_user(app, people.other_editor)
    restore = {"csrf_token": token, "action": "restore", "note": "Again"}
    assert other.post(url, data=restore).status_code in (400, 404)
    assert editor.post(url, data=restore).status_code == 302
    assert the_record().state == RecordState.ACTIVE and the_record().version == 3


def _state_form(page: str) -> dict[str, str]:
    """The fields of the archive/restore confirmation's form, as a browser sends them:
    its token and its button."""
    form = re.search(r'<form method="post" action="[^"]*/state".*?</form>', page, re.S)[0]
    button = re.search(r'<button type="submit" name="([^"]+)" value="([^"]*)"', form)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
    return {"csrf_token": token, button[1]: button[2]}


def test_an_archive_form_sent_twice_archives_once(app, people):
    # Given an active record, its page open in the owner's browser
    editor = as_user(app, people.editor)
    create(editor)
    page = f"/repositories/records/{the_record().id}"
    form = _state_form(editor.get(f"{page}/state").get_data(True)) | {"note": "The measure ended."}

    # When the archive form is sent twice (a double click, a reload)
    first = editor.post(f"{page}/state", data=form)
    second = editor.post(f"{page}/state", data=form, follow_redirects=True)

    # Then the record is archived once: the second sending did not restore it
    assert first.status_code == 302 and second.status_code == 200
    record = the_record()
    assert (record.state, record.version) == (RecordState.ARCHIVED, 2)
    assert [v.action for v in record.versions] == ["archived", "created"]
    assert "The record was already archived." in second.get_data(True)
    # and the restore form, sent twice, restores it once
    form = _state_form(editor.get(f"{page}/state").get_data(True)) | {"note": "Reinstated."}
    for _ in range(2):
        assert editor.post(f"{page}/state", data=form).status_code == 302
    record = the_record()
    assert (record.state, record.version) == (RecordState.ACTIVE, 3)


def test_search_is_accent_and_case_insensitive_with_filters_and_htmx(app, people):
    create(as_user(app, people.editor))
    create(as_user(app, people.other_editor), **{"field-full_name": "Zoé Lefèvre"})
    reader = as_user(app, people.reader)
    url = f"/repositories/{REGISTER}"
    assert "Zoé Lefèvre" in reader.get(f"{url}?q=LEFEVRE").get_data(True)
    body = reader.get(f"{url}?q=MÜLLER jurgen").get_data(True)
    assert "Jürgen Müller" in body and "Lefèvre" not in body
    body = reader.get(f"{url}?country=FR").get_data(True)
    assert "Lefèvre" in body and "Müller" not in body
    assert "Lefèvre" in reader.get(f"{url}?q=temporary+prohibition&country=FR").get_data(True)
    partial = reader.get(f"{url}?q=zoe", headers={"HX-Request": "true"})
    assert "Zoé Lefèvre" in partial.get_data(True)
    assert "<html" not in partial.get_data(True)
    assert "No record found." in reader.get(f"{url}?q=nobody").get_data(True)


def test_keyset_paging(app, people, monkeypatch):
    from app.cases import repositories

    monkeypatch.setattr(repositories, "PAGE_SIZE", 2)
    editor = as_user(app, people.editor)
    for name in ("Anna Alpha", "Bernd Beta", "Carla Gamma"):
        create(editor, **{"field-full_name": name})
    url = f"/repositories/{REGISTER}"
    first = editor.get(url).get_data(True)
    assert "Carla Gamma" in first and "Bernd Beta" in first and "Anna Alpha" not in first
    after = re.search(r'after=([^&"]+)', first)[1]
    second = editor.get(f"{url}?after={after}").get_data(True)
    assert "Anna Alpha" in second and "Carla Gamma" not in second


def test_an_edit_that_loses_a_race_is_refused_in_words_and_keeps_what_was_typed(
    app, people, monkeypatch
):
    from sqlalchemy.orm.exc import StaleDataError

    from app.cases import repositories

    editor = as_user(app, people.editor)
    create(editor)
    record = the_record()

    # given another officer saving the same record a moment earlier (the version moved)
    def lost(*_args, **_kwargs):
        raise StaleDataError("UPDATE statement on table 'repository_record' matched 0 rows")

    monkeypatch.setattr(repositories, "update", lost)
    response = post_form(
        editor, f"/repositories/records/{record.id}/edit", {**VALUES, "note": "My correction"}
    )

    # then the form comes back saying so, with the note typed, and nothing changed
    assert response.status_code == 400
    body = response.get_data(True)
    assert "Someone else changed this case while you were writing." in body
    assert "My correction</textarea>" in body
    assert the_record().version == 1
