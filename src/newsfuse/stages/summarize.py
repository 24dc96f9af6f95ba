"""The cited brief: an extractive summary where every sentence cites the spans that support it.

Each sentence of each article is a candidate.  Its *supporters* are, per other outlet, the most similar
sentence of that outlet above ``summarize.support_threshold`` (TF-IDF cosine over content words) that
also states the candidate's figures.  A candidate's relevance adds up what a neutral multi-outlet
summary is made of (see :class:`_Weights`): corroboration by other outlets, closeness to the whole
story and to the outlets' headlines, and lead position, less a little for quotations (one outlet's
voice).  The brief takes candidates greedily by relevance less redundancy with what it already holds
(MMR), never one that repeats a chosen sentence, until ``brief_sentences`` or the caller's word
budget is reached, and cites the candidate's own span plus its supporters.  A sentence no other outlet
supports is marked single-source.  On AllSides roundups this beats LexRank, TextRank, SumBasic, KL-Sum,
centroid and lead baselines on ROUGE-1/2/L (``benchmarks/results/brief.md``).

The brief's units stay whole sentences even though claims may be clauses: a clause lifted out of its
sentence often reads as a fragment ("officials began preparing …" without its time and actor), a
sentence already cites every span that supports it, whichever of its clauses each supporter
matches, and the ROUGE figures above are for sentences.  The update brief (:func:`brief_from_facts`)
is the exception: it is made of facts, so it uses a fact's own wording.
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
from newsfuse.models import Article, CitedSentence, Fact, Span, Story, content_id
from newsfuse.stages.similarity import cosine, sparse_rows, terms, tfidf

__all__ = ["brief_from_facts", "build_story", "outlet_key", "support_from_facts"]

_DATELINE = re.compile(r"^[A-Z][\w .’'-]{1,40}(?:\s*\([^)]{1,60}\))?\s*:\s*")
_MIN_WORDS = 8
_DANGLING_STARTS = frozenset(
    {"he", "she", "they", "it", "this", "that", "these", "those", "his", "her", "their", "its"}
    | {"but", "and", "however,", "also", "meanwhile,", "instead,"}
)
_REDUNDANT = 0.5  # a candidate this similar to a chosen sentence says the same thing again
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


def build_story(
    articles: Sequence[Article],
    settings: SummarizeSettings,
    settings_hash: str,
    *,
    max_words: int | None = None,
) -> Story:
    """Build the story and its cited brief from annotated articles."""
    ordered = sorted(articles, key=lambda a: (a.published_at or "9999", a.id))
    candidates = _candidates(ordered)
    titles = [a.title for a in ordered if a.title]
    all_vectors = sparse_rows(
        tfidf([terms(c.text) for c in candidates] + [terms(t) for t in titles])
    )
    vectors, title_vectors = all_vectors[: len(candidates)], all_vectors[len(candidates) :]
    supporters = _supporters(candidates, vectors, settings.support_threshold)
    chosen = _choose(
        candidates, vectors, supporters, title_vectors, settings.brief_sentences, max_words
    )
    brief = tuple(_cite(candidates, index, supporters[index]) for index in chosen)
    return Story(
        id=content_id(*sorted(a.id for a in articles), prefix="sty_"),
        title=_title(ordered, brief),
        article_ids=tuple(a.id for a in ordered),
        brief=brief,
        settings_hash=settings_hash,
    )


def _candidates(articles: Sequence[Article]) -> list[_Candidate]:
    found: list[_Candidate] = []
    for article in articles:
        for position, span in enumerate(article.sentences):
            text = article.text[span.start : span.end]
            if position == 0 and article.dateline:
                match = _DATELINE.match(text)
                if match:
                    span = Span(span.article_id, span.start + match.end(), span.end)
                    text = text[match.end() :]
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


@dataclass(frozen=True, slots=True)
class _Weights:
    """How much each signal counts when ranking candidates.

    Tuned on roundups-dev ``train`` (AllSides: three outlets, one neutral human summary; stories
    800+ held out) with ``benchmarks/brief.py``; reported on ``val``.  What a neutral multi-outlet
    summary is made of: statements the other outlets also carry (``outlets``, ``support``,
    ``centrality``), what the whole story is about (``centroid``), what the headlines say
    (``headlines``), the lead (``lead``); a quotation is one outlet's voice (``quote`` penalty).
    """

    outlets: float = 1.0  # per other outlet that carries the same statement
    support: float = 1.0  # summed similarity of those supporting passages
    centrality: float = 4.0  # mean similarity with every sentence of the other outlets
    centroid: float = 8.0  # similarity with the story's mean vector
    headlines: float = 6.0  # mean similarity with the outlets' headlines
    lead: float = 0.25  # 1 / (1 + position): news puts what matters first
    quote: float = 0.3  # penalty for a sentence carrying a quotation
    redundancy: float = 0.5  # MMR: penalty times the best similarity with an already chosen one


_WEIGHTS = _Weights()


def _relevance(
    candidates: list[_Candidate],
    vectors: Matrix,
    supporters: list[dict[str, tuple[int, float]]],
    title_vectors: Matrix,
    weights: _Weights,
) -> list[float]:
    """Each candidate's standalone worth: corroboration, centrality, headline match, position.

    Centrality is the mean cosine with the other outlets' sentences: the cosine with the sum of all
    sentences less the sum of the candidate's own outlet's, so it costs one sparse product per
    outlet, not one per pair.
    """
    n = len(candidates)
    if not n:
        return []
    outlet_of = [c.outlet for c in candidates]
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
    scores = []
    for i, candidate in enumerate(candidates):
        quoted = any(mark in candidate.text for mark in ('"', "“", "”"))
        scores.append(
            weights.outlets * len(supporters[i])
            + weights.support * sum(s for _, s in supporters[i].values())
            + weights.centrality * float(centrality[i])
            + weights.centroid * float(centroid[i])
            + weights.headlines * float(headlines[i])
            + weights.lead / (1 + candidate.position)
            - weights.quote * quoted
        )
    return scores


def _dot_rows(rows: Matrix, vector: Any) -> npt.NDArray[np.float64]:
    """Each row's dot product with one dense vector (a 1 × terms matrix or array)."""
    return np.asarray(rows @ np.asarray(vector, dtype=np.float64).ravel()).ravel()


