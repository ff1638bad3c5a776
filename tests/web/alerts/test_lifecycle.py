"""The whole alert through the web: composed, routed, disseminated, acknowledged,
commented, updated, withdrawn; and who may see it."""

from __future__ import annotations

from markupsafe import escape

from app.extensions import db
from app.models import Alert, AlertState, AuditEvent, RecipientState
from app.procedures import registry
from tests.factories import said, summary_links
from tests.web.alerts.conftest import FIELDS, PROCEDURE, as_user, compose, only_alert, submit


def case_url(item: Alert) -> str:
    return f"/alerts/{item.id}"


def act(client, item, action: str, data: dict | None = None):
    return submit(client, case_url(item), f"{case_url(item)}/{action}", data or {})


NEW_TAG = 'class="tag new"'
UPDATED_TAG = 'class="tag changed"'


def test_an_alert_from_one_country_to_three_others(app, people, smtp_server):
    sender = as_user(app, people.sender)
    assert compose(sender, send=False).status_code == 302
    item = only_alert()
    assert item.state == AlertState.DRAFT
    assert item.send_by.isoformat() == "2026-11-30"  # 3 days after the decision
    assert act(sender, item, "send").status_code == 302
    db.session.refresh(item)
    assert item.state == AlertState.SENT
    routed = {r.country: r.coordinator_authority_id for r in item.recipients}
    assert routed == {c: people.authorities[c].id for c in ("FR", "IT", "PL")}
    for user in (people.coordinator_fr, people.coordinator_it, people.coordinator_pl):
        assert smtp_server.to(user.email)

    # Each coordinator sees it in the inbox; France's disseminates to the Ordre
    for user in (people.coordinator_it, people.coordinator_pl):
        assert item.reference in as_user(app, user).get("/alerts").get_data(True)
    french = as_user(app, people.coordinator_fr)
    assert item.reference in french.get("/alerts?box=disseminate").get_data(True)
    paris_id = people.authorities["paris"].id
    page = french.get(case_url(item)).get_data(True)
    assert "Dr. Hans Beispiel" in page and "Préfecture du Rhône" not in page
    assert act(french, item, "disseminate", {"authorities": [paris_id]}).status_code == 302
    db.session.refresh(item)
    fr = next(r for r in item.recipients if r.country == "FR")
    assert fr.state == RecipientState.DISSEMINATED and fr.disseminated_to == [paris_id]
    assert smtp_server.to(people.paris.email)

    # The Ordre acknowledges and comments
    paris = as_user(app, people.paris)
    inbox = paris.get("/alerts").get_data(True)
    assert item.reference in inbox and NEW_TAG in inbox  # not opened yet
    paris.get(case_url(item))
    assert NEW_TAG not in paris.get("/alerts").get_data(True)
    assert act(paris, item, "acknowledge").status_code == 302
    assert (
        act(paris, item, "comment", {"text": "Nous avons vérifié notre registre."}).status_code
        == 302
    )
    db.session.refresh(item)
    # the Ordre's acknowledgement is its own: France's coordinator has not acknowledged
    assert fr.disseminations[0].acknowledged_at is not None and fr.acknowledged_at is None
    assert act(paris, item, "acknowledge").status_code == 400  # once
    assert act(french, item, "acknowledge").status_code == 302
    db.session.refresh(fr)
    assert fr.acknowledged_at is not None
    assert "Nous avons vérifié notre registre." in sender.get(case_url(item)).get_data(True)

    # The sender updates: a new version, the recipient sees what changed
    data = {
        **FIELDS,
        "field-scope": "Prohibition of surgery only",
        "message": "Approbation widerrufen.",
        "note": "Scope corrected",
        "update": "1",
    }
    response = submit(sender, f"{case_url(item)}/update", f"{case_url(item)}/update", data)
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.revision == 2 and item.revisions[-1].changed_keys == ["scope"]
    assert UPDATED_TAG in paris.get("/alerts").get_data(True)  # a version not read yet
    page = paris.get(case_url(item)).get_data(True)
    assert UPDATED_TAG not in paris.get("/alerts").get_data(True)
    assert "Prohibition of surgery only" in page and "changed" in page
    assert "Full prohibition of practice" in page  # the previous value, shown beside it

    # ... and withdraws it with a reason
    assert act(sender, item, "withdraw", {"reason": ""}).status_code == 400
    assert (
        act(sender, item, "withdraw", {"reason": "Decision annulled on appeal"}).status_code == 302
    )
    db.session.refresh(item)
    assert item.state == AlertState.WITHDRAWN
    assert "Decision annulled on appeal" in paris.get(case_url(item)).get_data(True)
    assert db.session.query(AuditEvent).filter_by(action="alert.viewed").count() >= 3


