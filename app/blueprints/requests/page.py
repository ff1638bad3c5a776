"""The case page of a request, and what every view of one shares: the loader (the kind's
one visibility rule, 404 otherwise), the refusals in the user's words, and the page
shown again after a refused action."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.blueprints.access import current_actor, permission
from app.blueprints.requests import bp
from app.blueprints.requests.forms import (
    RATING_WORDS,
    AcceptForm,
    AttachForm,
    EmptyForm,
    RatingForm,
    ReplyInfoForm,
    ResolveForm,
)
from app.cases import packforms, pages, registry, requests
from app.cases.requests import ratings
from app.cases.requests.labels import EVENT_LABELS, STATE_LABELS
from app.extensions import db
from app.forms import BUTTONS, STALE, WRITING, Carries, Form, stamp
from app.htmx import render
from app.models import Request, User
from app.models.base import utcnow
from app.procedures import find_question
from app.procedures.store import pinned_pack
from app.records import audit
from app.reference import countries_among
from app.template_gettext import resolved
from app.translation import files as translated_files
from app.translation import shown

REFUSALS = {
    "role": _l("Your role does not allow this action on this request."),
    "state": _l("This action is not possible in the request's current state."),
    "responder": _l("Choose an authority that answers requests of this procedure."),
    "forward_country": _l("Forward only to an authority of your own country."),
    "procedure": _l("Your authority has no access to send requests of this procedure."),
    "questions": _l("Choose at least one question."),
    "subject": _l("Say whom or what the request is about."),
    "details": _l("Fill in every required detail before you send the request."),
    "handler": _l("Choose a handler of your authority."),
    "reason": _l("Give the reason."),
    "text": _l("Write your text."),
    "proposed_date": _l("The proposed date must be later than the current reply date."),
    "split_questions": _l("Choose some of the questions, but not all of them."),
    "answer_type": _l("An answer does not match its question's type."),
    "too_large": _l("The file is too large."),
    "type": _l(
        "This type of file is not accepted: use PDF, an image, an office document or plain text."
    ),
    "storage": _l("The file could not be saved. Please try again later."),
    "empty": _l("The file is empty."),
    "stale": STALE,  # a form of text's; an action's is worded by CARRIES
    "urgency": _l("Choose one of the urgency levels offered."),
    "urgency_reason": _l("Give the reason why the request is urgent."),
    "ground": _l("Choose the ground for refusal."),
}


# What each action's form carries, for the words of a stale refusal (app/forms.py
# Carries), by the action's name. A button says nothing can be kept; a file neither.
TEXT = Carries(texts=("text",))
CARRIES = {
    "send": BUTTONS,
    "decide_date": BUTTONS,  # two buttons: agree or keep the date
    "attach": BUTTONS,  # a file only
    "discard": BUTTONS,
    "accept": Carries(choices=("proposed_due",)),  # a date proposed, or only the button
    "assign": Carries(choices=("handler",)),
    "forward": Carries(texts=("text",), choices=("authority",)),
    "split": Carries(texts=("text",), choices=("questions", "authority")),
    "close": TEXT,  # an optional note: without it, a button
    "ask_info": TEXT,
    "reply_info": TEXT,
    "further_question": TEXT,
    "refer": TEXT,
    "resolve": TEXT,
    "withdraw": TEXT,
    "answer": WRITING,  # the answers, their comments, the text
    "refuse": Carries(texts=("text",), choices=("ground",)),
}


def refusal(code: str, action: str = "", form=None, shown: bool = True) -> str:
    """A refusal's code in the user's words: a stale `action`'s by what its `form`
    carried (`shown`: the page offers the form again, so a choice is kept)."""
    if code == "stale" and action:
        return CARRIES[action].stale(form, shown)
    return str(REFUSALS.get(code, REFUSALS["state"]))


def load(request_id: int, shown: bool = False) -> Request:
    """The request, if the actor may see it (the kind's visibility rule); else 404.
    `shown`: with the rows its page shows (registry.visible)."""
    item = registry.visible(current_actor(), "request", request_id, shown)
    if item is None:
        audit.denied(current_actor(), "request", request_id)
        abort(404)
    return item


# Where a refusal's reason belongs: the field of the refused form it is about.
REFUSAL_FIELDS = {
    "text": "text",
    "reason": "text",
    "handler": "handler",
    "responder": "authority",
    "forward_country": "authority",
    "questions": "questions",
    "split_questions": "questions",
    "proposed_date": "proposed_due",
    "ground": "ground",
}
# Timeline events whose text the responder answers with: shown above the questions.
EXCHANGES = ("info_requested", "info_given", "further_question")


def today() -> date:
    return utcnow().date()


def place(form, error, action: str = "", shown: bool = True) -> list[str]:
    """Put a refusal's reason on the field of `form` it is about (the error summary
    links to it); the reasons about no field, for the summary alone. A stale form's is
    worded by what the `action`'s form carried (`shown`: the page shows it again)."""
    name = REFUSAL_FIELDS.get(error.code)
    message = refusal(error.code, action, form, shown)
    if form is not None and name and name in form:
        form[name].errors = [*form[name].errors, message]
        return []
    return [message]


