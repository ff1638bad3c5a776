"""Repositories: the list, search, new record, record page with history, edit, archive.

Every route loads the repository or record through the service's scoped loaders: what
the acting authority may not read is a 404, never a hint that it exists.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from app.blueprints import pack_forms
from app.blueprints.access import current_actor, permission
from app.blueprints.repositories import bp
from app.cases import packforms, pages, repositories
from app.cases.kernel import CaseError
from app.cases.repositories import LIFECYCLE, Filters, RepositoryError
from app.cases.repositories.labels import ACTION_LABELS, STATE_LABELS
from app.cases.repositories.lifecycle import STATE_ACTIONS
from app.extensions import db
from app.forms import WRITING, Carries, CaseForm, already, current, max_length, stamp
from app.htmx import render
from app.models import RepositoryRecord
from app.records import audit
from app.reference import sorted_countries
from app.template_gettext import resolved

ERRORS = {
    "required": _l("This field is required."),
    "type": _l("Enter a value of the right type."),
    "note": _l("Say what changed and why."),
    "unchanged": _l("Nothing has changed."),
    "access": _l("Your authority may not change this record."),
}

# What each form carries, for the words of a stale refusal (app/forms.py Carries): the
# record form is written as a whole; archiving and restoring carry a reason, maybe blank.
CARRIES = {
    "save": WRITING,
    "archive": Carries(texts=("note",)),
    "restore": Carries(texts=("note",)),
}

DONE = {
    "archive": _l("Record archived."),
    "restore": _l("Record restored."),
}
ALREADY = {
    "archive": _l("The record was already archived."),
    "restore": _l("The record was already restored."),
}


def _pack(key: str):
    pack = repositories.readable_pack(current_actor(), key[:80])
    if pack is None:
        abort(404)
    return pack


def _record(record_id: int):
    record = repositories.visible_record(current_actor(), record_id)
    if record is None:
        audit.denied(current_actor(), "repository_record", record_id)
        abort(404)
    return record


def _messages(errors: dict[str, str]) -> dict[str, str]:
    return {key: str(ERRORS.get(code, ERRORS["type"])) for key, code in errors.items()}


@bp.get("")
@permission("repository:view")
def index():
    actor = current_actor()
    return render(
        "repositories/index.html",
        packs=repositories.readable(actor),
        may_create=lambda p: repositories.may_create(actor, p.key),
    )


@bp.get("/<key>")
@permission("repository:view")
def search(key: str):
    """Search one repository; htmx swaps only the results."""
    actor = current_actor()
    pack = _pack(key)
    args = request.args
    filters = Filters(
        q=args.get("q", "")[:200],
        country=args.get("country", "")[:2],
        state=args.get("state", "active"),
        after=args.get("after", "")[:80],
    )
    page = repositories.search(actor, pack, filters)
    if repositories.has_personal_data(pack):
        ids = [r.id for r in page.items]
        audit.listed(
            actor, "repository_record.list_viewed", "repository_record", ids, pack=pack.key
        )
    return render(
        "repositories/search.html",
        block="results",
        pack=pack,
        filters=filters,
        page=page,
        countries=sorted_countries(str(get_locale())),
        state_labels=resolved(STATE_LABELS),
        may_create=repositories.may_create(actor, pack.key),
    )


@bp.route("/<key>/new", methods=["GET", "POST"])
@permission("repository:edit")
def new(key: str):
    actor = current_actor()
    pack = _pack(key)
    if not repositories.may_create(actor, pack.key):
        abort(404)
    return _record_form(
        pack,
        None,
        lambda values, note: repositories.create(actor, pack, values, note),
        lambda saved: _("Record %(reference)s created.", reference=saved.reference),
    )


@bp.get("/records/<int:record_id>")
@permission("repository:view")
def record(record_id: int):
    actor = current_actor()
    item = _record(record_id)
    repositories.record_view(actor, item)
    pages.load(item)
    return _record_page(item)


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@permission("repository:edit")
def edit(record_id: int):
    actor = current_actor()
    item = _record(record_id)
    if not LIFECYCLE.may(actor, item, "update"):
        abort(404)
    if request.method == "GET":
        repositories.record_view(actor, item)
    return _record_form(
        repositories.record_pack(item),
        item,
        lambda values, note: repositories.update(actor, item, values, note),
        lambda saved: _("Record %(reference)s updated.", reference=saved.reference),
    )


def _record_url(record) -> str:
    return url_for("repositories.record", record_id=record.id)


def _record_form(pack, record, save, done):
    """The record form (new or edit): a POST whose token and fields hold saves through
    `save(values, note)`, says `done(record)` and goes to the record; refused values come
    back with their messages (422), nothing lost. A form rendered before another officer
    saved the record is refused as stale; the same form sent twice saves once, the second
    post going where the first led."""
    form = CaseForm()
    fields = packforms.fields_form(
        pack, record.fields if record else None, sending=True, formdata=pack_forms.formdata()
    )
    note = request.form.get("note", "")
    errors: dict[str, str] = {}
    if pack_forms.posted(form, fields):
        earlier = already(
            form,
            _record_url(record) if record else _record_url,
            creates=None if record else RepositoryRecord,
        )
        if earlier is not None:
            return redirect(earlier)
        try:
            with current(record, form):
                saved = save(fields.stored(), note)
        except RepositoryError as error:
            db.session.rollback()  # the form's key stays free
            errors = _messages(error.errors)
        except CaseError:  # another officer saved the record first: nothing lost
            db.session.rollback()
            errors = {"stale": CARRIES["save"].stale(form)}
        else:
            flash(done(saved), "success")
            return redirect(_record_url(saved))
    if record is not None:
        stamp(record, [form])
    return render(
        "repositories/form.html",
        # A stale form is refused as the other kinds' are (400); refused values, 422.
        status=400 if "stale" in errors else 422 if errors or fields.errors else 200,
        form=form,
        packform=fields,
        pack=pack,
        record=record,
        note_error=errors.pop("note", None),
        problems=list(errors.values()),
        note=note,
    )


class StateForm(CaseForm):
    """Archiving or restoring a record, on its confirmation page: the reason."""

    note = TextAreaField(_l("Reason"), validators=[max_length(10000)])


# action -> (the reason's label, its message when blank, heading, explanation, button)
STATE_PAGES = {
    "archive": (
        _l("Reason for archiving"),
        _l("Give the reason for archiving the record"),
        _l("Archive record %(reference)s?"),
        _l(
            "The record leaves the repository's search results; it is kept, with its "
            "history, and can be restored."
        ),
        _l("Archive the record"),
    ),
    "restore": (
        _l("Reason for restoring"),
        _l("Give the reason for restoring the record"),
        _l("Restore record %(reference)s?"),
        _l("The record is found in the repository's search results again."),
        _l("Restore the record"),
    ),
}


@bp.route("/records/<int:record_id>/state", methods=["GET", "POST"])
@permission("repository:edit")
def change_state(record_id: int):
    """Archive an active record, or restore an archived one, after a confirmation with the
    reason: GET asks (and changes nothing), POST does it. The form names which: sent
    twice, it must not undo what the first sending did."""
    actor = current_actor()
    item = _record(record_id)
    offered = repositories.state_action(actor, item)
    if offered is None:
        abort(404)
    form = StateForm()
    action = request.form.get("action", "") if request.method == "POST" else offered
    if action not in STATE_ACTIONS:
        abort(400)
    label, blank, heading, explanation, button = STATE_PAGES[action]
    form.note.label.text = str(label)
    if form.validate_on_submit():
        if repositories.reached(item, action):
            flash(str(ALREADY[action]))
            return redirect(url_for("repositories.record", record_id=item.id))
        try:
            with current(item, form):
                repositories.change_state(actor, item, action, form.note.data or "")
        except RepositoryError as error:
            if "note" in error.errors:
                form.note.errors = [str(blank)]
            else:
                form.form_errors.append(_messages(error.errors).popitem()[1])
        except CaseError:  # rendered before another officer changed the record
            db.session.rollback()
            form.form_errors.append(CARRIES[action].stale(form))
        else:
            flash(str(DONE[action]))
            return redirect(url_for("repositories.record", record_id=item.id))
    stamp(item, [form])
    return render(
        "components/confirm.html",
        status=400 if form.errors or form.form_errors else 200,
        form=form,
        fields=["note"],
        heading=str(heading) % {"reference": item.reference},
        explanation=str(explanation),
        action=url_for("repositories.change_state", record_id=item.id),
        button=str(button),
        button_name="action",
        button_value=action,
        button_class="warning" if action == "archive" else "",
        back=url_for("repositories.record", record_id=item.id),
    )


def _record_page(item):
    """The record page: fields, history, and the changes the actor may make."""
    actor = current_actor()
    return render(
        "repositories/record.html",
        record=item,
        pack=repositories.record_pack(item),
        may_update=LIFECYCLE.may(actor, item, "update"),
        state_action=repositories.state_action(actor, item),
        state_labels=STATE_LABELS,
        action_labels=ACTION_LABELS,
    )
