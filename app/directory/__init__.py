"""The directory: authorities and coordinators, searchable by officers in any language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import (
    ColumnElement,
    and_,
    any_,
    case,
    func,
    intersect,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased, selectinload

from app import vocabulary
from app.cases.paging import Page
from app.extensions import db
from app.models import Authority, AuthorityCompetence, AuthorityStatus, ProcedureAccess
from app.routing import db_int
from app.text import fold_letters

PAGE_SIZE = 25
# A query word found in an authority's free-text competences, or in its names or city.
# A concept hit weighs COMPETENCE times its vocabulary weight (vocabulary.PREFIX and up), so
# a competence beats a mere substring, in the names too.
IN_TEXT = 1
IN_NAME = 3
COMPETENCE = 2
# Every word of the query in an authority's names (or city), where the query is not one
# competence: it is the authority's name ("Ministerstwo Zdrowia", "Sundhedsstyrelsen"), and
# they come first, before those competent for a concept a word of the name points at.
NAMED = 100
# search_text is the names and city, then NAMES_END, then the free-text competences
# (folded: fold_letters never leaves a line break in a text).
NAMES_END = "\n"


def search_text(names: Iterable[str], city: str, competences: str) -> str:
    """The folded search column of an authority's names, city and free-text competences."""
    head = fold_letters(" ".join(p for p in [*names, city] if p))
    return f"{head}{NAMES_END}{fold_letters(competences or '')}"


def index_text(authority: Authority) -> None:
    """Refresh the folded search column from names and competences."""
    names = [authority.name, *(authority.local_names or {}).values()]
    authority.search_text = search_text(names, authority.city, authority.competences)


def set_competences(authority: Authority, keys: Iterable[str]) -> None:
    """Make the authority competent for exactly these vocabulary concepts (unknown keys
    are ignored: the vocabulary is the only source of concepts)."""
    known = vocabulary.concepts()
    wanted = sorted({key for key in keys if key in known})
    if wanted == authority.concept_keys:
        return
    kept = [c for c in authority.concepts if c.concept_key in wanted]
    have = {c.concept_key for c in kept}
    added = [AuthorityCompetence(concept_key=k) for k in wanted if k not in have]
    authority.concepts = sorted(kept + added, key=lambda c: c.concept_key)


# When no authority matches every word of a query, those matching most of its words are
# listed, told as such: one word the vocabulary does not know (a typo, a word of no
# competence) must not empty the list. A matched word adds SOME_WORD to an authority's
# score, more than every word's weight together, so more words matched rank first.
SOME_WORD = 1000


@dataclass
class SearchPage(Page):
    """A page of the directory's search; `partial`: no authority matched every word of
    the query, and these match some of them, those matching more first."""

    partial: bool = False


@dataclass
class Result:
    authority: Authority
    # the vocabulary terms the query was found in, for the concepts the authority has
    matched: list[vocabulary.Hit] = field(default_factory=list)

    def competences(self) -> list[tuple[str, vocabulary.Hit | None]]:
        """The authority's concepts, those the query found first, each with its hit."""
        found = {hit.concept: hit for hit in self.matched}
        rest = [(key, None) for key in self.authority.concept_keys if key not in found]
        return [(hit.concept, hit) for hit in self.matched] + rest


