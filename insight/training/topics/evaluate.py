"""Rerunnable topic evaluation: insight's TopicModel against BERTopic's defaults, same embeddings.

    python -m insight.training.topics.evaluate --data ../shared/data [--out models/topics/eval.json]

Per data set (20 Newsgroups train split, Banking77 train split) in one run: NMI with the human
labels, outlier share, topic count, NPMI coherence (top 10) and diversity (top 25) as
``insight.training.topics.metrics`` computes them, fit time; for insight also two fits with the same seed
(identical or not) and a refit on 20% more documents (share of the first fit's documents that
keep their topic id, and the lineage). BERTopic runs with its defaults; only UMAP's
random_state is set so the run can be repeated, and ``top_n_words=25`` so its diversity can be
read off its top-25 words like the paper's.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from insight.topics.model import TopicModel
from insight.topics.text import lemmatize, tokenize
from insight.training.topics import metrics
from insight.training.topics.datasets import LOADERS, LabelledCorpus, corpus_embeddings

REFIT_GROWTH = 1.2


def reference_corpus(texts: Sequence[str]) -> tuple[list[list[str]], dict[str, str]]:
    """Lemmatised content tokens of every document (the NPMI reference) and the lemma map."""
    tokens = [tokenize(t) for t in texts]
    lemma_of = lemmatize({w for doc in tokens for w in doc})
    return [[lemma_of[w] for w in doc] for doc in tokens], lemma_of


def quality(topic_words: list[list[str]], corpus: list[list[str]], lemma_of: dict[str, str]) -> dict[str, float]:
    """NPMI and diversity of topic words, each word read as its lemma (as the corpus is)."""
    words = [[lemma_of.get(w, w) for w in ws] for ws in topic_words]
    return {"npmi": round(metrics.npmi(words, corpus), 4), "diversity": round(metrics.diversity(words), 4)}


def evaluate_insight(corpus: LabelledCorpus, embeddings: np.ndarray, reference: list[list[str]],
                     lemma_of: dict[str, str], seed: int) -> dict[str, Any]:
    model = TopicModel(seed=seed).fit(corpus.texts, embeddings)
    start = time.perf_counter()  # the second fit is timed: the first also pays numba's compilation
    again = TopicModel(seed=seed).fit(corpus.texts, embeddings)
    seconds = time.perf_counter() - start
    identical = bool(np.array_equal(model.topics_, again.topics_) and model.words_ == again.words_)
    out = {"nmi": round(metrics.nmi(corpus.labels, model.topics_), 4),
           "outliers": round(metrics.outlier_share(model.topics_), 4), "topics": len(model.topic_ids_),
           **quality([list(w) for w in model.topic_words(25).values()], reference, lemma_of),
           "fit_seconds": round(seconds, 1), "same_seed_identical": identical}
    out["refit"] = refit_stability(corpus, embeddings, seed)
    return out


def refit_stability(corpus: LabelledCorpus, embeddings: np.ndarray, seed: int) -> dict[str, Any]:
    """Fit on a seeded 1/1.2 of the documents, refit on all: how many keep their topic id."""
    n = len(corpus.texts)
    base = np.sort(np.random.default_rng(seed).permutation(n)[: int(n / REFIT_GROWTH)])
    first = TopicModel(seed=seed).fit([corpus.texts[i] for i in base], embeddings[base])
    second = TopicModel(seed=seed).fit(corpus.texts, embeddings, previous=first)
    events = Counter(e.kind for e in second.lineage_ if e.refit == second.refit_)
    return {"same_id_share": round(float((second.topics_[base] == first.topics_).mean()), 4),
            "topics_before": len(first.topic_ids_), "topics_after": len(second.topic_ids_),
            "nmi_after": round(metrics.nmi(corpus.labels, second.topics_), 4), "lineage": dict(sorted(events.items()))}


def evaluate_bertopic(corpus: LabelledCorpus, embeddings: np.ndarray, reference: list[list[str]],
                      lemma_of: dict[str, str], seed: int) -> dict[str, Any]:
    from bertopic import BERTopic
    from umap import UMAP

    # BERTopic's own default UMAP, with a random_state so the comparison can be rerun.
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", low_memory=False,
                      random_state=seed)
    start = time.perf_counter()
    model = BERTopic(umap_model=umap_model, top_n_words=25)
    topics, _ = model.fit_transform(corpus.texts, embeddings=embeddings)
    seconds = time.perf_counter() - start
    words = [[w for w, _ in model.get_topic(t)] for t in sorted(set(topics)) if t != -1]
    reduced = model.reduce_outliers(corpus.texts, topics, strategy="embeddings", embeddings=embeddings)
    return {"nmi": round(metrics.nmi(corpus.labels, topics), 4), "outliers": round(metrics.outlier_share(topics), 4),
            "topics": len(words), **quality(words, reference, lemma_of), "fit_seconds": round(seconds, 1),
            "nmi_after_reduce_outliers": round(metrics.nmi(corpus.labels, reduced), 4)}


def evaluate(data: Path, datasets: Sequence[str], seed: int = 42, bertopic: bool = True) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in datasets:
        corpus = LOADERS[name](data)
        embeddings = corpus_embeddings(corpus)
        reference, lemma_of = reference_corpus(corpus.texts)
        row = {"docs": len(corpus.texts), "labels": int(len(set(corpus.labels.tolist()))),
               "insight": evaluate_insight(corpus, embeddings, reference, lemma_of, seed)}
        if bertopic:
            row["bertopic_defaults"] = evaluate_bertopic(corpus, embeddings, reference, lemma_of, seed)
        results[name] = row
        print(table({name: row}), flush=True)  # noqa: T201
    return results


def table(results: dict[str, Any]) -> str:
    lines = ["| data | model | NMI | outliers | topics | NPMI | diversity | fit s |",
             "|---|---|---|---|---|---|---|---|"]
    for name, row in results.items():
        for model in ("insight", "bertopic_defaults"):
            if model in row:
                r = row[model]
                lines.append(f"| {name} | {model} | {r['nmi']:.3f} | {r['outliers']:.1%} | {r['topics']} | "
                             f"{r['npmi']:.3f} | {r['diversity']:.3f} | {r['fit_seconds']} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--datasets", default="20newsgroups,banking77")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-bertopic", action="store_true", help="insight only (quicker)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    logging.getLogger("BERTopic").setLevel(logging.WARNING)
    results = evaluate(args.data, [d.strip() for d in args.datasets.split(",") if d.strip()], args.seed,
                       not args.no_bertopic)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results))  # noqa: T201


if __name__ == "__main__":
    main()
