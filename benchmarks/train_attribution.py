"""Train the attribution model (``src/newsfuse/stages/extract/attribution_model.json.gz``) on PolNeAR.

Reads only the **train** split of ``../shared/bench/attribution-dev`` (840 articles; the first
annotator's file per text, as the benchmark does), parses it with the extract stage's spaCy model and
fits three linear scorers (scikit-learn and SciPy, the ``bench`` extra) whose features are defined
in :mod:`newsfuse.stages.extract.attribution_model`: logistic regressions for cues and contents, a
conditional logit (:func:`fit_ranker`) for sources:

* cue: every token whose lemma heads a gold cue at least ``--min-lemma`` times in train (the learned
  lexicon); positive when it is the head of a gold cue span; a token inside a gold cue span that is
  not its head ("call" in "made an unprompted call for") is no example at all, as calling it a cue
  would still find the attribution;
* source: for each gold cue, the nouns and pronouns of its sentence and "no source"; the head of
  the gold source span (or "no source" when PolNeAR gives none) is the one to rank first;
* content: for each gold cue, the candidate passages; positive for those closest to the gold
  content (character Jaccard within 90% of the best, at least 0.2).

The cue and source scorers may also read the parser's contextual token vectors (``doc.tensor`` of
``tok2vec``, see :mod:`newsfuse.stages.extract.attribution_model`): ``--variants`` lists the
feature sets to try (``hand``: the sparse features alone; ``cue``: plus the cue token's vector;
``cue+source``: plus each source candidate's vector too).  Each variant is fitted on four fifths of
train (the fifth is fixed: ``random.Random(13)`` over the texts in name order), its cue threshold
chosen on the held-out fifth, and the variant with the best held-out mean of content, source and cue
overlap F1 is refitted on all of train and written.  ``--variants-dir DIR`` also writes every
variant refitted on all of train (``DIR/<variant>.json.gz``), for ``benchmarks/attribution.py
--model`` to compare them on dev.  Dev is never read here.

    pip install -c requirements/lock.txt -e '.[bench]'
    python benchmarks/train_attribution.py [--cache DIR] [--variants hand,cue,cue+source]
        [--variants-dir DIR]   # about ten minutes a variant on two cores
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from attribution import (
    DEFAULT_BENCH_DIR,
    Attr,
    Fragments,
    Tally,
    attributions,
    load_split,
    parse,
    score_text,
)
from newsfuse.config import load_settings
from newsfuse.stages.extract import attribution_model
from newsfuse.stages.extract.attribution_model import (
    content_candidates,
    content_features,
    cue_features,
    quoted_sentences,
    sentence_index,
    sentences_of,
    source_candidates,
    source_features,
    token_vector,
)
from newsfuse.stages.extract.nlp import load_nlp
from newsfuse.stages.extract.quotes import quoted_characters

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Parsed = list[list[tuple[int, "Doc"]]]
# L2 penalty of the source ranker, chosen on a held-out fifth of train (content stays a per-candidate
# logistic regression: ranking it lowered held-out speaker accuracy).
RANKER_L2 = 1.0
Example = tuple[list[str], int]
VARIANTS = {
    "hand": frozenset(),
    "cue": frozenset({"cue"}),
    "cue+source": frozenset({"cue", "source"}),
}
_NO_VECTOR = np.zeros(96, dtype=np.float32)


def parse_cached(texts: Sequence[str], cache: Path | None, tensors: bool = True) -> Parsed:
    """:func:`attribution.parse`, kept in ``cache`` (a DocBin and its offsets) between runs;
    ``tensors=False`` skips recomputing the tok2vec rows of cached docs (for models that read
    no token vectors)."""
    if cache is None:
        return parse(texts)
    from spacy.tokens import DocBin

    bin_path, index_path = cache / "train.spacy", cache / "train.json"
    nlp = load_nlp(load_settings().extract.spacy_model)
    if bin_path.exists() and index_path.exists():
        units = json.loads(index_path.read_text())
        docs = list(DocBin().from_disk(bin_path).get_docs(nlp.vocab))
        # a DocBin keeps no tensor: the tok2vec alone recomputes it from the stored tokens
        if tensors:
            docs = list(nlp.get_pipe("tok2vec").pipe(docs))
        parsed: Parsed = [[] for _ in texts]
        for (index, offset), doc in zip(units, docs, strict=True):
            parsed[index].append((offset, doc))
        return parsed
    parsed = parse(texts)
    cache.mkdir(parents=True, exist_ok=True)
    store = DocBin()
    units = []
    for index, pairs in enumerate(parsed):
        for offset, doc in pairs:
            store.add(doc)
            units.append((index, offset))
    store.to_disk(bin_path)
    index_path.write_text(json.dumps(units))
    return parsed


def _head(tokens: Sequence[Token]) -> Token:
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[0])


def _tokens_in(pairs: Sequence[tuple[int, Doc]], fragments: Fragments) -> list[tuple[int, Token]]:
    """``(offset, token)`` of the tokens starting inside ``fragments``, all from one paragraph."""
    found: list[tuple[int, Token]] = []
    for offset, doc in pairs:
        end = offset + len(doc.text)
        if not any(a < end and b > offset for a, b in fragments):
            continue
        for token in doc:
            start = offset + token.idx
            if any(a <= start < b for a, b in fragments):
                found.append((offset, token))
        if found:
            return found
    return found


def _jaccard(a: tuple[int, int], gold: Fragments) -> float:
    shared = sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in gold)
    union = (a[1] - a[0]) + sum(e - s for s, e in gold) - shared
    return shared / union if union else 0.0


class Examples:
    """Feature lists with labels for the three scorers, and the lexicon counts."""

    def __init__(self) -> None:
        self.cue: list[Example] = []
        self.cue_vectors: list[np.ndarray] = []  # the cue token's tok2vec row, one per cue example
        self.source: list[list[tuple[list[str], int, bool]]] = []  # per cue: (feats, label, ok)
        self.source_vectors: list[list[np.ndarray]] = []  # per cue: each candidate's row
        self.content: list[list[Example]] = []  # per cue: its candidate passages


def _vector(token: Token) -> np.ndarray:
    found = token_vector(token)
    return _NO_VECTOR if found is None else found


def gold_cue_heads(
    texts: Sequence[tuple[str, str, list[Attr]]], parsed: Parsed
) -> list[list[tuple[Attr, int, Token]]]:
    """Per text, each gold attribution with a cue: (attribution, paragraph offset, cue head)."""
    found: list[list[tuple[Attr, int, Token]]] = []
    for (_, _, gold), pairs in zip(texts, parsed, strict=True):
        here: list[tuple[Attr, int, Token]] = []
        for attr in gold:
            if attr.cue is None:
                continue
            tokens = _tokens_in(pairs, attr.cue)
            if tokens:
                here.append((attr, tokens[0][0], _head([t for _, t in tokens])))
        found.append(here)
    return found


def build_examples(
    texts: Sequence[tuple[str, str, list[Attr]]],
    parsed: Parsed,
    heads: list[list[tuple[Attr, int, Token]]],
    lexicon: frozenset[str],
) -> Examples:
    examples = Examples()
    for (_, _, gold), pairs, cues in zip(texts, parsed, heads, strict=True):
        cue_ids = {(id(t.doc), t.i) for _, _, t in cues}
        in_cues = {
            (id(t.doc), t.i)
            for attr in gold
            if attr.cue is not None
            for _, t in _tokens_in(pairs, attr.cue)
        }
        for _, doc in pairs:
            inside = quoted_characters(doc.text)
            sentences = sentences_of(doc)
            quoted = quoted_sentences(sentences, inside)
            for token in doc:
                if token.lemma_.lower() in lexicon:
                    label = int((id(doc), token.i) in cue_ids)
                    if not label and (id(doc), token.i) in in_cues:
                        continue  # "call" in "made an unprompted call for": no cue of its own, no miss
                    in_quotes = quoted[sentence_index(sentences, token)]
                    examples.cue.append((cue_features(token, inside, in_quotes), label))
                    examples.cue_vectors.append(_vector(token))
        for attr, offset, cue in cues:
            inside = quoted_characters(cue.doc.text)
            sentences = sentences_of(cue.doc)
            index = sentence_index(sentences, cue)
            source_head: Token | None = None
            source_span: Fragments = ()
            if attr.source is not None:
                source_tokens = _tokens_in(pairs, attr.source)
                if source_tokens and source_tokens[0][1].doc is cue.doc:
                    source_head = _head([t for _, t in source_tokens])
                    source_span = tuple((s - offset, e - offset) for s, e in attr.source)
            group = []
            vectors = []
            for candidate in source_candidates(cue, inside, sentences[index]):
                ok = any(s <= candidate.idx < e for s, e in source_span)
                label = int(source_head is not None and candidate.i == source_head.i)
                group.append((source_features(cue, candidate), label, ok))
                vectors.append(_vector(candidate))
            examples.source.append(group)
            examples.source_vectors.append(vectors)
            if attr.content is None:
                continue
            gold_content = tuple((s - offset, e - offset) for s, e in attr.content)
            candidates = content_candidates(cue, source_head, sentences, index)
            scores = [_jaccard((c.start, c.end), gold_content) for c in candidates]
            best = max(scores, default=0.0)
            if best < 0.2:
                continue
            sentence_chars = sentences[index][1] - sentences[index][0]
            examples.content.append(
                [
                    (content_features(cue, candidate, sentence_chars), int(score >= 0.9 * best))
                    for candidate, score in zip(candidates, scores, strict=True)
                ]
            )
    return examples


Weights = tuple[dict[str, float], list[float] | None]


def _with_vectors(matrix: object, vectors: Sequence[np.ndarray] | None) -> object:
    """The binary feature matrix with the dense token vectors as its last columns."""
    if vectors is None:
        return matrix
    from scipy.sparse import csr_matrix, hstack

    return hstack([matrix, csr_matrix(np.vstack(vectors).astype(np.float64))], format="csr")


def _split_weights(names: Sequence[str], w: np.ndarray, dense: bool) -> Weights:
    n = len(names)
    sparse = {
        str(name): round(float(x), 3)
        for name, x in zip(names, w[:n], strict=True)
        if abs(x) >= 0.005
    }
    return sparse, ([round(float(x), 4) for x in w[n:]] if dense else None)


def fit(rows: Sequence[Example], c: float, vectors: Sequence[np.ndarray] | None = None) -> Weights:
    """A logistic regression over binary features (and the token vectors when given); its weights
    by feature name, and the vectors' weights."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    matrix = _with_vectors(
        vectorizer.fit_transform([dict.fromkeys(feats, 1) for feats, _ in rows]), vectors
    )
    matrix.indices = matrix.indices.astype("int32")  # liblinear takes 32-bit indices only
    matrix.indptr = matrix.indptr.astype("int32")
    labels = [label for _, label in rows]
    model = LogisticRegression(C=c, fit_intercept=False, solver="liblinear", max_iter=500)
    model.fit(matrix, labels)
    return _split_weights(vectorizer.get_feature_names_out(), model.coef_[0], vectors is not None)


