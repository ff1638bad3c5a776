"""AZ-MATRIX: every route declares a permission, and every GET route answers each
principal as the table below says, as a page and as an htmx partial alike.

Reading the table: IN = redirected to sign in (302 to /sign-in?next=...); NO = 403
(the role is missing); NF = 404 (a foreign or missing object: its existence does not
leak); OK = 200; HOME, RESTART, ACCOUNT = 302 to /, /sign-in, /account. A GET route missing from the table fails the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import sign_in
from tests.web.security.world import PRINCIPALS, build_world, suspend


def _unmarked_endpoints(app) -> list[str]:
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and getattr(app.view_functions[rule.endpoint], "permission", None) is None
    )


def test_every_endpoint_declares_a_permission(app):
    assert len(list(app.url_map.iter_rules())) > 20
    assert _unmarked_endpoints(app) == []


def test_training_instance_endpoints_declare_a_permission_too(training_app):
    assert _unmarked_endpoints(training_app) == []


@dataclass(frozen=True)
class Expect:
    status: int
    location: str | None = None  # path of the redirect target
    sign_in: bool = False  # the redirect carries next=<the requested path>

    def __repr__(self) -> str:
        if self.sign_in:
            return "IN"
        return f"{self.status} {self.location}" if self.location else str(self.status)


def to(path: str) -> Expect:
    return Expect(302, path)


OK = Expect(200)
NO = Expect(403)
NF = Expect(404)
IN = Expect(302, "/sign-in", sign_in=True)
HOME = to("/")  # already signed in
RESTART = to("/sign-in")  # no first step under way: start again
ACCOUNT = to("/account")  # recovery codes are shown once; none are waiting
REGISTER = to("/register")  # no application sent from this session
EPC_IN = to("/epc/sign-in")  # the EPC applicants' pages: their own sign-in, never an officer's
BACK = Expect(302)  # a confirmation of an action that does not fit: back to the case, told why

# Columns: anonymous, viewer, handler, allocator, alert_handler, admin (all of authority
# A, DE), coordinator of DE, coordinator of FR, Commission coordinator, suspended user.
# fmt: off
MATRIX: list[tuple] = [
    # url                                                anon viewr handl alloc alert admin co_DE co_FR co_EU susp
    ("/",                                                 OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/healthz",                                          OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    # by network or token, not by role: the test client is 127.0.0.1 (tests/web/test_metrics.py)
    ("/metrics",                                          OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/static/css/openimi.css",                           OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/register",                                         OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    # the confirmation of an application: only in the session that sent it
    ("/register/sent",                                    REGISTER, REGISTER, REGISTER, REGISTER, REGISTER, REGISTER, REGISTER, REGISTER, REGISTER, REGISTER),
    ("/sign-in",                                          OK,  HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME, OK),
    ("/sign-in/code",                                     RESTART, RESTART, RESTART, RESTART, RESTART, RESTART, RESTART, RESTART, RESTART, RESTART),
    ("/sign-in/enrol",                                    NF,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF),
    ("/password/forgot",                                  OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/password/reset/{reset_token}",                     OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/password/reset/{bad_token}",                       NF,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF),
    ("/invitation/{invitation_token}",                    OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/invitation/{bad_token}",                           NF,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF),
    # an invitation for an existing account: only that account, signed in, joins
    ("/invitation/{join_token}",                          IN,  OK,   NO,   NO,   NO,   NO,   NO,   NO,   NO,   IN),
    # every officer
    ("/account",                                          IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/account/recovery-codes",                           IN,  ACCOUNT, ACCOUNT, ACCOUNT, ACCOUNT, ACCOUNT, ACCOUNT, ACCOUNT, ACCOUNT, IN),
    ("/directory",                                        IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/directory?q=berlin&country=DE",                    IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/directory/{authority_a}",                          IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/directory/{authority_fr}",                         IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/directory/{coordinator_fr}",                       IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/directory/{pending_de_authority}",                 IN,  NF,   NF,   NF,   NF,   NF,   OK,   NF,   NF,   IN),
    ("/directory/{suspended_fr}",                         IN,  NF,   NF,   NF,   NF,   NF,   NF,   OK,   NF,   IN),
    ("/directory/{missing}",                              IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    # local administrators: their own authority and its members only
    ("/authority",                                        IN,  NO,   NO,   NO,   NO,   OK,   OK,   OK,   OK,   IN),
    ("/users",                                            IN,  NO,   NO,   NO,   NO,   OK,   OK,   OK,   OK,   IN),
    ("/users/invite",                                     IN,  NO,   NO,   NO,   NO,   OK,   OK,   OK,   OK,   IN),
    ("/users/{viewer_a}",                                 IN,  NO,   NO,   NO,   NO,   OK,   NF,   NF,   NF,   IN),
    ("/users/{coordinator_de_user}",                      IN,  NO,   NO,   NO,   NO,   NF,   OK,   NF,   NF,   IN),
    ("/users/{user_fr}",                                  IN,  NO,   NO,   NO,   NO,   NF,   NF,   NF,   NF,   IN),
    ("/users/{missing}",                                  IN,  NO,   NO,   NO,   NO,   NF,   NF,   NF,   NF,   IN),
    ("/users/{viewer_a}/suspension",                      IN,  NO,   NO,   NO,   NO,   OK,   NF,   NF,   NF,   IN),
    ("/users/{user_fr}/suspension",                       IN,  NO,   NO,   NO,   NO,   NF,   NF,   NF,   NF,   IN),
    # coordinators: their own country (the Commission: the coordinators)
    ("/coordination/",                                    IN,  NO,   NO,   NO,   NO,   NO,   OK,   OK,   OK,   IN),
    # the procedure preview: coordinators of coordinator authorities and the Commission
    ("/coordination/procedures",                          IN,  NO,   NO,   NO,   NO,   NO,   OK,   OK,   OK,   IN),
    ("/coordination/procedures/pq_good_standing",         IN,  NO,   NO,   NO,   NO,   NO,   OK,   OK,   OK,   IN),
    ("/coordination/procedures/pq_good_standing?language=el", IN, NO, NO,  NO,   NO,   NO,   OK,   OK,   OK,   IN),
    ("/coordination/procedures/{missing}",                IN,  NO,   NO,   NO,   NO,   NO,   NF,   NF,   NF,   IN),
    ("/coordination/registrations/{registration_de}",     IN,  NO,   NO,   NO,   NO,   NO,   OK,   NF,   NF,   IN),
    ("/coordination/registrations/{registration_fr}",     IN,  NO,   NO,   NO,   NO,   NO,   NF,   OK,   NF,   IN),
    ("/coordination/registrations/{missing}",             IN,  NO,   NO,   NO,   NO,   NO,   NF,   NF,   NF,   IN),
    ("/coordination/registrations/{registration_de}/reject", IN, NO, NO, NO, NO, NO, OK, NF, NF, IN),
    ("/coordination/registrations/{registration_fr}/reject", IN, NO, NO, NO, NO, NO, NF, OK, NF, IN),
    ("/coordination/authorities/{authority_a}",           IN,  NO,   NO,   NO,   NO,   NO,   OK,   NF,   NF,   IN),
    ("/coordination/authorities/{pending_de_authority}",  IN,  NO,   NO,   NO,   NO,   NO,   OK,   NF,   NF,   IN),
    ("/coordination/authorities/{authority_fr}",          IN,  NO,   NO,   NO,   NO,   NO,   NF,   OK,   NF,   IN),
    ("/coordination/authorities/{suspended_fr}",          IN,  NO,   NO,   NO,   NO,   NO,   NF,   OK,   NF,   IN),
    ("/coordination/authorities/{coordinator_de}",        IN,  NO,   NO,   NO,   NO,   NO,   OK,   NF,   OK,   IN),
    ("/coordination/authorities/{coordinator_fr}",        IN,  NO,   NO,   NO,   NO,   NO,   NF,   OK,   OK,   IN),
    ("/coordination/authorities/{commission}",            IN,  NO,   NO,   NO,   NO,   NO,   NF,   NF,   OK,   IN),
    ("/coordination/authorities/{missing}",               IN,  NO,   NO,   NO,   NO,   NO,   NF,   NF,   NF,   IN),
    ("/coordination/users/{viewer_a}",                    IN,  NO,   NO,   NO,   NO,   NO,   OK,   NF,   NF,   IN),
    ("/coordination/users/{user_fr}",                     IN,  NO,   NO,   NO,   NO,   NO,   NF,   OK,   NF,   IN),
    ("/coordination/users/{coordinator_de_user}",         IN,  NO,   NO,   NO,   NO,   NO,   OK,   NF,   OK,   IN),
    ("/coordination/users/{missing}",                     IN,  NO,   NO,   NO,   NO,   NO,   NF,   NF,   NF,   IN),
    ("/coordination/users/{viewer_a}/suspension",         IN,  NO,   NO,   NO,   NO,   NO,   OK,   NF,   NF,   IN),
    ("/coordination/users/{user_fr}/suspension",          IN,  NO,   NO,   NO,   NO,   NO,   NF,   OK,   NF,   IN),
    # counterpart ratings of the authorities each coordinator governs (rows decided inside)
    ("/coordination/ratings",                             IN,  NO,   NO,   NO,   NO,   NO,   OK,   OK,   OK,   IN),
    ("/proof/",                                           IN,  NO,   NO,   NO,   NO,   NO,   OK,   OK,   OK,   IN),
    # requests: the two authorities of an exchange; coordinators only while referred
    ("/requests",                                         IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/requests?box=sent&state=sent&sort=due",            IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/requests/new",                                     IN,  NO,   OK,   NO,   NO,   NO,   NO,   NO,   NO,   IN),
    ("/requests/{request_sent}",                          IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/requests/{request_draft}",                         IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/requests/{request_referred}",                      IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   NF,   IN),
    ("/requests/{request_foreign}",                       IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/requests/{missing}",                               IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/requests/{request_draft}/edit",                    IN,  NO,   OK,   NO,   NO,   NO,   NO,   NO,   NO,   IN),
    ("/requests/{request_foreign}/edit",                  IN,  NO,   NF,   NO,   NO,   NO,   NO,   NO,   NO,   IN),
    # an action's own page (its form, or a destructive action's confirmation): whom the
    # action is for; a viewer never; no page of a case one may not see
    ("/requests/{request_sent}/withdraw",                 IN,  NO,   OK,   NO,   NO,   NO,   NF,   NF,   NF,   IN),
    ("/requests/{request_referred}/resolve",              IN,  NO,   NO,   NO,   NO,   NO,   OK,   OK,   NF,   IN),
    ("/requests/{request_foreign}/forward",               IN,  NO,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/requests/{request_sent}/attachments/{attachment_sent}",       IN, OK, OK, OK, OK, OK, NF, NF, NF, IN),
    ("/requests/{request_sent}/attachments/{attachment_foreign}",    IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/requests/{request_referred}/attachments/{attachment_referred}", IN, OK, OK, OK, OK, OK, NF, NF, NF, IN),
    ("/requests/{request_foreign}/attachments/{attachment_foreign}", IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    # translated copies of a file: whoever reads the original (asking: tests/web/translations)
    ("/translations/files/request/{request_sent}/{attachment_sent}/translations",       IN, OK, OK, OK, OK, OK, NF, NF, NF, IN),
    ("/translations/files/request/{request_sent}/{attachment_foreign}/translations",    IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/translations/files/request/{request_referred}/{attachment_referred}/translations", IN, OK, OK, OK, OK, OK, NF, NF, NF, IN),
    ("/translations/files/request/{request_foreign}/{attachment_foreign}/translations", IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/translations/files/request/{request_sent}/{attachment_sent}/translations/{translated_copy}", IN, OK, OK, OK, OK, OK, NF, NF, NF, IN),
    ("/translations/files/request/{request_referred}/{attachment_referred}/translations/{translated_copy}", IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/translations/files/request/{request_sent}/{attachment_sent}/translations/{missing}", IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/requests/referrals",                               IN,  NO,   NO,   NO,   NO,   NO,   OK,   OK,   OK,   IN),
    # repositories: authorities with reader or editor access; only the owner's editors change
    ("/repositories",                                     IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/repositories/pq_sanctions_register",               IN,  OK,   OK,   OK,   OK,   OK,   OK,   NF,   NF,   IN),
    ("/repositories/pq_sanctions_register?q=muller&country=DE&state=all", IN, OK, OK, OK, OK, OK, OK, NF, NF, IN),
    ("/repositories/posting_declarations",                IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/repositories/pq_good_standing",                    IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/repositories/pq_sanctions_register/new",           IN,  NF,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/repositories/posting_declarations/new",            IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/repositories/records/{record_own}",                IN,  OK,   OK,   OK,   OK,   OK,   OK,   NF,   NF,   IN),
    ("/repositories/records/{record_fr}",                 IN,  OK,   OK,   OK,   OK,   OK,   OK,   NF,   NF,   IN),
    ("/repositories/records/{record_foreign}",            IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/repositories/records/{missing}",                   IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/repositories/records/{record_own}/edit",           IN,  NF,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/repositories/records/{record_fr}/edit",            IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/repositories/records/{record_foreign}/edit",       IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/repositories/records/{record_own}/state",          IN,  NF,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/repositories/records/{record_fr}/state",           IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/repositories/records/{record_foreign}/state",      IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    # alerts: the sender authority, the recipient coordinators (and whom they disseminate
    # to), the sender's coordinator while validating; nobody else
    ("/alerts",                                           IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/alerts?box=sent&state=sent&procedure=pq_alert",    IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/alerts?box=disseminate",                           IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/alerts/new",                                       IN,  NO,   NO,   NO,   OK,   NO,   NO,   NO,   NO,   IN),
    ("/alerts/{alert_sent}",                              IN,  OK,   OK,   OK,   OK,   OK,   NF,   OK,   NF,   IN),
    ("/alerts/{alert_validating}",                        IN,  OK,   OK,   OK,   OK,   OK,   OK,   NF,   NF,   IN),
    ("/alerts/{alert_commission}",                        IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   OK,   IN),
    ("/alerts/{alert_draft}",                             IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/alerts/{alert_foreign}",                           IN,  NF,   NF,   NF,   NF,   NF,   OK,   NF,   NF,   IN),
    ("/alerts/{missing}",                                 IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/alerts/{alert_draft}/edit",                        IN,  NO,   NO,   NO,   OK,   NO,   NO,   NO,   NO,   IN),
    ("/alerts/{alert_foreign}/edit",                      IN,  NO,   NO,   NO,   NF,   NO,   NO,   NO,   NO,   IN),
    ("/alerts/{alert_sent}/update",                       IN,  NO,   NO,   NO,   OK,   NO,   NO,   NO,   NO,   IN),
    ("/alerts/{alert_foreign}/update",                    IN,  NO,   NO,   NO,   NF,   NO,   NO,   NO,   NO,   IN),
    ("/alerts/{alert_sent}/withdraw",                     IN,  BACK, BACK, BACK, OK,   BACK, NF,   BACK, NF,   IN),
    ("/alerts/{alert_sent}/close",                        IN,  BACK, BACK, BACK, OK,   BACK, NF,   BACK, NF,   IN),
    ("/alerts/{alert_draft}/discard",                     IN,  BACK, BACK, BACK, OK,   BACK, NF,   NF,   NF,   IN),
    ("/alerts/{alert_foreign}/withdraw",                  IN,  NF,   NF,   NF,   NF,   NF,   BACK, NF,   NF,   IN),
    ("/alerts/{alert_sent}/attachments/{alert_attachment_sent}",       IN, OK, OK, OK, OK, OK, NF, OK, NF, IN),
    ("/alerts/{alert_sent}/attachments/{alert_attachment_foreign}",    IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/alerts/{alert_foreign}/attachments/{alert_attachment_foreign}", IN, NF, NF, NF, NF, NF, OK, NF, NF, IN),
    ("/translations/files/alert/{alert_sent}/{alert_attachment_sent}/translations",       IN, OK, OK, OK, OK, OK, NF, OK, NF, IN),
    ("/translations/files/alert/{alert_sent}/{alert_attachment_foreign}/translations",    IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/translations/files/alert/{alert_foreign}/{alert_attachment_foreign}/translations", IN, NF, NF, NF, NF, NF, OK, NF, NF, IN),
    ("/translations/files/alert/{alert_sent}/{alert_attachment_sent}/translations/{alert_translated_copy}", IN, OK, OK, OK, OK, OK, NF, OK, NF, IN),
    ("/translations/files/alert/{alert_foreign}/{alert_attachment_foreign}/translations/{alert_translated_copy}", IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    # a request's copy is not reached through an alert's file of the same numbers
    ("/translations/files/alert/{alert_sent}/{alert_attachment_sent}/translations/{translated_copy}", IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    # the audit trail: national coordinators, their country; data-subject reports: national
    # coordinators and local administrators
    ("/audit",                                            IN,  NO,   NO,   NO,   NO,   NO,   OK,   OK,   NO,   IN),
    ("/audit?reference=REQ-2026-0000001&since=2026-01-01", IN, NO,   NO,   NO,   NO,   NO,   OK,   OK,   NO,   IN),
    ("/audit/subject",                                    IN,  NO,   NO,   NO,   NO,   OK,   OK,   OK,   OK,   IN),
    # search of the own authority's cases
    # what waits for the own authority
    ("/waiting",                                          IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/waiting?after=9999-12-31.request.1",               IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/search",                                           IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/search?q=example",                                 IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    # free text in the reader's language: whoever may read the case's text
    ("/translations/request/{request_sent}",              IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/translations/request/{request_referred}",          IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   NF,   IN),
    ("/translations/request/{request_foreign}",           IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/translations/request/{missing}",                   IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/translations/alert/{alert_sent}",                  IN,  OK,   OK,   OK,   OK,   OK,   NF,   OK,   NF,   IN),
    ("/translations/alert/{alert_foreign}",               IN,  NF,   NF,   NF,   NF,   NF,   OK,   NF,   NF,   IN),
    ("/translations/public_case/{public_case}",           IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/translations/public_case/{public_case_foreign}",   IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    # case records as PDF: exactly who sees the case; a prepared file only to its authority
    # notifications: the notifier's authority, the receiving authority of the Member State
    # of establishment (Paris: no principal here; Germany's coordinator receives France's),
    # the Commission desk of the procedure; a handler composes
    ("/notifications",                                    IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/notifications?box=assess",                         IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/notifications/new",                                IN,  NO,   OK,   NO,   NO,   NO,   NO,   NO,   NO,   IN),
    ("/notifications/{ntf_sent}",                         IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   OK,   IN),
    ("/notifications/{ntf_draft}",                        IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/notifications/{ntf_foreign}",                      IN,  NF,   NF,   NF,   NF,   NF,   OK,   NF,   OK,   IN),
    ("/notifications/{missing}",                          IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/notifications/{ntf_draft}/edit",                   IN,  NO,   OK,   NO,   NO,   NO,   NO,   NO,   NO,   IN),
    ("/notifications/{ntf_foreign}/edit",                 IN,  NO,   NF,   NO,   NO,   NO,   NO,   NO,   NO,   IN),
    ("/pdf/notification/{ntf_sent}",                      IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   OK,   IN),
    ("/pdf/notification/{ntf_foreign}",                   IN,  NF,   NF,   NF,   NF,   NF,   OK,   NF,   OK,   IN),
    ("/pdf/request/{request_sent}",                       IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/pdf/request/{request_foreign}",                    IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/pdf/alert/{alert_foreign}",                        IN,  NF,   NF,   NF,   NF,   NF,   OK,   NF,   NF,   IN),
    ("/pdf/repository_record/{record_foreign}",           IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/pdf/public_case/{public_case_foreign}",            IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/pdf/public_case/{missing}",                        IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/pdf/exports/{pdf_export}",                         IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/pdf/exports/{pdf_export}/file",                    IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/pdf/exports/{missing}",                            IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/pdf/exports/{missing}/file",                       IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    # public
    ("/public-cases",                                     IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/public-cases?state=all",                           IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/public-cases/{public_case}",                       IN,  OK,   OK,   OK,   OK,   OK,   NF,   NF,   NF,   IN),
    ("/public-cases/{public_case_foreign}",               IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/public-cases/{missing}",                           IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/public-cases/{public_case}/close",                 IN,  BACK, OK,   OK,   BACK, BACK, NF,   NF,   NF,   IN),
    ("/public-cases/{public_case_foreign}/close",         IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/public-cases/{public_case}/documents/{public_document}",                 IN, OK, OK, OK, OK, OK, NF, NF, NF, IN),
    # the Commission's SOLVIT desk: the hand-overs to the own authority (none here)
    ("/public-cases/structural-problems",                 IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/public-cases/structural-problems/{public_case}",   IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/public-cases/structural-problems/{missing}",       IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/public-cases/{public_case}/documents/{public_document_foreign}",         IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/public-cases/{public_case_foreign}/documents/{public_document_foreign}", IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    # translated copies of a document: the officers who read it (never the submitter's link)
    ("/translations/files/public_case/{public_case}/{public_document}/translations",                 IN, OK, OK, OK, OK, OK, NF, NF, NF, IN),
    ("/translations/files/public_case/{public_case}/{public_document_foreign}/translations",         IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/translations/files/public_case/{public_case_foreign}/{public_document_foreign}/translations", IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    ("/translations/files/public_case/{public_case}/{public_document}/translations/{public_translated_copy}", IN, OK, OK, OK, OK, OK, NF, NF, NF, IN),
    ("/translations/files/public_case/{public_case_foreign}/{public_document_foreign}/translations/{public_translated_copy}", IN, NF, NF, NF, NF, NF, NF, NF, NF, IN),
    # European Professional Card applications: the home and host authorities' officers
    ("/epc-cases",                                        IN,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   IN),
    ("/epc-cases/{missing}",                              IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    ("/epc-cases/{missing}/documents/{missing}",          IN,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   IN),
    # public: the external interface (last: an anonymous visit makes the session external)
    ("/public/",                                          OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/public/start?procedure=solvit_complaint&country=DE", to("/public/solvit_complaint/DE/new"), to("/public/solvit_complaint/DE/new"), to("/public/solvit_complaint/DE/new"), to("/public/solvit_complaint/DE/new"), to("/public/solvit_complaint/DE/new"), to("/public/solvit_complaint/DE/new"), to("/public/solvit_complaint/DE/new"), to("/public/solvit_complaint/DE/new"), to("/public/solvit_complaint/DE/new"), to("/public/solvit_complaint/DE/new")),
    ("/public/solvit_complaint/DE/new",                   OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/public/solvit_complaint/IT/new",                   NF,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF),
    ("/public/sent",                                      OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/public/confirm/{public_confirm_token}",            OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/public/confirm/{bad_token}",                       NF,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF),
    ("/public/case/{public_token}",                       OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/public/case/{bad_token}",                          NF,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF),
    ("/public/case/{public_token}/documents/{public_document}",         OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    ("/public/case/{public_token}/documents/{public_document_foreign}", NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    ("/public/case/{bad_token}/documents/{public_document}",            NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    ("/public/lost-link",                                 OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    # the EPC applicants' side: an account of its own, which no officer session is
    ("/epc/register",                                     OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/epc/sign-in",                                      OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/epc/confirm/{bad_token}",                          NF,  NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF,   NF),
    ("/epc/verify",                                       OK,  OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK),
    ("/epc/account",                                      EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN),
    ("/epc/account/delete",                               EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN),
    ("/epc/apply",                                        EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN),
    ("/epc/documents/{missing}",                          EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN),
    ("/epc/applications/{missing}",                       EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN),
    ("/epc/applications/{missing}/certificate.pdf",       EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN, EPC_IN),
]
# fmt: on


def test_matrix_rows_have_one_expectation_per_principal():
    assert all(len(row) == 1 + len(PRINCIPALS) for row in MATRIX)


def test_matrix_covers_every_get_route(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for url, *_ in MATRIX:
        path = re.sub(r"\{\w+\}", "1", url.split("?")[0])
        rule, _args = adapter.match(path, method="GET", return_rule=True)
        covered.add(rule.rule)
    get_rules = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert get_rules - covered == set(), "GET routes without a row in MATRIX"


def _check(response, url: str, expect: Expect, canaries: list[str]) -> str | None:
    """A description of the mismatch, or None."""
    got = response.status_code
    if got != expect.status:
        return f"{url}: expected {expect!r}, got {got} {response.headers.get('Location', '')}"
    if got >= 300:
        leaked = [text for text in canaries if text in response.get_data(True)]
        if leaked:
            return f"{url}: refused, but the answer shows {leaked}"
    if expect.location is None:
        return None
    location = urlsplit(response.headers["Location"])
    if location.path != expect.location:
        return f"{url}: expected {expect!r}, redirected to {response.headers['Location']}"
    if expect.sign_in:
        (target,) = parse_qs(location.query)["next"]
        if urlsplit(target).path != urlsplit(url).path:
            return f"{url}: sign-in would return to {target}"
    return None


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_authorization_matrix(principal, client):
    # Given the world and the principal signed in by the real flow
    world = build_world()
    column = 1 + PRINCIPALS.index(principal)
    if principal != "anonymous":
        sign_in(client, world.users[principal])
    if principal == "suspended":
        suspend(world, "suspended")

    # When every GET route is requested as a page and as an htmx partial
    mismatches = []
    for row in MATRIX:
        url, expect = world.url(row[0]), row[column]
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            problem = _check(response, url, expect, world.canaries)
            problem = problem and f"{row[0]} -> {problem}"
            if problem:
                mismatches.append(("htmx " if headers else "page ") + problem)

    # Then each answer is the one the table gives
    assert mismatches == [], f"{principal}:\n" + "\n".join(mismatches)


def test_unknown_urls_are_not_found_for_everyone(client):
    world = build_world()
    sign_in(client, world.users["coordinator_eu"])
    for url in ("/admin", "/users/abc", "/coordination/authorities/-1", "/directory/0x10"):
        assert client.get(url).status_code == 404, url
