"""Build the story tracker's background document frequencies from public training news.

Why: the tracker's IDF is counted over the stream it has seen, so the first few hundred articles of
a fresh store are scored with frequencies from a handful of documents, where every word looks rare
and two reports of one topic look like one story.  Those early joins are the ones a one-pass
tracker never undoes.  A background count from other news gives the IDF a sensible start; the
stream's own counts are added to it and soon dominate.

Data: roundups ``train`` (every line's three articles) and the ECB+ ``FIT_TOPICS`` documents, read
through the tracker's own features (stemmed terms, entity keys), so the counts are of exactly what
the tracker weighs.  Features seen in fewer than ``--min-df`` documents are left out (the stream
will count them); their IDF is the top one anyway.  Writes
``src/newsfuse/stages/cluster_prior.json.gz``.

    python benchmarks/fit_cluster_prior.py [--min-df 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter

from clustering import ecb_pool, load
from ecb import FIT_TOPICS
from newsfuse.stages.cluster import PRIOR_PATH, article_features


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-df", type=int, default=3)
    args = parser.parse_args()
    articles = [a for a, _ in load("train")] + [a for a, _ in ecb_pool(FIT_TOPICS)]
    counts: Counter[str] = Counter()
    for article in articles:
        features = article_features(article)
        counts.update([*features.terms, *features.entities])
    kept = {f: n for f, n in sorted(counts.items()) if n >= args.min_df}
    body = {"docs": len(articles), "min_df": args.min_df, "df": kept}
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    PRIOR_PATH.write_bytes(gzip.compress(data, mtime=0))
    size = PRIOR_PATH.stat().st_size
    print(f"{len(articles)} documents, {len(kept)} of {len(counts)} features kept; {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
