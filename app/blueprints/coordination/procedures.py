"""The procedure preview: every pack, drafts included, as its forms look in any interface
language, read only. For coordinators and the Commission, before a pack is turned on
(`status = "draft"`, app/procedures/__init__.py): the forms are the officers' own
(app/cases/packforms.py, components/pack_fields.html), every input disabled."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.blueprints.access import current_actor, permission
from app.blueprints.accounts.forms import area_labels
from app.blueprints.coordination import bp
from app.cases.packforms import fields_form
from app.htmx import render
from app.policy import may_preview_packs
from app.procedures import Pack, all_packs
from app.reference import LANGUAGES, sorted_languages

KIND_LABELS = {
    "request": _l("Request"),
    "alert": _l("Alert"),
    "notification": _l("Notification"),
    "repository": _l("Repository"),
    "public": _l("Public case"),
    "epc": _l("European Professional Card"),
}


def _packs() -> dict[str, Pack]:
    """Every pack, to those who may preview them; 403 to everyone else."""
    if not may_preview_packs(current_actor()):
        abort(403)
    return all_packs(current_app)


def _language() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "en")


@bp.get("/procedures")
@permission("coordination:procedure:preview")
def procedures():
    """Every procedure pack by policy area, with its kind, status and translations."""
    language = _language()
    areas = area_labels(language)
    # in the reader's alphabet: the areas' and procedures' names as the page shows them
    packs = sorted(
        _packs().values(),
        key=lambda p: (
            areas.get(p.policy_area, p.policy_area).casefold(),
            p.gettext(p.name, language).casefold(),
        ),
    )
    return render(
        "coordination/procedures.html",
        packs=packs,
        areas=areas,
        kinds=KIND_LABELS,
        language_count=len(LANGUAGES),
        translated=lambda pack: len(LANGUAGES) - len(pack.missing_translations()),
    )


@bp.get("/procedures/<pack_key>")
@permission("coordination:procedure:preview")
def procedure_preview(pack_key: str):
    """One pack's forms in the language asked for (`language`, else the reader's), read
    only; the page around them stays in the reader's language."""
    pack = _packs().get(pack_key)
    if pack is None:
        abort(404)
    reader = _language()
    language = request.args.get("language", reader)
    if language not in LANGUAGES:
        abort(404)
    with force_locale(language):
        preview = render_template(
            "coordination/_pack_preview.html",
            pack=pack,
            language=language,
            text=lambda source: pack.gettext(source, language) if source else "",
            forms=_forms(pack, language),
            kind=str(KIND_LABELS.get(pack.kind, pack.kind)),
        )
    return render(
        "coordination/procedure_preview.html",
        pack=pack,
        language=language,
        language_choices=sorted_languages(reader),
        name=pack.gettext(pack.name, reader),
        area=area_labels(reader).get(pack.policy_area, pack.policy_area),
        kind=KIND_LABELS.get(pack.kind, pack.kind),
        missing=pack.missing_translations().get(language, []),
        preview=Markup(preview),  # noqa: S704 (autoescaped template output)
    )


def _forms(pack: Pack, language: str) -> list[tuple[str, object]]:
    """(heading, form) of each part of the pack, as its pages show them, in `language`."""
    forms: list[tuple[str, object]] = []
    if pack.request_fields:
        forms.append(
            (
                _l("Details of the request"),
                fields_form(
                    pack, questions=pack.request_fields, prefix="detail-", language=language
                ),
            )
        )
    if pack.fields:
        forms.append((_l("Details"), fields_form(pack, prefix="field-", language=language)))
    for question_set in pack.question_sets:
        form = fields_form(
            pack, questions=question_set.questions, prefix="answer-", language=language
        )
        forms.append((pack.gettext(question_set.title, language), form))
    return forms
