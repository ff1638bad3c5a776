from flask import Blueprint

bp = Blueprint("coordination", __name__, url_prefix="/coordination")

from app.blueprints.coordination import procedures, ratings, routes  # noqa: E402, F401
