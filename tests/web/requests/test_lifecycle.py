"""The whole exchange through the web, as two officers of two countries would run it."""

from __future__ import annotations

import re

from flask_babel import force_locale
from markupsafe import escape

from app.blueprints.requests.page import REFUSALS
from app.extensions import db
from app.models import AuditEvent, AuthorityStatus, Request, RequestState
from app.records import audit
from tests.factories import date_input, make_authority
from tests.web.requests.conftest import as_user, compose, grant, only_request, submit


def case_url(item: Request) -> str:
    return f"/requests/{item.id}"


def act(client, item, action: str, data: dict | None = None):
    return submit(client, case_url(item), f"{case_url(item)}/{action}", data or {})


def forward(client, item, authority, reason: str):
    return act(client, item, "forward", {"forward-authority": authority.id, "forward-text": reason})


def test_a_request_from_draft_to_closure(app, people, smtp_server):
    berlin, paris = people.authorities["berlin"], people.authorities["paris"]
    requester = as_user(app, people.requester)

    # The German officer saves a draft, then sends it
    response = compose(requester, paris.id, send=False)
    assert response.status_code == 302
    item = only_request()
    assert item.state == RequestState.DRAFT and item.pack_version == 1
    assert [q.question_key for q in item.questions] == [
        "legally_established",
        "registration_status",
        "sanctions_imposed",
    ]
    assert people.allocator.email not in [m.to for m in smtp_server.messages]
    assert act(requester, item, "send").status_code == 302
    db.session.refresh(item)
    assert item.state == RequestState.SENT and item.reply_due is not None
    assert item.due_basis["country"] == "FR" and item.due_basis["working_days"] == 20

    # The French allocator is told, sees it in the inbox and assigns it
    assert smtp_server.to(people.allocator.email)
    allocator = as_user(app, people.allocator)
    inbox = allocator.get("/requests?box=received").get_data(True)
    assert item.reference in inbox
    response = act(allocator, item, "assign", {"handler": people.handler.id})
    assert response.status_code == 302
    handler = as_user(app, people.handler)
    assert item.reference in handler.get("/requests?box=assigned").get_data(True)
    assert item.reference not in as_user(app, people.other_handler).get(
        "/requests?box=assigned"
    ).get_data(True)

    # The handler accepts, asks for more information; the requester gives it
    assert act(handler, item, "accept").status_code == 302
    response = act(handler, item, "ask-info", {"ask_info-text": "Date of birth please?"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state == RequestState.INFO_REQUESTED
    response = act(requester, item, "reply-info", {"reply_info-text": "2 April 1980."})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state == RequestState.ACCEPTED

    # The handler saves part of the answers, then cannot send with a required one missing
    questions = {q.question_key: q.id for q in item.questions}
    partial = {f"answer-{questions['legally_established']}": "yes", "save": "1"}
    assert act(handler, item, "answers", partial).status_code == 302
    response = act(
        handler,
        item,
        "answers",
        {
            f"answer-{questions['legally_established']}": "yes",
            f"answer-{questions['registration_status']}": "active",
            f"comment-{questions['registration_status']}": "Inscrite au tableau depuis 2008.",
            "text": "Réponse complète sauf sanctions",
            "send": "1",
        },
    )
    assert response.status_code == 400
    page = response.get_data(True)
    assert "Inscrite au tableau depuis 2008." in page and "Réponse complète sauf sanctions" in page
    db.session.refresh(item)
    assert item.state == RequestState.ACCEPTED

    # ...and sends the full reply
    response = act(
        handler,
        item,
        "answers",
        {
            f"answer-{questions['legally_established']}": "yes",
            f"answer-{questions['registration_status']}": "active",
            f"answer-{questions['sanctions_imposed']}": "no",
            "send": "1",
        },
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state == RequestState.ANSWERED
    assert smtp_server.to(people.requester.email)

    # The requester asks a further question, it is answered, and the requester closes
    response = act(requester, item, "further-question", {"further_question-text": "Since when?"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state == RequestState.ACCEPTED
    send = {
        f"answer-{qid}": v
        for qid, v in zip(questions.values(), ("yes", "active", "no"), strict=True)
    }
    assert act(handler, item, "answers", {**send, "send": "1"}).status_code == 302
    assert act(requester, item, "close").status_code == 302
    db.session.refresh(item)
    assert item.state == RequestState.CLOSED and item.closed_at is not None

    # The timeline holds every step, in order; the audit chain holds each change and read
    kinds = [e.kind for e in item.events]
    assert kinds == [
        "sent",
        "assigned",
        "accepted",
        "info_requested",
        "info_given",
        "answered",
        "further_question",
        "answered",
        "closed",
    ]
    actions = {e.action for e in db.session.query(AuditEvent).filter_by(object_id=str(item.id))}
    assert {"request.sent", "request.closed", "request.viewed"} <= actions
    assert audit.verify().ok
    assert berlin.id == item.requester_authority_id


def test_wrong_role_wrong_state_are_refused_and_keep_the_text(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()

    # A viewer of the responder cannot accept; the requester cannot answer its own request
    viewer = as_user(app, people.viewer)
    assert act(viewer, item, "accept").status_code == 403
    response = act(requester, item, "ask-info", {"ask_info-text": "Mon texte à garder"})
    assert response.status_code == 400
    assert "Mon texte à garder" in response.get_data(True)
    # Closing before an answer is the wrong state
    response = act(requester, item, "close")
    assert response.status_code == 400
    with force_locale("de"):
        assert escape(str(REFUSALS["state"])) in response.get_data(True)
    db.session.refresh(item)
    assert item.state == RequestState.SENT and item.events[-1].kind == "sent"


def test_foreign_authorities_cannot_reach_a_request(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    italian = as_user(app, people.italian)
    for url in (case_url(item), f"{case_url(item)}/edit"):
        assert italian.get(url).status_code == 404
        assert italian.get(url, headers={"HX-Request": "true"}).status_code == 404
    token_page = italian.get("/requests")
    response = submit(italian, "/requests", f"{case_url(item)}/accept", {})
    assert response.status_code == 404
    assert item.reference not in token_page.get_data(True)
    db.session.refresh(item)
    assert item.state == RequestState.SENT


def test_forward_moves_the_request_and_the_old_responder_loses_it(app, people, smtp_server):
    paris, lyon = people.authorities["paris"], people.authorities["lyon"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    handler = as_user(app, people.handler)

    # Without a reason nothing moves, and the page says why
    assert forward(handler, item, lyon, "").status_code == 400
    assert forward(handler, item, lyon, "Registered in the Rhône.").status_code == 302
    db.session.refresh(item)
    assert item.responder_authority_id == lyon.id and item.state == RequestState.SENT
    assert item.responder_country == "FR"  # the sent box filters by it
    assert handler.get(case_url(item)).status_code == 404
    assert smtp_server.to(people.lyonnais.email)
    assert as_user(app, people.lyonnais).get(case_url(item)).status_code == 200


def _choices(page: str, select_id: str) -> str:
    return page.split(f'id="{select_id}"')[1].split("</select>")[0]


def test_forward_stays_within_the_responders_country(app, people):
    """IMI forwards within a Member State: the form offers only the responder's country's
    authorities (a split may go abroad), and a forged forward abroad changes nothing."""
    paris, vienna = people.authorities["paris"], people.authorities["vienna"]
    compose(as_user(app, people.requester), paris.id)
    item = only_request()
    handler = as_user(app, people.handler)
    page = handler.get(f"{case_url(item)}/forward").get_data(True)
    offered = _choices(page, "forward-authority")
    assert "Ordre des médecins du Rhône" in offered
    assert "Österreichische Ärztekammer" not in offered and "Ministero" not in offered
    split = handler.get(f"{case_url(item)}/split?country=AT").get_data(True)
    assert "Österreichische Ärztekammer" in _choices(split, "split-authority")

    events = len(item.events)
    response = forward(handler, item, vienna, "Competence lies in Austria.")
    assert response.status_code == 400
    page = response.get_data(True)
    with force_locale("fr"):  # the responder reads French
        refusal = str(escape(str(REFUSALS["forward_country"])))
    assert refusal in page
    assert "Competence lies in Austria." in page  # the reason typed is kept
    db.session.expire_all()
    item = db.session.get(Request, item.id)
    assert item.responder_authority_id == paris.id and item.responder_country == "FR"
    assert len(item.events) == events
    forwarded = db.session.query(AuditEvent).filter_by(action="request.forwarded").count()
    assert forwarded == 0


def test_forward_offers_the_countrys_other_responders_by_name_and_refuses_the_rest(app, people):
    """The forward page offers the active authorities of the responder's country that
    answer the procedure, by name, not the responder itself; a forged choice of an
    authority of that country that does not answer it (or no longer may) changes nothing."""
    paris = people.authorities["paris"]
    for name in ("Union régionale des médecins", "Agence régionale de santé"):
        grant(make_authority("FR", name=name), ["responder"])  # not added in name order
    asking_only = make_authority("FR", name="Préfecture du Rhône")
    grant(asking_only, ["requester"])
    suspended = make_authority("FR", name="Conseil suspendu", status=AuthorityStatus.SUSPENDED)
    grant(suspended, ["responder"])
    compose(as_user(app, people.requester), paris.id)
    item = only_request()
    handler = as_user(app, people.handler)

    page = handler.get(f"{case_url(item)}/forward").get_data(True)
    offered = re.findall(r'value="\d+"[^>]*>([^<]*)<', _choices(page, "forward-authority"))
    assert offered == [
        "Agence régionale de santé (FR)",
        "Ordre des médecins du Rhône (FR)",
        "Union régionale des médecins (FR)",
    ]

    events = len(item.events)
    for authority in (asking_only, suspended, paris):
        response = forward(handler, item, authority, "Better placed.")
        assert response.status_code == 400
        with force_locale("fr"):
            assert str(escape(str(REFUSALS["responder"]))) in response.get_data(True)
    db.session.expire_all()
    item = db.session.get(Request, item.id)
    assert item.responder_authority_id == paris.id and len(item.events) == events


def test_split_moves_chosen_questions_to_a_linked_request(app, people):
    paris, vienna = people.authorities["paris"], people.authorities["vienna"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    moving = item.questions[-1]
    handler = as_user(app, people.handler)
    response = act(
        handler,
        item,
        "split",
        {
            "split-questions": [moving.id],
            "split-authority": vienna.id,
            "split-text": "Sanctions are kept in Vienna.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    child = db.session.query(Request).filter_by(parent_id=item.id).one()
    assert [q.question_key for q in child.questions] == ["sanctions_imposed"]
    assert "sanctions_imposed" not in [q.question_key for q in item.questions]
    assert child.state == RequestState.SENT and child.responder_authority_id == vienna.id


def test_a_proposed_reply_date_is_agreed_by_the_requester(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    handler = as_user(app, people.handler)
    later = item.reply_due.replace(year=item.reply_due.year + 1)
    wrong = {"proposed_due-day": "31", "proposed_due-month": "2", "proposed_due-year": "2027"}
    assert act(handler, item, "accept", wrong).status_code == 400
    response = act(handler, item, "accept", date_input("proposed_due", later.isoformat()))
    assert response.status_code == 302
    assert act(requester, item, "date", {"decision": "agree"}).status_code == 302
    db.session.refresh(item)
    assert item.reply_due == later and item.proposed_due is None


def test_withdraw_and_referral_resolved_by_a_coordinator(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    handler = as_user(app, people.handler)
    coordinator_fr = as_user(app, people.coordinator_fr)
    assert coordinator_fr.get(case_url(item)).status_code == 404
    assert act(handler, item, "refer", {"refer-text": "The date is impossible."}).status_code == 302
    assert item.reference in coordinator_fr.get("/requests/referrals").get_data(True)
    response = act(coordinator_fr, item, "resolve", {"resolve-text": "Reply within 30 days."})
    assert response.status_code == 302
    db.session.refresh(item)
    assert not item.referral_open
    assert coordinator_fr.get(case_url(item)).status_code == 404
    response = act(requester, item, "withdraw", {"withdraw-text": "No longer needed."})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state == RequestState.WITHDRAWN


def test_compose_lists_responders_of_the_chosen_country(app, people):
    requester = as_user(app, people.requester)
    everyone = requester.get("/requests/new?procedure=pq_good_standing").get_data(True)
    assert "Österreichische Ärztekammer" in everyone and "Ministero della Salute" in everyone
    # only authorities answering the procedure are offered, never the requester's own
    assert "Landesamt Berlin Approbation" not in everyone.split('id="responder"')[1]
    austria = requester.get("/requests/new?procedure=pq_good_standing&country=AT").get_data(True)
    listed = austria.split('id="responder"')[1].split("</select>")[0]
    assert "Österreichische Ärztekammer" in listed and "Ministero" not in listed


def test_required_details_are_asked_for_on_sending_not_on_saving(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    # sending without the date of birth: refused, everything typed is kept
    response = compose(requester, paris.id, **date_input("detail-date_of_birth"))
    assert response.status_code == 400
    page = response.get_data(True)
    assert 'value="Doctor of medicine"' not in page  # a textarea, not an input
    assert "Doctor of medicine</textarea>" in page and "Dr. Marie Dupont" in page
    # a wrong type is refused even for a draft
    april = {**date_input("detail-date_of_birth"), "detail-date_of_birth-day": "2"}
    response = compose(requester, paris.id, send=False, **april)
    assert response.status_code == 400
    # a draft may lack it; the details are stored typed
    response = compose(requester, paris.id, send=False, **date_input("detail-date_of_birth"))
    assert response.status_code == 302
    item = only_request()
    assert item.details == {"profession": "Doctor of medicine"}
    assert act(requester, item, "send").status_code == 400
    db.session.refresh(item)
    assert item.state == RequestState.DRAFT
