"""How requesting authorities rated the replies of the authorities a coordinator governs
(app/cases/requests/ratings.py): the tallies of the last 12 months and the latest ratings."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from app.blueprints.access import current_actor, permission
from app.blueprints.coordination import bp
from app.blueprints.requests.forms import RATING_WORDS
from app.cases.requests import ratings
from app.htmx import render
from app.models.base import utcnow
from app.records import audit

PERIOD = relativedelta(months=12)


@bp.get("/ratings")
@permission("coordination:rating:view")
def ratings_received():
    """The ratings of the replies of the authorities the coordinator governs."""
    actor = current_actor()
    end = utcnow()
    latest = ratings.received(actor)
    tallies = ratings.received_tallies(actor, end - PERIOD, end)
    # The comments may name a person: the list is a read of the requests it names.
    audit.listed(actor, "request.list_viewed", "request", [r.request_id for r in latest])
    return render(
        "coordination/ratings.html",
        latest=latest,
        tallies=tallies,
        rating_words=RATING_WORDS,
        comment_shown=ratings.comment_shown,
    )
