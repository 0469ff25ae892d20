"""Checks on the files and options a command is given, before anything is read or written.

A FIFO would hang a reader, ``/dev/null`` or a ``/proc`` file is not data, an output path equal to
an input would overwrite it while it is read, and an output under ``/proc`` cannot be written:
each is a coded error naming the path and the fix, never a hang or a traceback.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from insight.errors import InputError

_SPECIAL_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))
# Replays longer than this many steps are refused (a typo like year 9999 would run for days).
MAX_STEPS = 100_000
FIRST_YEAR, LAST_YEAR = 1970, 2200


def _special(path: Path) -> bool:
    resolved = path.resolve()
    return any(resolved == root or root in resolved.parents for root in _SPECIAL_ROOTS)


def input_path(path: Path, *, folders: bool = False) -> Path:
    """``path`` when it is a regular file (or, with ``folders``, a folder) outside /proc, /sys and /dev.

    Raises:
        InputError: E601 missing; E670 a FIFO, device, socket or special file.
    """
    if not path.exists():
        raise InputError("E601", path=path)
    if _special(path) or not (path.is_file() or (folders and path.is_dir())):
        kind = "a folder" if path.is_dir() else "a FIFO" if path.is_fifo() else "not a regular file"
        raise InputError("E670", path=path, kind=kind)
    return path


def output_path(path: Path, inputs: list[Path] | tuple[Path, ...] = ()) -> Path:
    """``path`` when it can be written and is none of ``inputs``.

    Raises:
        InputError: E671 the output is an input; E672 the output cannot be written there.
    """
    for source in inputs:
        if path.resolve() == Path(source).resolve():
            raise InputError("E671", path=path)
    parent = path.resolve().parent
    if _special(path) or (path.exists() and not path.is_file()) or (parent.exists() and not parent.is_dir()):
        raise InputError("E672", path=path, detail="not a regular file in a writable folder")
    return path


def output_folder(path: Path) -> Path:
    """``path`` as a folder that exists or can be made. Raises E672."""
    if _special(path):
        raise InputError("E672", path=path, detail="a system folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("E672", path=path, detail=exc.strerror or str(exc)) from None
    return path


def replay_dates(start: str, end: str) -> None:
    """``--start``/``--end`` days from FIRST_YEAR to LAST_YEAR (checked before any date arithmetic). Raises E606."""
    for option, value in (("--start", start), ("--end", end)):
        try:
            year = date.fromisoformat(value.strip()).year
        except ValueError:
            continue  # not a date at all: the backtest's own parser says so
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InputError("E606", option=option, detail=f"'{value}'; use a day from {FIRST_YEAR} to {LAST_YEAR}")


def replay_span(first: datetime, last: datetime, step: timedelta) -> None:
    """A backtest's span within FIRST_YEAR..LAST_YEAR and at most MAX_STEPS steps. Raises E606."""
    if first.year < FIRST_YEAR or last.year > LAST_YEAR:
        raise InputError("E606", option="--start/--end",
                         detail=f"{first:%Y-%m-%d} to {last:%Y-%m-%d}; use days from {FIRST_YEAR} to {LAST_YEAR}")
    if (last - first) / step > MAX_STEPS:
        raise InputError("E606", option="--step", detail=f"more than {MAX_STEPS} steps; use a larger step "
                                                          "or a shorter span")
