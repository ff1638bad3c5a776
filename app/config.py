"""Configuration from the environment, one instance ("production" or "training") at a time."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

INSTANCES = ("production", "training")
# Settings with no safe default: outside development the app refuses to start without
# them rather than guess (a SQLite file, a key nobody chose, links on the Host header).
REQUIRED = {
    "SQLALCHEMY_DATABASE_URI": "DATABASE_URL",
    "SECRET_KEY": "SECRET_KEY",
    "PUBLIC_URL": "PUBLIC_URL",
}


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def _instance_dir() -> Path:
    path = Path(os.environ.get("OPENIMI_INSTANCE_DIR", Path.cwd() / "instance")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _persistent_secret(name: str) -> str:
    """A random key kept in the instance folder, so that an embedded run keeps its sessions."""
    path = _instance_dir() / name
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _env_name(name: str, instance: str) -> str:
    """NAME for production, TRAINING_NAME for the training instance."""
    return name if instance == "production" else f"TRAINING_{name}"


def _env(name: str, instance: str) -> str | None:
    return os.environ.get(_env_name(name, instance))


def _development_url(training: bool) -> str:
    """Where `make run` serves: links in development mail point there."""
    return f"http://127.0.0.1:{os.environ.get('PORT', '5000')}" + ("/training" if training else "")


def load_config(instance: str) -> dict:
    if instance not in INSTANCES:
        raise ConfigError(f"unknown instance {instance!r}")
    training = instance == "training"
    folder = _instance_dir()
    suffix = "-training" if training else ""
    dev = os.environ.get("OPENIMI_ENV", "production") == "development"
    # 10 MB, as the pages write sizes (decimal units): 10 MiB would read "10.5 MB".
    attachment_max = int(os.environ.get("ATTACHMENT_MAX_BYTES", "10000000"))
    redis_url = _env("REDIS_URL", instance) or (os.environ.get("REDIS_URL") if training else None)
    # Development guesses what production must be told (see finish_config).
    defaults = {
        "DATABASE_URL": lambda: f"sqlite:///{folder / f'openimi{suffix}.db'}",
        "SECRET_KEY": lambda: _persistent_secret(f"secret_key{suffix}"),
        "PUBLIC_URL": lambda: _development_url(training),
    }
    given = {
        name: _env(name, instance) or (default() if dev else None)
        for name, default in defaults.items()
    }
    extra_hosts = os.environ.get("TRUSTED_HOSTS", "localhost" if dev else "")
    return {
        "INSTANCE": instance,
        "TRAINING": training,
        "SQLALCHEMY_DATABASE_URI": given["DATABASE_URL"],
        # Connections are checked at checkout without a round trip (app/database.py).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "SECRET_KEY": given["SECRET_KEY"],
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": _env("REDIS_PREFIX", instance) or f"openimi{suffix}",
        # Seconds a request waits for Redis (to connect, or for an answer) before it
        # gives up: the outbox keeps the work (app/jobs/__init__.py connect).
        "REDIS_SOCKET_TIMEOUT": float(os.environ.get("REDIS_SOCKET_TIMEOUT") or "1"),
        # The key of the backup manifest's HMAC (app/records/backup.py); unset: one derived
        # from SECRET_KEY. A restore on another machine needs the same key.
        "BACKUP_SIGNING_KEY": _env("BACKUP_SIGNING_KEY", instance) or None,
        "UPLOAD_DIR": str(
            Path(_env("UPLOAD_DIR", instance) or folder / f"uploads{suffix}").resolve()
        ),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        # After this many seconds a claimed outbox row whose sender died is sent again
        # (app/mail.py SENDING_LEASE): longer than a mail job may run (60 s).
        "MAIL_SENDING_LEASE_SECONDS": float(os.environ.get("MAIL_SENDING_LEASE_SECONDS") or "90"),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "OpenIMI <no-reply@openimi.invalid>"),
        "PUBLIC_URL": given["PUBLIC_URL"],
        # Hosts besides PUBLIC_URL's that requests may name (finish_config adds that one).
        "TRUSTED_HOSTS": [host.strip() for host in extra_hosts.split(",") if host.strip()],
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": True,
        "SESSION_COOKIE_NAME": f"openimi{suffix}_session",
        "SESSION_COOKIE_SECURE": not dev,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=30),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=12),
        "ATTACHMENT_MAX_BYTES": attachment_max,
        # Up to five files of the largest size in one form (compose takes several), and a
        # little more, so that a too large file gets the form's own clear message.
        "MAX_CONTENT_LENGTH": 5 * attachment_max + 1024 * 1024,
        "SEND_FILE_MAX_AGE_DEFAULT": timedelta(days=365),
        # How much a PDF job's work horse may grow (address space), beyond the worker's size.
        "PDF_MEMORY_LIMIT_MB": int(os.environ.get("PDF_MEMORY_LIMIT_MB", "1024")),
        "INVITATION_LIFETIME": timedelta(days=7),
        "PASSWORD_RESET_LIFETIME": timedelta(hours=1),
        # The least time a "we mail you if it exists" form takes (app/pacing.py): above
        # what mailing takes, so the answer's timing does not tell whether it exists.
        "UNIFORM_RESPONSE_SECONDS": float(os.environ.get("UNIFORM_RESPONSE_SECONDS", "0.5")),
        # Folders of procedure packs: the built-in ones, then PROCEDURE_DIRS (os.pathsep).
        "PROCEDURE_DIRS": [
            str(Path(__file__).resolve().parent / "procedures"),
            *filter(None, os.environ.get("PROCEDURE_DIRS", "").split(os.pathsep)),
        ],
        **_mt_config(instance),
        "DEVELOPMENT": dev,
        "BEHIND_PROXY": os.environ.get("BEHIND_PROXY") == "1",
    }


def finish_config(config: dict) -> None:
    """Refuse an incomplete configuration, then trust requests for PUBLIC_URL's host and
    the TRUSTED_HOSTS list only: Flask answers any other Host header with 400."""
    instance = config["INSTANCE"]
    missing = [_env_name(name, instance) for key, name in REQUIRED.items() if not config.get(key)]
    if missing:
        raise ConfigError(
            f"the {instance} instance needs {', '.join(missing)} "
            "(only OPENIMI_ENV=development runs without them)"
        )
    public = urlsplit(config["PUBLIC_URL"])
    if public.scheme not in ("http", "https") or not public.hostname:
        raise ConfigError(
            f"{_env_name('PUBLIC_URL', instance)} must be the address users open, "
            "like https://imi.example.eu"
        )
    hosts = [public.hostname, *config["TRUSTED_HOSTS"]]
    config["TRUSTED_HOSTS"] = list(dict.fromkeys(hosts))
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        # Every plan made for the values at hand. psycopg prepares a statement run five
        # times on a connection, and PostgreSQL may then keep one generic plan for it,
        # made for average values: for an authority with 20,000 of the million requests
        # (50,000 authorities), the inbox's generic plan sorted all of them to show 25,
        # 160 ms instead of 0.7 ms, and the inbox fell from 80 to 12 pages/s under load
        # (bench/load.py). The statements stay prepared (parsed once); only planning runs
        # each time, a fraction of a millisecond.
        options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("options", "-c plan_cache_mode=force_custom_plan")
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}


MT_PROVIDERS = ("none", "apertium", "libretranslate", "etranslation")


def _mt_config(instance: str) -> dict:
    """Machine translation: the engine and its settings (see app/translation/mt.py)."""
    provider = _env("MT_PROVIDER", instance) or os.environ.get("MT_PROVIDER") or "none"
    if provider not in MT_PROVIDERS:
        raise ConfigError(f"MT_PROVIDER must be one of {', '.join(MT_PROVIDERS)}")
    config = {
        "MT_PROVIDER": provider,
        "MT_TIMEOUT": float(os.environ.get("MT_TIMEOUT", "20")),
        "APERTIUM_URL": os.environ.get("APERTIUM_URL", "http://127.0.0.1:2737"),
        "LIBRETRANSLATE_URL": os.environ.get("LIBRETRANSLATE_URL", "http://127.0.0.1:5001"),
        "LIBRETRANSLATE_API_KEY": os.environ.get("LIBRETRANSLATE_API_KEY", ""),
        "ETRANSLATION_URL": os.environ.get(
            "ETRANSLATION_URL", "https://webgate.ec.europa.eu/etranslation/si/translate"
        ),
        "ETRANSLATION_APPLICATION": os.environ.get("ETRANSLATION_APPLICATION", ""),
        "ETRANSLATION_PASSWORD": os.environ.get("ETRANSLATION_PASSWORD", ""),
        # Part of the callback address, so that only eTranslation can post results.
        "ETRANSLATION_CALLBACK_SECRET": _env("ETRANSLATION_CALLBACK_SECRET", instance) or "",
    }
    if provider == "etranslation" and not (
        config["ETRANSLATION_APPLICATION"]
        and config["ETRANSLATION_PASSWORD"]
        and len(config["ETRANSLATION_CALLBACK_SECRET"]) >= 32
        and _env("PUBLIC_URL", instance)
    ):
        raise ConfigError(
            "eTranslation needs ETRANSLATION_APPLICATION, ETRANSLATION_PASSWORD, "
            "PUBLIC_URL and an ETRANSLATION_CALLBACK_SECRET of at least 32 characters"
        )
    return config


def check_isolation(production: dict, training: dict) -> None:
    """Refuse to start when the training instance shares anything with production."""
    shared = []
    keys = (
        "SQLALCHEMY_DATABASE_URI",
        "SECRET_KEY",
        "UPLOAD_DIR",
        "SESSION_COOKIE_NAME",
        "PUBLIC_URL",
    )
    for key in keys:
        if production[key] == training[key]:
            shared.append(key)
    if production["REDIS_PREFIX"] == training["REDIS_PREFIX"] and (
        production["REDIS_URL"] == training["REDIS_URL"]
    ):
        shared.append("REDIS_PREFIX")
    if shared:
        raise ConfigError(
            "the training instance must not share configuration with production: "
            + ", ".join(shared)
        )
