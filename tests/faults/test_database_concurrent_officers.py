"""Double submission, and two officers acting on one case at once: one wins; the other
is told someone else changed the case, in the error summary, with their text kept
(optimistic locking: app/models/base.py Versioned)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Alert,
    AlertEvent,
    RepositoryRecord,
    RepositoryRecordVersion,
    Request,
    RequestEvent,
    RequestState,
)
from tests.factories import (
    csrf_token,
    make_user,
    post_form,
    rendered_form,
    stale_words,
    summary_links,
)
from tests.faults.conftest import hidden
from tests.snapshots import restored
from tests.web.alerts.conftest import FIELDS as ALERT_FIELDS
from tests.web.alerts.conftest import _people as alert_people
from tests.web.alerts.conftest import as_user as alert_user
from tests.web.alerts.conftest import compose as compose_alert
from tests.web.alerts.conftest import only_alert
from tests.web.repositories.conftest import REGISTER, VALUES
from tests.web.repositories.conftest import _people as repository_people
from tests.web.requests.conftest import as_user, compose, only_request


@pytest.fixture
def sent(postgres, people) -> Request:
    """A request Berlin sent to Paris."""
    assert (
        compose(as_user(postgres, people.requester), people.authorities["paris"].id).status_code
        == 302
    )
    return only_request()


@pytest.fixture
def accepted(postgres, people, sent) -> Request:
    handler = as_user(postgres, people.handler)
    form = rendered(handler, f"/requests/{sent.id}")
    assert handler.post(f"/requests/{sent.id}/accept", data=form).status_code == 302
    return sent


def rendered(client, url: str, prefix: str = "") -> dict:
    """What a form of the page at `url` carries hidden: its CSRF token, its key and the
    version of the case it was rendered with."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(True)
    form = {
        "csrf_token": csrf_token(response),
        f"{prefix}submission": hidden(page, f"{prefix}submission"),
    }
    if f'name="{prefix}version"' in page:  # the request forms carry it
        form[f"{prefix}version"] = hidden(page, f"{prefix}version")
    return form


def stale_message(user, wording: str = "STALE") -> str:
    """The stale refusal in `user`'s language, in the words that fit what the form
    carried (tests/factories stale_words)."""
    return stale_words(user.language, wording)


def error_summary(page: str) -> str:
    assert 'class="error-summary"' in page
    return page.split('class="error-summary"')[1].split("</div>")[0]


def events(item: Request, kind: str) -> list[RequestEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(RequestEvent).where(
                RequestEvent.request_id == item.id, RequestEvent.kind == kind
            )
        )
    )


def at_once(*posts):
    """Run the posts at the same moment, as two officers' browsers would."""
    start = Barrier(len(posts))

    def run(post):
        start.wait()
        return post()

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(run, posts))


def each_at_once(clients, url: str, forms):
    """Each client posts its form to `url`, all at the same moment."""
    return at_once(
        *(lambda c=c, f=f: c.post(url, data=f) for c, f in zip(clients, forms, strict=True))
    )


def the_loser(responses, users) -> tuple[int, str]:
    """Of two posts at once, the one that won, and the other's page: refused (400) with
    the reason in the error summary, in its officer's language."""
    assert sorted(r.status_code for r in responses) == [302, 400]
    won = next(i for i, r in enumerate(responses) if r.status_code == 302)
    lost = responses[1 - won].get_data(True)
    assert stale_words(users[1 - won].language) in [m for _, m in summary_links(lost)]
    return won, lost


def alert_open_twice(postgres, page: str, action: str, typed: list[dict]):
    """A sent alert, and two officers of Berlin each with its form at `page` (posting to
    `action`, both formatted with the alert's id) filled in with their `typed`: the
    alert's id, the users, their clients, the forms and the url they post to."""
    people = restored("alerts: people", alert_people)
    assert compose_alert(alert_user(postgres, people.sender)).status_code == 302
    alert_id = only_alert().id
    users = [people.sender, make_user(people.authorities["berlin"], ["alert_handler"])]
    officers = [alert_user(postgres, user) for user in users]
    page, action = page.format(id=alert_id), action.format(id=alert_id)
    forms = [
        {**rendered_form(officer, page, action), **fields}
        for officer, fields in zip(officers, typed, strict=True)
    ]
    return alert_id, users, officers, forms, action