def split_countries(item: Request) -> tuple[tuple[str, str], ...]:
    """(code, name) of the countries, by name, where an authority other than the
    request's two parties answers its procedure: some of its questions may be moved
    there. The officer chooses one, then an authority of it (a procedure may have
    thousands of them, in every country)."""
    there = requests.responder_countries(item.procedure_key, requests.parties(item))
    return countries_among(there, str(get_locale()))


def chosen_country(countries: tuple[tuple[str, str], ...]) -> str:
    """The country asked for (?country=, or the split form's own), if one of `countries`."""
    country = request.values.get("country", "")
    return country if country in dict(countries) else ""


def fill_choices(item: Request, form, actor, country: str = "") -> None:
    """The options of a form's selects and boxes, each select starting on "Choose". A
    split offers the authorities of `country` (none without one)."""
    language = str(get_locale())
    choose = [("", _("Choose"))]
    if "authority" in form:
        # IMI forwards within the responder's Member State; a split may go anywhere, one
        # country at a time.
        if "questions" not in form:
            candidates = requests.forward_targets(item)
        else:
            candidates = requests.others_in(item, country) if country else []
        form.authority.choices = choose + [(a.id, a.choice_label(language)) for a in candidates]
    if "questions" in form:
        pack = pinned_pack(item.procedure_key, item.pack_version)
        form.questions.choices = [
            (q.id, _question_text(pack, q.question_key)) for q in item.questions
        ]
    if "ground" in form:
        pack = pinned_pack(item.procedure_key, item.pack_version)
        form.ground.choices = [
            (o.key, pack.gettext(o.label, language)) for o in pack.refusal_grounds
        ]
    if "handler" in form:
        form.handler.choices = choose + [
            (u.id, u.full_name)
            for u in requests.handlers_of(actor.authority.id, item.procedure_key)
        ]


def offered(item: Request, allowed: set[str]) -> set[str]:
    """The allowed actions the case page offers: forwarding needs an authority of the
    responder's country to go to; splitting another authority and two questions."""
    shown = set(allowed)
    countries = set()
    if allowed & {"forward", "split"}:
        countries = requests.responder_countries(item.procedure_key, requests.parties(item))
    if item.responder_country not in countries:
        shown.discard("forward")
    if not countries or len(item.questions) < 2:
        shown.discard("split")
    return shown


# The case page's forms of one action each, empty, by the action.
EMPTY_FORMS = {
    "accept": lambda: AcceptForm(formdata=None),
    "reply_info": lambda: ReplyInfoForm(formdata=None, prefix="reply_info"),
    "resolve": lambda: ResolveForm(formdata=None, prefix="resolve"),
    "attach": lambda: AttachForm(formdata=None),
    "rate": lambda: RatingForm(formdata=None, prefix="rate"),
}


