"""Audit action codes in the reader's words.

An audit row names what happened as a code, "<object type>.<what>" ("request.viewed",
"request.accepted", "translation.request"). The audit trail page and the PDF record's
audit annex both show them through `action_word` / `action_label`, never as codes:
- a read, a download, an export: `ACTION_WORDS`;
- a step of the case's lifecycle: the words of the case page's own timeline (the kind's
  `labels()["events"]`, e.g. app/cases/requests/labels.py), so that "Request accepted"
  reads the same on the page, in the PDF's timeline and in its audit annex;
- the few codes of other parts (translations, retention, proofs): `CODE_LABELS`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.cases import registry

OBJECT_LABELS = {
    "request": _l("Request"),
    "alert": _l("Alert"),
    "public_case": _l("Public case"),
    "repository_record": _l("Repository record"),
    "notification": _l("Notification"),
    "registration": _l("Registration"),
    "authority": _l("Authority"),
    "user": _l("User"),
    "case": _l("Cases"),
    "audit_event": _l("Audit trail"),
}

# What an officer (or a submitter) did to a case besides its timeline steps, by the
# last part of the code.
ACTION_WORDS = {
    "viewed": _l("Read"),
    "list_viewed": _l("Read in a list"),
    "searched": _l("Searched"),
    "attachment_downloaded": _l("File downloaded"),
    "document_downloaded": _l("File downloaded"),
    "attachment_added": _l("File added"),
    "denied": _l("Access refused"),
    "submitter_viewed": _l("Read by the submitter"),
    "submitter_document_downloaded": _l("File downloaded by the submitter"),
    "subject_report": _l("Data subject report"),
    "pdf_exported": _l("PDF record made"),
    "pdf_downloaded": _l("Prepared PDF record downloaded"),
    "draft_created": _l("Draft created"),
    "draft_updated": _l("Draft changed"),
    "draft_discarded": _l("Draft deleted"),
    # Lifecycle actions a module checks and audits under another name; named anyway.
    "edit": _l("Draft changed"),
    "discard": _l("Draft deleted"),
    "decide_date": _l("Decision on the proposed reply date"),
    "rated": _l("Reply rated"),
    "answers_saved": _l("Answers saved"),
    "commented": _l("Comment"),
    "created": _l("Created"),
    # The steps of a public case, which the audit trail names by the officers' verbs.
    "accept": _l("Case accepted"),
    "ask": _l("More information requested"),
    "reply": _l("Message to the submitter"),
    "close": _l("Case closed"),
    "submitter_confirmed": _l("Case sent"),
    # SOLVIT (app/cases/public/solvit.py): the centres' steps, in the timeline's words.
    "submit_to_lead": _l("Case submitted to the lead centre"),
    "lead_accept": _l("Accepted by the lead centre"),
    "lead_reject": _l("Rejected by the lead centre"),
    "centre_message": _l("Message between the centres"),
    "hand_over": _l("Handed to the Commission's SOLVIT desk"),
    "submitter_replied": _l("Message from the submitter"),
}

# Codes written by other parts about a case (their object type is the case's kind).
CODE_LABELS = {
    "translation.viewed": _l("Translation read"),
    "translation.request": _l("Translation requested"),
    "translation.correct": _l("Translation corrected by an officer"),
    "case.proof_viewed": _l("Proof of the exchange read"),
    "retention.blocked": _l("Blocked at the end of the retention period"),
    "retention.erased": _l("Personal data deleted at the end of the retention period"),
}

# The reads: repeated ones are grouped in the PDF's annex ("Read, 23 times").
READS = frozenset(
    {
        "viewed",
        "submitter_viewed",
        "attachment_downloaded",
        "document_downloaded",
        "submitter_document_downloaded",
        "pdf_exported",
        "pdf_downloaded",
        "proof_viewed",
    }
)


def _events(kind: str) -> dict:
    entry = registry.kind(kind)
    return entry.labels()["events"] if entry is not None else {}


def action_word(code: str) -> str | None:
    """What the code says was done, in the reader's words; None for an unknown code."""
    if code in CODE_LABELS:
        return str(CODE_LABELS[code])
    kind, _, word = code.partition(".")
    found = ACTION_WORDS.get(word) or _events(kind).get(word)
    return str(found) if found is not None else None


def action_label(code: str) -> str:
    """The audit trail page's words: "Request: Read"; an unknown code as it is."""
    kind, _, _word = code.partition(".")
    word = action_word(code)
    if word is None:
        return code
    if code in CODE_LABELS or kind not in OBJECT_LABELS:
        return word
    return f"{OBJECT_LABELS[kind]}: {word}"


def is_read(code: str) -> bool:
    return code.partition(".")[2] in READS or code == "translation.viewed"
