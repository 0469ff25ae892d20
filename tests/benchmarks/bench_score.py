"""Benchmark: `insight score` against one Hugging Face pipeline per signal plus an ST encode,
and the signals model at int8 (the default) against fp32.

Each variant runs in its own process (so peak memory is its own), on the same 5,000 posts:
demo forum posts, TweetEval tweets and Banking77 questions. The int8 and fp32 variants share
everything but the precision: the same scorer, batch size, length sorting and 128-token cut,
so their ratio measures the model, not the padding. Prints a JSON line per variant, the
ratios, and how often int8 and fp32 agree on each post's sentiment and safety label.

    PYTHONPATH=. python tests/benchmarks/bench_score.py [--count 5000] [--with-alternative]
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
    precision = "fp32" if name.endswith("_fp32") else "int8"
    if name.startswith("insight_score"):
        config = out.with_suffix(".toml")
        config.write_text(f'[models]\nsignals_precision = "{precision}"\n')
        cmd = [sys.executable, "-m", "insight", "score", str(posts), "--output", str(out), "--config", str(config)]
    elif name.startswith("insight_signals_and_embedding"):
        cmd = [sys.executable, __file__, "--inner", f"ours_embed_{precision}", "--posts", str(posts), "--out", str(out)]
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


def ours_with_embedding(posts: Path, out: Path, precision: str) -> None:
    """Every signal (safety included) and the topic embedding from the one pass the analysis uses."""
    from insight.safety.combine import combine
    from insight.safety.rules import assess_safety
    from insight.signals.scorer import SignalsScorer

    with posts.open() as fh:
        rows = list(csv.DictReader(fh))
    scorer = SignalsScorer(precision=precision)
    scores = scorer.score([r["text"] for r in rows], with_embedding=True)
    with out.open("w") as fh:
        for row, s in zip(rows, scores, strict=True):
            safety = combine(assess_safety(row["text"]), s.toxicity, row["text"], s.safety, scorer.safety_threshold)
            fh.write(json.dumps({"id": row["id"], "sentiment": {"label": s.sentiment.label},
                                 "safety": {"label": safety.label}, "embedding_dim": len(s.embedding)}) + "\n")


def agreement(a: Path, b: Path) -> dict[str, float]:
    """Share of posts on which two variants' outputs give the same sentiment and safety label."""
    left = [json.loads(line) for line in a.open()]
    right = [json.loads(line) for line in b.open()]
    same = {key: sum(x[key]["label"] == y[key]["label"] for x, y in zip(left, right, strict=True)) / len(left)
            for key in ("sentiment", "safety")}
    return {f"{key}_label_agreement": round(value, 4) for key, value in same.items()}


def interleaved(posts: Path, rounds: int) -> dict[str, float]:
    """int8 and fp32 in one process, alternating, on the same posts: on a shared CPU whose load
    drifts, the ratio of the summed times is fairer than two runs minutes apart."""
    from insight.signals.scorer import SignalsScorer

    with posts.open() as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    scorers = {p: SignalsScorer(precision=p) for p in ("int8", "fp32")}
    for scorer in scorers.values():
        scorer.score(texts[:64], with_embedding=True)  # load and warm up outside the clock
    seconds = dict.fromkeys(scorers, 0.0)
    for _ in range(rounds):
        for precision, scorer in scorers.items():
            start = time.perf_counter()
            scorer.score(texts, with_embedding=True)
            seconds[precision] += time.perf_counter() - start
    out = {f"{p}_posts_per_s": round(rounds * len(texts) / s, 1) for p, s in seconds.items()}
    return {**out, "posts": len(texts), "rounds": rounds, "int8_vs_fp32": round(seconds["fp32"] / seconds["int8"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--inner")
    parser.add_argument("-n", "--count", type=int, default=5000)
    parser.add_argument("--with-alternative", action="store_true", help="also the HF pipelines (5 minutes more)")
    parser.add_argument("--interleaved", type=int, default=0, metavar="ROUNDS",
                        help="only int8 vs fp32 in one process, alternating, ROUNDS times over --count posts")
    args = parser.parse_args()
    if args.inner == "alternative":
        return alternative(args.posts, args.out)
    if args.inner and args.inner.startswith("ours_embed_"):
        return ours_with_embedding(args.posts, args.out, args.inner.removeprefix("ours_embed_"))
    work = Path("/tmp/insight-bench")
    work.mkdir(exist_ok=True)
    posts = work / "posts.csv"
    make_posts(posts, args.count)
    if args.interleaved:
        return print(json.dumps(interleaved(posts, args.interleaved)))  # noqa: T201
    names = ["insight_score", "insight_score_fp32",
             "insight_signals_and_embedding", "insight_signals_and_embedding_fp32"]
    results = {v: run_variant(v, posts, work / f"{v}.jsonl")
               for v in names + (["alternative"] if args.with_alternative else [])}
    for r in results.values():
        print(json.dumps(r))  # noqa: T201
    ratios = {f"{v}_int8_vs_fp32": round(results[f"{v}_fp32"]["seconds"] / results[v]["seconds"], 2)
              for v in ("insight_score", "insight_signals_and_embedding")}
    if args.with_alternative:
        ratios.update({f"{v}_vs_alternative": round(results["alternative"]["seconds"] / results[v]["seconds"], 2)
                       for v in ("insight_score", "insight_signals_and_embedding")})
    ratios.update(agreement(work / "insight_signals_and_embedding.jsonl",
                            work / "insight_signals_and_embedding_fp32.jsonl"))
    print(json.dumps(ratios))  # noqa: T201


if __name__ == "__main__":
    main()
