"""The model store: the one folder insight's trained weights (and the sets they came from) are read from.

Layout under the store's root (the project's ``models/`` folder)::

    signals/           signals.safetensors, config.json   (insight.signals.scorer)
    story_tagger/      detector.json                      (insight.stories.detect)
    story_tagger/sets/ the written story sets the detector and the tagger's figures come from
    topics/, embedder/, sentiment/                        model cards and pins

``ModelStore(root).path("signals", "signals.safetensors")`` is a file that exists, or a coded
``ModelError`` (E301) naming the file and the setting that moves the root.
``ModelStore.location(...)`` is the same path unchecked, for writers (training commands).

Where the root is, first match wins:

1. the ``models_dir`` setting (``INSIGHT_MODELS_DIR``): whoever runs insight knows best;
2. ``./models`` when the working directory is an insight checkout (its ``pyproject.toml`` names
   the project ``insight``): ``python -m insight.training...`` run in a clone imports that clone's
   code, so it must read that clone's models too, whichever clone the environment was installed
   from (git worktrees sharing one virtual environment);
3. ``models/`` of the source folder pip recorded when it installed insight (PEP 610
   ``direct_url.json``, written by ``pip install -e .`` and ``pip install .`` alike): ``insight``
   run from anywhere reads the clone it was installed from. All ``insight`` distributions are
   looked through, because a stray ``insight.egg-info`` in the working directory is found first
   and records no source folder;
4. ``./models``: a wheel install records no source folder; a missing file then says how to set one.

The package's own location on disk is never used: in a wheel install it is inside
site-packages, where no models are, and in a checkout it silently ties the models to whichever
copy of the code happened to be imported.

This module sits at the bottom layer: it imports only ``insight.config`` and ``insight.errors``.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from insight.config import Settings, load_config
from insight.errors import ModelError

DISTRIBUTION = "insight"
FOLDER = "models"
SETTING = "models_dir (environment variable INSIGHT_MODELS_DIR)"


@dataclass(frozen=True)
class ModelStore:
    """Model files under one root folder."""

    root: Path

    def location(self, *parts: str) -> Path:
        """Where a file or folder of the store is, whether or not it exists yet (for writers)."""
        return self.root.joinpath(*parts)

    def path(self, *parts: str) -> Path:
        """An existing file or folder of the store.

        Raises:
            ModelError: E301 naming the missing path and the setting that moves the store.
        """
        path = self.location(*parts)
        if not path.exists():
            raise ModelError("E301", path=path, setting=SETTING,
                             target=f"the folder that holds {Path(*parts)} (the project's models/ folder)")
        return path


def model_store(settings: Settings | None = None) -> ModelStore:
    """The store the settings name; without settings, the defaults plus ``INSIGHT_*`` variables."""
    settings = settings if settings is not None else load_config()
    return ModelStore(Path(settings.models_dir) if settings.models_dir else default_root())


def default_root(cwd: Path | None = None) -> Path:
    """The root when ``models_dir`` is empty (steps 2-4 of the module docstring)."""
    cwd = cwd or Path.cwd()
    if _is_checkout(cwd):
        return cwd / FOLDER
    for source in installed_sources():
        if (source / FOLDER).is_dir():
            return source / FOLDER
    return cwd / FOLDER


def installed_sources() -> list[Path]:
    """Source folders recorded by the installed ``insight`` distributions (PEP 610), in sys.path order."""
    out = []
    for dist in metadata.distributions(name=DISTRIBUTION):
        text = dist.read_text("direct_url.json")
        if not text:
            continue  # an egg-info, or a wheel from an index: no source folder recorded
        try:
            url = urlparse(json.loads(text).get("url", ""))
        except (ValueError, AttributeError):
            continue
        if url.scheme == "file":
            out.append(Path(url2pathname(url.path)))
    return out


def _is_checkout(folder: Path) -> bool:
    try:
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return project.get("name") == DISTRIBUTION
