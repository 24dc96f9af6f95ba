"""Tracker story rows carry their ``updated`` in an indexed column: undated stories leave by arrivals.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

A story with no dated article never left the tracker's time window, so every ingest resumed every
undated story the store held and kept it in memory: over an undated stream the working set grew
with the whole stream.  Such a story now leaves the active set once ``cluster.undated_window``
articles in a row have not touched it (``StoryTracker.live_updated_from``), and an ingest selects
the undated stories still inside that window in SQL: ``updated`` (the tracker's arrival count at
the story's last article) moves out of the JSON state into a column with an index on
``(tracker, updated)``.  A store at 0006 gets the column filled from each row's state here.
Written by hand, independent of :mod:`newsfuse.store.schema`, like the revisions before it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_stories = sa.table(
    "tracker_stories",
    sa.column("tracker", sa.String),
    sa.column("story_id", sa.String),
    sa.column("state", _JSON),
    sa.column("updated", sa.Integer),
)


def upgrade() -> None:
    op.add_column("tracker_stories", sa.Column("updated", sa.Integer(), nullable=True))
    op.create_index("ix_tracker_stories_tracker_updated", "tracker_stories", ["tracker", "updated"])
    bind = op.get_bind()
    rows = bind.execute(sa.select(_stories.c.tracker, _stories.c.story_id, _stories.c.state))
    filled = [
        {"t": str(tracker), "s": str(story_id), "u": int(state["updated"])}
        for tracker, story_id, state in rows
        if state.get("updated") is not None
    ]
    if filled:
        bind.execute(
            _stories.update()
            .where(
                _stories.c.tracker == sa.bindparam("t"), _stories.c.story_id == sa.bindparam("s")
            )
            .values(updated=sa.bindparam("u", type_=sa.Integer)),
            filled,
        )


def downgrade() -> None:
    op.drop_index("ix_tracker_stories_tracker_updated", table_name="tracker_stories")
    with op.batch_alter_table("tracker_stories") as batch:
        batch.drop_column("updated")
