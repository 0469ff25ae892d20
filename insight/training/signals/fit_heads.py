"""Fit the adapted heads of the signals model on cached features (seconds once encoded).

    python -m insight.training.signals.fit_heads --data ../shared/data --out models/signals

Writes ``heads.safetensors`` (the forum-adapted sentiment head, the multi-label safety head on
the sentence embedding), ``safety_chars.safetensors`` (character n-gram safety heads) and
``heads.json`` (what was chosen and the dev figures), then pins all three in ``model.toml``.
The encoder layers (``signals.safetensors``) are read, never changed. Every choice is made on
dev sets (TweetEval sentiment validation, ``models/signals/sets/*_dev.jsonl``); the frozen test
sets are read only by ``python -m insight.training.signals.evaluate_written``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from insight.signals.charheads import CHARS
from insight.signals.model import ADAPTED, ADAPTED_META
from insight.signals.pins import write_pins
from insight.training.signals.encoded import Encoded, encode_all
from insight.training.signals.heads import SEED, STEPS
from insight.training.signals.safety_fit import fit_safety
from insight.training.signals.sentiment_fit import STEPS as SENTIMENT_STEPS
from insight.training.signals.sentiment_fit import fit_sentiment


def save(out: Path, tensors: dict[str, np.ndarray], meta: dict[str, object]) -> dict[str, str]:
    import torch
    from safetensors.torch import save_file

    save_file({k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in tensors.items()},
              str(out / ADAPTED))
    (out / ADAPTED_META).write_text(json.dumps(meta, indent=2) + "\n")
    return write_pins(out, ("signals.safetensors", ADAPTED, CHARS, ADAPTED_META))


def fit(enc: dict[str, Encoded], base_sentiment: tuple[np.ndarray, np.ndarray], out: Path) -> dict[str, object]:
    (sent_w, sent_b), sentiment_report = fit_sentiment(enc, base_sentiment)
    (safe_w, safe_b), chars, thresholds, safety_report = fit_safety(enc)
    chars.save(out / CHARS)
    meta = {"steps": {"safety": STEPS, "sentiment": SENTIMENT_STEPS}, "seed": SEED, "sentiment": sentiment_report,
            "safety": {"thresholds": thresholds, **safety_report}}
    tensors = {"heads.sentiment.1.weight": sent_w, "heads.sentiment.1.bias": sent_b,
               "safety.weight": safe_w, "safety.bias": safe_b}
    meta["sha256"] = save(out, tensors, meta)
    return meta


def main() -> None:
    from insight.signals.scorer import load_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("models/signals"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/insight-signals-features"))
    args = parser.parse_args()
    model, tokenizer, revision = load_model(str(args.out))
    base = _trained_sentiment_head(args.out)  # from the trained head, never from the last refit
    enc = encode_all(args.data, args.out / "sets", model, tokenizer, args.out, args.cache)
    print(json.dumps({"model": revision, **fit(enc, base, args.out)}, indent=2))  # noqa: T201


def _trained_sentiment_head(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    from safetensors.numpy import load_file

    state = load_file(str(folder / "signals.safetensors"))
    return (state["heads.sentiment.1.weight"].astype(np.float32), state["heads.sentiment.1.bias"].astype(np.float32))


if __name__ == "__main__":
    main()
