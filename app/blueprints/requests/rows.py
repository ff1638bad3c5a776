"""The request inbox's rows, written here rather than in the template.

The inbox is the page officers open most (two fifths of the officer mix, with its
filtered partials), and its 25 rows were a fifth of its time in the template: each row
went through a macro call, a dozen attribute lookups, seven escapes and a filter, and
`cell_labels` then parsed the rows again to label each cell. Here a row is one string
with its values escaped and its cells labelled as they are written (bench/calls.py,
inbox page: see the commit). The markup is the one requests/inbox.html wrote;
tests/web/test_inbox_rows.py holds it to that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from flask_babel import gettext as _
from flask_babel import pgettext
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from app import formats
from app.cases.inbox import Row
from app.routing import IdUrls


@pass_context
def request_rows(
    context: Context,
    rows: Iterable[Row],
    receiving: bool,
    case_url: IdUrls,
    state_labels: Mapping,
    today: date,
    headings: Sequence[str],
) -> Markup:
    """The `<tr>` of each row, in the rendering's language, each cell labelled by its
    column's heading (app/tables.py: read as cards on a phone)."""
    language = context["current_language"]
    procedure_labels = context["procedure_labels"]
    reference, procedure, authority, state, due = (
        f' data-label="{escape(heading)}"' for heading in headings
    )
    # Not inside the f-strings: the catalogs' extraction would not see them there.
    new_tag = escape(pgettext("request tag", "new"))
    urgent_tag = escape(pgettext("request tag", "urgent"))
    referred_mark = escape(_("referred"))
    overdue_tag = escape(_("overdue"))
    new = f' <span class="tag">{new_tag}</span>'
    urgent = f' <span class="tag urgent">{urgent_tag}</span>'
    referred = f" · {referred_mark}"
    overdue = f' <span class="tag suspended">{overdue_tag}</span>'
    unread_class = ' class="unread"'
    out = []
    for r in rows:
        unread = r.responder_unread if receiving else r.requester_unread
        reply = ""
        if r.reply_due:
            reply = str(escape(formats.day(r.reply_due, language)))
            if r.is_overdue(today):
                reply += overdue
        out.append(
            f"<tr{unread_class if unread else ''}>"
            f'<td{reference}><a class="nowrap" href="{escape(case_url[r.id])}">{escape(r.reference)}</a>'
            f"{new if unread else ''}{urgent if r.urgency else ''}</td>"
            f"<td{procedure}>{escape(procedure_labels[r.procedure_key])}</td>"
            f"<td{authority}>{escape(r.other_name)} ({escape(r.other_country)})</td>"
            f"<td{state}>{escape(state_labels[r.state])}{referred if r.referral_open else ''}</td>"
            f"<td{due}>{reply}</td></tr>\n"
        )
    return Markup("".join(out))  # noqa: S704 (every value escaped above)
