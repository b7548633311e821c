"""seller helpdesk: seller accounts and sessions, seller replies, urgent/closed questions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 22:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seller_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("seller_id", sa.String(length=32), sa.ForeignKey("sellers.id"), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_seller_users_username", "seller_users", ["username"], unique=True)
    op.create_index("ix_seller_users_seller_id", "seller_users", ["seller_id"])
    op.create_table(
        "seller_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("seller_user_id", sa.Integer(), sa.ForeignKey("seller_users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_seller_sessions_token_hash", "seller_sessions", ["token_hash"], unique=True)
    op.create_index("ix_seller_sessions_seller_user_id", "seller_sessions", ["seller_user_id"])
    op.create_table(
        "seller_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.String(length=32), sa.ForeignKey("sellers.id"), nullable=False),
        sa.Column("buyer_id", sa.String(length=32), sa.ForeignKey("buyers.id"), nullable=False),
        sa.Column("order_number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("question_id", sa.Integer(), sa.ForeignKey("seller_messages.id"), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=True),
        sa.Column("carrier", sa.String(length=40), nullable=True),
        sa.Column("tracking_number", sa.String(length=40), nullable=True),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_name", sa.String(length=80), nullable=False),
        sa.Column("seller_user_id", sa.Integer(), sa.ForeignKey("seller_users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=True),
        sa.Column("delivered_message_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id"),
    )
    op.create_index("ix_seller_replies_seller_id", "seller_replies", ["seller_id"])
    op.create_index("ix_seller_replies_buyer_id", "seller_replies", ["buyer_id"])
    op.create_index("ix_seller_replies_order_number", "seller_replies", ["order_number"])
    with op.batch_alter_table("seller_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgent", sa.Boolean(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("reply_to_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("seller_messages", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.drop_column("reply_to_id")
        batch_op.drop_column("urgent")
    op.drop_table("seller_replies")
    op.drop_table("seller_sessions")
    op.drop_table("seller_users")
