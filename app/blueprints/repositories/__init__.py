from flask import Blueprint

bp = Blueprint("repositories", __name__, url_prefix="/repositories")

from app.blueprints.repositories import routes  # noqa: E402, F401
