"""Which language a free text is written in, detected offline (lingua).

The writer's interface language is the prior: it is kept unless the text says otherwise
with some confidence, because short texts ("OK", a name, a reference) say little. The
detector runs in lingua's low-accuracy mode: about 80 MB, against 600 MB for the full
models, which every web process would carry.
"""

from __future__ import annotations

import threading

from app.reference import LANGUAGES

# Below this, the writer's own language stands.
CONFIDENT = 0.5
# The writer's language keeps the text unless it is this unlikely.
PLAUSIBLE = 0.1
# Fewer letters than this say nothing reliable.
MIN_LETTERS = 12

_lock = threading.Lock()
_detector = None


def _build():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in LANGUAGES:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:  # lingua has no Maltese model
            languages.append(Language.from_iso_code_639_1(iso))
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _get():
    global _detector
    with _lock:
        if _detector is None:
            _detector = _build()
        return _detector


def confidences(text: str) -> dict[str, float]:
    """Language code -> confidence in [0, 1], for the languages the detector knows."""
    values = _get().compute_language_confidence_values(text)
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


def detect(text: str, hint: str | None = None) -> str:
    """The language of text; `hint` (the writer's language) where the text is unclear."""
    fallback = hint if hint in LANGUAGES else "en"
    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        return fallback
    scores = confidences(text)
    if not scores:
        return fallback
    best = max(scores, key=lambda code: scores[code])
    if best == fallback or scores.get(fallback, 0.0) >= PLAUSIBLE:
        return fallback
    return best if scores[best] >= CONFIDENT else fallback
