"""Tracker state by rows: one per story, one per feature, instead of one growing document.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

``tracker_states["cluster"]`` held the whole ``StoryTracker.state()``: every story ever seen, every
document frequency, every posting, rewritten at each tracking commit, so a long ingest got slower
and used more memory as it went.  From here on it holds the small header (settings, counters) and
the rest lives in ``tracker_stories`` and ``tracker_features``, written only where it changed.

A store that already tracked stories is converted here: its state document is split into rows (the
postings are not kept: each story row names the features it was evicted from, from which the
postings are rebuilt in order).  Written by hand, independent of :mod:`newsfuse.store.schema` and of
the tracker's code, like revisions 0001 and 0002.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

_ID = sa.String(64)
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_TRACKER = "cluster"
_HEADER_KEYS = ("version", "settings", "docs", "seq", "now")


def upgrade() -> None:
    op.create_table(
        "tracker_stories",
        sa.Column("tracker", sa.String(64), nullable=False),
        sa.Column("story_id", _ID, nullable=False),
        sa.Column("state", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name="fk_tracker_stories_story_id_stories",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tracker", "story_id", name="pk_tracker_stories"),
    )
    op.create_table(
        "tracker_features",
        sa.Column("tracker", sa.String(64), nullable=False),
        sa.Column("feature", sa.Text(), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tracker", "feature", name="pk_tracker_features"),
    )
    _split_stored_state()


def downgrade() -> None:
    op.drop_table("tracker_features")
    op.drop_table("tracker_stories")


_states = sa.table("tracker_states", sa.column("name", sa.String), sa.column("state", _JSON))
_stories = sa.table(
    "tracker_stories",
    sa.column("tracker", sa.String),
    sa.column("story_id", sa.String),
    sa.column("state", _JSON),
)
_features = sa.table(
    "tracker_features",
    sa.column("tracker", sa.String),
    sa.column("feature", sa.Text),
    sa.column("df", sa.Integer),
)


def _split_stored_state() -> None:
    """Turn a stored whole-state document (if any) into a header, story rows and frequencies."""
    bind = op.get_bind()
    state = bind.execute(
        sa.select(_states.c.state).where(_states.c.name == _TRACKER)
    ).scalar_one_or_none()
    if not state or "stories" not in state:
        return
    rows = _story_rows(state["stories"], state.get("postings", {}))
    if rows:
        bind.execute(
            _stories.insert(),
            [{"tracker": _TRACKER, "story_id": row["id"], "state": row} for row in rows],
        )
    counts = state.get("df", {})
    if counts:
        bind.execute(
            _features.insert(),
            [{"tracker": _TRACKER, "feature": f, "df": int(n)} for f, n in sorted(counts.items())],
        )
    header = {key: state.get(key) for key in _HEADER_KEYS}
    bind.execute(_states.update().where(_states.c.name == _TRACKER).values(state=header))


def _story_rows(stories: list[dict[str, Any]], postings: dict[str, Any]) -> list[dict[str, Any]]:
    """Each story's state plus ``unposted``: the features it carries but no posting lists it
    under (``None`` when it is in no posting)."""
    posted: dict[str, set[str]] = {}
    for feature, items in postings.items():
        for story_id, _ in items:
            posted.setdefault(str(story_id), set()).add(feature)
    rows = []
    for story in stories:
        mine = posted.get(story["id"])
        weights, entities = _pairs(story["weights"]), _pairs(story["entities"])
        carried = sorted({f for f, _ in weights} | {f for f, _ in entities})
        unposted = None if not mine else [f for f in carried if f not in mine]
        rows.append({**story, "weights": weights, "entities": entities, "unposted": unposted})
    return rows


def _pairs(weights: dict[str, Any] | list[list[Any]]) -> list[list[Any]]:
    """A story's weights as ``[feature, weight]`` pairs (JSONB reorders object keys, and the order
    is the order norms are summed in); states were written as objects before they used pairs."""
    return [[f, v] for f, v in weights.items()] if isinstance(weights, dict) else list(weights)
