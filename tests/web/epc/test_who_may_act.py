"""Who may act on an EPC application, as a table: every action x state x party, sent
through HTTP, with the expected outcome written here (never read from the lifecycle's
own table). A refused attempt changes nothing: no event, no state, no audit row."""

from __future__ import annotations

import pytest

from app.cases.epc import applications
from app.extensions import db
from app.models import AuditEvent, EpcApplication, EpcState
from tests.factories import csrf_token, sign_in
from tests.web.epc.conftest import applicant_client, application_of, visitor
from tests.web.security.world import actor_of

OK, NO, NF = 302, 400, 404  # done; refused on the page (role or state); not found

# (state the case is brought to, action, who) -> expected
PARTIES = ("home", "home_viewer", "host", "host_viewer", "host_alerts", "third")
TABLE = {
    ("submitted", "acknowledge"): (OK, NO, NO, NO, NO, NF),
    ("submitted", "transfer"): (NO, NO, NO, NO, NO, NF),
    ("submitted", "issue"): (NO, NO, NO, NO, NO, NF),
    ("submitted", "refuse_home"): (OK, NO, NO, NO, NO, NF),
    ("acknowledged", "transfer"): (OK, NO, NO, NO, NO, NF),
    ("acknowledged", "issue_home"): (NO, NO, NO, NO, NO, NF),  # establishment: not the home's
    ("acknowledged", "issue"): (NO, NO, NO, NO, NO, NF),
    ("transferred", "issue"): (NO, NO, OK, NO, NO, NF),
    ("transferred", "refuse"): (NO, NO, OK, NO, NO, NF),
    ("transferred", "extend"): (NO, NO, OK, NO, NO, NF),
    ("transferred", "transfer"): (NO, NO, NO, NO, NO, NF),
    ("issued", "revoke"): (OK, NO, OK, NO, NO, NF),
    ("issued", "issue"): (NO, NO, NO, NO, NO, NF),
    ("refused", "issue"): (NO, NO, NO, NO, NO, NF),
}
NEEDS_TEXT = {"refuse_home", "refuse", "extend", "revoke"}


def _bring(case, state: str, world) -> None:
    home, host = actor_of(world.home), actor_of(world.host)
    steps = {
        "submitted": [],
        "acknowledged": [(home, "acknowledge")],
        "transferred": [(home, "acknowledge"), (home, "transfer")],
        "issued": [(home, "acknowledge"), (home, "transfer"), (host, "issue")],
        "refused": [(home, "acknowledge"), (home, "transfer"), (host, "refuse")],
    }[state]
    for actor, action in steps:
        applications.act(actor, case, action, "A reason.")


@pytest.mark.parametrize(("state", "action"), list(TABLE))
@pytest.mark.parametrize("party", range(len(PARTIES)))
def test_who_may_act(app, world, state, action, party):
    # given an application in `state`
    case = application_of(world.applicant, world)
    _bring(case, state, world)
    before = (case.state, len(case.events), db.session.query(AuditEvent).count())
    who = getattr(world, PARTIES[party])
    client = app.test_client()
    sign_in(client, who)
    page = client.get(f"/epc-cases/{case.id}")
    expected = TABLE[(state, action)][party]
    if expected == NF:
        assert page.status_code == 404
        token = csrf_token(client.get("/epc-cases"))
    else:
        token = csrf_token(page)
    # when the party posts the action
    data = {"csrf_token": token, "text": "A reason." if action in NEEDS_TEXT else ""}
    response = client.post(f"/epc-cases/{case.id}/{action}", data=data)
    # then the outcome is the table's
    status = response.status_code
    if PARTIES[party].endswith("viewer") and expected == NO:
        assert status in (NO, 403)
    else:
        assert status == expected, (state, action, PARTIES[party], status)
    db.session.expire_all()
    case = db.session.get(EpcApplication, case.id)
    if expected != OK:
        assert case.state == before[0] and len(case.events) == before[1]


def test_applicants_reach_only_their_own_applications_and_no_officer_page(app, world):
    case = application_of(world.applicant, world)
    own = applicant_client(app, world.applicant)
    other = applicant_client(app, world.other)
    assert own.get(f"/epc/applications/{case.id}").status_code == 200
    assert other.get(f"/epc/applications/{case.id}").status_code == 404
    document = case.documents[0]
    assert own.get(f"/epc/documents/{document.id}").status_code == 200
    assert other.get(f"/epc/documents/{document.id}").status_code == 404
    # an applicant's session is no officer's: officer pages are out of reach
    for url in (f"/epc-cases/{case.id}", "/epc-cases", "/requests", "/directory"):
        assert own.get(url).status_code in (302, 404), url
    # anonymous: the account pages send to sign-in, the verification page is open
    anonymous = visitor(app)
    assert anonymous.get(f"/epc/applications/{case.id}").status_code == 302
    assert anonymous.get("/epc/verify").status_code == 200
    assert anonymous.get(f"/epc-cases/{case.id}").status_code in (302, 404)


def test_the_applicant_adds_documents_only_while_the_home_authority_verifies(app, world):
    from app.cases.epc import accounts
    from tests.web.epc.conftest import Upload

    case = application_of(world.applicant, world)
    applications.act(actor_of(world.home), case, "acknowledge", "A certified copy of the diploma.")
    assert case.home_due is None  # the home period waits for the documents
    added = accounts.add_documents(world.applicant, [Upload("copy.pdf", b"%PDF-1.4\n%%EOF\n")])
    db.session.commit()
    client = applicant_client(app, world.applicant)
    token = csrf_token(client.get(f"/epc/applications/{case.id}"))
    response = client.post(
        f"/epc/applications/{case.id}/documents",
        data={"csrf_token": token, "documents": [str(added[0].id)]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(EpcApplication, case.id)
    assert case.home_due is not None and case.state == EpcState.ACKNOWLEDGED
    applications.act(actor_of(world.home), case, "transfer")
    token = csrf_token(client.get(f"/epc/applications/{case.id}"))
    refused = client.post(
        f"/epc/applications/{case.id}/documents",
        data={"csrf_token": token, "documents": [str(added[0].id)]},
    )
    assert refused.status_code == 400
