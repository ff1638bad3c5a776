"""Folding text for search and for comparing names (app/text.py)."""

import unicodedata

import pytest

from app.text import fold


def _letter_by_letter(text: str) -> str:
    """The fold of every text: decomposed, marks dropped, case folded, spaces single."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@pytest.mark.parametrize(
    "text",
    [
        "Bench authority 12",
        "  Landesamt\tBerlin \n Approbation  ",
        "ORDRE des Médecins",
        "Österreichische Ärztekammer",
        "Straße",
        "Υπουργείο Υγείας",
        "ﬁle №5",
        "",
        "A_B-C.D",
    ],
)
def test_folding_is_the_same_for_plain_ascii_and_other_text(text):
    assert fold(text) == _letter_by_letter(text)
