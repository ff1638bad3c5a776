"""Demo data: a directory of real authorities (directory.toml) in 8 countries, with
users of every role, and cases of every kind made through the services.

Idempotent: running it again changes nothing. Each instance has its own accounts
(production: @demo.openimi.eu, training: @training.openimi.eu) and password.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.accounts import credentials
from app.demo import alerts as demo_alerts
from app.demo import directory as demo_directory
from app.demo import epc as demo_epc
from app.demo import notifications as demo_notifications
from app.demo import public as demo_public
from app.demo import repositories as demo_repositories
from app.demo import requests as demo_requests
from app.demo.common import officer
from app.extensions import db
from app.models import Authority, Membership, Request, User
from app.models.accounts import UserStatus
from app.procedures import store as procedures

PASSWORDS = {"production": "imi demo harbour lantern", "training": "imi training harbour lantern"}
DOMAINS = {"production": "demo.openimi.eu", "training": "training.openimi.eu"}


@dataclass
class DemoAccount:
    email: str
    password: str
    totp_secret: str
    authority: str
    country: str
    roles: list[str]
    instance: str


def _secret(instance: str, email: str) -> str:
    """A stable TOTP secret per demo account, so seeding twice changes nothing."""
    digest = hashlib.sha256(f"openimi-demo|{instance}|{email}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def seed() -> list[DemoAccount]:
    """Create the demo data of the current instance (if missing); return its accounts."""
    instance = current_app.config["INSTANCE"]
    password = PASSWORDS[instance]
    existing_hash = db.session.scalar(
        select(User.password_hash).where(User.email.like(f"%@{DOMAINS[instance]}")).limit(1)
    )
    password_hash = existing_hash or credentials.hash_password(password)
    accounts: list[DemoAccount] = []

    procedures.sync()

    def user(
        authority: Authority,
        slug: str,
        full_name: str,
        roles: list[str],
        language: str,
        role_areas: dict[str, list[str]] | None = None,
    ):
        email = f"{slug}@{DOMAINS[instance]}"
        found = db.session.scalar(select(User).where(User.email == email))
        if found is None:
            found = User(
                email=email,
                full_name=full_name,
                language=language,
                status=UserStatus.ACTIVE,
                password_hash=password_hash,
                totp_secret=_secret(instance, email),
                totp_enrolled=True,
            )
            db.session.add(found)
            db.session.flush()
            db.session.add(
                Membership(
                    user_id=found.id,
                    authority_id=authority.id,
                    roles=roles,
                    role_areas=role_areas or {},
                )
            )
        accounts.append(
            DemoAccount(
                email,
                password,
                found.totp_secret,
                authority.name,
                authority.country,
                roles,
                instance,
            )
        )

    demo_directory.seed(user)
    db.session.commit()
    if db.session.scalar(select(Request.id).limit(1)) is None:
        demo_requests.seed()
    demo_requests.seed_ratings()
    demo_public.seed(user)
    demo_epc.seed()
    demo_repositories.seed(officer)
    demo_alerts.seed()
    demo_notifications.seed(user)
    db.session.commit()
    return accounts


def list_accounts() -> list[DemoAccount]:
    """The demo accounts that exist in the current instance."""
    instance = current_app.config["INSTANCE"]
    rows = db.session.scalars(
        select(Membership)
        .join(User)
        .where(User.email.like(f"%@{DOMAINS[instance]}"))
        .order_by(User.email)
    )
    return [
        DemoAccount(
            m.user.email,
            PASSWORDS[instance],
            m.user.totp_secret or "",
            m.authority.name,
            m.authority.country,
            list(m.roles),
            instance,
        )
        for m in rows
    ]
