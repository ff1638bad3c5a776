"""Machine-translated copies of case files, kept beside the originals

Revision ID: 0018
Revises: 0017
"""

from alembic import op
import sqlalchemy as sa


revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "translated_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_language", sa.String(length=5), nullable=False),
        sa.Column("target_language", sa.String(length=5), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "submitted", "done", "unsupported", "failed",
                name="jobstatus", native_enum=False, length=16,
            ),
            nullable=False,
        ),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("engine_version", sa.String(length=100), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=32), nullable=False),
        sa.Column("external_ref", sa.String(length=64), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["user.id"],
            name=op.f("fk_translated_file_requested_by_id_user"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translated_file")),
        sa.UniqueConstraint("external_ref", name=op.f("uq_translated_file_external_ref")),
        sa.UniqueConstraint("storage_name", name=op.f("uq_translated_file_storage_name")),
        sa.UniqueConstraint(
            "kind", "file_id", "target_language", name=op.f("uq_translated_file_kind")
        ),
    )
    op.create_index("ix_translated_file_case", "translated_file", ["kind", "case_id"])


def downgrade() -> None:
    op.drop_index("ix_translated_file_case", table_name="translated_file")
    op.drop_table("translated_file")
