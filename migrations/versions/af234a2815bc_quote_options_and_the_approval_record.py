"""Quote options and the approval record

Quote lines become add-ons (optional) or alternatives (option_group); a quote keeps the
record of its decision: signature method, client address and browser, the chosen lines,
the approved totals, the SHA-256 of what was shown, its work order (unique) and signed PDF.

Revision ID: af234a2815bc
Revises: a61ad4dacd06
Create Date: 2026-12-01 10:58:43.131689

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'af234a2815bc'
down_revision = 'a61ad4dacd06'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('optional', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('option_group', sa.String(length=60), nullable=False, server_default=''))

    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_method', sa.Enum('drawn', 'typed', name='signaturemethod', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('decided_from', sa.String(length=45), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('decided_user_agent', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('chosen_line_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('approved_subtotal_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_tax_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_total_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('content_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('work_order_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('signed_document_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_quotes_signed_document_id'), ['signed_document_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_quotes_work_order_id'), ['work_order_id'])
        batch_op.create_foreign_key(batch_op.f('fk_quotes_signed_document_id_documents'), 'documents', ['signed_document_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_quotes_work_order_id_work_orders'), 'work_orders', ['work_order_id'], ['id'])


def downgrade():
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_quotes_work_order_id_work_orders'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_quotes_signed_document_id_documents'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_quotes_work_order_id'), type_='unique')
        batch_op.drop_constraint(op.f('ck_quotes_signaturemethod'), type_='check')
        batch_op.drop_index(batch_op.f('ix_quotes_signed_document_id'))
        batch_op.drop_column('signed_document_id')
        batch_op.drop_column('work_order_id')
        batch_op.drop_column('content_sha256')
        batch_op.drop_column('approved_total_cents')
        batch_op.drop_column('approved_tax_cents')
        batch_op.drop_column('approved_subtotal_cents')
        batch_op.drop_column('chosen_line_ids')
        batch_op.drop_column('decided_user_agent')
        batch_op.drop_column('decided_from')
        batch_op.drop_column('signature_method')

    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.drop_column('option_group')
        batch_op.drop_column('optional')
