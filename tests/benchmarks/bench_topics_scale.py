"""Topics at scale: insight's TopicModel on 1,000,000 posts against BERTopic fit on everything.

Encoding a million posts on this CPU takes hours, so the corpus is a realistic mixture built
from real data: each synthetic post picks a Banking77 intent (Zipf-distributed popularity),
takes a real post of that intent (its text and its MiniLM embedding) and adds Gaussian noise to
the embedding (``--noise`` per dimension, renormalised), so clusters have the shape and spread
of real ones. Each variant runs in its own process after the same numba warm-up; peak RSS is that process's ru_maxrss.

- insight: fit on a seeded sample (``max_fit_docs``), assign every post and count its words in
  batches.
- bertopic: ``BERTopic()`` with its defaults fit on all posts at once (the obvious approach);
  run at ``--baseline-posts`` (100k), where it still fits, and insight at the same size for the
  ratio.

    nice python tests/benchmarks/bench_topics_scale.py --posts 1000000 --baseline-posts 100000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

DATA = Path("../shared/data")


def corpus(n: int, noise: float, seed: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    from insight.training.topics.datasets import corpus_embeddings, load_banking77

    real = load_banking77(DATA)
    vectors = corpus_embeddings(real)
    rng = np.random.default_rng(seed)
    n_labels = int(real.labels.max()) + 1
    popularity = 1.0 / np.arange(1, n_labels + 1) ** 0.8
    labels = rng.choice(n_labels, size=n, p=popularity / popularity.sum())
    by_label = [np.flatnonzero(real.labels == c) for c in range(n_labels)]
    picks = np.empty(n, dtype=np.int64)
    for c in range(n_labels):
        where = np.flatnonzero(labels == c)
        picks[where] = rng.choice(by_label[c], size=len(where))
    embeddings = np.empty((n, vectors.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):  # in blocks: the noise matrix never exists for all rows
        stop = min(n, start + 100_000)
        block = vectors[picks[start:stop]] + rng.normal(0, noise, (stop - start, vectors.shape[1])).astype(np.float32)
        embeddings[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    texts = [real.texts[i] for i in picks]  # shared string objects: the texts cost pointers only
    return texts, embeddings, labels


def warm_up(embeddings: np.ndarray) -> None:
    """Compile UMAP's and pynndescent's numba code before the clock starts, for every variant alike
    (otherwise whichever process runs first pays minutes of compilation and later ones hit the cache)."""
    from hdbscan import HDBSCAN
    from umap import UMAP

    HDBSCAN(min_cluster_size=10).fit(UMAP(n_components=5, metric="cosine", random_state=0, n_jobs=1)
                                      .fit_transform(embeddings[:2000]))


def run_variant(variant: str, n: int, noise: float, seed: int, fit_sample: int) -> dict[str, object]:
    from sklearn.metrics import normalized_mutual_info_score

    texts, embeddings, labels = corpus(n, noise, seed)
    warm_up(embeddings)
    start = time.perf_counter()
    if variant == "insight":
        from insight.topics.model import TopicModel

        model = TopicModel(seed=seed, max_fit_docs=fit_sample).fit(texts, embeddings)
        topics = model.topics_
    else:
        from bertopic import BERTopic

        topics, _ = BERTopic().fit_transform(texts, embeddings=embeddings)
        topics = np.asarray(topics)
    seconds = time.perf_counter() - start
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux
    return {"variant": variant, "posts": n, "fit_seconds": round(seconds, 1), "peak_rss_gib": round(peak_gib, 2),
            "topics": int(len(set(topics.tolist()) - {-1})), "outliers": round(float((topics == -1).mean()), 4),
            "nmi": round(float(normalized_mutual_info_score(labels, topics)), 4)}


def child(variant: str, n: int, args: argparse.Namespace) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", variant, "--posts", str(n), "--noise", str(args.noise),
           "--seed", str(args.seed), "--fit-sample", str(args.fit_sample)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"variant": variant, "posts": n, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--baseline-posts", type=int, default=100_000)
    parser.add_argument("--fit-sample", type=int, default=20_000)
    parser.add_argument("--noise", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--child", choices=["insight", "bertopic"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_variant(args.child, args.posts, args.noise, args.seed, args.fit_sample)))  # noqa: T201
        return
    rows = []
    if not args.skip_baseline:
        for variant in ("insight", "bertopic"):
            rows.append(child(variant, args.baseline_posts, args))
            print(json.dumps(rows[-1]), flush=True)  # noqa: T201
    rows.append(child("insight", args.posts, args))
    print(json.dumps(rows[-1]), flush=True)  # noqa: T201
    if not args.skip_baseline and all("error" not in r for r in rows):
        ours, theirs = rows[0], rows[1]
        ratios = {"at_posts": args.baseline_posts,
                  "time_ratio_bertopic_over_insight": round(theirs["fit_seconds"] / ours["fit_seconds"], 2),
                  "memory_ratio_bertopic_over_insight": round(theirs["peak_rss_gib"] / ours["peak_rss_gib"], 2)}
        print(json.dumps(ratios))  # noqa: T201


if __name__ == "__main__":
    main()
