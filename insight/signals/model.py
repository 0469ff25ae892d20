"""SignalsModel: one MiniLM pass gives the sentence embedding and every signal head.

The packaged all-MiniLM-L6-v2 has six layers. The bottom ``SHARED_LAYERS`` stay frozen and
shared; above them the original layers continue to the sentence embedding (so topics keep
the embedding space they were tuned for) while a fine-tuned copy of the upper layers feeds
the heads. One forward pass over the shared layers serves both branches.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from transformers.masking_utils import create_bidirectional_mask

SHARED_LAYERS = 2
HEADS: dict[str, tuple[str, ...]] = {
    "sentiment": ("negative", "neutral", "positive"),
    "emotion": ("anger", "joy", "optimism", "sadness"),
    "offensive": ("not-offensive", "offensive"),
    "hate": ("not-hate", "hate"),
}
# Multi-label safety head: one sigmoid per category, read from the sentence embedding (the frozen
# encoder knows what a post is about; on the written dev set it beat the tweet-tuned features).
SAFETY_LABELS: tuple[str, ...] = ("threat", "self_harm", "harassment", "doxxing", "hate")
ADAPTED = "heads.safetensors"  # heads refitted on cached features (insight.training.signals.fit_heads)
ADAPTED_META = "heads.json"  # how they were fitted, their dev figures and the safety threshold


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-6)


@dataclass
class SignalsOutput:
    embedding: torch.Tensor | None  # L2-normalised sentence embedding, or None when not asked for or needed
    logits: dict[str, torch.Tensor]
    pooled: torch.Tensor  # mean-pooled output of the tuned layers: what the heads read
    safety: torch.Tensor | None = None  # per-category probabilities (SAFETY_LABELS), when the model has them


class SignalsModel(nn.Module):
    """A BERT encoder split into shared, embedding and tuned branches, plus task heads."""

    def __init__(self, encoder: nn.Module, shared_layers: int = SHARED_LAYERS) -> None:
        super().__init__()
        self.encoder = encoder  # transformers BertModel; only its embeddings and layers are used
        self.shared_layers = shared_layers
        self.tuned = nn.ModuleList(copy.deepcopy(layer) for layer in encoder.encoder.layer[shared_layers:])
        hidden = encoder.config.hidden_size
        self.heads = nn.ModuleDict({
            name: nn.Sequential(nn.Dropout(0.1), nn.Linear(hidden, len(labels))) for name, labels in HEADS.items()
        })
        self.safety = nn.Linear(hidden, len(SAFETY_LABELS))  # used only when ADAPTED holds its weights
        self.has_safety = False
        for param in self.encoder.parameters():
            param.requires_grad = False

    def _run(self, layers: nn.ModuleList, hidden: torch.Tensor, mask4: torch.Tensor) -> torch.Tensor:
        for layer in layers:
            out = layer(hidden, attention_mask=mask4)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, *, with_embedding: bool = True,
                heads: tuple[str, ...] | None = None) -> SignalsOutput:
        with torch.no_grad():
            hidden = self.encoder.embeddings(input_ids=input_ids)
            mask4 = create_bidirectional_mask(config=self.encoder.config, inputs_embeds=hidden,
                                              attention_mask=attention_mask)
            hidden = self._run(self.encoder.encoder.layer[: self.shared_layers], hidden, mask4)
            embedding = None
            if with_embedding or self.has_safety:  # the safety head reads the embedding too
                top = self._run(self.encoder.encoder.layer[self.shared_layers :], hidden, mask4)
                embedding = nn.functional.normalize(mean_pool(top, attention_mask), dim=-1)
        tuned = mean_pool(self._run(self.tuned, hidden, mask4), attention_mask)
        names = heads or tuple(self.heads)
        safety = None
        if self.has_safety and embedding is not None:
            safety = torch.sigmoid(self.safety(embedding))
        return SignalsOutput(embedding=embedding if with_embedding else None,
                             logits={n: self.heads[n](tuned) for n in names}, pooled=tuned, safety=safety)

    def trainable_state(self) -> dict[str, torch.Tensor]:
        """Only what training changed: the tuned layers and the heads."""
        return {k: v for k, v in self.state_dict().items() if k.startswith(("tuned.", "heads."))}

    def save(self, folder: Path, metrics: dict[str, float], base: str) -> None:
        from safetensors.torch import save_file

        folder.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().to(torch.float16).contiguous() for k, v in self.trainable_state().items()}
        save_file(state, str(folder / "signals.safetensors"))
        config = {"base": base, "shared_layers": self.shared_layers, "heads": HEADS, "dtype": "float16",
                  "metrics": metrics}
        (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def load_signals_model(folder: Path, encoder: nn.Module) -> SignalsModel:
    """The tuned layers and heads of ``signals.safetensors``; heads in ``heads.safetensors`` replace them."""
    from safetensors.torch import load_file

    config = json.loads((folder / "config.json").read_text())
    model = SignalsModel(encoder, shared_layers=config["shared_layers"])
    state = {k: v.to(torch.float32) for k, v in load_file(str(folder / "signals.safetensors")).items()}
    if (folder / ADAPTED).exists():
        state.update({k: v.to(torch.float32) for k, v in load_file(str(folder / ADAPTED)).items()})
        model.has_safety = "safety.weight" in state
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(not k.startswith(("tuned.", "heads.")) for k in missing)
    return model.eval()
