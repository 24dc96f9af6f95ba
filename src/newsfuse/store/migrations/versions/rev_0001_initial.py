"""Initial schema: raw documents, rejections, articles, stories, reports, tracker state.

Revision ID: 0001
Revises:
Create Date: 2025-11-23

Written by hand to match :mod:`newsfuse.store.schema` as it stood, without importing it (a revision
must keep meaning what it meant when later code changes); from here on that module may
change only together with a new revision (a test compares the migrated schema with the models).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_ID = sa.String(64)
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_TIME = sa.DateTime(timezone=True)  # newsfuse.store.schema.UTCDateTime stores UTC through this


def upgrade() -> None:
    op.create_table(
        "raw_documents",
        sa.Column("id", _ID, nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("declared_url", sa.Text(), nullable=True),
        sa.Column("declared_title", sa.Text(), nullable=True),
        sa.Column("declared_outlet", sa.Text(), nullable=True),
        sa.Column("declared_byline", sa.Text(), nullable=True),
        sa.Column("declared_published_at", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.Text(), nullable=True),
        sa.Column("ingested_at", _TIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("article_id", _ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_raw_documents"),
    )
    op.create_index("ix_raw_documents_status", "raw_documents", ["status"])

    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("raw_id", _ID, nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["raw_id"],
            ["raw_documents.id"],
            name="fk_rejections_raw_id_raw_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rejections"),
    )
    op.create_index("ix_rejections_run_id", "rejections", ["run_id"])
    op.create_index("ix_rejections_raw_id", "rejections", ["raw_id"])

    op.create_table(
        "articles",
        sa.Column("id", _ID, nullable=False),
        sa.Column("raw_id", _ID, nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("byline", sa.Text(), nullable=True),
        sa.Column("dateline", sa.Text(), nullable=True),
        sa.Column("published_at", sa.Text(), nullable=True),
        sa.Column("language", sa.String(35), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.Column("dup_group", _ID, nullable=True),
        sa.Column("removed", _JSON, nullable=False),
        sa.Column("annotations", _JSON, nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["raw_id"],
            ["raw_documents.id"],
            name="fk_articles_raw_id_raw_documents",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
    )
    op.create_index("ix_articles_raw_id", "articles", ["raw_id"])
    op.create_index("ix_articles_dup_group", "articles", ["dup_group"])

    op.create_table(
        "stories",
        sa.Column("id", _ID, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.Column("state", _JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    op.create_index("ix_stories_updated_at", "stories", ["updated_at"])

    op.create_table(
        "story_articles",
        sa.Column("story_id", _ID, nullable=False),
        sa.Column("article_id", _ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name="fk_story_articles_story_id_stories",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_story_articles_article_id_articles",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("story_id", "article_id", name="pk_story_articles"),
    )
    op.create_index("ix_story_articles_article_id", "story_articles", ["article_id"])

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("story_id", _ID, nullable=False),
        sa.Column("settings_hash", sa.String(64), nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name="fk_reports_story_id_stories",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )
    op.create_index("ix_reports_story_id_created_at", "reports", ["story_id", "created_at"])

    op.create_table(
        "tracker_states",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("state", _JSON, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_tracker_states"),
    )


def downgrade() -> None:
    for table in (
        "tracker_states",
        "reports",
        "story_articles",
        "stories",
        "articles",
        "rejections",
        "raw_documents",
    ):
        op.drop_table(table)
