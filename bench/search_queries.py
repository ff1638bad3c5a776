"""The queries of bench/search.py: a labelled set (a query, its language, the concept it
means and, often, a country in another language) and the timed queries besides them."""

from __future__ import annotations

# (query, its language, the concept it means, a country filter or None). Many are not
# vocabulary terms as written: plurals, cases, other word orders.
LABELLED = [
    ("zdravotní sestra", "cs", "profession.nurse", "DE"),
    ("νοσηλευτής", "el", "profession.nurse", "FR"),
    ("медицинска сестра", "bg", "profession.nurse", None),
    ("pielęgniarki", "pl", "profession.nurse", "IT"),
    ("nurses", "en", "profession.nurse", "ES"),
    ("Krankenpflegerin", "de", "profession.nurse", None),
    ("архитект", "bg", "profession.architect", "IT"),
    ("architectes", "fr", "profession.architect", None),
    ("Zahnärzte", "de", "profession.dentist", "PL"),
    ("hambaarst", "et", "profession.dentist", "LT"),
    ("lekarz weterynarii", "pl", "profession.veterinarian", "ES"),
    ("κτηνίατρος", "el", "profession.veterinarian", None),
    ("sage-femme", "fr", "profession.midwife", "SE"),
    ("Hebammen", "de", "profession.midwife", None),
    ("farmacéutico", "es", "profession.pharmacist", "FI"),
    ("ljekarnik", "hr", "profession.pharmacist", "BE"),
    ("avvocato", "it", "profession.lawyer", "NL"),
    ("Rechtsanwälte", "de", "profession.lawyer", None),
    ("leraar", "nl", "profession.teacher", "PT"),
    ("engenheiro", "pt", "profession.engineer", "AT"),
    ("fysioterapeut", "sv", "profession.physiotherapist", "RO"),
    ("psykologi", "fi", "profession.psychologist", "HU"),
    ("könyvvizsgáló", "hu", "profession.statutory_auditor", "IE"),
    ("electrician", "ro", "profession.electrician", "SK"),
    ("kaderník", "sk", "profession.hairdresser", "SI"),
    ("ejendomsmægler", "da", "profession.real_estate_agent", "HR"),
    ("gidas", "lt", "profession.tourist_guide", "LV"),
    ("učitelj smučanja", "sl", "profession.ski_instructor", "AT"),
    ("doctor", "en", "profession.doctor", "GR"),
    ("lékaři", "cs", "profession.doctor", None),
    ("altra", "ga", "profession.nurse", "MT"),
    ("perit", "mt", "profession.architect", "CY"),
    ("Güterkraftverkehr", "de", "activity.road_transport", "CZ"),
    ("transport routier", "fr", "activity.road_transport", "PL"),
    ("budownictwo", "pl", "activity.construction", "DE"),
    ("Leiharbeit", "de", "activity.temporary_agency_work", "NL"),
    ("food safety", "en", "activity.food_safety", "IT"),
    ("sicurezza dei prodotti", "it", "activity.product_safety", "FR"),
    ("rijbewijs", "nl", "activity.driving_licences", "ES"),
    ("productos sanitarios", "es", "activity.medical_devices", "DE"),
    ("Sozialversicherung", "de", "activity.social_security", "BG"),
    ("business register", "en", "activity.business_register", "LU"),
    ("nostryfikacja", "pl", "activity.academic_recognition", "SK"),
    ("αναγνώριση επαγγελματικών προσόντων", "el", "area.professional_qualifications", "DK"),
    ("travailleurs détachés", "fr", "area.posting_of_workers", "PL"),
    ("vysílání pracovníků", "cs", "area.posting_of_workers", None),
    ("SOLVIT", "en", "area.solvit", "NO"),
    ("Patientenrechte", "de", "area.patients_rights", "PT"),
    ("културни ценности", "bg", "area.cultural_goods", "GR"),
    ("e-handel", "sv", "area.e_commerce", "IE"),
    ("appalti pubblici", "it", "area.public_procurement", "SE"),
    ("defesa do consumidor", "pt", "area.consumer_protection", "FI"),
    ("adatvédelem", "hu", "area.data_protection", "LV"),
    ("pimeä työ", "fi", "area.undeclared_work", "EE"),
    ("darba inspekcija", "lv", "area.labour_inspection", "LT"),
    ("arme de foc", "ro", "area.firearms", "AT"),
    # typos (issue 18): a letter changed, missing, added or two swapped
    ("nurce", "en", "profession.nurse", "ES"),
    ("Krankenpflger", "de", "profession.nurse", None),
    ("arhcitecte", "fr", "profession.architect", "BE"),
    ("dentsit", "en", "profession.dentist", "IE"),
    ("fizjoterpeuta", "pl", "profession.physiotherapist", None),
    ("veterinaire", "fr", "profession.veterinarian", "LU"),
    ("farmacuetico", "es", "profession.pharmacist", "PT"),
    ("ljkearnik", "hr", "profession.pharmacist", "SI"),
    # umlauts typed as two letters (issue 18)
    ("Zahnaerzte", "de", "profession.dentist", "FR"),
    ("Tieraerztin", "de", "profession.veterinarian", None),
]

# Timed queries besides the labelled ones: names, cities, starts of words, nothing.
TIMED_EXTRA = ["", "Berlin", "kammer", "zdravotn", "Urząd Warszawa", "ministry", "xyzzy", "a"]
# No authority matches every word: those that match some, the most first.
TIMED_EXTRA += ["Krankenpfleger xyzzy", "nurses Wien qqqzz", "architekt Praha registr xyzzy"]
