from flask import current_app, request
from flask_babel import get_locale

from app import directory, vocabulary
from app.blueprints.access import current_actor, permission, visible_authority
from app.blueprints.directory import bp
from app.htmx import render
from app.procedures import registry
from app.reference import COUNTRIES, sorted_countries


@bp.get("")
@permission("directory:authority:view")
def index():
    """Search the directory of competent authorities; htmx refreshes only the results."""
    query = request.args.get("q", "")[:200]
    country = request.args.get("country", "")
    country = country if country in COUNTRIES else ""
    # the loaded packs (the procedure table mirrors them), without a round trip
    procedures = sorted(registry(current_app).values(), key=lambda p: p.name)
    procedure = request.args.get("procedure", "")
    procedure = procedure if any(p.key == procedure for p in procedures) else ""
    page = directory.search(query, country or None, procedure or None, request.args.get("after"))
    language = str(get_locale())
    empty = bool(query) and not page.items
    return render(
        "directory/index.html",
        block="results",
        page=page,
        query=query,
        country=country,
        procedure=procedure,
        procedures=procedures,
        countries=sorted_countries(language),
        # nothing found: the concepts closest to its words, and the policy areas to browse by
        suggestions=vocabulary.suggest(query, language) if empty else [],
        areas=vocabulary.areas(language) if empty else [],
    )


@bp.get("/<int:authority_id>")
@permission("directory:authority:view")
def profile(authority_id: int):
    """An authority's profile: names, address, contact, competences and procedures."""
    authority = visible_authority(current_actor(), authority_id)
    return render("directory/profile.html", authority=authority)
