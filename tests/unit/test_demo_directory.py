"""The demo directory's data file is sound: every authority has an address, an e-mail
address that reaches nobody, its official name in a language of its country and an
English name, and only concepts, procedures and account sets that exist (seeding would
silently drop an unknown concept)."""

from __future__ import annotations

from app import vocabulary
from app.demo import directory as demo_directory
from app.procedures import BUILTIN_DIR, pack_folders
from app.reference import COUNTRIES, LANGUAGES

ADDRESS = ("street", "postcode", "city", "email")
# besides the names (language codes) and the address; a registration's applicant
FIELDS = {"country", "kind", "staff", "exchanges", "coordinates", "concepts", *ADDRESS}
FIELDS |= {*LANGUAGES, "applicant", "competences"}
KINDS = {"authority", "national_coordinator", "delegated_coordinator", "commission"}


def _problems(entry: dict, data: dict) -> list[str]:
    where = f"{entry.get('country')} {entry.get('en', '(no English name)')}"
    found = [f"{where}: unknown field {field}" for field in set(entry) - FIELDS]
    official = COUNTRIES.get(entry["country"], ())
    names = demo_directory.local_names(entry)
    if entry["country"] != "EU" and not set(names) & set(official):
        found.append(f"{where}: no name in an official language of {entry['country']}")
    found += [
        f"{where}: {lang} is not a language of the country" for lang in set(names) - set(official)
    ]
    found += [f"{where}: no {field}" for field in ("en", *ADDRESS) if not entry.get(field)]
    if not entry.get("email", "").endswith(".example"):
        found.append(f"{where}: e-mail outside the reserved .example domain")
    known = vocabulary.concepts()
    found += [f"{where}: unknown concept {k}" for k in entry.get("concepts", []) if k not in known]
    if entry.get("kind", "authority") not in KINDS:
        found.append(f"{where}: unknown kind {entry['kind']}")
    if entry.get("staff", "commission") not in data["staff"]:
        found.append(f"{where}: unknown staff {entry['staff']}")
    known_groups = data["exchanges"] | data["area_exchanges"]
    found += [
        f"{where}: unknown exchanges {name}"
        for name in demo_directory.exchange_groups(entry)
        if name not in known_groups
    ]
    return found


def test_every_demo_authority_is_complete_and_names_only_what_exists():
    data = demo_directory.data()
    entries = [*data["authority"], *data["registration"]]
    packs = {folder.name for folder in pack_folders([BUILTIN_DIR])}

    problems = [p for entry in entries for p in _problems(entry, data)]
    keys = [(e["country"], e["en"]) for e in entries]
    problems += [f"{key} is listed twice" for key in set(keys) if keys.count(key) > 1]
    problems += [
        f"exchanges {name}: no procedure {key}"
        for name, keys in (data["exchanges"] | data["area_exchanges"]).items()
        for key in keys
        if key not in packs
    ]

    assert not problems, "\n".join(problems)
    assert len(entries) > 100