def fit_ranker(
    groups: Sequence[Sequence[Example]],
    l2: float,
    null: bool,
    vectors: Sequence[Sequence[np.ndarray]] | None = None,
) -> Weights:
    """A conditional logit over each group's candidates: the weights that make the positive
    candidates most probable among their group's (softmax), with an L2 penalty ``l2``.

    The scorers pick the best candidate of a group, so they are trained to rank within it rather
    than to call each candidate right or wrong on its own (a pointwise logistic regression spends
    its capacity on scores that never compete).  With ``null`` every group also holds a candidate
    "no source" of score 0, so a group without a positive teaches the scores to stay below 0.
    """
    import numpy as np
    from scipy.optimize import minimize
    from sklearn.feature_extraction import DictVectorizer

    keep = [i for i, g in enumerate(groups) if g and (null or any(label for _, label in g))]
    kept = [groups[i] for i in keep]
    vectorizer = DictVectorizer()
    matrix = _with_vectors(
        vectorizer.fit_transform([dict.fromkeys(f, 1) for g in kept for f, _ in g]).tocsr(),
        None if vectors is None else [v for i in keep for v in vectors[i]],
    )
    labels = np.array([label for g in kept for _, label in g], dtype=float)
    sizes = np.array([len(g) for g in kept])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    member = np.repeat(np.arange(len(kept)), sizes)
    positives = np.add.reduceat(labels, starts)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        scores = matrix @ w
        top = np.maximum.reduceat(scores, starts)
        if null:
            top = np.maximum(top, 0.0)
        exp = np.exp(scores - top[member])
        total = np.add.reduceat(exp, starts) + (np.exp(-top) if null else 0.0)
        gold = np.add.reduceat(exp * labels, starts)
        has = positives > 0
        # a group without a positive (null only) has "no source" as its gold candidate
        gold = np.where(has, gold, np.exp(-top))
        value = float(np.sum(np.log(total) - np.log(gold))) + 0.5 * l2 * float(w @ w)
        share = exp / total[member] - np.where(has[member], exp * labels / gold[member], 0.0)
        return value, matrix.T @ share + l2 * w

    result = minimize(
        loss, np.zeros(matrix.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 400}
    )
    return _split_weights(vectorizer.get_feature_names_out(), result.x, vectors is not None)


