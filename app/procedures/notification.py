"""A notification procedure's rules, declared in its pack (`[notification]`): to whom it
goes besides the Commission, whether the Member State of establishment is asked to act
first, its urgent procedure, who validates before sending, the deadlines the act sets
(with the article behind each) and the repository an accepted notification writes to.

    [notification]
    recipients = "establishment"   # the Member State of establishment; "all": every other one
    ask_first = true               # ask the Member State of establishment to act first
    urgent_basis = "Directive 2000/31/EC, Article 3(5)"   # the urgent procedure ("" none)
    validation = "required"        # "required", "optional" (the notifier's choice), "none"
    assessment_basis = "Directive 2000/31/EC, Article 3(6)"
    assessment_note = "The Commission examines ... in the shortest possible time."
    assessment_months = 3          # the Commission's period; absent: no fixed period
    standstill_working_days = 15   # measures not before this many working days ...
    standstill_basis = "Directive 2006/123/EC, Article 35(4)"
    repository = "epc_requirements"  # an accepted notification writes a record there
    repository_match = ["profession"] # ... or updates the notifier's record with these equal
"""

from __future__ import annotations

from dataclasses import dataclass

RECIPIENTS = ("establishment", "all")
VALIDATION = ("required", "optional", "none")
KEYS = {
    "recipients",
    "ask_first",
    "urgent_basis",
    "validation",
    "assessment_basis",
    "assessment_note",
    "assessment_months",
    "standstill_working_days",
    "standstill_basis",
    "repository",
    "repository_match",
}


@dataclass(frozen=True)
class NotificationRules:
    recipients: str = "all"
    ask_first: bool = False
    urgent_basis: str = ""
    validation: str = "none"
    assessment_basis: str = ""
    # What the act says of the assessment where it sets no period ("in the shortest
    # possible time"), shown as it is rather than an invented deadline.
    assessment_note: str = ""
    assessment_months: int | None = None
    standstill_working_days: int | None = None
    standstill_basis: str = ""
    repository: str = ""
    repository_match: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        """The English texts a reader sees (legal citations, for the pack's catalogs)."""
        found = (
            self.urgent_basis,
            self.assessment_basis,
            self.assessment_note,
            self.standstill_basis,
        )
        return [text for text in found if text]

    def definition(self) -> dict:
        return {
            "recipients": self.recipients,
            "ask_first": self.ask_first,
            "urgent_basis": self.urgent_basis,
            "validation": self.validation,
            "assessment_basis": self.assessment_basis,
            "assessment_note": self.assessment_note,
            "assessment_months": self.assessment_months,
            "standstill_working_days": self.standstill_working_days,
            "standstill_basis": self.standstill_basis,
            "repository": self.repository,
            "repository_match": list(self.repository_match),
        }


def from_definition(raw: dict | None) -> NotificationRules | None:
    if not raw:
        return None
    known = {k: v for k, v in raw.items() if k in KEYS}
    return NotificationRules(
        **{**known, "repository_match": tuple(raw.get("repository_match", ()))}
    )


def parse(kind: str, raw: object, field_keys: set[str], problems: list[str]):
    """The `[notification]` table of a pack of `kind` (required for a notification pack,
    refused for any other); each problem is appended to `problems`."""
    if kind != "notification":
        if raw is not None:
            problems.append("[notification] is for notification packs")
        return None
    if not isinstance(raw, dict):
        problems.append("a notification pack needs a [notification] table")
        return None
    unknown = set(raw) - KEYS
    if unknown:
        problems.append(f"notification: unknown keys {', '.join(sorted(unknown))}")
    if raw.get("recipients", "all") not in RECIPIENTS:
        problems.append(f"notification.recipients: one of {', '.join(RECIPIENTS)}")
    if raw.get("validation", "none") not in VALIDATION:
        problems.append(f"notification.validation: one of {', '.join(VALIDATION)}")
    if raw.get("ask_first") and raw.get("recipients") != "establishment":
        problems.append("notification.ask_first needs recipients = 'establishment'")
    if not str(raw.get("assessment_basis", "")).strip():
        problems.append("notification.assessment_basis: the article of the Commission's assessment")
    months = raw.get("assessment_months")
    if months is not None and not (isinstance(months, int) and 1 <= months <= 12):
        problems.append("notification.assessment_months: 1 to 12")
    days = raw.get("standstill_working_days")
    if days is not None and not (isinstance(days, int) and 1 <= days <= 120):
        problems.append("notification.standstill_working_days: 1 to 120")
    if days is not None and not str(raw.get("standstill_basis", "")).strip():
        problems.append("notification.standstill_basis: the article of the standstill")
    match = raw.get("repository_match", [])
    if not isinstance(match, list) or any(key not in field_keys for key in match):
        problems.append("notification.repository_match: field keys of the pack")
        match = []
    if match and not raw.get("repository"):
        problems.append("notification.repository_match needs a repository")
    return NotificationRules(
        recipients=str(raw.get("recipients", "all")),
        ask_first=bool(raw.get("ask_first", False)),
        urgent_basis=str(raw.get("urgent_basis", "")).strip(),
        validation=str(raw.get("validation", "none")),
        assessment_basis=str(raw.get("assessment_basis", "")).strip(),
        assessment_note=str(raw.get("assessment_note", "")).strip(),
        assessment_months=months,
        standstill_working_days=days,
        standstill_basis=str(raw.get("standstill_basis", "")).strip(),
        repository=str(raw.get("repository", "")),
        repository_match=tuple(match),
    )
