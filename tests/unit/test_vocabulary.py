"""The competence vocabulary: complete in every interface language, and matched without
regard to case, accents or script."""

import re

import pytest

from app import vocabulary
from app.reference import LANGUAGES
from app.text import fold_letters, spellings
from app.vocabulary import COMPOUND, FORM, PREFIX, TYPO, WHOLE_TERM, WORD, VocabularyError

GREEK = re.compile(r"[\u0370-\u03ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def test_every_concept_is_named_in_every_language():
    concepts = vocabulary.load()

    assert 40 <= len(concepts) <= 60
    for concept in concepts.values():
        assert set(concept.terms) == set(LANGUAGES), concept.key
        assert all(term.strip() for terms in concept.terms.values() for term in terms)
    kinds = {c.kind for c in concepts.values()}
    assert kinds == {"profession", "activity", "policy_area"}


def test_greek_and_bulgarian_terms_are_written_in_their_scripts():
    for concept in vocabulary.concepts().values():
        greek = [t for t in concept.terms["el"] if t != "SOLVIT"]
        bulgarian = [t for t in concept.terms["bg"] if t != "SOLVIT"]
        assert all(GREEK.search(t) for t in greek), concept.key
        assert all(CYRILLIC.search(t) for t in bulgarian), concept.key


def test_a_broken_file_is_refused_with_every_problem_named(tmp_path):
    (tmp_path / "broken.toml").write_text(
        "[[concept]]\n"
        'key = "profession.nurse"\nkind = "profession"\n'
        + "".join(f'{lang} = ["term"]\n' for lang in LANGUAGES if lang != "ga")
        + 'xx = ["term"]\n'
        + "[[concept]]\n"
        'key = "profession.nurse"\nkind = "hobby"\n'
        + "".join(f'{lang} = ["term"]\n' for lang in LANGUAGES if lang != "mt")
        + 'mt = ["  "]\n',
        encoding="utf-8",
    )

    with pytest.raises(VocabularyError) as raised:
        vocabulary.load(tmp_path)

    message = str(raised.value)
    assert "no term in ga" in message
    assert "unknown field(s) xx" in message
    assert "key is used twice" in message
    assert "kind must be one of" in message
    assert "an empty term in mt" in message


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("zdravotní sestra", "profession.nurse"),
        ("ZDRAVOTNI SESTRA", "profession.nurse"),
        ("Krankenpfleger", "profession.nurse"),
        ("νοσηλευτής", "profession.nurse"),
        ("ΝΟΣΗΛΕΥΤΗΣ", "profession.nurse"),
        ("медицинска сестра", "profession.nurse"),
        ("архитект", "profession.architect"),
        ("travailleurs détachés", "area.posting_of_workers"),
        ("SOLVIT", "area.solvit"),
    ],
)
def test_a_term_of_any_language_names_its_concept_whatever_the_case_and_accents(query, concept):
    matched = vocabulary.match(query)

    assert matched and all(word.hits[concept].weight == WHOLE_TERM for word in matched)


def test_the_start_of_a_word_matches_from_four_letters():
    (word,) = vocabulary.match("zdravotn")
    assert word.hits["profession.nurse"].weight == PREFIX
    (short,) = vocabulary.match("zdr")
    assert short.hits == {}


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("nurses", "profession.nurse"),
        ("Zahnärzte", "profession.dentist"),
        ("pielęgniarki", "profession.nurse"),
        ("νοσηλευτές", "profession.nurse"),
        ("architectes", "profession.architect"),
    ],
)
def test_other_forms_of_a_one_word_term_match_below_the_term_above_a_word_of_another(
    query, concept
):
    (word,) = vocabulary.match(query)
    assert WORD < word.hits[concept].weight == FORM < WHOLE_TERM


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("médicos", "profession.doctor"),  # not medical devices ("dispositivos médicos")
        ("medici", "profession.doctor"),  # not "dispositivi medici"
    ],
)
def test_another_form_of_a_one_word_term_beats_a_word_of_a_longer_term(query, concept):
    (word,) = vocabulary.match(query)
    strongest = max(word.hits.values(), key=lambda hit: hit.weight)
    assert strongest.concept == concept and strongest.weight == FORM


