"""EPC applicants, applications and cards

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 23:45:28.043235
"""

from alembic import op
import sqlalchemy as sa


revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "epc_applicant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("confirm_hash", sa.String(length=64), nullable=True),
        sa.Column("confirm_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epc_applicant")),
        sa.UniqueConstraint("confirm_hash", name=op.f("uq_epc_applicant_confirm_hash")),
        sa.UniqueConstraint("email", name=op.f("uq_epc_applicant_email")),
    )
    with op.batch_alter_table("epc_applicant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_epc_applicant_active_at"), ["active_at"], unique=False)

    op.create_table(
        "epc_document",
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["epc_applicant.id"],
            name=op.f("fk_epc_document_applicant_id_epc_applicant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epc_document")),
        sa.UniqueConstraint("storage_name", name=op.f("uq_epc_document_storage_name")),
    )
    with op.batch_alter_table("epc_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_epc_document_applicant_id"), ["applicant_id"], unique=False
        )

    op.create_table(
        "epc_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("procedure_key", sa.String(length=80), nullable=False),
        sa.Column("pack_version", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("profession", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("home_country", sa.String(length=2), nullable=False),
        sa.Column("host_country", sa.String(length=2), nullable=False),
        sa.Column("home_authority_id", sa.Integer(), nullable=False),
        sa.Column("host_authority_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "submitted",
                "acknowledged",
                "transferred",
                "issued",
                "refused",
                "revoked",
                name="epcstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("identity_key", sa.String(length=64), nullable=False),
        sa.Column("missing_documents", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("transferred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("home_due", sa.Date(), nullable=True),
        sa.Column("host_due", sa.Date(), nullable=True),
        sa.Column("extensions", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("card_code", sa.String(length=20), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("tacit", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("block_due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erase_due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
            name=op.f("fk_epc_application_alert_id_alert"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["epc_applicant.id"],
            name=op.f("fk_epc_application_applicant_id_epc_applicant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["home_authority_id"],
            ["authority.id"],
            name=op.f("fk_epc_application_home_authority_id_authority"),
        ),
        sa.ForeignKeyConstraint(
            ["host_authority_id"],
            ["authority.id"],
            name=op.f("fk_epc_application_host_authority_id_authority"),
        ),
        sa.ForeignKeyConstraint(
            ["procedure_key"],
            ["procedure.key"],
            name=op.f("fk_epc_application_procedure_key_procedure"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epc_application")),
        sa.UniqueConstraint("card_code", name=op.f("uq_epc_application_card_code")),
        sa.UniqueConstraint("reference", name=op.f("uq_epc_application_reference")),
    )
    with op.batch_alter_table("epc_application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_epc_application_applicant_id"), ["applicant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_epc_application_block_due"), ["block_due"], unique=False
        )
        batch_op.create_index("ix_epc_application_due", ["state", "host_due"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_epc_application_erase_due"), ["erase_due"], unique=False
        )
        batch_op.create_index(
            "ix_epc_application_home", ["home_authority_id", "updated_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_epc_application_host", ["host_authority_id", "updated_at", "id"], unique=False
        )

    op.create_table(
        "epc_application_document",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["epc_application.id"],
            name=op.f("fk_epc_application_document_application_id_epc_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["epc_document.id"],
            name=op.f("fk_epc_application_document_document_id_epc_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "application_id", "document_id", name=op.f("pk_epc_application_document")
        ),
    )
    op.create_table(
        "epc_event",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authority.id"], name=op.f("fk_epc_event_authority_id_authority")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["epc_application.id"],
            name=op.f("fk_epc_event_case_id_epc_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_epc_event_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epc_event")),
    )
    with op.batch_alter_table("epc_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_epc_event_case_id"), ["case_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("epc_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epc_event_case_id"))

    op.drop_table("epc_event")
    op.drop_table("epc_application_document")
    with op.batch_alter_table("epc_application", schema=None) as batch_op:
        batch_op.drop_index("ix_epc_application_host")
        batch_op.drop_index("ix_epc_application_home")
        batch_op.drop_index(batch_op.f("ix_epc_application_erase_due"))
        batch_op.drop_index("ix_epc_application_due")
        batch_op.drop_index(batch_op.f("ix_epc_application_block_due"))
        batch_op.drop_index(batch_op.f("ix_epc_application_applicant_id"))

    op.drop_table("epc_application")
    with op.batch_alter_table("epc_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epc_document_applicant_id"))

    op.drop_table("epc_document")
    with op.batch_alter_table("epc_applicant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epc_applicant_active_at"))

    op.drop_table("epc_applicant")
