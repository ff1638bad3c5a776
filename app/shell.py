"""Parts of pages rendered once per process and kept: the shell's language menu and
navigation, an inbox's filter form. They are the same on every page for the same
language, instance, page (which link is marked), roles or filters, and rendering them
was about a third of what an empty signed-in page costs, a tenth of an inbox
(bench/calls.py).

A kept part is a template of templates/shell/ that reads nothing but what its key holds:
the language in force (its catalog, `current_language`), the instance (`training`, the
URLs' script root), and the values passed to `shell_part`; and what the caller passes
as `given`, which must follow from those alone (a list of the language's country
names, the app's procedures). Nothing that changes with the data (counts, the case,
the user's name, CSRF tokens) goes into one. The parts live on the app (the training
instance has its own), at most LIMIT of them: past that, or with `keep` false (values
that are not among the choices), a part is rendered each time.
"""

from __future__ import annotations

from flask import current_app, request
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

LIMIT = 4096
_KEY = "openimi.shell_parts"
# What a part sees of the page's context, besides the environment's globals: the catalog
# and language of this rendering, the instance, and the language menu's helpers.
SHARED = (
    "_catalog",
    "current_language",
    "training",
    "languages",
    "language_name",
    "procedure_name",
)


@pass_context
def part(
    context: Context, name: str, given: dict | None = None, keep: bool = True, **values
) -> Markup:
    """Templates/shell/`name`, rendered with `values` and `given` (and the language and
    instance of this rendering) once, then taken from the process's store."""
    parts = current_app.extensions.setdefault(_KEY, {})
    key = (
        name,
        context["current_language"],
        request.script_root,
        *sorted(values.items()),
    )
    found = parts.get(key)
    if found is None:
        template = context.environment.get_template(f"shell/{name}")
        shared = {name: context[name] for name in SHARED if name in context}
        found = Markup(template.render(shared | (given or {}) | values))  # noqa: S704 (autoescaped)
        if keep and len(parts) < LIMIT:
            parts[key] = found
    return found
