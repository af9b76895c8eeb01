"""search trigrams: the organisers' search from a trigram index on PostgreSQL

ix_registrations_search holds the trigrams (pg_trgm, GIN) of one lower-case
text: first name, last name, e-mail and organisation joined by chr(31). The
search's LIKE '%q%' on that very expression (store/search.py) is answered from
it instead of reading every row. It is not partial (erased rows keep only an
erased-...@erased.invalid address): the planner takes the statistics of an
index expression from a whole-table index only, and needs them to tell a rare
search from one that matches most rows. PostgreSQL only: SQLite has no trigram
index, and there this migration does nothing. The downgrade drops the index
and leaves the extension, which other objects of the database may use.

Revision ID: 0011_search_trigrams
Revises: 0010_organiser_indexes
Create Date: 2026-12-08 10:00:00
"""
from alembic import op


revision = '0011_search_trigrams'
down_revision = '0010_organiser_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.execute(
        "CREATE INDEX ix_registrations_search ON registrations USING gin "
        "(lower(first_name || chr(31) || last_name || chr(31) || email || chr(31) || organisation) gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_registrations_search', table_name='registrations')
