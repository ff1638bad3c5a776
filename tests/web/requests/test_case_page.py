"""The case page offers one next step; the other actions have pages of their own, the
destructive ones a confirmation; a refused action comes back with the GOV.UK error
summary, each message linked to its field, what was typed kept.

Germany's Approbation office (Berlin, German-speaking officers) asks France's medical
council (Paris, French-speaking); an Italian authority has no part in it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Request, RequestState
from tests.factories import csrf_token, date_input, words
from tests.web.requests.conftest import as_user, only_request
from tests.web.requests.test_who_may_act import (
    ANSWERED,
    DRAFT,
    INFO_REQUESTED,
    REFERRED,
    SENT,
    build,
    snapshot,
)


def url(item: Request, step: str = "") -> str:
    return f"/requests/{item.id}" + (f"/{step}" if step else "")


def post(client, item: Request, step: str, data: dict, page: str | None = None):
    """POST `step` with the CSRF token of `page` (the step's own page by default)."""
    token = csrf_token(client.get(page or url(item, step)))
    return client.post(url(item, step), data={"csrf_token": token, **data})


def textareas(page: str) -> list[str]:
    """The ids of the page's text areas, but the translation forms' (each foreign text
    offers one, folded away in a disclosure)."""
    found = re.findall(r'<textarea id="([^"]+)"', page)
    return [i for i in found if not i.startswith("correction-")]


def summary_links(page: str) -> list[tuple[str, str]]:
    """The error summary's (link target, message) pairs."""
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    return [(a, m.strip()) for a, m in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)]


# --- one next step ----------------------------------------------------------------------


def test_the_responders_page_for_a_new_request_is_short(app, people):
    # Given a request just sent to Paris
    item = build(people, SENT)
    allocator = as_user(app, people.allocator)

    # When the allocator opens it
    page = allocator.get(url(item)).get_data(True)

    # Then accepting is the one next step, with no text area at all
    assert textareas(page) == []
    assert f'action="{url(item, "accept")}"' in page
    # the other actions are links to pages of their own
    for step in ("assign", "forward", "split", "refer"):
        assert f'href="{url(item, step)}"' in page, step
    assert 'id="forward-authority"' not in page and 'id="split-text"' not in page
    # the reply date is proposed in three text inputs (GOV.UK date input)
    assert 'type="date"' not in page
    for part in ("day", "month", "year"):
        assert f'name="proposed_due-{part}"' in page


def test_the_answer_form_is_the_handlers_only_text_and_the_information_is_above_it(app, people):
    # Given an accepted request where Paris asked for more information and Berlin gave it
    item = build(people, SENT)
    handler = as_user(app, people.handler)
    assert post(handler, item, "accept", {}, page=url(item)).status_code == 302
    assert post(handler, item, "ask-info", {"ask_info-text": "Date of birth?"}).status_code == 302
    requester = as_user(app, people.requester)
    reply = {"reply_info-text": "Born on 2 April 1980."}
    assert post(requester, item, "reply-info", reply, page=url(item)).status_code == 302

    # When the handler opens it
    page = handler.get(url(item)).get_data(True)

    # Then the text areas are the answer form's (a comment per question, the message)
    form = page.split(f'action="{url(item, "answers")}"')[1].split("</form>")[0]
    assert textareas(page) == textareas(form)
    # and what the requester gave is shown before the answer form
    assert page.index("Born on 2 April 1980.") < page.index(url(item, "answers"))
    assert page.index("Date of birth?") < page.index(url(item, "answers"))


def test_the_requester_closes_an_answered_request_from_its_next_step(app, people):
    item = build(people, ANSWERED)
    page = as_user(app, people.requester).get(url(item)).get_data(True)
    next_step = page.split('class="next-step"')[1].split("</section>")[0]
    assert f'href="{url(item, "close")}"' in next_step
    assert textareas(page) == []


def test_delete_is_apart_from_send(app, people):
    # Given a draft, its page: the red Delete is not in the next step with the green Send
    item = build(people, DRAFT)
    page = as_user(app, people.requester).get(url(item)).get_data(True)
    next_step = page.split('class="next-step"')[1].split("</section>")[0]
    assert f'action="{url(item, "send")}"' in next_step
    assert "warning" not in next_step
    assert f'class="button warning" href="{url(item, "discard")}"' in page


# --- the actions' own pages: who may open them --------------------------------------------

