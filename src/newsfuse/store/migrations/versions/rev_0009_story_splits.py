"""Story splits: a table recording which stories the tracker cut from which.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

The story tracker now checks a stored story for a split when it has grown by a quarter since its
last check, reading its earlier articles back from the store (``StoryTracker.consolidate``):
the cut story keeps its id and first article, each part becomes a story of its own, and this
table keeps the history so ``newsfuse stories`` can show it.  Nothing to convert: earlier stores
cut only stories born within one commit, which no one had seen.  Written by hand, independent of
:mod:`newsfuse.store.schema`, like the revisions before it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

_ID = sa.String(64)
_TIME = sa.DateTime(timezone=True)  # newsfuse.store.schema.UTCDateTime stores UTC through this


def upgrade() -> None:
    op.create_table(
        "story_splits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("story_id", _ID, nullable=False),
        sa.Column("part_id", _ID, nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("split_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_story_splits"),
    )
    op.create_index("ix_story_splits_story_id", "story_splits", ["story_id"])
    op.create_index("ix_story_splits_part_id", "story_splits", ["part_id"])


def downgrade() -> None:
    op.drop_index("ix_story_splits_part_id", table_name="story_splits")
    op.drop_index("ix_story_splits_story_id", table_name="story_splits")
    op.drop_table("story_splits")
