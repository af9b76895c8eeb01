"""outbox held_reason: why the relay held an event back instead of publishing it

The relay checks each outbox body against its event's schema before
publishing; one that fails stays in the outbox with the reason here.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('held_reason')
