"""Authorities, coordinators, procedures and the access coordinators grant to them."""

from __future__ import annotations

import enum
from datetime import datetime
from functools import lru_cache

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.ownership import owned, owner
from app.text import fold


class AuthorityKind(enum.StrEnum):
    AUTHORITY = "authority"
    NATIONAL_COORDINATOR = "national_coordinator"
    DELEGATED_COORDINATOR = "delegated_coordinator"
    COMMISSION = "commission"


class AuthorityStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REJECTED = "rejected"


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@lru_cache(maxsize=8192)
def _folded(name: str) -> str:
    """An authority's name folded, once per process: a list shows the same names on every
    page, and folding one letter by letter was a tenth of a directory page."""
    return fold(name)


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Authority(Base):
    __tablename__ = "authority"
    __table_args__ = (
        Index("ix_authority_country_name", "country", "name", "id"),
        Index("ix_authority_name", "name", "id"),
        # Directory search looks for words inside search_text (LIKE '%word%'): on
        # PostgreSQL a trigram index answers that; SQLite gets a plain index it leaves unused
        # (one declaration keeps models and migrations equal on both).
        Index(
            "ix_authority_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AuthorityKind] = mapped_column(
        _enum(AuthorityKind), default=AuthorityKind.AUTHORITY
    )
    status: Mapped[AuthorityStatus] = mapped_column(
        _enum(AuthorityStatus), default=AuthorityStatus.PENDING
    )
    # ISO 3166 alpha-2, or "EU" for the Commission.
    country: Mapped[str] = mapped_column(String(2))
    # English name; names in the authority's own language(s) live in local_names.
    # Compared by code point on PostgreSQL as on SQLite, so lists sort alike on both.
    name: Mapped[str] = mapped_column(
        String(300).with_variant(String(300, collation="C"), "postgresql")
    )
    local_names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    competences: Mapped[str] = mapped_column(Text, default="")
    # Name, local names and competences folded (case, accents) for search. Only SQL reads
    # it: not loaded with the authority (every page loads several).
    search_text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    # Where the authority is: a NUTS code (Regulation (EC) No 1059/2003: "DE2" Bavaria,
    # "DE21" Upper Bavaria), or "" when nobody said. A code, not a region's name: it is the
    # same in every language, and a region contains its sub-regions by prefix.
    region: Mapped[str] = mapped_column(String(10), default="")
    # A delegated coordinator's procedures (empty: all of its national coordinator's).
    coordinated_procedures: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A delegated coordinator's region, a NUTS code (empty: the whole country): it governs
    # the authorities whose `region` lies in it.
    coordinated_region: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Authority | None] = relationship(remote_side=[id])
    access: Mapped[list[ProcedureAccess]] = owned("ProcedureAccess.procedure_key", "authority")
    concepts: Mapped[list[AuthorityCompetence]] = owned("AuthorityCompetence.concept_key")

    @property
    def is_coordinator(self) -> bool:
        return self.kind != AuthorityKind.AUTHORITY

    @property
    def is_active(self) -> bool:
        return self.status == AuthorityStatus.ACTIVE

    def official_name(self, language: str | None = None) -> tuple[str, str]:
        """(language, name): its official name in the reader's language when it has one
        there (Belgium's in Dutch or French), else in its first own language, else English."""
        names = self.local_names or {}
        if language and language in names:
            return language, names[language]
        return next(iter(names.items()), ("en", self.name))

    def names(self, language: str | None = None) -> list[tuple[str, str]]:
        """(language, name) to show a reader: the official name, then the English name when
        it says more than a change of case or accents."""
        official = self.official_name(language)
        if _folded(official[1]) == _folded(self.name):
            return [official]
        return [official, ("en", self.name)]

    def display_name(self, language: str | None = None) -> str:
        """Both names as one line of text."""
        return " / ".join(name for _, name in self.names(language))

    def choice_label(self, language: str | None = None) -> str:
        """Both names and the country, for a list of authorities to choose from."""
        return f"{self.display_name(language)} ({self.country})"

    @property
    def concept_keys(self) -> list[str]:
        return [c.concept_key for c in self.concepts]


class AuthorityCompetence(Base):
    """A concept of the competence vocabulary (app/vocabulary) an authority is competent
    for: a profession, an activity or a policy area, named in every language there."""

    __tablename__ = "authority_competence"
    # search looks authorities up by concept
    __table_args__ = (Index("ix_authority_competence_concept", "concept_key", "authority_id"),)

    authority_id: Mapped[int] = owner("authority", primary_key=True)
    concept_key: Mapped[str] = mapped_column(String(80), primary_key=True)


class Procedure(Base):
    """Until the procedure packs land, a procedure is a key, a name and its policy area."""

    __tablename__ = "procedure"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    policy_area: Mapped[str] = mapped_column(String(80))


class ProcedureAccess(Base):
    __tablename__ = "procedure_access"
    __table_args__ = (UniqueConstraint("authority_id", "procedure_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = owner("authority")
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedure.key"))
    # requester, responder, alert_sender, alert_receiver, repository_editor
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority] = relationship(back_populates="access")
    procedure: Mapped[Procedure] = relationship()


class Registration(Base):
    """An authority's application to join, decided by its country's coordinator."""

    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_email: Mapped[str] = mapped_column(String(254))
    message: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    status: Mapped[RegistrationStatus] = mapped_column(
        _enum(RegistrationStatus), default=RegistrationStatus.PENDING
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    authority: Mapped[Authority] = relationship()

    @property
    def reference(self) -> str:
        """What the applicant quotes: REG-2027-0000042 (the year it was made, its number)."""
        return f"REG-{self.created_at.year}-{self.id:07d}"
