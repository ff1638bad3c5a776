"""Text folding for search: the same on SQLite and PostgreSQL because Python does it."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, without accents (Latin, Greek tonos), single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
