"""The cited brief: the sentences that cover the story's most important facts, none repeating one,
in the story's order, with what changed first, every sentence citing each outlet that supports it.

Each sentence of each article is a candidate (fragments, sentences that open by pointing back — "He
further warned …" — and pieces of a quotation cut off from it are not).  Its worth is a linear
model over signals computed once (:mod:`newsfuse.stages.brief.scorer`, fitted on AllSides
roundups): the facts it states (from the corroboration stage: how many, how many independent sources
the best of them has), how many other outlets carry a matching sentence, closeness to the whole
story and to the outlets' headlines, position, length, quotation, figures, words that lean on
missing context.  Selection is a concept-coverage programme (:mod:`newsfuse.stages.brief.coverage`,
Gillick & Favre's objective, solved by the budgeted greedy rule): the sentences that cover the most
weight of the story's concepts (content-word bigrams, and the corroboration stage's facts) within
the budget, each concept counted once, plus the model's worth; a sentence whose main content is a
fact already stated is left out (how much of a sentence "main" means is chosen with the weights on
validation data), and a brief short of its word budget is filled with the best sentences still
open.  A brief of a given word budget is chosen instead by the learned greedy rule of
:mod:`newsfuse.stages.brief.gain` (gradient-boosted trees predicting what each sentence still adds
given those chosen: whether restating a stated fact pays is learned from human summaries, not a
threshold).  A model without coverage settings falls back to the greedy rule of
:mod:`newsfuse.stages.brief.select` (each fact once).  When the story has moved to a new
phase, the best sentence reporting it is forced in and leads the brief
(:mod:`newsfuse.stages.brief.order`); the rest follow by phase, time and
position.  References that lean on missing context are resolved for display with the naming passage
cited (:mod:`newsfuse.stages.brief.standalone`), a figure the outlets dispute is followed by a line
giving both sides, and the title takes no side (:mod:`newsfuse.stages.brief.title`).

A sentence cites its own span and every claim of the facts it states; its outlets and its
single-source mark come from those facts, as the Facts section counts them.  A sentence stating no
fact (a story without facts, or claims too short to align) falls back to the passages of other
outlets that match it lexically and state its figures.

The brief's units stay whole sentences even though claims may be clauses: a clause lifted out of its
sentence often reads as a fragment ("officials began preparing …" without its time and actor).  The
update brief (:func:`brief_from_facts`) is the exception: it is made of facts, so it uses a fact's own
wording.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from newsfuse.config import SummarizeSettings
from newsfuse.models import (
    Article,
    CitedSentence,
    Conflict,
    Fact,
    FramingTerm,
    Phase,
    Span,
    Story,
    content_id,
)
from newsfuse.stages.brief.concepts import fact_shares
from newsfuse.stages.brief.coverage import Concepts, bigrams, cover, document_frequency, pool_of
from newsfuse.stages.brief.gain import Pool, choose_by_gain
from newsfuse.stages.brief.order import (
    Placed,
    latest_development,
    reporting_phase,
    story_order,
)
from newsfuse.stages.brief.scorer import FEATURES, SentenceModel, load_model
from newsfuse.stages.brief.select import choose
from newsfuse.stages.brief.standalone import leans_on_context, resolve
from newsfuse.stages.brief.title import neutral_title
from newsfuse.stages.extract.claims import dateline_end
from newsfuse.stages.similarity import cosine, sparse_rows, terms, tfidf

__all__ = [
    "BriefContext",
    "Candidates",
    "brief_from_facts",
    "build_story",
    "candidate_table",
    "gain_pool",
    "outlet_key",
    "select_brief",
    "write_brief",
]

_MIN_WORDS = 8
_DANGLING_STARTS = frozenset(
    {"he", "she", "they", "it", "this", "that", "these", "those", "his", "her", "their", "its"}
    | {"but", "and", "however,", "also", "meanwhile,", "instead,"}
)
_REDUNDANT = 0.5  # an update-brief fact this similar to a chosen one says the same thing again
_BLOCK = 1024  # candidate rows per sparse product when looking for supporters
Matrix = Any  # scipy.sparse.csr_matrix (scipy ships no type stubs)


@dataclass(frozen=True, slots=True)
class _Candidate:
    article: Article
    span: Span
    text: str
    position: int  # sentence index within its article
    outlet: str
    numbers: frozenset[str]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> frozenset[str]:
    """The figures a sentence states ("4,200" and "4200" are one figure)."""
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def outlet_key(article: Article) -> str:
    """The outlet an article counts for (:attr:`Article.source_name`)."""
    return article.source_name


def _candidates(articles: Sequence[Article]) -> list[_Candidate]:
    found: list[_Candidate] = []
    for article in articles:
        for position, span in enumerate(article.sentences):
            text = article.text[span.start : span.end]
            if cut := dateline_end(text):  # a wire copy's dateline, wherever cleaning left it
                span = Span(span.article_id, span.start + cut, span.end)
                text = text[cut:]
            if len(text.split()) < _MIN_WORDS or not _quotes_balanced(text):
                continue  # fragments, and pieces of a quotation cut off from their speaker
            if text.split(maxsplit=1)[0].lower() in _DANGLING_STARTS:
                continue  # "He further warned …" means nothing once lifted out of its article
            found.append(
                _Candidate(article, span, text, position, outlet_key(article), _numbers(text))
            )
    return found


def _quotes_balanced(text: str) -> bool:
    """Whether every quotation the sentence opens is also closed in it (and vice versa)."""
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def _supporters(
    candidates: list[_Candidate], vectors: Matrix, threshold: float
) -> list[dict[str, tuple[int, float]]]:
    """For each candidate, the best-matching candidate of every *other* outlet above threshold.

    The cosines come from sparse products of :data:`_BLOCK` rows at a time (memory bounded by the
    pairs above the threshold, not by all pairs); pairs are visited in (i, j) order, so the first of
    equally good supporters wins, as in a plain double loop.
    """
    result: list[dict[str, tuple[int, float]]] = [{} for _ in candidates]
    outlets = np.array([c.outlet for c in candidates], dtype=object)
    for start in range(0, len(candidates), _BLOCK):
        block = (vectors[start : start + _BLOCK] @ vectors.T).tocoo()
        rows = block.row.astype(np.intp) + start
        columns = block.col.astype(np.intp)
        keep = (columns > rows) & (block.data >= threshold)
        keep &= outlets[rows] != outlets[columns]
        order = np.lexsort((columns[keep], rows[keep]))
        pairs = zip(
            rows[keep][order].tolist(),
            columns[keep][order].tolist(),
            block.data[keep][order].tolist(),
            strict=True,
        )
        for i, j, score in pairs:
            left, right = candidates[i], candidates[j]
            # A passage supports a sentence only if it states the sentence's figures too: "38 ships"
            # is no support for "41 ships", however alike the words.
            if left.numbers <= right.numbers and score > result[i].get(right.outlet, (-1, -1.0))[1]:
                result[i][right.outlet] = (j, score)
            if right.numbers <= left.numbers and score > result[j].get(left.outlet, (-1, -1.0))[1]:
                result[j][left.outlet] = (i, score)
    return result


def _dot_rows(rows: Matrix, vector: Any) -> npt.NDArray[np.float64]:
    """Each row's dot product with one dense vector (a 1 × terms matrix or array)."""
    return np.asarray(rows @ np.asarray(vector, dtype=np.float64).ravel()).ravel()


