"""People, their memberships in authorities, and what authenticates them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.directory import Authority, _enum
from app.models.ownership import owner

ROLES = (
    "admin",
    "allocator",
    "handler",
    "alert_handler",
    "viewer",
    "coordinator",
    "access_manager",
)
# The roles that act on cases, which a membership may hold in some legislative areas only
# (a procedure pack's policy_area); the others (administering the authority, coordinating,
# managing access) hold for the whole authority.
AREA_ROLES = ("allocator", "handler", "alert_handler", "viewer")


class UserStatus(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    SUSPENDED = "suspended"


class User(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="en")
    # Machine-translate incoming free text into `language` as it arrives.
    auto_translate: Mapped[bool] = mapped_column(default=False)
    status: Mapped[UserStatus] = mapped_column(_enum(UserStatus), default=UserStatus.INVITED)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enrolled: Mapped[bool] = mapped_column(default=False)
    # The last accepted TOTP time step: a code is never accepted twice.
    totp_last_step: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_active(self) -> bool:
        return self.status == UserStatus.ACTIVE

    def get_id(self) -> str:
        return str(self.id)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "authority_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner("user")
    authority_id: Mapped[int] = owner("authority")
    # Every role held, in all areas or in some (a role named nowhere else is held nowhere).
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The roles held in some legislative areas only: role -> its areas (policy areas of the
    # procedure packs). A role of `roles` not in here is held in all areas, so that a
    # membership made before areas existed, and the usual one, holds its roles everywhere.
    role_areas: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the authority's local administrator: no access to this authority, while the
    # account and its other memberships keep working.
    suspended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="memberships")
    authority: Mapped[Authority] = relationship()

    @property
    def is_active(self) -> bool:
        """Whether the member may act for the authority now."""
        return self.suspended_at is None and self.authority.is_active


class RecoveryCode(Base):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner("user", index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class Invitation(Base):
    """A link that lets a person set a password and join an authority with some roles."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200))
    authority_id: Mapped[int] = owner("authority")
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    # role -> its legislative areas, for the roles limited to some (Membership.role_areas)
    role_areas: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    authority: Mapped[Authority] = relationship()


class PasswordReset(Base):
    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = owner("user")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSession(Base):
    """Server-side session: the cookie carries a random token, the row its SHA-256."""

    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = owner("user", index=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
