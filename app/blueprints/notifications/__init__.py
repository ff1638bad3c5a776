from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from app.blueprints.notifications import compose, routes  # noqa: E402, F401
