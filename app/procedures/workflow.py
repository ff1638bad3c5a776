"""A procedure's variant of its kind's workflow, declared in its pack (`[workflow]`):
the optional steps it leaves out, deadlines per step in working days, urgency levels
with deadlines of their own, and who validates before sending. The case kernel reads it
(app/cases/kernel.py, `Transition.step`), so a new procedure of an existing kind needs
no code.

    [workflow]
    without = ["split"]             # optional steps of the kind this procedure leaves out
    validation = "required"         # alerts: "required", "optional" (the sender's choice), "none"
    deadlines = { accept = 5 }      # working days per step

    [[workflow.urgency]]            # levels the requester may choose, with their deadlines
    key = "urgent"
    label = "Urgent"
    basis = "Directive 2014/67/EU, Article 6(5)"
    deadlines = { reply = 2 }
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Per kind: the steps a pack may leave out, and the steps a deadline may be set for.
OPTIONAL_STEPS: dict[str, tuple[str, ...]] = {
    "request": ("forward", "split", "refer", "propose_date", "ask_info", "further_question"),
    "alert": ("comment", "update"),
    "public": ("ask",),
    "repository": ("archive",),
    "epc": (),
}
DEADLINE_STEPS: dict[str, tuple[str, ...]] = {
    "request": ("accept", "reply"),
    "alert": (),
    "public": ("accept", "reply"),
    "repository": (),
    "epc": (),
}
VALIDATION = ("required", "optional", "none")
MAX_WORKING_DAYS = 120


@dataclass(frozen=True)
class Urgency:
    key: str
    label: str
    basis: str
    deadlines: Mapping[str, int]


@dataclass(frozen=True)
class Workflow:
    without: frozenset[str] = frozenset()
    validation: str = "optional"
    deadlines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    urgency: tuple[Urgency, ...] = ()

    def has(self, step: str) -> bool:
        return step not in self.without

    def working_days(self, step: str, urgency: str = "") -> int | None:
        """The deadline of `step` at the urgency level named (the normal one if none)."""
        level = next((u for u in self.urgency if u.key == urgency), None)
        if level is not None and step in level.deadlines:
            return level.deadlines[step]
        return self.deadlines.get(step)

    @property
    def is_default(self) -> bool:
        return self == Workflow()

    def texts(self) -> list[str]:
        """The English texts a reader sees (for the pack's catalogs)."""
        return [text for u in self.urgency for text in (u.label, u.basis) if text]

    def definition(self) -> dict:
        return {
            "without": sorted(self.without),
            "validation": self.validation,
            "deadlines": dict(self.deadlines),
            "urgency": [
                {"key": u.key, "label": u.label, "basis": u.basis, "deadlines": dict(u.deadlines)}
                for u in self.urgency
            ],
        }


def from_definition(raw: Mapping | None) -> Workflow:
    """The workflow of a stored pack version (absent: the kind's default)."""
    if not raw:
        return Workflow()
    return Workflow(
        without=frozenset(raw.get("without", ())),
        validation=raw.get("validation", "optional"),
        deadlines=MappingProxyType(dict(raw.get("deadlines", {}))),
        urgency=tuple(
            Urgency(
                u["key"], u["label"], u.get("basis", ""), MappingProxyType(dict(u["deadlines"]))
            )
            for u in raw.get("urgency", ())
        ),
    )


def parse(kind: str, raw: object, problems: list[str]) -> Workflow:
    """The `[workflow]` table of a pack of `kind`; each problem is appended to `problems`."""
    if raw is None:
        return Workflow()
    if not isinstance(raw, dict):
        problems.append("workflow must be a table")
        return Workflow()
    unknown = set(raw) - {"without", "validation", "deadlines", "urgency"}
    if unknown:
        problems.append(f"workflow: unknown keys {', '.join(sorted(unknown))}")
    optional = OPTIONAL_STEPS.get(kind, ())
    without = raw.get("without", [])
    if not isinstance(without, list) or any(step not in optional for step in without):
        problems.append(
            f"workflow.without: a {kind} may leave out {', '.join(optional) or 'nothing'}"
        )
        without = []
    validation = raw.get("validation", "optional")
    if validation not in VALIDATION or (kind != "alert" and validation != "optional"):
        problems.append(f"workflow.validation: alerts only, one of {', '.join(VALIDATION)}")
        validation = "optional"
    deadlines = _deadlines(kind, raw.get("deadlines", {}), "workflow.deadlines", problems)
    levels = []
    for level in raw.get("urgency", []):
        key, label = str(level.get("key", "")), str(level.get("label", "")).strip()
        where = f"workflow.urgency {key!r}"
        if not key.isidentifier() or not label:
            problems.append(f"{where}: needs a key (letters, digits, _) and a label")
        steps = _deadlines(kind, level.get("deadlines", {}), where, problems)
        if not steps:
            problems.append(f"{where}: needs deadlines")
        levels.append(Urgency(key, label, str(level.get("basis", "")).strip(), steps))
    if len({u.key for u in levels}) != len(levels):
        problems.append("workflow.urgency: keys repeat")
    return Workflow(frozenset(without), validation, deadlines, tuple(levels))


def _deadlines(kind: str, raw: object, where: str, problems: list[str]) -> Mapping[str, int]:
    steps = DEADLINE_STEPS.get(kind, ())
    if not isinstance(raw, dict):
        problems.append(f"{where}: a table of step = working days")
        return MappingProxyType({})
    good = {}
    for step, days in raw.items():
        if step not in steps:
            problems.append(f"{where}: a {kind} has deadlines for {', '.join(steps) or 'no step'}")
        elif not (isinstance(days, int) and 1 <= days <= MAX_WORKING_DAYS):
            problems.append(f"{where}: {step} must be 1 to {MAX_WORKING_DAYS} working days")
        else:
            good[step] = days
    return MappingProxyType(good)
