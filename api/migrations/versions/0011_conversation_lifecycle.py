"""conversation life cycle: reopen, idle closing, reminders (filled in by the change that adds them)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 23:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


COLUMNS = (
    ("last_agent_id", lambda: sa.Column("last_agent_id", sa.Integer(), nullable=True)),
    ("reopened_at", lambda: sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True)),
    ("reopen_count", lambda: sa.Column("reopen_count", sa.Integer(), nullable=False, server_default="0")),
    ("previous_conversation_id", lambda: sa.Column("previous_conversation_id", sa.String(32), nullable=True)),
    ("preferred_agent_id", lambda: sa.Column("preferred_agent_id", sa.Integer(), nullable=True)),
    ("preferred_until", lambda: sa.Column("preferred_until", sa.DateTime(timezone=True), nullable=True)),
    ("closed_reason", lambda: sa.Column("closed_reason", sa.String(16), nullable=True)),
    ("closed_at", lambda: sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True)),
    ("abandoned_form", lambda: sa.Column("abandoned_form", sa.JSON(), nullable=True)),
    ("buyer_left_at", lambda: sa.Column("buyer_left_at", sa.DateTime(timezone=True), nullable=True)),
    ("idle_reminded_for", lambda: sa.Column("idle_reminded_for", sa.Integer(), nullable=True)),
    ("idle_escalated_for", lambda: sa.Column("idle_escalated_for", sa.Integer(), nullable=True)),
)


def upgrade() -> None:
    # batch mode: SQLite cannot add foreign keys to an existing table otherwise.
    with op.batch_alter_table("conversations") as batch:
        for _, column in COLUMNS:
            batch.add_column(column())
        batch.create_foreign_key("fk_conversations_last_agent", "agents", ["last_agent_id"], ["id"])
        batch.create_foreign_key("fk_conversations_preferred_agent", "agents", ["preferred_agent_id"], ["id"])
        batch.create_index("ix_conversations_previous_conversation_id", ["previous_conversation_id"])


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_previous_conversation_id")
        batch.drop_constraint("fk_conversations_preferred_agent", type_="foreignkey")
        batch.drop_constraint("fk_conversations_last_agent", type_="foreignkey")
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
