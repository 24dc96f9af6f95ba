"""Tracker story rows without article ids, evictions or norms: rewritten only when they change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Since 0003 each story row held the story's article ids and ``unposted``, the features the story
had been evicted from.  An eviction happens whenever a busier story is posted under a feature
whose list is full, so every commit rewrote the rows of the stories evicted since the last one —
more of them the more stories there are — and with them their article ids: the track phase of an
ingest grew faster than the corpus (44 s at 10k articles, 774 s at 100k) and a 100k ingest wrote
31 GB to build a 2.7 GB file.  From here on a story row is rewritten only when the story takes an
article; its article ids are its ``story_articles`` rows; ``tracker_features.evicted`` holds the
``updated`` of the last story evicted from the feature's postings (0: none), from which the
postings are rebuilt (a posting list is the live stories carrying its feature updated after its
last eviction, in ``updated`` order); a story's norms, which change whenever it is scored as a
candidate, have a small row of their own in the new table ``tracker_norms``; and a commit appends
the feature rows it changed to the new ``tracker_feature_log`` (folded into ``tracker_features``
once the log outgrows the table) rather than updating them in place all over the table.

A store at 0003 is converted here: for each feature, ``evicted`` becomes the newest ``updated`` of
a live story (last article inside the window) that carries the feature but is not posted under it,
which separates the same stories; the norms (``norms`` and each kept member's ``norm``,
``title_norm``, ``title_mass``) move to ``tracker_norms``; ``article_ids`` and ``unposted`` go.
Written by hand, independent of :mod:`newsfuse.store.schema` and of the tracker's code, like the
revisions before it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_ID = sa.String(64)
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_MEMBER_NORMS = ("norm", "title_norm", "title_mass")

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
    sa.column("evicted", sa.Integer),
)
_norms = sa.table(
    "tracker_norms",
    sa.column("tracker", sa.String),
    sa.column("story_id", sa.String),
    sa.column("norms", _JSON),
)
_members = sa.table(
    "story_articles",
    sa.column("story_id", sa.String),
    sa.column("article_id", sa.String),
    sa.column("position", sa.Integer),
)


def upgrade() -> None:
    op.create_table(
        "tracker_norms",
        sa.Column("tracker", sa.String(64), nullable=False),
        sa.Column("story_id", _ID, nullable=False),
        sa.Column("norms", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name="fk_tracker_norms_story_id_stories",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tracker", "story_id", name="pk_tracker_norms"),
    )
    op.create_table(
        "tracker_feature_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracker", sa.String(64), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("body", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tracker_feature_log"),
    )
    op.create_index("ix_tracker_feature_log_tracker", "tracker_feature_log", ["tracker"])
    op.add_column(
        "tracker_features",
        sa.Column("evicted", sa.Integer(), nullable=False, server_default="0"),
    )
    bind = op.get_bind()
    for tracker, header in _headers(bind):
        rows = _rows(bind, tracker)
        evicted: dict[str, int] = {}
        for row in rows:
            if not _live(row, header):
                continue
            unposted = row.get("unposted")
            for feature in _carried(row) if unposted is None else unposted:
                evicted[feature] = max(evicted.get(feature, 0), int(row["updated"]))
        _set_evicted(bind, tracker, evicted)
        norms = [
            {"tracker": tracker, "story_id": str(row["id"]), "norms": _norms_of(row)}
            for row in rows
        ]
        if norms:
            bind.execute(_norms.insert(), norms)
        _rewrite(bind, tracker, [_content_of(row) for row in rows])


def downgrade() -> None:
    """Back to 0003's rows: article ids from the memberships, ``unposted`` from the evictions."""
    bind = op.get_bind()
    _fold_feature_log(bind)
    for tracker, header in _headers(bind):
        evicted = {
            str(f): int(e)
            for f, e in bind.execute(
                sa.select(_features.c.feature, _features.c.evicted).where(
                    _features.c.tracker == tracker, _features.c.evicted > 0
                )
            )
        }
        members: dict[str, list[str]] = {}
        query = sa.select(_members.c.story_id, _members.c.article_id).order_by(
            _members.c.story_id, _members.c.position
        )
        for story_id, article_id in bind.execute(query):
            members.setdefault(str(story_id), []).append(str(article_id))
        rows = []
        kept = {
            str(s): list(n)
            for s, n in bind.execute(
                sa.select(_norms.c.story_id, _norms.c.norms).where(_norms.c.tracker == tracker)
            )
        }
        for row in _rows(bind, tracker):
            row = _with_norms(row, kept[str(row["id"])])
            carried = _carried(row)
            unposted = [f for f in carried if int(row["updated"]) <= evicted.get(f, 0)]
            live = _live(row, header) and len(unposted) < len(carried)
            article_ids = members.get(str(row["id"]), [])
            rows.append({**row, "article_ids": article_ids, "unposted": unposted if live else None})
        _rewrite(bind, tracker, rows)
    with op.batch_alter_table("tracker_features") as batch:
        batch.drop_column("evicted")
    op.drop_table("tracker_norms")
    op.drop_index("ix_tracker_feature_log_tracker", table_name="tracker_feature_log")
    op.drop_table("tracker_feature_log")


