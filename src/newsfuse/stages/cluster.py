"""Cluster stage: find the stories in a stream of articles, one article at a time.

Topic detection and tracking (TDT) in its classic single-pass form: each new article is compared with
the stories seen so far and either joins the most similar one or starts a new story.  Single pass,
because a corpus-scale stream never ends and re-clustering everything for each new article costs
more with every article; incremental, because a store can persist the tracker's :meth:`state` and
resume it tomorrow.

An article is described by three things:

* **terms**: stemmed content words of title and body (:func:`newsfuse.stages.similarity.terms`) with
  sublinear tf, title terms weighted up (a headline names the story; a body wanders), IDF from
  document frequencies maintained incrementally over everything seen so far;
* **entities**: ``article.mentions`` with labels PERSON/ORG/GPE/NORP/LOC/EVENT keyed by their
  ``norm``; articles that were never run through the extract stage fall back to capitalised
  words that do not start a sentence (a cheap proper-noun guess);
* **time**: ``published_at``.  A story whose articles are all more than ``window_days`` away from an
  article cannot take it, and the join score halves every ``half_life_days`` of gap to the story's
  nearest article (3 days: a story told day after day keeps its articles, while the same words a
  week later, next week's figures or protest, score an eighth and start a story of their own).
  Articles without a time are compared without any time penalty: both benchmark sets are undated,
  so this is what the figures measure, and ``newsfuse stories`` notes how many listed articles
  were placed that way rather than changing behaviour silently.  A story with no dated article
  has no time to leave the window by, so it leaves by arrivals instead: once ``undated_window``
  articles in a row (5,000) have not touched it, it is out of the index and the merges, as an
  expired dated story is (its articles stay in their story, and a store keeps its rows).  The time settings are not
  fitted: no public set here carries publication times.

Cost per article does not grow with the corpus: candidate stories come from an inverted index
(feature → the stories most recently updated that carry it, at most ``max_postings`` of them), looked
up only through the article's ``query_terms`` most distinctive features, skipping features that
occur in more than ``max_df_ratio`` of documents, and only the ``max_candidates`` stories sharing the
most IDF weight with those features are scored (on a 10k-article synthetic corpus a popular feature's
postings list otherwise put ~1,000 stories in front of every article); stories leave the index once the newest article seen
is ``window_days`` past their last one; and each story centroid keeps only its ``max_terms`` heaviest
terms.  Optionally (``embedding_weight`` > 0, the ``embeddings`` extra installed) a fourth signal: the
cosine between the article's MiniLM embedding of title + lead and the story's mean embedding, mixed
in with that weight.  It re-scores the same bounded candidates (it finds none of its own, so cost
per article stays bounded: one encoding plus ``max_candidates`` dot products of 384 numbers), and it
is off by default: it needs torch, costs one model load per process and ~0.1 s per article on
this two-core machine, and raised the roundups' BCubed F1 by about 0.01 when it was last measured
(before the link model was refitted on ECB+; its own model was not refitted).  Without the extra
the tracker runs on terms and entities.

How a candidate is scored: by default (``scorer="learned"``) with the probability of a small
logistic regression over link features (:mod:`newsfuse.stages.cluster_scoring`): the centroid
cosine above, the best cosine with one of the story's ``members`` kept articles (the latest by
publication time, then by article id: ``members_by``), headline
overlaps, entity and number overlap, the names and figures the story has never given, and how far
the candidate stands above the article's other candidates; with embeddings, the MiniLM cosine and
its margin join them.  The model is fitted on ECB+ training topics (every topic two similar but
different events) and roundups ``train`` (``benchmarks/fit_cluster_scorer.py``), and the article
joins the most probable story at or above ``link_threshold``, chosen on held-out choice sets by
``benchmarks/clustering.py``, which reports it beside the baselines.  ``scorer="cosine"`` keeps the
earlier hand-mixed score (term cosine, ``entity_weight`` of entity cosine, ``embedding_weight`` of
MiniLM) against ``threshold``.  Both re-score the same bounded candidates; the learned one computes
its link features for the ``rescore`` candidates closest by centroid cosine only.

Cost, all told: one ``add`` reads at most ``max_postings_read`` postings, scores at most
``max_candidates`` stories by centroid and computes link features for ``rescore`` of them against
at most ``members`` kept articles each, so it does not grow with the corpus, and a new article never
re-clusters anything.  :meth:`StoryTracker.consolidate` (``merge_threshold``; by default the
graph merge model, see :class:`ClusterSettings`) is the batch step a store runs once per commit (and :func:`cluster` once
per batch): it joins, closest pair first, the stories whose linkage (``merge_linkage``: mean
member cosine, or the learned merge model of :mod:`newsfuse.stages.cluster_merging`) reaches
``merge_threshold``.  With the learned linkage, for
each story that took an article since the last call: one candidate search, ``members`` ×
``max_candidates`` link features (each against at most ``members`` kept articles) and
``members``² member cosines per candidate, and the same again for each merge it makes; linear in
the articles of the commit, never the corpus.

``merge_linkage = "graph"`` consolidates on what the one pass already computed.  On arrival, an
article keeps its link probabilities to the (at most ``_GRAPH_EDGES``) most probable candidate
stories it did not join (those of a link model fitted without the margin over the other
candidates, so a link does not depend on which other stories existed when the article came), each weighted by the number of kept members the story showed it: a
sparse article-to-story graph, summed per story pair (at most ``_GRAPH_NEIGHBOURS`` per story,
kept in the story's state and its store row; a merge moves them).  ``consolidate`` then joins,
closest pair first, the stories whose average linkage over that graph (summed link weight over
the number of article pairs, unlinked pairs counting 0) reaches ``merge_threshold``: the batch
average linkage of ``benchmarks/link_batch.py`` (the ceiling of the same features), restricted to
the pairs the one pass scored.  Cost: each changed story, and each merge, is scored against at
most ``merge_neighbours`` graph neighbours (the heaviest linked, either way: a story links out to
at most ``_GRAPH_NEIGHBOURS``, but any number may link into it), a pair of two changed stories
once, so one consolidation is O((D + M) · K) merge scorings (each ``members``² member cosines)
and heap entries for D changed stories, M merges and the cap K, plus one pass over each scored
story's neighbours to rank them; never all pairs.  The graph adds at most ``_GRAPH_EDGES``
numbers per article to the state.

With ``merge_relink`` (off by default: see :class:`ClusterSettings`), ``consolidate`` first rebuilds each changed story's links
out from its kept members, each scored like an arriving article against the stories as they
stand at the commit (:meth:`StoryTracker._relink`): an arrival link says what an article made of
the stories that existed when it came, so the graph, and the stories merged on it, depended on
the order the articles of a commit came in.  Cost: ``members`` × ``rescore`` link features and
one candidate search per changed story, O(D · members · rescore) per consolidation.

Everything the tracker holds is plain dicts, lists and numbers: :meth:`StoryTracker.state`
and :meth:`StoryTracker.from_state` round-trip through JSON.
"""

from __future__ import annotations

import gzip
import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from newsfuse.config import ClusterSettings
from newsfuse.errors import MissingExtraError
from newsfuse.models import Article, content_id
from newsfuse.stages.cluster_merging import (
    GraphEvidence,
    decayed,
    graph_merge_features,
    graph_merge_model,
    merge_model,
)
from newsfuse.stages.cluster_scoring import (
    Link,
    Member,
    Probe,
    link_features,
    member_cosines,
    numbers,
    with_margins,
)
from newsfuse.stages.cluster_splitting import (
    SPLIT_MAX_ARTICLES,
    SPLIT_MIN_ARTICLES,
    average_linkage_groups,
)
from newsfuse.stages.similarity import terms

__all__ = [
    "ENTITY_LABELS",
    "PRIOR_PATH",
    "ArticleFeatures",
    "ClusterSettings",
    "Encoder",
    "FetchArticles",
    "StoryMerge",
    "StorySplit",
    "StoryTracker",
    "article_features",
    "canonical_order",
    "cluster",
    "default_encoder",
    "embedding_text",
    "story_row_features",
]

PRIOR_PATH = Path(__file__).with_name("cluster_prior.json.gz")
"""Background document frequencies (``benchmarks/fit_cluster_prior.py``): see :func:`prior`."""

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT"})
"""Mention labels that identify *what a story is about*; numbers and dates are shared by chance."""

_ENTITY = "@"  # prefix of entity features; term features are words and never contain it
_STATE_VERSION = 1
_EMBED_WORDS = 80
_NORM_STALENESS = 1.05  # recompute a story's norms once the corpus grew by 5% since the last time
_MEMBER_ENTITIES = 32  # the rarest entities a kept member remembers (bounded state per story)
_MEMBER_NORMS = ("norm", "title_norm", "title_mass")  # Member.state() keys kept in norms rows
# The arrival-link graph (merge_linkage = "graph"): an article's links to at most _GRAPH_EDGES
# candidate stories it did not join, those of probability >= _GRAPH_FLOOR (below it a link adds
# nothing an average linkage could reach a threshold with), and at most _GRAPH_NEIGHBOURS stories
# per story (its heaviest): bounded state per story, and consolidation cost bounded by edges.
_GRAPH_EDGES = 8
_GRAPH_FLOOR = 0.001
_GRAPH_NEIGHBOURS = 64
_HELD_MAX = 4096  # articles added since the last consolidation whose features are held (splits)
_FETCH_MAX = 512  # earlier articles fetched at once for split checks (a story has at most 64)

# A capitalised word (or run of them) that does not start a sentence or a paragraph: "Bernie Sanders",
# "Nevada".  Sentence-initial words are capitalised by grammar, not because they name something.
_CAPITALISED = re.compile(r"(?<![.!?:\"“‘]\s)(?<!\n)(?<!^)\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")


@dataclass(frozen=True, slots=True)
class StoryMerge:
    """Later articles showed two stories to be one: ``absorbed`` was merged into ``into``.

    ``similarity`` is the (time-decayed) linkage (``merge_linkage``) between the two that decided
    it.  A store records it so ``newsfuse stories`` can say where a story went.
    """

    absorbed: str
    into: str
    similarity: float


@dataclass(frozen=True, slots=True)
class StorySplit:
    """A story was two (or more): ``parts`` are the new stories cut from ``story``, each with its
    article ids, in arrival order; ``story`` keeps the rest (its first article among them).  See
    :mod:`newsfuse.stages.cluster_splitting` and :meth:`StoryTracker.consolidate`."""

    story: str
    parts: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class _Arrival:
    """What the tracker holds of an article to check its story for a split and rebuild it."""

    features: ArticleFeatures
    unit: list[float] | None
    member: Member | None


@dataclass(slots=True)
class _Story:
    """One story's running summary: plain values only, so it serialises as a dict."""

    id: str
    article_ids: list[str]
    weights: dict[str, float]  # term → sum of the articles' normalised tf weights (capped)
    entities: dict[str, float]  # "@entity" → number of articles naming it (capped)
    first_time: float | None  # days since the epoch of the earliest / latest dated article
    last_time: float | None
    updated: int  # sequence number of the last article added: recency for the postings
    vector: list[float] | None = None  # sum of the members' unit embeddings (when embedding)
    term_norm: float = 0.0  # IDF-weighted norms of weights / entities, as of norm_docs articles
    entity_norm: float = 0.0
    norm_docs: int = 0
    members: list[Member] = field(default_factory=list)  # a few kept (members_by), for max link
    graph: dict[str, float] = field(default_factory=dict)  # arrival links out (merge_linkage graph)
    # the same links' [count, probability sum, best probability] (the graph merge model reads them)
    links: dict[str, list[float]] = field(default_factory=dict)
    checked: int = 0  # the number of articles it had when last checked for a split (0: never)


