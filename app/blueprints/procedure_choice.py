"""Step 1 of composing a case (an alert, a request): the procedure the user chose."""

from __future__ import annotations

from collections.abc import Sequence

from flask import flash, request

from app.procedures import Pack


def chosen_pack(packs: Sequence[Pack], refusal: str) -> Pack | None:
    """The pack among `packs` that the form (or link) names; None when it names none, with
    `refusal` flashed when it names one the user may not use."""
    key = request.values.get("procedure", "")
    pack = next((p for p in packs if p.key == key), None)
    if pack is None and key:
        flash(refusal, "error")
    return pack
