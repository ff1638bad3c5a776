"""Translated copies of an alert's files, through HTTP with a LibreTranslate peer (jobs
in-process) and the real Apertium: asked for on the alert page (a form, or htmx), made,
labelled and downloaded as the original is, every read audited as the original's; who
may ask and who may read, as tables over every side and role of an alert; the copies go
with their originals (a discarded draft, retention).

The alerts are those of tests/web/alerts/test_who_may_act.py: from Berlin to France,
validated by Germany's coordinator, passed on by France's coordinator to the Ordre des
médecins (Paris). The expectations are written from the domain: an alert's files are
read by whoever sees the alert (its visibility rule); a copy is asked for by the officers
who act on alerts (alert handlers and coordinators) on a side that sees it, never by a
viewer, nor by an officer whose roles are for requests only.
"""

from __future__ import annotations

import io

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from app.cases import alerts, attachments
from app.extensions import db
from app.models import Alert, AlertAttachment, AuditEvent, JobStatus, TranslatedFile
from app.records import retention
from app.translation import files as translated_files
from tests.factories import client_with
from tests.web.alerts.conftest import as_user
from tests.web.alerts.test_who_may_act import OFFICERS, build
from tests.web.alerts.test_who_may_act import world as world  # the fixture
from tests.web.retention.test_blocking import CLOSED, close
from tests.web.translations.test_translated_files import GERMAN, read_copy
from tests.web.translations.test_translated_files import libre as libre  # the fixture


def _alert_with_file(world, state: str = "disseminated", name: str = "Bescheid.txt", data=None):
    """An alert in `state` (a broadcast one, or a draft) with a German file its sender
    added; (alert, file)."""
    start = "draft" if state == "draft" else "sent" if state == "sent" else "disseminated"
    item = db.session.get(Alert, build(world, start))
    data = GERMAN.encode() if data is None else data
    attachment = alerts.attach(world.actor("berlin_alert_handler"), item, name, io.BytesIO(data))
    if state == "closed":
        alerts.close(world.actor("berlin_alert_handler"), item, "Period of prohibition ended")
    return item, attachment


def _client(app, world, who: str):
    cookies, token = world.sessions[who]
    return client_with(app, cookies), token


def _url(item, attachment) -> str:
    return f"/translations/files/alert/{item.id}/{attachment.id}/translations"


def _ask(client, token, item, attachment, htmx=False, **fields):
    data = {"csrf_token": token, "source": "de", "target": "en", **fields}
    page = f"http://localhost/alerts/{item.id}"  # htmx names the page it swaps in
    headers = {"HX-Request": "true", "HX-Current-URL": page} if htmx else {}
    return client.post(_url(item, attachment), data=data, headers=headers)


def _count(model=TranslatedFile) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _requested() -> int:
    asked = (AuditEvent.action == "translation.request") & (AuditEvent.object_type == "alert")
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(asked))


def _copy_made(world, item, attachment) -> TranslatedFile:
    """A ready copy in English, asked for through the service by the French coordinator."""
    actor = world.actor("fr_coordinator")
    original = translated_files.readable(actor, "alert", item.id, attachment.id)
    translated_files.ask(actor, original, "de", "en")
    db.session.commit()  # the job runs in-process after the commit
    copy = db.session.scalars(select(TranslatedFile)).one()
    db.session.refresh(copy)
    assert copy.status == JobStatus.DONE
    return copy


def test_the_alert_page_asks_for_a_copy_shows_it_and_its_read_is_audited(app, world, libre):
    item, attachment = _alert_with_file(world)
    paris, token = _client(app, world, "paris_alert_handler")
    page = paris.get(f"/alerts/{item.id}").get_data(as_text=True)
    assert "Translate this file into English" in page
    assert f'id="file-alert-{attachment.id}"' in page

    # without JS: the form posts, and the browser goes back to the file on the alert page
    response = _ask(paris, token, item, attachment)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/alerts/{item.id}#file-alert-{attachment.id}")
    copy = db.session.scalars(select(TranslatedFile)).one()
    assert (copy.kind, copy.case_id, copy.file_id) == ("alert", item.id, attachment.id)
    assert (copy.status, copy.filename) == (JobStatus.DONE, "Bescheid (en).txt")

    page = paris.get(f"/alerts/{item.id}").get_data(as_text=True)
    assert "Bescheid (en).txt" in page and "Machine translation" in page
    assert "Translate this file into English" not in page  # there is one now

    # the sender's side reads it too, and the read is audited as the original's
    sender, _token = _client(app, world, "berlin_alert_handler")
    download = sender.get(f"{_url(item, attachment)}/{copy.id}")
    assert download.status_code == 200 and download.data.decode().startswith("[en] Die")
    assert download.headers["Content-Disposition"].startswith("attachment")
    (read,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "alert.attachment_downloaded")
    )
    assert (read.object_id, read.actor_id) == (str(item.id), world.users["berlin_alert_handler"].id)
    assert read.details["attachment"] == attachment.id
    assert read.details["translated_copy"] == copy.id


