"""The demo directory looks real: a newcomer who searches for any concept of the
competence vocabulary, in English or another language, finds competent authorities in at
least three countries, each shown under its official name and its English name."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app import demo, directory, vocabulary
from app.extensions import db
from app.models import Authority, User
from tests.factories import make_authority, make_user, sign_in

# English, then languages of three scripts' worth of officers (Latin, Latin, Greek)
QUERY_LANGUAGES = ("en", "de", "fr", "el")
PASSWORD = demo.PASSWORDS["production"]


@pytest.fixture
def seeded(app):
    """The demo data, as `make run` seeds it."""
    result = app.test_cli_runner().invoke(args=["seed-demo", "--instance", "production"])
    assert result.exit_code == 0, result.output
    return app


def _demo_user(client, slug: str, language: str | None = None) -> None:
    user = db.session.scalar(
        select(User).where(User.email == f"{slug}@{demo.DOMAINS['production']}")
    )
    if language:
        user.language = language
        db.session.commit()
    sign_in(client, user, PASSWORD)


def _authority(english: str) -> Authority:
    return db.session.scalar(select(Authority).where(Authority.name == english))


def test_every_concept_is_found_in_three_countries_in_four_languages(seeded, client):
    _demo_user(client, "handler.fr", "en")
    missing = []
    for concept in vocabulary.concepts().values():
        for language in QUERY_LANGUAGES:
            term = concept.terms[language][0]
            page = directory.search(term)  # the first page, as the officer sees it
            countries = {
                r.authority.country for r in page.items if concept.key in r.authority.concept_keys
            }
            if len(countries) < 3:
                missing.append(f"{concept.key} '{term}' ({language}): {sorted(countries)}")

    assert not missing, "\n".join(missing)
    # what a newcomer typed: the page lists competent authorities of three countries
    for query in ("architect", "lawyer", "veterinary surgeon", "Tierarzt"):
        body = client.get("/directory", query_string={"q": query}).get_data(True)
        rows = re.findall(r"<tr><td[^>]*>(.*?)</tr>", body, re.S)
        countries = {
            re.findall(r"<td[^>]*>([^<]*)</td>", row)[-2] for row in rows if "<mark>" in row
        }
        assert len(countries) >= 3, (query, countries)


def test_search_results_and_profile_show_the_official_and_the_english_name(seeded, client):
    _demo_user(client, "handler.fr", "en")
    lageso = _authority("State Office for Health and Social Affairs Berlin")

    results = client.get("/directory", query_string={"q": "Landesamt"}).get_data(True)
    profile = client.get(f"/directory/{lageso.id}").get_data(True)

    assert (
        f'<a href="/directory/{lageso.id}" lang="de">Landesamt für Gesundheit und Soziales Berlin'
        '</a><br><span class="hint" lang="en">State Office for Health and Social Affairs Berlin'
        "</span>"
    ) in results
    assert '<h1 lang="de">Landesamt für Gesundheit und Soziales Berlin</h1>' in profile
    assert '<p class="hint" lang="en">State Office for Health and Social Affairs Berlin' in profile
    assert '<dd lang="en">State Office for Health and Social Affairs Berlin</dd>' in profile
    assert (
        "Coordinated by Bundesministerium für Wirtschaft und Energie / "
        "Federal Ministry for Economic Affairs and Energy"
    ) in profile


def test_coordination_views_and_responder_lists_show_both_names(seeded, client):
    coordinator = client.application.test_client()
    _demo_user(coordinator, "coordinator.de", "en")
    _demo_user(client, "handler.fr", "en")
    berlin_architects = _authority("Berlin Chamber of Architects")

    queue = coordinator.get("/coordination/").get_data(True)
    page = coordinator.get(f"/coordination/authorities/{berlin_architects.id}").get_data(True)
    # more demo authorities answer it than are listed before a country is chosen
    url = "/requests/new?procedure=pq_good_standing&country="
    compose = "".join(client.get(url + country).get_data(True) for country in ("DE", "PL"))

    assert 'lang="de">Handwerkskammer Berlin</a><br><span class="hint" lang="en">' in queue
    assert 'lang="de">Architektenkammer Berlin</a><br><span class="hint" lang="en">' in queue
    assert '<h1 lang="de">Architektenkammer Berlin</h1>' in page
    assert '<p class="hint" lang="en">Berlin Chamber of Architects</p>' in page
    assert "Architektenkammer Berlin / Berlin Chamber of Architects (DE)" in compose
    assert "Naczelna Izba Lekarska / Supreme Medical Chamber (PL)" in compose


def test_the_reader_sees_the_official_name_in_their_language_and_no_twin(client):
    make_authority(
        "BE",
        name="Professional Institute of Real Estate Agents",
        local_names={
            "nl": "Beroepsinstituut van Vastgoedmakelaars",
            "fr": "Institut professionnel des agents immobiliers",
        },
        concepts=("profession.real_estate_agent",),
    )
    make_authority(
        "FR",
        name="France Education International",
        local_names={"fr": "France Éducation international"},
        concepts=("activity.academic_recognition",),
    )
    home = make_authority("IE", name="Teaching Council")
    french, german = make_user(home, ["handler"], language="fr"), make_user(home, ["viewer"])
    german.language = "de"
    db.session.commit()
    sign_in(client, french)
    other = client.application.test_client()
    sign_in(other, german)

    in_french = client.get("/directory?q=agent+immobilier").get_data(True)
    in_german = other.get("/directory?q=agent+immobilier").get_data(True)
    recognition = client.get("/directory?q=France").get_data(True)

    assert 'lang="fr">Institut professionnel des agents immobiliers</a>' in in_french
    assert 'lang="nl">Beroepsinstituut van Vastgoedmakelaars</a>' in in_german
    assert '<span class="hint" lang="en">Professional Institute of Real Estate Agents' in in_german
    # the English name differs only by case and accents: shown once
    assert 'lang="fr">France Éducation international</a>' in recognition
    assert "France Education International" not in recognition


@pytest.mark.parametrize(
    ("query", "country", "found"),
    [
        ("lege", "NO", "Norwegian Directorate of Health"),  # Bokmål: doctor
        ("læknir", "IS", "Directorate of Health"),  # Icelandic: doctor
        ("Landlæknis", None, "Directorate of Health"),  # part of its own name
        ("utsendte arbeidstakere", "NO", "Norwegian Labour Inspection Authority"),
    ],
)
def test_the_eea_states_own_authorities_are_found_in_their_languages(
    seeded, client, query, country, found
):
    # given the demo directory, which has Norway's and Iceland's authorities too
    _demo_user(client, "handler.fr", "en")
    # when an officer searches in Bokmål or Icelandic
    page = directory.search(query, country=country)
    # then the competent authority comes first, under its own name and its English one
    first = page.items[0].authority
    assert first.name == found
    assert first.local_names.get("nb" if first.country == "NO" else "is")
