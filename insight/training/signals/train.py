"""Train the signals model from the public sets in ../shared/data (CPU or GPU).

    python -m insight.training.signals.train --data ../shared/data --out models/signals --stop-at 3600

A run is defined by steps, not minutes: ``--epochs`` fixes the schedule (warm-up, cosine decay)
and ``--stop-at`` the last step, so the same seed gives the same batches and the same updates on
any machine (``--minutes`` is only a safety net; the shipped layers are the step-3,600 checkpoint).
Then ``python -m insight.training.signals.fit_heads`` refits the adapted heads on the new layers.

Multi-task: every batch comes from one task (sentiment, emotion, offensive, hate), batches
are length-bucketed so short tweets are not padded to long ones, and class weights make the
losses match the macro metrics the sets are judged by. The best checkpoint on the validation
splits (mean of sentiment macro-recall, emotion and offensive macro-F1) is kept.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import Counter
from pathlib import Path

import torch
from torch import nn

from insight.signals.model import HEADS, SignalsModel
from insight.signals.pins import write_pins
from insight.training.signals.data import Example, training_set, validation_set
from insight.training.signals.evaluate import evaluate

MAX_LENGTH = 64


def batches(sets: dict[str, list[Example]], batch_size: int, rng: random.Random) -> list[list[Example]]:
    """One epoch of single-task batches, length-bucketed within pools, in random order."""
    out: list[list[Example]] = []
    for examples in sets.values():
        items = examples[:]
        rng.shuffle(items)
        pool = batch_size * 50
        for start in range(0, len(items), pool):
            chunk = sorted(items[start : start + pool], key=lambda e: len(e.text))
            out.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(out)
    return out


def class_weights(sets: dict[str, list[Example]]) -> dict[str, torch.Tensor]:
    weights = {}
    for task, examples in sets.items():
        counts = Counter(e.label for e in examples)
        n = len(HEADS[task])
        total = sum(counts.values())
        weights[task] = torch.tensor([total / (n * max(counts.get(i, 1), 1)) for i in range(n)], dtype=torch.float32)
    return weights


def load_base(device: str):  # type: ignore[no-untyped-def]
    from transformers import AutoModel, AutoTokenizer

    from insight.signals.embedder import packaged_model_path

    path = str(packaged_model_path())
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).to(device)


def train(data: Path, out: Path, *, minutes: float, seed: int = 13, batch_size: int = 32, lr: float = 8e-5,
          eval_every: int = 400, device: str = "cpu", epochs: float = 1.5,
          stop_at: int | None = None) -> dict[str, float]:
    rng = random.Random(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    tokenizer, encoder = load_base(device)
    model = SignalsModel(encoder).to(device)
    sets = training_set(data, rng)
    val = validation_set(data)
    weights = {k: v.to(device) for k, v in class_weights(sets).items()}
    plan = batches(sets, batch_size, rng)
    total_steps = int(len(plan) * epochs)
    params = [{"params": model.tuned.parameters(), "lr": lr}, {"params": model.heads.parameters(), "lr": lr * 5}]
    optimizer = torch.optim.AdamW(params, weight_decay=0.01)
    warmup = min(200, total_steps // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: (  # linear warm-up, then cosine decay
        min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(s, total_steps) / total_steps))))
    deadline = time.monotonic() + minutes * 60
    best: dict[str, float] = {"score": -1.0}
    log = out / "train_log.jsonl"
    out.mkdir(parents=True, exist_ok=True)
    step = 0
    started = time.monotonic()
    last_step = min(total_steps, stop_at or total_steps)
    while step < last_step and time.monotonic() < deadline:
        if step and step % len(plan) == 0:
            plan = batches(sets, batch_size, rng)
        batch = plan[step % len(plan)]
        task = batch[0].task
        enc = tokenizer([e.text for e in batch], padding=True, truncation=True, max_length=MAX_LENGTH,
                        return_tensors="pt").to(device)
        model.train()
        logits = model(enc["input_ids"], enc["attention_mask"], with_embedding=False, heads=(task,)).logits[task]
        labels = torch.tensor([e.label for e in batch], device=device)
        loss = nn.functional.cross_entropy(logits, labels, weight=weights[task])
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        last = step >= last_step or time.monotonic() >= deadline
        if step % eval_every == 0 or last:
            metrics = evaluate(model, tokenizer, val, device=device)
            metrics["score"] = (metrics["sentiment_macro_recall"] + metrics["emotion_macro_f1"]
                                + metrics["offensive_macro_f1"]) / 3
            metrics.update(step=step, examples=step * batch_size, minutes=round((time.monotonic() - started) / 60, 1))
            with log.open("a") as fh:
                fh.write(json.dumps(metrics) + "\n")
            print(json.dumps(metrics), flush=True)  # noqa: T201 - training progress for the operator
            if metrics["score"] > best["score"]:
                best = metrics
                model.save(out, {k: round(v, 4) for k, v in metrics.items() if isinstance(v, float)},
                           base="sentence-transformers/all-MiniLM-L6-v2 (packaged)")
                write_pins(out, ("signals.safetensors",))  # the scorer refuses unpinned weights (E311)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("models/signals"))
    parser.add_argument("--minutes", type=float, default=600.0, help="a safety net; steps define the run")
    parser.add_argument("--stop-at", type=int, default=3600, help="the last step (the shipped checkpoint's)")
    parser.add_argument("--epochs", type=float, default=1.5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    best = train(args.data, args.out, minutes=args.minutes, seed=args.seed, device=args.device, epochs=args.epochs,
                 stop_at=args.stop_at)
    print(json.dumps({"best": best}))  # noqa: T201


if __name__ == "__main__":
    main()
