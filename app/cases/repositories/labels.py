"""The states and versions of a repository record in the readers' words: the record page,
the search, the PDF and the pages that list several kinds say the same."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.models import RecordState

STATE_LABELS = {
    RecordState.ACTIVE: lazy_pgettext("record state", "Active"),
    RecordState.ARCHIVED: lazy_pgettext("record state", "Archived"),
}

# What made a version, as its `action` says.
ACTION_LABELS = {
    "created": _l("Created"),
    "updated": _l("Updated"),
    "archived": _l("Archived"),
    "restored": _l("Restored"),
}
