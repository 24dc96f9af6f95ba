"""Align: claims across outlets become facts, with conflicts, quote drift and framing.

``pairs`` makes the same-statement decision (lexical, MT-metric, figure and entity features,
optionally MiniLM sentence and word-piece similarities from ``embeddings``, weighed by a logistic
regression fitted on MSRP by ``benchmarks/alignment.py``); ``facts`` groups claims into facts with it.
"""
