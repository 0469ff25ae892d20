"""Linear heads fitted on cached features: full batch, a fixed number of steps, seeded.

Full-batch Adam on a few thousand cached vectors is deterministic on a CPU for a given seed and
step count, so the documented command rebuilds the same heads (the card's figures agree to the
third decimal), and it takes seconds, not the hour the encoder layers took.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

STEPS = 400
LR = 0.02
SEED = 13


def fit_softmax(x: np.ndarray, y: np.ndarray, weight: np.ndarray, init: tuple[np.ndarray, np.ndarray], *,
                anchor: float, steps: int = STEPS, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """A softmax head from ``init`` (the current head), weighted CE plus ``anchor`` x L2 to ``init``."""
    torch.manual_seed(seed)
    w0, b0 = (torch.tensor(a, dtype=torch.float32) for a in init)
    layer = nn.Linear(x.shape[1], w0.shape[0])
    with torch.no_grad():
        layer.weight.copy_(w0)
        layer.bias.copy_(b0)
    xs, ys, ws = torch.tensor(x), torch.tensor(y, dtype=torch.long), torch.tensor(weight, dtype=torch.float32)
    optimizer = torch.optim.Adam(layer.parameters(), lr=LR / 10)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = (nn.functional.cross_entropy(layer(xs), ys, reduction="none") * ws).sum() / ws.sum()
        loss = loss + anchor * ((layer.weight - w0) ** 2).sum()
        loss.backward()
        optimizer.step()
    return layer.weight.detach().numpy(), layer.bias.detach().numpy()


def fit_sigmoid(x: np.ndarray, y: np.ndarray, weight: np.ndarray, *, l2: float, steps: int = STEPS,
                seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Independent sigmoid heads (multi-label): ``y`` and ``weight`` are (n, labels)."""
    torch.manual_seed(seed)
    layer = nn.Linear(x.shape[1], y.shape[1])
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)
    xs, ys, ws = torch.tensor(x), torch.tensor(y, dtype=torch.float32), torch.tensor(weight, dtype=torch.float32)
    optimizer = torch.optim.Adam(layer.parameters(), lr=LR * 5)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = (nn.functional.binary_cross_entropy_with_logits(layer(xs), ys, reduction="none") * ws).sum(0)
        loss = (loss / ws.sum(0)).sum() + l2 * (layer.weight**2).sum()
        loss.backward()
        optimizer.step()
    return layer.weight.detach().numpy(), layer.bias.detach().numpy()


def sigmoid(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ w.T + b)))


def softmax_argmax(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((x @ w.T + b).argmax(1))
