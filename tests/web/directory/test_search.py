"""Officers find competent authorities in the directory whatever language they search in."""

from __future__ import annotations

import re

import pytest

from app import directory, vocabulary
from app.extensions import db
from app.models import AuthorityStatus, Procedure, ProcedureAccess
from tests.factories import make_authority, make_user, post_form, sign_in

NURSE = "profession.nurse"


@pytest.fixture
def officer(client):
    """A signed-in officer of an authority that matches none of the queries below."""
    home = make_authority("IE", name="Teaching Council")
    sign_in(client, make_user(home, ["handler"]))
    return client


def found(client, query: str, **filters) -> list[str]:
    """The (official) names of the authorities listed for a search, in order."""
    response = client.get("/directory", query_string={"q": query, **filters})
    assert response.status_code == 200
    return re.findall(r'<a href="/directory/\d+" lang="\w+">([^<]+)</a>', response.get_data(True))


def test_a_czech_query_finds_the_german_nurse_authority(officer):
    make_authority(
        "DE",
        name="Nursing Chamber of Lower Saxony",
        local_names={"de": "Pflegekammer Niedersachsen"},
        concepts=(NURSE, "area.professional_qualifications"),
    )
    make_authority("DE", name="Chamber of Architects", concepts=("profession.architect",))

    body = officer.get("/directory?q=zdravotní+sestra").get_data(True)

    assert found(officer, "zdravotní sestra") == ["Pflegekammer Niedersachsen"]
    # why it matched: the concept in the reader's language, the term in the query's
    assert '<mark>Nurse</mark> (<span lang="cs">zdravotní sestra</span>)' in body


def test_greek_and_bulgarian_queries_find_the_right_authority(officer):
    make_authority("FR", name="National Order of Nurses", concepts=(NURSE,))
    make_authority("AT", name="Chamber of Civil Engineers", concepts=("profession.engineer",))
    make_authority("IT", name="National Council of Architects", concepts=("profession.architect",))

    assert found(officer, "νοσηλευτής") == ["National Order of Nurses"]
    assert found(officer, "архитект") == ["National Council of Architects"]
    assert found(officer, "инженер") == ["Chamber of Civil Engineers"]


def test_case_accents_and_the_start_of_a_word_do_not_matter(officer):
    make_authority("CZ", name="Czech Nurses Association", concepts=(NURSE,))

    for query in ("ZDRAVOTNI SESTRA", "Zdravotní Sestra", "ΝΟΣΗΛΕΥΤΗΣ", "Νοσηλευτης", "zdravotn"):
        assert found(officer, query) == ["Czech Nurses Association"], query
    assert found(officer, "zdr") == []


def test_free_text_names_are_still_found(officer):
    make_authority(
        "PL", name="Supreme Medical Chamber", local_names={"pl": "Naczelna Izba Lekarska"}
    )

    assert found(officer, "IZBA lekarska") == ["Naczelna Izba Lekarska"]


def test_a_competence_ranks_above_a_mere_substring(officer):
    make_authority("BE", name="Nursery Schools Inspectorate")
    make_authority("NL", name="Dutch Register of Care Professions", concepts=(NURSE,))
    make_authority("FR", name="National Order of Nurses", concepts=(NURSE,))

    assert found(officer, "nurse") == [
        "National Order of Nurses",  # the competence and its name
        "Dutch Register of Care Professions",  # the competence
        "Nursery Schools Inspectorate",  # only a substring of its name
    ]


def test_every_word_must_match_a_competence_or_the_text(officer):
    make_authority("DE", name="Nursing Chamber Berlin", city="Berlin", concepts=(NURSE,))
    make_authority("DE", name="Nursing Chamber Bavaria", city="München", concepts=(NURSE,))

    assert found(officer, "Krankenpfleger Berlin") == ["Nursing Chamber Berlin"]


