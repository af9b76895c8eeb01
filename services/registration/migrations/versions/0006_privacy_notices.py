"""privacy notices

Each event's own privacy notice, one row per version: a published version is
never changed, a new text is a new row with a higher number.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:40:00
"""
from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('privacy_notices',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text_it', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=True),
    sa.Column('published_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['listings.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'version', name='uq_privacy_notices_event_version')
    )


def downgrade() -> None:
    op.drop_table('privacy_notices')