def test_a_double_click_on_accept_accepts_once(postgres, people, sent):
    # given the handler's case page, rendered once
    handler = as_user(postgres, people.handler)
    form = rendered(handler, f"/requests/{sent.id}")
    # when the accept button is posted twice
    responses = [handler.post(f"/requests/{sent.id}/accept", data=form) for _ in range(2)]
    # then both lead to the case, and it was accepted once
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.location for r in responses} == {f"/requests/{sent.id}"}
    assert len(events(sent, "accepted")) == 1


def test_two_officers_accepting_at_once_one_wins_the_other_is_told(postgres, people, sent):
    # given two handlers of Paris, each with the case page open
    officers = [as_user(postgres, people.handler), as_user(postgres, people.other_handler)]
    forms = [rendered(officer, f"/requests/{sent.id}") for officer in officers]
    # when both accept at the same moment
    url = f"/requests/{sent.id}/accept"
    responses = at_once(
        *(
            lambda o=officer, f=form: o.post(url, data=f)
            for officer, form in zip(officers, forms, strict=True)
        )
    )
    # then one accepted it; the other is told someone else changed the case, in words
    # that keep nothing (no date was proposed: a button) and not "your text is below"
    assert sorted(r.status_code for r in responses) == [302, 400]
    loser = next(i for i, r in enumerate(responses) if r.status_code == 400)
    lost = responses[loser].get_data(True)
    user = (people.handler, people.other_handler)[loser]
    assert stale_message(user, "STALE_ACTION") in error_summary(lost)  # in their language
    assert stale_message(user) not in lost
    assert len(events(sent, "accepted")) == 1
    assert db.session.get(Request, sent.id).state == RequestState.ACCEPTED


def test_two_officers_asking_at_once_the_other_keeps_their_text(postgres, people, accepted):
    # given both handlers writing a question for the requester
    url = f"/requests/{accepted.id}/ask-info"
    officers = [as_user(postgres, people.handler), as_user(postgres, people.other_handler)]
    texts = ["Date of birth please?", "Quelle est la date de naissance exacte ?"]
    forms = [
        {**rendered(officer, url, "ask_info-"), "ask_info-text": text}
        for officer, text in zip(officers, texts, strict=True)
    ]
    # when both send at the same moment
    responses = at_once(
        *(
            lambda o=officer, f=form: o.post(url, data=f)
            for officer, form in zip(officers, forms, strict=True)
        )
    )
    # then one question was sent; the other officer reads why theirs was not, and finds
    # their text on the page
    assert sorted(r.status_code for r in responses) == [302, 400]
    won = next(i for i, r in enumerate(responses) if r.status_code == 302)
    lost = responses[1 - won].get_data(True)
    assert stale_message((people.handler, people.other_handler)[1 - won]) in error_summary(lost)
    assert str(escape(texts[1 - won])) in lost
    assert [e.text for e in events(accepted, "info_requested")] == [texts[won]]


def test_a_form_rendered_before_another_change_is_refused_then_sent(postgres, people, accepted):
    # given the handler writing a question, on a page rendered before the allocator
    # assigned the case
    url = f"/requests/{accepted.id}/ask-info"
    handler = as_user(postgres, people.handler)
    form = {**rendered(handler, url, "ask_info-"), "ask_info-text": "Date of birth please?"}
    allocator = as_user(postgres, people.allocator)
    assigned = allocator.post(
        f"/requests/{accepted.id}/assign",
        data={
            **rendered(allocator, f"/requests/{accepted.id}/assign"),
            "handler": people.handler.id,
        },
    )
    assert assigned.status_code == 302
    # when the handler sends it
    response = handler.post(url, data=form)
    # then it is refused, the reason in the error summary, the text kept, nothing changed
    assert response.status_code == 400
    page = response.get_data(True)
    assert stale_message(people.handler) in error_summary(page)
    assert "Date of birth please?" in page
    assert events(accepted, "info_requested") == []
    # and the page shown again carries the case's version now: sending it works
    again = {**form, "ask_info-version": hidden(page, "ask_info-version")}
    again["ask_info-submission"] = hidden(page, "ask_info-submission")
    assert handler.post(url, data=again).status_code == 302
    assert len(events(accepted, "info_requested")) == 1