def test_umlauts_typed_as_two_letters_are_found(officer):
    make_authority("DE", name="Ärztekammer Nordrhein", local_names={"de": "Ärztekammer Nordrhein"})
    make_authority("DE", name="Bundeszahnärztekammer", concepts=("profession.dentist",))

    assert found(officer, "Aerztekammer Nordrhein") == ["Ärztekammer Nordrhein"]
    # found for both words, not as a list of some words only
    assert not directory.search("Aerztekammer Nordrhein").partial
    assert found(officer, "Zahnaerzte") == ["Bundeszahnärztekammer"]


def test_a_typo_still_finds_the_authority(officer):
    make_authority("DE", name="Pflegekammer Niedersachsen", concepts=(NURSE,))
    make_authority("DE", name="Architektenkammer", concepts=("profession.architect",))

    # every word matches (one of them misspelt): no "some words only" notice
    assert found(officer, "Krankenpflger Niedersachsen") == ["Pflegekammer Niedersachsen"]
    body = officer.get("/directory?q=Krankenpflger+Niedersachsen").get_data(True)
    assert "No authority matches every word" not in body
    # the concept is marked with the term the typo was taken for
    assert '(<span lang="de">Krankenpfleger</span>)' in body
    assert found(officer, "arhcitect") == ["Architektenkammer"]


PARTIAL = "No authority matches every word of your search."


def test_when_no_authority_matches_every_word_those_matching_most_are_listed_and_said(officer):
    make_authority("DE", name="Nursing Chamber Berlin", city="Berlin", concepts=(NURSE,))
    make_authority("DE", name="Nursing Chamber Bavaria", city="München", concepts=(NURSE,))
    make_authority(
        "DE", name="Architects Berlin", city="Berlin", concepts=("profession.architect",)
    )

    # A word no authority has (a typo, a word of no competence) no longer empties the list:
    # both other words first, then one of them, a competence before a word of the text
    assert found(officer, "Krankenpfleger Berlin Zulassungsxyz") == [
        "Nursing Chamber Berlin",
        "Nursing Chamber Bavaria",
        "Architects Berlin",
    ]
    assert PARTIAL in officer.get("/directory?q=Krankenpfleger+Berlin+Zulassungsxyz").get_data(True)
    # and it is said only then
    assert found(officer, "Krankenpfleger Berlin") == ["Nursing Chamber Berlin"]
    assert PARTIAL not in officer.get("/directory?q=Krankenpfleger+Berlin").get_data(True)
    # one word that matches nothing still finds nothing
    assert found(officer, "Zulassungsxyz") == []


def test_a_partial_list_pages_as_itself(app):
    for n in range(3):
        make_authority("DE", name=f"Care Chamber {n}", city="Köln", concepts=(NURSE,))
    make_authority("DE", name="Köln Register", city="Köln")
    make_authority("DE", name="Köln Nursery Inspectorate", city="Köln")
    make_authority("FR", name="Order of Nurses", concepts=(NURSE,))

    seen, cursor = [], None
    while True:
        page = directory.search("nurse Köln qqqzzz", after=cursor, limit=2)
        assert page.partial
        seen += [r.authority.name for r in page.items]
        if not (cursor := page.next_cursor):
            break

    assert seen == [
        *(f"Care Chamber {n}" for n in range(3)),  # two words, one a competence
        "Köln Nursery Inspectorate",  # two words, in its text only
        "Order of Nurses",  # one word, a competence (and in its name)
        "Köln Register",  # one, in its text
    ]


def test_a_search_that_finds_nothing_offers_the_policy_areas(officer):
    make_authority("PL", name="Państwowa Inspekcja Pracy", concepts=("area.posting_of_workers",))

    body = officer.get("/directory?q=qqqzzzxx").get_data(True)
    assert "No authority matches your search." in body
    # every policy area, in the reader's language, each a search for it
    areas = re.findall(r'<li><a href="(/directory\?q=[^"]+)">([^<]+)</a></li>', body)
    assert len(areas) == len(vocabulary.areas("en")) >= 10
    link = dict((label, url) for url, label in areas)["Posting of workers"]
    assert "Państwowa Inspekcja Pracy" in officer.get(link.replace("&amp;", "&")).get_data(True)
    # not when something is found, nor before anything is asked
    assert "Browse the directory by policy area" not in officer.get("/directory?q=pracy").get_data(
        True
    )
    assert "Browse the directory by policy area" not in officer.get("/directory").get_data(True)


