"""Every audit action a case can carry has words in the reader's language: the audit
trail page and the PDF's audit annex never show a code like `request.viewed`."""

import pytest
from flask_babel import force_locale

from app.cases import registry
from app.records.audit_labels import action_label, action_word

# Written by hand beside the lifecycles (views, downloads, drafts, exports, other parts).
HAND_WRITTEN = {
    "request": (
        "viewed", "denied", "attachment_downloaded", "attachment_added", "draft_created",
        "draft_updated", "draft_discarded", "answers_saved", "date_agreed", "date_refused",
        "pdf_exported", "pdf_downloaded",
    ),
    "alert": (
        "viewed", "denied", "attachment_downloaded", "attachment_added", "draft_created",
        "draft_updated", "draft_discarded", "commented", "pdf_exported", "pdf_downloaded",
    ),
    "public_case": (
        "viewed", "denied", "document_downloaded", "submitter_viewed",
        "submitter_document_downloaded", "pdf_exported", "pdf_downloaded",
    ),
    "repository_record": ("viewed", "denied", "created", "pdf_exported", "pdf_downloaded"),
}  # fmt: skip
OTHER_PARTS = (
    "translation.viewed",
    "translation.request",
    "translation.correct",
    "case.proof_viewed",
    "retention.blocked",
    "retention.erased",
)


def _lifecycle_codes() -> list[str]:
    codes = []
    for name, kind in registry.kinds().items():
        for transition in kind.lifecycle.transitions if kind.lifecycle else ():
            # what the kernel writes (Lifecycle.perform): audit_as, else the event, else
            # the action; an action without event ("" ) is audited by its name
            word = transition.audit_as or transition.event_kind or transition.action
            codes.append(f"{name}.{word}")
    return codes


def _all_codes() -> list[str]:
    hand = [f"{kind}.{word}" for kind, words in HAND_WRITTEN.items() for word in words]
    return sorted({*_lifecycle_codes(), *hand, *OTHER_PARTS})


def test_every_audit_action_of_a_case_has_words(app):
    with app.test_request_context(), force_locale("de"):
        unnamed = [code for code in _all_codes() if action_word(code) is None]
    assert unnamed == []


@pytest.mark.parametrize(
    ("code", "english", "german"),
    [
        ("request.viewed", "Read", "Gelesen"),
        # a lifecycle step uses the words of the case page's timeline
        ("request.accepted", "Request accepted", None),
        ("alert.sent", "Alert broadcast", None),
        ("repository_record.archived", "Archived", None),
        ("translation.viewed", "Translation read", None),
    ],
)
def test_a_code_reads_as_the_case_page_says_it(app, code, english, german):
    from app.cases.requests.labels import EVENT_LABELS

    with app.test_request_context(), force_locale("en"):
        assert action_word(code) == english
    if code == "request.accepted":
        with app.test_request_context(), force_locale("de"):
            assert action_word(code) == str(EVENT_LABELS["accepted"])
    if german:
        with app.test_request_context(), force_locale("de"):
            assert action_word(code) == german


def test_the_audit_trail_page_names_the_object_and_the_action(app):
    with app.test_request_context(), force_locale("en"):
        assert action_label("request.viewed") == "Request: Read"
        assert action_label("request.accepted") == "Request: Request accepted"
        assert action_label("translation.viewed") == "Translation read"
        assert action_label("auth.signed_in") == "auth.signed_in"