# (step, state it is in) -> who gets what: 200 the page; 302 back to the case (the state
# does not allow it now); 403 a viewer or the wrong side or role; 404 no party to it.
PAGES: dict[tuple[str, str], dict[str, int]] = {
    ("forward", SENT): {
        "handler": 200, "allocator": 200, "viewer": 403,
        "requester": 403, "requester_viewer": 403, "italian": 404,
    },
    ("split", SENT): {"handler": 200, "requester": 403, "viewer": 403, "italian": 404},
    ("assign", SENT): {"allocator": 200, "handler": 403, "viewer": 403, "italian": 404},
    ("ask-info", SENT): {"handler": 302, "viewer": 403, "italian": 404},
    ("refer", SENT): {"handler": 200, "requester": 200, "viewer": 403, "italian": 404},
    ("withdraw", SENT): {
        "requester": 200, "requester_viewer": 403, "handler": 403, "viewer": 403, "italian": 404,
    },
    ("withdraw", ANSWERED): {"requester": 302},
    ("close", SENT): {"requester": 302, "handler": 403},
    ("close", ANSWERED): {"requester": 200, "requester_viewer": 403, "handler": 403},
    ("further-question", ANSWERED): {"requester": 200, "handler": 403, "viewer": 403},
    ("reply-info", INFO_REQUESTED): {"requester": 200, "handler": 403, "viewer": 403},
    ("resolve", REFERRED): {"coordinator_fr": 200, "coordinator_de": 200, "handler": 403},
    ("discard", DRAFT): {"requester": 200, "requester_viewer": 403, "handler": 404, "viewer": 403},
}  # fmt: skip


@pytest.mark.parametrize(("step", "state"), list(PAGES))
def test_who_may_open_an_actions_page_and_it_changes_nothing(app, people, step, state):
    item = build(people, state)
    before = snapshot(item.id)
    for who, status in PAGES[(step, state)].items():
        response = as_user(app, getattr(people, who)).get(url(item, step))
        assert response.status_code == status, who
        if status == 302:
            assert response.headers["Location"] == url(item)
        # a GET never changes anything
        assert snapshot(item.id) == before, who


# --- confirmations ------------------------------------------------------------------------