def test_htmx_swaps_the_block_and_a_failed_copy_is_said_and_offered_again(app, world, libre):
    item, attachment = _alert_with_file(world)
    paris, token = _client(app, world, "paris_alert_handler")
    libre.mode = "500"
    response = _ask(paris, token, item, attachment, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert body.strip().startswith(f'<div class="translated-files" id="file-alert-{attachment.id}"')
    assert "<html" not in body
    copy = db.session.scalars(select(TranslatedFile)).one()
    db.session.refresh(copy)
    assert (copy.status, copy.error) == (JobStatus.FAILED, "unavailable")
    assert "The translation service did not answer." in body
    assert "Translate into another language" in body  # the block links to the file's page
    # which itself does not link to itself
    assert "Translate into another language" not in paris.get(_url(item, attachment)).text
    # the alert page says so, and offers the copy again
    page = paris.get(f"/alerts/{item.id}").get_data(as_text=True)
    assert "The translation into English failed." in page
    assert "Translate this file into English" in page
    libre.mode = "ok"
    assert _ask(paris, token, item, attachment, htmx=True).status_code == 200
    db.session.refresh(copy)
    assert copy.status == JobStatus.DONE and _count() == 1


# Who may ask for a copy of the file of an alert passed on to Paris: whoever acts on alerts
# (an alert handler, a coordinator) on a side that sees it; a viewer never (403, whatever
# the alert); an officer with the roles of requests only reads (403); an authority that
# does not see the alert does not find the file (404). The same once the alert is closed.
ASK = {
    "berlin_alert_handler": 303,
    "berlin_viewer": 403,
    "berlin_admin": 403,  # admin, handler, allocator: roles of requests
    "de_coordinator": 303,  # the validating coordinator
    "de_alert_handler": 303,
    "de_viewer": 403,
    "fr_coordinator": 303,  # the recipient country's coordinator
    "fr_alert_handler": 303,
    "fr_viewer": 403,
    "fr_admin": 403,
    "paris_alert_handler": 303,  # the alert was passed on to Paris
    "paris_viewer": 403,
    "paris_handler": 403,
    "lyon_alert_handler": 404,  # France, not passed on to it
    "vienna_alert_handler": 404,
    "commission_coordinator": 404,
}


def test_the_ask_table_covers_every_officer():
    assert set(ASK) == {o.name for o in OFFICERS}


@pytest.mark.parametrize("state", ["disseminated", "closed"])
@pytest.mark.parametrize(("who", "expected"), ASK.items())
def test_who_may_ask_for_a_copy_of_an_alert_file(app, world, libre, who, expected, state):
    item, attachment = _alert_with_file(world, state)
    client, token = _client(app, world, who)
    audits = _requested()
    response = _ask(client, token, item, attachment)
    assert response.status_code == expected
    # a refused attempt changes nothing: no copy, no audit row of a request
    assert (_count(), _requested() - audits) == ((1, 1) if expected == 303 else (0, 0))
    # the page offers the button exactly to those who may ask
    page = client.get(f"/alerts/{item.id}").get_data(as_text=True)
    assert ("Translate into another language" in page) == (expected == 303)


# Who may read a copy (and the file's page of copies): whoever sees the alert, by its
# visibility rule; before it is passed on, Paris does not see it.
READ = {
    # who: (alert sent, alert passed on to Paris)
    "berlin_alert_handler": (200, 200),
    "berlin_viewer": (200, 200),
    "berlin_admin": (200, 200),
    "de_coordinator": (200, 200),
    "de_viewer": (200, 200),
    "fr_coordinator": (200, 200),
    "fr_viewer": (200, 200),
    "fr_admin": (200, 200),
    "paris_alert_handler": (404, 200),
    "paris_viewer": (404, 200),
    "paris_handler": (404, 200),
    "lyon_alert_handler": (404, 404),
    "vienna_alert_handler": (404, 404),
    "commission_coordinator": (404, 404),
}


@pytest.mark.parametrize("state", ["sent", "disseminated"])
@pytest.mark.parametrize(("who", "expected"), READ.items())
def test_who_may_read_a_copy_of_an_alert_file(app, world, libre, who, expected, state):
    item, attachment = _alert_with_file(world, state)
    copy = _copy_made(world, item, attachment)
    client, _token = _client(app, world, who)
    status = expected[0 if state == "sent" else 1]
    # a read is audited as the original's; a refused one as denied
    audited = ["alert.attachment_downloaded", "translation.viewed"]
    expected_reads = ([200, 200], audited) if status == 200 else ([404, 404], ["alert.denied"] * 2)
    assert read_copy(client, _url(item, attachment), copy.id) == expected_reads


def test_a_copy_is_not_reached_through_another_alert(app, world, libre):
    item, attachment = _alert_with_file(world)
    copy = _copy_made(world, item, attachment)
    other, other_file = _alert_with_file(world)
    fr, _token = _client(app, world, "fr_coordinator")
    assert fr.get(f"{_url(other, other_file)}/{copy.id}").status_code == 404
    crossed = f"/translations/files/alert/{other.id}/{attachment.id}/translations"
    assert fr.get(crossed).status_code == 404


def test_a_discarded_draft_alert_takes_its_copies_and_their_files(app, world, libre):
    item, attachment = _alert_with_file(world, "draft")
    sender, token = _client(app, world, "berlin_alert_handler")
    assert "Translate this file into English" in sender.get(f"/alerts/{item.id}").text
    assert _ask(sender, token, item, attachment).status_code == 303
    stored = attachments.path_for(db.session.scalars(select(TranslatedFile)).one().storage_name)
    assert stored.exists()
    alerts.discard(world.actor("berlin_alert_handler"), item)
    assert (_count(), _count(AlertAttachment)) == (0, 0)
    assert not stored.exists()


def test_blocking_and_erasure_of_an_alert_take_its_copies(app, world, libre):
    item, attachment = _alert_with_file(world)
    copy = _copy_made(world, item, attachment)
    stored = attachments.path_for(copy.storage_name)
    close(item)
    # blocked (an extended pack: 18 months): the copy stays with its original, out of reach
    retention.run(as_of=CLOSED + relativedelta(months=18, hours=2))
    assert stored.exists() and _count() == 1
    with time_machine.travel(item.block_due + relativedelta(seconds=1), tick=False):
        fr = as_user(app, world.users["fr_coordinator"])  # a new session, then
        assert fr.get(f"{_url(item, attachment)}/{copy.id}").status_code == 404
    # erased: gone with the original, row and file
    retention.run(as_of=CLOSED + relativedelta(years=3))
    assert (_count(), _count(AlertAttachment)) == (0, 0)
    assert not stored.exists()


def test_the_real_apertium_translates_an_alert_file_through_the_page(
    app, world, use_mt, apertium_url
):
    from tests.unit.test_mt_documents import docx, docx_text

    use_mt("apertium", APERTIUM_URL=apertium_url)
    note = docx("Le chat est sur la table.")
    item, attachment = _alert_with_file(world, name="note.docx", data=note)
    paris, token = _client(app, world, "paris_alert_handler")
    assert _ask(paris, token, item, attachment, source="fr", target="es").status_code == 303
    copy = db.session.scalars(select(TranslatedFile)).one()
    assert (copy.status, copy.engine, copy.engine_version) == (JobStatus.DONE, "apertium", "fr>es")
    assert copy.filename == "note (es).docx" and copy.content_type == attachment.content_type
    page = paris.get(f"/alerts/{item.id}").get_data(as_text=True)
    assert "note (es).docx" in page and "by apertium fr&gt;es" in page
    download = paris.get(f"{_url(item, attachment)}/{copy.id}")
    assert "gato" in docx_text(download.data)
