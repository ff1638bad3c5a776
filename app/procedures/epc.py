"""The `[epc]` table of a European Professional Card pack: its periods, each with the
article it comes from, and which professions the host may subject to compensation
measures (the longer host period). The kind reads them (app/cases/epc/deadlines.py), so
a change of the law is a change of the pack.

    [epc]
    acknowledge = { weeks = 1, basis = "Directive 2005/36/EC, Article 4b(3)" }
    host_decide = { months = 1, basis = "Directive 2005/36/EC, Article 4d(2)" }
    ...
    compensation_professions = ["physiotherapist"]

Periods are in calendar weeks or months (the Directive's own units), never working days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# The periods an EPC pack declares, and what each is for.
PERIODS = (
    "acknowledge",  # home acknowledges and lists missing documents (Art 4b(3))
    "home_issue",  # home issues a temporary card (Art 4c(1))
    "home_verify",  # home verifies and transfers (Art 4d(1))
    "host_decide",  # host decides (Art 4d(2))
    "host_decide_compensation",  # host decides where compensation may apply (Art 4d(3))
    "extension",  # host extends its period (Art 4d(5))
    "temporary_validity",  # a temporary card's validity (Art 4c(1))
)
UNITS = ("weeks", "months")


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str  # "weeks" or "months"
    basis: str  # the article, as the page cites it
    times: int = 1  # how often it may be used (an extension)


@dataclass(frozen=True)
class EpcSettings:
    periods: Mapping[str, Period] = field(default_factory=lambda: MappingProxyType({}))
    compensation_professions: frozenset[str] = frozenset()

    def texts(self) -> list[str]:
        return [p.basis for p in self.periods.values() if p.basis]

    def definition(self) -> dict:
        return {
            "periods": {
                key: {"amount": p.amount, "unit": p.unit, "basis": p.basis, "times": p.times}
                for key, p in self.periods.items()
            },
            "compensation_professions": sorted(self.compensation_professions),
        }


def from_definition(raw: Mapping | None) -> EpcSettings:
    if not raw:
        return EpcSettings()
    return EpcSettings(
        MappingProxyType({key: Period(**value) for key, value in raw["periods"].items()}),
        frozenset(raw.get("compensation_professions", ())),
    )


def parse(raw: object, problems: list[str]) -> EpcSettings:
    """The `[epc]` table; each problem is appended to `problems`."""
    if not isinstance(raw, dict):
        problems.append("an epc pack needs an [epc] table")
        return EpcSettings()
    periods = {}
    for key in PERIODS:
        value = raw.get(key)
        if not isinstance(value, dict):
            problems.append(f"epc.{key}: a period {{ weeks|months = n, basis = '...' }}")
            continue
        units = [unit for unit in UNITS if unit in value]
        amount = value.get(units[0]) if len(units) == 1 else None
        basis = str(value.get("basis", "")).strip()
        times = value.get("times", 1)
        if not (isinstance(amount, int) and 1 <= amount <= 36):
            problems.append(f"epc.{key}: one of weeks or months, 1 to 36")
        elif not basis:
            problems.append(f"epc.{key}: cite the article (basis)")
        elif not (isinstance(times, int) and 1 <= times <= 5):
            problems.append(f"epc.{key}: times must be 1 to 5")
        else:
            periods[key] = Period(amount, units[0], basis, times)
    unknown = set(raw) - set(PERIODS) - {"compensation_professions"}
    if unknown:
        problems.append(f"epc: unknown keys {', '.join(sorted(unknown))}")
    professions = raw.get("compensation_professions", [])
    if not isinstance(professions, list) or not all(isinstance(p, str) for p in professions):
        problems.append("epc.compensation_professions: a list of profession keys")
        professions = []
    return EpcSettings(MappingProxyType(periods), frozenset(professions))
