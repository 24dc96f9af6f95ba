"""Near-duplicate lookup across ingests: article signatures and their LSH band keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

An ingest adds articles batch by batch, and tomorrow's wire re-run must join today's family.  Each
article's MinHash signature and band keys are kept, so a new article's candidates come from an
index lookup on its band keys rather than from re-hashing the whole corpus.  Written by hand,
independent of :mod:`newsfuse.store.schema`, like revision 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_ID = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "article_signatures",
        sa.Column("article_id", _ID, nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_signatures_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name="pk_article_signatures"),
    )
    op.create_table(
        "band_keys",
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", _ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_band_keys_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "article_id", name="pk_band_keys"),
    )


def downgrade() -> None:
    op.drop_table("band_keys")
    op.drop_table("article_signatures")
