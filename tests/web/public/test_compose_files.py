"""Documents of the public form: a form that comes back with an error keeps the documents
chosen with it (held for the visitor's session, listed, removable), so the visitor need
not choose them again; a refused document is named on its input and nothing typed is
lost."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

from flask_babel import force_locale

from app.blueprints.public.routes import ERRORS
from app.cases import held
from app.extensions import db
from app.models import PublicCase
from tests.factories import summary_links
from tests.web.public.conftest import confirm_case, only_case, pdf, submit_case, visitor
from tests.web.requests.conftest import as_user


def held_token(page: str) -> str:
    return re.search(r'name="held" value="([^"]*)"', page).group(1)


def test_a_form_error_keeps_the_document_then_the_case_is_sent_with_it(app, people, smtp_server):
    client = visitor(app)
    response = submit_case(client, files=[pdf()], name="")
    assert response.status_code == 400
    page = response.get_data(True)
    assert 'id="documents-held"' in page and "diploma.pdf" in page
    assert "My diploma of nurse was not recognised within the deadline.</textarea>" in page
    assert db.session.query(PublicCase).count() == 0
    # corrected, with no document chosen again: the held one goes with the case
    response = submit_case(client, held=held_token(page))
    assert response.status_code == 302
    assert [d.filename for d in only_case().documents] == ["diploma.pdf"]
    confirm_case(client, smtp_server)
    case = only_case()
    url = f"/public-cases/{case.id}/documents/{case.documents[0].id}"
    assert as_user(app, people.handler).get(url).data.startswith(b"%PDF")
    assert as_user(app, people.german).get(url).status_code == 404


def test_a_refused_document_is_named_and_nothing_else_is_lost(app, people):
    client = visitor(app)
    bad = (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "letter.pdf")
    response = submit_case(client, files=[bad, pdf()])
    assert response.status_code == 400
    page = response.get_data(True)
    with force_locale("en"):
        assert summary_links(page) == [("documents", str(ERRORS["file_type"]))]
    assert 'value="Jan Kowalski"' in page and "diploma.pdf" in page
    assert db.session.query(PublicCase).count() == 0
    # the visitor removes the held document and sends: the case has none
    unhold = re.search(r'name="unhold" value="([0-9a-f]+)"', page).group(1)
    response = submit_case(client, held=held_token(page), unhold=unhold)
    assert response.status_code == 302 and only_case().documents == []


def test_held_documents_are_their_visitors_only(app, people):
    page = submit_case(visitor(app), files=[pdf()], name="").get_data(True)
    response = submit_case(visitor(app), held=held_token(page))
    assert response.status_code == 302 and only_case().documents == []


def test_the_quota_counts_held_documents(app, people):
    client = visitor(app)
    page = submit_case(client, files=[pdf(f"d{i}.pdf") for i in range(4)], name="")
    response = submit_case(client, held=held_token(page.get_data(True)), files=[pdf(), pdf()])
    assert response.status_code == 400
    with force_locale("en"):
        assert str(ERRORS["too_many"]) in response.get_data(True)


def test_held_documents_never_sent_are_purged_after_a_day(app, people):
    client = visitor(app)
    page = submit_case(client, files=[pdf()], name="").get_data(True)
    unhold = re.search(r'name="unhold" value="([0-9a-f]+)"', page).group(1)
    path = Path(app.config["UPLOAD_DIR"]) / "held" / unhold
    day_ago = time.time() - held.HOLD_SECONDS - 60
    os.utime(path, (day_ago, day_ago))
    result = app.test_cli_runner().invoke(args=["files", "purge-held", "--instance", "production"])
    assert result.exit_code == 0 and "1 held files deleted" in result.output
    assert not path.exists()
    # the form's token no longer brings it: the case goes without it
    response = submit_case(client, held=held_token(page))
    assert response.status_code == 302 and only_case().documents == []


def test_a_forged_token_brings_nothing(app, people):
    client = visitor(app)
    page = submit_case(client, files=[pdf()], name="").get_data(True)
    forged = held_token(page)[:-2] + ("AA" if not held_token(page).endswith("AA") else "BB")
    response = submit_case(client, held=forged)
    assert response.status_code == 302 and only_case().documents == []
