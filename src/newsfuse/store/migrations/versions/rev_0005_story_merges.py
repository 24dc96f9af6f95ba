"""Story merges: a table recording which story the tracker merged into which.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

The story tracker now merges two stories whose kept articles have become close enough
(``cluster.merge_threshold``, ``StoryTracker.consolidate``): the absorbed story's row goes, its articles move to the story it joined, and
this table keeps the history, so ``newsfuse stories`` can show it and a request for the absorbed
story's report can name where it went.  Nothing to convert: earlier stores never merged.
Written by hand, independent of :mod:`newsfuse.store.schema`, like the revisions before it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

_ID = sa.String(64)
_TIME = sa.DateTime(timezone=True)  # newsfuse.store.schema.UTCDateTime stores UTC through this


def upgrade() -> None:
    op.create_table(
        "story_merges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("absorbed_id", _ID, nullable=False),
        sa.Column("into_id", _ID, nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("merged_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_story_merges"),
    )
    op.create_index("ix_story_merges_absorbed_id", "story_merges", ["absorbed_id"])
    op.create_index("ix_story_merges_into_id", "story_merges", ["into_id"])


def downgrade() -> None:
    op.drop_index("ix_story_merges_into_id", table_name="story_merges")
    op.drop_index("ix_story_merges_absorbed_id", table_name="story_merges")
    op.drop_table("story_merges")
