"""The sha256 pins of the signals weights, in ``model.toml`` beside them, checked on every load.

A weights file that differs from its pin (a partial copy, a stale checkout, a rebuild nobody
committed) would score every post with a model no card describes; loading stops with E310
instead. A file with no pin at all stops with E311. Training commands write the pins
(``write_pins``), so a rebuilt folder is consistent by construction.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path

from insight.errors import ModelError

PIN_FILE = "model.toml"
REBUILD = "python -m insight.training.signals.fit_heads --data ../shared/data"
_FILES_TABLE = re.compile(r"\n\[files\]\n(?:[^\[]*)", re.S)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_pins(folder: Path) -> dict[str, str]:
    pin = folder / PIN_FILE
    if not pin.exists():
        return {}
    return dict(tomllib.loads(pin.read_text()).get("files", {}))


def verify(folder: Path, files: Sequence[str]) -> dict[str, str]:
    """Each existing file's sha256, after checking it against its pin (E311 no pin, E310 mismatch)."""
    pins = read_pins(folder)
    found = {}
    for name in files:
        path = folder / name
        if not path.exists():
            continue
        if name not in pins:
            raise ModelError("E311", path=folder, file=name)
        found[name] = sha256_of(path)
        if found[name] != pins[name]:
            raise ModelError("E310", path=path, pin=folder / PIN_FILE, expected=pins[name][:12],
                             found=found[name][:12], rebuild=REBUILD)
    return found


def write_pins(folder: Path, files: Sequence[str]) -> dict[str, str]:
    """Pin the files' current sha256 in ``model.toml``'s ``[files]`` table (kept last; other pins kept)."""
    shas = {name: sha256_of(folder / name) for name in files if (folder / name).exists()}
    pin = folder / PIN_FILE
    text = _FILES_TABLE.sub("\n", pin.read_text()).rstrip("\n") + "\n" if pin.exists() else ""
    table = "".join(f'"{name}" = "{sha}"\n' for name, sha in sorted({**read_pins(folder), **shas}.items()))
    pin.write_text(f"{text}\n[files]\n# sha256 of each weights file, checked at load (E310)\n{table}")
    return shas
