"""Forged and read-only writes change nothing (security review, issue 14):

- F1: a POST whose CSRF token is missing never runs the saving code, on any route, and
  the user still gets back what they typed;
- F3: a viewer ("reads only") changes nothing, anywhere.

Both sweep every POST route of the URL map with the form the route's own page offers
(filled in and changed, as a user would), and compare every table before and after.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Alert, Authority, RepositoryRecord
from tests.factories import csrf_token, sign_in
from tests.snapshots import every_row
from tests.web.security.test_csrf_headers import _post_urls
from tests.web.security.world import actor_of, build_world

# Bookkeeping that any request may touch: sessions and attempt counters.
BOOKKEEPING = {"web_session", "rate_counter"}


def _snapshot() -> dict[str, object]:
    db.session.rollback()
    return every_row(skip=BOOKKEEPING)


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after[name])


class _Forms(HTMLParser):
    """The POST forms of a page: action -> {field: value}, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        # fields where a user types words (changed by the sweep); others keep their value
        self.typed: set[str] = set()
        self._current: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._current = self.forms.setdefault(a.get("action", ""), {})
        elif tag == "option" and self._current is not None and self._select:
            if self._select not in self._current or "selected" in a:
                self._current[self._select] = a.get("value", "")
        elif self._current is None or "name" not in a:
            return
        elif tag == "input" and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self._current.setdefault(a["name"], a.get("value", "on"))
            else:
                self._current[a["name"]] = a.get("value", "")
                if a.get("type", "text") == "text":
                    self.typed.add(a["name"])
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self._current[a["name"]] = ""
            self.typed.add(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._current is not None and self._textarea:
            self._current[self._textarea] += data


# What a user types where the page offers no form of its own (actions on a case page).
TYPED = {
    "language": "de",
    "action": "suspend",
    "decision": "approve",
    "text": "Forged text",
    "note": "Forged note",
    "message": "Forged message",
    "reason": "Forged reason",
    "wording": "Forged wording",
    "purpose": "Forged purpose",
    "reference": "Forged",
}


def _form_for(client, url: str) -> dict[str, str]:
    """The route's own form, every text changed, without its CSRF token."""
    page = client.get(url)
    parser = _Forms()
    if page.status_code == 200 and page.mimetype == "text/html":
        parser.feed(page.get_data(True))
    fields = dict(TYPED)
    for name, value in parser.forms.get(url, {}).items():
        words = name in parser.typed and not any(c.isdigit() for c in value)
        fields[name] = f"{value} changed" if words else value
    # every token: a prefixed form's too ("withdraw-csrf_token"), which Flask-WTF accepts
    return {name: value for name, value in fields.items() if not name.endswith("csrf_token")}


# Who posts: each may use a different part of the URL map (the coordinator governs,
# the local administrator manages users, the handler edits records and requests, the
# alert handler sends alerts).
POSTERS = ("coordinator_de", "admin", "handler", "alert_handler")


@pytest.mark.parametrize("poster", POSTERS)
def test_f1_no_post_route_changes_anything_without_a_token(app, client, poster):
    # Given a world of cases, and an officer signed in
    world = build_world()
    sign_in(client, world.users[poster])
    # (signing out last: refused too, the officer stays signed in throughout)
    urls = sorted(_post_urls(app, world), key=lambda url: url == "/sign-out")
    forms = {url: _form_for(client, url) for url in urls}
    before = _snapshot()

    # When every POST route is sent its own form, filled in, without the CSRF token
    changed, statuses = {}, {}
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(url, data=forms[url], headers=headers)
            statuses[url, bool(headers)] = response.status_code
            after = _snapshot()
            if after != before:
                changed[url] = _changed(before, after)
                before = after

    # Then each is refused, and no row of any table has changed
    assert changed == {}
    assert {key: status for key, status in statuses.items() if status != 400} == {}
    assert client.get("/account").status_code == 200


def test_f1_record_edit_without_token_saves_nothing_and_keeps_the_input(app, client):
    # Given the editor of a record
    world = build_world()
    sign_in(client, world.users["handler"])
    record = db.session.get(RepositoryRecord, world.ids["record_own"])
    fields = dict(record.fields)
    url = f"/repositories/records/{record.id}/edit"
    typed = {f"field-{k}": v for k, v in fields.items()}
    typed.update({"field-measure_scope": "Forged scope", "note": "Forged note"})

    # When the edit is posted without its token (a forged or expired form)
    response = client.post(url, data=typed)

    # Then the record is unchanged, and the form comes back with what was typed
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(RepositoryRecord, record.id).fields == fields
    body = response.get_data(True)
    assert "Forged scope" in body and "Forged note" in body


def test_f1_new_record_without_token_creates_nothing(app, client):
    world = build_world()
    sign_in(client, world.users["handler"])
    count = len(db.session.scalars(select(RepositoryRecord.id)).all())
    page = client.get(f"/repositories/{world.ids['repository_key']}/new")
    assert page.status_code == 200
    typed = _form_for(client, f"/repositories/{world.ids['repository_key']}/new")
    typed.update({"field-full_name": "Forged Person", "field-date_of_birth": "1970-01-01"})

    response = client.post(f"/repositories/{world.ids['repository_key']}/new", data=typed)

    assert response.status_code == 400
    assert len(db.session.scalars(select(RepositoryRecord.id)).all()) == count
    assert "Forged Person" in response.get_data(True)


def test_f1_a_view_that_writes_while_re_rendering_is_stopped(app):
    """The guard itself: inside writes_refused() no flush and no ORM DML gets through."""
    from sqlalchemy import update

    from app.errors import WriteRefused, writes_refused
    from tests.factories import make_authority

    authority = make_authority("DE", name="Unchanged")
    with pytest.raises(WriteRefused), writes_refused():
        db.session.get(Authority, authority.id).name = "Changed"
        db.session.flush()
    with pytest.raises(WriteRefused), writes_refused():
        db.session.execute(update(Authority).values(name="Changed"))
    db.session.expire_all()
    assert db.session.get(Authority, authority.id).name == "Unchanged"


# --- F3: a viewer changes nothing --------------------------------------------------------

# The only POST routes a viewer may use: their own account and language, signing out,
# and reading (a machine translation of a text they see, a PDF of a case they see).
VIEWER_MAY_POST = {
    "/account",
    "/account/recovery-codes/file",
    "/account/authority",
    "/language",
    "/sign-out",
}
VIEWER_MAY_POST_PREFIXES = ("/translations/request/", "/pdf/")


def _viewer_may(url: str) -> bool:
    if url.endswith("/correction"):
        return False
    return url in VIEWER_MAY_POST or url.startswith(VIEWER_MAY_POST_PREFIXES)


def test_f3_a_viewer_changes_nothing_anywhere(app, client):
    # Given a viewer of authority A, which sends requests, alerts and records
    world = build_world()
    sign_in(client, world.users["viewer"])
    urls = [u for u in _post_urls(app, world) if not _viewer_may(u)]
    public = {"/sign-in", "/sign-in/code", "/sign-in/enrol", "/register", "/password/forgot"}
    # (the EPC applicants' interface, /epc/, has accounts of its own, never an officer's)
    urls = [
        u
        for u in urls
        if u not in public and not u.startswith(("/public/", "/invitation/", "/epc/"))
    ]
    urls = [u for u in urls if not u.startswith("/password/reset/")]
    assert "/alerts/{}/comment".format(world.ids["alert_sent"]) in urls
    # (reading a form's page may be an audited read: the forms are read first)
    forms = {url: _form_for(client, url) for url in urls}
    token = csrf_token(client.get("/account"))
    before = _snapshot()

    # When the viewer posts every other route with a valid token and a filled-in form
    statuses, changed = {}, {}
    for url in urls:
        response = client.post(url, data={**forms[url], "csrf_token": token})
        statuses[url] = response.status_code
        after = _snapshot()
        if after != before:
            changed[url] = _changed(before, after)
            before = after

    # Then every route is refused (403) and nothing has changed
    assert changed == {}
    assert {url: status for url, status in statuses.items() if status != 403} == {}


@pytest.mark.parametrize("action", ["comment", "acknowledge"])
def test_f3_viewer_may_not_comment_or_acknowledge_an_alert(app, action):
    from app.cases import alerts
    from app.models import AlertRecipient
    from tests.factories import make_user

    world = build_world()
    alert = db.session.get(Alert, world.ids["alert_foreign"])
    recipient = db.session.scalar(select(AlertRecipient).where(AlertRecipient.alert_id == alert.id))
    # A viewer and an alert handler of the receiving coordinator's authority
    coordinator = db.session.get(Authority, recipient.coordinator_authority_id)
    viewer = actor_of(make_user(coordinator, ["viewer"]))
    handler = actor_of(make_user(coordinator, ["alert_handler"]))

    assert alerts.LIFECYCLE.may(handler, alert, action) is True
    assert alerts.LIFECYCLE.may(viewer, alert, action) is False


def test_f3_viewer_may_not_correct_a_translation(app, client):
    world = build_world()
    sign_in(client, world.users["viewer"])
    url = f"/translations/request/{world.ids['request_sent']}/correction"
    from app.models import TranslationCorrection

    token = csrf_token(client.get("/account"))
    response = client.post(url, data={"csrf_token": token, "text": "Meine Übersetzung"})

    assert response.status_code == 403
    assert db.session.scalars(select(TranslationCorrection)).all() == []


def test_f3_the_translation_service_refuses_a_viewer_too(app):
    from app.models import Request
    from app.translation import texts as translations

    world = build_world()
    viewer = actor_of(world.users["viewer"])
    handler = actor_of(world.users["handler"])
    request = db.session.get(Request, world.ids["request_sent"])
    text = translations.readable(handler, "request", request.id)

    assert translations.correct(handler, text, "de", "Meine Übersetzung") is not None
    db.session.rollback()
    with pytest.raises(PermissionError):
        translations.correct(viewer, text, "de", "Meine Übersetzung")
