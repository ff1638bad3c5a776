"""The whole request exchange in the browser, as officers of three countries run it:
sent to the wrong authority of the right country and forwarded within it, allocated, accepted, more information asked
and given, answered, a further question, answered again, closed; and the refusals (a
viewer's forged post, a stale page's action, another country's officer) that lose
nothing. axe-core runs on every kind of page; one officer works without JavaScript."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import ProcedureAccess, Request, RequestState
from app.procedures.store import sync
from tests.browser.helpers import fill_date, sign_in
from tests.factories import make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROCEDURE_NAME = "Good standing and legal establishment of a professional"


def _world():
    sync()
    berlin = make_authority("DE", name="Landesamt Berlin")
    vienna = make_authority("AT", name="Ärztekammer Wien")
    lyon = make_authority("FR", name="Ordre des médecins Lyon")
    paris = make_authority("FR", name="Ordre des médecins Paris")
    rome = make_authority("IT", name="Ministero della Salute")
    for authority in (berlin, vienna, lyon, paris, rome):
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id,
                procedure_key="pq_good_standing",
                roles=["requester", "responder"],
            )
        )
    db.session.commit()
    return {
        "requester": make_user(berlin, ["handler"]),
        "lyonnais": make_user(lyon, ["handler", "allocator"]),
        "allocator": make_user(paris, ["allocator"]),
        "handler": make_user(paris, ["handler"]),
        "viewer": make_user(paris, ["viewer"]),
        "italian": make_user(rome, ["handler", "allocator"]),
        "paris": paris,
    }


def _flash(page, text: str) -> None:
    page.locator(".flash", has_text=text).wait_for()


def _open_case(page, base: str, reference: str, box: str) -> None:
    page.goto(f"{base}/requests?box={box}")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("heading", name=re.compile(reference)).wait_for()


def _request() -> Request:
    db.session.expire_all()
    return db.session.query(Request).one()


def test_two_countries_run_a_request_from_sending_to_closure(app, live_server, new_page, watch):
    people = _world()
    base = live_server

    # The German officer composes the request and sends it (to Lyon, by mistake)
    requester = new_page()
    sign_in(requester, base, people["requester"].email, people["requester"].totp_secret)
    requester.get_by_role("link", name="Requests").first.click()
    watch.axe(requester, "inbox")
    requester.get_by_role("link", name="New request").click()
    requester.get_by_label(PROCEDURE_NAME).check()
    requester.get_by_role("button", name="Continue").click()
    watch.axe(requester, "compose")
    # The message typed first and the file chosen survive the country filter (htmx swaps
    # only the list)
    requester.get_by_label("Message to the responding authority").fill("Bitte bestätigen.")
    requester.get_by_label("Files (optional)").set_input_files(
        [{"name": "diploma.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    responder = requester.get_by_label("Responding authority", exact=True)
    assert responder.input_value() == ""  # no authority is chosen for the officer
    requester.get_by_label("Country", exact=True).select_option("FR")
    requester.get_by_role("button", name="Filter").click()
    requester.locator("#responder option", has_text="Ärztekammer Wien").wait_for(state="detached")
    assert requester.get_by_label("Message to the responding authority").input_value() == (
        "Bitte bestätigen."
    )
    assert requester.locator("#files").evaluate("input => input.files.length") == 1
    # Sending without a subject: refused, and the choices already made are kept
    responder.select_option(label="Ordre des médecins Lyon (FR)")
    requester.locator("#q-legally_established").check()
    requester.locator("#q-sanctions_imposed").check()
    requester.get_by_role("button", name="Send the request").click()
    requester.locator(".error-summary").wait_for()
    watch.axe(requester, "compose with errors")
    assert requester.locator("#q-sanctions_imposed").is_checked()
    assert requester.get_by_label("Message to the responding authority").input_value() == (
        "Bitte bestätigen."
    )
    # the file is held and listed: the officer need not choose it again
    assert requester.locator("#files-held li", has_text="diploma.pdf").count() == 1
    # the required details were flagged too; the officer fills them in
    assert requester.locator(".details .has-error").count() == 2
    requester.get_by_label("Person or company concerned").fill("Dr. Marie Dupont")
    requester.locator("#detail-profession").fill("Doctor of medicine")
    fill_date(requester, "Date of birth of the professional", "1980-04-02")
    requester.get_by_role("button", name="Send the request").click()
    _flash(requester, "The request has been sent.")
    assert requester.locator("dd", has_text="Doctor of medicine").count() == 1
    assert requester.get_by_role("link", name="diploma.pdf").count() == 1
    reference = requester.locator("h1").inner_text().split()[0]
    watch.axe(requester, "case page, requester")

    # Lyon forwards it to Paris with a reason (only French authorities are offered)
    lyonnais = new_page()
    sign_in(lyonnais, base, people["lyonnais"].email, people["lyonnais"].totp_secret)
    _open_case(lyonnais, base, reference, "received")
    lyonnais.get_by_role("link", name="Forward to a better-placed authority").click()
    assert lyonnais.locator("#forward-authority").input_value() == ""  # "Choose"
    assert lyonnais.locator("#forward-authority option", has_text="Wien").count() == 0
    watch.axe(lyonnais, "forward page")
    lyonnais.locator("#forward-authority").select_option(label="Ordre des médecins Paris (FR)")
    lyonnais.locator("#forward-text").fill("Elle est inscrite à Paris.")
    lyonnais.get_by_role("button", name="Forward").click()
    _flash(lyonnais, "The request has been forwarded.")
    assert _request().responder_authority_id == people["paris"].id

    # The Paris allocator assigns it to a handler
    allocator = new_page()
    sign_in(allocator, base, people["allocator"].email, people["allocator"].totp_secret)
    _open_case(allocator, base, reference, "received")
    watch.axe(allocator, "case page, allocator")
    assert allocator.locator("main textarea:not([id^=correction-])").count() == 0
    allocator.get_by_role("link", name="Assign the request").click()
    allocator.get_by_label("Handler").select_option(label=people["handler"].full_name)
    allocator.get_by_role("button", name="Assign").click()
    _flash(allocator, "The request has been assigned.")

    # The handler works without JavaScript: accepts and asks for more information
    handler = new_page(java_script_enabled=False)
    sign_in(handler, base, people["handler"].email, people["handler"].totp_secret)
    _open_case(handler, base, reference, "assigned")
    handler.get_by_role("button", name="Accept the request").click()
    _flash(handler, "You have accepted the request.")
    handler.get_by_role("link", name="Ask the requester for more information").click()
    handler.locator("#ask_info-text").fill("Please give the date of birth.")
    handler.get_by_role("button", name="Ask", exact=True).click()
    _flash(handler, "Your question has been sent.")

    # The requester gives it
    _open_case(requester, base, reference, "sent")
    requester.locator("#reply_info-text").fill("2 April 1980.")
    requester.get_by_role("button", name="Send the information").click()
    _flash(requester, "Your reply has been sent.")

    # A viewer in Paris sees the case but a forged accept is refused
    viewer = new_page()
    sign_in(viewer, base, people["viewer"].email, people["viewer"].totp_secret)
    _open_case(viewer, base, reference, "received")
    assert viewer.get_by_role("button", name="Send the reply").count() == 0
    token = viewer.locator("input[name=csrf_token]").first.get_attribute("value")
    forged = viewer.request.post(
        f"{base}/requests/{_request().id}/ask-info",
        form={"csrf_token": token, "ask_info-text": "forged"},
    )
    assert forged.status == 403

    # The requester starts a withdrawal on a page that is about to be stale...
    _open_case(requester, base, reference, "sent")
    requester.get_by_role("link", name="Withdraw the request").click()
    watch.axe(requester, "withdrawal confirmation")
    requester.locator("#withdraw-text").fill("We no longer need it, the file is closed.")

    # ...while the handler answers every question and sends the reply
    _open_case(handler, base, reference, "assigned")
    handler.locator("input[name^=answer-][value=yes]").first.check()
    handler.locator("input[name^=answer-][value=no]").last.check()
    handler.get_by_role("button", name="Send the reply").click()
    _flash(handler, "Your reply has been sent.")
    # (axe needs JavaScript: the answered case is audited in the allocator's browser)
    _open_case(allocator, base, reference, "received")
    watch.axe(allocator, "case page, answered")

    # The stale withdrawal is refused with the reason, and the text is kept in its field
    requester.get_by_role("button", name="Withdraw the request").click()
    requester.locator(".error-summary").wait_for()
    assert "the file is closed" in requester.locator("#withdraw-text").input_value()
    watch.axe(requester, "refused action")
    assert _request().state == RequestState.ANSWERED

    # An Italian officer cannot open the case, as a page or as an htmx partial
    italian = new_page()
    sign_in(italian, base, people["italian"].email, people["italian"].totp_secret)
    case_url = f"{base}/requests/{_request().id}"
    assert italian.goto(case_url).status == 404
    assert italian.request.get(case_url, headers={"HX-Request": "true"}).status == 404
    assert reference not in italian.goto(f"{base}/requests").text()

    # The requester asks a further question; it is answered; the requester closes
    _open_case(requester, base, reference, "sent")
    requester.get_by_role("link", name="Ask a further question").click()
    requester.locator("#further_question-text").fill("Since when is she registered?")
    requester.get_by_role("button", name="Ask", exact=True).click()
    _flash(requester, "Your further question has been sent.")
    _open_case(handler, base, reference, "assigned")
    handler.get_by_role("button", name="Send the reply").click()
    _flash(handler, "Your reply has been sent.")
    _open_case(requester, base, reference, "sent")
    requester.get_by_role("link", name="Close the request").click()
    requester.get_by_label("Closing note (optional)").fill("Thank you.")
    requester.get_by_role("button", name="Close the request").click()
    _flash(requester, "The request is closed.")

    item = _request()
    assert item.state == RequestState.CLOSED and item.events[-1].text == "Thank you."
    assert [e.kind for e in item.events] == [
        "attachment",  # chosen while composing: on the timeline as any file added
        "sent",
        "forwarded",
        "assigned",
        "accepted",
        "info_requested",
        "info_given",
        "answered",
        "further_question",
        "answered",
        "closed",
    ]
    # The refusals answered 400/404 on purpose; nothing else went wrong
    expected = re.compile(r"HTTP (400|404) ")
    watch.errors[:] = [e for e in watch.errors if not expected.match(e)]
    watch.assert_clean()