FetchArticles = Callable[
    [Sequence[str]], Sequence[tuple["ArticleFeatures", Sequence[float] | None]]
]
"""Given article ids the tracker has seen before, their features (and embeddings, or ``None``):
how a store hands back the articles of a stored story for :meth:`StoryTracker.consolidate` to
check it for a split.  The tracker must already hold the features' frequencies."""


@dataclass(frozen=True, slots=True)
class _Features:
    """One article ready for scoring: features pre-multiplied by IDF² so a cosine is one dot product."""

    terms: dict[str, float]
    entities: dict[str, float]
    term_norm: float
    entity_norm: float


def _story_record(story: _Story) -> dict[str, Any]:
    """One story as JSON-ready plain values: the part :meth:`StoryTracker.state` and
    :meth:`StoryTracker.story_row` share.

    Term and entity weights are ``[feature, weight]`` pairs, not objects: PostgreSQL's JSONB
    reorders object keys, and the order of a centroid's terms is the order its norms are summed in
    (a tracker resumed from reordered weights drifts in the last bits).
    """
    return {
        "id": story.id,
        "article_ids": list(story.article_ids),
        "weights": [[f, v] for f, v in story.weights.items()],
        "entities": [[f, v] for f, v in story.entities.items()],
        "first_time": story.first_time,
        "last_time": story.last_time,
        "updated": story.updated,
        "norms": [story.term_norm, story.entity_norm, story.norm_docs],
        "vector": None if story.vector is None else list(story.vector),
        "members": [m.state() for m in story.members],
        "graph": [[other, weight] for other, weight in story.graph.items()],
        "links": [[other, *stats] for other, stats in story.links.items()],
        "checked": story.checked,
    }


def story_row_features(row: Mapping[str, Any]) -> set[str]:
    """Every feature whose frequency a tracker holding the story of ``row`` (a
    :meth:`StoryTracker.story_row`) may look up: its terms and entities and those of its kept
    members, titles included.  A store loads the rows of these with the story."""
    found = set(_pairs_dict(row["weights"])) | set(_pairs_dict(row["entities"]))
    for member in row.get("members", ()):
        found.update(str(term) for term, _ in _pairs_list(member["terms"]))
        found.update(str(t) for t in member["title"])
        found.update(str(e) for e in member.get("entities", ()))
    return found


def _story_features(story: _Story) -> set[str]:
    """:func:`story_row_features` of a held story."""
    found = set(story.weights) | set(story.entities)
    for member in story.members:
        found.update(member.terms)
        found.update(member.title)
        found.update(member.entities)
    return found


def _pairs_list(raw: Mapping[str, Any] | Sequence[Sequence[Any]]) -> list[tuple[Any, Any]]:
    """Stored ``[key, value]`` pairs (or an object, as older states wrote them) as pairs."""
    return list(raw.items()) if isinstance(raw, Mapping) else [(k, v) for k, v in raw]


def _pairs_dict(raw: Mapping[str, Any] | Sequence[Sequence[Any]]) -> dict[str, Any]:
    """Weights stored as ``[feature, weight]`` pairs, or as an object by states written before
    :func:`_story_record` used pairs, back to a dict in their stored order."""
    return dict(raw.items()) if isinstance(raw, Mapping) else {str(k): v for k, v in raw}


