"""online delivery: an event's and a session's delivery mode and online room

Events get delivery_mode (in_person for every existing one), their online
room and join_link_lead_minutes; sessions a nullable delivery_mode and room
(NULL: as the event); released versions keep the sessions' rooms apart from
the public snapshot (online_rooms).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 19:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _room_columns() -> list[sa.Column]:
    return [
        sa.Column('online_platform', sa.String(length=20), nullable=True),
        sa.Column('online_join_url', sa.String(length=2000), nullable=True),
        sa.Column('online_meeting_id', sa.String(length=100), nullable=True),
        sa.Column('online_passcode', sa.String(length=100), nullable=True),
        sa.Column('online_dial_in', sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery_mode', sa.String(length=10), server_default='in_person', nullable=False))
        batch_op.add_column(sa.Column('join_link_lead_minutes', sa.Integer(), server_default='60', nullable=False))
        for column in _room_columns():
            batch_op.add_column(column)
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery_mode', sa.String(length=10), nullable=True))
        for column in _room_columns():
            batch_op.add_column(column)
    with op.batch_alter_table('schedule_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online_rooms', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('schedule_versions', schema=None) as batch_op:
        batch_op.drop_column('online_rooms')
    room = [column.name for column in _room_columns()]
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        for name in ['delivery_mode', *room]:
            batch_op.drop_column(name)
    with op.batch_alter_table('events', schema=None) as batch_op:
        for name in ['delivery_mode', 'join_link_lead_minutes', *room]:
            batch_op.drop_column(name)