@dataclass(frozen=True, slots=True)
class BriefContext:
    """What the corroboration stage found that the brief uses (empty for a bare call)."""

    facts: tuple[Fact, ...] = ()
    phases: tuple[Phase, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    framing: tuple[FramingTerm, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidates:
    """The story's candidate sentences with everything selection needs, computed once."""

    items: list[_Candidate]
    vectors: Matrix  # L2-normalised TF-IDF rows
    supporters: list[dict[str, tuple[int, float]]]  # per other outlet: (candidate, cosine)
    facts: list[tuple[int, ...]]  # indices into the context's facts each candidate states
    features: npt.NDArray[np.float64]  # rows: candidates; columns: scorer.FEATURES
    # the candidates that are lead passages of the latest phase's articles (when the story moved)
    reporting_latest: tuple[int, ...]
    concepts: Concepts  # what each candidate covers, for the concept-coverage selection
    # the story's articles, candidates or not: a fact's claim may lie in an article none of
    # whose sentences is a candidate (a quotation cut into pieces), and cites its outlet all the same
    articles: tuple[Article, ...] = ()

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.items]


def build_story(
    articles: Sequence[Article],
    settings: SummarizeSettings,
    settings_hash: str,
    *,
    max_words: int | None = None,
    context: BriefContext = BriefContext(),
    model: SentenceModel | None = None,
) -> Story:
    """Build the story, its cited brief and its title from annotated articles (see the module).

    ``max_words``: the brief's word budget, else ``settings.brief_words`` (0: none)."""
    ordered = sorted(articles, key=lambda a: (a.published_at or "9999", a.id))
    table = candidate_table(ordered, settings, context)
    budget = max_words if max_words is not None else (settings.brief_words or None)
    brief = write_brief(table, context, model or load_model(), settings.brief_sentences, budget)
    disputed = {side.value for c in context.conflicts if c.kind == "number" for side in c.sides}
    loaded = {t.term for t in context.framing if t.kind == "loaded"}
    title = neutral_title(
        ordered,
        brief,
        disputed=disputed,
        loaded=loaded,
        latest=latest_development(context.phases),
    )
    return Story(
        id=content_id(*sorted(a.id for a in articles), prefix="sty_"),
        title=title,
        article_ids=tuple(a.id for a in ordered),
        brief=brief,
        settings_hash=settings_hash,
    )


def candidate_table(
    ordered: Sequence[Article], settings: SummarizeSettings, context: BriefContext
) -> Candidates:
    """Every candidate sentence of the story (articles in publication order) and its signals."""
    items = _candidates(ordered)
    titles = [a.title for a in ordered if a.title]
    all_vectors = sparse_rows(tfidf([terms(c.text) for c in items] + [terms(t) for t in titles]))
    vectors, title_vectors = all_vectors[: len(items)], all_vectors[len(items) :]
    supporters = _supporters(items, vectors, settings.support_threshold)
    shares = fact_shares([c.span for c in items], context.facts)
    stated = [tuple(found) for found in shares]  # the facts each states, ascending
    latest = latest_development(context.phases)
    features = _features(items, vectors, title_vectors, supporters, stated, context, latest)
    reporting = reporting_phase([c.span for c in items], latest) if latest is not None else []
    concepts = _concepts(ordered, items, stated, shares, context)
    return Candidates(
        items, vectors, supporters, stated, features, tuple(reporting), concepts, tuple(ordered)
    )


def _concepts(
    ordered: Sequence[Article],
    items: Sequence[_Candidate],
    stated: Sequence[tuple[int, ...]],
    shares: Sequence[Mapping[int, float]],
    context: BriefContext,
) -> Concepts:
    """The candidates' bigrams, counted per near-duplicate family (wire copies count once)."""
    families: dict[str, list[str]] = {}
    for article in ordered:
        families.setdefault(article.dup_group or article.id, []).append(article.text)
    return Concepts(
        bigrams=[bigrams(c.text) for c in items],
        frequency=document_frequency([families[key] for key in sorted(families)]),
        families=len(families),
        facts=stated,
        fact_sources=[f.independent_sources for f in context.facts],
        positions=[c.position for c in items],
        fact_shares=shares,
        headline=frozenset().union(*(bigrams(a.title) for a in ordered if a.title)),
    )


def select_brief(
    table: Candidates, model: SentenceModel, limit: int, max_words: int | None
) -> list[int]:
    """The chosen candidates, best first; when the story moved, the most valuable sentence
    reporting its latest phase comes first (what changed).  Given a word budget, the model's learned
    greedy rule chooses when it has one (:mod:`newsfuse.stages.brief.gain`); else concept
    coverage."""
    value = model.value(table.features)
    forced = None
    if table.reporting_latest:
        latest = list(table.reporting_latest)
        forced = latest[int(np.argmax(value[latest]))]  # ties: the first
    words = [len(c.text.split()) for c in table.items]
    if model.gain is not None and words and max_words is not None:
        # a brief of a given length: the learned rule decides when restating pays; a report's
        # brief (no word budget, only a sentence limit) keeps concept coverage, each fact once,
        # as the learned rule has no point at which to stop short of the limit
        return choose_by_gain(
            gain_pool(table),
            model.gain,
            pool_of(value, forced),
            limit=limit,
            budget=max_words,
            forced=forced,
        )
    if model.coverage_weights is not None and any(table.facts):
        # concept coverage needs the facts to tell a repeat; a story without facts (a bare call,
        # claims too short to align) keeps the greedy rule with its lexical repeat check
        return cover(
            table.concepts,
            value,
            words,
            model.coverage_weights,
            limit=limit,
            max_words=max_words,
            forced=forced,
        )
    if forced is not None:
        value[forced] = np.inf
    return choose(
        value,
        words,
        table.facts,
        table.vectors,
        limit=limit,
        max_words=max_words,
        redundancy=model.redundancy if table.facts and any(table.facts) else _REDUNDANT,
    )


def gain_pool(table: Candidates) -> Pool:
    """The candidates as the learned greedy rule reads them (:mod:`newsfuse.stages.brief.gain`)."""
    concepts = table.concepts
    return Pool(
        static=table.features,
        bigrams=concepts.bigrams,
        frequency=concepts.frequency,
        families=concepts.families,
        fact_shares=concepts.fact_shares or [dict.fromkeys(f, 1.0) for f in table.facts],
        articles=[c.article.id for c in table.items],
        vectors=table.vectors,
        words=[len(c.text.split()) for c in table.items],
    )


def _features(
    items: list[_Candidate],
    vectors: Matrix,
    title_vectors: Matrix,
    supporters: list[dict[str, tuple[int, float]]],
    stated: list[tuple[int, ...]],
    context: BriefContext,
    latest: Phase | None,
) -> npt.NDArray[np.float64]:
    """The scorer's signals for every candidate (columns in :data:`FEATURES` order).

    Centrality is the mean cosine with the other outlets' sentences: the cosine with the sum of all
    sentences less the sum of the candidate's own outlet's, one sparse product per outlet, not per
    pair.
    """
    n = len(items)
    if not n:
        return np.zeros((0, len(FEATURES)))
    outlet_of = [c.outlet for c in items]
    with_all = _dot_rows(vectors, vectors.sum(axis=0))
    own = np.zeros(n)
    size = np.zeros(n)
    for outlet in sorted(set(outlet_of)):
        members = np.array([i for i, o in enumerate(outlet_of) if o == outlet], dtype=np.intp)
        own[members] = _dot_rows(vectors[members], vectors[members].sum(axis=0))
        size[members] = len(members)
    others = n - size
    centrality = np.where(others > 0, (with_all - own) / np.maximum(others, 1), 0.0)
    centroid = _dot_rows(vectors, vectors.sum(axis=0) / n)
    titles = title_vectors.shape[0]
    headlines = _dot_rows(vectors, title_vectors.sum(axis=0) / max(1, titles))
    other_outlets = max(1, len(set(outlet_of)) - 1)
    sources = [f.independent_sources for f in context.facts]
    most = max(sources, default=1) or 1
    in_latest = set(latest.article_ids) if latest is not None else set()
    rows = []
    for i, c in enumerate(items):
        facts = [sources[k] for k in stated[i]]
        rows.append(
            {
                "lead": 1 / (1 + c.position),
                "first": float(c.position == 0),
                "relative_position": c.position / max(1, len(c.article.sentences)),
                "centroid": float(centroid[i]),
                "centrality": float(centrality[i]),
                "headlines": float(headlines[i]),
                "outlets": len(supporters[i]) / other_outlets,
                "support": sum(s for _, s in supporters[i].values()),
                "fact_sources": max(facts, default=0) / most,
                "corroborated_facts": float(sum(k >= 2 for k in facts)),
                "facts": float(len(facts)),
                "quoted": float(any(mark in c.text for mark in ('"', "“", "”"))),
                "words": len(c.text.split()) / 30,
                "figures": float(bool(c.numbers)),
                "dangling": float(leans_on_context(c.text)),
                "latest": float(c.article.id in in_latest),
            }
        )
    return np.array([[row[name] for name in FEATURES] for row in rows], dtype=np.float64)


def write_brief(
    table: Candidates,
    context: BriefContext,
    model: SentenceModel,
    limit: int,
    max_words: int | None = None,
) -> tuple[CitedSentence, ...]:
    """The brief from a candidate table: the chosen sentences in the story's order, resolved for
    display, cited, with a line giving both sides after a sentence that states a figure the outlets
    dispute.  (The table does not depend on the model, so a benchmark builds it once per story.)"""
    chosen = select_brief(table, model, limit, max_words)
    items = table.items
    placed = [
        Placed(items[i].span, items[i].article.published_at, items[i].position) for i in chosen
    ]
    lead = 0 if chosen and chosen[0] in table.reporting_latest else None
    disputes: dict[str, list[Conflict]] = {}
    for conflict in context.conflicts:
        disputes.setdefault(conflict.fact_id, []).append(conflict)
    told: set[str] = set()
    blocks: list[list[CitedSentence]] = []
    for k in story_order(placed, context.phases, lead):
        index = chosen[k]
        block = [_cite(table, index, context.facts, disputes)]
        for fact in (context.facts[f] for f in table.facts[index]):
            for conflict in disputes.get(fact.id, []):
                if conflict.id not in told:
                    told.add(conflict.id)
                    block.append(_disagreement(conflict))
        blocks.append(block)
    # The lines giving both sides count against the limit: the last sentences (with their lines)
    # give way, never a line without the sentence it follows.
    while len(blocks) > 1 and sum(len(b) for b in blocks) > limit:
        blocks.pop()
    return tuple(line for block in blocks for line in block)


def _cite(
    table: Candidates,
    index: int,
    facts: Sequence[Fact],
    disputes: Mapping[str, Sequence[Conflict]],
) -> CitedSentence:
    """One brief sentence: displayed with references resolved, citing its own span, the passages
    naming what the brackets resolve, and for each fact it states the closest claim of every other
    outlet that carries it, except those giving another figure for a number the outlets dispute (they are no
    support for this one)."""
    own = table.items[index]
    shown = resolve(own.article, own.span, own.text)
    stated = [facts[f] for f in table.facts[index]]
    if stated:
        other_figures = {
            span
            for f in stated
            for conflict in disputes.get(f.id, ())
            if conflict.kind == "number"
            for side in conflict.sides
            if not _gives(own.text, side.value)
            for span in side.citations
        }
        articles = {a.id: a for a in (*table.articles, *(item.article for item in table.items))}
        outlet_of = {article_id: outlet_key(a) for article_id, a in articles.items()}
        claims = {
            span
            for f in stated
            for span in _closest_per_outlet(
                own.text, [s for s in f.claims if s not in other_figures], articles, outlet_of
            )
            if outlet_of.get(span.article_id) != own.outlet  # its own span cites its outlet
        }
        spans = {own.span, *shown.citations, *claims}
        outlets = {
            own.outlet,
            *(outlet_of[s.article_id] for s in claims if s.article_id in outlet_of),
        }
        single = all(f.independent_sources < 2 for f in stated)
    else:
        supporters = table.supporters[index]
        spans = {own.span, *shown.citations, *(table.items[j].span for j, _ in supporters.values())}
        outlets = {own.outlet, *supporters}
        single = len(outlets) == 1
    return CitedSentence(
        text=shown.text,
        citations=tuple(sorted(spans)),
        outlets=tuple(sorted(outlets)),
        single_source=single,
    )


def _closest_per_outlet(
    text: str, claims: Sequence[Span], articles: Mapping[str, Article], outlet_of: Mapping[str, str]
) -> list[Span]:
    """Of a fact's claims, each outlet's one closest in words to the brief's ``text`` (ties: the
    earliest): a sentence cites every outlet behind it once, with the passage that reads most like
    it, rather than every restatement (a fact's claims are listed in full in the facts section)."""
    wanted = set(terms(text))
    best: dict[str, tuple[float, Span]] = {}
    for span in sorted(claims):
        article = articles.get(span.article_id)
        words = set(terms(article.slice(span))) if article is not None else set()
        score = len(words & wanted) / (len(words) * len(wanted)) ** 0.5 if words and wanted else 0.0
        outlet = outlet_of.get(span.article_id, span.article_id)
        if outlet not in best or score > best[outlet][0]:
            best[outlet] = (score, span)
    return [span for _, span in best.values()]


def _gives(text: str, value: str) -> bool:
    """Whether ``text`` states the figure ``value`` ("38" in "38 ships", not in "1938" or "3.8")."""
    return (
        re.search(rf"(?<![\d.,]){re.escape(value)}(?![\d]|[.,]\d)", text.replace(",", ""))
        is not None
    )


def _disagreement(conflict: Conflict) -> CitedSentence:
    """ "Reports differ on a figure: 38 (C); 41 (A, B)." citing every side (the conflict's subject
    is a matching key, not always a word a reader should see)."""
    what = {"number": "a figure", "date": "a date", "speaker": "who said it"}[conflict.kind]
    sides = "; ".join(f"{s.value} ({', '.join(s.outlets)})" for s in conflict.sides)
    outlets = sorted({o for s in conflict.sides for o in s.outlets})
    return CitedSentence(
        text=f"Reports differ on {what}: {sides}.",
        citations=tuple(sorted({c for s in conflict.sides for c in s.citations})),
        outlets=tuple(outlets),
        single_source=len(outlets) < 2,
    )


def brief_from_facts(
    tiers: Sequence[Sequence[Fact]], articles: Mapping[str, Article], limit: int
) -> tuple[CitedSentence, ...]:
    """A brief of the given facts only (the update brief: what is new).

    ``tiers`` lists facts by priority (the update passes new facts, then newly corroborated ones);
    within a tier, facts with more independent sources come first, then those told nearer the top
    of their articles.  Each sentence is the fact's own wording, a claim's exact text, and cites the
    claim of every outlet behind the fact that reads most like it, as the main brief does.  The
    main brief's filters keep out fragments, cut-off quotations and sentences that lean on the one
    before ("He said …"), and a fact repeating a chosen one is skipped.
    """
    facts = [fact for tier in tiers for fact in tier]
    tier_of = [number for number, tier in enumerate(tiers) for _ in tier]
    lead = [min(_position(articles[s.article_id], s) for s in fact.claims) for fact in facts]
    ranked = sorted(  # news puts what matters first: among equals, the fact told earliest
        range(len(facts)),
        key=lambda i: (tier_of[i], -facts[i].independent_sources, lead[i], i),
    )
    texts = [_fact_wording(fact, articles) for fact in facts]
    vectors = tfidf([terms(text) for text in texts])
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) >= limit:
            break
        text = texts[i]
        if len(text.split()) < _MIN_WORDS or not _quotes_balanced(text):
            continue
        if not _reads_alone(text) or text.endswith("?"):
            continue  # starts mid-sentence or leans on the one before; or asks instead of states
        if any(cosine(vectors[i], vectors[c]) >= _REDUNDANT for c in chosen):
            continue
        chosen.append(i)
    outlet_of = {article_id: article.source_name for article_id, article in articles.items()}
    return tuple(
        CitedSentence(
            text=texts[i],
            citations=tuple(
                sorted(_closest_per_outlet(texts[i], facts[i].claims, articles, outlet_of))
            ),
            outlets=facts[i].outlets,
            single_source=facts[i].independent_sources < 2,
        )
        for i in chosen
    )


def _position(article: Article, span: Span) -> int:
    """Index of the sentence a claim sits in (0 = the lead)."""
    return bisect.bisect_right([s.start for s in article.sentences], span.start) - 1


def _fact_wording(fact: Fact, articles: Mapping[str, Article]) -> str:
    """The wording a fact is told in: its representative text unless that is a clause that starts
    mid-sentence ("officials began …") or leans on the one before ("He said …") and another claim
    of the fact reads on its own; without the dateline a lead sentence may open with."""
    wordings = [fact.text] + [articles[span.article_id].slice(span) for span in fact.claims]
    text = next((wording for wording in wordings if _reads_alone(wording)), fact.text)
    for span in fact.claims:
        article = articles[span.article_id]
        lead = bool(article.sentences) and span.start == article.sentences[0].start
        if lead and article.slice(span) == text and (cut := dateline_end(text)):
            return text[cut:]
    return text


def _reads_alone(text: str) -> bool:
    """Whether a statement starts like a sentence: a capital or an opening quotation mark, and not
    a word that points back to the sentence before."""
    words = text.split()
    if not words:
        return False
    first = words[0]
    return (first[0].isupper() or first[0] in "\"“‘'") and first.lower() not in _DANGLING_STARTS
