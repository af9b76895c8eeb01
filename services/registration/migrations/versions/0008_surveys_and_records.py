"""surveys and training records

Satisfaction surveys (questions, invitations with the flag "answered", and
answers kept without foreign keys so that anonymous ones lead back to no
registration), the secret links to a person's training record, and the
download links of signed certificates from certificate.issued.

Revision ID: 0008_surveys_and_records
Revises: 0007_certificate_rules_and_tests
Create Date: 2026-12-04 19:00:00
"""
from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0008_surveys_and_records'
down_revision = '0007_certificate_rules_and_tests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('opens_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('open_days', sa.Integer(), nullable=False),
    sa.Column('reminder_days', sa.Integer(), nullable=False),
    sa.Column('created_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['listings.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text_it', sa.String(length=500), nullable=False),
    sa.Column('text_en', sa.String(length=500), nullable=True),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('survey_id', 'key', name='uq_survey_questions_survey_key')
    )
    op.create_index(op.f('ix_survey_questions_survey_id'), 'survey_questions', ['survey_id'], unique=False)
    op.create_table('survey_invitations',
    sa.Column('registration_id', sa.String(length=36), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], ),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ),
    sa.PrimaryKeyConstraint('registration_id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index(op.f('ix_survey_invitations_survey_id'), 'survey_invitations', ['survey_id'], unique=False)
    op.create_table('survey_responses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.String(length=36), nullable=True),
    sa.Column('submitted_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_survey_responses_survey_id'), 'survey_responses', ['survey_id'], unique=False)
    op.create_index(op.f('ix_survey_responses_registration_id'), 'survey_responses', ['registration_id'], unique=False)
    op.create_table('record_links',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('created_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index(op.f('ix_record_links_email'), 'record_links', ['email'], unique=False)
    op.create_table('certificate_downloads',
    sa.Column('certificate_id', sa.String(length=36), nullable=False),
    sa.Column('registration_id', sa.String(length=36), nullable=False),
    sa.Column('download_url', sa.String(length=1000), nullable=False),
    sa.Column('verification_url', sa.String(length=1000), nullable=False),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('issued_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('certificate_id')
    )
    op.create_index(op.f('ix_certificate_downloads_registration_id'), 'certificate_downloads', ['registration_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_certificate_downloads_registration_id'), table_name='certificate_downloads')
    op.drop_table('certificate_downloads')
    op.drop_index(op.f('ix_record_links_email'), table_name='record_links')
    op.drop_table('record_links')
    op.drop_index(op.f('ix_survey_responses_registration_id'), table_name='survey_responses')
    op.drop_index(op.f('ix_survey_responses_survey_id'), table_name='survey_responses')
    op.drop_table('survey_responses')
    op.drop_index(op.f('ix_survey_invitations_survey_id'), table_name='survey_invitations')
    op.drop_table('survey_invitations')
    op.drop_index(op.f('ix_survey_questions_survey_id'), table_name='survey_questions')
    op.drop_table('survey_questions')
    op.drop_table('surveys')
