"""credits: organisations' credit types, credits of events and sessions, session hours

Credit types belong to an organisation (name it/en, unit); event_credits and
session_credits hold the amounts granted; programme_sessions.hours holds the
certified hours of a session (NULL: its duration). Columns are added without
rebuilding the table, so the downgrade works on SQLite too.

Revision ID: 0006_credits
Revises: 0005
Create Date: 2026-12-08 11:00:00
"""
import sqlalchemy as sa
from alembic import op

import shared.db

revision = '0006_credits'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('credit_types',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=False),
    sa.Column('name_it', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('created_at', shared.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organisation_id', 'name_it')
    )
    with op.batch_alter_table('credit_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_types_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('event_credits',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('credit_type_id', sa.String(length=36), nullable=False),
    sa.Column('amount', sa.Numeric(precision=9, scale=2, asdecimal=False), nullable=False),
    sa.ForeignKeyConstraint(['credit_type_id'], ['credit_types.id'], ),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ),
    sa.PrimaryKeyConstraint('event_id', 'credit_type_id')
    )
    with op.batch_alter_table('event_credits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_credits_credit_type_id'), ['credit_type_id'], unique=False)

    op.create_table('session_credits',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('credit_type_id', sa.String(length=36), nullable=False),
    sa.Column('amount', sa.Numeric(precision=9, scale=2, asdecimal=False), nullable=False),
    sa.ForeignKeyConstraint(['credit_type_id'], ['credit_types.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['programme_sessions.id'], ),
    sa.PrimaryKeyConstraint('session_id', 'credit_type_id')
    )
    with op.batch_alter_table('session_credits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_credits_credit_type_id'), ['credit_type_id'], unique=False)

    # add_column, not a batch: SQLite adds a nullable column in place.
    hours = sa.Column('hours', sa.Numeric(precision=9, scale=2, asdecimal=False), nullable=True)
    op.add_column('programme_sessions', hours)


def downgrade() -> None:
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.drop_column('hours')
    op.drop_table('session_credits')
    op.drop_table('event_credits')
    op.drop_table('credit_types')
