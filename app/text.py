"""Text folding for search: the same on SQLite and PostgreSQL because Python does it."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, without accents (Latin, Greek tonos), single spaces."""
    if text.isascii():  # nothing to decompose, no combining mark: a tenth of the calls
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


# Letters of their own rather than a letter with an accent, so fold keeps them: written as
# keyboards without them write them (Polish ł, Croatian đ, Maltese ħ, Danish ø and æ, ...).
LETTERS = str.maketrans(
    {"ł": "l", "đ": "d", "ħ": "h", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d"}
)


def fold_letters(text: str) -> str:
    """fold, and the letters of LETTERS written as plain Latin ones: "Główny" -> "glowny",
    "læge" -> "laege", "Saħħa" -> "sahha". The directory's search text and queries."""
    return fold(text).translate(LETTERS)


# Letters written as two where a keyboard lacks them: German ä, ö, ü as ae, oe, ue (in
# folded text ä is a, so "Aerztekammer" is looked for as "arztekammer" too), and Danish
# and Norwegian å as aa ("Aarhus": "arhus"; ø typed oe is "o" as fold_letters writes it).
DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"), ("aa", "a"))
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