def test_withdrawing_is_confirmed_with_a_reason(app, people):
    item = build(people, SENT)
    requester = as_user(app, people.requester)

    # The confirmation asks for the reason; showing it withdraws nothing
    page = requester.get(url(item, "withdraw")).get_data(True)
    assert textareas(page) == ["withdraw-text"]
    assert 'class="button warning"' in page and f'href="{url(item)}"' in page
    assert only_request().state == RequestState.SENT

    # Without a reason: the summary names it and links to the field
    response = post(requester, item, "withdraw", {"withdraw-text": "  "})
    assert response.status_code == 400
    page = response.get_data(True)
    assert summary_links(page) == [
        ("withdraw-text", words("Write the reason for withdrawing", "de"))
    ]
    field = re.search(r'<textarea[^>]*id="withdraw-text"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field

    # With one, it is withdrawn and the reason is the event's text
    response = post(requester, item, "withdraw", {"withdraw-text": "Settled otherwise."})
    assert response.status_code == 302 and response.headers["Location"] == url(item)
    item = only_request()
    assert item.state == RequestState.WITHDRAWN
    assert (item.events[-1].kind, item.events[-1].text) == ("withdrawn", "Settled otherwise.")


def test_closing_is_confirmed_and_keeps_the_closing_note(app, people):
    item = build(people, ANSWERED)
    requester = as_user(app, people.requester)
    page = requester.get(url(item, "close")).get_data(True)
    assert textareas(page) == ["close-text"]
    assert only_request().state == RequestState.ANSWERED

    response = post(requester, item, "close", {"close-text": "Thank you, all clear."})
    assert response.status_code == 302
    item = only_request()
    assert item.state == RequestState.CLOSED
    assert (item.events[-1].kind, item.events[-1].text) == ("closed", "Thank you, all clear.")


def test_the_closing_note_is_optional(app, people):
    item = build(people, ANSWERED)
    response = post(as_user(app, people.requester), item, "close", {"close-text": ""})
    assert response.status_code == 302
    assert only_request().state == RequestState.CLOSED


def test_deleting_a_draft_is_confirmed(app, people):
    item = build(people, DRAFT)
    requester = as_user(app, people.requester)
    page = requester.get(url(item, "discard")).get_data(True)
    assert item.reference in page and 'class="button warning"' in page
    assert only_request() is not None

    response = post(requester, item, "discard", {})
    assert response.status_code == 302
    assert response.headers["Location"] == "/requests?box=drafts"
    db.session.expire_all()
    assert db.session.query(Request).count() == 0


# --- errors: the summary, the field, the text kept ----------------------------------------


def test_forward_starts_on_choose_and_each_missing_field_is_named(app, people):
    item = build(people, SENT)
    handler = as_user(app, people.handler)
    page = handler.get(url(item, "forward")).get_data(True)
    select = page.split('id="forward-authority"')[1].split("</select>")[0]
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first and "selected" in first

    # Nothing chosen, a reason typed: the authority is asked for, the reason kept
    response = post(handler, item, "forward", {"forward-authority": "", "forward-text": "Lyon."})
    assert response.status_code == 400
    page = response.get_data(True)
    assert summary_links(page) == [
        ("forward-authority", words("Choose the authority to forward the request to", "fr"))
    ]
    assert re.search(r">\s*Lyon\.</textarea>", page)

    # An authority chosen, no reason: the reason is asked for, the choice kept
    lyon = people.authorities["lyon"].id
    response = post(handler, item, "forward", {"forward-authority": lyon, "forward-text": ""})
    page = response.get_data(True)
    assert summary_links(page) == [("forward-text", words("Write the reason for forwarding", "fr"))]
    assert re.search(rf'<option selected value="{lyon}"|<option value="{lyon}" selected', page)
    assert only_request().responder_authority_id == people.authorities["paris"].id


def test_split_names_the_missing_questions(app, people):
    item = build(people, SENT)
    handler = as_user(app, people.handler)
    vienna = people.authorities["vienna"].id
    data = {"split-authority": vienna, "split-text": "Sanctions are kept in Vienna."}
    response = post(handler, item, "split", data)
    assert response.status_code == 400
    links = summary_links(response.get_data(True))
    assert links == [("split-questions-0", words("Choose the questions to move", "fr"))]


def test_a_refusal_is_in_the_summary_and_the_text_is_kept(app, people):
    # Given a withdrawal begun on a page that became stale (the request was answered)
    item = build(people, ANSWERED)
    requester = as_user(app, people.requester)
    response = post(
        requester, item, "withdraw", {"withdraw-text": "No longer needed."}, page=url(item)
    )

    # Then the state's refusal is in the summary and the reason is still in its field
    assert response.status_code == 400
    page = response.get_data(True)
    state = words("This action is not possible in the request's current state.", "de")
    assert [m for _a, m in summary_links(page)] == [state.replace("'", "&#39;")]
    assert re.search(r">\s*No longer needed\.</textarea>", page)
    assert only_request().state == RequestState.ANSWERED


def test_an_empty_inline_reply_comes_back_on_the_case_page(app, people):
    item = build(people, SENT)
    handler = as_user(app, people.handler)
    post(handler, item, "accept", {}, page=url(item))
    post(handler, item, "ask-info", {"ask_info-text": "Date of birth?"})
    requester = as_user(app, people.requester)
    response = post(requester, item, "reply-info", {"reply_info-text": ""}, page=url(item))
    assert response.status_code == 400
    page = response.get_data(True)
    assert summary_links(page) == [
        ("reply_info-text", words("Write the information asked for", "de"))
    ]
    assert "<h1>" in page and item.reference in page  # the case page itself


# --- the proposed reply date --------------------------------------------------------------


def test_the_proposed_date_is_three_inputs_checked_with_clear_messages(app, people):
    item = build(people, SENT)
    handler = as_user(app, people.handler)
    later = item.reply_due + timedelta(days=30)

    # A month missing: named, linked to the month, the day and year kept
    typed = {"proposed_due-day": "31", "proposed_due-month": "", "proposed_due-year": "2031"}
    response = post(handler, item, "accept", typed, page=url(item))
    assert response.status_code == 400
    page = response.get_data(True)
    with_month = words(
        "%(field)s must include a month", "fr", field=words("the proposed date", "fr")
    )
    assert summary_links(page) == [("proposed_due-month", with_month[0].upper() + with_month[1:])]
    assert 'name="proposed_due-day" value="31"' in page
    assert 'name="proposed_due-year" value="2031"' in page

    # Not later than the reply date: the refusal sits on the date
    earlier = date_input("proposed_due", (item.reply_due - timedelta(days=1)).isoformat())
    response = post(handler, item, "accept", earlier, page=url(item))
    assert response.status_code == 400
    assert [a for a, _m in summary_links(response.get_data(True))] == ["proposed_due-day"]
    assert only_request().state == RequestState.SENT

    # A real later date is proposed with the acceptance
    proposal = date_input("proposed_due", later.isoformat())
    response = post(handler, item, "accept", proposal, page=url(item))
    assert response.status_code == 302
    item = only_request()
    assert item.state == RequestState.ACCEPTED and item.proposed_due == later
