"""work orders keep the caller's name and phone; sticker labels may carry the unit's name;
jobs keep the files that come with their result (a sticker sheet's packing list)

Revision ID: 5c1f0a7e2d13
Revises: 85583d4e10b1
Create Date: 2026-12-05 08:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1f0a7e2d13'
down_revision = '85583d4e10b1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_name', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=False, server_default=''))

    with op.batch_alter_table('company_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sticker_unit_text', sa.Enum('always', 'commercial_only', 'never', name='stickerunittext', native_enum=False, create_constraint=True, length=32), nullable=False, server_default='commercial_only'))

    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra_files', sa.JSON(), nullable=False, server_default='[]'))

    # Work orders already converted from a request get its caller.
    op.execute(
        "UPDATE work_orders SET contact_name = (SELECT contact_name FROM service_requests"
        " WHERE service_requests.id = work_orders.service_request_id),"
        " contact_phone = (SELECT contact_phone FROM service_requests"
        " WHERE service_requests.id = work_orders.service_request_id)"
        " WHERE service_request_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('extra_files')

    with op.batch_alter_table('company_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_company_settings_stickerunittext'), type_='check')
        batch_op.drop_column('sticker_unit_text')

    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_name')
