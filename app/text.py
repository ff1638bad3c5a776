"""Text folding for search: the same on SQLite and PostgreSQL because Python does it."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, without accents (Latin, Greek tonos), single spaces."""
    if text.isascii():  # nothing to decompose, no combining mark: a tenth of the calls
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


# Letters written as two where a keyboard lacks them: German ä, ö, ü as ae, oe, ue (in
# folded text ä is a, so "Aerztekammer" is looked for as "arztekammer" too).
DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
# A shorter word is left alone: "rue" would be looked for as "ru", inside countless names.
SPELLING_MIN = 5


def spellings(word: str) -> tuple[str, ...]:
    """Other spellings of a folded word, its digraphs written as the one letter (see
    DIGRAPHS): "aerztekammer" -> ("arztekammer",); none for most words, and none for a
    word shorter than SPELLING_MIN letters."""
    if len(word) < SPELLING_MIN:
        return ()
    other = word
    for pair, letter in DIGRAPHS:
        other = other.replace(pair, letter)
    return (other,) if other != word else ()
