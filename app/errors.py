"""Error pages in the user's language, never a stack trace."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_app_context, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from werkzeug.exceptions import HTTPException
from werkzeug.wsgi import get_input_stream

from app.extensions import db

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Not allowed"), _l("Your roles do not allow this action.")),
    404: (_l("Page not found"), _l("There is no such page, or you may not see it.")),
    405: (_l("Not allowed"), _l("This action cannot be done this way.")),
    413: (_l("Too large"), _l("What you sent is larger than allowed.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts. Please wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("Something went wrong on our side. Nothing you entered was saved; please try again."),
    ),
}


# A refused body (413) is read and dropped up to this size, a little above nginx's
# client_max_body_size (deploy/nginx/openimi.conf); a larger one is not read at all.
DRAIN_MAX_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 10


def drain_body() -> None:
    """Read and drop the body of a request refused as too large, so that the answer
    reaches the sender: gunicorn drains 64 KB of an unread body and then closes the
    connection, and a proxy still sending the rest gets a reset instead of the page
    (nginx answers 502). Bounded in size and time: a slow sender does not hold a thread."""
    length = request.content_length or 0
    if not 0 < length <= DRAIN_MAX_BYTES:
        return
    stream = get_input_stream(request.environ, safe_fallback=False)
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline and stream.read(1024 * 1024):
        pass


class WriteRefused(RuntimeError):
    """A view tried to change data while it only re-renders a refused form."""


@contextmanager
def writes_refused() -> Iterator[None]:
    """Run code that must change nothing: any flush or ORM insert, update or delete in
    the database session raises WriteRefused, and what it left pending is rolled back
    (queued mail and jobs with it)."""
    g.openimi_writes_refused = True
    try:
        yield
    finally:
        g.openimi_writes_refused = False
        db.session.rollback()


def _refusing() -> bool:
    return has_app_context() and g.get("openimi_writes_refused", False)


@event.listens_for(Session, "before_flush")
def _refuse_flush(session: Session, flush_context, instances) -> None:
    if _refusing():
        raise WriteRefused


@event.listens_for(Session, "do_orm_execute")
def _refuse_dml(state: ORMExecuteState) -> None:
    if _refusing() and (state.is_insert or state.is_update or state.is_delete):
        raise WriteRefused


def csrf_refused() -> bool:
    """True while a view only redraws its form for a request refused for its CSRF token
    (see writes_refused): what it would record before its form validates (a rate-limit
    hit) it skips, so that posts without a token, however many, write nothing."""
    return _refusing()


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        """A missing, forged or expired token. Where the page has a form, show it again
        with what the user typed and a message. The view runs again only to render: its
        own CSRF check refuses the action, and should a view save without asking its
        form, writes_refused() stops it and the plain message is shown instead."""
        db.session.rollback()
        view = app.view_functions.get(request.endpoint or "")
        if view is not None and request.url_rule and "GET" in request.url_rule.methods:
            try:
                with writes_refused():
                    response = app.make_response(view(**(request.view_args or {})))
            except (HTTPException, WriteRefused):  # the view refuses anyway, or would write
                pass
            else:
                # The form again: as a GET draws it, or with its own errors (400, 422).
                if response.status_code in (200, 400, 422):
                    response.status_code = 400
                    return response
        return (
            render_template(
                "errors/error.html",
                title=_l("Your form has expired"),
                message=_l(
                    "For your security the form could not be accepted. Please go back, "
                    "reload the page and send it again."
                ),
                status=400,
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        status = error.code or 500
        if status == 413:
            drain_body()
        title, message = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
        return render_template(
            "errors/error.html", title=title, message=message, status=status
        ), status

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        title, message = MESSAGES[500]
        return render_template("errors/error.html", title=title, message=message, status=500), 500
