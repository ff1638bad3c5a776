"""The notification inbox, its page and its actions.

Every route loads the notification through the kind's one visibility rule (404 for what
the acting authority may not see). The lifecycle decides whether an action fits the
state and the actor's side; a refusal is shown on the page with the text kept.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer, joinedload

from app.blueprints.access import current_actor, permission
from app.blueprints.notifications import bp
from app.blueprints.notifications.common import (
    FIELD_REFUSALS,
    CommentForm,
    ConcludeForm,
    CsrfForm,
    ObjectForm,
    ReplyForm,
    ReturnForm,
    WithdrawForm,
    refusal,
    visible,
)
from app.cases import notifications, pages
from app.cases.kernel import CaseError
from app.cases.notifications.boxes import BOXES, box_query
from app.cases.notifications.labels import EVENT_LABELS, STATE_LABELS
from app.cases.paging import count_each
from app.extensions import db
from app.forms import already, current, stamp
from app.htmx import render
from app.models import Notification
from app.models.base import utcnow
from app.records import audit
from app.template_gettext import resolved
from app.translation import shown

PAGE_SIZE = 25


@bp.get("")
@permission("notification:view")
def index():
    """The notification inbox; htmx swaps the list and the counters together."""
    actor = current_actor()
    box = request.args.get("box", "received")
    box = box if box in BOXES else "received"
    visible_all = notifications.visible_query(actor)
    rows = list(
        db.session.scalars(
            box_query(actor, box, visible_all)
            .options(
                joinedload(Notification.notifier_authority),
                defer(Notification.fields),
                defer(Notification.message),
                defer(Notification.search_text),
            )
            .order_by(Notification.updated_at.desc(), Notification.id.desc())
            .limit(PAGE_SIZE)
        )
    )
    counts = count_each({b: box_query(actor, b, visible_all) for b in BOXES})
    audit.listed(actor, "notification.list_viewed", "notification", [n.id for n in rows], box=box)
    return render(
        "notifications/inbox.html",
        block="inbox",
        items=rows,
        counts=counts,
        filters={"box": box},
        state_labels=resolved(STATE_LABELS),
        today=utcnow().date(),
        actor=actor,
    )


FORMS = {
    "reply": ReplyForm,
    "comment": CommentForm,
    "conclude": ConcludeForm,
    "return": ReturnForm,
    "object": ObjectForm,
    "withdraw": WithdrawForm,
}


def _case_page(item: Notification, status: int = 200, posted=None, problems=None, action=""):
    """The notification page; `posted` is the refused action's form (its text kept)."""
    actor = current_actor()
    pages.load(item)
    allowed = notifications.LIFECYCLE.allowed(actor, item)
    if "validate" in allowed:
        allowed.add("approve")
    forms = {name: form_class(formdata=None) for name, form_class in FORMS.items()}
    if posted is not None and action in forms:
        forms[action] = posted
    buttons = CsrfForm(formdata=None)
    stamp(item, [buttons, *forms.values()])
    pack = notifications.pack_of(item)
    sides = notifications.sides(actor, item)
    texts = shown.of_case(item)
    notifications.record_view(actor, item)
    return render(
        "notifications/case.html",
        status=status,
        item=item,
        pack=pack,
        rules=pack.notification,
        sides=sides,
        allowed=allowed,
        form=buttons,
        forms=forms,
        posted=posted,
        action=action,
        problems=problems or [],
        state_labels=STATE_LABELS,
        event_labels=EVENT_LABELS,
        today=utcnow().date(),
        texts=texts,
    )


def refused(item: Notification, code: str):
    """The notification page with a refused action's reason (400)."""
    return _case_page(item, 400, problems=[refusal(code)])


@bp.get("/<int:notification_id>")
@permission("notification:view")
def case(notification_id: int):
    """The notification, its deadlines, its comments and what the actor can do."""
    return _case_page(visible(notification_id))


ACTIONS = {
    "ask": lambda actor, item, form: notifications.ask(actor, item),
    "send": lambda actor, item, form: notifications.send(actor, item),
    "approve": lambda actor, item, form: notifications.validate(actor, item, True),
    "return": lambda actor, item, form: notifications.validate(
        actor, item, False, form.get("reason", "")
    ),
    "reply": lambda actor, item, form: notifications.reply(actor, item, form.get("text", "")),
    "comment": lambda actor, item, form: notifications.comment(actor, item, form.get("text", "")),
    "conclude": lambda actor, item, form: notifications.conclude(actor, item, form.get("text", "")),
    "object": lambda actor, item, form: notifications.object_to(
        actor, item, form.get("reason", "")
    ),
    "withdraw": lambda actor, item, form: notifications.withdraw(
        actor, item, form.get("reason", "")
    ),
    "discard": lambda actor, item, form: notifications.discard(actor, item),
}

DONE = {
    "ask": _l("The Member State of establishment has been asked to act."),
    "send": _l("The notification has been sent."),
    "approve": _l("The notification has been validated and sent."),
    "return": _l("The notification has been returned to the notifying authority."),
    "reply": _l("Your reply has been sent."),
    "comment": _l("Your comment has been added."),
    "conclude": _l("The assessment has been concluded."),
    "object": _l("The objection has been sent."),
    "withdraw": _l("The notification has been withdrawn."),
    "discard": _l("The draft has been discarded."),
}


@bp.post(
    "/<int:notification_id>/"
    "<any(ask, send, approve, return, reply, comment, conclude, object, withdraw, discard):action>"
)
@permission("notification:act")
def act(notification_id: int, action: str):
    """Take one of the notification page's actions."""
    actor = current_actor()
    item = visible(notification_id)
    posted = FORMS.get(action, CsrfForm)()
    if not posted.validate_on_submit():
        return _case_page(item, 400, posted, action=action)
    target = (
        url_for("notifications.index", box="drafts")
        if action == "discard"
        else url_for("notifications.case", notification_id=item.id)
    )
    if already(posted, target) is not None:
        return redirect(target)
    problems: list = []
    try:
        with current(item, posted):
            ACTIONS[action](actor, item, request.form)
    except CaseError as error:
        db.session.rollback()
        where = FIELD_REFUSALS.get(error.code)
        if where and where[0] in posted:
            posted[where[0]].errors = [str(where[1])]
        elif error.code == "stale":
            shown = action in notifications.LIFECYCLE.allowed(actor, item)
            problems.append(refusal(error.code, action, posted, shown))
        else:
            problems.append(refusal(error.code))
        return _case_page(item, 400, posted, problems, action)
    flash(str(DONE[action]))
    return redirect(target)
