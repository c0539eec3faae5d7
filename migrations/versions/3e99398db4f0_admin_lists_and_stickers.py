"""admin lists and stickers: indexes on the columns lists sort by, sticker issue times

Revision ID: 3e99398db4f0
Revises: 6cfca7020508
Create Date: 2026-12-01 11:01:11.167386

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3e99398db4f0'
down_revision = '6cfca7020508'
branch_labels = None
depends_on = None

# (table, column): each gets an index named by the naming convention, ix_<table>_<column>.
SORTED_COLUMNS = [
    ('blank_stickers', 'bound_at'),
    ('customers', 'kind'),
    ('documents', 'title'),
    ('messages', 'direction'),
    ('outbox_messages', 'sent_at'),
    ('payments', 'amount_cents'),
    ('portal_users', 'last_login_at'),
    ('properties', 'city'),
    ('service_requests', 'preferred_date'),
    ('staff_users', 'last_login_at'),
    ('units', 'install_date'),
    ('units', 'name'),
    ('work_orders', 'priority'),
]


def upgrade():
    for table, column in SORTED_COLUMNS:
        op.create_index(f'ix_{table}_{column}', table, [column], unique=False)
    # Units made before new units recorded it: their sticker code dates from the unit.
    op.execute(
        'UPDATE units SET qr_token_issued_at = created_at'
        ' WHERE qr_token IS NOT NULL AND qr_token_issued_at IS NULL'
    )


def downgrade():
    # The filled-in issue times stay: they are true, and the column was there before.
    for table, column in reversed(SORTED_COLUMNS):
        op.drop_index(f'ix_{table}_{column}', table_name=table)
