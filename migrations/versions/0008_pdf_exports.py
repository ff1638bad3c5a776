"""PDF case records prepared in the background

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pdf_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                name="exportstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("file_path", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authority.id"], name=op.f("fk_pdf_export_authority_id_authority")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_pdf_export_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pdf_export")),
    )
    with op.batch_alter_table("pdf_export", schema=None) as batch_op:
        batch_op.create_index("ix_pdf_export_object", ["kind", "object_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pdf_export", schema=None) as batch_op:
        batch_op.drop_index("ix_pdf_export_object")
    op.drop_table("pdf_export")
