from flask import Blueprint

bp = Blueprint("public_cases", __name__, url_prefix="/public-cases")

from app.blueprints.public_cases import routes, solvit  # noqa: E402, F401