def source_threshold(
    groups: Sequence[list[tuple[list[str], int, bool]]],
    weights: Weights,
    vectors: Sequence[Sequence[np.ndarray]],
) -> float:
    """The score under which the best candidate is no source, maximising correct decisions."""
    w, dense = weights
    decisions: list[tuple[float, bool, bool]] = []  # best score, best is right, a right one exists
    for group, group_vectors in zip(groups, vectors, strict=True):
        if not group:
            continue
        scored = [
            (
                sum(w.get(f, 0.0) for f in feats)
                + (float(vector @ np.asarray(dense)) if dense else 0.0),
                ok,
            )
            for (feats, _, ok), vector in zip(group, group_vectors, strict=True)
        ]
        best, right = max(scored, key=lambda t: t[0])
        decisions.append((best, right, any(ok for _, ok in scored)))
    best_t, best_hits = 0.0, -1
    for t in [x / 4 for x in range(-24, 9)]:
        hits = sum((s >= t and r) or (s < t and not exists) for s, r, exists in decisions)
        if hits > best_hits:
            best_t, best_hits = t, hits
    return best_t


def train(
    texts: Sequence[tuple[str, str, list[Attr]]],
    parsed: Parsed,
    min_lemma: int,
    c: float,
    dense: frozenset[str] = frozenset(),
) -> dict[str, object]:
    """Fit the three scorers; ``dense`` names those that also read token vectors ("cue",
    "source")."""
    heads = gold_cue_heads(texts, parsed)
    counts = Counter(t.lemma_.lower() for cues in heads for _, _, t in cues)
    lexicon = frozenset(lemma for lemma, n in counts.items() if n >= min_lemma)
    examples = build_examples(texts, parsed, heads, lexicon)
    cue_w = fit(examples.cue, c, examples.cue_vectors if "cue" in dense else None)
    source_groups = [[(feats, label) for feats, label, _ in group] for group in examples.source]
    source_w = fit_ranker(
        source_groups,
        RANKER_L2,
        null=True,
        vectors=examples.source_vectors if "source" in dense else None,
    )
    # the content scorer stays pointwise: trained as a ranker it chose passages that hold more of
    # the quotations nearby, and quotes then took the wrong cue (held-out speaker accuracy
    # 0.928 -> 0.904 with content overlap unchanged)
    content_w, _ = fit([row for group in examples.content for row in group], c)
    data: dict[str, object] = {
        "cue": cue_w[0],
        "source": source_w[0],
        "content": content_w,
        "lexicon": sorted(lexicon),
        "thresholds": {
            "cue": 0.0,
            "source": source_threshold(examples.source, source_w, examples.source_vectors),
        },
    }
    if cue_w[1] is not None:
        data["cue_dense"] = cue_w[1]
    if source_w[1] is not None:
        data["source_dense"] = source_w[1]
    return data


