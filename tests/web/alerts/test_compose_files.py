"""Files attached while composing an alert: broadcast with it in one POST; held and listed
when the form comes back with an error; a refused file is named on its input and nothing
else typed is lost."""

from __future__ import annotations

import io
import re

from flask_babel import force_locale

from app.blueprints.alerts.common import REFUSALS
from app.extensions import db
from app.models import Alert, AlertAttachment, AlertState, AuditEvent
from tests.factories import summary_links
from tests.web.alerts.conftest import as_user, compose, only_alert

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "decision.pdf"):
    return (io.BytesIO(PDF), name)


def held_token(page: str) -> str:
    return re.search(r'name="held" value="([^"]*)"', page).group(1)


def test_a_file_chosen_while_composing_is_broadcast_with_the_alert(app, people):
    sender = as_user(app, people.sender)
    assert compose(sender, files=[pdf()]).status_code == 302
    item = only_alert()
    assert item.state == AlertState.SENT
    (attachment,) = item.attachments
    assert attachment.filename == "decision.pdf"
    audit = db.session.query(AuditEvent).filter_by(action="alert.attachment_added").one()
    assert audit.details["sha256"] == attachment.sha256
    url = f"/alerts/{item.id}/attachments/{attachment.id}"
    assert as_user(app, people.coordinator_fr).get(url).data == PDF
    assert as_user(app, people.austrian).get(url).status_code == 404


def test_a_form_error_keeps_the_file_and_the_text_then_sends_with_it(app, people):
    sender = as_user(app, people.sender)
    response = compose(sender, **{"field-profession": "", "files": [pdf()]})
    assert response.status_code == 400
    page = response.get_data(True)
    assert 'id="files-held"' in page and "decision.pdf" in page
    assert "Approbation widerrufen.</textarea>" in page and "Dr. Hans Beispiel" in page
    assert db.session.query(Alert).count() == 0
    assert db.session.query(AlertAttachment).count() == 0
    response = compose(sender, held=held_token(page))
    assert response.status_code == 302
    assert [a.filename for a in only_alert().attachments] == ["decision.pdf"]
    assert only_alert().state == AlertState.SENT


def test_a_refused_file_is_named_on_its_input_and_nothing_else_is_lost(app, people):
    sender = as_user(app, people.sender)
    response = compose(sender, files=[(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "x.pdf")])
    assert response.status_code == 400
    page = response.get_data(True)
    with force_locale("de"):
        assert summary_links(page) == [("files", str(REFUSALS["type"]))]
    assert "Approbation widerrufen.</textarea>" in page
    assert 'id="c-FR" name="countries" value="FR" checked' in page
    assert db.session.query(Alert).count() == 0