def test_a_search_that_finds_nothing_suggests_close_concepts(officer):
    make_authority("FR", name="National Order of Nurses", concepts=(NURSE,))
    make_authority("DE", name="German Nurses", concepts=(NURSE,))

    body = officer.get("/directory?q=nuse&country=FR").get_data(True)
    assert "No authority matches your search." in body
    # the concepts closest to the words typed, each a search for it with the same filters
    assert "Did you mean:" in body
    links = re.findall(r'<li><a href="([^"]+)" data-concept="([\w.]+)">([^<]+)</a></li>', body)
    assert [(key, label) for _, key, label in links][:1] == [(NURSE, "Nurse")]
    link = links[0][0].replace("&amp;", "&")
    assert "country=FR" in link
    assert found(officer, "Nurse", country="FR") == ["National Order of Nurses"]
    assert "National Order of Nurses" in officer.get(link).get_data(True)
    # as well as the policy areas to browse by
    assert "Browse the directory by policy area instead:" in body


def test_no_suggestion_when_something_is_found_or_nothing_is_close(officer):
    make_authority("FR", name="National Order of Nurses", concepts=(NURSE,))

    assert "Did you mean:" not in officer.get("/directory?q=nurse").get_data(True)
    assert "Did you mean:" not in officer.get("/directory").get_data(True)
    nothing_close = officer.get("/directory?q=qqqzzzxx").get_data(True)
    assert "Did you mean:" not in nothing_close
    assert "Browse the directory by policy area instead:" in nothing_close


def test_an_authority_named_by_the_query_comes_first(officer):
    # competent for a concept a word of the name points at ("zdrowia": public health), the
    # name in its free text only: after the authority of that name
    make_authority(
        "PL",
        name="Ministry of Agriculture",
        local_names={"pl": "Ministerstwo Rolnictwa"},
        competences="współpraca: Ministerstwo Zdrowia",
        concepts=("area.public_health",),
    )
    make_authority(
        "PL",
        name="Ministry of Health",
        local_names={"pl": "Ministerstwo Zdrowia"},
        concepts=(NURSE,),
    )
    make_authority("DK", name="Danish Health Authority", local_names={"da": "Sundhedsstyrelsen"})
    make_authority("DK", name="Danish Agency", competences="Sundhedsstyrelsen", concepts=(NURSE,))

    assert found(officer, "Ministerstwo Zdrowia") == [
        "Ministerstwo Zdrowia",
        "Ministerstwo Rolnictwa",
    ]
    assert found(officer, "ministerstwo zdrowia", country="PL")[0] == "Ministerstwo Zdrowia"
    assert found(officer, "Sundhedsstyrelsen") == ["Sundhedsstyrelsen", "Danish Agency"]
    # a query that is one vocabulary term still ranks a competence above a mere name:
    # test_a_competence_ranks_above_a_mere_substring


def test_a_word_in_the_names_ranks_above_one_in_the_free_text(officer):
    make_authority("IE", name="Agency for Care", competences="nurse training")
    make_authority("IE", name="Nurse Council")
    make_authority("IE", name="Care Board", concepts=(NURSE,))

    assert found(officer, "nurse") == ["Care Board", "Nurse Council", "Agency for Care"]


def test_compounds_and_letters_typed_without_their_marks_find_the_authority(officer):
    make_authority("AT", name="Austrian Dental Chamber", concepts=("profession.dentist",))
    make_authority(
        "PL",
        name="Chief Building Inspectorate",
        local_names={"pl": "Główny Urząd Nadzoru Budowlanego"},
    )
    make_authority("DK", name="Danish Veterinary Council", concepts=("profession.veterinarian",))

    assert found(officer, "Zahnärztekammer") == ["Austrian Dental Chamber"]
    assert found(officer, "tandartsenregister") == ["Austrian Dental Chamber"]
    assert found(officer, "glowny urzad") == ["Główny Urząd Nadzoru Budowlanego"]
    assert found(officer, "dyrlaegeautorisation") == ["Danish Veterinary Council"]


