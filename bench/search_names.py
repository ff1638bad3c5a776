"""Names of the authorities bench/search.py generates, in their own official wording and NOT
built from the competence vocabulary (issue 18): a ministry of health is competent for
nurses without "nurse" in its name, so a query finds it by its competences, not by a word
of the vocabulary copied into its name. One name per field of government per language."""

from __future__ import annotations

# The field of government of each concept (its authorities are named after the field).
FIELDS = {
    "health": [
        "profession.doctor", "profession.nurse", "profession.dentist",
        "profession.pharmacist", "profession.midwife", "profession.physiotherapist",
        "profession.psychologist", "area.patients_rights", "area.public_health",
        "activity.medical_devices",
    ],
    "agriculture": ["profession.veterinarian", "activity.food_safety"],
    "building": [
        "profession.architect", "profession.engineer", "activity.construction",
        "profession.electrician",
    ],
    "justice": [
        "profession.lawyer", "profession.statutory_auditor", "activity.business_register",
        "area.data_protection",
    ],
    "education": [
        "profession.teacher", "activity.academic_recognition",
        "area.professional_qualifications", "profession.ski_instructor",
    ],
    "labour": [
        "area.posting_of_workers", "area.labour_inspection", "area.undeclared_work",
        "activity.temporary_agency_work", "activity.social_security",
    ],
    "economy": [
        "area.services", "area.e_commerce", "area.consumer_protection",
        "activity.product_safety", "area.public_procurement", "area.solvit",
        "profession.hairdresser", "profession.real_estate_agent", "profession.tourist_guide",
    ],
    "transport": ["activity.road_transport", "activity.driving_licences"],
    "interior": ["area.cultural_goods", "area.firearms"],
}  # fmt: skip
FIELD_OF = {key: field for field, keys in FIELDS.items() for key in keys}

_ORDER = ("health", "agriculture", "building", "justice", "education", "labour", "economy",
          "transport", "interior")  # fmt: skip
