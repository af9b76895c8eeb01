"""organiser indexes: the registrations list and the places in line from the index alone

ix_registrations_listed serves the organisers' list in its order (created_at,
id) with the state beside it, for the registrations not erased; the
dashboard counts by state and hour from it too. ix_registrations_waiting
holds only those waiting, in line order, with their category: a place in
line is a count over it.

Revision ID: 0010_organiser_indexes
Revises: 0009_participant_messages
Create Date: 2026-12-06 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_organiser_indexes'
down_revision = '0009_participant_messages'
branch_labels = None
depends_on = None

NOT_ERASED = sa.text("erased_at IS NULL")
WAITING = sa.text("status = 'waitlisted'")


def upgrade() -> None:
    op.create_index('ix_registrations_listed', 'registrations', ['event_id', 'created_at', 'id', 'status'],
                    unique=False, postgresql_where=NOT_ERASED, sqlite_where=NOT_ERASED)
    op.create_index('ix_registrations_waiting', 'registrations', ['event_id', 'queued_at', 'id', 'category_id'],
                    unique=False, postgresql_where=WAITING, sqlite_where=WAITING)


def downgrade() -> None:
    op.drop_index('ix_registrations_waiting', table_name='registrations')
    op.drop_index('ix_registrations_listed', table_name='registrations')
