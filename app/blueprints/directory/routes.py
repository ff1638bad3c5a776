from flask import request
from sqlalchemy import select

from app import directory
from app.blueprints.access import current_actor, permission, visible_authority
from app.blueprints.directory import bp
from app.extensions import db
from app.htmx import render
from app.models import Procedure
from app.reference import COUNTRIES, sorted_countries


@bp.get("")
@permission("directory:authority:view")
def index():
    """Search the directory of competent authorities; htmx refreshes only the results."""
    query = request.args.get("q", "")[:200]
    country = request.args.get("country", "")
    country = country if country in COUNTRIES else ""
    procedures = list(db.session.scalars(select(Procedure).order_by(Procedure.name)))
    procedure = request.args.get("procedure", "")
    procedure = procedure if any(p.key == procedure for p in procedures) else ""
    page = directory.search(query, country or None, procedure or None, request.args.get("after"))
    from flask_babel import get_locale

    return render(
        "directory/index.html",
        block="results",
        page=page,
        query=query,
        country=country,
        procedure=procedure,
        procedures=procedures,
        countries=sorted_countries(str(get_locale())),
    )


@bp.get("/<int:authority_id>")
@permission("directory:authority:view")
def profile(authority_id: int):
    """An authority's profile: names, address, contact, competences and procedures."""
    authority = visible_authority(current_actor(), authority_id)
    return render("directory/profile.html", authority=authority)
