"""The inbox's rows (app/blueprints/requests/rows.py), written in Python for speed: the
same markup the template wrote, every value escaped, every cell labelled."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from markupsafe import escape

from app import formats
from app.cases.requests.labels import STATE_LABELS
from app.extensions import db
from app.models import Request
from app.models.base import utcnow
from app.procedures import procedure_name
from tests.web.requests.conftest import as_user, compose


def _row(page: str, reference: str) -> str:
    start = page.rindex("<tr", 0, page.index(reference))
    return page[start : page.index("</tr>", start) + len("</tr>")]


def test_a_row_holds_its_marks_escaped_and_labelled(app, people):
    # Given a new, overdue, referred request from an authority whose name looks like markup
    berlin, paris = people.authorities["berlin"], people.authorities["paris"]
    compose(as_user(app, people.requester), paris.id)
    item = db.session.query(Request).one()
    item.reply_due = utcnow().date() - timedelta(days=1)
    item.referral_open = True
    berlin.name = 'Amt <b>"Fünf"</b> & Söhne'
    people.allocator.language = "de"
    db.session.commit()
    with app.test_request_context(), force_locale("de"):
        procedure = escape(procedure_name(app, item.procedure_key, item.procedure_key, "de"))
        state = escape(str(STATE_LABELS[item.state]))
        due = formats.day(item.reply_due, "de")

    # When Paris reads its received box in German
    page = as_user(app, people.allocator).get("/requests?box=received").get_data(True)

    # Then the row is the template's markup, the name escaped, the cells labelled
    assert _row(page, item.reference) == (
        '<tr class="unread">'
        f'<td data-label="Referenz"><a class="nowrap" href="/requests/{item.id}">'
        f'{item.reference}</a> <span class="tag">neu</span></td>'
        f'<td data-label="Verfahren">{procedure}</td>'
        '<td data-label="Behörde">Amt &lt;b&gt;&#34;Fünf&#34;&lt;/b&gt; &amp; Söhne (DE)</td>'
        f'<td data-label="Status">{state} · vorgelegt</td>'
        f'<td data-label="Antwortfrist">{due}'
        ' <span class="tag suspended">überfällig</span></td></tr>'
    )


def test_a_read_row_on_time_carries_no_marks(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = db.session.query(Request).one()
    # The requester's sent box: the requester has read its own request
    page = requester.get("/requests?box=sent").get_data(True)
    row = _row(page, item.reference)
    assert row.startswith("<tr><td") and "tag" not in row and "referred" not in row
