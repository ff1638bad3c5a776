from flask import Blueprint

bp = Blueprint("registration", __name__)

from app.blueprints.registration import routes  # noqa: E402, F401
