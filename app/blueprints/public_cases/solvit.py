"""SOLVIT in the officers' interface: the two centres' steps on a case (submitting it to
the lead centre, the lead centre's acceptance or rejection, their messages to each other,
the hand-over of a structural problem) and the Commission's SOLVIT desk's pages, which
show a hand-over's summary and nothing of the applicant."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField

from app.blueprints.access import current_actor, permission
from app.blueprints.public_cases import bp
from app.cases import public as service
from app.cases.kernel import CaseError
from app.cases.public import solvit
from app.cases.public.kind import desk_query
from app.cases.public.labels import CLOCK_LABELS, OUTCOME_LABELS
from app.cases.public.routing import countries_for
from app.extensions import db
from app.forms import STALE, CaseForm, already, current, max_length
from app.htmx import render
from app.models import PublicCase
from app.records import audit
from app.reference import countries_among

DONE = {
    "submit_to_lead": _l("The case has been submitted to the lead centre."),
    "lead_accept": _l("The case has been accepted."),
    "lead_reject": _l("The case has been sent back to the home centre."),
    "centre_message": _l("Your message has been sent to the other centre."),
    "hand_over": _l("The summary has been handed to the Commission's SOLVIT desk."),
}
REFUSALS = {
    "outcome": _l("Choose an outcome this stage of the case allows."),
    "lead": _l("Choose another country that has a SOLVIT centre."),
    "desk": _l("The Commission has no SOLVIT desk in the directory."),
    "text": _l("Write the text this step needs."),
}


class StepForm(CaseForm):
    """A centre's step that takes no text (the lead centre's acceptance)."""

    text = None  # read as "" by the route


class LeadForm(CaseForm):
    lead_country = SelectField(
        _l("Country where the problem arose"), choices=[], validate_choice=False
    )
    text = TextAreaField(_l("Case summary for the lead centre"), validators=[max_length(10000)])


class ReasonForm(CaseForm):
    text = TextAreaField(_l("Reason for the home centre"), validators=[max_length(10000)])


class CentreForm(CaseForm):
    text = TextAreaField(_l("Message to the other centre"), validators=[max_length(10000)])


class HandOverForm(CaseForm):
    text = TextAreaField(
        _l("Case summary for the Commission's SOLVIT desk"), validators=[max_length(10000)]
    )


# step -> its form and the prefix of its fields (one page holds several of them)
FORMS = {
    "submit_to_lead": (LeadForm, "lead"),
    "lead_accept": (StepForm, "accept"),
    "lead_reject": (ReasonForm, "reject"),
    "centre_message": (CentreForm, "centre"),
    "hand_over": (HandOverForm, "handover"),
}


def form_for(action: str, **kwargs) -> CaseForm:
    cls, prefix = FORMS[action]
    return cls(prefix=prefix, **kwargs)


def lead_countries(case) -> list[tuple[str, str]]:
    """The other countries with a SOLVIT centre, named in the reader's language."""
    codes = set(countries_for(case.procedure_key)) - {case.country}
    return countries_among(codes, str(get_locale() or "en"))


def page_context(case, actions: set[str], posted: tuple[str, CaseForm] | None = None) -> dict:
    """What the case page shows of SOLVIT (nothing for another procedure): the forms of
    the steps the actor may take, `posted` the one that came back with an error."""
    if not solvit.is_solvit(case):
        return {"solvit": False}
    forms = {a: form_for(a, formdata=None) for a in FORMS if a in actions}
    if posted is not None and posted[0] in forms:
        forms[posted[0]] = posted[1]
    if "submit_to_lead" in forms:
        forms["submit_to_lead"].lead_country.choices = [("", _l("Choose")), *lead_countries(case)]
    return {
        "solvit": True,
        "solvit_forms": forms,
        "outcome_labels": OUTCOME_LABELS,
        "clock_labels": CLOCK_LABELS,
        "overdue": solvit.overdue(case),
    }


@bp.post(
    "/<int:case_id>/solvit/"
    "<any(submit_to_lead, lead_accept, lead_reject, centre_message, hand_over):action>"
)
@permission("public_case:act")
def solvit_step(case_id: int, action: str):
    """A SOLVIT centre takes a step on the case."""
    from app.blueprints.public_cases.routes import _case_page, _visible

    item = _visible(case_id)
    form = form_for(action)
    to = url_for("public_cases.case", case_id=item.id)
    valid = form.validate()
    if valid and already(form, to) is not None:
        return redirect(to)
    problems = []
    if valid:
        try:
            with current(item, form):
                service.act(
                    current_actor(),
                    item,
                    action,
                    (form.text.data or "") if form.text else "",
                    lead_country=(form.lead_country.data or "")
                    if action == "submit_to_lead"
                    else "",
                )
        except CaseError as error:
            db.session.rollback()
            if error.code == "stale":
                problems = [str(STALE)]
            else:
                from app.blueprints.public_cases.routes import REFUSALS as CASE_REFUSALS

                words = REFUSALS.get(error.code) or CASE_REFUSALS.get(error.code)
                problems = [str(words or CASE_REFUSALS["state"])]
        else:
            flash(str(DONE[action]), "success")
            return redirect(to)
    service.record_view(current_actor(), item)
    if problems and form.text and action != "lead_accept":
        form.text.errors = [*form.text.errors, *problems]
        problems = []
    return _case_page(item, status=400, problems=problems, posted=(action, form))


@bp.get("/structural-problems")
@permission("public_case:view")
def desk_index():
    """The Commission's SOLVIT desk: the structural problems handed to it."""
    actor = current_actor()
    cases = db.session.scalars(desk_query(actor).limit(100)).all()
    audit.listed(actor, "public_case.list_viewed", "public_case", [c.id for c in cases])
    return render("public_cases/desk.html", cases=cases, outcome_labels=OUTCOME_LABELS)


@bp.get("/structural-problems/<int:case_id>")
@permission("public_case:view")
def desk_case(case_id: int):
    """One hand-over's summary, without the applicant's personal data."""
    actor = current_actor()
    item = db.session.scalars(desk_query(actor).where(PublicCase.id == case_id)).first()
    if item is None:
        audit.denied(actor, "public_case", case_id)
        abort(404)
    service.LIFECYCLE.audit(actor, item, "viewed", handover=True)
    audit.commit_read()
    return render(
        "public_cases/handover.html",
        case=item,
        pack=service.pack_of(item),
        outcome_labels=OUTCOME_LABELS,
    )