def test_a_page_visit_does_not_make_an_open_form_stale(postgres, people, sent):
    # given the handler's accept form, then the requester reading the case (which clears
    # the requester's unread flag)
    handler = as_user(postgres, people.handler)
    form = rendered(handler, f"/requests/{sent.id}")
    assert as_user(postgres, people.requester).get(f"/requests/{sent.id}").status_code == 200
    # when the handler accepts, then it is accepted
    assert handler.post(f"/requests/{sent.id}/accept", data=form).status_code == 302
    assert len(events(sent, "accepted")) == 1


def test_the_version_moves_on_with_each_action(postgres, people, accepted):
    # the count behind the check: sending and accepting each moved it on
    assert db.session.get(Request, accepted.id).version >= 3
    assert db.session.scalar(select(func.count()).select_from(Request)) == 1


def test_two_officers_accepting_a_public_case_at_once_accept_it_once(postgres, smtp_server):
    from app.models import PublicCase, PublicCaseEvent, PublicCaseState
    from tests.factories import make_user
    from tests.snapshots import restored
    from tests.web.public.conftest import _people, confirm_case, submit_case, visitor

    # given a confirmed public case, and two handlers of its authority with it open
    people = restored("public cases: people", _people)
    client = visitor(postgres)
    submit_case(client)
    confirm_case(client, smtp_server)
    case_id = db.session.scalar(select(PublicCase.id))
    second = make_user(people.authorities["lyon"], ["handler"])
    officers = [as_user(postgres, people.handler), as_user(postgres, second)]
    url = f"/public-cases/{case_id}"
    forms = [rendered(officer, url) for officer in officers]
    # when both accept at the same moment
    responses = at_once(
        *(
            lambda o=officer, f=form: o.post(f"{url}/accept", data=f)
            for officer, form in zip(officers, forms, strict=True)
        )
    )
    # then it was accepted once; the other officer is refused, on the case page, told
    # to act again if it still applies (accepting is a button: nothing typed, nothing kept)
    assert sorted(r.status_code for r in responses) == [302, 400]
    lost = next(r for r in responses if r.status_code == 400).get_data(True)
    loser = (people.handler, second)[[r.status_code for r in responses].index(400)]
    assert stale_message(loser, "STALE_ACTION") in [m for _, m in summary_links(lost)]
    assert stale_message(loser) not in lost
    db.session.expire_all()
    accepted = db.session.scalars(
        select(PublicCaseEvent).where(
            PublicCaseEvent.case_id == case_id, PublicCaseEvent.kind == "accepted"
        )
    ).all()
    assert len(accepted) == 1
    assert db.session.get(PublicCase, case_id).state == PublicCaseState.IN_PROGRESS


# --- alerts: two officers of the sending authority on one broadcast alert ------------------


def alert_events(alert_id: int, kind: str) -> int:
    db.session.expire_all()
    rows = select(func.count()).where(AlertEvent.alert_id == alert_id, AlertEvent.kind == kind)
    return db.session.scalar(rows)


# form -> (its page, where it posts, the fields of what an officer typed, how many times it
# was taken). Comments are not here: adding one does not change the alert (Alert.unversioned),
# so two at once both land (below).
ALERT_FORMS = {
    "withdraw": (
        "/alerts/{id}/withdraw",
        "/alerts/{id}/withdraw",
        lambda text: {"reason": text, "confirm": "withdraw"},
        lambda alert_id: alert_events(alert_id, "withdrawn"),
    ),
    "update": (
        "/alerts/{id}/update",
        "/alerts/{id}/update",
        lambda text: {**ALERT_FIELDS, "message": text, "note": "Korrektur", "update": "1"},
        lambda alert_id: alert_events(alert_id, "updated"),
    ),
}