def _choose(
    candidates: list[_Candidate],
    vectors: Matrix,
    supporters: list[dict[str, tuple[int, float]]],
    title_vectors: Matrix,
    limit: int,
    max_words: int | None = None,
) -> list[int]:
    """Greedy MMR: each step takes the candidate with the best relevance less redundancy with the
    chosen ones (its best cosine with them, kept up to date with one sparse product per step)."""
    weights = _WEIGHTS
    relevance = np.array(_relevance(candidates, vectors, supporters, title_vectors, weights))
    chosen: list[int] = []
    words = 0
    overlap = np.zeros(len(candidates))
    open_ = np.ones(len(candidates), dtype=bool)
    while open_.any() and len(chosen) < limit:
        if max_words is not None and words >= max_words:
            break
        gain = np.where(open_, relevance - weights.redundancy * overlap, -np.inf)
        best = int(np.argmax(gain))  # ties: the lowest index
        open_[best] = False
        if chosen and overlap[best] >= _REDUNDANT:
            continue
        chosen.append(best)
        overlap = np.maximum(overlap, _dot_rows(vectors, vectors[best].toarray()))
        words += len(candidates[best].text.split())
    return sorted(
        chosen,
        key=lambda i: (candidates[i].article.published_at or "9999", candidates[i].position, i),
    )


def _cite(
    candidates: list[_Candidate], index: int, supporters: dict[str, tuple[int, float]]
) -> CitedSentence:
    own = candidates[index]
    spans = [own.span, *(candidates[j].span for j, _ in supporters.values())]
    outlets = sorted({own.outlet, *supporters})
    return CitedSentence(
        text=own.text,
        citations=tuple(sorted(spans)),
        outlets=tuple(outlets),
        single_source=len(outlets) == 1,
    )


def brief_from_facts(
    tiers: Sequence[Sequence[Fact]], articles: Mapping[str, Article], limit: int
) -> tuple[CitedSentence, ...]:
    """A brief of the given facts only (the update brief: what is new).

    ``tiers`` lists facts by priority (the update passes new facts, then newly corroborated ones);
    within a tier, facts with more independent sources come first, then those told nearer the top
    of their articles.  Each sentence is the fact's
    own wording, a claim's exact text, and cites every claim of the fact, so it carries all the
    spans that support it.  The main brief's filters keep out fragments, cut-off quotations and
    sentences that lean on the one before ("He said …"), and a fact repeating a chosen one is skipped.
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
    return tuple(
        CitedSentence(
            text=texts[i],
            citations=facts[i].claims,
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
        if article.dateline and lead and article.slice(span) == text:
            match = _DATELINE.match(text)
            if match:
                return text[match.end() :]
    return text


def _reads_alone(text: str) -> bool:
    """Whether a statement starts like a sentence: a capital or an opening quotation mark, and not
    a word that points back to the sentence before."""
    words = text.split()
    if not words:
        return False
    first = words[0]
    return (first[0].isupper() or first[0] in "\"“‘'") and first.lower() not in _DANGLING_STARTS


def _title(articles: Sequence[Article], brief: Sequence[CitedSentence]) -> str:
    titles = [a.title for a in articles if a.title and a.title.count("|") < 2]  # not a menu
    if titles:
        return titles[0]
    if brief:
        words = brief[0].text.split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    return "Untitled story"


def support_from_facts(
    brief: Sequence[CitedSentence], facts: Sequence[Fact], articles: Mapping[str, Article]
) -> tuple[CitedSentence, ...]:
    """The brief with its sources counted from the facts, as the Facts section counts them.

    A brief sentence is supported by the facts one of whose claims lies (at least half) inside the
    sentence's own span: it cites its own span and every claim of those facts (in place of the
    passages that only matched it lexically), names their outlets, and is single-source unless one
    of those facts has two or more independent sources.  So the brief never calls a sentence corroborated that the
    Facts section lists as single-source, nor the other way round.
    """
    claims_by_article: dict[str, list[tuple[Span, Fact]]] = {}
    for fact in facts:
        for span in fact.claims:
            claims_by_article.setdefault(span.article_id, []).append((span, fact))
    marked = []
    for sentence in brief:
        own = next(
            (s for s in sentence.citations if articles[s.article_id].slice(s) == sentence.text),
            None,
        )
        if own is None:
            marked.append(sentence)
            continue
        supporting = {
            fact.id: fact
            for span, fact in claims_by_article.get(own.article_id, [])
            if 2 * (min(span.end, own.end) - max(span.start, own.start)) >= span.end - span.start
        }
        if not supporting:
            marked.append(sentence)
            continue
        citations = {own, *(s for f in supporting.values() for s in f.claims)}
        outlets = {o for f in supporting.values() for o in f.outlets}
        outlets.add(outlet_key(articles[own.article_id]))
        marked.append(
            CitedSentence(
                text=sentence.text,
                citations=tuple(sorted(citations)),
                outlets=tuple(sorted(outlets)),
                single_source=all(f.independent_sources < 2 for f in supporting.values()),
            )
        )
    return tuple(marked)