def _fold_feature_log(bind: sa.Connection) -> None:
    """Apply the logged feature rows to ``tracker_features`` (oldest first; later ones win)."""
    log = sa.table(
        "tracker_feature_log",
        sa.column("id", sa.Integer),
        sa.column("tracker", sa.String),
        sa.column("body", _JSON),
    )
    features = sa.table(
        "tracker_features",
        sa.column("tracker", sa.String),
        sa.column("feature", sa.Text),
        sa.column("df", sa.Integer),
        sa.column("evicted", sa.Integer),
    )
    folded: dict[tuple[str, str], tuple[int, int]] = {}
    for tracker, body in bind.execute(sa.select(log.c.tracker, log.c.body).order_by(log.c.id)):
        folded.update(((str(tracker), str(f)), (int(n), int(e))) for f, (n, e) in body.items())
    known = {
        (str(t), str(f)) for t, f in bind.execute(sa.select(features.c.tracker, features.c.feature))
    }
    rows = [{"t": t, "f": f, "n": n, "e": e} for (t, f), (n, e) in sorted(folded.items())]
    changed = [r for r in rows if (r["t"], r["f"]) in known]
    if changed:
        bind.execute(
            features.update()
            .where(features.c.tracker == sa.bindparam("t"), features.c.feature == sa.bindparam("f"))
            .values(
                df=sa.bindparam("n", type_=sa.Integer), evicted=sa.bindparam("e", type_=sa.Integer)
            ),
            changed,
        )
    added = [
        {"tracker": r["t"], "feature": r["f"], "df": r["n"], "evicted": r["e"]}
        for r in rows
        if (r["t"], r["f"]) not in known
    ]
    if added:
        bind.execute(features.insert(), added)
    bind.execute(log.delete())


def _headers(bind: sa.Connection) -> list[tuple[str, dict[str, Any]]]:
    """Each tracker that has story rows, with its stored header."""
    names = bind.execute(sa.select(_stories.c.tracker).distinct()).scalars().all()
    headers = []
    for name in sorted(names):
        state = bind.execute(
            sa.select(_states.c.state).where(_states.c.name == name)
        ).scalar_one_or_none()
        headers.append((str(name), dict(state or {})))
    return headers


def _rows(bind: sa.Connection, tracker: str) -> list[dict[str, Any]]:
    query = (
        sa.select(_stories.c.state)
        .where(_stories.c.tracker == tracker)
        .order_by(_stories.c.story_id)
    )
    return [dict(state) for state in bind.execute(query).scalars()]


def _live(row: dict[str, Any], header: dict[str, Any]) -> bool:
    """Whether the story's last article is inside the window of the newest article seen (the
    tracker's own comparison: a story expires once ``last_time < now - window_days``)."""
    now, last = header.get("now"), row.get("last_time")
    if now is None or last is None:
        return True
    window = float((header.get("settings") or {}).get("window_days", 14.0))
    return not float(last) < float(now) - window


def _carried(row: dict[str, Any]) -> list[str]:
    """The features a story row carries, sorted (weights and entities are ``[feature, w]`` pairs)."""
    return sorted({str(p[0]) for p in row["weights"]} | {str(p[0]) for p in row["entities"]})


def _norms_of(row: dict[str, Any]) -> list[Any]:
    """A 0003 story row's norms as a ``tracker_norms`` row: ``[term, entity, docs, [[norm,
    title_norm, title_mass] per kept member]]``."""
    members = [[m[k] for k in _MEMBER_NORMS] for m in row.get("members") or []]
    return [*row["norms"], members]


def _content_of(row: dict[str, Any]) -> dict[str, Any]:
    """A 0003 story row without what 0004 keeps elsewhere (or not at all)."""
    content = {k: v for k, v in row.items() if k not in ("article_ids", "unposted", "norms")}
    content["members"] = [
        {k: v for k, v in m.items() if k not in _MEMBER_NORMS} for m in row.get("members") or []
    ]
    return content


def _with_norms(row: dict[str, Any], norms: list[Any]) -> dict[str, Any]:
    """Inverse of :func:`_norms_of` and :func:`_content_of` (but for ids and ``unposted``)."""
    term, entity, docs, kept = norms
    members = [
        {**m, **dict(zip(_MEMBER_NORMS, values, strict=True))}
        for m, values in zip(row.get("members") or [], kept, strict=True)
    ]
    return {**row, "norms": [term, entity, docs], "members": members}


def _set_evicted(bind: sa.Connection, tracker: str, evicted: dict[str, int]) -> None:
    if not evicted:
        return
    statement = (
        _features.update()
        .where(_features.c.tracker == tracker, _features.c.feature == sa.bindparam("f"))
        .values(evicted=sa.bindparam("e", type_=sa.Integer))
    )
    bind.execute(statement, [{"f": f, "e": e} for f, e in sorted(evicted.items())])


def _rewrite(bind: sa.Connection, tracker: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = (
        _stories.update()
        .where(_stories.c.tracker == tracker, _stories.c.story_id == sa.bindparam("sid"))
        .values(state=sa.bindparam("doc", type_=_JSON))
    )
    bind.execute(statement, [{"sid": str(row["id"]), "doc": row} for row in rows])
