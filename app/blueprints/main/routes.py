from urllib.parse import urlsplit

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from app.blueprints.access import permission
from app.blueprints.main import bp
from app.extensions import db
from app.jobs import redis_connection
from app.policy import PUBLIC
from app.reference import LANGUAGES


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths are followed after a form (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.post("/language")
@permission(PUBLIC)
def set_language():
    """Switch the interface language (saved for a signed-in user)."""
    language = request.form.get("language", "")
    if language in LANGUAGES:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))


@bp.get("/healthz")
@permission(PUBLIC)
def healthz():
    """Liveness of the database and the job queue, for load balancers and monitoring:
    503 when either is down. To monitoring (the clients /metrics serves: METRICS_ALLOWED_IPS
    or the bearer token) also the depth of each queue and the age of the job waiting
    longest (`queues`), how far the audit sealer is behind (`sealing`) and the machine
    translation engine (`translation`); none of them changes the status code (/metrics has the same figures, for alerts on them). Anyone
    else, a load balancer through a public address, learns up or down and no more: how
    busy the service is and how far its audit trail is sealed are not theirs to see."""
    from app import metrics

    status = {"database": "ok", "queue": "inline"}
    detailed = metrics.allowed()
    healthy = True
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        status["database"] = "down"
        healthy = False
    else:
        try:
            if detailed:
                status["sealing"] = metrics.sealing_lag()
        except Exception:  # a figure for monitoring: its absence is not an outage
            db.session.rollback()
    if detailed:
        status["translation"] = _translation()
    connection = redis_connection(current_app)
    if connection is not None:
        try:
            connection.ping()
            status["queue"] = "ok"
            if detailed:
                status["queues"] = {
                    name: {"depth": queue["queued"], "oldest_seconds": queue["oldest_seconds"]}
                    for name, queue in metrics.queue_stats(current_app).items()
                }
        except Exception:
            status.pop("queues", None)
            status["queue"] = "down"
            healthy = False
    return jsonify(status), 200 if healthy else 503


def _translation() -> dict:
    """The machine translation engine, for monitoring: its name, and for Apertium the
    pairs it offers, or "down". A figure, not an outage: the status code ignores it (an
    officer can still read the original and write a translation)."""
    from app.translation import mt

    engine = mt.provider()
    if engine is None:
        return {"engine": "none"}
    found: dict = {"engine": engine.name}
    if isinstance(engine, mt.ApertiumProvider):
        try:
            found["pairs"] = engine.pairs()
        except mt.MTError:
            found["status"] = "down"
    return found
