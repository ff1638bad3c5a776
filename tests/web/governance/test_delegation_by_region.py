"""Delegated coordinators by region (a NUTS code), by procedure, or both.

Bavaria's delegated coordinator (DE2) governs the German authorities in Bavaria (any
region whose code begins DE2), not those of Berlin (DE3) nor those whose region nobody
gave; one delegated for Bavaria and the diploma procedure governs only the Bavarian
authorities of that procedure. Written as a table of who governs whom, then through HTTP.
"""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AuthorityKind, Membership, ProcedureAccess
from app.policy import Actor, governs
from app.procedures.store import sync
from tests.factories import csrf_token, make_authority, make_user
from tests.web.requests.conftest import as_user

DIPLOMA, STANDING = "pq_diploma_authenticity", "pq_good_standing"

# delegate -> authority -> governs? (written out)
EXPECTED = {
    "Bavaria": {
        "Munich chamber (DE212, diplomas)": True,
        "Nuremberg chamber (DE254, good standing)": True,
        "Berlin chamber (DE300, diplomas)": False,
        "chamber of no region (diplomas)": False,
        "French authority (FR101, diplomas)": False,
    },
    "Bavaria, diplomas": {
        "Munich chamber (DE212, diplomas)": True,
        "Nuremberg chamber (DE254, good standing)": False,
        "Berlin chamber (DE300, diplomas)": False,
        "chamber of no region (diplomas)": False,
        "French authority (FR101, diplomas)": False,
    },
    "diplomas, whole country": {
        "Munich chamber (DE212, diplomas)": True,
        "Nuremberg chamber (DE254, good standing)": False,
        "Berlin chamber (DE300, diplomas)": True,
        "chamber of no region (diplomas)": True,
        "French authority (FR101, diplomas)": False,
    },
}
AUTHORITIES = {
    "Munich chamber (DE212, diplomas)": ("DE", "DE212", DIPLOMA),
    "Nuremberg chamber (DE254, good standing)": ("DE", "de254", STANDING),
    "Berlin chamber (DE300, diplomas)": ("DE", "DE300", DIPLOMA),
    "chamber of no region (diplomas)": ("DE", "", DIPLOMA),
    "French authority (FR101, diplomas)": ("FR", "FR101", DIPLOMA),
}
DELEGATES = {
    "Bavaria": ("DE2", []),
    "Bavaria, diplomas": ("DE2", [DIPLOMA]),
    "diplomas, whole country": ("", [DIPLOMA]),
}


@pytest.fixture
def world(app, coordination_de):
    sync()
    authorities = {}
    for name, (country, region, procedure) in AUTHORITIES.items():
        authority = make_authority(country, name=name, region=region)
        db.session.add(
            ProcedureAccess(authority_id=authority.id, procedure_key=procedure, roles=["responder"])
        )
        authorities[name] = authority
    delegates = {}
    for name, (region, procedures) in DELEGATES.items():
        delegate = make_authority(
            "DE",
            name=f"Delegate {name}",
            kind=AuthorityKind.DELEGATED_COORDINATOR,
            parent=coordination_de,
            coordinated_region=region,
            coordinated_procedures=procedures,
        )
        delegates[name] = make_user(delegate, ["coordinator"])
    db.session.commit()
    return authorities, delegates


def test_who_a_delegated_coordinator_governs(app, world):
    authorities, delegates = world
    found = {
        delegate: {
            name: governs(
                Actor(user, db.session.query(Membership).filter_by(user_id=user.id).one()),
                authority,
            )
            for name, authority in authorities.items()
        }
        for delegate, user in delegates.items()
    }
    assert found == EXPECTED


def test_a_delegate_by_region_reaches_its_region_through_http(app, world):
    authorities, delegates = world
    client = as_user(app, delegates["Bavaria"])
    munich = authorities["Munich chamber (DE212, diplomas)"]
    berlin = authorities["Berlin chamber (DE300, diplomas)"]
    # then its queue lists Munich, not Berlin, and Berlin's page is not there for it
    queue = client.get("/coordination/").get_data(True)
    assert munich.name in queue and berlin.name not in queue
    assert client.get(f"/coordination/authorities/{munich.id}").status_code == 200
    assert client.get(f"/coordination/authorities/{berlin.id}").status_code == 404


def test_the_national_coordinator_says_where_an_authority_is(app, world, coordinator):
    authorities, delegates = world
    berlin = authorities["Berlin chamber (DE300, diplomas)"]
    client = as_user(app, coordinator)
    url = f"/coordination/authorities/{berlin.id}"
    bavaria = as_user(app, delegates["Bavaria"])
    assert bavaria.get(url).status_code == 404
    # when the national coordinator types a code of another country: refused, kept
    token = csrf_token(client.get(url))
    response = client.post(f"{url}/region", data={"region": "FR101", "csrf_token": token})
    assert response.status_code == 400
    page = response.get_data(True)
    assert "Enter a NUTS code of the authority&#39;s country, such as DE21." in page
    assert 'value="FR101"' in page
    # when it says the chamber is in Upper Bavaria (DE21)
    response = client.post(f"{url}/region", data={"region": "de21", "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(berlin), berlin.id).region == "DE21"
    # then Bavaria's delegated coordinator now coordinates it
    assert bavaria.get(url).status_code == 200
    # and neither the delegate nor an access manager may say where an authority is
    token = csrf_token(bavaria.get(url))
    response = bavaria.post(f"{url}/region", data={"region": "DE3", "csrf_token": token})
    assert response.status_code == 403
