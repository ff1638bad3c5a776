"""Counterpart ratings: the requesting authority's rating of the reply to a closed request

One row per closed request and requesting authority (timeliness and satisfaction on a
scale of 1 to 4, an optional comment), kept for statistics after the request's personal
data are erased (app/models/ratings.py).

Revision ID: 0022
Revises: 0021
"""

from alembic import op
import sqlalchemy as sa

from app.models.base import UTCDateTime


revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("rater_authority_id", sa.Integer(), nullable=False),
        sa.Column("rated_authority_id", sa.Integer(), nullable=False),
        sa.Column("rater_country", sa.String(length=2), nullable=False),
        sa.Column("rated_country", sa.String(length=2), nullable=False),
        sa.Column("procedure_key", sa.String(length=80), nullable=False),
        sa.Column("timeliness", sa.SmallInteger(), nullable=False),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("rated_by_id", sa.Integer(), nullable=True),
        sa.Column("rated_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "satisfaction BETWEEN 1 AND 4", name=op.f("ck_reply_rating_satisfaction_scale")
        ),
        sa.CheckConstraint(
            "timeliness BETWEEN 1 AND 4", name=op.f("ck_reply_rating_timeliness_scale")
        ),
        sa.ForeignKeyConstraint(
            ["procedure_key"], ["procedure.key"],
            name=op.f("fk_reply_rating_procedure_key_procedure"),
        ),
        sa.ForeignKeyConstraint(
            ["rated_authority_id"], ["authority.id"],
            name=op.f("fk_reply_rating_rated_authority_id_authority"),
        ),
        sa.ForeignKeyConstraint(
            ["rated_by_id"], ["user.id"],
            name=op.f("fk_reply_rating_rated_by_id_user"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rater_authority_id"], ["authority.id"],
            name=op.f("fk_reply_rating_rater_authority_id_authority"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["request.id"], name=op.f("fk_reply_rating_request_id_request")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_rating")),
        sa.UniqueConstraint(
            "request_id", "rater_authority_id", name=op.f("uq_reply_rating_request_id")
        ),
    )
    op.create_index(
        "ix_reply_rating_rated_at", "reply_rating", ["rated_authority_id", "rated_at"]
    )
    op.create_index("ix_reply_rating_country_at", "reply_rating", ["rated_country", "rated_at"])


def downgrade() -> None:
    op.drop_index("ix_reply_rating_country_at", table_name="reply_rating")
    op.drop_index("ix_reply_rating_rated_at", table_name="reply_rating")
    op.drop_table("reply_rating")
