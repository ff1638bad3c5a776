"""AUD-1: every GET route that shows personal data writes an audit row (who, for which
authority, what, which object) when it is read, and a refused read of a case writes a
"denied" row. Every GET route is either in AUDITED or in EXEMPT with its reason: a new
route fails `test_every_get_route_is_audited_or_exempt` until someone decides."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Membership
from tests.factories import sign_in
from tests.web.security.world import build_world

# endpoint -> (principal, url, action, (object_type, id key) or None for a list page)
# The principal is a party to the object: authority A's officers, or its coordinator.
AUDITED: dict[str, tuple[str, str, str, tuple[str, str] | None]] = {
    "requests.index": ("handler", "/requests", "request.list_viewed", None),
    "requests.referrals": ("coordinator_de", "/requests/referrals", "request.list_viewed", None),
    "requests.case": ("handler", "/requests/{request_sent}", "request.viewed", ("request", "request_sent")),
    "requests.edit": ("handler", "/requests/{request_draft}/edit", "request.viewed", ("request", "request_draft")),
    "requests.download": (
        "handler", "/requests/{request_sent}/attachments/{attachment_sent}",
        "request.attachment_downloaded", ("request", "request_sent"),
    ),
    "alerts.index": ("alert_handler", "/alerts", "alert.list_viewed", None),
    "alerts.case": ("alert_handler", "/alerts/{alert_sent}", "alert.viewed", ("alert", "alert_sent")),
    "alerts.edit": ("alert_handler", "/alerts/{alert_draft}/edit", "alert.viewed", ("alert", "alert_draft")),
    "alerts.update": ("alert_handler", "/alerts/{alert_sent}/update", "alert.viewed", ("alert", "alert_sent")),
    "alerts.download": (
        "alert_handler", "/alerts/{alert_sent}/attachments/{alert_attachment_sent}",
        "alert.attachment_downloaded", ("alert", "alert_sent"),
    ),
    "public_cases.index": ("handler", "/public-cases?state=all", "public_case.list_viewed", None),
    "public_cases.case": ("handler", "/public-cases/{public_case}", "public_case.viewed", ("public_case", "public_case")),
    "public_cases.document": (
        "handler", "/public-cases/{public_case}/documents/{public_document}",
        "public_case.document_downloaded", ("public_case", "public_case"),
    ),
    "repositories.search": (
        "handler", "/repositories/pq_sanctions_register", "repository_record.list_viewed", None,
    ),
    "repositories.record": (
        "handler", "/repositories/records/{record_own}", "repository_record.viewed",
        ("repository_record", "record_own"),
    ),
    "repositories.edit": (
        "handler", "/repositories/records/{record_own}/edit", "repository_record.viewed",
        ("repository_record", "record_own"),
    ),
    "search.index": ("handler", "/search?q=example", "case.searched", None),
    "main.waiting_list": ("handler", "/waiting", "case.list_viewed", None),
    "translations.show": (
        "handler", "/translations/request/{request_sent}", "translation.viewed",
        ("request", "request_sent"),
    ),
    "translations.file_translations": (
        "handler", "/translations/files/request/{request_sent}/{attachment_sent}/translations",
        "translation.viewed", ("request", "request_sent"),
    ),
    "translations.translated_file": (
        "handler",
        "/translations/files/request/{request_sent}/{attachment_sent}/translations/{translated_copy}",
        "request.attachment_downloaded", ("request", "request_sent"),
    ),
    "coordination.queue": ("coordinator_de", "/coordination/", "registration.list_viewed", None),
    "notifications.index": ("handler", "/notifications", "notification.list_viewed", None),
    "notifications.case": (
        "handler", "/notifications/{ntf_sent}", "notification.viewed", ("notification", "ntf_sent"),
    ),
    "notifications.edit": (
        "handler", "/notifications/{ntf_draft}/edit", "notification.viewed",
        ("notification", "ntf_draft"),
    ),
    # the ratings of the replies of the authorities a coordinator governs name their requests
    "coordination.ratings_received": (
        "coordinator_de", "/coordination/ratings", "request.list_viewed", None,
    ),
    # an authority's page lists its members
    "coordination.authority": (
        "coordinator_de", "/coordination/authorities/{authority_a}", "user.list_viewed", None,
    ),
    "coordination.user": ("coordinator_de", "/coordination/users/{viewer_a}", "user.viewed", ("user", "viewer_a")),
    "coordination.suspend_user": (
        "coordinator_de", "/coordination/users/{viewer_a}/suspension", "user.viewed", ("user", "viewer_a"),
    ),
    "coordination.reject": (
        "coordinator_de", "/coordination/registrations/{registration_de}/reject", "registration.viewed",
        ("registration", "registration_de"),
    ),
    "coordination.registration": (
        "coordinator_de", "/coordination/registrations/{registration_de}", "registration.viewed",
        ("registration", "registration_de"),
    ),
    "audit.trail": ("coordinator_de", "/audit", "audit_event.searched", None),
    "pdf.export": ("handler", "/pdf/request/{request_sent}", "request.pdf_exported", ("request", "request_sent")),
    "pdf.download": (
        "handler", "/pdf/exports/{pdf_export}/file", "request.pdf_downloaded", ("request", "request_sent"),
    ),
    # the submitter's private link: no account, the row names the case (actor None)
    "public.case": ("anonymous", "/public/case/{public_token}", "public_case.submitter_viewed", ("public_case", "public_case")),
    "public.document": (
        "anonymous", "/public/case/{public_token}/documents/{public_document}",
        "public_case.submitter_document_downloaded", ("public_case", "public_case"),
    ),
}  # fmt: skip

# Further reads of the endpoints above, for other kinds of case (one route serves them).
AUDITED_ALSO: list[tuple[str, tuple[str, str, str, tuple[str, str] | None]]] = [
    ("translations.file_translations", (
        "alert_handler", "/translations/files/alert/{alert_sent}/{alert_attachment_sent}/translations",
        "translation.viewed", ("alert", "alert_sent"),
    )),
    ("translations.translated_file", (
        "alert_handler",
        "/translations/files/alert/{alert_sent}/{alert_attachment_sent}/translations/{alert_translated_copy}",
        "alert.attachment_downloaded", ("alert", "alert_sent"),
    )),
    ("translations.file_translations", (
        "handler", "/translations/files/public_case/{public_case}/{public_document}/translations",
        "translation.viewed", ("public_case", "public_case"),
    )),
    ("translations.translated_file", (
        "handler",
        "/translations/files/public_case/{public_case}/{public_document}/translations/{public_translated_copy}",
        "public_case.document_downloaded", ("public_case", "public_case"),
    )),
]  # fmt: skip

NO_CASE_DATA = "shows no personal data of a case, record, alert or person"

# Audited reads whose audit rows a test of their own package checks, with a world of its
# own (an EPC applicant and the home and host authorities).
AUDITED_ELSEWHERE = {
    "epc.index": "tests/web/epc/test_read_audit.py",
    "epc.case": "tests/web/epc/test_read_audit.py",
    "epc.document": "tests/web/epc/test_read_audit.py",
}
EXEMPT: dict[str, str] = {
    "static": "static files",
    "main.home": NO_CASE_DATA,
    "main.healthz": NO_CASE_DATA,
    "metrics": "counts and ages for monitoring, no case data",
    "notifications.compose": NO_CASE_DATA,
    "epc_public.register": NO_CASE_DATA,
    "epc_public.sign_in": NO_CASE_DATA,
    "epc_public.confirm": "the applicant's own account confirmation",
    "epc_public.account": "the EPC applicant's own account and documents",
    "epc_public.delete_account": "the EPC applicant's own account: whether it can be deleted",
    "epc_public.apply": "the EPC applicant's own application form",
    "epc_public.application": "the EPC applicant's own application",
    "epc_public.document": "the EPC applicant's own document",
    "epc_public.certificate_pdf": "the EPC applicant's own card",
    "epc_public.verify": "a card's public check: what Reg 2015/983 lets an employer see, to "
    "whoever holds both the card number and the holder's identity document number",
    "auth.sign_in": NO_CASE_DATA,
    "auth.sign_in_code": NO_CASE_DATA,
    "auth.enrol_totp": "the signing-in user's own second factor",
    "auth.recovery_codes": "the user's own recovery codes",
    "auth.forgot_password": NO_CASE_DATA,
    "auth.reset_password": "the user's own password form",
    "accounts.accept_invitation": "the invitee's own invitation",
    "accounts.profile": "the user's own account",
    "accounts.edit_authority": "the own authority's directory entry (published data)",
    "accounts.members": "officer accounts of the own authority, for its administrator; "
    "every change is audited (user.*)",
    "accounts.member": "an officer account of the own authority, for its administrator; "
    "every change is audited (user.*)",
    "accounts.invite": "an empty form",
    "accounts.suspend_member": "the confirmation naming an officer of the own authority, "
    "for its administrator; the suspension is audited (membership.*)",
    "directory.index": "the directory of authorities: published contact data",
    "directory.profile": "an authority's published directory entry",
    "registration.register": "an empty application form",
    "registration.submitted": "the reference and address of the application this "
    "session has just sent, to that session only",
    "requests.compose": "an empty form (the chosen procedure and responders only)",
    "requests.step": "an action's form or confirmation: the case's reference and the "
    "choices (authorities, handlers, question texts), no personal data; the action "
    "itself is audited",
    "alerts.compose": "an empty form (the chosen procedure only)",
    "repositories.index": "the list of repositories, no records",
    "repositories.new": "an empty record form",
    "repositories.change_state": "the confirmation of archiving or restoring: the record's "
    "reference and an empty reason",
    "alerts.confirm": "the confirmation of withdrawing, closing or deleting an alert: its "
    "reference and an empty reason or note",
    "public_cases.close": "the confirmation of closing a public case: its reference and an "
    "empty note",
    "public_cases.desk_index": "the Commission's SOLVIT desk's hand-overs: references and "
    "countries, no personal data (listed in the audit trail anyway: "
    "tests/web/public/test_solvit_flow.py)",
    "public_cases.desk_case": "a SOLVIT hand-over's summary, written without the "
    "applicant's personal data (read in the audit trail anyway: "
    "tests/web/public/test_solvit_flow.py)",
    "audit.subject_report_page": "GET: an empty form; the report (POST) is audited with "
    "its purpose (tests/web/audit/test_subject_report.py)",
    "public.index": NO_CASE_DATA,
    "public.start": NO_CASE_DATA,
    "public.new": "an empty submission form",
    "public.sent": NO_CASE_DATA,
    "public.confirm": "the case reference only, to the holder of the mailed token",
    "public.lost_link": NO_CASE_DATA,
    "pdf.status": "an export's state and its case reference, to the authority that asked",
    "coordination.procedures": "the procedure packs (published texts), no case data",
    "coordination.procedure_preview": "a procedure pack's empty forms, read only",
    "proof.index": "an empty form on GET; the proof shows on POST, audited with its purpose "
    "(case.proof_viewed, tests/web/retention)",
}


def _get_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def test_every_get_route_is_audited_or_exempt(app):
    endpoints = _get_endpoints(app)
    assert set(AUDITED) & set(EXEMPT) == set()
    assert set(AUDITED_ELSEWHERE) & (set(AUDITED) | set(EXEMPT)) == set()
    classified = set(AUDITED) | set(EXEMPT) | set(AUDITED_ELSEWHERE)
    assert endpoints - classified == set(), "classify these GET routes"
    assert classified == endpoints, "stale entries"
    root = Path(__file__).resolve().parents[3]
    assert all((root / test).is_file() for test in AUDITED_ELSEWHERE.values())
    # AUD-1: audited read endpoints / read endpoints = 100%
    assert all(reason.strip() for reason in EXEMPT.values())


def _rows_after(last_id: int) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id)
        )
    )


def _last_id() -> int:
    return db.session.scalar(select(db.func.coalesce(db.func.max(AuditEvent.id), 0)))


@pytest.mark.parametrize("principal", ["handler", "alert_handler", "coordinator_de", "anonymous"])
def test_each_read_writes_an_audit_row(client, principal):
    # Given the world and one party principal signed in by the real flow
    world = build_world()
    user = world.users.get(principal)
    if user is not None:
        sign_in(client, user)
        authority_id = db.session.scalar(
            select(Membership.authority_id).where(Membership.user_id == user.id)
        )
    missing = []
    for endpoint, (who, template, action, target) in [*AUDITED.items(), *AUDITED_ALSO]:
        if who != principal:
            continue
        # When the principal reads the page (and its htmx partial)
        for headers in ({}, {"HX-Request": "true"}):
            before = _last_id()
            response = client.get(world.url(template), headers=headers)
            assert response.status_code == 200, (endpoint, response.status_code)
            # Then a row says who read what, for which authority
            rows = [r for r in _rows_after(before) if r.action == action]
            if not rows:
                missing.append(f"{endpoint} ({'htmx' if headers else 'page'}): no {action} row")
                continue
            row = rows[-1]
            assert row.actor_id == (user.id if user else None), endpoint
            assert row.authority_id == (authority_id if user else None), endpoint
            if target is None:
                assert isinstance(row.details["ids"], list), endpoint
                assert all(isinstance(i, int | str) for i in row.details["ids"]), endpoint
            else:
                object_type, key = target
                assert (row.object_type, row.object_id) == (object_type, str(world.ids[key]))
    assert missing == []


def test_list_rows_name_the_ids_shown_and_never_the_query(client):
    world = build_world()
    sign_in(client, world.users["handler"])

    before = _last_id()
    assert client.get("/search?q=Ada+Example").status_code == 200

    (row,) = [r for r in _rows_after(before) if r.action == "case.searched"]
    assert f"request:{world.ids['request_sent']}" in row.details["ids"]
    assert "Ada" not in str(row.details)

    before = _last_id()
    assert client.get("/requests?box=sent").status_code == 200
    (row,) = [r for r in _rows_after(before) if r.action == "request.list_viewed"]
    assert world.ids["request_sent"] in row.details["ids"]
    assert world.ids["request_foreign"] not in row.details["ids"]


@pytest.mark.parametrize(
    ("url", "object_type", "key"),
    [
        ("/requests/{request_foreign}", "request", "request_foreign"),
        ("/requests/{missing}", "request", "missing"),
        ("/alerts/{alert_foreign}", "alert", "alert_foreign"),
        ("/public-cases/{public_case_foreign}", "public_case", "public_case_foreign"),
        ("/repositories/records/{record_foreign}", "repository_record", "record_foreign"),
        ("/translations/request/{request_foreign}", "request", "request_foreign"),
        (
            "/translations/files/alert/{alert_foreign}/{alert_attachment_foreign}/translations",
            "alert",
            "alert_foreign",
        ),
        (
            "/translations/files/public_case/{public_case_foreign}/{public_document_foreign}"
            "/translations/{public_translated_copy}",
            "public_case",
            "public_case_foreign",
        ),
    ],
)
def test_a_refused_read_writes_a_denied_row(client, url, object_type, key):
    # Given an officer of authority A
    world = build_world()
    user = world.users["handler"]
    sign_in(client, user)
    before = _last_id()

    # When they ask for an object of another authority (or none at all)
    response = client.get(world.url(url))

    # Then they get a 404, and the trail says who asked for what
    assert response.status_code == 404
    rows = [r for r in _rows_after(before) if r.action == f"{object_type}.denied"]
    assert [(r.actor_id, r.object_type, r.object_id) for r in rows] == [
        (user.id, object_type, str(world.ids[key]))
    ]


def test_a_read_that_cannot_be_audited_shows_nothing(client, monkeypatch):
    # AUD-5: the audit row is written before the page; if it fails, the read fails
    from app.records import audit

    world = build_world()
    sign_in(client, world.users["handler"])

    def unavailable(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "_values", unavailable)  # every audit row is made there
    for url in ("/requests/{request_sent}", "/requests", "/search?q=example"):
        response = client.get(world.url(url))
        assert response.status_code == 500, url
        assert "Ada Example" not in response.get_data(True), url
