from flask import Blueprint

bp = Blueprint("alerts", __name__, url_prefix="/alerts")

from app.blueprints.alerts import compose, inbox, routes  # noqa: E402, F401
