"""unsubscribe from reminders and digests

When a participant used the List-Unsubscribe link of a reminder or a change
digest: those mails stop for that registration (service mail still goes).

Revision ID: 0007_unsubscribe
Revises: 0006_signed_certificates
Create Date: 2026-12-05 11:00:00
"""
from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0007_unsubscribe'
down_revision = '0006_signed_certificates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attendees') as batch:
        batch.add_column(sa.Column('unsubscribed_at', shared.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('attendees') as batch:
        batch.drop_column('unsubscribed_at')
