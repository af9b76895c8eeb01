"""leaner registration indexes: every registration writes fewer of them

event_id alone is served by ix_registrations_queue (event_id, status,
queued_at); category_id and offer_expires_at are null for most rows, so
their indexes keep only the rows that have one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

HAS_CATEGORY = sa.text("category_id IS NOT NULL")
HAS_OFFER = sa.text("offer_expires_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_event_id')
        batch_op.drop_index('ix_registrations_category_id')
        batch_op.drop_index('ix_registrations_offer_expires_at')
        batch_op.create_index('ix_registrations_category_id', ['category_id'], unique=False,
                              postgresql_where=HAS_CATEGORY, sqlite_where=HAS_CATEGORY)
        batch_op.create_index('ix_registrations_offer_expires_at', ['offer_expires_at'], unique=False,
                              postgresql_where=HAS_OFFER, sqlite_where=HAS_OFFER)


def downgrade() -> None:
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_offer_expires_at')
        batch_op.drop_index('ix_registrations_category_id')
        batch_op.create_index('ix_registrations_offer_expires_at', ['offer_expires_at'], unique=False)
        batch_op.create_index('ix_registrations_category_id', ['category_id'], unique=False)
        batch_op.create_index('ix_registrations_event_id', ['event_id'], unique=False)