class StoryTracker:
    """Assign each incoming article to a story, incrementally.

    ``add`` is the whole interface of the stream; ``stories`` the current partition.  Feeding the
    same articles in the same order always gives the same stories and ids (no randomness, no
    iteration over sets).
    """

    def __init__(
        self, settings: ClusterSettings | None = None, encoder: Encoder | None = None
    ) -> None:
        self.settings = settings or ClusterSettings()
        self._encoder = encoder  # only used when embedding_weight > 0 and add() gets no vector
        self._idf_memo: dict[str, float] = {}  # valid for the current document count only
        self._df: dict[str, int] = {}  # feature → number of articles carrying it
        self._docs = 0
        self._seq = 0
        self._now: float | None = None  # latest publication time seen
        self._batch_from: int | None = None  # first ``seq`` of the open batch (begin_batch)
        self._stories: dict[str, _Story] = {}
        self._postings: dict[
            str, dict[str, int]
        ] = {}  # feature → {story id: updated}, oldest first
        self._active: set[str] = set()  # stories still in the index
        self._expiry: list[tuple[float, str]] = []  # (last_time, story id) heap, lazily cleaned
        # (updated, story id) of the live stories with no dated article: the arrival window's heap
        self._arrivals: list[tuple[int, str]] = []
        self._evicted: dict[str, int] = {}  # feature → ``updated`` of the last story evicted
        # for a store: what changed since take_changes() (at most every story, if never taken)
        self._joined: set[str] = set()  # stories that took an article
        self._rescored: set[str] = set()  # stories whose norms were recomputed
        self._merges: list[StoryMerge] = []  # merges since take_merges()
        self._splits: list[StorySplit] = []  # splits since take_splits()
        self._held: dict[str, _Arrival] = {}  # articles added since consolidate() (bounded)
        self._dirty: set[str] = set()  # stories that took an article since consolidate()
        self._graph_in: dict[str, set[str]] = {}  # story → stories with arrival links into it

    # --- the stream --------------------------------------------------------------------------------

    def add(self, article: Article, vector: Sequence[float] | None = None) -> str:
        """Put ``article`` into the best-matching live story, or a new one; return the story id.

        ``vector`` is the article's unit-length sentence embedding (title + lead), used only when
        ``settings.embedding_weight`` > 0; :func:`cluster` computes them in one batch.
        """
        if self.settings.embedding_weight > 0 and vector is None:
            vector = self._embed(article)
        return self.add_features(article_features(article, self.settings), vector)

    def add_features(self, features: ArticleFeatures, vector: Sequence[float] | None = None) -> str:
        """:meth:`add` for an article whose features were computed elsewhere (e.g. on a cluster).

        Only this part is sequential; :func:`article_features` is a pure per-article map.
        """
        settings = self.settings
        tf, entities, when = features.terms, list(features.entities), features.when
        self._count(list(tf) + entities)
        if when is not None:
            self._advance(when)
        self._advance_arrivals()
        unit = None
        if settings.embedding_weight > 0 and vector is not None:
            unit = _unit(vector)

        weighted = self._features(tf, entities)
        candidates = self._candidates(tf, entities)
        links: list[Link] = []
        if settings.learned:
            links = self._links(candidates, weighted, self._probe(weighted, features), unit, when)
            best_id = self._pick(links)
        else:
            best_id = self._choose(candidates, weighted, None, unit, when)
        graph = self._arrival_links(links, best_id) if settings.arrival_graph else {}

        self._seq += 1
        if best_id is None:
            story = _Story(
                id=content_id(features.article_id, prefix="story_"),
                article_ids=[],
                weights={},
                entities={},
                first_time=None,
                last_time=None,
                updated=self._seq,
            )
            if story.id in self._stories:  # the same article fed twice: keep one story
                story = self._stories[story.id]
            self._stories[story.id] = story
        else:
            story = self._stories[best_id]
        arrival = self._arrival(features, unit)
        self._absorb(story, features.article_id, tf, entities, when, unit, arrival.member)
        if settings.splitting and len(self._held) < _HELD_MAX:
            self._held[features.article_id] = arrival
        self._add_graph(
            story,
            {other: p * max(1, len(self._stories[other].members)) for other, p in graph.items()},
            {other: [1.0, p, p] for other, p in graph.items()},
        )
        self._dirty.add(story.id)
        return story.id

    def _arrival_links(self, links: Sequence[Link], joined: str | None) -> dict[str, float]:
        """The article's links to the candidate stories it did not join, by story: the
        ``_GRAPH_EDGES`` most probable at or above ``_GRAPH_FLOOR``.  As graph weights, each is
        multiplied by the number of kept members the story showed the article (the link stands for
        one to each of them, so :meth:`_graph_linkage` is the mean over article pairs of an
        average linkage).

        Each link is the unranked model's probability (:meth:`Link.unranked_probability`, fitted
        without the margin): what the article says of that story alone, not how it ranked among
        the stories that happened to exist on its arrival.  With the join model's margins the
        graph depended on the arrival order (BCubed F1 spread 0.027 / 0.056 over three orders on
        ECB+ validation / test)."""
        found = [
            (link.unranked_probability(), link.story_id)
            for link in links
            if link.story_id != joined
        ]
        kept = sorted((item for item in found if item[0] >= _GRAPH_FLOOR), key=_heaviest)
        return {story_id: p for p, story_id in kept[:_GRAPH_EDGES]}

    def _add_graph(
        self,
        story: _Story,
        weights: Mapping[str, float],
        stats: Mapping[str, Sequence[float]],
    ) -> None:
        """Add arrival links out of ``story`` (graph weights, and each target's ``[count,
        probability sum, best probability]``) and keep its ``_GRAPH_NEIGHBOURS`` heaviest."""
        for other, weight in weights.items():
            if other != story.id:
                story.graph[other] = story.graph.get(other, 0.0) + weight
                if other in stats:
                    story.links[other] = _joined_stats(story.links.get(other), stats[other])
                self._graph_in.setdefault(other, set()).add(story.id)
        if len(story.graph) > _GRAPH_NEIGHBOURS:
            ranked = sorted(story.graph, key=lambda o: (-story.graph[o], o))
            for dropped in ranked[_GRAPH_NEIGHBOURS:]:
                del story.graph[dropped]
                story.links.pop(dropped, None)
                self._graph_in.get(dropped, set()).discard(story.id)

    def consolidate(self, fetch: FetchArticles | None = None) -> list[StoryMerge]:
        """Merge the stories that changed since the last call with their candidate stories, closest
        pair first, while a pair's linkage (``merge_linkage``: mean member cosine, the learned
        merge model, the mean member link probability, or the average linkage over the arrival-link
        graph) reaches ``merge_threshold``; the merges (also kept for :meth:`take_merges`).

        The offline step of the tracker (a batch clustering's average linkage, on the stories the
        new articles touched): call it after a batch of :meth:`add` (``cluster()`` and the store's
        ingest call it once per commit).  Cost per changed story, and again per merge: with the
        graph linkages, at most ``merge_neighbours`` merge scorings (``members``² member cosines
        each; a pair of two stories neither of which changed since it was scored in this call is
        not scored again), so O((D + M) · ``merge_neighbours``) scorings for D changed stories and
        M merges, whatever a story's in-degree; with the others, one candidate search,
        ``members`` × ``max_candidates`` link features and ``max_candidates`` × ``members``²
        member cosines.  Never the whole corpus.  A story's id, once given by :meth:`add`, may be
        merged away here.

        After the merges, the changed stories are checked for a split (:meth:`_split_due`): those
        of 3 to 64 articles never checked or grown ``split_growth`` times since.  The articles that
        came since the last call are held; ``fetch`` hands back the earlier ones (a store reads
        them), else a story with articles from before is left unchecked.
        """
        dirty, self._dirty = sorted(self._dirty), set()
        if not self.settings.merging:
            self._finish(dirty, fetch)
            return []
        if self.settings.arrival_graph and self.settings.merge_relink:
            for story_id in dirty:  # each rebuilds its own links out only: any order gives these
                if story_id in self._stories:
                    self._relink(self._stories[story_id])
        heap: list[tuple[float, str, str, int, int]] = []
        version: dict[str, int] = {}
        directed: dict[str, dict[str, float]] = {}  # this call's member → story link means
        scores: dict[tuple[str, str, int, int], float] = {}  # this call's graph pair scores
        for story_id in dirty:
            if story_id in self._stories and not self._left_by_arrivals(self._stories[story_id]):
                self._push_pairs(story_id, heap, version, directed, scores)
        merges: list[StoryMerge] = []
        while heap:
            negative, left, right, left_version, right_version = heapq.heappop(heap)
            if left not in self._stories or right not in self._stories:
                continue
            if (version.get(left, 0), version.get(right, 0)) != (left_version, right_version):
                continue  # one of the two has changed since: its pairs were pushed again
            into, absorbed = sorted(
                (self._stories[left], self._stories[right]),
                key=lambda s: (-len(s.article_ids), s.updated, s.id),
            )
            merges.append(self._merge(into, absorbed.id, -negative))
            version[into.id] = version.get(into.id, 0) + 1
            directed.pop(into.id, None)
            directed.pop(absorbed.id, None)
            self._push_pairs(into.id, heap, version, directed, scores)
        self._dirty.clear()
        reborn = set(self._finish([*dirty, *(m.into for m in merges)], fetch))
        if reborn:  # a part named as a story merged in this call undoes that merge: no record
            merges = [m for m in merges if m.absorbed not in reborn]
            self._merges = [m for m in self._merges if m.absorbed not in reborn]
        return merges

    def _finish(self, touched: Sequence[str], fetch: FetchArticles | None) -> list[str]:
        """The end of a consolidation: cut the ``touched`` stories where their articles' links say
        they are several (after the merges, so a merge of two stories that are not one is undone
        too), and forget the held arrivals; the new stories' ids."""
        created = self._split_due(sorted(set(touched)), fetch) if self.settings.splitting else []
        self._held.clear()
        return created

    def _split_due(self, touched: Sequence[str], fetch: FetchArticles | None) -> list[str]:
        """Check the ``touched`` stories that are due (:meth:`_due`) for a split and cut those whose
        own articles' links say they are several (:mod:`newsfuse.stages.cluster_splitting`); the
        ids of the new stories.

        A story is checked with all its articles' features: those that came since the last
        consolidation are held; the others come from ``fetch``, for at most ``_FETCH_MAX`` articles
        at a time.  Checking again only once a story has grown ``split_growth`` times (g, 1.25)
        bounds the articles fetched for a story over its life to about g / (g − 1) times its size
        (five): the cost per article stays constant however many commits a story spans.
        """
        growth = self.settings.split_growth
        found = (self._stories.get(i) for i in touched)
        due = [s for s in found if s is not None and _due(s, growth)]
        created: list[str] = []
        start = 0
        while start < len(due):
            chunk: list[_Story] = []
            missing: list[str] = []
            for story in due[start:]:
                lacking = [a for a in story.article_ids if a not in self._held]
                if chunk and len(missing) + len(lacking) > _FETCH_MAX:
                    break
                chunk.append(story)
                missing.extend(lacking)
            start += len(chunk)
            fetched = self._hold(fetch(missing)) if fetch is not None and missing else []
            for story in chunk:
                if all(a in self._held for a in story.article_ids):
                    story.checked = len(story.article_ids)
                    groups = self._split_groups(story)
                    if len(groups) > 1:
                        created.extend(self._cut(story, groups))
            for article_id in fetched:
                self._held.pop(article_id, None)
        return created

    def _hold(
        self, articles: Sequence[tuple[ArticleFeatures, Sequence[float] | None]]
    ) -> list[str]:
        """Hold fetched articles (seen and counted before) for a split check; their ids."""
        embedding = self.settings.embedding_weight > 0
        for features, vector in articles:
            unit = _unit(vector) if embedding and vector is not None else None
            self._held[features.article_id] = self._arrival(features, unit)
        return [features.article_id for features, _ in articles]

    def _arrival(self, features: ArticleFeatures, unit: list[float] | None) -> _Arrival:
        """What the tracker holds of an article: its features, unit embedding and the member
        sketch a story keeps of it (learned scorer only)."""
        return _Arrival(features, unit, self._member(features) if self.settings.learned else None)

    def _split_groups(self, story: _Story) -> list[list[str]]:
        """The story's articles grouped by average linkage over their links to each other: each
        scored as an arrival against the others as one-article stories, with this tracker's
        frequencies (:class:`_MemberLinks`)."""
        articles = [self._held[a] for a in story.article_ids]
        scorer = _MemberLinks(self, len(articles))
        ids = [scorer.add_features(a.features, a.unit) for a in articles]
        index = {story_id: row for row, story_id in enumerate(ids)}
        matrix = np.eye(len(ids))
        for row, arrival in enumerate(articles):
            features = arrival.features
            weighted = scorer._features(features.terms, list(features.entities))
            probe = scorer._probe(weighted, features)
            others = [story_id for story_id in ids if story_id != ids[row]]
            for link in scorer._links(others, weighted, probe, arrival.unit, features.when):
                matrix[row, index[link.story_id]] = link.probability()
        groups = average_linkage_groups((matrix + matrix.T) / 2, self.settings.split_threshold)
        return [[story.article_ids[row] for row in group] for group in groups]

    def _cut(self, story: _Story, groups: Sequence[Sequence[str]]) -> list[str]:
        """Rebuild ``story`` from the group holding its first article and a new story from each
        other group (named after its first article, as :meth:`add` names a story), absorbing the
        held arrivals in their order; the new ids.  The arrival links out of the story stay with
        it.  A group whose id is taken leaves the story whole."""
        names = [
            story.id if story.article_ids[0] in g else content_id(g[0], prefix="story_")
            for g in groups
        ]
        if any(name in self._stories and name != story.id for name in names):
            return []
        self._stories.pop(story.id)
        self._unindex(story, set(story.weights) | set(story.entities))
        self._active.discard(story.id)
        seq, self._seq = self._seq, story.updated
        parts: list[tuple[str, tuple[str, ...]]] = []
        for name, group in zip(names, groups, strict=True):
            part = _Story(name, [], {}, {}, None, None, story.updated, checked=len(group))
            if name == story.id:
                part.graph, part.links = story.graph, story.links
            self._stories[name] = part
            for article_id in group:
                arrival = self._held[article_id]
                features = arrival.features
                self._absorb(
                    part,
                    article_id,
                    features.terms,
                    list(features.entities),
                    features.when,
                    arrival.unit,
                    arrival.member,
                )
            if name != story.id:
                parts.append((name, tuple(group)))
        self._seq = seq
        self._splits.append(StorySplit(story.id, tuple(parts)))
        return [name for name, _ in parts]

    def _relink(self, story: _Story) -> None:
        """Rebuild the arrival links out of a changed story (``merge_relink``): each kept member
        scored, as an article would be on arrival, against the stories as they stand now (the
        story's candidate stories inside the window, the ``rescore`` closest to the member by
        centroid cosine, its ``_GRAPH_EDGES`` most probable links by the unranked model at or
        above ``_GRAPH_FLOOR``), in place of the links its articles made when they arrived.

        Why: an arrival link is what an article said of the stories that existed when it came,
        so the graph the merges read depended on the arrival order.  An article that came first
        linked to nothing, and the article of its own story that came next linked to it only if
        the one pass had not put either elsewhere by then; which true pairs were linked, in which
        direction, against which version of a story, changed with the order (``python
        benchmarks/cluster_order.py --log``: the ECB+ and roundups validation stories left apart
        in one order and merged in another were pairs whose arrival links were missing or
        one-sided in that order).  Scored at the commit, against every story the batch made, each
        story's links out are a function of the stories at the commit, not of the order their
        articles came in: with every story a single article (``link_threshold`` 1.0) the
        consolidated stories of one batch are the same in every order.  Time: the links are
        decayed by the gap between the two stories' spans (a member keeps no date of its own).
        The links of articles no longer kept as members go: a story is represented by its kept
        members here as everywhere else it is scored.  Only links to stories still in the index
        are rebuilt: the candidates come from the index, so a story the window has left (a dated
        stream's earlier week, after a later article moved the clock) would otherwise lose the
        links to its own week's stories, and links to those stay as their articles made them.

        Cost per changed story: one candidate search (as an article's), one centroid cosine per
        candidate and member, and ``members`` × ``rescore`` link features: what ``members``
        articles cost on arrival, so a consolidation is O(D · members · rescore) link features
        for D changed stories, never the corpus."""
        settings = self.settings
        near = [
            self._stories[s]
            for s in self._story_candidates(story)
            if _span_gap(story, self._stories[s]) <= settings.window_days
        ]
        for each in [story, *near]:
            if self._docs > each.norm_docs * _NORM_STALENESS:
                self._refresh_norms(each)
        weights: dict[str, float] = {}
        stats: dict[str, list[float]] = {}
        for member in story.members:
            links = self._member_links(member, near, story)
            found = [(link.unranked_probability(), link.story_id) for link in links]
            kept = sorted((item for item in found if item[0] >= _GRAPH_FLOOR), key=_heaviest)
            for p, other in kept[:_GRAPH_EDGES]:
                size = max(1, len(self._stories[other].members))
                weights[other] = weights.get(other, 0.0) + p * size
                stats[other] = _joined_stats(stats.get(other), [1.0, p, p])
        for other in story.graph:
            if other in self._active:
                self._graph_in.get(other, set()).discard(story.id)
        # links to stories the window has left stay as made: the index, where the candidates
        # come from, no longer holds them (a story of last week keeps its week's links)
        story.graph = {o: w for o, w in story.graph.items() if o not in self._active}
        story.links = {o: v for o, v in story.links.items() if o not in self._active}
        self._add_graph(story, weights, stats)
        self._joined.add(story.id)  # its row (the links) changed: a store rewrites it

    def _push_pairs(
        self,
        story_id: str,
        heap: list[tuple[float, str, str, int, int]],
        version: Mapping[str, int],
        directed: dict[str, dict[str, float]],
        scores: dict[tuple[str, str, int, int], float] | None = None,
    ) -> None:
        """Push onto ``heap`` the story's candidate stories (its strongest arrival-graph
        neighbours with a graph linkage, else found like an article's, from its own most
        distinctive features) whose linkage with it reaches ``merge_threshold``.

        ``scores`` (graph linkages only) keeps this :meth:`consolidate` call's pair scores by
        ``(left, right, left version, right version)``: a pair neither side of which changed
        since it was scored is not scored again (two changed stories linked to each other are
        otherwise scored once from each side; with one consolidation per batch, as
        :func:`cluster` runs, that is every pair).  Exact, not an approximation: within one call
        the document frequencies, so the IDF every score reads, do not change, and a story's
        version changes whenever it takes another story.  Not across calls: every new article
        changes the IDF, so a score from an earlier commit is not the score now."""
        story = self._stories[story_id]
        linkage = self.settings.merge_linkage
        graph = self.settings.arrival_graph
        found = self._graph_neighbours(story) if graph else self._story_candidates(story)
        for other_id in found:
            other = self._stories[other_id]
            if self._left_by_arrivals(other):
                continue  # final, as for a store that forgot it (dated: the linkage's window)
            left, right = sorted((story_id, other_id))
            key = (left, right, version.get(left, 0), version.get(right, 0))
            cached = scores.get(key) if scores is not None and graph else None
            if cached is not None:
                similarity = cached
            elif linkage == "graph":
                similarity = self._graph_linkage(story, other)
            elif linkage == "graph_learned":
                similarity = self._graph_model_linkage(story, other)
            elif self.settings.merge_linkage == "cosine":
                similarity = self._linkage(story, other)
            else:
                similarity = self._link_linkage(story, other, directed)
            if scores is not None and graph:
                scores[key] = similarity
            if similarity >= self.settings.merge_threshold:
                heapq.heappush(heap, (-similarity, *key))

    def _graph_neighbours(self, story: _Story) -> list[str]:
        """The stories linked with ``story`` by arrival links either way (live or not:
        :meth:`_graph_linkage` applies the window): the ``merge_neighbours`` with the heaviest
        summed link weight between the two, both ways (ties by id; 0: all of them), sorted.

        Why a cap: a story keeps at most ``_GRAPH_NEIGHBOURS`` links out, but any number of
        stories may link into it (a big, long-running story: up to 152 on the synthetic corpus),
        and every consolidation that touches it rescored all of them.  The weakest links are
        those an average linkage is least likely to merge on.  Cost: one pass over the story's
        neighbours to rank them, and at most ``merge_neighbours`` scorings."""
        linked = set(story.graph) | self._graph_in.get(story.id, set())
        alive = [s for s in linked if s in self._stories and s != story.id]
        cap = self.settings.merge_neighbours
        if cap and len(alive) > cap:
            graph = story.graph
            stories = self._stories

            def weight(other: str) -> tuple[float, str]:
                return (-(graph.get(other, 0.0) + stories[other].graph.get(story.id, 0.0)), other)

            alive = heapq.nsmallest(cap, alive, key=weight)
        return sorted(alive)

    def _graph_linkage(self, story: _Story, other: _Story) -> float:
        """Average linkage of two stories over the arrival-link graph (``merge_linkage =
        "graph"``): the summed arrival link weights between them, both ways, over the number of
        article pairs; 0 when their spans are further apart than the window.

        Why: the tracker already scored, on arrival, each article against the candidate stories
        it did not join; those near misses are what a batch average linkage over the same link
        probabilities (``benchmarks/link_batch.py``, the ceiling) would join later.  Unscored
        pairs count as 0, as a link below the floor would.  Time counts twice, like every merge
        linkage's: the linkage is decayed by the gap between the two stories' spans, and each
        arrival link was decayed by its own gap; a merge moves whole stories, and a threshold on
        an average of many links is lower than a join's, so a copy of a report a week later
        would otherwise be merged back into the story its own decay kept it out of.  Cost: two
        dict look-ups per pair.
        """
        gap = _span_gap(story, other)
        if gap > self.settings.window_days:
            return 0.0
        weight = story.graph.get(other.id, 0.0) + other.graph.get(story.id, 0.0)
        decay: float = 0.5 ** (gap / self.settings.half_life_days)
        return weight / (len(story.article_ids) * len(other.article_ids) or 1) * decay

    def _graph_model_linkage(self, story: _Story, other: _Story) -> float:
        """The graph merge model's probability that two stories are one (``merge_linkage =
        "graph_learned"``; :func:`~newsfuse.stages.cluster_merging.graph_merge_model`), its
        word and name similarities and then the probability decayed by the gap between their spans
        (:func:`~newsfuse.stages.cluster_merging.decayed`; 0 outside the window).

        Why learned: the plain graph average linkage is one number whose scale differs between
        long documents and title + lead (see :mod:`newsfuse.stages.cluster_merging`).  Cost: the
        arrival links' look-ups, ``members``² member cosines, one centroid and one entity dot.
        """
        gap = _span_gap(story, other)
        if gap > self.settings.window_days:
            return 0.0
        decay: float = 0.5 ** (gap / self.settings.half_life_days)
        values = decayed(self.graph_merge_features(story.id, other.id), decay)
        return graph_merge_model().probability(values) * decay

    def pair_linkage(self, story_id: str, other_id: str) -> float:
        """The linkage :meth:`consolidate` scores two stories with now (a graph linkage: the
        arrival-graph average or the graph merge model's probability, decayed); for diagnostics
        such as ``benchmarks/cluster_order.py --log``, which asks why two stories stayed apart."""
        story, other = self._stories[story_id], self._stories[other_id]
        if self.settings.merge_linkage == "graph":
            return self._graph_linkage(story, other)
        return self._graph_model_linkage(story, other)

    def graph_merge_features(self, story_id: str, other_id: str) -> list[float]:
        """The :data:`~newsfuse.stages.cluster_merging.GRAPH_MERGE_FEATURES` of two stories
        (undecayed); ``benchmarks/fit_cluster_merger.py`` reads them to fit the model."""
        story, other = self._stories[story_id], self._stories[other_id]
        for each in (story, other):
            if self._docs > each.norm_docs * _NORM_STALENESS:
                self._refresh_norms(each)
        out = story.links.get(other.id, [0.0, 0.0, 0.0])
        back = other.links.get(story.id, [0.0, 0.0, 0.0])
        evidence = GraphEvidence(
            weight=story.graph.get(other.id, 0.0) + other.graph.get(story.id, 0.0),
            links=out[0] + back[0],
            probability_sum=out[1] + back[1],
            probability_max=max(out[2], back[2]),
            sizes=(len(story.article_ids), len(other.article_ids)),
        )
        idf = self._idf
        cosines = [member_cosines(a, b, idf)[0] for a in story.members for b in other.members]
        return graph_merge_features(evidence, cosines, *self._story_cosines(story, other))

    def _story_cosines(self, story: _Story, other: _Story) -> tuple[float, float]:
        """IDF-weighted cosines of two stories' term centroids and of their entity counts."""
        idf = self._idf
        centroid = sum(
            story.weights[t] * other.weights[t] * idf(t) ** 2
            for t in sorted(story.weights.keys() & other.weights.keys())
        ) / (story.term_norm * other.term_norm or 1.0)
        entity = sum(
            story.entities[e] * other.entities[e] * idf(e) ** 2
            for e in sorted(story.entities.keys() & other.entities.keys())
        ) / (story.entity_norm * other.entity_norm or 1.0)
        return centroid, entity

    def merge_candidates(self, story_id: str) -> list[str]:
        """The live stories :meth:`consolidate` scores a story against (see
        :meth:`_story_candidates`)."""
        return self._story_candidates(self._stories[story_id])

    def _story_candidates(self, story: _Story) -> list[str]:
        """The live stories a story could merge with, found like an article's candidates."""
        found = self._candidates(story.weights, sorted(story.entities))
        return [other for other in found if other != story.id]

    def _link_linkage(
        self, story: _Story, other: _Story, directed: dict[str, dict[str, float]]
    ) -> float:
        """The linkage of two stories on the learned models, decayed by the time between them (0
        outside the window): the merge model's probability (``merge_linkage = "learned"``) or the
        mean link probability of each story's kept members to the other (``"link"``).

        Why: the batch clustering of the tracker's own link probabilities is the ceiling of a
        one-pass tracker (``benchmarks/clustering.py`` prints it), and a plain member cosine
        cannot tell two events of one topic apart the way the link model's entity and number
        features do.  Cost: ``members`` × ``max_candidates`` links per story scored (see
        :meth:`_directed`) and ``members``² member cosines per pair.
        """
        gap = _span_gap(story, other)
        if gap > self.settings.window_days or not story.members or not other.members:
            return 0.0
        values = self.merge_features(story.id, other.id, directed)
        if self.settings.merge_linkage == "link":
            score = values[0]
        else:
            score = merge_model().probability(values)
        decay: float = 0.5 ** (gap / self.settings.half_life_days)
        return score * decay

    def merge_features(
        self, story_id: str, other_id: str, directed: dict[str, dict[str, float]] | None = None
    ) -> list[float]:
        """The :data:`~newsfuse.stages.cluster_merging.MERGE_FEATURES` of two stories (undecayed).

        ``directed`` caches each story's member-to-candidate link means for one
        :meth:`consolidate` call (a merged story's are dropped; another story keeps its means of
        the stories as they were when it was scored); ``benchmarks/fit_cluster_merger.py`` reads
        the features to fit the merge model.
        """
        cache = {} if directed is None else directed
        story, other = self._stories[story_id], self._stories[other_id]
        found = [
            means.get(target.id)
            for source, target in ((story, other), (other, story))
            for means in (self._directed(source, cache),)
        ]
        present = [m for m in found if m is not None]
        link_mean = sum(present) / len(present) if present else 0.0
        link_min = min(m or 0.0 for m in found)
        cosines = [member_cosines(a, b, self._idf)[0] for a in story.members for b in other.members]
        centroid, entity = self._story_cosines(story, other)
        return [
            link_mean,
            link_min,
            sum(cosines) / len(cosines) if cosines else 0.0,
            max(cosines, default=0.0),
            min(centroid, 1.0),
            min(entity, 1.0),
        ]

    def _directed(self, story: _Story, directed: dict[str, dict[str, float]]) -> dict[str, float]:
        """Candidate story id → the mean link probability of ``story``'s kept members to it."""
        found = directed.get(story.id)
        if found is not None:
            return found
        candidates = [self._stories[s] for s in self._story_candidates(story)]
        for each in [story, *candidates]:
            if self._docs > each.norm_docs * _NORM_STALENESS:
                self._refresh_norms(each)
        sums = dict.fromkeys((c.id for c in candidates), 0.0)
        for member in story.members:
            for link in self._member_links(member, candidates):
                sums[link.story_id] += link.probability()
        found = {sid: total / len(story.members) for sid, total in sums.items()}
        directed[story.id] = found
        return found

    def _member_links(
        self, member: Member, candidates: Sequence[_Story], source: _Story | None = None
    ) -> list[Link]:
        """A kept member scored against ``candidates`` as an article would be (undecayed).

        With ``source`` (the member's story; :meth:`_relink`), as on arrival: only the
        ``rescore`` candidates closest by centroid cosine get link features (ties keep the
        candidate order), each decayed by the gap between its span and ``source``'s."""
        idf = self._idf
        probe = Probe.build(
            {t: v * idf(t) ** 2 for t, v in member.terms.items()},
            member.norm,
            list(member.terms),
            member.title,
            member.numbers,
            idf,
            member.entities,
        )
        named = {e: idf(e) ** 2 for e in member.entities}
        entity_norm = math.sqrt(sum(named.values()))
        near = []
        for story in candidates:
            centroid = _dot(probe.terms, story.weights) / (member.norm * story.term_norm or 1.0)
            entity = 0.0
            if named and story.entities:
                entity = _dot(named, story.entities) / (entity_norm * story.entity_norm or 1.0)
            near.append((story, centroid, entity))
        decay = {story.id: 1.0 for story in candidates}
        if source is not None:
            near.sort(key=lambda item: -item[1])  # stable: ties keep the candidate order
            near = near[: self.settings.rescore]
            half_life = self.settings.half_life_days
            decay = {s.id: 0.5 ** (_span_gap(source, s) / half_life) for s, _, _ in near}
        links = []
        for story, centroid, entity in near:
            values = link_features(
                probe, centroid, entity, story.weights, story.members, story.entities
            )
            links.append(Link(story.id, values, None, decay[story.id]))
        return with_margins(links)

    def _linkage(self, story: _Story, other: _Story) -> float:
        """Average IDF-weighted cosine between the two stories' kept members, decayed by the time
        between them like a link (0 outside the window): ``merge_linkage = "cosine"``."""
        gap = _span_gap(story, other)
        if gap > self.settings.window_days or not story.members or not other.members:
            return 0.0
        for each in (story, other):
            if self._docs > each.norm_docs * _NORM_STALENESS:
                self._refresh_norms(each)
        cosines = [member_cosines(a, b, self._idf)[0] for a in story.members for b in other.members]
        decay: float = 0.5 ** (gap / self.settings.half_life_days)
        return sum(cosines) / len(cosines) * decay

    def stories(self) -> dict[str, list[str]]:
        """Every story so far (live or expired; not those merged into another), by id, with its
        article ids in arrival order (a merged story's after those of the story it joined)."""
        return {sid: list(self._stories[sid].article_ids) for sid in sorted(self._stories)}

    # --- persistence ---------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything needed to resume, as JSON-ready plain values (a store persists this)."""
        return {
            "version": _STATE_VERSION,
            "settings": asdict(self.settings),
            "df": dict(self._df),
            "docs": self._docs,
            "seq": self._seq,
            "now": self._now,
            "batch_from": self._batch_from,
            "stories": [_story_record(s) for s in self._stories.values()],
            "postings": {f: list(p.items()) for f, p in self._postings.items()},
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> StoryTracker:
        """Rebuild a tracker from :meth:`state`; it continues exactly as the original would."""
        if state.get("version") != _STATE_VERSION:
            raise ValueError(f"unsupported cluster state version {state.get('version')!r}")
        known = {f.name for f in fields(ClusterSettings)}
        tracker = cls(ClusterSettings(**{k: v for k, v in state["settings"].items() if k in known}))
        tracker._df = {str(k): int(v) for k, v in state["df"].items()}
        tracker._docs = int(state["docs"])
        tracker._seq = int(state["seq"])
        tracker._now = None if state["now"] is None else float(state["now"])
        batch_from = state.get("batch_from")  # absent before batches: none open
        tracker._batch_from = None if batch_from is None else int(batch_from)
        for raw in state["stories"]:
            story = _Story(
                id=raw["id"],
                article_ids=list(raw["article_ids"]),
                weights={str(k): float(v) for k, v in _pairs_dict(raw["weights"]).items()},
                entities={str(k): float(v) for k, v in _pairs_dict(raw["entities"]).items()},
                first_time=raw["first_time"],
                last_time=raw["last_time"],
                updated=int(raw["updated"]),
                term_norm=float(raw["norms"][0]),
                entity_norm=float(raw["norms"][1]),
                norm_docs=int(raw["norms"][2]),
                vector=None if raw.get("vector") is None else [float(v) for v in raw["vector"]],
                members=[Member.from_state(m) for m in raw.get("members", [])],
                graph={str(k): float(v) for k, v in _pairs_dict(raw.get("graph", [])).items()},
                links={str(k): [float(v) for v in rest] for k, *rest in raw.get("links", [])},
                # stories stored before split checks counted as checked at their size
                checked=int(raw.get("checked", len(raw["article_ids"]))),
            )
            tracker._stories[story.id] = story
        for story in tracker._stories.values():
            for other in story.graph:
                tracker._graph_in.setdefault(other, set()).add(story.id)
        tracker._postings = {
            f: {str(sid): int(seq) for sid, seq in items} for f, items in state["postings"].items()
        }
        tracker._active = {sid for p in tracker._postings.values() for sid in p}
        tracker._expiry = [
            (s.last_time, s.id)
            for s in tracker._stories.values()
            if s.id in tracker._active and s.last_time is not None
        ]
        heapq.heapify(tracker._expiry)
        tracker._rebuild_arrivals()
        evicted = state.get("evicted")  # given by from_rows; derived for a whole state
        tracker._evicted = (
            tracker._derive_evictions()
            if evicted is None
            else {str(f): int(n) for f, n in evicted.items()}
        )
        return tracker

    @staticmethod
    def live_from(header: Mapping[str, Any]) -> float | None:
        """The earliest ``last_time`` a story may have and still take an article, for a tracker
        resumed from :meth:`header` (``None``: every story may, as no article was dated yet).

        A story whose last article is before it has left the window: it is in no posting, and the
        clock (the newest publication time seen) only moves forward, so no later article can ever
        reach it again.  A store therefore resumes a tracker from the stories at or after this
        time and those with no dated article (:meth:`from_rows` with only those gives the same
        decisions as with all of them), which bounds an ingest by the window, not the corpus.
        The same comparison as :func:`_expired`.
        """
        if header.get("now") is None:
            return None
        return float(header["now"]) - float(header["settings"]["window_days"])

    @staticmethod
    def live_updated_from(header: Mapping[str, Any]) -> int | None:
        """The lowest ``updated`` an undated story may have and still take an article, for a
        tracker resumed from :meth:`header` (``None``: every undated story may, the arrival
        window being off, as in stores built before it).

        The arrival window's :meth:`live_from`: a story with no dated article that the last
        ``undated_window`` articles did not touch has left the active set and no later article or
        merge reaches it (the count only grows), so a store resumes only the undated stories
        updated at or after this.  The same comparison as :func:`_outside_window`.
        """
        window = int(header["settings"].get("undated_window", 0))
        if window <= 0:
            return None
        lowest = int(header["seq"]) - window + 1
        batch_from = header.get("batch_from")
        return lowest if batch_from is None else min(lowest, int(batch_from))

    def begin_batch(self) -> None:
        """Open a batch: until :meth:`end_batch`, an undated story that an article of the batch
        touched does not leave by arrivals (``undated_window``); stories the batch does not touch
        leave as before.

        Why: the arrival window stands for time in an undated *stream*, where a story's reports
        come close together.  The articles of one batch (a :func:`cluster` call, one ingest) have
        no arrival order among them; they are fed in id order, which scatters a story's reports
        over the whole batch, so with the window a batch of more than ``undated_window`` undated
        articles cut most of its stories in pieces (the synthetic undated corpus as one batch of
        100k: story BCubed F1 0.530 before, 0.968 held open; ``benchmarks/scale.py --undated
        --by-id``).  The working set is then bounded by the batch, which the caller chooses, and
        by the window between batches.  Opening a batch that is open keeps its start: a store keeps it in the header, so
        an ingest that resumes an interrupted one holds the same stories live."""
        if self._batch_from is None:
            self._batch_from = self._seq + 1

    def end_batch(self) -> None:
        """Close the open batch: its stories leave by arrivals again, at once (:meth:`_gone`).

        The arrival heap is rebuilt from the live undated stories: while the batch was open
        nothing was popped, so it held an entry per article the batch absorbed."""
        self._batch_from = None
        self._rebuild_arrivals()

    def _rebuild_arrivals(self) -> None:
        """The arrival window's heap from the live undated stories, one entry each."""
        if self.settings.undated_window > 0:
            self._arrivals = [
                (s.updated, s.id)
                for s in self._stories.values()
                if s.id in self._active and s.last_time is None
            ]
            heapq.heapify(self._arrivals)

    def story_articles(self, story_id: str) -> list[str]:
        """The ids of a held story's articles, in the order they joined it."""
        return list(self._stories[story_id].article_ids)

    def has_story(self, story_id: str) -> bool:
        """Whether ``story_id`` is one of the stories this tracker holds (not merged away)."""
        return story_id in self._stories

    def forget_expired(self) -> int:
        """Drop the stories that have left the window from memory; how many were dropped.

        They are in no posting and no later article can reach them (see :meth:`live_from`), so
        the decisions that follow are the same; :meth:`stories` no longer lists them.  A store
        calls this after writing a commit's rows (their rows are stored: nothing is lost), so that
        a long ingest holds the stories of its window, not of everything it has seen.  Stories
        whose changes are not taken yet (:meth:`take_changes`) are kept.
        """
        pending = self._joined | self._rescored | self._dirty
        expired = [
            sid for sid, story in self._stories.items() if sid not in pending and self._gone(story)
        ]
        for story_id in expired:
            story = self._stories.pop(story_id)
            self._unindex(story, set(story.weights) | set(story.entities))  # as from_rows posts
            self._active.discard(story_id)
        return len(expired)

    def _derive_evictions(self) -> dict[str, int]:
        """:attr:`_evicted` from the postings: for each feature, the newest ``updated`` of a live
        story that carries it but is not posted under it.

        Not always the ``updated`` of the last story evicted, but it separates the same stories:
        an evicted story is older than every story still posted (the oldest goes first, and a
        story re-posted gets the newest ``seq``), so the postings rebuilt from it are the same.
        """
        evicted: dict[str, int] = {}
        for story in self._stories.values():
            if not self._live(story):
                continue
            for feature in set(story.weights) | set(story.entities):
                if story.id not in self._postings.get(feature, ()):
                    evicted[feature] = max(evicted.get(feature, 0), story.updated)
        return evicted

    def _live(self, story: _Story) -> bool:
        """Whether the story is still inside the window of the newest article seen.

        The stories :meth:`_advance` has expired are exactly the dated ones whose last article is
        more than ``window_days`` before ``now`` (the same comparison), and those
        :meth:`_advance_arrivals` has expired the undated ones the last ``undated_window`` articles
        did not touch, so liveness needs no row.
        """
        return not self._gone(story)

    def _left_by_arrivals(self, story: _Story) -> bool:
        """Whether a story with no dated article has left the arrival window.

        Such a story takes part in no merge either: a store forgets it after the commit
        (:meth:`forget_expired`), so merging it in memory would make a resumed ingest and an
        uninterrupted one differ, and with no dates no linkage's time window would keep it out.
        (A dated story's merges stay as they were: the linkage's time window applies to them.)
        """
        return story.last_time is None and self._gone(story)

    def _gone(self, story: _Story) -> bool:
        """Whether the story has left the window: :func:`_outside_window` with this tracker's
        clocks."""
        return _outside_window(
            story.last_time,
            story.updated,
            self._now,
            self._seq,
            self.settings.window_days,
            self.settings.undated_window,
            self._batch_from,
        )

    # --- persistence by rows: a store rewrites only what changed ------------------------------------
    #
    # :meth:`state` is one document that grows with every story ever seen; rewriting it at each
    # commit makes a long ingest slower and hungrier as it goes.  The methods below split it into a
    # small header, one row per story (and one of its norms) and one row per feature, so a commit
    # writes only the stories that took an article or were rescored, and the features those
    # articles and stories touched.
    #
    # Neither the postings nor a story's article ids are stored with the story.  The article ids are
    # the store's memberships (one row per article, already written by the ingest), and the postings
    # follow from the stories: a story's postings value is always its ``updated`` (each absorb
    # re-posts every feature it carries, newest last), and the stories a posting list has lost are
    # those that expired (a live story is one whose last article is inside the window: see
    # :meth:`_live`), those that dropped the feature, and the evicted ones, which are older than
    # every story still listed.  So a posting list is the live stories carrying its feature that
    # were updated after the last eviction from it, in ``updated`` order, and a feature's row keeps
    # that eviction's ``updated`` next to its document frequency.  An eviction changes one feature
    # row, not the evicted story's row: before, the evicted stories (more of them the more stories
    # there are) were rewritten at every commit, which made tracking superlinear in the corpus.

    def add_article(
        self, article: Article, features: ArticleFeatures | None = None
    ) -> tuple[str, ArticleFeatures]:
        """:meth:`add` (with the article's :func:`article_features` when already computed), also
        returning the features counted: their document frequencies changed."""
        vector = self.vector(article)
        if features is None:
            features = article_features(article, self.settings)
        return self.add_features(features, vector), features

    def header(self) -> dict[str, Any]:
        """The corpus-wide scalars of :meth:`state`: everything but stories, frequencies, postings."""
        return {
            "version": _STATE_VERSION,
            "settings": asdict(self.settings),
            "docs": self._docs,
            "seq": self._seq,
            "now": self._now,
            "batch_from": self._batch_from,
        }

    def carried(self, story_id: str) -> set[str]:
        """The features a story carries: where absorbing its last article may have evicted others."""
        story = self._stories[story_id]
        return set(story.weights) | set(story.entities)

    def feature_rows(self, features: Iterable[str]) -> dict[str, tuple[int, int]]:
        """``(document frequency, updated of the last story evicted or 0)`` of ``features``."""
        return {f: (self._df[f], self._evicted.get(f, 0)) for f in features if f in self._df}

    # A store's tracker holds the frequencies of the features it can look up, not of every feature
    # the corpus has had: those of the stories it holds (:func:`story_row_features`, loaded with
    # them by :meth:`from_rows`) and those of the articles it is about to take, which the store
    # hands over first (:meth:`unknown_features`, :meth:`know_features`).  The IDF of any other
    # feature is never asked for, so the decisions are those of a tracker holding every row,
    # while a resumed ingest reads and keeps rows in proportion to its window, not to the corpus's
    # vocabulary (which grows with every name the news brings).

    def unknown_features(self, features: ArticleFeatures) -> list[str]:
        """The features of an article about to be added whose frequencies this tracker does not
        hold (new to the corpus, or held only by the store), sorted."""
        wanted = {*features.terms, *features.entities, *features.title}
        return sorted(f for f in wanted if f not in self._df)

    def know_features(self, rows: Mapping[str, tuple[int, int]]) -> None:
        """Take the stored ``(df, evicted)`` of features this tracker does not hold (those it holds
        are newer than any stored row and are kept)."""
        for feature, (df, evicted) in rows.items():
            if feature not in self._df:
                self._df[feature] = int(df)
                if evicted:
                    self._evicted[feature] = int(evicted)
        self._idf_memo.clear()

    def forget_features(self) -> int:
        """Drop the frequencies of the features no held story refers to; how many were dropped.

        Call only when a store has every row this tracker changed (after :meth:`feature_rows` of
        the touched features are written): the store hands them back with the articles that
        need them (:meth:`know_features`).  With :meth:`forget_expired`, a long ingest holds
        its window, not the vocabulary of everything it has seen.
        """
        kept: set[str] = set()
        for story in self._stories.values():
            kept.update(_story_features(story))
        gone = [f for f in self._df if f not in kept]
        for feature in gone:
            del self._df[feature]
            self._evicted.pop(feature, None)
        self._idf_memo.clear()
        return len(gone)

    def take_changes(self) -> tuple[list[str], list[str]]:
        """The stories whose :meth:`story_row` and whose :meth:`norms_row` changed since the last
        call, each sorted; and forget them.

        A story's row changes only when it takes an article or another story (a merge); its norms
        change then too, and also
        when it is merely scored: a candidate's norms are recomputed once the corpus has grown by
        ``_NORM_STALENESS`` since their last time, and a resumed tracker must have the same norms
        to score the same bits.  Many more stories are scored than joined, so the norms have rows
        of their own: rescoring a story writes a few numbers, not its hundred terms.
        """
        joined, rescored = sorted(self._joined), sorted(self._rescored)
        self._joined, self._rescored = set(), set()
        return joined, rescored

    def take_merges(self) -> list[StoryMerge]:
        """The merges since the last call, in the order they happened; and forget them.

        A merged story is gone from :meth:`stories` and from :meth:`take_changes`: a store deletes
        its rows and moves its articles to the story it joined.
        """
        merges, self._merges = self._merges, []
        return merges

    def take_splits(self) -> list[StorySplit]:
        """The splits since the last call, in the order they happened; and forget them.  A split
        comes after the merges of its consolidation; a store moves the memberships of the cut
        story's earlier articles (``Store.split_stories``)."""
        splits, self._splits = self._splits, []
        return splits

    def story_row(self, story_id: str) -> dict[str, Any]:
        """One story of :meth:`state` without its article ids (the store's memberships, see above)
        and without its norms (:meth:`norms_row`): what changes only when it takes an article."""
        record = _story_record(self._stories[story_id])
        del record["article_ids"], record["norms"]
        record["members"] = [
            {k: v for k, v in m.items() if k not in _MEMBER_NORMS} for m in record["members"]
        ]
        return record

    def norms_row(self, story_id: str) -> list[Any]:
        """A story's norms: ``[term norm, entity norm, docs, [[norm, title norm, title mass] per
        kept member]]``, what a story changes when it is scored."""
        s = self._stories[story_id]
        kept = [[m.norm, m.title_norm, m.title_mass] for m in s.members]
        return [s.term_norm, s.entity_norm, s.norm_docs, kept]

    @classmethod
    def from_rows(
        cls,
        header: Mapping[str, Any],
        stories: Sequence[Mapping[str, Any]],
        norms: Mapping[str, Sequence[Any]],
        features: Mapping[str, tuple[int, int]],
        article_ids: Mapping[str, Sequence[str]],
    ) -> StoryTracker:
        """Rebuild a tracker from :meth:`header`, every :meth:`story_row` and :meth:`norms_row`
        (by story id), every :meth:`feature_rows` and each story's article ids in arrival order.

        Continues exactly as the original would: the postings are rebuilt in ``updated`` order,
        which is the order the original inserted them in.
        """
        evicted = {f: e for f, (_, e) in features.items() if e}
        rows = []
        for r in stories:
            term, entity, docs, kept = norms[str(r["id"])]
            members = [
                {**m, "norm": n, "title_norm": tn, "title_mass": tm}
                for m, (n, tn, tm) in zip(r["members"], kept, strict=True)
            ]
            rows.append(
                {
                    **r,
                    "article_ids": list(article_ids.get(str(r["id"]), ())),
                    "weights": _pairs_dict(r["weights"]),
                    "entities": _pairs_dict(r["entities"]),
                    "norms": [term, entity, docs],
                    "members": members,
                }
            )
        window = float(header["settings"]["window_days"])
        arrivals = int(header["settings"].get("undated_window", 0))
        now = None if header["now"] is None else float(header["now"])
        seq = int(header["seq"])
        batch_from = header.get("batch_from")
        postings: dict[str, list[tuple[str, int]]] = {}
        for row in sorted(rows, key=lambda r: int(r["updated"])):
            updated = int(row["updated"])
            if _outside_window(row["last_time"], updated, now, seq, window, arrivals, batch_from):
                continue  # in no posting, as :meth:`_advance` or :meth:`_advance_arrivals` left it
            for feature in sorted(set(row["weights"]) | set(row["entities"])):
                if updated > evicted.get(feature, 0):
                    postings.setdefault(feature, []).append((str(row["id"]), updated))
        df = {f: n for f, (n, _) in features.items()}
        state = {**header, "df": df, "stories": rows, "postings": postings, "evicted": evicted}
        return cls.from_state(state)

    # --- internals -----------------------------------------------------------------------------------

    def vector(self, article: Article) -> Sequence[float] | None:
        """The article's embedding when this tracker reads embeddings (else ``None``)."""
        return self._embed(article) if self.settings.embedding_weight > 0 else None

    def _embed(self, article: Article) -> Sequence[float] | None:
        """The article's embedding, or ``None`` when the ``embeddings`` extra is not installed."""
        if self._encoder is None:
            self._encoder = default_encoder()
            if self._encoder is None:
                return None
        return [float(v) for v in self._encoder.encode([embedding_text(article)])[0]]

    def _count(self, features: Iterable[str]) -> None:
        """Update document frequencies *before* scoring, so the article's own terms have df ≥ 1."""
        self._docs += 1
        self._idf_memo.clear()
        for feature in features:
            self._df[feature] = self._df.get(feature, 0) + 1

    def _idf(self, feature: str) -> float:
        """Smoothed IDF that stays positive from the very first article (cold start), over the
        stream's own counts plus, with ``settings.prior``, the background counts of :func:`prior`.

        Memoised until the next article is counted: one ``add`` asks for the same features several
        times (ranking, weighting, story norms, centroid caps).
        """
        value = self._idf_memo.get(feature)
        if value is None:
            docs, df = self._docs, self._df.get(feature, 0)
            if self.settings.prior:
                background_docs, background = prior()
                docs, df = docs + background_docs, df + background.get(feature, 0)
            value = math.log((1 + docs) / (1 + df)) + 1.0
            self._idf_memo[feature] = value
        return value

    def _features(self, tf: Mapping[str, float], entities: Sequence[str]) -> _Features:
        """IDF-weight the article with *current* frequencies, applied to raw centroid weights too.

        Story centroids keep raw tf sums and are IDF-weighted at comparison time, so centroids built
        while the frequencies were still settling (the first hundreds of articles) stay comparable.
        """
        idf = {f: self._idf(f) for f in [*tf, *entities]}
        return _Features(
            terms={t: v * idf[t] ** 2 for t, v in tf.items()},
            entities={e: idf[e] ** 2 for e in entities},
            term_norm=math.sqrt(sum((v * idf[t]) ** 2 for t, v in tf.items())),
            entity_norm=math.sqrt(sum(idf[e] ** 2 for e in entities)),
        )

    def _advance(self, when: float) -> None:
        """Move the clock forward and drop stories the window has left behind from the index."""
        if self._now is not None and when <= self._now:
            return
        self._now = when
        horizon = when - self.settings.window_days
        while self._expiry and self._expiry[0][0] < horizon:
            last_time, story_id = heapq.heappop(self._expiry)
            story = self._stories.get(story_id)  # None: merged into another since
            if story is not None and story.last_time == last_time and story_id in self._active:
                self._unindex(story, set(story.weights) | set(story.entities))
                self._active.discard(story_id)

    def _advance_arrivals(self) -> None:
        """Drop from the index the undated stories the last ``undated_window`` articles did not
        touch (the arrival window: an undated story has no time to expire by).  Called before an
        article is scored, so the ``undated_window`` articles counted are those before it."""
        window = self.settings.undated_window
        if window <= 0:
            return
        while (
            self._arrivals
            and self._seq - self._arrivals[0][0] >= window
            and (self._batch_from is None or self._arrivals[0][0] < self._batch_from)
        ):
            updated, story_id = heapq.heappop(self._arrivals)
            story = self._stories.get(story_id)  # None: merged into another since
            if (
                story is not None
                and story.updated == updated
                and story.last_time is None
                and story_id in self._active
            ):
                self._unindex(story, set(story.weights) | set(story.entities))
                self._active.discard(story_id)

    def _candidates(self, tf: Mapping[str, float], entities: Sequence[str]) -> list[str]:
        """Live stories sharing one of the article's most distinctive, not-too-common features."""
        settings = self.settings
        ranked = sorted(tf, key=lambda t: (-tf[t] * self._idf(t), t))[: settings.query_terms]
        common = (
            self._docs * settings.max_df_ratio if self._docs >= settings.min_docs_for_df else None
        )
        named = sorted(entities, key=lambda e: (-self._idf(e), e))[: settings.query_terms]
        queried = [f for f in [*ranked, *named] if common is None or self._df.get(f, 0) <= common]
        reads = self._read_budget(queried)
        hits: dict[str, float] = {}  # insertion-ordered: candidate order is deterministic
        for feature in queried:
            weight = self._idf(feature)
            posting = self._postings.get(feature, {})
            newest = (
                islice(reversed(posting), reads[feature])
                if reads[feature] < len(posting)
                else posting
            )
            for story_id in newest:
                hits[story_id] = hits.get(story_id, 0.0) + weight
        rare = [e for e in entities if common is None or self._df.get(e, 0) <= common]
        ranked_hits = sorted(hits, key=lambda s: (-hits[s], s))
        kept = set(self._sharing_core(ranked_hits, rare, settings.max_candidates))
        return [story_id for story_id in hits if story_id in kept]

    def _read_budget(self, features: Sequence[str]) -> dict[str, int]:
        """How many postings (newest first) to read per feature: rarest features first, until
        ``max_postings_read`` stories were read for the article.

        Why: a topic word's postings list fills up to ``max_postings`` as the stream gets denser
        (40 query features x 64 = 2,560 reads per article at most), so reading every list makes the
        cost per article grow with the corpus.  The rare features (names) have short lists and
        carry the article's own story; reading them first and the common ones only as far as the
        budget allows keeps the work per article the same at any density.
        """
        left = self.settings.max_postings_read
        reads: dict[str, int] = {}
        for feature in sorted(features, key=lambda f: (self._df.get(f, 0), f)):
            reads[feature] = min(left, len(self._postings.get(feature, ())))
            left -= reads[feature]
        return reads

    def _sharing_core(self, ranked: Iterable[str], rare: Sequence[str], limit: int) -> list[str]:
        """The first ``limit`` stories of ``ranked`` that name one of the article's ``rare`` entities
        in at least ``core_share`` of their articles (all stories when the article names none).

        Why: the words a story shares with an article are mostly its topic ("coalition deal",
        "strike"), and a crawl carries dozens of live stories per topic at once.  An article that
        joins the wrong story by topic words alone adds its own names to that story, which then
        wins the next article of the same kind as well: stories snowball into topic blobs as the
        stream gets denser (synthetic corpus, 100k articles over a month: story BCubed precision
        0.46).  The names a story keeps repeating — its place, organisation, people — do not drift
        that way; names mentioned in passing (background, other places) fall below the share.
        """
        share, least = self.settings.core_share, self.settings.core_min_articles
        if share <= 0 or not rare:
            return list(ranked)[:limit]
        kept: list[str] = []
        for story_id in ranked:
            story = self._stories[story_id]
            size = len(story.article_ids)
            needed = share * size
            if (
                size < least
                or not story.entities
                or any(story.entities.get(e, 0.0) >= needed for e in rare)
            ):
                kept.append(story_id)
                if len(kept) == limit:
                    break
        return kept

    def _choose(
        self,
        candidates: Sequence[str],
        article: _Features,
        probe: Probe | None,
        unit: list[float] | None,
        when: float | None,
    ) -> str | None:
        """The best-scoring candidate at or above the join threshold (the first on ties), or None."""
        if probe is not None:
            return self._pick(self._links(candidates, article, probe, unit, when))
        best_id, best_score = None, self.settings.threshold
        for story_id in candidates:
            score = self._score(article, unit, when, self._stories[story_id])
            if score >= best_score and (score > best_score or best_id is None):
                best_id, best_score = story_id, score
        return best_id

    def _score(
        self,
        article: _Features,
        unit: list[float] | None,
        when: float | None,
        story: _Story,
    ) -> float:
        """Time-decayed mix of term cosine and entity cosine; ``-1`` when outside the window."""
        settings = self.settings
        gap = _gap(when, story)
        if gap > settings.window_days:
            return -1.0
        score, shared, semantic = self._cosines(article, unit, story)
        if article.entities and story.entities:
            score = (1 - settings.entity_weight) * score + settings.entity_weight * shared
        if semantic is not None:
            score = (1 - settings.embedding_weight) * score + settings.embedding_weight * semantic
        decay: float = 0.5 ** (gap / settings.half_life_days)
        return score * decay

    def _cosines(
        self, article: _Features, unit: list[float] | None, story: _Story
    ) -> tuple[float, float, float | None]:
        """Term, entity (0 when a side has none) and embedding (None when off) cosines."""
        if self._docs > story.norm_docs * _NORM_STALENESS:
            self._refresh_norms(story)
        score = _dot(article.terms, story.weights) / (article.term_norm * story.term_norm or 1.0)
        shared = 0.0
        if article.entities and story.entities:
            shared = _dot(article.entities, story.entities)
            shared /= article.entity_norm * story.entity_norm or 1.0
        semantic = None
        if unit is not None and story.vector is not None:
            length = math.sqrt(sum(v * v for v in story.vector)) or 1.0
            semantic = sum(a * b for a, b in zip(unit, story.vector, strict=True)) / length
        return score, shared, semantic

    def _links(
        self,
        candidates: Sequence[str],
        article: _Features,
        probe: Probe,
        unit: list[float] | None,
        when: float | None,
    ) -> list[Link]:
        """The learned scorer's view of the ``rescore`` candidates inside the window closest by
        centroid cosine (the cheap part), with their link features (the costly part) and decay."""
        settings = self.settings
        near = []
        for story_id in candidates:
            story = self._stories[story_id]
            gap = _gap(when, story)
            if gap <= settings.window_days:
                near.append((story, gap, *self._cosines(article, unit, story)))
        near.sort(key=lambda item: -item[2])  # stable: ties keep the candidate order
        links = []
        for story, gap, centroid, entity, semantic in near[: settings.rescore]:
            values = link_features(
                probe, centroid, entity, story.weights, story.members, story.entities
            )
            decay = 0.5 ** (gap / settings.half_life_days)
            links.append(Link(story.id, values, semantic, decay))
        return with_margins(links)

    def _pick(self, links: Sequence[Link]) -> str | None:
        """The most probable link at or above ``link_threshold`` (the first on ties), or None."""
        best_id, best_score = None, self.settings.link_threshold
        for link in links:
            score = link.probability()
            if score >= best_score and (score > best_score or best_id is None):
                best_id, best_score = link.story_id, score
        return best_id

    def _probe(self, article: _Features, features: ArticleFeatures) -> Probe:
        """The article side of the learned links, computed once for all candidates."""
        return Probe.build(
            article.terms,
            article.term_norm,
            list(features.terms),
            features.title,
            features.numbers,
            self._idf,
            features.entities,
        )

    def _member(self, features: ArticleFeatures) -> Member:
        """The sketch a story keeps of the article: unit tf over its heaviest terms."""
        tf = features.terms
        norm = math.sqrt(sum(v * v for v in tf.values())) or 1.0
        kept = _top({t: v / norm for t, v in tf.items()}, self.settings.member_terms, self._idf)
        rarest = sorted(features.entities, key=lambda e: (-self._idf(e), e))[:_MEMBER_ENTITIES]
        member = Member(
            terms=kept,
            title=features.title,
            numbers=features.numbers,
            entities=tuple(sorted(rarest)),
            article_id=features.article_id,
            when=features.when,
        )
        member.refresh(self._idf)
        return member

    def _kept(self, members: Sequence[Member]) -> list[Member]:
        """The ``members`` a story keeps of ``members`` (given oldest arrival first): the most
        recent by arrival (``members_by = "arrival"``) or the largest by :attr:`Member.key`,
        publication time then article id (``"time"``), in key order.

        Why by key: a story's kept members are what it is scored by (links, member cosines,
        the merge model, the links ``merge_relink`` rebuilds), and kept by arrival they were a
        function of the order its articles came in: two arrival orders gave one story of the
        same articles different members, so different links and merges (issue 14).  A fixed key
        keeps the same ones whatever the order, with the same bounded state."""
        if self.settings.members_by == "time":
            return sorted(members, key=_member_key)[-self.settings.members :]
        return list(members)[-self.settings.members :]

    def _refresh_norms(self, story: _Story) -> None:
        """Recompute a story's IDF-weighted norms with the current frequencies.

        Exact norms would change with every article; recomputing them only once the corpus grew by
        ``_NORM_STALENESS`` keeps scoring cost per candidate at the size of the article, and the
        norms live in the story state so a resumed tracker scores exactly like the original.
        """
        idf = self._idf
        story.term_norm = math.sqrt(sum((v * idf(f)) ** 2 for f, v in story.weights.items()))
        story.entity_norm = math.sqrt(sum((v * idf(f)) ** 2 for f, v in story.entities.items()))
        story.norm_docs = self._docs
        for member in story.members:
            member.refresh(idf)
        self._rescored.add(story.id)

    def _absorb(
        self,
        story: _Story,
        article_id: str,
        tf: Mapping[str, float],
        entities: Sequence[str],
        when: float | None,
        unit: list[float] | None = None,
        member: Member | None = None,
    ) -> None:
        """Add the article to the story's centroid, cap it, and refresh the story's postings."""
        before = set(story.weights) | set(story.entities)
        story.article_ids.append(article_id)
        if member is not None:  # a few: bounded cost per candidate, however big
            story.members = self._kept([*story.members, member])
        if unit is not None:
            story.vector = (
                list(unit)
                if story.vector is None
                else [a + b for a, b in zip(story.vector, unit, strict=True)]
            )
        norm = math.sqrt(sum(v * v for v in tf.values())) or 1.0
        for term, value in tf.items():  # each article weighs the same, however long it is
            story.weights[term] = story.weights.get(term, 0.0) + value / norm
        for entity in entities:
            story.entities[entity] = story.entities.get(entity, 0.0) + 1.0
        story.weights = _top(story.weights, self.settings.max_terms, self._idf)
        story.entities = _top(story.entities, self.settings.max_terms, self._idf)
        if when is not None:
            story.first_time = when if story.first_time is None else min(story.first_time, when)
            story.last_time = when if story.last_time is None else max(story.last_time, when)
        story.updated = self._seq
        self._joined.add(story.id)
        self._refresh_norms(story)
        self._post(story, before)

    def _merge(self, into: _Story, absorbed_id: str, similarity: float) -> StoryMerge:
        """Merge story ``absorbed_id`` into ``into``: sum the centroids, keep the members
        :meth:`_kept` chooses of both (by arrival: the most recently updated story's last), and
        re-post ``into``.  Costs the size of the two summaries
        (capped) plus the absorbed story's article ids, never the corpus."""
        absorbed = self._stories.pop(absorbed_id)
        self._unindex(absorbed, set(absorbed.weights) | set(absorbed.entities))
        self._active.discard(absorbed_id)
        self._joined.discard(absorbed_id)
        self._rescored.discard(absorbed_id)
        before = set(into.weights) | set(into.entities)
        into.article_ids.extend(absorbed.article_ids)
        for term, value in absorbed.weights.items():
            into.weights[term] = into.weights.get(term, 0.0) + value
        for entity, count in absorbed.entities.items():
            into.entities[entity] = into.entities.get(entity, 0.0) + count
        into.weights = _top(into.weights, self.settings.max_terms, self._idf)
        into.entities = _top(into.entities, self.settings.max_terms, self._idf)
        older, newer = sorted((absorbed, into), key=lambda s: s.updated)
        into.members = self._kept([*older.members, *newer.members])
        into.updated = max(into.updated, absorbed.updated)
        if absorbed.vector is not None:
            into.vector = (
                list(absorbed.vector)
                if into.vector is None
                else [a + b for a, b in zip(into.vector, absorbed.vector, strict=True)]
            )
        times = [t for t in (into.first_time, absorbed.first_time) if t is not None]
        into.first_time = min(times) if times else None
        times = [t for t in (into.last_time, absorbed.last_time) if t is not None]
        into.last_time = max(times) if times else None
        self._merge_graph(into, absorbed)
        self._refresh_norms(into)
        self._post(into, before)
        self._joined.add(into.id)  # its row changed (members, centroid): a store rewrites it
        merge = StoryMerge(absorbed_id, into.id, similarity)
        self._merges.append(merge)
        return merge

    def _merge_graph(self, into: _Story, absorbed: _Story) -> None:
        """Move ``absorbed``'s arrival links, out and in, to ``into`` (links between the two
        become internal and go).  Stories linking into ``absorbed`` change rows: a store rewrites
        them (:meth:`take_changes`).  Cost: the two stories' neighbours."""
        into.graph.pop(absorbed.id, None)
        into.links.pop(absorbed.id, None)
        self._graph_in.get(absorbed.id, set()).discard(into.id)
        self._graph_in.get(into.id, set()).discard(absorbed.id)
        for other in sorted(absorbed.graph):
            self._graph_in.get(other, set()).discard(absorbed.id)
        outgoing = {o: w for o, w in absorbed.graph.items() if o != into.id}
        for source_id in sorted(self._graph_in.pop(absorbed.id, set())):
            source = self._stories.get(source_id)
            if source is None or source_id == into.id:
                continue
            moved = source.graph.pop(absorbed.id, 0.0)
            moved_stats = source.links.pop(absorbed.id, None)
            self._add_graph(
                source, {into.id: moved}, {} if moved_stats is None else {into.id: moved_stats}
            )
            self._joined.add(source_id)
        self._add_graph(into, outgoing, absorbed.links)

    def _post(self, story: _Story, before: set[str]) -> None:
        """Re-post a story that changed under the features it carries now (``before``: those it
        carried before the change), or leave it out of the index when the window has passed it."""
        after = set(story.weights) | set(story.entities)
        self._unindex(story, before - after)
        expired = (
            self._now is not None
            and story.last_time is not None
            and story.last_time < self._now - self.settings.window_days
        )
        if expired:  # an old article arriving late: keep it in its story, but not in the index
            self._unindex(story, after)
            self._active.discard(story.id)
            return
        for feature in sorted(after):
            posting = self._postings.setdefault(feature, {})
            posting.pop(story.id, None)
            posting[story.id] = story.updated  # newest last
            if len(posting) > self.settings.max_postings:  # the least recently updated story
                self._evicted[feature] = posting.pop(next(iter(posting)))
        self._active.add(story.id)
        if story.last_time is not None:
            heapq.heappush(self._expiry, (story.last_time, story.id))
        elif self.settings.undated_window > 0:
            heapq.heappush(self._arrivals, (story.updated, story.id))

    def _unindex(self, story: _Story, features: Iterable[str]) -> None:
        for feature in features:
            posting = self._postings.get(feature)
            if posting is not None and posting.pop(story.id, None) is not None and not posting:
                del self._postings[feature]


class _MemberLinks(StoryTracker):
    """A scratch tracker for :meth:`StoryTracker._split_groups`: every article its own story,
    every other article a candidate, and the frequencies of the tracker it checks for (read, never
    counted again: the articles are already counted there)."""

    def __init__(self, tracker: StoryTracker, articles: int) -> None:
        settings = replace(
            tracker.settings, rescore=articles, max_candidates=articles, split_threshold=0.0
        )
        super().__init__(settings)
        self._df = tracker._df
        self._docs = tracker._docs

    def _count(self, features: Iterable[str]) -> None:
        return None

    def _pick(self, links: Sequence[Link]) -> str | None:
        return None


def cluster(
    articles: Sequence[Article], settings: ClusterSettings | None = None, *, in_order: bool = False
) -> dict[str, list[str]]:
    """Batch convenience: stories of ``articles``, independent of the order they are given in.

    Feeds them in a canonical order (dated articles by ``published_at``, then undated ones; ties by
    id) so a batch gives the same stories however it was listed, as one batch
    (:meth:`StoryTracker.begin_batch`: no undated story leaves by arrivals before the end), and
    consolidates once at the end.

    ``in_order=True`` feeds the articles as given instead, as a stream: a crawl's arrival order
    (``benchmarks/scale.py --undated`` feeds publication order with the dates taken out).  There
    the arrival window applies, so it consolidates also after every ``undated_window // 2``
    undated articles: a story the window has closed on takes no merge, so each must be
    consolidated while it is live (a store's commits of 2,048 articles do that for the default
    5,000).  A story that spans consolidations is checked for a split with its earlier
    articles, as a store reads them back (:meth:`StoryTracker.consolidate`).
    """
    tracker = StoryTracker(settings)
    ordered = list(articles) if in_order else canonical_order(articles)
    vectors: Sequence[Sequence[float] | None] = [None] * len(ordered)
    encoder = default_encoder() if tracker.settings.embedding_weight > 0 else None
    if encoder is not None:  # one batch is many times faster than one text at a time
        vectors = [
            list(map(float, v)) for v in encoder.encode([embedding_text(a) for a in ordered])
        ]
    every = tracker.settings.undated_window // 2 if in_order else 0
    undated = 0
    by_id = {a.id: (a, v) for a, v in zip(ordered, vectors, strict=True)}

    def fetch(ids: Sequence[str]) -> list[tuple[ArticleFeatures, Sequence[float] | None]]:
        return [(article_features(by_id[i][0], tracker.settings), by_id[i][1]) for i in ids]

    if not in_order:
        tracker.begin_batch()
    for article, vector in zip(ordered, vectors, strict=True):
        tracker.add(article, vector)
        if every and _days(article.published_at) is None:
            undated += 1
            if undated % every == 0:
                tracker.consolidate(fetch)
    tracker.consolidate(fetch)
    return tracker.stories()


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What the tracker reads from one article: a few hundred weighted terms, not the text."""

    article_id: str
    terms: dict[str, float]
    entities: tuple[str, ...]
    when: float | None  # days since the epoch, None when undated
    title: tuple[str, ...] = ()  # distinct title terms, sorted (the learned scorer's headline)
    numbers: tuple[str, ...] = ()  # numbers of title and lead (cluster_scoring.numbers)

    def canonical_key(self) -> tuple[int, float, str]:
        """The position in :func:`cluster`'s canonical order (dated by time, then undated; by id)."""
        if self.when is None:
            return (1, 0.0, self.article_id)
        return (0, self.when, self.article_id)


def article_features(article: Article, settings: ClusterSettings | None = None) -> ArticleFeatures:
    """The tracker's view of ``article``: pure and picklable, so it can run anywhere in parallel.

    (The optional sentence embedding is not part of it: the Spark path feeds words and entities
    only, so it matches :func:`cluster` while ``embedding_weight`` is 0, the default.)
    """
    settings = settings or ClusterSettings()
    lead = " ".join(article.text.split()[: settings.body_terms])
    return ArticleFeatures(
        article_id=article.id,
        terms=_term_weights(article, settings),
        entities=tuple(_entity_keys(article)),
        when=_days(article.published_at),
        title=tuple(sorted(set(terms(article.title or "")))),
        numbers=numbers(f"{article.title or ''}\n{lead}"),
    )


class Encoder(Protocol):
    """Anything that turns texts into vectors, one row per text (e.g. ``SentenceEncoder``)."""

    def encode(self, texts: Sequence[str]) -> Any: ...


def default_encoder() -> Encoder | None:
    """The bundled MiniLM encoder, or ``None`` when the ``embeddings`` extra is not installed
    (clustering then runs on terms and entities alone, as it always can)."""
    try:
        from newsfuse.stages.align.embeddings import SentenceEncoder, model_path

        model_path()
    except (ImportError, MissingExtraError):
        return None
    return SentenceEncoder()


def embedding_text(article: Article) -> str:
    """What is embedded: the title and the lead (the first ``_EMBED_WORDS`` words), which say what
    the story is; MiniLM reads at most 256 word pieces anyway."""
    lead = " ".join(article.text.split()[:_EMBED_WORDS])
    return f"{article.title or ''}. {lead}".strip(". ")


# --- features ----------------------------------------------------------------------------------------


def canonical_order(articles: Iterable[Article]) -> list[Article]:
    """``articles`` in the order the tracker takes a batch in: dated ones by ``published_at``,
    then undated ones; ties by id.  Why: a batch has no order of its own (a crawl lists it one
    way, a re-run another), and a one-pass tracker's stories depend on the order it meets
    articles in, so a batch is fed in this order and gives the same stories however it came.
    An ingest orders its untracked articles the same way (``corpus.ingest``, from two columns)."""
    return sorted(articles, key=_canonical_key)


def _canonical_key(article: Article) -> tuple[int, float, str]:
    when = _days(article.published_at)
    return (0, when, article.id) if when is not None else (1, 0.0, article.id)


def _term_weights(article: Article, settings: ClusterSettings) -> dict[str, float]:
    """Sublinear tf of title and (leading) body terms, title terms multiplied by ``title_weight``."""
    body = Counter(terms(article.text)[: settings.body_terms])
    title = Counter(terms(article.title or ""))
    weights: dict[str, float] = {}
    for term in sorted(set(body) | set(title)):
        weight = 0.0
        if term in body:
            weight += 1 + math.log(body[term])
        if term in title:
            weight += settings.title_weight * (1 + math.log(title[term]))
        weights[term] = weight
    return weights


def _entity_keys(article: Article) -> list[str]:
    """Distinct entity features of an article, sorted: extracted mentions, else a heuristic guess."""
    named = [m.norm or m.text for m in article.mentions if m.label in ENTITY_LABELS]
    if not named and not article.mentions:
        text = f"{article.title or ''}\n{article.text}"
        named = [m.group(0) for m in _CAPITALISED.finditer(text)]
    keys = {_ENTITY + " ".join(name.lower().replace("’", "'").split()) for name in named}
    return sorted(k for k in keys if len(k) > 2)


def _days(published_at: str | None) -> float | None:
    """Days since the epoch of an ISO date or datetime; ``None`` when absent or unreadable.

    An unreadable date is treated like a missing one: the article is still clustered, just without
    the time window, which is what the stage does for any undated article.
    """
    if not published_at:
        return None
    try:
        moment = datetime.fromisoformat(published_at.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() / 86400.0


def _due(story: _Story, growth: float) -> bool:
    """Whether a story is checked for a split: 3 to 64 articles, and never checked or grown by
    ``growth`` times since it was."""
    size = len(story.article_ids)
    return SPLIT_MIN_ARTICLES <= size <= SPLIT_MAX_ARTICLES and size >= growth * story.checked


def _gap(when: float | None, story: _Story) -> float:
    """Days between an article and the nearest end of a story's time span (0 when either is undated)."""
    if when is None or story.first_time is None or story.last_time is None:
        return 0.0
    if when < story.first_time:
        return story.first_time - when
    return max(0.0, when - story.last_time)


def _joined_stats(stats: Sequence[float] | None, more: Sequence[float]) -> list[float]:
    """Two ``[count, probability sum, best probability]`` of arrival links as one."""
    if stats is None:
        return list(more)
    return [stats[0] + more[0], stats[1] + more[1], max(stats[2], more[2])]


def _member_key(member: Member) -> tuple[bool, float, str]:
    return member.key


def _heaviest(item: tuple[float, str]) -> tuple[float, str]:
    """Sort key of (weight, id) pairs: heaviest first, ties by id."""
    return (-item[0], item[1])


def _span_gap(story: _Story, other: _Story) -> float:
    """Days between two stories' time spans (0 when they overlap or either is undated)."""
    first, last = story.first_time, story.last_time
    other_first, other_last = other.first_time, other.last_time
    if first is None or last is None or other_first is None or other_last is None:
        return 0.0
    return max(0.0, first - other_last, other_first - last)


def _unit(vector: Sequence[float]) -> list[float]:
    length = math.sqrt(sum(float(v) * float(v) for v in vector)) or 1.0
    return [float(v) / length for v in vector]


def _dot(left: Mapping[str, float], right: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors over their shared features only.

    The key intersection runs in C and is small (a story shares a handful of an article's ~100
    terms); sorting it fixes the order of the float additions, which a set's would not (string
    hashes differ between processes), so scores are the same bits on every run.
    """
    return sum(left[f] * right[f] for f in sorted(left.keys() & right.keys()))


def _top(weights: dict[str, float], limit: int, idf: Callable[[str], float]) -> dict[str, float]:
    """The ``limit`` features heaviest after IDF weighting (ties by name), in name order."""
    if len(weights) <= limit:
        return weights
    kept = sorted(weights, key=lambda f: (-weights[f] * idf(f), f))[:limit]
    return {f: weights[f] for f in sorted(kept)}


def _expired(last_time: float | None, now: float | None, window_days: float) -> bool:
    """Whether a story whose last article is at ``last_time`` has left the window of ``now``: the
    one comparison :meth:`StoryTracker._advance`, ``_live`` and ``from_rows`` must agree on."""
    return last_time is not None and now is not None and last_time < now - window_days


def _outside_window(
    last_time: float | None,
    updated: int,
    now: float | None,
    seq: int,
    window_days: float,
    undated_window: int,
    batch_from: int | None = None,
) -> bool:
    """Whether a story has left the window: a dated one by time (:func:`_expired`), one with no
    dated article by arrivals (the last ``undated_window`` of the ``seq`` articles seen did not
    touch it; never when that is 0, nor while the batch it was touched in is open: ``batch_from``,
    see :meth:`StoryTracker.begin_batch`).  The one test ``_live``, ``forget_expired``,
    ``from_rows``, :meth:`StoryTracker.live_updated_from` and the merges agree on."""
    if last_time is not None:
        return _expired(last_time, now, window_days)
    if batch_from is not None and updated >= batch_from:
        return False
    return undated_window > 0 and seq - updated >= undated_window


@cache
def prior() -> tuple[int, Mapping[str, int]]:
    """(documents, feature → document frequency) of the background news the tracker's IDF starts
    from (``benchmarks/fit_cluster_prior.py``: roundups ``train`` and ECB+ fit topics).

    Why: a fresh tracker counts IDF over the few articles it has seen, so at first every word looks
    rare and two reports of one topic look like one story; a one-pass tracker never undoes those
    early joins.  Read once per process.
    """
    raw = json.loads(gzip.decompress(PRIOR_PATH.read_bytes()))
    return int(raw["docs"]), {str(f): int(n) for f, n in raw["df"].items()}
