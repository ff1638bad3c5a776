"""Free text is detected in every interface language, the Scandinavian ones told apart."""

import pytest

from app.translation import languages

TEXTS = {
    "nb": "Vi ber om bekreftelse på at sykepleieren er registrert og har rett til å utøve yrket.",
    "da": "Vi beder om bekræftelse af, at sygeplejersken er registreret og har ret til at udøve faget.",
    "sv": "Vi begär en bekräftelse på att sjuksköterskan är registrerad och har rätt att utöva yrket.",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_norwegian_danish_and_swedish_are_told_apart(language):
    # an English-speaking writer's interface does not hide what the text is written in
    assert languages.detect(TEXTS[language], "en") == language
    # and a Norwegian writer's short note stays Norwegian
    assert languages.detect("OK, takk", "nb") == "nb"
