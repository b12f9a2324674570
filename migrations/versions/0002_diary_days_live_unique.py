"""diary days: one live day per date (tombstones no longer hold the date)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table('diary_days', schema=None) as batch_op:
        batch_op.drop_constraint('uq_diary_days_patient_id_date', type_='unique')
        batch_op.create_index(batch_op.f('ix_diary_days_patient_id_date'), ['patient_id', 'date'], unique=False)
        batch_op.create_index('uq_diary_days_patient_id_date_live', ['patient_id', 'date'], unique=True,
                              sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade() -> None:
    # Only one row per date may stay: tombstones of dates recorded again are removed.
    op.execute("DELETE FROM diary_days WHERE deleted_at IS NOT NULL AND EXISTS ("
               "SELECT 1 FROM diary_days AS live WHERE live.patient_id = diary_days.patient_id "
               "AND live.date = diary_days.date AND live.id <> diary_days.id)")
    with op.batch_alter_table('diary_days', schema=None) as batch_op:
        batch_op.drop_index('uq_diary_days_patient_id_date_live', sqlite_where=LIVE, postgresql_where=LIVE)
        batch_op.drop_index(batch_op.f('ix_diary_days_patient_id_date'))
        batch_op.create_unique_constraint('uq_diary_days_patient_id_date', ['patient_id', 'date'])
