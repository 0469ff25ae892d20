"""Figures of ``models/story_tagger/CARD.md``: ``python -m insight.training.stories.evaluate --data ../shared/data``.

1. The written sets (``story_tagger/sets/`` of the model store, read by ``insight.training.stories.sets``;
   the project's ``models/story_tagger/sets/``): a taxonomy with 6 seed examples per tag and unseen
   test stories and non-stories. ``dev`` chose every parameter; ``heldout`` (a taxonomy of a
   different community) was only ever measured. Reports micro-F1 of tags over all test rows
   (detector and tagger together: a tagged non-story is a false positive, a missed story false
   negatives), the share of non-stories left untagged, and the learning curve over 0-6 examples.
2. SemEval-2014 restaurants aspect categories (``semeval14_absa_restaurants``, SOURCE.md):
   micro-F1 over the 5 categories on the 800 test sentences, from k examples per category drawn
   from train (mean and std over draws), no detector (every sentence has a category).
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from insight.signals.embedder import DEFAULT_CACHE, embed
from insight.stories.detect import StoryDetector, load_detector
from insight.stories.examples import Example
from insight.stories.model import description_texts, story_scores, tag_vectors
from insight.stories.tagger import StoryTagger, TaggerParams
from insight.stories.taxonomy import Tag, Taxonomy
from insight.training.stories.sets import read_written

# Category descriptions for SemEval, written from the annotation guidelines' category names.
SEMEVAL_TAGS = (
    Tag("food", "Food", "The food, dishes, taste, freshness, portions, menu items and drinks."),
    Tag("service", "Service", "The staff, waiters, service speed, attitude, reservations and delivery."),
    Tag("price", "Price", "Prices, cost, value for money, how expensive or cheap it is."),
    Tag("ambience", "Ambience", "The atmosphere, decor, music, noise, seating and the feel of the place."),
    Tag("anecdotes_miscellaneous", "Anecdotes and miscellaneous",
        "General remarks about the restaurant or the visit, anecdotes, location and other topics."),
)


def micro_f1(truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict[str, float]:
    tp = sum(len(set(t) & set(p)) for t, p in zip(truth, predicted, strict=True))
    n_pred = sum(len(set(p)) for p in predicted)
    n_true = sum(len(set(t)) for t in truth)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_true if n_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"micro_f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def _fit(taxonomy: Taxonomy, examples: Sequence[Example], params: TaggerParams, cache: Path | None) -> StoryTagger:
    vectors = embed([e.text for e in examples], cache) if examples else None
    return StoryTagger(taxonomy, params).fit(embed(description_texts(taxonomy), cache), vectors,
                                             [e.tags for e in examples])


def evaluate_written(name: str, params: TaggerParams | None = None, detector: StoryDetector | None = None,
                     cache: Path | None = DEFAULT_CACHE, k: int | None = None, seed: int = 0) -> dict[str, Any]:
    """Scores on one written set; ``k`` keeps k seed examples per tag (all non-story seeds stay)."""
    params = params or TaggerParams()
    taxonomy, rows = read_written(name)
    seeds = [Example(r["text"], tuple(r["tags"])) for r in rows if r["split"] == "seed"]
    if k is not None:
        rng = random.Random(seed)
        kept = [e for e in seeds if not e.tags]
        for tag in taxonomy.ids:
            pool = [e for e in seeds if e.tags and e.tags[0] == tag]
            kept += rng.sample(pool, min(k, len(pool)))
        seeds = kept
    test = [r for r in rows if r["split"] == "test"]
    texts = [r["text"] for r in test]
    tagger = _fit(taxonomy, seeds, params, cache)
    results = tag_vectors(embed(texts, cache), texts, tagger, detector, cache)
    truth = [r["tags"] for r in test]
    predicted = [[t for t, _ in res.tags] for res in results]
    stories = [bool(t) for t in truth]
    story_only = micro_f1([t for t, s in zip(truth, stories, strict=True) if s],
                          [p for p, s in zip(predicted, stories, strict=True) if s])
    non_stories = [p for p, s in zip(predicted, stories, strict=True) if not s]
    detected = [res.is_story for res in results]
    tp = sum(d and s for d, s in zip(detected, stories, strict=True))
    return {
        "set": name, "tags": len(taxonomy.tags), "examples_per_tag": k if k is not None else "all (6)",
        "test_stories": sum(stories), "test_non_stories": len(non_stories),
        "end_to_end": micro_f1(truth, predicted),
        "stories_only": story_only,
        "non_stories_untagged": round(sum(not p for p in non_stories) / max(1, len(non_stories)), 4),
        "detector": {"precision": round(tp / max(1, sum(detected)), 4), "recall": round(tp / max(1, sum(stories)), 4)},
    }


def learning_curve(name: str, params: TaggerParams, detector: StoryDetector | None, cache: Path | None,
                   ks: Sequence[int] = (0, 1, 2, 4, 6), draws: int = 5) -> list[dict[str, Any]]:
    out = []
    for k in ks:
        scores = [evaluate_written(name, params, detector, cache, k=k, seed=s)["end_to_end"]["micro_f1"]
                  for s in range(draws if 0 < k < 6 else 1)]
        out.append({"examples_per_tag": k, "micro_f1_mean": round(float(np.mean(scores)), 4),
                    "micro_f1_std": round(float(np.std(scores)), 4)})
    return out


def _semeval_rows(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cats = tuple(sorted({c["category"].replace("/", "_") for c in row["aspect_categories"]}))
            rows.append((row["text"], cats))
    return rows


def evaluate_semeval(data: Path, params: TaggerParams | None = None, ks: Sequence[int] = (6, 16),
                     draws: int = 10, cache: Path | None = DEFAULT_CACHE) -> dict[str, Any]:
    """Micro-F1 over categories on SemEval-14 restaurants test, from k train examples per category."""
    params = params or TaggerParams()
    folder = data / "semeval14_absa_restaurants"
    train, test = _semeval_rows(folder / "train.jsonl"), _semeval_rows(folder / "test.jsonl")
    taxonomy = Taxonomy("semeval14-restaurants", SEMEVAL_TAGS)
    tag_vecs = embed(description_texts(taxonomy), cache)
    test_texts = [t for t, _ in test]
    test_vecs = embed(test_texts, cache)
    truth = [list(c) for _, c in test]
    out: dict[str, Any] = {"test_sentences": len(test), "published": {"baseline": 63.9, "best": 88.6}}
    zero = StoryTagger(taxonomy, params).fit(tag_vecs)
    zero_scores = story_scores(zero, test_texts, test_vecs, cache)
    out["k0"] = micro_f1(truth, [[t for t, _ in row] for row in zero.decide(zero_scores)])
    for k in ks:
        scores = []
        for draw in range(draws):
            rng = random.Random(draw)
            picked: list[tuple[str, tuple[str, ...]]] = []
            for tag in taxonomy.ids:
                pool = [r for r in train if tag in r[1] and r not in picked]
                picked += rng.sample(pool, k)
            tagger = StoryTagger(taxonomy, params).fit(tag_vecs, embed([t for t, _ in picked], cache),
                                                       [c for _, c in picked])
            scores_k = story_scores(tagger, test_texts, test_vecs, cache)
            predicted = [[t for t, _ in row] for row in tagger.decide(scores_k)]
            scores.append(micro_f1(truth, predicted)["micro_f1"])
        out[f"k{k}"] = {"micro_f1_mean": round(float(np.mean(scores)), 4),
                        "micro_f1_std": round(float(np.std(scores)), 4), "draws": draws}
    return out


def compare_setfit(data: Path, k: int = 6, seed: int = 0, cache: Path | None = DEFAULT_CACHE) -> dict[str, Any]:
    """Frozen vs contrastively fine-tuned encoder, same heads, on a SemEval *train* split (test untouched):
    k examples per category from 1,500 train sentences, scored on the other 1,541. One draw (CPU time)."""
    import time

    from insight.training.stories.contrastive import encode_with, fine_tune

    train = _semeval_rows(data / "semeval14_absa_restaurants" / "train.jsonl")
    order = list(range(len(train)))
    random.Random(123).shuffle(order)
    pool, val = [train[i] for i in order[:1500]], [train[i] for i in order[1500:]]
    taxonomy = Taxonomy("semeval14-restaurants", SEMEVAL_TAGS)
    rng, picked = random.Random(seed), []
    for tag in taxonomy.ids:
        picked += rng.sample([r for r in pool if tag in r[1] and r not in picked], k)
    texts, tags = [t for t, _ in picked], [c for _, c in picked]
    truth = [list(c) for _, c in val]

    def score(vectors_of: Any) -> float:
        tagger = StoryTagger(taxonomy, TaggerParams()).fit(vectors_of(description_texts(taxonomy)),
                                                           vectors_of(texts), tags)
        scores = tagger.scores(vectors_of([t for t, _ in val]))
        return micro_f1(truth, [[t for t, _ in row] for row in tagger.decide(scores)])["micro_f1"]

    frozen = score(lambda t: embed(t, cache))
    started = time.time()
    model = fine_tune(texts, tags, seed=seed)
    seconds = time.time() - started
    return {"examples_per_category": k, "frozen_micro_f1": frozen,
            "fine_tuned_micro_f1": score(lambda t: encode_with(model, t)), "fine_tune_seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="the shared data folder")
    # outcomes_dev / outcomes: issue 16's unseen taxonomy (8 member-outcome tags); outcomes was frozen in 353df55.
    parser.add_argument("--sets", nargs="+", default=["dev", "heldout", "outcomes_dev", "outcomes"])
    parser.add_argument("--no-semeval", action="store_true")
    parser.add_argument("--setfit", action="store_true", help="also compare SetFit-style fine-tuning (minutes of CPU)")
    args = parser.parse_args()
    params, detector = TaggerParams(), load_detector()
    report: dict[str, Any] = {"params": params.as_dict(), "detector": detector.detector_id, "written": {}}
    for name in args.sets:
        report["written"][name] = {**evaluate_written(name, params, detector),
                                   "learning_curve": learning_curve(name, params, detector, DEFAULT_CACHE)}
    if not args.no_semeval:
        report["semeval14_restaurants"] = evaluate_semeval(args.data, params)
    if args.setfit:
        report["setfit_vs_frozen_semeval_train_split"] = compare_setfit(args.data)
    print(json.dumps(report, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
