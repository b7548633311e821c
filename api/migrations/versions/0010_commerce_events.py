"""commerce events and proactive notices: the events table, conversations.notices_off, the demo change feed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 23:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commerce_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("order_number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("conversation_id", sa.String(length=32), sa.ForeignKey("conversations.id"), nullable=True),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("messages.id"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", name="uq_commerce_events_event_id"),
    )
    op.create_index("ix_commerce_events_order_number", "commerce_events", ["order_number"])
    op.create_index("ix_commerce_events_processed_at", "commerce_events", ["processed_at"])
    # The SQL demo adapter's change feed (api/commerce/sql_adapter.py, changes_since).
    op.create_table(
        "commerce_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("order_number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", name="uq_commerce_changes_event_id"),
    )
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("notices_off", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("notices_off")
    op.drop_table("commerce_changes")
    op.drop_index("ix_commerce_events_processed_at", table_name="commerce_events")
    op.drop_index("ix_commerce_events_order_number", table_name="commerce_events")
    op.drop_table("commerce_events")
