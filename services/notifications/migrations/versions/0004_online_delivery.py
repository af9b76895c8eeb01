"""online delivery: the delivery mode and online room of events and sessions
(and each session's kind and whether it is a workshop),
each person's own join link, and the "starts soon" mails already sent

Existing rows are in-person events (the default) with no room; the server
defaults only fill the rows already there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 19:00:00
"""
from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event_copies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details_revision', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('delivery_mode', sa.String(length=20), nullable=False, server_default='in_person'))
        batch_op.add_column(sa.Column('online', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('join_link_lead_minutes', sa.Integer(), nullable=False, server_default='60'))
    with op.batch_alter_table('session_copies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery_mode', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('online', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='session'))
        batch_op.add_column(sa.Column('requires_signup', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('join_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('join_link_revision', sa.Integer(), nullable=False, server_default='0'))
    op.create_table('starts_soon_sent',
    sa.Column('registration_id', sa.String(length=36), nullable=False),
    sa.Column('item_key', sa.String(length=64), nullable=False),
    sa.Column('sent_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('registration_id', 'item_key')
    )


def downgrade() -> None:
    op.drop_table('starts_soon_sent')
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.drop_column('join_link_revision')
        batch_op.drop_column('join_url')
    with op.batch_alter_table('session_copies', schema=None) as batch_op:
        batch_op.drop_column('requires_signup')
        batch_op.drop_column('kind')
        batch_op.drop_column('online')
        batch_op.drop_column('delivery_mode')
    with op.batch_alter_table('event_copies', schema=None) as batch_op:
        batch_op.drop_column('join_link_lead_minutes')
        batch_op.drop_column('online')
        batch_op.drop_column('delivery_mode')
        batch_op.drop_column('details_revision')
