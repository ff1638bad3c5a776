"""The European Professional Card: the officers' side (`epc`, /epc-cases) and the
applicants' and employers' side (`epc_public`, /epc)."""

from flask import Blueprint

bp = Blueprint("epc", __name__, url_prefix="/epc-cases")
public_bp = Blueprint("epc_public", __name__, url_prefix="/epc")

from app.blueprints.epc import applicant, officers, verification  # noqa: E402, F401
