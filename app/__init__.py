"""OpenIMI application factory."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, g, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from htmx_flask import Htmx
from jinja2 import pass_context

from app import (
    compression,
    database,
    errors,
    formats,
    forms,
    logs,
    metrics,
    security,
    shell,
    tables,
    template_gettext,
)
from app.config import finish_config, load_config
from app.extensions import babel, csrf, db, login_manager
from app.procedures import install as install_packs
from app.procedures import procedure_name
from app.reference import COUNTRIES, LANGUAGES, accepted_language
from app.routing import IdConverter, id_urls, kept_url_for
from app.sessions import DatabaseSessionInterface

STATIC_DIR = Path(__file__).parent / "static"


def select_locale() -> str:
    """Saved preference, then the switcher's choice, then Accept-Language, then the
    language of the country whose officer the visitor is becoming (a page that knows it
    sets `g.officer_country`: an invitation to a Norwegian authority reads in Bokmål),
    then English."""
    from flask import has_request_context

    if not has_request_context():
        return "en"
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    accepted = accepted_language(request.accept_languages)
    if accepted:
        return accepted
    return COUNTRIES.get(g.get("officer_country", ""), ("en",))[0]


def create_app(instance: str = "production", overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config(instance))
    if overrides:
        app.config.update(overrides)
    finish_config(app.config)
    logs.init_app(app)  # before every other hook (their lines carry the request id)
    metrics.init_app(app)  # request latency (its hook runs late: compression included)
    compression.init_app(app)  # next: its hook runs after the others, on their final body
    # Before any route is added: every `<int:...>` is an id the database can hold.
    app.url_map.converters["int"] = IdConverter
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)
    # A malformed pack (a draft too) stops the start, with every problem named.
    install_packs(app)

    db.init_app(app)
    with app.app_context():
        database.check_at_checkout(db.engine)
    security.refuse_untrusted_hosts(app)  # first: before CSRF and every other check
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    template_gettext.init_app(app)
    login_manager.init_app(app)
    Htmx(app)
    app.session_interface = DatabaseSessionInterface()
    security.init_app(app)
    errors.init_app(app)
    formats.init_app(app)
    tables.init_app(app)
    forms.speed_up_widgets()

    from app import cli, jobs
    from app.cases import search as case_search  # noqa: F401  (keeps the cases' search text)
    from app.translation import files_kept  # noqa: F401  (copies go with their originals)

    jobs.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _deny_by_default(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from app.blueprints.accounts import bp as accounts_bp
    from app.blueprints.audit import bp as audit_bp
    from app.blueprints.auth import bp as auth_bp
    from app.blueprints.coordination import bp as coordination_bp
    from app.blueprints.directory import bp as directory_bp
    from app.blueprints.epc import bp as epc_bp
    from app.blueprints.epc import public_bp as epc_public_bp
    from app.blueprints.main import bp as main_bp
    from app.blueprints.pdf import bp as pdf_bp
    from app.blueprints.proof import bp as proof_bp
    from app.blueprints.public import bp as public_bp
    from app.blueprints.public_cases import bp as public_cases_bp
    from app.blueprints.registration import bp as registration_bp
    from app.blueprints.repositories import bp as repositories_bp
    from app.blueprints.requests import bp as requests_bp
    from app.blueprints.search import bp as search_bp
    from app.blueprints.translations import bp as translations_bp

    for bp in (
        main_bp,
        auth_bp,
        accounts_bp,
        directory_bp,
        registration_bp,
        coordination_bp,
        requests_bp,
        public_bp,
        public_cases_bp,
        epc_bp,
        epc_public_bp,
        repositories_bp,
        translations_bp,
        search_bp,
        proof_bp,
        audit_bp,
        pdf_bp,
    ):
        app.register_blueprint(bp)
    from app.blueprints.alerts import bp as alerts_bp  # noqa: E402

    app.register_blueprint(alerts_bp)
    from app.blueprints.notifications import bp as notifications_bp  # noqa: E402

    app.register_blueprint(notifications_bp)


_static_hashes: dict[str, str] = {}


def static_url(filename: str) -> str:
    """URL of a static file with its content hash, so it can be cached for a year. Built
    once per app and script root (the instance's prefix), as are the hashes."""
    from flask import current_app, has_request_context

    urls = current_app.extensions.setdefault("openimi.static_urls", {})
    key = (request.script_root if has_request_context() else None, filename)
    url = urls.get(key)
    if url is None:
        digest = _static_hashes.get(filename)
        if digest is None:
            digest = hashlib.sha256((STATIC_DIR / filename).read_bytes()).hexdigest()[:12]
            _static_hashes[filename] = digest
        url = urls[key] = url_for("static", filename=filename, v=digest)
    return url


def external_url(endpoint: str, **values) -> str:
    """An absolute link for mail and jobs, always on PUBLIC_URL: never on the request's
    Host header, which whoever sends the request chooses (a reset link to their host)."""
    from flask import current_app

    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def _register_template_helpers(app: Flask) -> None:
    from app import vocabulary
    from app.blueprints.access import current_actor
    from app.blueprints.navigation import section as nav_section
    from app.policy import may_preview_packs
    from app.reference import country_name, language_name, sorted_by_name
    from app.translation import shown
    from app.translation import texts as translations

    app.jinja_env.globals["url_for"] = kept_url_for

    @app.context_processor
    def inject() -> dict:
        language = str(get_locale() or "en")  # once per rendering, not per use
        return {
            "static_url": static_url,
            "shell_part": shell.part,
            "id_urls": id_urls,
            "current_actor": current_actor,
            "may_preview_packs": may_preview_packs,
            "nav_section": nav_section,
            "languages": LANGUAGES,
            # Named in the reader's language unless told otherwise (the language menu
            # names each language in itself).
            "language_name": lambda code, in_language=None: language_name(
                code, in_language or language
            ),
            "country_name": country_name,
            "country_names": _country_names,
            "external_url": external_url,
            "current_language": language,
            "training": app.config["TRAINING"],
            "procedure_name": lambda p: procedure_name(app, p.key, p.name, language),
            "procedure_label": lambda key: procedure_name(app, key, key, language),
            # the same, looked up without a call (a list's rows), each key named once
            "procedure_labels": _Named(lambda key: procedure_name(app, key, key, language)),
            "text_view": _text_view,
            "mt_available": translations.available,
            "concept_label": lambda key: vocabulary.label(key, language),
        }

    def _country_names(codes) -> list[str]:
        """Countries' names, in the reader's language and in its order."""
        language = str(get_locale() or "en")
        return [
            n for _, n in sorted_by_name(((c, country_name(c, language)) for c in codes), language)
        ]

    @pass_context
    def _text_view(context, kind: str, row):
        """The view the page loaded for the row's text (`texts`, from shown.of_case or
        shown.views_for). A page that loaded none costs two statements per text."""
        loaded = context.get("texts") or {}
        key = (kind, row.id)
        if key in loaded:
            return loaded[key]
        return shown.views_for([(kind, row)], shown.current_language()).get(key)


class _Named(dict):
    """Names by key, each made by `name` at its first use in one rendering."""

    __slots__ = ("name",)

    def __init__(self, name) -> None:
        super().__init__()
        self.name = name

    def __missing__(self, key):
        value = self[key] = self.name(key)
        return value


def _deny_by_default(app: Flask) -> None:
    """A view that declares no permission is never served."""

    @app.before_request
    def require_permission_marker():
        if request.endpoint in (None, "static"):
            return None
        view = app.view_functions.get(request.endpoint)
        if getattr(view, "permission", None) is None:
            g.missing_permission = request.endpoint
            from flask import abort

            abort(404)
        return None
