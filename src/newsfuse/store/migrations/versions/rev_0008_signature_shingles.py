"""Stored signatures carry their shingle count: a copy cut to fit can join its source's family.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

Families were joined by the estimated Jaccard alone, so a paper that re-ran the first third of a
wire copy (a Jaccard near 0.33) counted as a second, independent source of every fact in it.  The
containment test (:func:`newsfuse.stages.dedupe.joined`) needs the size of each text's shingle
set as well as its MinHash; the count cannot be recovered from a stored signature, so rows stored
before this revision keep ``NULL`` and are matched by the Jaccard alone.  Written by hand,
independent of :mod:`newsfuse.store.schema`, like the revisions before it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("article_signatures", sa.Column("shingles", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("article_signatures") as batch:
        batch.drop_column("shingles")
