"""invitations and audit: e-mail invitations to an organisation and its audit log

An invitation keeps the hash of its token, the role offered, who sent it and
when it expires; the audit log keeps every change to an organisation's
members (who, when, what, before and after).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 10:00:00
"""
from alembic import op
import sqlalchemy as sa

import shared.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invitations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by', sa.String(length=36), nullable=False),
    sa.Column('created_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by'], ['accounts.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index('ix_invitations_organisation_email', ['organisation_id', 'email'], unique=False)
    op.create_table('organisation_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=False),
    sa.Column('occurred_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=True),
    sa.Column('actor_email', sa.String(length=320), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject_email', sa.String(length=320), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organisation_audit', schema=None) as batch_op:
        batch_op.create_index('ix_organisation_audit_organisation_id_id', ['organisation_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('organisation_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_audit_organisation_id_id')
    op.drop_table('organisation_audit')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index('ix_invitations_organisation_email')
    op.drop_table('invitations')
