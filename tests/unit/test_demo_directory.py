"""The demo directory's data file is sound: every authority has an address, an e-mail
address that reaches nobody, its official name in a language of its country and an
English name, and only concepts, procedures and account sets that exist (seeding would
silently drop an unknown concept)."""

from __future__ import annotations

import tomllib
from pathlib import Path

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
    if entry.get("exchanges", "health") not in {*data["exchanges"], *_area_exchanges()}:
        found.append(f"{where}: unknown exchanges {entry['exchanges']}")
    return found


def _area_exchanges() -> set[str]:
    """The exchanges an area file (app/demo/areas/) defines: any authority may name them."""
    folder = Path(demo_directory.__file__).with_name("areas")
    return {
        name
        for path in folder.glob("*.toml")
        for name in tomllib.loads(path.read_text("utf-8")).get("exchanges", {})
    }


def test_every_demo_authority_is_complete_and_names_only_what_exists():
    data = demo_directory.data()
    entries = [*data["authority"], *data["registration"]]
    packs = {folder.name for folder in pack_folders([BUILTIN_DIR])}

    problems = [p for entry in entries for p in _problems(entry, data)]
    keys = [(e["country"], e["en"]) for e in entries]
    problems += [f"{key} is listed twice" for key in set(keys) if keys.count(key) > 1]
    problems += [
        f"exchanges {name}: no procedure {key}"
        for name, keys in data["exchanges"].items()
        for key in keys
        if key not in packs
    ]

    assert not problems, "\n".join(problems)
    assert len(entries) > 100
