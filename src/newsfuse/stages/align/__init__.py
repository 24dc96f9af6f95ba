"""Align: claims across outlets become facts, with conflicts, quote drift and framing.

``pairs`` makes the same-statement decision (lexical, figure and entity features, optionally the
MiniLM sentence embedding from ``embeddings``, weighed by a logistic regression fitted on MSRP by
``benchmarks/alignment.py``); ``facts`` groups claims into facts with it.
"""
