"""Directory search returns the same authorities in the same order on SQLite and on the
test database (PostgreSQL when available): folding and matching happen in Python, ties
end on the id."""

from __future__ import annotations

from app import create_app, directory
from app.migrate import upgrade
from tests.factories import make_authority

NURSE, DOCTOR = "profession.nurse", "profession.doctor"
AUTHORITIES = [
    ("DE", "Ärztekammer Berlin", {"de": "Ärztekammer Berlin"}, (DOCTOR,)),
    ("DE", "Pflegekammer Niedersachsen", {"de": "Pflegekammer Niedersachsen"}, (NURSE,)),
    ("FR", "ordre national des infirmiers", {"fr": "Ordre national des infirmiers"}, (NURSE,)),
    ("FR", "Ordre des médecins", {"fr": "Ordre des médecins"}, (DOCTOR, NURSE)),
    ("GR", "Nursing Board of Greece", {"el": "Νοσηλευτικό Συμβούλιο"}, (NURSE,)),
    ("PT", "Ordem dos Enfermeiros", {"pt": "Ordem dos Enfermeiros"}, (NURSE,)),
    ("BE", "Nursery Schools Inspectorate", {}, ()),
    ("PL", "Zakład Opieki Zdrowotnej", {"pl": "Zakład Opieki Zdrowotnej"}, ()),
    ("PL", "Ministry of Health", {"pl": "Ministerstwo Zdrowia"}, (DOCTOR,)),
    ("PL", "Ministry of Agriculture", {"pl": "Ministerstwo Rolnictwa"}, ("area.public_health",)),
    ("PL", "Chief Building Inspectorate", {"pl": "Główny Urząd Nadzoru Budowlanego"}, ()),
    ("DK", "Danish Dental Association", {"da": "Tandlægeforeningen"}, ("profession.dentist",)),
]
QUERIES = [
    ("", None),
    ("nurse", None),
    ("zdravotní sestra", None),
    ("ΝΟΣΗΛΕΥΤΗΣ", None),
    ("ordre", None),
    ("lekarz", None),
    ("kammer", "DE"),
    ("zdrow", None),
    ("nurses", None),
    ("nurse kammer qqqzzz", None),  # no authority matches every word: those matching some
    ("Ministerstwo Zdrowia", None),  # a name: first, before a competence one word points at
    ("glowny urzad", None),  # ł typed as l
    ("Zahnärztekammer", None),  # a compound of a vocabulary word
    ("tandlaeger", "DK"),  # æ typed as ae
    ("asistente medicale", None),  # another form of a term of two words
]


def _seed_and_search() -> list[list[str]]:
    for country, name, local_names, concepts in AUTHORITIES:
        make_authority(country, name=name, local_names=local_names, concepts=concepts)
    return [
        [r.authority.name for r in directory.search(query, country).items]
        for query, country in QUERIES
    ]


def test_sqlite_and_the_test_database_list_the_same_authorities_in_the_same_order(app, tmp_path):
    on_test_database = _seed_and_search()
    sqlite = create_app(
        "production",
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "PUBLIC_URL": app.config["PUBLIC_URL"],
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'same.db'}",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        },
    )
    upgrade(sqlite)

    with sqlite.app_context():
        on_sqlite = _seed_and_search()

    assert on_sqlite == on_test_database
    assert on_test_database[-5][:2] == ["Ministry of Health", "Ministry of Agriculture"]
    assert on_test_database[-4] == ["Chief Building Inspectorate"]
    assert on_test_database[-3] == on_test_database[-2] == ["Danish Dental Association"]
    assert on_test_database[1] == [  # competent, by name (code point: "o" after "P")
        "Nursing Board of Greece",
        "Ordem dos Enfermeiros",
        "Ordre des médecins",
        "Pflegekammer Niedersachsen",
        "ordre national des infirmiers",
        "Nursery Schools Inspectorate",  # only a substring of its name
    ]