_NAMES = {
    "bg": ["Министерство на здравеопазването", "Министерство на земеделието",
           "Дирекция за национален строителен контрол", "Министерство на правосъдието",
           "Министерство на образованието и науката", "Министерство на труда и социалната политика",
           "Министерство на икономиката", "Изпълнителна агенция Автомобилна администрация",
           "Министерство на вътрешните работи"],
    "cs": ["Ministerstvo zdravotnictví", "Ministerstvo zemědělství", "Stavební úřad",
           "Ministerstvo spravedlnosti", "Ministerstvo školství, mládeže a tělovýchovy",
           "Ministerstvo práce a sociálních věcí", "Ministerstvo průmyslu a obchodu",
           "Ministerstvo dopravy", "Ministerstvo vnitra"],
    "da": ["Sundhedsstyrelsen", "Fødevarestyrelsen", "Bolig- og Planstyrelsen",
           "Justitsministeriet", "Styrelsen for Undervisning og Kvalitet",
           "Beskæftigelsesministeriet", "Erhvervsstyrelsen", "Færdselsstyrelsen",
           "Indenrigsministeriet"],
    "de": ["Landesamt für Gesundheit und Soziales", "Landesamt für Landwirtschaft und Ernährung",
           "Oberste Baubehörde", "Ministerium der Justiz", "Kultusministerium",
           "Landesamt für Arbeit und Soziales", "Ministerium für Wirtschaft und Handel",
           "Landesbetrieb Straßen und Verkehr", "Innenministerium"],
    "el": ["Υπουργείο Υγείας", "Υπουργείο Αγροτικής Ανάπτυξης", "Διεύθυνση Πολεοδομίας",
           "Υπουργείο Δικαιοσύνης", "Υπουργείο Παιδείας", "Υπουργείο Εργασίας",
           "Υπουργείο Ανάπτυξης", "Υπουργείο Υποδομών και Μεταφορών", "Υπουργείο Εσωτερικών"],
    "en": ["Department of Health", "Department of Agriculture", "Building Control Office",
           "Ministry of Justice", "Department of Education", "Workplace Relations Commission",
           "Competition and Trade Office", "Road Safety Authority", "Home Office"],
    "es": ["Consejería de Sanidad", "Ministerio de Agricultura, Pesca y Alimentación",
           "Dirección General de Vivienda", "Ministerio de Justicia", "Consejería de Educación",
           "Ministerio de Trabajo y Economía Social", "Ministerio de Economía",
           "Dirección General de Tráfico", "Ministerio del Interior"],
    "et": ["Terviseamet", "Põllumajandus- ja Toiduamet", "Ehitusamet", "Justiitsministeerium",
           "Haridus- ja Teadusministeerium", "Sotsiaalministeerium",
           "Majandus- ja Kommunikatsiooniministeerium", "Transpordiamet", "Siseministeerium"],
    "fi": ["Sosiaali- ja terveysministeriö", "Ruokavirasto", "Ympäristöministeriö",
           "Oikeusministeriö", "Opetushallitus", "Työ- ja elinkeinotoimisto",
           "Työ- ja elinkeinoministeriö", "Liikenne- ja viestintävirasto", "Sisäministeriö"],
    "fr": ["Agence régionale de santé", "Direction départementale de la protection des populations",
           "Direction de l'urbanisme et de l'habitat", "Ministère de la Justice",
           "Rectorat de l'académie", "Direction régionale de l'économie, de l'emploi et des solidarités",
           "Direction générale des entreprises", "Direction des routes", "Préfecture"],
    "ga": ["An Roinn Sláinte", "An Roinn Talmhaíochta, Bia agus Mara", "Oifig Rialaithe Foirgníochta",
           "An Roinn Dlí agus Cirt", "An Roinn Oideachais",
           "An Coimisiún um Chaidreamh san Áit Oibre", "An Roinn Fiontar, Trádála agus Fostaíochta",
           "Údarás Bóithre", "An Roinn Gnóthaí Baile"],
    "hr": ["Ministarstvo zdravstva", "Ministarstvo poljoprivrede",
           "Ministarstvo prostornoga uređenja", "Ministarstvo pravosuđa i uprave",
           "Ministarstvo znanosti i obrazovanja", "Državni inspektorat", "Ministarstvo gospodarstva",
           "Ministarstvo mora, prometa i infrastrukture", "Ministarstvo unutarnjih poslova"],
    "hu": ["Nemzeti Népegészségügyi Központ", "Nemzeti Élelmiszerlánc-biztonsági Hivatal",
           "Építésügyi Hivatal", "Igazságügyi Minisztérium", "Oktatási Hivatal",
           "Foglalkoztatási Főosztály", "Nemzetgazdasági Minisztérium", "Közlekedési Hatóság",
           "Belügyminisztérium"],
    "it": ["Ministero della Salute", "Ministero dell'Agricoltura", "Ufficio tecnico comunale",
           "Ministero della Giustizia", "Ministero dell'Istruzione e del Merito",
           "Ministero del Lavoro e delle Politiche Sociali", "Ministero delle Imprese e del Made in Italy",
           "Motorizzazione civile", "Ministero dell'Interno"],
    "lt": ["Sveikatos apsaugos ministerija", "Žemės ūkio ministerija", "Statybos inspekcija",
           "Teisingumo ministerija", "Švietimo, mokslo ir sporto ministerija",
           "Socialinės apsaugos ir darbo ministerija", "Ekonomikos ir inovacijų ministerija",
           "Transporto kompetencijų agentūra", "Vidaus reikalų ministerija"],
    "lv": ["Veselības ministrija", "Zemkopības ministrija", "Būvniecības valsts kontroles birojs",
           "Tieslietu ministrija", "Izglītības un zinātnes ministrija", "Labklājības ministrija",
           "Ekonomikas ministrija", "Ceļu satiksmes drošības direkcija", "Iekšlietu ministrija"],
    "mt": ["Ministeru għas-Saħħa", "Dipartiment tal-Agrikoltura", "Awtorità tal-Bini",
           "Ministeru għall-Ġustizzja", "Ministeru għall-Edukazzjoni",
           "Dipartiment tar-Relazzjonijiet Industrijali", "Awtorità tal-Kompetizzjoni",
           "Transport Malta", "Ministeru għall-Intern"],
    "nl": ["Ministerie van Volksgezondheid, Welzijn en Sport", "Ministerie van Landbouw",
           "Dienst Bouwen en Wonen", "Ministerie van Justitie en Veiligheid",
           "Dienst Uitvoering Onderwijs", "Ministerie van Sociale Zaken en Werkgelegenheid",
           "Ministerie van Economische Zaken", "Dienst Wegverkeer",
           "Ministerie van Binnenlandse Zaken"],
    "pl": ["Ministerstwo Zdrowia", "Ministerstwo Rolnictwa i Rozwoju Wsi",
           "Główny Urząd Nadzoru Budowlanego", "Ministerstwo Sprawiedliwości",
           "Ministerstwo Edukacji i Nauki", "Ministerstwo Rodziny i Polityki Społecznej",
           "Ministerstwo Rozwoju i Technologii", "Ministerstwo Infrastruktury",
           "Ministerstwo Spraw Wewnętrznych i Administracji"],
    "pt": ["Direção-Geral da Saúde", "Ministério da Agricultura e Pescas", "Instituto da Habitação",
           "Ministério da Justiça", "Direção-Geral da Educação",
           "Autoridade para as Condições do Trabalho", "Direção-Geral das Atividades Económicas",
           "Instituto da Mobilidade e dos Transportes", "Ministério da Administração Interna"],
    "ro": ["Ministerul Sănătății", "Ministerul Agriculturii", "Ministerul Dezvoltării",
           "Ministerul Justiției", "Ministerul Educației", "Ministerul Muncii și Solidarității Sociale",
           "Ministerul Economiei", "Ministerul Transporturilor", "Ministerul Afacerilor Interne"],
    "sk": ["Ministerstvo zdravotníctva", "Ministerstvo pôdohospodárstva", "Stavebný úrad",
           "Ministerstvo spravodlivosti", "Ministerstvo školstva",
           "Ministerstvo práce, sociálnych vecí a rodiny", "Ministerstvo hospodárstva",
           "Ministerstvo dopravy", "Ministerstvo vnútra"],
    "sl": ["Ministrstvo za zdravje", "Ministrstvo za kmetijstvo", "Ministrstvo za naravne vire in prostor",
           "Ministrstvo za pravosodje", "Ministrstvo za vzgojo in izobraževanje",
           "Ministrstvo za delo, družino in socialne zadeve", "Ministrstvo za gospodarstvo",
           "Ministrstvo za infrastrukturo", "Ministrstvo za notranje zadeve"],
    "sv": ["Socialstyrelsen", "Jordbruksverket", "Boverket", "Justitiedepartementet", "Skolverket",
           "Arbetsförmedlingen", "Tillväxtverket", "Trafikverket", "Inrikesdepartementet"],
}  # fmt: skip
NAMES = {lang: dict(zip(_ORDER, names, strict=True)) for lang, names in _NAMES.items()}


def name(language: str, concept: str) -> str:
    """The official name of an authority of the concept's field, in the language (English
    for a language without names here)."""
    return NAMES.get(language, NAMES["en"])[FIELD_OF[concept]]