def test_nobody_else_sees_the_alert(app, people):
    sender = as_user(app, people.sender)
    compose(sender)
    item = only_alert()
    for user in (people.austrian, people.lyon, people.coordinator_de, people.commission):
        client = as_user(app, user)
        assert client.get(case_url(item)).status_code == 404
        assert item.reference not in client.get("/alerts").get_data(True)
    # a viewer of the sender may see but not act (refused before the action is looked at)
    viewer = as_user(app, people.sender_viewer)
    assert viewer.get(case_url(item)).status_code == 200
    assert act(viewer, item, "withdraw", {"reason": "x"}).status_code == 403


def test_validation_by_the_national_coordinator(app, people, smtp_server):
    sender = as_user(app, people.sender)
    compose(sender, needs_validation="1", to_commission="1")
    item = only_alert()
    assert item.state == AlertState.AWAITING_VALIDATION
    assert smtp_server.to(people.coordinator_de.email)
    # not yet with the recipients
    assert as_user(app, people.coordinator_fr).get(case_url(item)).status_code == 404
    de = as_user(app, people.coordinator_de)
    assert item.reference in de.get("/alerts?box=validate").get_data(True)
    assert act(de, item, "return", {"reason": "Add the place of birth"}).status_code == 302
    db.session.refresh(item)
    assert item.state == AlertState.DRAFT
    assert act(sender, item, "send").status_code == 302
    assert act(de, item, "approve").status_code == 302
    db.session.refresh(item)
    assert item.state == AlertState.SENT
    assert {r.country for r in item.recipients} == {"FR", "IT", "PL", "EU"}
    assert as_user(app, people.commission).get(case_url(item)).status_code == 200


def test_compose_keeps_values_and_shows_errors(app, people):
    # Given a sender typing an impossible decision date and leaving a required field empty
    sender = as_user(app, people.sender)
    typed = {
        "field-decision_date-day": "27",
        "field-decision_date-month": "13",
        "field-decision_date-year": "2026",
        "field-professional_name": "Dr. X",
        "field-profession": "",
    }
    response = compose(sender, **typed)
    # Then nothing is saved; each field has its one message, linked from the summary
    assert response.status_code == 400
    assert db.session.query(Alert).count() == 0
    page = response.get_data(True)
    pack = registry(app)[PROCEDURE]
    label = {f.key: pack.gettext(f.text, "de") for f in pack.fields}
    assert summary_links(page) == [
        ("field-profession", said("Enter %(field)s", field=label["profession"])),
        (
            "field-decision_date-day",
            said("%(field)s must be a real date", field=label["decision_date"]),
        ),
    ]
    # and what was typed is kept
    assert "Dr. X</textarea>" in page
    assert 'name="field-decision_date-month" value="13" aria-invalid="true">' in page
    assert (
        'id="field-alert_type-art56a_1" name="field-alert_type" value="art56a_1" checked>' in page
    )
    response = compose(sender, countries=())
    assert response.status_code == 302  # saved as a draft, not sent
    assert only_alert().state == AlertState.DRAFT


def test_inbox_htmx_partial_and_paging(app, people):
    sender = as_user(app, people.sender)
    for _ in range(3):
        compose(sender, send=False)
    page = sender.get("/alerts?box=drafts", headers={"HX-Request": "true"}).get_data(True)
    assert "<html" not in page and page.count("/alerts/") >= 3
    full = sender.get("/alerts?box=drafts").get_data(True)
    assert "<html" in full


