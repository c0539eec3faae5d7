"""compliance: charge history, inspection and retrofit deadlines, mothball suspension

Revision ID: bece7196859e
Revises: af234a2815bc
Create Date: 2026-12-01 11:08:50.847728

"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bece7196859e'
down_revision = 'af234a2815bc'
branch_labels = None
depends_on = None

OLD_KINDS = ['repair', 'initial_verification', 'followup_verification', 'retrofit_plan',
             'leak_inspection', 'chronic_leak_report']
NEW_KINDS = [*OLD_KINDS[:4], 'retrofit_completion', *OLD_KINDS[4:]]


def _obligation_kinds(kinds):
    with op.batch_alter_table('compliance_obligations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_compliance_obligations_obligationkind'), type_='check')
    with op.batch_alter_table('compliance_obligations', schema=None) as batch_op:
        batch_op.create_check_constraint('obligationkind', sa.column('kind').in_(kinds))


def upgrade():
    with op.batch_alter_table('charge_revisions', schema=None) as batch_op:
        batch_op.alter_column('method',
               existing_type=sa.VARCHAR(length=32),
               nullable=True)

    with op.batch_alter_table('company_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('part84_first_calculation_365_days', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('compliance_obligations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ended_reason', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('repair_episodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retrofit_decided_on', sa.Date(), nullable=True))

    _obligation_kinds(NEW_KINDS)

    # Every full charge is now kept as a revision. A unit's charge on file with no revision
    # becomes its first, from the installation date (else the day the unit was entered),
    # with the method on file (which may be unknown).
    connection = op.get_bind()
    units = sa.table('units', sa.column('id'), sa.column('install_date', sa.Date()),
                     sa.column('full_charge_lb'), sa.column('charge_method'),
                     sa.column('created_at', sa.DateTime(timezone=True)))
    revisions = sa.table('charge_revisions', sa.column('unit_id'),
                         sa.column('effective_on', sa.Date()), sa.column('full_charge_lb'),
                         sa.column('method'), sa.column('notes'),
                         sa.column('created_at', sa.DateTime(timezone=True)))
    rows = connection.execute(
        sa.select(units).where(
            units.c.full_charge_lb.is_not(None),
            units.c.id.not_in(sa.select(revisions.c.unit_id)),
        )
    ).all()
    if rows:
        connection.execute(revisions.insert(), [
            {
                'unit_id': row.id,
                'effective_on': row.install_date or _day(row.created_at),
                'full_charge_lb': row.full_charge_lb,
                'method': row.charge_method,
                'notes': 'The full charge on file when revisions started to be kept.',
                'created_at': row.created_at,
            }
            for row in rows
        ])


def _day(moment):
    """A stored timestamp's date (SQLite may hand it back as text)."""
    if isinstance(moment, str):
        return date.fromisoformat(moment[:10])
    return moment.date()


def downgrade():
    op.execute(
        "DELETE FROM compliance_obligations WHERE kind = 'retrofit_completion'"
    )
    _obligation_kinds(OLD_KINDS)

    with op.batch_alter_table('repair_episodes', schema=None) as batch_op:
        batch_op.drop_column('retrofit_decided_on')

    with op.batch_alter_table('compliance_obligations', schema=None) as batch_op:
        batch_op.drop_column('ended_reason')
        batch_op.drop_column('suspended_on')

    with op.batch_alter_table('company_settings', schema=None) as batch_op:
        batch_op.drop_column('part84_first_calculation_365_days')

    op.execute("DELETE FROM charge_revisions WHERE method IS NULL")
    with op.batch_alter_table('charge_revisions', schema=None) as batch_op:
        batch_op.alter_column('method',
               existing_type=sa.VARCHAR(length=32),
               nullable=False)
