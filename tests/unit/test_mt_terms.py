"""Known terms beat machine translation (issue 18): a term of the interface glossary or
of the case's pack term base comes out as the official term, through the real Apertium."""

from __future__ import annotations

import dataclasses

import pytest

from app.procedures import registry
from app.translation import mt, terms
from tests.unit import test_mt_providers as providers


def test_the_glossary_is_read_in_its_format():
    words = {entry["en"]: entry for entry in terms.glossary()}
    assert words["competent authority"]["de"] == "zuständige Behörde"
    assert "key" not in words["competent authority"]  # not a language
    assert terms.pairs("fr", "es")["demande d'information"] == "solicitud de información"
    # single words are general language in free text: the engine words them in context
    assert "closed" not in terms.pairs("en", "fr") and "request" not in terms.pairs("en", "fr")


def test_glossary_terms_come_out_official_where_apertium_words_them_otherwise(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    text = (
        "Le coordinateur IMI a transmis la demande d'information à l'autorité compétente. "
        "Les DONNÉES À CARACTÈRE PERSONNEL sont jointes."
    )
    plain = engine.translate(text, "fr", "es").text
    # Apertium alone says "demanda de información" and "datos a carácter personal"
    assert "solicitud" not in plain and "DATOS A CARÁCTER PERSONAL" in plain

    official = engine.translate(text, "fr", "es", terms=terms.pairs("fr", "es")).text

    assert official == (
        "El coordinador IMI ha transmitido la solicitud de información a la autoridad "
        "competente. Los DATOS PERSONALES son juntadas."
    )


def test_terms_survive_a_route_through_another_language(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    text = "The competent authority sent a request for information about personal data."
    assert "puissance" in engine.translate(text, "en", "fr").text  # en>es>fr alone

    result = engine.translate(text, "en", "fr", terms=terms.pairs("en", "fr"))

    assert result.version == "en>es>fr"
    assert "autorité compétente" in result.text
    assert "demande d'information" in result.text
    assert "données à caractère personnel" in result.text


def test_only_whole_words_match_and_a_sentence_start_keeps_its_capital(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    glossary = {"competent authority": "autoridad competente", "data": "datos"}
    result = engine.translate(
        "Competent authority: the incompetent authority sent metadata.", "en", "es", glossary
    )
    assert result.text.startswith("Autoridad competente:")
    assert "datos" not in result.text.replace("autoridad competente", "")


def test_the_pack_term_base_wins_over_the_glossary(app, apertium_url):
    # Given a pack whose term base words "competent authority" its own way in Spanish
    pack = registry(app)["pq_good_standing"]
    pack = dataclasses.replace(
        pack,
        terms=("competent authority",),
        translations={**pack.translations, "es": {"competent authority": "órgano competente"}},
    )
    pairs = terms.pairs("en", "es", pack)
    assert pairs["competent authority"] == "órgano competente"
    # then the translation uses the pack's
    engine = mt.ApertiumProvider(apertium_url)
    text = "The competent authority confirms the registration."
    assert "órgano competente" in engine.translate(text, "en", "es", terms=pairs).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la autoridad  competente", "la autoridade competente"),  # any spacing
        ("AUTORIDAD COMPETENTE", "AUTORIDADE COMPETENTE"),
        ("Autoridad competente.", "Autoridade competente."),
    ],
)
def test_placeholders_keep_case_and_spacing_rules(text, expected):
    protected, kept = terms.protect(text, {"autoridad competente": "autoridade competente"})
    assert "autoridad" not in protected.lower()
    assert terms.restore(protected, kept) == expected


# --- LibreTranslate: through the peer speaking its wire format (tests/mt_peers.py) --------

libre = providers.libre  # the LibreTranslate peer, as the providers' tests start it


def test_libretranslate_holds_a_term_out_as_a_tag_in_its_html_mode(app, libre):
    engine = mt.LibreTranslateProvider(libre.url, libre.api_key)
    text = "Die zuständige Behörde bestätigt: <b> & Co. sind eingetragen."

    result = engine.translate(text, "de", "en", terms=terms.pairs("de", "en"))

    # the engine's rendering ("[en] zuständige behörde") is not in its translation, so
    # the term went out as a tag in HTML mode, the writer's < > & as text
    assert result.text == "[en] Die competent authority bestätigt: <b> & Co. sind eingetragen."
    marked = next(call for call in libre.calls if call["format"] == "html")
    assert "zuständige" not in marked["q"].lower() and "<t-" in marked["q"]
    assert "&lt;b&gt; &amp; Co." in marked["q"]


def test_libretranslate_replaces_its_own_rendering_where_kept_in_context(app, libre):
    engine = mt.LibreTranslateProvider(libre.url, libre.api_key)
    # the peer renders the term alone as "[en] Zuständige Behörde", which its translation
    # of the text holds: replaced there, no HTML needed
    result = engine.translate(
        "Zuständige Behörde bestätigt die Eintragung.", "de", "en", terms=terms.pairs("de", "en")
    )
    assert result.text == "Competent authority bestätigt die Eintragung."
    assert {call["format"] for call in libre.calls} == {"text"}


def test_without_known_terms_libretranslate_gets_one_plain_call(app, libre):
    engine = mt.LibreTranslateProvider(libre.url, libre.api_key)
    result = engine.translate("Das Diplom ist echt.", "de", "en", terms=terms.pairs("de", "en"))
    assert result.text == "[en] Das Diplom ist echt." and len(libre.calls) == 1


@pytest.mark.parametrize(
    "written_back",
    ["Die {tag} bestätigt.", "Die {open}></{name}> bestätigt.", "Die {open} ></{name}> bestätigt."],
)
def test_a_placeholder_is_found_as_sent_or_as_an_html_serializer_writes_it(written_back):
    protected, kept = terms.protect(
        "Die zuständige Behörde bestätigt.", {"zuständige behörde": "x"}
    )
    (tag,) = kept
    name = tag[1:].split(" ")[0]
    answer = written_back.format(tag=tag, open=tag[:-2], name=name)
    assert terms.all_kept(answer, kept) and terms.restore(answer, kept) == "Die x bestätigt."
    # an answer that lost the tag is not used
    assert not terms.all_kept("Die bestätigt.", kept)
