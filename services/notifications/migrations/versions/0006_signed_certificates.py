"""signed certificates: one row per issued certificate (keyed by its id, a
corrected one supersedes the earlier), its status, the signed PDF, the hash
of its download token and the public facts of the verification page

The table is rebuilt under its new key: the rows already there become
certificates whose id is their registration's id (they were mailed unsigned
and carry no verification link, so no one can look them up by another id).

Revision ID: 0006_signed_certificates
Revises: 0005
Create Date: 2026-12-04 20:00:00
"""
from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0006_signed_certificates'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_certificates_event_id', table_name='certificates')
    op.rename_table('certificates', 'certificates_unsigned')
    _rename_primary_key('certificates_pkey', 'certificates_unsigned_pkey')
    op.create_table('certificates',
    sa.Column('certificate_id', sa.String(length=36), nullable=False),
    sa.Column('registration_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('minutes_attended', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('credits', sa.JSON(), nullable=False),
    sa.Column('holder', sa.String(length=120), nullable=False),
    sa.Column('event_title', sa.JSON(), nullable=False),
    sa.Column('event_starts_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('event_ends_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('issued_by', sa.String(length=20), nullable=False),
    sa.Column('certified_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('download_token_hash', sa.String(length=64), nullable=True),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('self_signed', sa.Boolean(), nullable=False),
    sa.Column('signer', sa.String(length=300), nullable=False),
    sa.Column('revoked_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_cause', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('certificate_id'),
    sa.UniqueConstraint('download_token_hash')
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_certificates_registration_id_status', ['registration_id', 'status'], unique=False)
    op.execute(
        "INSERT INTO certificates (certificate_id, registration_id, event_id, status, minutes_attended, hours,"
        " credits, holder, event_title, timezone, issued_by, certified_at, sent_at, signed, self_signed, signer)"
        " SELECT registration_id, registration_id, event_id, 'valid', minutes_attended, hours,"
        " '[]', '', '{}', 'Europe/Rome', 'rules', certified_at, sent_at, false, false, ''"
        " FROM certificates_unsigned"
    )
    op.drop_table('certificates_unsigned')


def downgrade() -> None:
    """Back to one row per registration: its latest certificate (the PDFs go)."""
    op.create_table('certificates_unsigned',
    sa.Column('registration_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('minutes_attended', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('certified_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('registration_id')
    )
    op.execute(
        "INSERT INTO certificates_unsigned (registration_id, event_id, minutes_attended, hours, certified_at, sent_at)"
        " SELECT c.registration_id, c.event_id, c.minutes_attended, c.hours, c.certified_at, c.sent_at"
        " FROM certificates c WHERE c.sent_at = (SELECT max(l.sent_at) FROM certificates l"
        " WHERE l.registration_id = c.registration_id)"
        " AND c.certificate_id = (SELECT max(l.certificate_id) FROM certificates l"
        " WHERE l.registration_id = c.registration_id AND l.sent_at = c.sent_at)"
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_registration_id_status')
        batch_op.drop_index(batch_op.f('ix_certificates_event_id'))
    op.drop_table('certificates')
    op.rename_table('certificates_unsigned', 'certificates')
    _rename_primary_key('certificates_unsigned_pkey', 'certificates_pkey')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_event_id'), ['event_id'], unique=False)


def _rename_primary_key(old: str, new: str) -> None:
    """PostgreSQL names a primary key after its table and keeps the name
    through a rename, which would collide with the new table's."""
    if op.get_bind().dialect.name == 'postgresql':
        table = 'certificates_unsigned' if old == 'certificates_pkey' else 'certificates'
        op.execute(f'ALTER TABLE {table} RENAME CONSTRAINT {old} TO {new}')
