from flask import Blueprint

bp = Blueprint("proof", __name__, url_prefix="/proof")

from app.blueprints.proof import routes  # noqa: E402, F401
