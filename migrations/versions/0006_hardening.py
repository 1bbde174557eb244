"""Hardening: emailed sign-in links stored sealed, and mail bodies that can be purged.

Messages stored before this revision keep their links readable until
`flask outbox mask-stored` (run once after the upgrade) masks them; the retention job
(`flask jobs purge-mail-bodies`) empties old bodies once their period has passed.

Revision ID: 0006_hardening
Revises: 0005_lending
Create Date: 2026-11-26 01:44:03.769959

"""
from alembic import op
import sqlalchemy as sa

import onderwijsplatform.models.base  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0006_hardening'
down_revision = '0005_lending'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_links', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body_purged_at', onderwijsplatform.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_column('body_purged_at')
        batch_op.drop_column('sealed_links')
