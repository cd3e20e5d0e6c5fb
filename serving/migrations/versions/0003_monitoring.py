"""monitor_runs and monitor_results: each day's drift, fairness and review-coverage figures

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitor_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("alerts", sa.Integer(), nullable=False),
        sa.Column("report", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("as_of"),
    )
    op.create_table(
        "monitor_results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("monitor", sa.String(length=32), nullable=False),
        sa.Column("entity_type", sa.String(length=16), nullable=True),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("alerts", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["monitor_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_monitor_results_run", "monitor_results", ["run_id", "monitor"])


def downgrade() -> None:
    op.drop_index("ix_monitor_results_run", table_name="monitor_results")
    op.drop_table("monitor_results")
    op.drop_table("monitor_runs")
