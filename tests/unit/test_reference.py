"""Countries and languages named and sorted as the reader's language does."""

import pytest
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from app import reference
from app.reference import (
    COUNTRIES,
    LANGUAGES,
    OFFICIAL_LANGUAGES,
    accepted_language,
    sorted_countries,
    sorted_languages,
)
from tests.conftest import ICU


def _names(pairs) -> list[str]:
    return [name for _, name in pairs]


def _around(names: list[str], name: str) -> tuple[str, str]:
    at = names.index(name)
    return names[at - 1], names[at + 1]


def test_german_sorts_oesterreich_between_niederlande_and_polen():
    names = _names(sorted_countries("de"))
    assert len(names) == 30
    assert names[0] == "Belgien" and names[-1] == "Zypern"
    assert _around(names, "Österreich") == ("Norwegen", "Polen")
    assert names.index("Niederlande") < names.index("Österreich")
    assert _around(names, "Dänemark") == ("Bulgarien", "Deutschland")


@pytest.mark.skipif(not ICU, reason="PyICU is not installed")
def test_each_language_sorts_by_its_own_alphabet():
    # Swedish puts Ö after Z, Czech puts Ch after H, Polish puts Ł after L
    assert _names(sorted_countries("sv"))[-1] == "Österrike"
    czech = _names(sorted_countries("cs"))
    assert _around(czech, "Chorvatsko") == ("Francie", "Irsko")
    assert czech.index("Česko") < czech.index("Dánsko")
    polish = _names(sorted_countries("pl"))
    assert _around(polish, "Łotwa") == ("Luksemburg", "Malta")
    # and Greek sorts Greek names
    greek = _names(sorted_countries("el"))
    assert greek[0] == "Αυστρία" and greek.index("Γαλλία") < greek.index("Γερμανία")


def test_languages_are_named_in_the_readers_language_with_their_own_name():
    german = dict(sorted_languages("de"))
    assert set(german) == set(LANGUAGES)
    assert german["el"] == "Griechisch (Ελληνικά)"
    assert german["fr"] == "Französisch (français)"
    assert german["de"] == "Deutsch"
    names = _names(sorted_languages("de"))
    assert names[0].startswith("Bulgarisch") and names[-1].startswith("Ungarisch")
    assert dict(sorted_languages("fr"))["de"] == "allemand (Deutsch)"
    assert german["nb"] == "Norwegisch (Bokmål) – norsk bokmål"
    assert dict(sorted_languages("en"))["nb"] == "Norwegian Bokmål (norsk bokmål)"


def test_each_eea_country_reads_its_own_language_among_the_interface_languages():
    assert COUNTRIES["NO"] == ("nb",) and COUNTRIES["LI"] == ("de",)
    assert COUNTRIES["BE"] == ("nl", "fr", "de") and COUNTRIES["MT"] == ("mt", "en")
    assert COUNTRIES["IS"] == ("is",)
    assert all(set(codes) <= set(LANGUAGES) for codes in COUNTRIES.values())
    assert set(COUNTRIES) == set(OFFICIAL_LANGUAGES) and len(COUNTRIES) == 30


def test_norwegian_browsers_are_served_bokmal():
    def accepted(header, among=LANGUAGES):
        return accepted_language(LanguageAccept(parse_accept_header(header)), among)

    assert accepted("nb-NO,nb;q=0.9,no;q=0.8,en;q=0.5") == "nb"
    assert accepted("no,en;q=0.5") == "nb"
    assert accepted("nn-NO,en;q=0.5") == "nb"
    assert accepted("en-GB,en;q=0.9,nb;q=0.5") == "en"
    assert accepted("de-AT,en;q=0.5") == "de"
    assert accepted("zh-CN,*;q=0.1") is None
    assert accepted("zh-CN,nb;q=0") is None  # q=0: not this one
    assert accepted("no", among=("de", "fr")) is None


def test_without_icu_lists_fall_back_to_letters_without_accents():
    names = ["Polen", "Österreich", "Norwegen", "Zypern", "Belgien", "Dänemark", "Deutschland"]
    assert sorted(names, key=reference.plain_key) == [
        "Belgien", "Dänemark", "Deutschland", "Norwegen", "Österreich", "Polen", "Zypern",
    ]  # fmt: skip