def search(
    query: str = "",
    country: str | None = None,
    procedure: str | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> SearchPage:
    """Active authorities where every word of the query names one of their competences
    (in any interface language) or is found in their names or free-text competences;
    best matches first, then by name. Where none matches every word (of several), those
    that match some, the most words first (`SearchPage.partial`)."""
    stmt = select(Authority).where(Authority.status == AuthorityStatus.ACTIVE)
    if country:
        stmt = stmt.where(Authority.country == country)
    if procedure:
        stmt = stmt.where(
            Authority.id.in_(
                select(ProcedureAccess.authority_id).where(
                    ProcedureAccess.procedure_key == procedure
                )
            )
        )
    words = vocabulary.match(query)
    cursor, partial = _decode(after)
    found = _page(stmt, words, cursor, partial, limit or PAGE_SIZE)
    if not found.items and not cursor and not partial and len(words) > 1:
        found = _page(stmt, words, None, True, limit or PAGE_SIZE)
    return found


def _page(stmt, words, cursor, partial: bool, limit: int) -> SearchPage:
    """A page of `stmt`'s authorities matching every word (`partial`: any word)."""
    score: ColumnElement[int] = literal(0)
    if words:
        stmt = stmt.where(_candidates(words, every=not partial))
    for word in words:
        weight = _word_weight(word)
        score = score + (case((weight > 0, weight + SOME_WORD), else_=0) if partial else weight)
    if words and not partial and _may_be_a_name(words):
        score = score + case((_named(words), NAMED), else_=0)
    # Pagination is a keyset on (score, name, id) rather than an offset: pages stay stable
    # while authorities are added, and a deep page costs no more than the first. Without a
    # query every score is 0 and the order is the plain (name, id) of the directory.
    # Ties end on the id, so SQLite and PostgreSQL return the same order (names compare
    # by code point on both: the column has the C collation on PostgreSQL).
    if cursor:
        last_score, name, ident = cursor
        later = tuple_(Authority.name, Authority.id) > tuple_(name, ident)
        stmt = stmt.where(
            or_(score < last_score, and_(score == last_score, later)) if words else later
        )
    order = (
        [score.desc(), Authority.name, Authority.id] if words else [Authority.name, Authority.id]
    )
    rows = db.session.execute(
        stmt.add_columns(score.label("score"))
        .options(selectinload(Authority.concepts))
        .order_by(*order)
        .limit(limit + 1)
    ).all()
    next_cursor = _encode(rows[limit - 1], partial) if len(rows) > limit else None
    hits = _strongest_hits(words)
    items = [
        Result(row[0], sorted((hits[k] for k in row[0].concept_keys if k in hits), key=_strength))
        for row in rows[:limit]
    ]
    return SearchPage(items, next_cursor, partial)


def _candidates(words: list[vocabulary.QueryWord], every: bool = True) -> ColumnElement[bool]:
    """Among the authorities every query word matches (`every`; else any word): competent
    for one of its concepts (by the concept index) or with the word in their text (on
    PostgreSQL by the trigram index), so that only those are scored rather than every
    authority."""
    sets = []
    for word in words:
        other = aliased(Authority)  # not the outer query's row: a set of its own
        matching = select(other.id).where(_contains(other.search_text, word))
        if word.hits:  # UNION ALL: no hashing away duplicates, the id lookups ignore them
            matching = union_all(_competent_for(sorted(word.hits)), matching)
        sets.append(matching)
    if db.session.get_bind().dialect.name == "postgresql":
        # ARRAY(...) is computed once and its ids looked up by primary key; with IN the
        # planner prefers hashing a scan of every authority (3x slower at 50k)
        common = sets[0] if len(sets) == 1 else (intersect if every else union_all)(*sets)
        return Authority.id == any_(func.array(common.scalar_subquery()))
    # SQLite cannot nest a UNION inside an INTERSECT
    return (and_ if every else or_)(*[Authority.id.in_(ids) for ids in sets])


def _contains(column, word: vocabulary.QueryWord, names: bool = False) -> ColumnElement[bool]:
    """The column holds the word, as typed or in another spelling ("aerzte": "ärzte");
    `names`: in the names and city (before NAMES_END)."""
    return or_(*[_holds(column, text, names=names) for text in word.texts])


def _holds(column, *texts: str, names: bool = False) -> ColumnElement[bool]:
    """The column holds the texts in this order (`names`: in the names, before NAMES_END)."""
    escaped = [t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for t in texts]
    return column.like(f"%{'%'.join(escaped)}%{NAMES_END if names else ''}%", escape="\\")


def _named(words: list[vocabulary.QueryWord]) -> ColumnElement[bool]:
    """The words are in the authority's names (or city), in the order typed, as typed or
    each in its other spelling: one LIKE for the query ("%ministerstwo%zdrowia%<NAMES_END>%")."""
    typed = [word.text for word in words]
    spelled = [word.texts[-1] for word in words]
    patterns = [typed] if spelled == typed else [typed, spelled]
    return or_(*[_holds(Authority.search_text, *words, names=True) for words in patterns])


def _may_be_a_name(words: list[vocabulary.QueryWord]) -> bool:
    """Whether the query may be an authority's name rather than one competence: several
    words, or one that is no vocabulary word or term (its hits are weaker than WORD)."""
    return len(words) > 1 or all(h.weight < vocabulary.WORD for h in words[0].hits.values())


def _word_weight(word: vocabulary.QueryWord) -> ColumnElement[int]:
    """How well an authority matches one query word: COMPETENCE times the weight of the
    strongest concept of the word it is competent for, plus IN_NAME when its names or city
    contain the word, else IN_TEXT when its free-text competences do."""
    in_names = case((_contains(Authority.search_text, word, names=True), IN_NAME), else_=IN_TEXT)
    in_text = case((_contains(Authority.search_text, word), in_names), else_=0)
    by_weight = word.keys_by_weight()
    if not by_weight:
        return in_text
    competent = case(
        *[
            (Authority.id.in_(_competent_for(keys)), weight * COMPETENCE)
            for weight, keys in by_weight.items()
        ],
        else_=0,
    )
    return competent + in_text


def _competent_for(keys: list[str]):
    return select(AuthorityCompetence.authority_id).where(AuthorityCompetence.concept_key.in_(keys))


def _strongest_hits(words: list[vocabulary.QueryWord]) -> dict[str, vocabulary.Hit]:
    strongest: dict[str, vocabulary.Hit] = {}
    for word in words:
        for key, hit in word.hits.items():
            if key not in strongest or strongest[key].weight < hit.weight:
                strongest[key] = hit
    return strongest


def _strength(hit: vocabulary.Hit) -> tuple[int, str]:
    return (-hit.weight, hit.concept)


# A page of authorities matching some words only carries its mode in the cursor ("~"),
# so that its next page is of the same list.
PARTIAL = "~"


def _encode(row, partial: bool = False) -> str:
    authority, score = row
    return f"{PARTIAL if partial else ''}{score}:{authority.id}:{authority.name}"


def _decode(cursor: str | None) -> tuple[tuple[int, str, int] | None, bool]:
    """The cursor's (score, name, id), and whether it is of a partial list."""
    cursor = cursor or ""
    partial = cursor.startswith(PARTIAL)
    parts = cursor.removeprefix(PARTIAL).split(":", 2)
    if len(parts) != 3 or not all(p.lstrip("-").isdigit() for p in parts[:2]):
        return None, False
    try:
        return (db_int(parts[0]), parts[2], db_int(parts[1])), partial
    except ValueError:
        return None, False
