"""Procedure packs: procedures are data.

Each procedure is a folder `<policy_area>/<key>/` holding `procedure.toml` (English
source texts) and `translations/<lang>/LC_MESSAGES/procedures.po` (gettext domain
`procedures`, one catalog per language, so translators use one tool for the interface
and the content). Adding a procedure is adding a folder. Packs are validated when the
app starts (a malformed pack stops it) and by `flask procedures check`, which also
reports translation gaps.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from app.procedures import epc as epc_settings
from app.procedures import notification, workflow
from app.procedures.catalogs import read_translations
from app.procedures.notification import NotificationRules
from app.procedures.workflow import Workflow
from app.reference import LANGUAGES

BUILTIN_DIR = Path(__file__).resolve().parent
KINDS = ("request", "alert", "repository", "public", "notification", "epc")
TYPES = ("yes_no", "choice", "date", "number", "text", "file")
RETENTION = ("standard", "extended")
# A draft pack is checked and previewed but never offered to officers (`registry` leaves
# it out); an author turns it on with `status = "active"` once every language is there.
STATUSES = ("active", "draft")
# Each policy area's term base: the legal terms of its acts per language, which the
# area's packs must use (`flask procedures check`, app/glossary.py).
TERM_BASE = "terms.toml"
ROLES = (
    "requester",
    "responder",
    "alert_sender",
    "alert_receiver",
    "repository_editor",
    "repository_reader",
    # Notifications: who notifies, who receives them in a Member State, the Commission
    # desk that assesses them, and the coordinator that validates before sending.
    "notifier",
    "notification_receiver",
    "notification_assessor",
    "notification_coordinator",
)
KEY = re.compile(r"^[a-z][a-z0-9_]{1,79}$")
OPTION_KEY = re.compile(r"^[a-z0-9][a-z0-9_]{0,79}$")


class PackError(Exception):
    """A pack that cannot be loaded; `problems` says every reason."""

    def __init__(self, path: Path, problems: list[str]):
        super().__init__(f"{path}: " + "; ".join(problems))
        self.path = path
        self.problems = problems


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    text: str
    help: str = ""
    personal_data: bool = False
    required: bool = True
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class QuestionSet:
    key: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Pack:
    key: str
    version: int
    kind: str
    policy_area: str
    name: str
    description: str
    legal_basis: str
    reply_deadline_working_days: int | None
    retention: str
    roles: tuple[str, ...]
    question_sets: tuple[QuestionSet, ...]
    path: Path
    # Typed fields the requester fills in (what the request is about), like questions.
    request_fields: tuple[Question, ...] = ()
    # Typed fields of an alert, a repository record or a public submission.
    fields: tuple[Question, ...] = ()
    # Alerts: to be broadcast within this many calendar days of the date in
    # `deadline_field` (e.g. Directive 2005/36/EC art. 56a: 3 days of the decision).
    send_within_days: int | None = None
    deadline_field: str = ""
    # The procedure's variant of its kind's workflow (app/procedures/workflow.py).
    workflow: Workflow = field(default_factory=Workflow)
    # The pack's term base: English terms (short noun phrases of its legal act) whose
    # official wording per language is in its catalogs, like every other text. Machine
    # translation of the pack's free text uses them (app/translation/terms.py).
    terms: tuple[str, ...] = ()
    # Requests: the grounds on which the responding authority may refuse to execute one
    # (e.g. Directive 2014/67/EU Article 17); none: the procedure has no refusal.
    refusal_grounds: tuple[Option, ...] = ()
    # Notifications: the rules of the procedure (app/procedures/notification.py).
    notification: NotificationRules | None = None
    # A European Professional Card pack's periods (app/procedures/epc.py).
    epc: epc_settings.EpcSettings = field(default_factory=epc_settings.EpcSettings)
    # "draft": checked and previewed, never offered to officers (see STATUSES).
    status: str = "active"
    translations: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def source_strings(self) -> list[str]:
        """Every English text a reader sees, in order, once each."""
        texts = [self.name, self.description, self.legal_basis]
        for question in (*self.request_fields, *self.fields):
            texts += [question.text, question.help, *(o.label for o in question.options)]
        for question_set in self.question_sets:
            texts.append(question_set.title)
            for question in question_set.questions:
                texts += [question.text, question.help, *(o.label for o in question.options)]
        texts += self.workflow.texts()
        texts += [o.label for o in self.refusal_grounds]
        if self.notification is not None:
            texts += self.notification.texts()
        texts += self.epc.texts()
        texts += self.terms
        return list(dict.fromkeys(t for t in texts if t))

    def working_days(self, step: str, urgency: str = "") -> int | None:
        """The deadline of a step in working days, at an urgency level (or normal)."""
        days = self.workflow.working_days(step, urgency)
        if days is None and step == "reply":
            return self.reply_deadline_working_days
        return days

    def gettext(self, text: str, language: str) -> str:
        """The text in `language`, or the English source where no translation exists."""
        return self.translations.get(language, {}).get(text) or text

    def missing_translations(self) -> dict[str, list[str]]:
        sources = self.source_strings()
        gaps = {}
        for language in LANGUAGES:
            if language == "en":
                continue
            catalog = self.translations.get(language, {})
            missing = [text for text in sources if not catalog.get(text)]
            if missing:
                gaps[language] = missing
        return gaps


def _options(raw, where: str, problems: list[str]) -> tuple[Option, ...]:
    options = []
    for item in raw or []:
        if not isinstance(item, dict) or not OPTION_KEY.match(str(item.get("key", ""))):
            problems.append(f"{where}: every option needs a key like 'art11_a'")
        elif not str(item.get("label", "")).strip():
            problems.append(f"{where}: option {item['key']!r} has no label")
        else:
            options.append(Option(item["key"], item["label"].strip()))
    if len({o.key for o in options}) != len(options):
        problems.append(f"{where}: option keys repeat")
    return tuple(options)


def _question(raw: dict, where: str, problems: list[str]) -> Question | None:
    key, kind, text = raw.get("key", ""), raw.get("type"), str(raw.get("text", "")).strip()
    where = f"{where}.{key or '?'}"
    if not KEY.match(str(key)):
        problems.append(f"{where}: key must match {KEY.pattern}")
    if kind not in TYPES:
        problems.append(f"{where}: type must be one of {', '.join(TYPES)}")
    if not text:
        problems.append(f"{where}: no text")
    options = _options(raw.get("options"), where, problems)
    if kind == "choice" and len(options) < 2:
        problems.append(f"{where}: a choice needs at least two options")
    if kind != "choice" and raw.get("options"):
        problems.append(f"{where}: only a choice has options")
    for flag in ("personal_data", "required"):
        if flag in raw and not isinstance(raw[flag], bool):
            problems.append(f"{where}: {flag} must be true or false")
    return Question(
        key=str(key),
        type=str(kind),
        text=text,
        help=str(raw.get("help", "")).strip(),
        personal_data=bool(raw.get("personal_data", False)),
        required=bool(raw.get("required", True)),
        options=options,
    )


def load_pack(folder: Path) -> Pack:
    """Read and validate one pack folder; raise PackError listing every problem."""
    path = folder / "procedure.toml"
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PackError(path, [str(error)]) from None
    problems: list[str] = []
    key = raw.get("key", "")
    if key != folder.name or not KEY.match(str(key)):
        problems.append(f"key must equal the folder name {folder.name!r} and match {KEY.pattern}")
    if raw.get("policy_area") != folder.parent.name:
        problems.append(f"policy_area must equal the parent folder name {folder.parent.name!r}")
    if not isinstance(raw.get("version"), int) or raw["version"] < 1:
        problems.append("version must be a positive integer")
    if raw.get("kind") not in KINDS:
        problems.append(f"kind must be one of {', '.join(KINDS)}")
    for name in ("name", "legal_basis"):
        if not str(raw.get(name, "")).strip():
            problems.append(f"{name} is missing")
    deadline = raw.get("reply_deadline_working_days")
    if raw.get("kind") == "request" and not (isinstance(deadline, int) and 1 <= deadline <= 120):
        problems.append("a request needs reply_deadline_working_days between 1 and 120")
    if raw.get("status", "active") not in STATUSES:
        problems.append(f"status must be one of {', '.join(STATUSES)}")
    if raw.get("retention", "standard") not in RETENTION:
        problems.append(f"retention must be one of {', '.join(RETENTION)}")
    roles = raw.get("roles", [])
    if not roles or any(role not in ROLES for role in roles):
        problems.append(f"roles must be some of {', '.join(ROLES)}")
    sets = []
    for raw_set in raw.get("question_sets", []):
        set_key = raw_set.get("key", "")
        if not KEY.match(str(set_key)):
            problems.append(f"question set {set_key!r}: key must match {KEY.pattern}")
        if not str(raw_set.get("title", "")).strip():
            problems.append(f"question set {set_key!r}: no title")
        questions = [_question(q, str(set_key), problems) for q in raw_set.get("questions", [])]
        if not questions:
            problems.append(f"question set {set_key!r}: no question")
        sets.append(
            QuestionSet(str(set_key), str(raw_set.get("title", "")).strip(), tuple(questions))
        )
    if raw.get("kind") == "request" and not sets:
        problems.append("a request needs at least one question set")
    fields = [_question(f, "request_fields", problems) for f in raw.get("request_fields", [])]
    if any(f is not None and f.type == "file" for f in fields):
        problems.append("request_fields: a file is attached to the request, not typed in")
    if len({f.key for f in fields if f}) != len(fields):
        problems.append("request_fields: keys repeat")
    typed = [_question(f, "fields", problems) for f in raw.get("fields", [])]
    if typed and raw.get("kind") == "request":
        problems.append("fields: a request declares request_fields")
    if raw.get("kind") in ("alert", "repository", "public", "notification", "epc") and not typed:
        problems.append(f"an {raw.get('kind')} pack needs fields")
    if len({f.key for f in typed if f}) != len(typed):
        problems.append("fields: keys repeat")
    send_within = raw.get("send_within_days")
    deadline_field = str(raw.get("deadline_field", ""))
    if send_within is not None or deadline_field:
        dated = {f.key for f in typed if f and f.type == "date"}
        if raw.get("kind") != "alert":
            problems.append("send_within_days is for alerts")
        elif not (isinstance(send_within, int) and 1 <= send_within <= 60):
            problems.append("send_within_days must be between 1 and 60")
        elif deadline_field not in dated:
            problems.append("deadline_field must name a date field of the pack")
    flow = workflow.parse(str(raw.get("kind")), raw.get("workflow"), problems)
    keys = {f.key for f in typed if f is not None}
    rules = notification.parse(str(raw.get("kind")), raw.get("notification"), keys, problems)
    epc = epc_settings.EpcSettings()
    if raw.get("kind") == "epc":
        epc = epc_settings.parse(raw.get("epc"), problems)
    elif "epc" in raw:
        problems.append("[epc] is for epc packs")
    question_keys = [q.key for s in sets for q in s.questions]
    if len(set(question_keys)) != len(question_keys):
        problems.append("question keys repeat within the pack")
    if len({s.key for s in sets}) != len(sets):
        problems.append("question set keys repeat")
    grounds = _options(raw.get("refusal_grounds"), "refusal_grounds", problems)
    if grounds and raw.get("kind") != "request":
        problems.append("refusal_grounds: a request's responder refuses on them")
    terms = raw.get("terms", [])
    if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
        problems.append("terms must be a list of English terms")
        terms = []
    if problems:
        raise PackError(path, problems)
    pack = Pack(
        key=key,
        version=raw["version"],
        kind=raw["kind"],
        policy_area=raw["policy_area"],
        name=raw["name"].strip(),
        description=str(raw.get("description", "")).strip(),
        legal_basis=raw["legal_basis"].strip(),
        reply_deadline_working_days=deadline,
        retention=raw.get("retention", "standard"),
        roles=tuple(roles),
        question_sets=tuple(sets),
        path=folder,
        request_fields=tuple(f for f in fields if f is not None),
        fields=tuple(f for f in typed if f is not None),
        send_within_days=send_within,
        deadline_field=deadline_field,
        workflow=flow,
        terms=tuple(dict.fromkeys(t.strip() for t in terms)),
        refusal_grounds=grounds,
        notification=rules,
        epc=epc,
        status=raw.get("status", "active"),
    )
    pack.translations.update(read_translations(folder))
    return pack


def pack_folders(directories: list[Path]) -> list[Path]:
    return sorted(
        path.parent for directory in directories for path in directory.glob("*/*/procedure.toml")
    )


def load_packs(directories: list[Path]) -> dict[str, Pack]:
    """Every pack of the directories by key; raise PackError at the first bad one."""
    packs: dict[str, Pack] = {}
    for folder in pack_folders(directories):
        pack = load_pack(folder)
        if pack.key in packs:
            raise PackError(folder, [f"key {pack.key!r} is used by {packs[pack.key].path} too"])
        packs[pack.key] = pack
    return packs


def registry(app) -> dict[str, Pack]:
    """The packs the app offers to officers: those it loaded at start-up but the drafts
    (see `all_packs`)."""
    return app.extensions["procedures"]


def all_packs(app) -> dict[str, Pack]:
    """Every pack the app loaded, drafts included (for the preview page only)."""
    return app.extensions["procedure_packs"]


def install(app) -> None:
    """Load the app's packs: the drafts are kept apart, in `all_packs` only, so that no
    page, grant or case ever offers one (the one place drafts are filtered)."""
    packs = load_packs([Path(d) for d in app.config["PROCEDURE_DIRS"]])
    app.extensions["procedure_packs"] = packs
    app.extensions["procedures"] = {k: p for k, p in packs.items() if not p.is_draft}


def area_folders(directories: list[Path]) -> list[Path]:
    """The policy-area folders holding at least one pack."""
    return sorted({folder.parent for folder in pack_folders(directories)})


def procedure_name(app, key: str, fallback: str, language: str) -> str:
    """A procedure's name in the reader's language (the pack's catalogs)."""
    pack = registry(app).get(key)
    return pack.gettext(pack.name, language) if pack else fallback


def find_field(pack: Pack, key: str) -> Question | None:
    return next((f for f in (*pack.request_fields, *pack.fields) if f.key == key), None)


def find_question(pack: Pack, key: str) -> tuple[QuestionSet, Question] | None:
    for question_set in pack.question_sets:
        for question in question_set.questions:
            if question.key == key:
                return question_set, question
    return None
