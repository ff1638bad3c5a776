from flask import Blueprint

bp = Blueprint("requests", __name__, url_prefix="/requests")

from app.blueprints.requests import actions, files, page, rating, routes  # noqa: E402, F401
from app.blueprints.requests.rows import request_rows  # noqa: E402

bp.add_app_template_global(request_rows)
