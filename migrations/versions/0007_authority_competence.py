"""Authorities' competences as concepts of the multilingual vocabulary; search indexes

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('authority_competence',
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('concept_key', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_authority_competence_authority_id_authority'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('authority_id', 'concept_key', name=op.f('pk_authority_competence'))
    )
    with op.batch_alter_table('authority_competence', schema=None) as batch_op:
        batch_op.create_index('ix_authority_competence_concept', ['concept_key', 'authority_id'], unique=False)

    # words inside the folded search text, by trigram on PostgreSQL (a trusted extension:
    # the database owner may create it); a plain, unused index on SQLite
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        # names sort by code point, as on SQLite, whatever the database's locale
        op.execute('ALTER TABLE authority ALTER COLUMN name TYPE varchar(300) COLLATE "C"')
    with op.batch_alter_table('authority', schema=None) as batch_op:
        batch_op.create_index('ix_authority_name', ['name', 'id'], unique=False)
        batch_op.create_index('ix_authority_search_text_trgm', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})


def downgrade() -> None:
    with op.batch_alter_table('authority', schema=None) as batch_op:
        batch_op.drop_index('ix_authority_search_text_trgm')
        batch_op.drop_index('ix_authority_name')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE authority ALTER COLUMN name TYPE varchar(300) COLLATE "default"')

    with op.batch_alter_table('authority_competence', schema=None) as batch_op:
        batch_op.drop_index('ix_authority_competence_concept')

    op.drop_table('authority_competence')