def case_page(item: Request, status: int = 200, problems=(), loaded: bool = False, **forms):
    """The case page; `forms` replace the empty ones (a refused form keeps its text and
    its errors, `problems` the reasons about no field: both in the error summary).
    `loaded`: the case was read with the rows its page shows, and nothing changed since
    (load(..., shown=True))."""
    actor = current_actor()
    comments = forms.pop("comments", {})
    answer_text = forms.pop("answer_text", "")
    kept = forms.pop("kept", [])
    # Everything the page shows is read first, then the read is recorded and committed,
    # and the page rendered: one transaction, one connection from the pool.
    if not loaded:
        pages.load(item)
    pack = pinned_pack(item.procedure_key, item.pack_version)
    allowed = requests.allowed_actions(actor, item)
    answers = forms.pop("packform", None)
    if answers is None and "answer" in allowed:
        answers = packforms.answers_form(pack, item.questions)
    failed = next((f for f in forms.values() if f.errors), None)
    # the empty forms of the actions allowed (the page shows no other)
    defaults = {"buttons": EmptyForm(formdata=None)}
    defaults.update((name, make()) for name, make in EMPTY_FORMS.items() if name in allowed)
    defaults.update(forms)
    stamp(item, [*defaults.values(), answers])
    handler = db.session.get(User, item.handler_id) if item.handler_id else None
    texts, steps = shown.of_case(item), offered(item, allowed)
    side = requests.side_of(actor, item)
    files = item.attachments if side else []
    translated = translated_files.shown(actor, "request", item, files)
    # Every rendering shows the case's personal data, a refused action's too.
    requests.record_view(actor, item)
    language = str(get_locale())
    level = pack.workflow.level(item.urgency)
    ground = next((o for o in pack.refusal_grounds if o.key == item.refusal_ground), None)
    return render(
        "requests/case.html",
        status=status,
        item=item,
        pack=pack,
        urgency=bool(item.urgency),
        urgency_label=pack.gettext(level.label, language) if level else item.urgency,
        refusal_ground=pack.gettext(ground.label, language) if ground else item.refusal_ground,
        allowed=steps,
        forms=defaults,
        failed=failed,
        problems=problems,
        side=side,
        translated=translated,
        counterpart=requests.counterpart(actor, item),
        state_labels=resolved(STATE_LABELS),
        event_labels=EVENT_LABELS,
        exchanges=[e for e in item.events if e.kind in EXCHANGES],
        exchange_kinds=EXCHANGES,
        handler=handler,
        today=today(),
        find_question=find_question,
        packform=answers if "answer" in allowed else None,
        comments=comments,
        answer_text=answer_text,
        kept=kept,
        max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"],
        actor=actor,
        texts=texts,
        ratings=ratings.shown_to(actor, item),
        rating_words=RATING_WORDS,
    )


def _question_text(pack, key: str) -> str:
    found = find_question(pack, key)
    return pack.gettext(found[1].text, str(get_locale())) if found else key


def refused(item: Request, error, action: str, **forms):
    """Show the case again with the reason of the refused `action`, in the error summary
    (on the refused form's field it is about); text the user wrote in a form this page
    no longer offers (the state changed meanwhile) is shown back so nothing is lost, a
    choice is not (the stale refusal says so)."""
    db.session.rollback()
    db.session.refresh(item)
    form = next((f for f in forms.values() if isinstance(f, Form)), None)
    shown = error.code != "stale" or action in requests.allowed_actions(current_actor(), item)
    problems = place(form, error, action, shown)
    kept = [
        value.strip()
        for name, value in request.form.items()
        if (name.endswith("text") or name.startswith("comment-")) and value.strip()
    ]
    return case_page(item, status=400, problems=problems, kept=kept, **forms)


def done(item: Request, message: str, to: str | None = None):
    flash(message)
    return redirect(to or url_for("requests.case", request_id=item.id))


@bp.get("/<int:request_id>")
@permission("request:view")
def case(request_id: int):
    """A request: its state and dates, questions and answers, timeline and files."""
    return case_page(load(request_id, shown=True), loaded=True)
