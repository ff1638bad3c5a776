"""The directory's search text: names first, and letters such as ł, æ, ø, ħ written plain

Directory search now tells a word in an authority's names (or city) from one in its
free-text competences (an authority's name ranks it first: app/directory `search_text`),
and folds letters a keyboard may lack the way officers type them ("Główny" as "glowny",
"læge" as "laege"). Every authority's search text is written again in that form.

Revision ID: 0019
Revises: 0018
"""

from alembic import op
import sqlalchemy as sa

from app.directory import search_text


revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

AUTHORITY = sa.table(
    "authority",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("local_names", sa.JSON),
    sa.column("city", sa.String),
    sa.column("competences", sa.Text),
    sa.column("search_text", sa.Text),
)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            AUTHORITY.c.id,
            AUTHORITY.c.name,
            AUTHORITY.c.local_names,
            AUTHORITY.c.city,
            AUTHORITY.c.competences,
        )
    ).all()
    for ident, name, local_names, city, competences in rows:
        text = search_text([name, *(local_names or {}).values()], city or "", competences or "")
        connection.execute(
            AUTHORITY.update().where(AUTHORITY.c.id == ident).values(search_text=text)
        )


def downgrade() -> None:
    pass  # the new text still finds every authority the old one did