def write(data: dict[str, object], path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump(data, handle, sort_keys=True, separators=(",", ":"))
    # a fixed gzip header time keeps the file byte-identical across runs
    raw = path.read_bytes()
    path.write_bytes(raw[:4] + b"\0\0\0\0" + raw[8:])


def evaluate(
    texts: Sequence[tuple[str, str, list[Attr]]],
    parsed: Parsed,
    data: dict[str, object],
    path: Path,
) -> dict[str, float]:
    """Overlap F1 per role of the whole extractor with ``data`` as its model."""
    write(data, path)
    attribution_model.load_model.cache_clear()
    attribution_model.MODEL_PATH = path
    tally = Tally()
    for (_, text, gold), predicted in zip(texts, attributions(parsed), strict=True):
        score_text(text, predicted, gold, tally)
    scores = {role: counts.prf()[2] for role, counts in tally.overlap.items()}
    scores["relation"] = tally.relation.prf()[2]
    scores["speaker"] = tally.speaker_hits / max(tally.speaker_total, 1)
    return scores


def tune_cue_threshold(
    held_texts: Sequence[tuple[str, str, list[Attr]]],
    held_parsed: Parsed,
    data: dict[str, object],
    scratch: Path,
) -> tuple[float, float]:
    """The cue threshold with the best held-out mean overlap F1 (content, source, cue), and it."""
    best, cue_threshold = -1.0, 0.0
    for threshold in (-1.5, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5):
        data["thresholds"]["cue"] = threshold  # type: ignore[index]
        scores = evaluate(held_texts, held_parsed, data, scratch)
        mean = (scores["content"] + scores["source"] + scores["cue"]) / 3
        print(
            f"  cue threshold {threshold:+.2f}: "
            + ", ".join(f"{k} {v:.3f}" for k, v in scores.items())
            + f"; mean {mean:.4f}",
            flush=True,
        )
        if mean > best:
            best, cue_threshold = mean, threshold
    scratch.unlink(missing_ok=True)
    attribution_model.load_model.cache_clear()
    return cue_threshold, best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--cache", type=Path, default=None, help="keep the parsed train split here")
    parser.add_argument("--min-lemma", type=int, default=1)
    parser.add_argument("--c", type=float, default=0.5, help="inverse regularisation strength")
    parser.add_argument("--output", type=Path, default=attribution_model.MODEL_PATH)
    parser.add_argument(
        "--variants",
        default=",".join(VARIANTS),
        help=f"feature sets to try ({', '.join(VARIANTS)})",
    )
    parser.add_argument(
        "--variants-dir", type=Path, default=None, help="also write every variant here"
    )
    args = parser.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown or not variants:
        parser.error(f"--variants: unknown {unknown}; choose from {', '.join(VARIANTS)}")
    started = time.perf_counter()
    texts = load_split(args.bench_dir / "train", None)
    parsed = parse_cached([text for _, text, _ in texts], args.cache)
    print(f"{len(texts)} train texts parsed ({time.perf_counter() - started:.0f}s)", flush=True)
    order = list(range(len(texts)))
    random.Random(13).shuffle(order)
    held = set(order[: len(order) // 5])
    fit_texts = [t for i, t in enumerate(texts) if i not in held]
    fit_parsed = [p for i, p in enumerate(parsed) if i not in held]
    held_texts = [t for i, t in enumerate(texts) if i in held]
    held_parsed = [p for i, p in enumerate(parsed) if i in held]
    scratch = args.output.with_suffix(".tuning.gz")
    chosen: dict[str, tuple[float, float]] = {}  # variant -> (cue threshold, held-out mean)
    for variant in variants:
        print(f"variant {variant}: fitting on four fifths of train", flush=True)
        data = train(fit_texts, fit_parsed, args.min_lemma, args.c, VARIANTS[variant])
        chosen[variant] = tune_cue_threshold(held_texts, held_parsed, data, scratch)
    best_variant = max(variants, key=lambda v: (chosen[v][1], -variants.index(v)))
    print(
        "held-out fifth of train, mean overlap F1: "
        + ", ".join(f"{v} {m:.4f} (cue threshold {t:+.2f})" for v, (t, m) in chosen.items())
        + f"; chosen: {best_variant}",
        flush=True,
    )
    for variant in variants:
        if variant != best_variant and args.variants_dir is None:
            continue
        data = train(texts, parsed, args.min_lemma, args.c, VARIANTS[variant])
        data["thresholds"]["cue"] = chosen[variant][0]  # type: ignore[index]
        if args.variants_dir is not None:
            args.variants_dir.mkdir(parents=True, exist_ok=True)
            write(data, args.variants_dir / f"{variant}.json.gz")
        if variant == best_variant:
            write(data, args.output)
            sizes = {k: len(v) for k, v in data.items() if isinstance(v, dict | list)}
            print(
                f"wrote {args.output} ({args.output.stat().st_size // 1024} KiB; {sizes}; "
                f"thresholds {data['thresholds']}) in {time.perf_counter() - started:.0f}s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