@pytest.mark.parametrize("name", ALERT_FORMS)
def test_two_officers_acting_on_an_alert_at_once_one_wins_the_other_keeps_their_text(
    postgres, name
):
    # given a sent alert, and two officers of Berlin each with the form open
    page, action, typed, taken = ALERT_FORMS[name]
    texts = ["Bitte beachten: Berufung eingelegt.", "Entscheidung vom Gericht aufgehoben."]
    alert_id, users, officers, forms, url = alert_open_twice(
        postgres, page, action, [typed(text) for text in texts]
    )
    assert all(form.get("version") for form in forms)
    version = db.session.get(Alert, alert_id).version
    # when both send at the same moment
    responses = each_at_once(officers, url, forms)
    # then one change landed; the other officer reads why theirs did not, in their
    # language, and finds their text on the page
    won, lost = the_loser(responses, users)
    assert str(escape(texts[1 - won])) in lost
    assert taken(alert_id) == 1
    assert db.session.get(Alert, alert_id).version == version + 1


# --- repository records: two editors of the owner on one record -----------------------------


def test_two_editors_saving_a_record_at_once_save_it_once_the_other_keeps_their_text(postgres):
    # given a record of Berlin's, and two editors of Berlin each with its edit form open
    people = restored("repositories: people", repository_people)
    editor = as_user(postgres, people.editor)
    assert post_form(editor, f"/repositories/{REGISTER}/new", VALUES).status_code == 302
    record_id = db.session.scalar(select(RepositoryRecord.id))
    users = [people.editor, make_user(people.authorities["berlin"], ["handler"])]
    editors = [editor, as_user(postgres, users[1])]
    url = f"/repositories/records/{record_id}/edit"
    typed = [
        {"field-measure_scope": "Surgery only", "note": "Scope narrowed on appeal"},
        {"field-measure_scope": "Paediatrics only", "note": "Scope set by the court"},
    ]
    forms = [
        {**rendered_form(officer, url), **VALUES, **changes}
        for officer, changes in zip(editors, typed, strict=True)
    ]
    assert all(form.get("version") for form in forms)
    # when both save at the same moment
    responses = each_at_once(editors, url, forms)
    # then one version was saved; the other editor is told why theirs was not, in their
    # language, with what they typed kept
    won, lost = the_loser(responses, users)
    for kept in typed[1 - won].values():
        assert str(escape(kept)) in lost
    db.session.expire_all()
    versions = db.session.scalars(
        select(RepositoryRecordVersion).where(RepositoryRecordVersion.record_id == record_id)
    ).all()
    assert len(versions) == 2
    record = db.session.get(RepositoryRecord, record_id)
    assert (record.version, record.fields["measure_scope"]) == (
        2,
        typed[won]["field-measure_scope"],
    )


def test_two_officers_commenting_on_an_alert_at_once_both_comments_land(postgres):
    # given a sent alert, and two officers of Berlin each writing a comment on its page
    texts = ["Bitte beachten: Berufung eingelegt.", "Entscheidung vom Gericht bestätigt."]
    alert_id, _users, officers, forms, url = alert_open_twice(
        postgres, "/alerts/{id}", "/alerts/{id}/comment", [{"text": text} for text in texts]
    )
    version = db.session.get(Alert, alert_id).version
    # when both send at the same moment
    responses = each_at_once(officers, url, forms)
    # then both comments are on the timeline: a comment changes nothing another officer
    # is writing against, so neither is refused
    assert [r.status_code for r in responses] == [302, 302]
    assert alert_events(alert_id, "comment") == 2
    assert db.session.get(Alert, alert_id).version == version
