"""Requests between authorities (DESIGN.md "Request"), on the case kernel.

    lifecycle   the transitions, the sides of a request and who may do what
    compose     procedures and responders, drafts, sending, files
    responding  assign, accept, forward, split, ask for information, answer, refuse
    asking      the requester once sent: information, reply date, further question,
                close, withdraw
    referrals   disagreements referred to the coordinators, and their resolution
    reading     reads audited
    notices     inbox flags, mail and the reply-date reminders
    labels      states and timeline events in the reader's words
    kind        the kind in the registry: its one visibility rule

Every action checks the lifecycle (`LIFECYCLE.require`) and changes the request through
`LIFECYCLE.perform` (or `record`): state, timeline event, audit record, notices and one
commit. A refused action raises RequestError and changes nothing.
"""

from app.cases.requests.asking import close, decide_date, further_question, reply_info, withdraw
from app.cases.requests.compose import (
    Draft,
    Offer,
    attach,
    attach_held,
    discard,
    forward_targets,
    offer,
    others_in,
    parties,
    requestable_packs,
    responder_countries,
    responders,
    save_draft,
    send,
)
from app.cases.requests.lifecycle import (
    LIFECYCLE,
    OPEN,
    PENDING_REPLY,
    RequestError,
    S,
    allowed_actions,
    coordinates,
    counterpart,
    may,
    side_of,
)
from app.cases.requests.reading import record_download, record_view
from app.cases.requests.referrals import refer, referred_to, resolve
from app.cases.requests.responding import (
    accept,
    answer,
    ask_info,
    assign,
    forward,
    handlers_of,
    refuse,
    split,
)

__all__ = [
    "LIFECYCLE",
    "OPEN",
    "PENDING_REPLY",
    "Draft",
    "Offer",
    "RequestError",
    "S",
    "accept",
    "allowed_actions",
    "answer",
    "ask_info",
    "assign",
    "attach",
    "attach_held",
    "close",
    "coordinates",
    "counterpart",
    "decide_date",
    "discard",
    "forward",
    "forward_targets",
    "further_question",
    "handlers_of",
    "may",
    "offer",
    "others_in",
    "parties",
    "record_download",
    "record_view",
    "refer",
    "referred_to",
    "refuse",
    "reply_info",
    "requestable_packs",
    "resolve",
    "responder_countries",
    "responders",
    "save_draft",
    "send",
    "side_of",
    "split",
    "withdraw",
]