def test_country_and_procedure_filters(officer):
    make_authority("FR", name="French Nurses", concepts=(NURSE,))
    german = make_authority("DE", name="German Nurses", concepts=(NURSE,))
    db.session.add(Procedure(key="pq_good_standing", name="Good standing", policy_area="pq"))
    db.session.add(ProcedureAccess(authority_id=german.id, procedure_key="pq_good_standing"))
    db.session.commit()

    assert found(officer, "infirmière") == ["French Nurses", "German Nurses"]
    assert found(officer, "infirmière", country="FR") == ["French Nurses"]
    assert found(officer, "infirmière", procedure="pq_good_standing") == ["German Nurses"]
    assert found(officer, "infirmière", country="FR", procedure="pq_good_standing") == []


def test_authorities_that_are_not_active_are_never_listed(officer):
    make_authority("DE", name="Pending Nurses", status=AuthorityStatus.PENDING, concepts=(NURSE,))
    make_authority(
        "DE", name="Suspended Nurses", status=AuthorityStatus.SUSPENDED, concepts=(NURSE,)
    )
    make_authority("DE", name="Active Nurses", concepts=(NURSE,))

    assert found(officer, "nurse") == ["Active Nurses"]
    assert "Pending Nurses" not in found(officer, "")


def test_the_query_is_escaped(officer):
    body = officer.get("/directory?q=<script>alert(1)</script>").get_data(True)

    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_page_works_without_javascript_and_htmx_gets_only_the_results(officer):
    make_authority("PT", name="Order of Nurses", concepts=(NURSE,))

    page = officer.get("/directory?q=enfermeiro")
    partial = officer.get("/directory?q=enfermeiro", headers={"HX-Request": "true"})

    assert "<html" in page.get_data(True) and 'action="/directory"' in page.get_data(True)
    assert "Order of Nurses" in partial.get_data(True) and "<html" not in partial.get_data(True)
    assert "<form" not in partial.get_data(True)
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in partial.headers["Vary"]


def test_ranked_results_page_by_keyset_without_gaps_or_repeats(app):
    make_authority("FR", name="National Order of Nurses", concepts=(NURSE,))
    for n in range(4):
        make_authority("DE", name=f"Care Chamber {n}", concepts=(NURSE,))
    make_authority("BE", name="Nursery Schools Inspectorate")

    seen, cursor = [], None
    while True:
        page = directory.search("nurse", after=cursor, limit=2)
        seen += [r.authority.name for r in page.items]
        if not (cursor := page.next_cursor):
            break

    assert seen == [
        "National Order of Nurses",
        *(f"Care Chamber {n}" for n in range(4)),
        "Nursery Schools Inspectorate",
    ]
    assert directory.search("nurse", after="nonsense").items  # a bad cursor: first page


def test_the_profile_lists_competences_in_the_reader_language(client):
    authority = make_authority("DE", name="Chamber of Dentists", concepts=("profession.dentist",))
    sign_in(client, make_user(authority, ["handler"], language="de"))

    body = client.get(f"/directory/{authority.id}").get_data(True)

    assert "Zahnarzt" in body


def test_an_administrator_chooses_the_competences_officers_find(officer, client):
    authority = make_authority("PL", name="Chamber of Physiotherapists")
    admin_client = client.application.test_client()
    sign_in(admin_client, make_user(authority, ["admin"]))
    entry = {
        "street": "ul. Oboźna 11",
        "city": "Warszawa",
        "email": "kif@example.eu",
        "competences": "Prawo wykonywania zawodu",
        "concept_keys": ["profession.physiotherapist", "no.such_concept"],
    }

    response = post_form(admin_client, "/authority", entry)

    assert response.status_code == 302
    db.session.expire_all()
    assert authority.concept_keys == ["profession.physiotherapist"]
    assert found(officer, "Physiotherapeut") == ["Chamber of Physiotherapists"]
