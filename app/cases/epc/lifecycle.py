"""Who may do what on an EPC application, as a table.

Three sides act on an application:
- the home authority ("home": the competent authority of the applicant's Member State of
  establishment), which acknowledges it within one week and lists missing documents
  (Art 4b(3)), then either issues a card for temporary services itself (Art 4c(1)) or
  verifies and transfers the application to the host (Art 4d(1));
- the host authority ("host"), which decides within its period (Art 4d(2), (3)) and may
  extend that period by two weeks, once and once again (Art 4d(5));
- the applicant ("applicant"), who has an account but no officer powers: the kernel sees
  them as no actor (None), and they only add documents the home authority asked for.
The system ("system") issues the card by law when the host lets its period pass
(Art 4d(5)); nobody else takes that action. Either authority may revoke an issued card
(Art 4e(1)) and link the Art 56a alert that concerns it. Officers act as handlers or
allocators; a viewer changes nothing.
"""

from __future__ import annotations

from app.cases.epc.notices import notify
from app.cases.kernel import CaseError, Lifecycle, Transition
from app.models import EpcApplication
from app.models import EpcState as S
from app.policy import Actor

OFFICER_ROLES = {"handler", "allocator"}
MAX_TEXT = 4000
TEMPORARY = "temporary"  # Art 4c: the home authority issues the card itself


class EpcError(CaseError):
    """A refused action: "role", "state", "text", "alert", or a document's."""


def sides(actor: Actor | None, case: EpcApplication) -> set[str]:
    if actor is None:
        return {"applicant"}
    found = set()
    if actor.authority.id == case.home_authority_id:
        found.add("home")
    if actor.authority.id == case.host_authority_id:
        found.add("host")
    return found


def _temporary(_actor, case: EpcApplication) -> bool:
    return case.purpose == TEMPORARY


def _transferable(_actor, case: EpcApplication) -> bool:
    return case.purpose != TEMPORARY


def _may_extend(_actor, case: EpcApplication) -> bool:
    from app.cases.epc.periods import settings_of

    return case.extensions < settings_of(case).periods["extension"].times


def _officers(action: str, sources, target, side: str, event: str, **more) -> Transition:
    return Transition(
        action, sources, target, sides={side}, roles=OFFICER_ROLES, event=event, **more
    )


TO_APPLICANT = ("applicant", "update")

LIFECYCLE = Lifecycle(
    "epc_application",
    [
        _officers(
            "acknowledge", (S.SUBMITTED,), S.ACKNOWLEDGED, "home", "acknowledged",
            notify=(TO_APPLICANT,),
        ),
        _officers(
            "issue_home", (S.ACKNOWLEDGED,), S.ISSUED, "home", "issued",
            guard=_temporary, notify=(TO_APPLICANT,),
        ),
        _officers(
            "transfer", (S.ACKNOWLEDGED,), S.TRANSFERRED, "home", "transferred",
            guard=_transferable, notify=(TO_APPLICANT, ("host", "transferred")),
        ),
        _officers(
            "refuse_home", (S.SUBMITTED, S.ACKNOWLEDGED), S.REFUSED, "home", "refused",
            needs_text="text", notify=(TO_APPLICANT,),
        ),
        _officers("issue", (S.TRANSFERRED,), S.ISSUED, "host", "issued", notify=(TO_APPLICANT,)),
        _officers(
            "refuse", (S.TRANSFERRED,), S.REFUSED, "host", "refused",
            needs_text="text", notify=(TO_APPLICANT,),
        ),
        _officers(
            "extend", (S.TRANSFERRED,), None, "host", "extended",
            needs_text="text", guard=_may_extend, notify=(TO_APPLICANT,),
        ),
        Transition(
            "revoke", (S.ISSUED,), S.REVOKED, sides={"home", "host"}, roles=OFFICER_ROLES,
            event="revoked", needs_text="text", notify=(TO_APPLICANT,),
        ),
        Transition(
            "link_alert", (S.ISSUED, S.REVOKED), None, sides={"home", "host"},
            roles={"handler", "allocator", "alert_handler"}, event="alert_linked",
        ),
        # The host let its period pass: the card is issued by law (Art 4d(5)).
        Transition(
            "tacit", (S.TRANSFERRED,), S.ISSUED, sides={"system"}, event="issued_tacitly",
            notify=(TO_APPLICANT, ("host", "tacit")),
        ),
        # A temporary card's validity has ended (Art 4c(1)): the case closes.
        Transition(
            "expire", (S.ISSUED,), S.EXPIRED, sides={"system"}, event="expired",
            notify=(TO_APPLICANT,),
        ),
        # The applicant sends the documents the home authority listed as missing.
        Transition(
            "supplement", (S.SUBMITTED, S.ACKNOWLEDGED), None, sides={"applicant"},
            event="documents_added", notify=(("home", "documents_added"),),
        ),
    ],
    sides=sides,
    notifier=notify,
    error=EpcError,
)  # fmt: skip

# The actions of each side, in the order the case page offers them.
HOME_ACTIONS = ("acknowledge", "issue_home", "transfer", "refuse_home")
HOST_ACTIONS = ("issue", "extend", "refuse")
CARD_ACTIONS = ("revoke", "link_alert")
