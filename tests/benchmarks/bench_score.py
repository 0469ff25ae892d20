"""Benchmark: `insight score` against one Hugging Face pipeline per signal plus an ST encode.

Each variant runs in its own process (so peak memory is its own), on the same 5,000 posts:
demo forum posts, TweetEval tweets and Banking77 questions. Prints a JSON line per variant
and the ratios.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"


def make_posts(path: Path, n: int) -> None:
    from insight.demo.community import generate_community

    texts = [p["text"] for p in generate_community(seed=7).posts]
    with (DATA / "tweeteval_sentiment" / "validation.csv").open() as fh:
        texts += [r["text"] for r in csv.DictReader(fh)]
    with (DATA / "banking77" / "train.csv").open() as fh:
        texts += [r["text"] for r in csv.DictReader(fh)]
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        for i, text in enumerate(texts[:n]):
            writer.writerow([i, text])


def alternative(posts: Path, out: Path) -> None:
    """What a user would write: a pipeline per signal, then sentence-transformers for topics."""
    from sentence_transformers import SentenceTransformer
    from transformers import AutoTokenizer, BertForSequenceClassification, pipeline

    from insight.signals.embedder import packaged_model_path

    base = str(packaged_model_path())
    with posts.open() as fh:
        rows = list(csv.DictReader(fh))
    texts = [r["text"] for r in rows]
    tokenizer = AutoTokenizer.from_pretrained(base)
    results = {}
    # MiniLM-sized classifiers stand in for hub models of the same size (speed does not depend
    # on the head weights); the RoBERTa-base models users pick are ~4x bigger still.
    for task, labels in (("sentiment", 3), ("emotion", 4), ("offensive", 2), ("hate", 2)):
        model = BertForSequenceClassification.from_pretrained(base, num_labels=labels)
        pipe = pipeline("text-classification", model=model, tokenizer=tokenizer, top_k=None, device=-1)
        results[task] = pipe(texts, batch_size=32, truncation=True, max_length=128)
    embeddings = SentenceTransformer(base, device="cpu").encode(texts, batch_size=32)
    with out.open("w") as fh:
        for i, row in enumerate(rows):
            fh.write(json.dumps({"id": row["id"], **{t: r[i][0]["label"] for t, r in results.items()},
                                 "embedding_dim": len(embeddings[i])}) + "\n")


def run_variant(name: str, posts: Path, out: Path) -> dict[str, float]:
    if name == "insight_score":
        cmd = [sys.executable, "-m", "insight", "score", str(posts), "--output", str(out)]
    elif name == "insight_signals_and_embedding":
        cmd = [sys.executable, __file__, "--inner", "ours_embed", "--posts", str(posts), "--out", str(out)]
    else:
        cmd = [sys.executable, __file__, "--inner", "alternative", "--posts", str(posts), "--out", str(out)]
    start = time.perf_counter()
    errors = out.with_suffix(".stderr")
    with errors.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS, not a running max
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{name} failed:\n{errors.read_text()[-2000:]}")
    lines = sum(1 for _ in out.open())
    return {"variant": name, "seconds": round(seconds, 1), "posts_per_s": round(lines / seconds, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024), "lines": lines}


def ours_with_embedding(posts: Path, out: Path) -> None:
    """Signals and the topic embedding from the one pass the demo's analysis uses."""
    from insight.signals.scorer import SignalsScorer

    with posts.open() as fh:
        rows = list(csv.DictReader(fh))
    scores = SignalsScorer().score([r["text"] for r in rows], with_embedding=True)
    with out.open("w") as fh:
        for row, s in zip(rows, scores, strict=True):
            fh.write(json.dumps({"id": row["id"], "sentiment": s.sentiment.label,
                                 "embedding_dim": len(s.embedding)}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--inner")
    parser.add_argument("-n", "--count", type=int, default=5000)
    args = parser.parse_args()
    if args.inner == "alternative":
        return alternative(args.posts, args.out)
    if args.inner == "ours_embed":
        return ours_with_embedding(args.posts, args.out)
    work = Path("/tmp/insight-bench")
    work.mkdir(exist_ok=True)
    posts = work / "posts.csv"
    make_posts(posts, args.count)
    results = [run_variant(v, posts, work / f"{v}.jsonl")
               for v in ("insight_score", "insight_signals_and_embedding", "alternative")]
    for r in results:
        print(json.dumps(r))  # noqa: T201
    base = results[-1]["seconds"]
    print(json.dumps({"speedup_score_vs_alternative": round(base / results[0]["seconds"], 2),  # noqa: T201
                      "speedup_signals_and_embedding_vs_alternative": round(base / results[1]["seconds"], 2)}))


if __name__ == "__main__":
    main()
