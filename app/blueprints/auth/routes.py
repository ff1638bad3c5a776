from datetime import datetime, timedelta

from flask import (
    Response,
    abort,
    after_this_request,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import joinedload

from app.accounts import auth, credentials
from app.blueprints.access import permission
from app.blueprints.auth import bp
from app.blueprints.auth.forms import (
    CodeForm,
    EnrolTotpForm,
    ForgotPasswordForm,
    NewPasswordForm,
    SignInForm,
)
from app.blueprints.main.routes import safe_next
from app.extensions import db, login_manager
from app.htmx import is_htmx, render
from app.models import Membership, User
from app.models.accounts import UserStatus
from app.models.base import utcnow
from app.pacing import uniform_duration
from app.policy import PUBLIC, SIGNED_IN

# How long the second step may wait after a correct password.
SECOND_STEP_LIFETIME = timedelta(minutes=5)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # With the memberships and their authorities, which every page's actor reads, in the
    # same statement: every page pays for each round trip to the database. Opening the
    # session read all of them already (app/sessions.py): then no statement is run here.
    user = db.session.get(
        User,
        int(user_id),
        options=[joinedload(User.memberships).joinedload(Membership.authority)],
    )
    if user is None or not user.is_active:
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    return redirect(url_for("auth.sign_in", next=request.script_root + request.full_path))


def _address() -> str:
    return request.remote_addr or "unknown"


def _device_cookie_name() -> str:
    return current_app.config["SESSION_COOKIE_NAME"] + "_device"


def _known_device(email: str) -> str | None:
    """This browser's device id, if it signed in to `email`'s account before."""
    return credentials.known_device(request.cookies.get(_device_cookie_name()), email)


def _remember_device(user: User) -> None:
    """Give this browser a known-device cookie for the user (see credentials)."""
    value, app = credentials.device_cookie(user.email), current_app._get_current_object()
    interface = app.session_interface

    @after_this_request
    def set_device_cookie(response):
        response.set_cookie(
            _device_cookie_name(),
            value,
            max_age=int(credentials.DEVICE_LIFETIME.total_seconds()),
            domain=interface.get_cookie_domain(app),
            path=interface.get_cookie_path(app),
            secure=interface.get_cookie_secure(app),
            httponly=True,
            samesite=interface.get_cookie_samesite(app),
        )
        return response


def _pending_user() -> User | None:
    user_id, since = session.get("pending_user_id"), session.get("pending_since")
    if not user_id or not since:
        return None
    if utcnow() - datetime.fromisoformat(since) > SECOND_STEP_LIFETIME:
        return None
    user = db.session.get(User, user_id)
    return user if user and user.status != UserStatus.SUSPENDED else None


def start_session(user: User) -> None:
    """Both factors passed: a new session token holding only the user, the time of the
    sign-in and the chosen language; this browser becomes a known device. (The tests'
    sign_in starts sessions through it too, so theirs are the same as a real one.)"""
    language = session.get("language")
    session.clear()
    session.rotate()
    if language:
        session["language"] = language
    login_user(user)
    session["signed_in_at"] = utcnow().isoformat()
    _remember_device(user)


def _complete_sign_in(user: User):
    """Both factors passed: a new session, then where the user was going."""
    target = session.get("next")
    start_session(user)
    return redirect(safe_next(target, url_for("main.home")))


@bp.route("/sign-in", methods=["GET", "POST"])
@permission(PUBLIC)
def sign_in():
    """Sign in, step 1: e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if request.method == "GET" and session.pop("expired", False):
        flash(_("Your session has ended. Please sign in again."), "error")
    if form.validate_on_submit():
        try:
            user = auth.check_password_step(
                form.email.data,
                form.password.data,
                _address(),
                _known_device(form.email.data),
            )
        except auth.Throttled as refusal:
            form.password.errors.append(_throttled(refusal))
            return render("auth/sign_in.html", form=form, status=_throttled_status(refusal))
        if user is None:
            form.password.errors.append(_("The e-mail address or the password is not right."))
            return render("auth/sign_in.html", form=form, status=200)
        session["pending_user_id"] = user.id
        session["pending_since"] = utcnow().isoformat()
        session["next"] = safe_next(request.args.get("next"), url_for("main.home"))
        if not user.totp_enrolled:
            session["enrol_user_id"] = user.id
            return redirect(url_for("auth.enrol_totp"))
        return redirect(url_for("auth.sign_in_code"))
    response = render("auth/sign_in.html", form=form)
    if request.method == "GET" and is_htmx():
        # A signed-out htmx swap was redirected here: show the sign-in page whole,
        # not inside a fragment of the old page.
        response.headers["HX-Redirect"] = request.script_root + request.full_path
    return response


@bp.route("/sign-in/code", methods=["GET", "POST"])
@permission(PUBLIC)
def sign_in_code():
    """Sign in, step 2: the code from the authenticator app (or a recovery code)."""
    user = _pending_user()
    if user is None:
        flash(_("Please start again with your e-mail address and password."), "error")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            ok = auth.check_code_step(user, form.code.data, _address(), _known_device(user.email))
        except auth.Throttled as refusal:
            form.code.errors.append(_throttled(refusal))
            return render("auth/code.html", form=form, status=_throttled_status(refusal))
        if ok:
            return _complete_sign_in(user)
        form.code.errors.append(_("This code is not right or has already been used."))
    return render("auth/code.html", form=form)


@bp.route("/sign-in/enrol", methods=["GET", "POST"])
@permission(PUBLIC)
def enrol_totp():
    """Set up the authenticator app: scan the QR code (or type the key), confirm one code."""
    user_id = session.get("enrol_user_id")
    user = db.session.get(User, user_id) if user_id else None
    if user is None or user.totp_enrolled or user.status == UserStatus.SUSPENDED:
        abort(404)
    secret = session.get("enrol_secret")
    if not secret:
        secret = session["enrol_secret"] = credentials.new_totp_secret()
    form = EnrolTotpForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = auth.confirm_totp(user, secret, form.code.data, _address())
        except auth.Throttled as refusal:
            codes, status = None, _throttled_status(refusal)
            form.code.errors.append(_throttled(refusal))
        else:
            if codes is not None:
                _complete_sign_in(user)  # clears the enrolment state, rotates the session
                session["recovery_codes"] = codes
                return redirect(url_for("auth.recovery_codes"))
            form.code.errors.append(
                _("This code is not right. Check the time on your phone and try again.")
            )
    uri = credentials.totp_uri(user, secret, training=current_app.config["TRAINING"])
    return render(
        "auth/enrol.html",
        form=form,
        secret=secret,
        uri=uri,
        qr=credentials.totp_qr_data_uri(uri),
        status=status,
    )


@bp.get("/account/recovery-codes")
@permission(SIGNED_IN)
def recovery_codes():
    """Show the new recovery codes once."""
    codes = session.pop("recovery_codes", None)
    if not codes:
        return redirect(url_for("accounts.profile"))
    return render("auth/recovery_codes.html", codes=codes)


@bp.post("/account/recovery-codes/file")
@permission("account:profile:edit")  # one's own account: a viewer may save their codes too
def recovery_codes_file():
    """Save the recovery codes just shown as a text file. The page hands them back (the
    server keeps only their hashes): only the user's own unused codes are written."""
    codes = credentials.unused_recovery_codes(current_user, request.form.getlist("code"))
    if not codes:
        abort(404)
    lines = [
        _("OpenIMI recovery codes for %(email)s", email=current_user.email),
        _("Each code signs you in once if you lose your phone. Keep this file in a safe place."),
        "",
        *codes,
        "",
    ]
    response = Response("\r\n".join(lines), mimetype="text/plain")
    response.headers["Content-Disposition"] = 'attachment; filename="openimi-recovery-codes.txt"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/sign-out")
@permission(PUBLIC)
def sign_out():
    """End the session on the server and in the browser."""
    if current_user.is_authenticated:
        from app.records import audit

        audit.record("auth.signed_out", actor_id=current_user.id)
        db.session.commit()
    logout_user()
    session.destroy()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@permission(PUBLIC)
def forgot_password():
    """Ask for a password reset link by e-mail."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with uniform_duration():  # the same answer, in the same time, for any address
            auth.request_password_reset(form.email.data, session.get("language", "en"))
        return render("auth/reset_sent.html")
    return render("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@permission(PUBLIC)
def reset_password(token: str):
    """Choose a new password from a mailed link."""
    reset = auth.valid_reset(token)
    if reset is None:
        return render("auth/link_invalid.html", status=404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = db.session.get(User, reset.user_id)
        problem = credentials.password_problem(
            form.password.data, hints=(user.email, user.full_name)
        )
        if problem:
            form.password.errors.append(problem)
        else:
            auth.reset_password(reset, form.password.data)
            flash(_("Your password has been changed. Please sign in."))
            return redirect(url_for("auth.sign_in"))
    return render("auth/reset.html", form=form)


def _throttled(refusal: auth.Throttled) -> str:
    """Why an attempt was refused before it was evaluated."""
    if isinstance(refusal, auth.ThrottleUnavailable):
        return _("Signing in is not possible at the moment. Please try again in a few minutes.")
    return _("Too many attempts. Please wait a few minutes and try again.")


def _throttled_status(refusal: auth.Throttled) -> int:
    return 503 if isinstance(refusal, auth.ThrottleUnavailable) else 429