def test_other_forms_of_a_word_of_a_longer_term_match_weakly():
    (word,) = vocabulary.match("medicinske")  # of "medicinska sestra" (hr, sl)
    assert word.hits["profession.nurse"].weight == PREFIX


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        # early in the word, where "another form of it" does not reach
        ("nurce", "profession.nurse"),  # a letter changed
        ("hbamme", "profession.midwife"),  # a letter missing
        ("arhcitect", "profession.architect"),  # two letters swapped
        ("ljkearnik", "profession.pharmacist"),
        ("dentsit", "profession.dentist"),
        ("pflegfachkraf", "profession.nurse"),  # two edits in a long word
    ],
)
def test_a_typo_points_at_the_word_it_misspells_weakly(query, concept):
    (word,) = vocabulary.match(query)
    # one more for a one-word term (test_a_typo_of_a_one_word_term_beats...); "dentsit" is
    # also another form of "dental" (of "dental practitioner")
    assert TYPO <= word.hits[concept].weight <= TYPO + 1 < WORD


def test_a_typo_of_a_one_word_term_beats_a_typo_of_a_word_of_a_longer_term():
    (word,) = vocabulary.match("infermeire")  # infermiere (it); enfermeiro in a midwife term
    assert word.hits["profession.nurse"].weight == TYPO + 1
    assert word.hits["profession.midwife"].weight == TYPO


@pytest.mark.parametrize(
    "query",
    [
        "nurcce",  # two edits in a short word
        "nuse",  # a typo of four letters: too many words are one edit away
    ],
)
def test_too_many_edits_or_too_short_words_are_no_typos(query):
    (word,) = vocabulary.match(query)
    assert word.hits == {}


def test_a_word_the_vocabulary_knows_gets_no_typo_hits():
    (word,) = vocabulary.match("nurse")
    assert {hit.weight for hit in word.hits.values()} == {WHOLE_TERM}


def test_a_word_typed_without_umlauts_names_its_concept():
    (word,) = vocabulary.match("Zahnaerzte")
    assert word.hits["profession.dentist"].weight == FORM
    assert word.texts == ("zahnaerzte", "zahnarzte")


@pytest.mark.parametrize(
    ("word", "others"),
    [
        ("aerztekammer", ("arztekammer",)),
        ("pruefstelle", ("prufstelle",)),
        ("koeln", ("koln",)),
        ("aarhus", ("arhus",)),  # Danish å typed as aa
        ("rue", ()),  # too short: it would be looked for as "ru", inside countless names
        ("kammer", ()),
    ],
)
def test_other_spellings_of_a_word(word, others):
    assert spellings(word) == others


def test_another_form_of_a_whole_term_beats_another_form_of_a_part_of_a_term():
    (word,) = vocabulary.match("lékaři")  # Czech plural of lékař, also in "zubní lékař"
    assert word.hits["profession.doctor"].weight > word.hits["profession.dentist"].weight


def test_a_whole_term_leaves_out_concepts_that_only_share_a_word():
    first, second = vocabulary.match("медицинска сестра")
    assert set(first.hits) == set(second.hits) == {"profession.nurse"}
    first, second = vocabulary.match("darba inspekcija")
    assert set(first.hits) == set(second.hits) == {"area.labour_inspection"}
    (word,) = vocabulary.match("medical")  # in no whole term: every concept it is in
    assert {"profession.doctor", "profession.nurse", "activity.medical_devices"} <= set(word.hits)


def test_small_words_are_not_searched():
    assert [w.text for w in vocabulary.match("inspection du travail")] == ["inspection", "travail"]
    assert vocabulary.match("of") == vocabulary.match("n") == []  # browse, as if empty


