"""Public cases: what external actors (citizens, companies) submit through the public
interface, and how officers handle it.

The package: `lifecycle` (who may do what, as a table), `submission` (the submitter's
side), `officers` (the officers' actions and reads), `routing` (the procedures and the
competent authority a case goes to), `notices` (mails and tokens), `documents` (files and
quotas); the officers' inbox is here.

Tokens: the submitter confirms with a single-use token mailed to them (valid 48 hours);
the case is then followed through a private tracking link holding a 128-bit random
token. Only SHA-256 hashes are stored, so every mail that carries a link carries a new
token, and the newest mail always holds a link that works:
- A mail the case's own course sends (confirmation, an officer's action) replaces the
  link at once: the previous link stops working.
- A lost-link mail, which anyone who knows the submitter's address can ask for, must not
  cut the submitter off. Its token waits as pending: the current link keeps working
  until the new one is first opened, and from then on only the new one works. A newer
  lost-link request replaces the pending token; a mail of the case's course drops it.
"""

from __future__ import annotations

from app.cases.paging import Keyset
from app.cases.public import solvit
from app.cases.public.lifecycle import (
    LIFECYCLE,
    MAX_DOCUMENTS,
    MAX_FIELD,
    MAX_NAME,
    MAX_TEXT,
    PublicError,
)
from app.cases.public.notices import NOTICES, hash_token
from app.cases.public.officers import act, record_download, record_view
from app.cases.public.routing import (
    competent_authority,
    countries_for,
    pack_of,
    public_pack,
    public_packs,
)
from app.cases.public.submission import (
    CONFIRM_HOURS,
    Submission,
    by_token,
    confirm,
    lost_link,
    purge_unconfirmed,
    record_submitter_read,
    submit,
    submitter_reply,
    unconfirmed,
)
from app.models import PublicCase, PublicCaseState
from app.policy import Actor

__all__ = [
    "CONFIRM_HOURS",
    "LIFECYCLE",
    "MAX_DOCUMENTS",
    "MAX_FIELD",
    "MAX_NAME",
    "MAX_TEXT",
    "NOTICES",
    "PublicError",
    "Submission",
    "act",
    "by_token",
    "competent_authority",
    "confirm",
    "countries_for",
    "cursor_of",
    "hash_token",
    "lost_link",
    "officer_cases",
    "officer_conditions",
    "officer_query",
    "pack_of",
    "public_pack",
    "public_packs",
    "purge_unconfirmed",
    "record_download",
    "record_submitter_read",
    "record_view",
    "solvit",
    "submit",
    "submitter_reply",
    "unconfirmed",
]


# --- the officers' inbox --------------------------------------------------------------


# The officers' inbox: newest activity first.
OFFICER_ORDER = Keyset(PublicCase.id, PublicCase.updated_at)


def officer_conditions(state: str | None) -> list:
    """What a case the actor sees must meet to be listed under `state`: "open" (not
    closed), one state, or anything else (every state)."""
    if state == "open":
        return [PublicCase.state != PublicCaseState.CLOSED]
    if state in {s.value for s in PublicCaseState}:
        return [PublicCase.state == PublicCaseState(state)]
    return []


def officer_query(actor: Actor, state: str | None = None, visible=None):
    """The cases routed to the actor's authority (the kind's visibility rule, `visible`
    when the caller built it already) listed under `state`."""
    if visible is None:
        from app.cases import registry

        visible = registry.kind("public_case").visible_query(actor)
    return visible.where(*officer_conditions(state))


def officer_cases(actor: Actor, state: str | None = None, after: str = ""):
    """The query of the cases routed to the actor's authority, newest activity first;
    `after` ("<ISO time>_<id>", the last row of the previous page) pages by keyset."""
    return OFFICER_ORDER.query(officer_query(actor, state), after)


def cursor_of(case: PublicCase) -> str:
    return OFFICER_ORDER.encode(case)
