"""The officers' side of a public case: their actions through the lifecycle, and the reads
the audit trail keeps."""

from __future__ import annotations

from app.cases.public import documents, solvit
from app.cases.public.lifecycle import (
    CENTRE_STEPS,
    LIFECYCLE,
    MAX_TEXT,
    MESSAGES,
    PublicError,
)
from app.cases.public.notices import notify_officers
from app.cases.public.routing import competent_authority
from app.extensions import db
from app.models import PublicCase, PublicCaseState, PublicDocument
from app.models.base import utcnow
from app.policy import Actor
from app.records import audit


def act(
    actor: Actor,
    case: PublicCase,
    action: str,
    text: str = "",
    files=(),
    *,
    outcome: str = "",
    lead_country: str = "",
) -> None:
    """An officer's action; documents (e.g. a decision letter) go with any of them but
    the SOLVIT centres' steps, whose text is for the centres only. The submitter gets a
    new link by mail when the action concerns them; commits.

    SOLVIT: closing names the `outcome`; submitting to the lead centre names the
    `lead_country`, whose SOLVIT centre the case goes to."""
    transition = LIFECYCLE.require(actor, case, action)
    text = text.strip()[:MAX_TEXT]
    files = () if action in CENTRE_STEPS else documents.chosen(files)
    if action in MESSAGES and not text and not files:
        raise PublicError("text")
    if transition.needs_text:
        text = LIFECYCLE.need(text, transition.needs_text)
    details = _solvit_step(actor, case, action, text, outcome, lead_country)
    documents.store(case, files, actor.user.id)
    now = utcnow()
    if solvit.is_solvit(case) and case.state == PublicCaseState.SUBMITTED:
        case.contacted_at = now  # the home centre's first word to the applicant
    if transition.target == PublicCaseState.CLOSED:
        case.closed_at = now
    LIFECYCLE.perform(actor, case, action, text, checked=True, details=details)


def _solvit_step(
    actor: Actor, case: PublicCase, action: str, text: str, outcome: str, lead_country: str
) -> dict:
    """What a SOLVIT step writes besides the kernel's bookkeeping; its audit details."""
    if not solvit.is_solvit(case):
        return {}
    now = utcnow()
    if action == "close":
        if case.state not in solvit.OUTCOMES.get(outcome, ()):
            raise PublicError("outcome")
        if outcome in solvit.NEEDS_REASON and not text:
            raise PublicError("text")
        case.outcome = outcome
        return {"outcome": outcome}
    if action == "submit_to_lead":
        lead = None
        if lead_country and lead_country != case.country:
            lead = competent_authority(case.procedure_key, lead_country)
        if lead is None:
            raise PublicError("lead")
        case.lead_country, case.lead_authority_id = lead_country, lead.id
        case.sent_to_lead_at = now
        return {"lead_authority": lead.id}
    if action == "lead_accept":
        case.lead_accepted_at = now
    elif action == "lead_reject":
        # Back with the home centre: the lead centre no longer sees the case.
        case.lead_authority_id, case.lead_unread, case.sent_to_lead_at = None, False, None
    elif action == "centre_message":
        if actor.authority.id == case.authority_id:
            notify_officers(case, "centre_message", case.lead_authority_id)
            case.lead_unread = True
        else:
            notify_officers(case, "centre_message")
            case.unread = True
    elif action == "hand_over":
        desk = solvit.desk()
        if desk is None:
            raise PublicError("desk")
        case.desk_id, case.handed_over_at, case.handover_summary = desk.id, now, text
        return {"desk": desk.id}
    return {}


def record_view(actor: Actor, case: PublicCase) -> None:
    LIFECYCLE.audit(actor, case, "viewed")
    if actor.authority.id == case.authority_id and case.unread:
        case.unread = False
    if actor.authority.id == case.lead_authority_id and case.lead_unread:
        case.lead_unread = False
    audit.commit_read()


def record_download(actor: Actor, case: PublicCase, document: PublicDocument) -> None:
    LIFECYCLE.audit(
        actor, case, "document_downloaded", document=document.id, sha256=document.sha256
    )
    db.session.commit()
