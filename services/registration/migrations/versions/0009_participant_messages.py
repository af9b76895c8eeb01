"""participant messages

The messages organisers write to a group of an event's participants (the
page's history, and the hourly cap per event counts them).

Revision ID: 0009_participant_messages
Revises: 0008_surveys_and_records
Create Date: 2026-12-05 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0009_participant_messages'
down_revision = '0008_surveys_and_records'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('participant_messages',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('audience_key', sa.String(length=64), nullable=True),
    sa.Column('subject_it', sa.String(length=200), nullable=False),
    sa.Column('subject_en', sa.String(length=200), nullable=True),
    sa.Column('body_it', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=True),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('sent_by', sa.String(length=64), nullable=False),
    sa.Column('sent_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['listings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_participant_messages_event_sent', 'participant_messages', ['event_id', 'sent_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_participant_messages_event_sent', table_name='participant_messages')
    op.drop_table('participant_messages')
