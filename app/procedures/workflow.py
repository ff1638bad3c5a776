"""A procedure's variant of its kind's workflow, declared in its pack (`[workflow]`):
the optional steps it leaves out, deadlines per step in working days, urgency levels
with deadlines of their own, and who validates before sending. The case kernel reads it
(app/cases/kernel.py, `Transition.step`), so a new procedure of an existing kind needs
no code.

    [workflow]
    without = ["split"]             # optional steps of the kind this procedure leaves out
    validation = "required"         # alerts: "required", "optional" (the sender's choice), "none"
    deadlines = { accept = 5 }      # working days per step
    basis = "Directive 2014/67/EU, Article 6(6)(b)"   # the article behind those deadlines

    [[workflow.urgency]]            # levels the requester may choose, with their deadlines
    key = "urgent"
    label = "Urgent"
    basis = "Directive 2014/67/EU, Article 6(6)(a)"
    deadlines = { reply = 2 }
    reason = true                   # the requester must say why (shown to the responder)
    reason_hint = "Say why ..."     # optional: what the reason should say
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
    # The requester must give a reason to choose this level (`reason_hint` says what).
    reason: bool = False
    reason_hint: str = ""


@dataclass(frozen=True)
class Workflow:
    without: frozenset[str] = frozenset()
    validation: str = "optional"
    deadlines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    urgency: tuple[Urgency, ...] = ()
    # The legal article behind the normal deadlines (each level has its own `basis`).
    basis: str = ""

    def has(self, step: str) -> bool:
        return step not in self.without

    def working_days(self, step: str, urgency: str = "") -> int | None:
        """The deadline of `step` at the urgency level named (the normal one if none)."""
        level = next((u for u in self.urgency if u.key == urgency), None)
        if level is not None and step in level.deadlines:
            return level.deadlines[step]
        return self.deadlines.get(step)

    def level(self, key: str) -> Urgency | None:
        """The urgency level `key` ("" or an unknown key: None, the normal one)."""
        return next((u for u in self.urgency if u.key == key), None) if key else None

    def basis_of(self, urgency: str = "") -> str:
        """The article behind the deadlines at an urgency level (or the normal ones)."""
        level = self.level(urgency)
        return level.basis if level is not None and level.basis else self.basis

    @property
    def is_default(self) -> bool:
        return self == Workflow()

    def texts(self) -> list[str]:
        """The English texts a reader sees (for the pack's catalogs)."""
        texts = [self.basis]
        texts += [t for u in self.urgency for t in (u.label, u.basis, u.reason_hint)]
        return [text for text in texts if text]

    def definition(self) -> dict:
        return {
            "without": sorted(self.without),
            "validation": self.validation,
            "deadlines": dict(self.deadlines),
            "basis": self.basis,
            "urgency": [
                {
                    "key": u.key,
                    "label": u.label,
                    "basis": u.basis,
                    "deadlines": dict(u.deadlines),
                    "reason": u.reason,
                    "reason_hint": u.reason_hint,
                }
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
                u["key"],
                u["label"],
                u.get("basis", ""),
                MappingProxyType(dict(u["deadlines"])),
                bool(u.get("reason", False)),
                u.get("reason_hint", ""),
            )
            for u in raw.get("urgency", ())
        ),
        basis=raw.get("basis", ""),
    )


def parse(kind: str, raw: object, problems: list[str]) -> Workflow:
    """The `[workflow]` table of a pack of `kind`; each problem is appended to `problems`."""
    if raw is None:
        return Workflow()
    if not isinstance(raw, dict):
        problems.append("workflow must be a table")
        return Workflow()
    unknown = set(raw) - {"without", "validation", "deadlines", "urgency", "basis"}
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
        if not str(level.get("basis", "")).strip():
            problems.append(f"{where}: needs the basis (the legal article of its deadlines)")
        reason = level.get("reason", False)
        if not isinstance(reason, bool):
            problems.append(f"{where}: reason must be true or false")
        hint = str(level.get("reason_hint", "")).strip()
        if hint and not reason:
            problems.append(f"{where}: a reason_hint needs reason = true")
        unknown = set(level) - {"key", "label", "basis", "deadlines", "reason", "reason_hint"}
        if unknown:
            problems.append(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        levels.append(
            Urgency(key, label, str(level.get("basis", "")).strip(), steps, reason is True, hint)
        )
    if len({u.key for u in levels}) != len(levels):
        problems.append("workflow.urgency: keys repeat")
    basis = str(raw.get("basis", "")).strip()
    if levels and not basis:
        problems.append(
            "workflow.basis: a pack with urgency levels names the article of its normal deadlines"
        )
    return Workflow(frozenset(without), validation, deadlines, tuple(levels), basis)


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
