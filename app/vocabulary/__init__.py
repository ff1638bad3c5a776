"""The competence vocabulary: professions, activities and policy areas named in every
interface language (app.reference.LANGUAGES), so that a query in any of them finds the
authorities competent for a concept whatever the language of their own entry.

Concepts are data (the *.toml files beside this module), checked and indexed once per
process; a query is matched in memory against the folded terms (case and accents ignored),
so matching is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import bisect
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from app.reference import LANGUAGES
from app.text import fold, fold_letters, spellings

FOLDER = Path(__file__).parent
KINDS = ("profession", "activity", "policy_area")
KEY = re.compile(r"^[a-z]+\.[a-z0-9_]+$")

# How strongly a query word points at a concept: it is (part of) a whole term of the
# concept found in the query ("nurse", "zdravotní sestra"), another form of a one-word term
# ("nurses", "médicos": stronger than a word of another concept's longer term, "dispositivos
# médicos"), a word of one of its terms ("sestra" of "medicinska sestra"), or the start or
# another form of such a word ("zdravotn", "sestry"): no stemming, but plurals and cases
# mostly change the end.
WHOLE_TERM = 6
FORM = 5
WORD = 4
PREFIX = 2  # 3 when the word is a whole term
PREFIX_MIN = 4  # shorter starts match too many words
# A word found nowhere may be a typo of a vocabulary word: one edit away (a letter
# missing, added, changed, or two swapped) from 5 letters on, two from LONG_TYPO; it then
# points at that word's concepts as weakly as the start of it does.
TYPO = PREFIX
TYPO_MIN = 5
LONG_TYPO = 10
# A word found nowhere may be a compound of a vocabulary word and another ("Zahnarztkammer",
# "tandartsenregister", "skolelærer"): it then points at that word's concepts as weakly as
# another form of it does. See _compound_of.
COMPOUND = PREFIX
COMPOUND_MIN = 7  # letters of a query word that may be a compound
PART_MIN = 4  # letters of a vocabulary word at its start (5 for another form of it)
TAIL_MIN = 5  # letters of a vocabulary word at its end
REST_MIN = 3  # letters of the rest of the compound
MAX_WORDS = 8
MIN_TEXT = 3

# Words that say nothing on their own; inside a whole term they still match.
STOPWORDS = frozenset(
    fold(
        """a an and at by for in of on or the to with
    al als am an auf aus bei das dem den der des die du fur fuer im mit und von vom zu zum zur
    au aux avec d dans de del della delle dei degli dello di e el en et i il l la las le les
    lo los na nel o para pela pelo per por pour sur un una une y
    af og og av för på till och van het een voor met op te
    ja ka ta tai sa
    do od ze za pri pod nad na u v s z o i a k
    ta tal tad tas tax tan tat ir un bit fil fid"""
    ).split()
)


class VocabularyError(ValueError):
    """The vocabulary files are broken; the message lists every problem."""


@dataclass(frozen=True)
class Concept:
    key: str
    kind: str
    # language -> its terms, the preferred one first (as written, with accents)
    terms: dict[str, tuple[str, ...]]

    def term(self, language: str) -> str:
        """The preferred term in the language (English when the language is unknown)."""
        return self.terms.get(language, self.terms["en"])[0]


@dataclass(frozen=True)
class Hit:
    """Why a query word points at a concept: the vocabulary term it was found in."""

    concept: str
    weight: int
    language: str
    term: str


@dataclass(frozen=True)
class QueryWord:
    text: str  # folded
    hits: dict[str, Hit]  # concept key -> the strongest hit
    spellings: tuple[str, ...] = ()  # other spellings to look for (app/text.py)

    @property
    def texts(self) -> tuple[str, ...]:
        """The word as typed (folded), then its other spellings."""
        return (self.text, *self.spellings)

    def keys_by_weight(self) -> dict[int, list[str]]:
        grouped: dict[int, list[str]] = {}
        for key, hit in sorted(self.hits.items()):
            grouped.setdefault(hit.weight, []).append(key)
        return dict(sorted(grouped.items(), reverse=True))


def words(text: str) -> list[str]:
    """The folded words of a text (punctuation and hyphens separate words), letters such
    as ł and æ written as plain ones (app/text.fold_letters)."""
    return re.findall(r"\w+", fold_letters(text))


def problems(raw: dict[str, list[dict]]) -> list[str]:
    """Everything wrong with parsed vocabulary files (file name -> its concepts)."""
    found: list[str] = []
    seen: set[str] = set()
    for source, concepts in raw.items():
        for number, concept in enumerate(concepts, 1):
            key = concept.get("key", "")
            where = f"{source}: concept {number} ({key or 'no key'})"
            if not isinstance(key, str) or not KEY.match(key):
                found.append(f"{where}: key must look like 'profession.nurse'")
            elif key in seen:
                found.append(f"{where}: key is used twice")
            seen.add(str(key))
            if concept.get("kind") not in KINDS:
                found.append(f"{where}: kind must be one of {', '.join(KINDS)}")
            extra = set(concept) - {"key", "kind", *LANGUAGES}
            if extra:
                found.append(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
            for language in LANGUAGES:
                terms = concept.get(language)
                if not isinstance(terms, list) or not terms:
                    found.append(f"{where}: no term in {language}")
                elif not all(isinstance(t, str) and words(t) for t in terms):
                    found.append(f"{where}: an empty term in {language}")
    return found


def load(folder: Path = FOLDER) -> dict[str, Concept]:
    """Read and check every vocabulary file of the folder; raise VocabularyError."""
    raw: dict[str, list[dict]] = {}
    errors: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            with path.open("rb") as handle:
                raw[path.name] = tomllib.load(handle).get("concept", [])
        except tomllib.TOMLDecodeError as error:
            errors.append(f"{path.name}: {error}")
    errors += problems(raw)
    if errors:
        raise VocabularyError("\n".join(errors))
    return {
        c["key"]: Concept(c["key"], c["kind"], {lang: tuple(c[lang]) for lang in LANGUAGES})
        for concepts in raw.values()
        for c in concepts
    }


@cache
def concepts() -> dict[str, Concept]:
    return load()


def label(key: str, language: str) -> str:
    """A concept's preferred term in the language, capitalised as a list item; the key
    of a concept no longer known."""
    concept = concepts().get(key)
    if concept is None:
        return key
    term = concept.term(language)
    return term[:1].upper() + term[1:]


def choices(language: str) -> list[tuple[str, str]]:
    """(key, term) of every concept for a form, by kind, then by term in the language."""
    order = {kind: n for n, kind in enumerate(KINDS)}
    return sorted(
        ((c.key, c.term(language)) for c in concepts().values()),
        key=lambda pair: (order[concepts()[pair[0]].kind], fold(pair[1])),
    )


def areas(language: str) -> list[tuple[str, str]]:
    """(key, label) of every policy area, in the language's order of their labels: what an
    officer can browse the directory by when a search finds nothing."""
    return [
        (key, label(key, language))
        for key, _ in choices(language)
        if concepts()[key].kind == "policy_area"
    ]


# A search that finds nothing suggests the concepts of the vocabulary words closest to its
# words (rapidfuzz's similarity ratio, 0-100), for words of SUGGEST_MIN letters or more.
SUGGEST_MIN = 4
SUGGEST_SIMILARITY = 70
SUGGESTIONS = 5


def suggest(query: str, language: str) -> list[tuple[str, str]]:
    """(key, label) of the concepts closest to the query's words, the closest first, at
    most SUGGESTIONS: "Did you mean" for a search that found nothing ("nuse": Nurse)."""
    index = _index()
    similarity: dict[str, float] = {}
    for token in words(query):
        if len(token) < SUGGEST_MIN or token in STOPWORDS:
            continue
        close = process.extract(
            token, index.sorted_words, scorer=fuzz.ratio, score_cutoff=SUGGEST_SIMILARITY
        )
        for word, score, _ in close:
            for hit in index.words[word]:
                closeness = score + 0.5 * (hit.weight == WHOLE_TERM)  # a whole term first
                similarity[hit.concept] = max(similarity.get(hit.concept, 0), closeness)
    best = sorted(similarity, key=lambda key: (-similarity[key], label(key, language)))
    return [(key, label(key, language)) for key in best[:SUGGESTIONS]]


@dataclass(frozen=True)
class _Index:
    phrases: dict[tuple[str, ...], list[Hit]]  # every term, as its folded words
    words: dict[str, list[Hit]]  # every significant word of a term
    sorted_words: list[str]
    longest: int
    typo_words: list[str]  # the words a typo may be of (TYPO_MIN letters or more)
    # the terms of several words, by the start of their first word (see _stem)
    long_terms: dict[str, list[tuple[str, ...]]]


def _significant(term_words: list[str]) -> Iterable[str]:
    if len(term_words) == 1:
        return term_words
    return [w for w in term_words if len(w) >= 3 and w not in STOPWORDS]


@cache
def _index() -> _Index:
    phrases: dict[tuple[str, ...], list[Hit]] = {}
    by_word: dict[str, list[Hit]] = {}
    for concept in concepts().values():
        for language, terms in concept.terms.items():
            for term in terms:
                term_words = words(term)
                phrases.setdefault(tuple(term_words), []).append(
                    Hit(concept.key, WHOLE_TERM, language, term)
                )
                # a word that is a whole term points at its concept more strongly
                weight = WHOLE_TERM if len(term_words) == 1 else WORD
                for word in set(_significant(term_words)):
                    by_word.setdefault(word, []).append(Hit(concept.key, weight, language, term))
    longest = max(len(p) for p in phrases)
    ordered = sorted(by_word)
    long_terms: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if len(phrase) > 1:
            long_terms.setdefault(_stem(phrase[0]), []).append(phrase)
    typo_words = [w for w in ordered if len(w) >= TYPO_MIN]
    return _Index(phrases, by_word, ordered, longest, typo_words, long_terms)


def _stem(word: str) -> str:
    return word[:PREFIX_MIN]


def _same_or_form(token: str, word: str) -> bool:
    """The token is the word, or (from PREFIX_MIN letters) another form or its start."""
    return token == word or (min(len(token), len(word)) >= PREFIX_MIN and _near(token, word))


def _near(token: str, word: str) -> bool:
    """The token starts the word ("zdravotn": "zdravotní"), or is another form of it that
    differs in the last letters only, two of the word's and three of the token's at most
    ("nurses", "Zahnärzte", "pielęgniarki", "leraren")."""
    if word.startswith(token):
        return True
    common = len(os.path.commonprefix([token, word]))
    return common >= max(PREFIX_MIN, len(word) - 2) and len(token) - common <= 3


def match(query: str) -> list[QueryWord]:
    """The words of the query that must match (at most 8), each with the concepts it
    points at."""
    index = _index()
    tokens = words(query)
    hits: list[dict[str, Hit]] = [{} for _ in tokens]

    def offer(position: int, hit: Hit, weight: int) -> None:
        known = hits[position].get(hit.concept)
        if known is None or known.weight < weight:
            hits[position][hit.concept] = Hit(hit.concept, weight, hit.language, hit.term)

    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + index.longest) + 1):
            for hit in index.phrases.get(tuple(tokens[start:end]), ()):
                for position in range(start, end):
                    offer(position, hit, WHOLE_TERM)
        # another form of a term of several words is that term: "asistente medicale" (of
        # "asistent medical"), "zdravotní sestry" (of "zdravotní sestra")
        for phrase in index.long_terms.get(_stem(tokens[start]), ()):
            span = tokens[start : start + len(phrase)]
            if len(span) == len(phrase) and all(map(_same_or_form, span, phrase)):
                for hit in index.phrases[phrase]:
                    for position in range(start, start + len(phrase)):
                        offer(position, hit, WHOLE_TERM)
    for position, token in enumerate(tokens):
        for spelling in (token, *spellings(token)):
            for hit in index.words.get(spelling, ()):
                offer(position, hit, hit.weight)
            if len(spelling) >= PREFIX_MIN:
                stem = spelling[:PREFIX_MIN]
                at = bisect.bisect_left(index.sorted_words, stem)
                while at < len(index.sorted_words) and index.sorted_words[at].startswith(stem):
                    word = index.sorted_words[at]
                    if word != spelling and _near(spelling, word):
                        start = word.startswith(spelling)
                        for hit in index.words[word]:
                            whole = hit.weight == WHOLE_TERM
                            offer(position, hit, FORM if whole and not start else PREFIX + whole)
                    at += 1
    for position, token in enumerate(tokens):
        if hits[position] or token in STOPWORDS:
            continue
        for word in _compound_of(token):
            for hit in index.words[word]:
                offer(position, hit, COMPOUND + (hit.weight == WHOLE_TERM))
        if not hits[position] and len(token) >= TYPO_MIN:
            for word in _typo_of(token):
                for hit in index.words[word]:
                    offer(position, hit, TYPO + (hit.weight == WHOLE_TERM))
    found = [QueryWord(t, _clear(h), spellings(t)) for t, h in zip(tokens, hits, strict=True)]
    return [w for w in found if _meaningful(w)][:MAX_WORDS]


def _compound_of(token: str) -> list[str]:
    """The vocabulary words a query word is a compound of: the longest found at its start,
    as it is or in another form ("advocaten" of "advocatenkantoor"; "lärar" of
    "lärarlegitimation", Swedish and Danish compounds dropping a last e or a), and the
    longest at its end ("lærer" of "skolelærer"); REST_MIN letters or more are left over."""
    index = _index()
    found: list[str] = []
    for text in (token, *spellings(token)):
        if len(text) < COMPOUND_MIN:
            continue
        for end in range(len(text) - REST_MIN, PART_MIN - 1, -1):
            head = text[:end]
            heads = [head] if head in index.words else []
            if not heads and len(head) > PART_MIN:
                heads = [w for w in _starting(head[:PREFIX_MIN]) if _other_form(head, w)]
            if heads:
                found += heads
                break
        for start in range(REST_MIN, len(text) - TAIL_MIN + 1):
            if text[start:] in index.words:
                found.append(text[start:])
                break
    return sorted(set(found))


def _starting(stem: str) -> list[str]:
    """The vocabulary words that start with the stem."""
    ordered = _index().sorted_words
    at = bisect.bisect_left(ordered, stem)
    found = []
    while at < len(ordered) and ordered[at].startswith(stem):
        found.append(ordered[at])
        at += 1
    return found


def _other_form(token: str, word: str) -> bool:
    """The token is another form of the (longer than PART_MIN) word, not a start of it:
    the end of one or the other differs ("advocaten": "advocaat")."""
    return len(word) > PART_MIN and not word.startswith(token) and _near(token, word)


def _typo_of(token: str) -> list[str]:
    """The vocabulary words (of TYPO_MIN letters or more) a token is a typo of: at most
    one edit away, two for a token of LONG_TYPO letters or more (rapidfuzz's optimal
    string alignment distance, in C: some 2,000 words in a fraction of a millisecond)."""
    edits = 2 if len(token) >= LONG_TYPO else 1
    found = process.extract(
        token, _index().typo_words, scorer=OSA.distance, score_cutoff=edits, limit=None
    )
    return [word for word, _, _ in found]


def _clear(hits: dict[str, Hit]) -> dict[str, Hit]:
    """A word that is (in) a whole term means that term's concepts only: "медицинска
    сестра" is not a medical device, nor "darba inspekcija" temporary agency work
    ("pagaidu darba aģentūra")."""
    whole = {key: hit for key, hit in hits.items() if hit.weight == WHOLE_TERM}
    return whole or hits


def _meaningful(word: QueryWord) -> bool:
    """Stopwords and words of one or two letters that name no concept are not searched:
    they are inside nearly every name (and live search sends the first letters typed)."""
    return word.text not in STOPWORDS and (len(word.text) >= MIN_TEXT or bool(word.hits))