def test_the_interface_shows_the_first_term_of_the_reader_language():
    assert vocabulary.label("profession.nurse", "de") == "Pflegefachkraft"
    assert vocabulary.label("profession.nurse", "el") == "Νοσηλευτής"
    assert vocabulary.label("profession.retired", "de") == "profession.retired"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Główny Urząd", "glowny urzad"),  # Polish ł
        ("Dyrlæge", "dyrlaege"),  # Danish æ, as typed without it
        ("Frisør København", "frisor kobenhavn"),  # Danish ø
        ("Ministeru għas-Saħħa", "ministeru ghas-sahha"),  # Maltese ħ (ġ, ż fold anyway)
        ("Đakovo", "dakovo"),  # Croatian đ
        ("Þingvellir", "thingvellir"),
        ("Ærztekammer", "aerztekammer"),
        ("ΝΟΣΗΛΕΥΤΉΣ", "νοσηλευτησ"),  # Greek tonos, and the final sigma as in the middle
        ("Zahnärzte", "zahnarzte"),  # accents, as fold removes them
    ],
)
def test_letters_a_keyboard_may_lack_are_folded_as_typed_without_them(text, folded):
    assert fold_letters(text) == folded


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("laeger", "profession.doctor"),  # læger (da)
        ("tandlaege", "profession.dentist"),  # tandlæge (da)
        ("frisoer", "profession.hairdresser"),  # frisør (da), ø typed as oe
        ("frisor", "profession.hairdresser"),  # or as o
        ("spizjar", "profession.pharmacist"),  # spiżjar (mt)
        ("haddiema stazzjonati", "area.posting_of_workers"),  # ħaddiema (mt)
        ("polozna", "profession.midwife"),  # położna (pl)
        ("νοσηλευτριες", "profession.nurse"),  # Greek without tonos
        ("gyogyszeresz", "profession.pharmacist"),  # Hungarian without accents
    ],
)
def test_words_typed_without_their_letters_name_their_concept(query, concept):
    assert all(concept in word.hits for word in vocabulary.match(query))


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("Zahnarztkammer", "profession.dentist"),  # de: the word at the start
        ("Zahnärztekammer", "profession.dentist"),  # another form of it at the start
        ("Ärztekammer", "profession.doctor"),  # "ärzte" another form of Ärztin
        ("artsenregister", "profession.doctor"),  # nl: a four-letter word at the start
        ("Rechtsanwaltskammer", "profession.lawyer"),  # with a linking s
        ("tandartsenregister", "profession.dentist"),  # nl, another form (plural)
        ("advocatenkantoor", "profession.lawyer"),  # nl, advocaat -> advocaten
        ("tandlægeforening", "profession.dentist"),  # da
        ("skolelærer", "profession.teacher"),  # da: the word at the end
        ("lärarlegitimation", "profession.teacher"),  # sv: lärare without its last e
        ("sjuksköterskeutbildning", "profession.nurse"),  # sv: sjuksköterska without a
        ("hammaslääkäriliitto", "profession.dentist"),  # fi
        ("Kulturgüterschutz", "area.cultural_goods"),  # de
    ],
)
def test_a_compound_points_at_the_vocabulary_word_it_is_made_of(query, concept):
    (word,) = vocabulary.match(query)
    strongest = max(word.hits.values(), key=lambda hit: hit.weight)
    assert strongest.concept == concept
    assert word.hits[concept].weight in (COMPOUND, COMPOUND + 1)


@pytest.mark.parametrize(
    "query",
    [
        "Sundhedsstyrelsen",  # no vocabulary word at its start or end
        "Ministerstvo",
        "Wasserwirtschaft",  # of no vocabulary word
        "kammerarzt",  # the rest at the end is a word, but "arzt" is too short to be the tail
    ],
)
def test_words_that_are_no_compound_of_a_vocabulary_word_point_at_nothing(query):
    (word,) = vocabulary.match(query)
    assert word.hits == {}


def test_a_known_word_is_not_split_as_a_compound():
    (word,) = vocabulary.match("Krankenpfleger")
    assert {hit.weight for hit in word.hits.values()} == {WHOLE_TERM}


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("asistente medicale", "profession.nurse"),  # of "asistent medical" (ro)
        ("zdravotní sestry", "profession.nurse"),  # of "zdravotní sestra" (cs)
        ("medicinske sestre", "profession.nurse"),  # of "medicinska sestra" (hr, sl)
    ],
)
def test_another_form_of_a_term_of_several_words_is_that_term(query, concept):
    matched = vocabulary.match(query)
    assert matched and all(set(word.hits) == {concept} for word in matched)
    assert all(word.hits[concept].weight == WHOLE_TERM for word in matched)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("nuse", "profession.nurse"),  # too short for a typo
        ("fisiyoterapi", "profession.physiotherapist"),  # too many edits
        ("Krnkenpfleeger", "profession.nurse"),
        ("lekar", "profession.doctor"),  # a whole term before a word of a longer one
    ],
)
def test_close_concepts_are_suggested_the_closest_first(query, first):
    suggested = vocabulary.suggest(query, "en")
    assert suggested[0] == (first, vocabulary.label(first, "en"))
    assert len(suggested) <= vocabulary.SUGGESTIONS


def test_nothing_is_suggested_for_words_close_to_no_concept():
    assert vocabulary.suggest("qqqzzzxx", "en") == []
    assert vocabulary.suggest("of", "en") == []
