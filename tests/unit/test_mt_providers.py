"""The engines behind MT_PROVIDER, through their real wire formats: the real Apertium
server for the pairs Debian ships, local peers speaking LibreTranslate's and
eTranslation's documented HTTP APIs."""

from __future__ import annotations

import pytest
import requests
from flask import has_app_context

from app.translation import mt, quality
from tests.mt_peers import FakeETranslation, FakeLibreTranslate


@pytest.fixture
def libre():
    peer = FakeLibreTranslate().start()
    yield peer
    peer.stop()


@pytest.fixture
def etranslation():
    peer = FakeETranslation().start()
    yield peer
    peer.stop()


def test_split_keeps_every_character_and_cuts_at_sentence_ends():
    sentence = "The diploma was issued in 2019 by the university of Lisbon. "
    text = sentence * 200  # 12,200 characters
    pieces = mt.split(text, limit=4500)
    assert "".join(pieces) == text
    assert all(len(p) <= 4500 for p in pieces) and len(pieces) == 3
    assert all(p.endswith(".") for p in pieces[:-1])


# --- Apertium (real) --------------------------------------------------------------------


def test_apertium_translates_a_direct_pair(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    result = engine.translate("The diploma is genuine.", "en", "es")
    assert "diploma" in result.text.lower() and result.text != "The diploma is genuine."
    assert result.version == "en>es"
    assert "*" not in result.text  # unknown words are not marked


def test_apertium_pivots_where_no_direct_pair_exists(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    # Debian has French-Spanish and Spanish-English, but no French-English pair
    assert engine.route("fr", "en") == ["fr", "es", "en"]
    result = engine.translate("Le médecin est inscrit au tableau de l'ordre.", "fr", "en")
    assert result.version == "fr>es>en"
    assert "doctor" in result.text.lower() or "physician" in result.text.lower()


def test_apertium_translates_norwegian_bokmal_to_danish_and_swedish(app, apertium_url):
    # Debian's apertium-dan-nor and apertium-swe-nor name Bokmål `nob` (Nynorsk `nno`,
    # not an interface language, is left out)
    engine = mt.ApertiumProvider(apertium_url)
    text = "Den kompetente myndigheten bekrefter at vitnemålet er gyldig."
    danish = engine.translate(text, "nb", "da")
    assert danish.version == "nb>da"
    assert danish.text == "Den kompetente myndighed bekræfter, at vidneudsagnet er gyldigt."
    assert engine.route("da", "nb") == ["da", "nb"] and engine.route("nb", "sv") == ["nb", "sv"]
    assert "myndigheten bekräftar" in engine.translate(text, "nb", "sv").text
    # nothing joins them to the other languages
    assert not engine.supports("nb", "en") and not engine.supports("es", "nb")


def test_apertium_translates_icelandic_for_the_gist(app, apertium_url):
    # Debian's apertium-isl-eng and apertium-isl-swe: into English and Swedish, through
    # Swedish into Danish and Bokmål; the words it lacks stay Icelandic, unmarked
    engine = mt.ApertiumProvider(apertium_url)
    text = "Vinsamlegast sendið okkur staðfest afrit af prófskírteininu."
    english = engine.translate(text, "is", "en")
    assert english.version == "is>en"
    assert english.text == "Friendliest send us staðfest copy of prófskírteininu."
    assert engine.route("is", "nb") == ["is", "sv", "nb"]
    assert engine.route("sv", "is") == ["sv", "is"]
    # nothing translates into Icelandic from English, nor from Icelandic into Spanish
    # well enough (is>en>es: 26 % of the words marked)
    assert not engine.supports("en", "is") and not engine.supports("is", "es")


def test_apertium_names_unsupported_pairs(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    assert not engine.supports("de", "pl")
    with pytest.raises(mt.Unsupported):
        engine.translate("Ist das Diplom echt?", "de", "pl")


def test_apertium_translates_a_text_longer_than_one_piece(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    text = "El título es auténtico. " * 400  # 9,600 characters: three pieces
    pieces = [engine.translate(p, "es", "en").text for p in mt.split(text)]
    assert len(pieces) == 3
    assert "".join(pieces).lower().count("authentic") == 400


def test_apertium_output_is_shown_without_its_marks(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    # Given a text on which Apertium marks a word (Italian-Spanish: "sage#-femme")
    raw = requests.post(
        f"{apertium_url}/translate",
        data={"langpair": "ita|spa", "q": "La sage-femme a fait appel.", "markUnknown": "no"},
        timeout=10,
    ).json()["responseData"]["translatedText"]
    assert "#" in raw
    # When the engine translates it, then the text shown has no mark left
    result = engine.translate("La sage-femme a fait appel.", "it", "es")
    assert "sage-femme" in result.text and "#" not in result.text


def test_routes_are_offered_only_where_their_measured_quality_passes(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    # Debian's English to Croatian marks most words ("@The #nadležan #uprava ..."):
    # measured at 92 % marked, not offered, nor as a step of a longer route
    assert not engine.supports("en", "hr")
    assert not engine.supports("es", "hr")
    with pytest.raises(mt.Unsupported):
        engine.translate("The competent authority confirms the registration.", "en", "hr")
    # Croatian to English (19 % marked) and Slovenian to Croatian (16 %) are under the
    # line; Slovenian to English through Croatian (23 %) is not
    assert engine.route("hr", "en") == ["hr", "en"] and engine.route("sl", "hr") == ["sl", "hr"]
    assert not engine.supports("sl", "en")
    # a pivot under the line is offered: Romanian to English through Spanish
    assert engine.route("ro", "en") == ["ro", "es", "en"]


def test_the_gate_is_the_measured_share_of_marked_words(app, apertium_url, monkeypatch):
    # Given the measurement said that French to English through Spanish marks too much
    engine = mt.ApertiumProvider(apertium_url)
    figures = dict(quality.measured())
    figures["fr>en"] = [{"path": "fr>es>en", "marked": quality.MAX_MARKED + 0.001}]
    monkeypatch.setattr(quality, "measured", lambda: figures)
    # then it is not offered, while a route at the line is
    assert not engine.supports("fr", "en")
    figures["fr>en"] = [{"path": "fr>es>en", "marked": quality.MAX_MARKED}]
    assert engine.route("fr", "en") == ["fr", "es", "en"]
    # a direct pair never measured (Debian added it later) is offered, a pivot is not
    del figures["fr>es"], figures["fr>en"]
    assert engine.route("fr", "es") == ["fr", "es"] and not engine.supports("fr", "en")


def test_the_measurement_asks_the_engine_outside_the_app(apertium_url):
    # `python -m app.translation.quality` runs without an app: the engine's pairs are
    # still read (with the app's timeout where there is an app)
    assert not has_app_context()
    graph = mt.apertium_graph(apertium_url)
    assert graph["nb"]["da"] == "nob|dan" and graph["sv"]["nb"] == "swe|nob"


def test_marked_words_are_counted_as_apertium_marks_them():
    assert quality.marked_share("@The #nadležan uprava *foo prijava#.") == (4, 5)
    assert quality.marked_share("The diploma is genuine.") == (0, 4)


@pytest.mark.parametrize(
    ("shown", "source", "expected"),
    [
        # Apertium's marks at the start of a word, and # after one
        ("@The #nadležan uprava *foo #prijava#.", "", "The nadležan uprava foo prijava."),
        ("La sage#-femme", "", "La sage-femme"),
        ('"@Hello" «#svijet» (@bar)', "", '"Hello" «svijet» (bar)'),
        # not an e-mail address's @, nor a mark the writer typed
        ("Write to jan@example.eu", "", "Write to jan@example.eu"),
        ("case #12 in C# and D#.", "See case #12 in C#.", "case #12 in C# and D."),
    ],
)
def test_marks_are_taken_out_and_nothing_else(shown, source, expected):
    assert mt.without_marks(shown, source) == expected


def test_an_engine_that_is_down_is_unavailable(app):
    engine = mt.ApertiumProvider("http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(mt.Unavailable):
        engine.translate("The diploma is genuine.", "en", "es")


# --- LibreTranslate (wire format) -------------------------------------------------------


def test_libretranslate_sends_the_documented_body(app, libre):
    engine = mt.LibreTranslateProvider(libre.url, FakeLibreTranslate.api_key)
    result = engine.translate("Ist das Diplom echt?", "de", "pl")
    assert result.text == "[pl] Ist das Diplom echt?"
    assert libre.calls == [
        {
            "q": "Ist das Diplom echt?",
            "source": "de",
            "target": "pl",
            "format": "text",
            "api_key": "libre-key",
        }
    ]


def test_libretranslate_unsupported_pair_is_named_before_any_call(app, libre):
    engine = mt.LibreTranslateProvider(libre.url, FakeLibreTranslate.api_key)
    with pytest.raises(mt.Unsupported):
        engine.translate("Dia dhuit", "ga", "en")
    assert libre.calls == []


@pytest.mark.parametrize("mode", ["429", "500", "slow"])
def test_libretranslate_overloaded_failing_or_slow_is_unavailable(app, libre, mode):
    app.config["MT_TIMEOUT"] = 0.5
    libre.mode = mode
    engine = mt.LibreTranslateProvider(libre.url, FakeLibreTranslate.api_key)
    try:
        with pytest.raises(mt.Unavailable):
            engine.translate("Ist das Diplom echt?", "de", "pl")
    finally:
        app.config["MT_TIMEOUT"] = 20.0


def test_libretranslate_refusing_the_key_is_unavailable_until_fixed(app, libre):
    # a configuration fault, not the text's: the job waits to be tried again
    engine = mt.LibreTranslateProvider(libre.url, "wrong-key")
    with pytest.raises(mt.Unavailable):
        engine.translate("Ist das Diplom echt?", "de", "pl")


# --- eTranslation (wire format) ---------------------------------------------------------


def test_etranslation_submits_with_digest_authentication(app, etranslation):
    engine = mt.ETranslationProvider(
        f"{etranslation.url}/translate", etranslation.application, etranslation.password
    )
    request_id = engine.submit(
        "Czy dyplom jest autentyczny?",
        "pl",
        "en",
        "ref-1.0",
        "http://127.0.0.1:9/done",
        "http://127.0.0.1:9/error",
    )
    assert int(request_id) > 0
    (body,) = etranslation.calls
    assert body["sourceLanguage"] == "PL" and body["targetLanguages"] == ["EN"]
    assert body["externalReference"] == "ref-1.0"
    assert body["callerInformation"]["application"] == etranslation.application


def test_etranslation_with_a_wrong_password_is_unavailable(app, etranslation):
    engine = mt.ETranslationProvider(etranslation.url, etranslation.application, "wrong")
    with pytest.raises(mt.Unavailable):
        engine.submit("Tekst", "pl", "en", "r.0", "http://x/done", "http://x/error")
    assert etranslation.calls == []


def test_etranslation_negative_code_is_a_rejection(app, etranslation):
    etranslation.mode = "negative"
    engine = mt.ETranslationProvider(
        etranslation.url, etranslation.application, etranslation.password
    )
    with pytest.raises(mt.Rejected):
        engine.submit("Tekst", "pl", "en", "r.0", "http://x/done", "http://x/error")


def test_provider_follows_the_configuration(app, use_mt):
    use_mt("none")
    assert mt.provider() is None
    use_mt("apertium", APERTIUM_URL="http://127.0.0.1:2999")
    assert isinstance(mt.provider(), mt.ApertiumProvider)
    assert mt.provider().url == "http://127.0.0.1:2999"
    use_mt("libretranslate", LIBRETRANSLATE_URL="http://127.0.0.1:5999")
    assert isinstance(mt.provider(), mt.LibreTranslateProvider)
