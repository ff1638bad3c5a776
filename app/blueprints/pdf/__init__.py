from flask import Blueprint

bp = Blueprint("pdf", __name__, url_prefix="/pdf")

from app.blueprints.pdf import routes  # noqa: E402, F401
