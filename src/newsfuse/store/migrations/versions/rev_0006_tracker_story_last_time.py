"""Tracker story rows carry their ``last_time`` in an indexed column: an ingest loads the live ones.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

Every ingest resumed the story tracker from every story row and every membership the store held,
so a crawl that ingests chunk after chunk spent memory and time in proportion to the whole store
(the soak's peak memory grew by 40% over 7,600 articles).  The tracker can only ever link an
article to a story whose last article is inside its window (an expired story is in no posting and
never comes back: the clock only moves forward), so it needs only those.  ``last_time`` (days
since the epoch of the story's latest dated article, ``NULL`` when none is dated) moves out of the
JSON state into a column with an index on ``(tracker, last_time)``, and the store selects the live
rows in SQL.  A store at 0005 gets the column filled from each row's state here.  Written by hand,
independent of :mod:`newsfuse.store.schema`, like the revisions before it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_stories = sa.table(
    "tracker_stories",
    sa.column("tracker", sa.String),
    sa.column("story_id", sa.String),
    sa.column("state", _JSON),
    sa.column("last_time", sa.Float),
)


def upgrade() -> None:
    op.add_column("tracker_stories", sa.Column("last_time", sa.Float(), nullable=True))
    op.create_index(
        "ix_tracker_stories_tracker_last_time", "tracker_stories", ["tracker", "last_time"]
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(_stories.c.tracker, _stories.c.story_id, _stories.c.state))
    filled = [
        {"t": str(tracker), "s": str(story_id), "l": float(state["last_time"])}
        for tracker, story_id, state in rows
        if state.get("last_time") is not None
    ]
    if filled:
        bind.execute(
            _stories.update()
            .where(
                _stories.c.tracker == sa.bindparam("t"), _stories.c.story_id == sa.bindparam("s")
            )
            .values(last_time=sa.bindparam("l", type_=sa.Float)),
            filled,
        )


def downgrade() -> None:
    op.drop_index("ix_tracker_stories_tracker_last_time", table_name="tracker_stories")
    with op.batch_alter_table("tracker_stories") as batch:
        batch.drop_column("last_time")