def test_the_sender_adds_a_file_and_recipients_download_it(app, people):
    import io

    sender = as_user(app, people.sender)
    compose(sender)
    item = only_alert()
    data = {"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "decision.pdf")}
    response = submit(sender, case_url(item), f"{case_url(item)}/attachments", data)
    assert response.status_code == 302
    db.session.refresh(item)
    (attachment,) = item.attachments
    url = f"{case_url(item)}/attachments/{attachment.id}"
    french = as_user(app, people.coordinator_fr)
    response = french.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    assert db.session.query(AuditEvent).filter_by(action="alert.attachment_downloaded").count() == 1
    assert as_user(app, people.austrian).get(url).status_code == 404
    # a recipient may not add files; a bad file is refused with the reason
    bad = {"file": (io.BytesIO(b"MZ\x90\x00"), "tool.exe")}
    assert submit(french, case_url(item), f"{case_url(item)}/attachments", bad).status_code == 400
    bad = {"file": (io.BytesIO(b"MZ\x90\x00"), "tool.exe")}
    response = submit(sender, case_url(item), f"{case_url(item)}/attachments", bad)
    assert response.status_code == 400 and "error-summary" in response.get_data(True)
    db.session.refresh(item)
    assert len(item.attachments) == 1


def test_a_coordinator_handles_it_and_the_sender_closes_it(app, people, smtp_server):
    sender = as_user(app, people.sender)
    compose(sender)
    item = only_alert()
    italian = as_user(app, people.coordinator_it)
    assert act(italian, item, "handle").status_code == 302
    assert act(italian, item, "handle").status_code == 400  # once only
    assert act(italian, item, "comment", {"text": ""}).status_code == 400
    # a recipient may not withdraw, update or close
    assert act(italian, item, "withdraw", {"reason": "no"}).status_code == 400
    assert act(sender, item, "close", {"text": "Period of prohibition ended"}).status_code == 302
    db.session.refresh(item)
    it = next(r for r in item.recipients if r.country == "IT")
    assert it.state == RecipientState.HANDLED and item.state == AlertState.CLOSED
    assert smtp_server.to(people.coordinator_pl.email)
    assert act(italian, item, "comment", {"text": "late"}).status_code == 400


def test_an_update_is_refused_per_field_and_keeps_what_was_typed(app, people):
    # Given a broadcast alert whose sender types a date of birth without its month
    sender = as_user(app, people.sender)
    compose(sender)
    item = only_alert()
    url = f"{case_url(item)}/update"
    data = {**FIELDS, "field-scope": "Surgery only", "message": "Neu.", "update": "1"}
    data.update({"field-date_of_birth-day": "14", "field-date_of_birth-year": "1975"})
    response = submit(sender, url, url, data)
    # Then no new version; the field's message is linked, everything typed is kept
    assert response.status_code == 400
    db.session.refresh(item)
    assert item.revision == 1
    page = response.get_data(True)
    label = registry(app)[PROCEDURE].gettext("Date of birth", "de")
    assert summary_links(page) == [
        ("field-date_of_birth-month", said("%(field)s must include a month", field=label))
    ]
    assert "Surgery only</textarea>" in page and "Neu.</textarea>" in page
    assert 'name="field-date_of_birth-day" value="14">' in page


def test_the_alert_page_shows_a_choice_in_the_readers_language(app, people):
    # Given an alert of the type "Restriction or prohibition ... (Article 56a(1))"
    sender = as_user(app, people.sender)
    compose(sender)
    item = only_alert()
    pack = registry(app)[PROCEDURE]
    english = pack.fields[0].options[0].label
    # When its German sender reads it
    page = sender.get(case_url(item)).get_data(True)
    # Then the type reads in German, not in English
    assert str(escape(pack.gettext(english, "de"))) in page
    assert english not in page
