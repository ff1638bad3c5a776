"""EPC applications in the officers' interface: the list of the acting authority's
applications (as home or host), the case page with its periods explained, and the
actions, each through the kernel. Any other officer gets a 404."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from app.blueprints.access import current_actor, permission
from app.blueprints.epc import bp
from app.blueprints.files import send_stored
from app.cases import attachments, pages, registry
from app.cases.epc import applications, periods
from app.cases.epc.labels import EVENT_LABELS, PURPOSE_LABELS, STATE_LABELS
from app.cases.epc.lifecycle import CARD_ACTIONS, HOME_ACTIONS, HOST_ACTIONS, LIFECYCLE
from app.cases.kernel import CaseError
from app.extensions import db
from app.forms import CaseForm, already, current, max_length, stamp
from app.htmx import render
from app.models import EpcApplication
from app.records import audit
from app.template_gettext import resolved

PAGE = 50

REFUSALS = {
    "role": _l("Your role does not allow this action on this case."),
    "state": _l("This action is not possible in the case's current state."),
    "text": _l("Give the reason."),
    "alert": _l("No alert on a professional with this reference is visible to your authority."),
    "stale": _l("Someone else changed this application meanwhile. Check it and try again."),
}
DONE = {
    "acknowledge": _l("Receipt acknowledged. The applicant has been told."),
    "issue_home": _l("The card has been issued."),
    "transfer": _l("The application has been transferred to the host authority."),
    "refuse_home": _l("The application has been refused."),
    "issue": _l("The card has been issued."),
    "refuse": _l("The application has been refused."),
    "extend": _l("Your period has been extended by two weeks."),
    "revoke": _l("The card has been revoked."),
    "link_alert": _l("The alert has been linked to the card."),
}


class ActionForm(CaseForm):
    text = TextAreaField(_l("Reason or note"), validators=[max_length(4000)])


class AlertForm(CaseForm):
    reference = StringField(_l("Reference of the alert"), validators=[max_length(40)])


def _visible(case_id: int) -> EpcApplication:
    case = registry.visible(current_actor(), "epc_application", case_id, shown=True)
    if case is None:
        audit.denied(current_actor(), "epc_application", case_id)
        abort(404)
    return case


@bp.get("")
@permission("epc:view")
def index():
    """The applications the acting authority is home or host of, newest activity first."""
    actor = current_actor()
    visible = registry.kind("epc_application").visible_query(actor)
    cases = db.session.scalars(
        visible.order_by(EpcApplication.updated_at.desc(), EpcApplication.id.desc()).limit(PAGE)
    ).all()
    audit.listed(actor, "epc_application.list_viewed", "epc_application", [c.id for c in cases])
    return render(
        "epc/inbox.html", cases=cases, state_labels=resolved(STATE_LABELS), purposes=PURPOSE_LABELS
    )


def _case_page(case: EpcApplication, form=None, alert_form=None, status: int = 200):
    pages.load(case)
    actor = current_actor()
    form = form or ActionForm(formdata=None)
    alert_form = alert_form or AlertForm(formdata=None)
    stamp(case, [form, alert_form])
    return render(
        "epc/case.html",
        status=status,
        case=case,
        pack=applications.pack(),
        form=form,
        alert_form=alert_form,
        actions=LIFECYCLE.allowed(actor, case),
        sides=LIFECYCLE.sides(actor, case),
        home_actions=HOME_ACTIONS,
        host_actions=HOST_ACTIONS,
        card_actions=CARD_ACTIONS,
        running=periods.current(case),
        state_labels=STATE_LABELS,
        event_labels=EVENT_LABELS,
        purposes=PURPOSE_LABELS,
        code=applications.shown_code(case),
        valid=applications.is_valid(case),
        alert=_linked_alert(case),
    )


def _linked_alert(case: EpcApplication):
    if case.alert_id is None:
        return None
    return registry.visible(current_actor(), "alert", case.alert_id)


@bp.get("/<int:case_id>")
@permission("epc:view")
def case(case_id: int):
    item = _visible(case_id)
    LIFECYCLE.audit(current_actor(), item, "viewed")
    audit.commit_read()
    return _case_page(item)


ACTIONS = "acknowledge, issue_home, transfer, refuse_home, issue, refuse, extend, revoke"


@bp.post(f"/<int:case_id>/<any({ACTIONS}):action>")
@permission("epc:act")
def act(case_id: int, action: str):
    item = _visible(case_id)
    form = ActionForm()
    to = url_for("epc.case", case_id=item.id)
    if form.validate():
        if already(form, to) is not None:
            return redirect(to)
        try:
            with current(item, form):
                applications.act(current_actor(), item, action, form.text.data or "")
        except CaseError as error:
            db.session.rollback()
            form.text.errors = [str(REFUSALS.get(error.code, REFUSALS["state"]))]
        else:
            flash(str(DONE[action]), "success")
            return redirect(to)
    return _case_page(_visible(case_id), form=form, status=400)


@bp.post("/<int:case_id>/link-alert")
@permission("epc:act")
def link_alert(case_id: int):
    item = _visible(case_id)
    form = AlertForm()
    to = url_for("epc.case", case_id=item.id)
    if form.validate():
        if already(form, to) is not None:
            return redirect(to)
        try:
            with current(item, form):
                applications.link_alert(current_actor(), item, form.reference.data or "")
        except CaseError as error:
            db.session.rollback()
            form.reference.errors = [str(REFUSALS.get(error.code, REFUSALS["state"]))]
        else:
            flash(str(DONE["link_alert"]), "success")
            return redirect(to)
    return _case_page(_visible(case_id), alert_form=form, status=400)


@bp.get("/<int:case_id>/documents/<int:document_id>")
@permission("epc:view")
def document(case_id: int, document_id: int):
    item = _visible(case_id)
    found = next((d for d in item.documents if d.id == document_id), None)
    if found is None:
        audit.denied(current_actor(), "epc_application", item.id, document=document_id)
        abort(404)
    LIFECYCLE.audit(current_actor(), item, "document_downloaded", document=found.id)
    db.session.commit()
    return send_stored(attachments.download(found))
