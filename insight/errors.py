"""Coded errors: every message insight raises lives here, with a code you can grep and test.

Exception tree::

    InsightError                 base; has .code, .message, .hint
     +- ConfigError              E1xx  settings and config files
     +- PipelineError            E2xx  stage chains, registry, runtime
     +- ModelError               E3xx  model loading and fitting
     +- StorageError             E4xx  database and migrations
     +- InputError               E6xx  unusable input files (paths, formats)

Row-level problems during ingest are not exceptions: they are reported as
``insight.ingest.base.Reject`` with a ``Reason`` code, so good rows go on.

A message says what happened, where, and how to fix it.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    # E1xx config
    "E101": "Config file '{path}' does not exist. Pass an existing TOML file or leave it out to use the defaults.",
    "E102": "Config file '{path}' is not valid TOML: {detail}",
    "E103": "Invalid value at {location}: {detail}. The packaged defaults (insight/default_config.toml, insight/default_kpis.toml) show every valid key and type.",
    "E104": (
        "Refusing the default pseudonymisation key in environment '{environment}'. "
        "Set INSIGHT_PSEUDONYM_KEY to a long random secret (for example `python -c "
        "\"import secrets; print(secrets.token_hex(32))\"`), or set INSIGHT_ENVIRONMENT=development "
        "for local experiments."
    ),
    # E2xx pipeline / registry
    "E201": "No {kind} registered under '{name}'. Available: {options}.",
    "E202": "A {kind} named '{name}' is already registered; versioned names must be unique.",
    "E203": (
        "Stage '{stage}' requires '{field}', but no earlier stage assigns it. Pipeline order: {order}. "
        "Add a stage that assigns '{field}' before '{stage}', or remove '{stage}'."
    ),
    "E204": "Stage '{stage}' returned {got} records for a batch of {expected}; a stage must return one record per input.",
    "E206": "The distributed engine needs Ray Data: install it with `pip install 'insight[distributed]'`.",
    # E3xx models
    "E301": "Model path '{path}' does not exist. Set {setting} to a local folder or a hub name you can reach.",
    "E302": "{what} is not fitted yet. Call fit() with your documents before {action}.",
    "E303": "Cannot fit topics on {n} documents; at least {minimum} are needed.",
    # E304-E319 topics model (issue 4)
    "E304": (
        "Topic model input mismatch: {n_texts} texts but {n_embeddings} embeddings. "
        "Pass one embedding row per text."
    ),
    "E305": "Embeddings for the topic model must be a 2-D array of {dim} columns; got shape {shape}.",
    "E306": "Topic model folder '{path}' is missing {what}. Save it with TopicModel.save() (never pickle).",
    "E307": (
        "Topic model folder '{path}' was written by format {found}; this version reads format {expected}. "
        "Refit and save again."
    ),
    "E308": "Invalid topic model setting {name}={value}: {detail}.",
    "E309": (
        "Cannot refit with a previous model whose embeddings have {old} dimensions on new embeddings "
        "with {new}. Use the same embedder."
    ),
    # E4xx storage
    "E401": "Cannot open the database at '{url}': {detail}. Check the URL in INSIGHT_DATABASE_URL.",
    "E421": "No triage queue item with id {item_id}. `insight triage queue` lists the items and their ids.",
    # E6xx input files
    "E601": "Input path '{path}' does not exist. Check the spelling, or pass the folder that holds the export.",
    "E602": "Cannot tell the format of '{path}'. Pass --format with one of: {options}.",
    "E603": "Input '{path}' has no usable rows ({detail}).",
    "E604": "Input '{path}' lacks the required column(s) {columns}. Found: {found}.",
    "E605": "Unsupported file type '{suffix}' for '{path}'. Use .jsonl, .json or .csv.",
    "E606": "Invalid value for {option}: {detail}",
    # E611-E619 topic input files (issue 4)
    "E611": (
        "Evaluation data for {dataset} not found at '{path}'. "
        "Pass --data with the folder that holds {dataset}/ (../shared/data)."
    ),
    "E621": "Unknown triage action '{action}'. Use one of: {options}.",
    "E622": "Cannot {action} triage item {item_id}: it is {status}. From {status} you can: {allowed}.",
    "E623": "Triage action '{action}' needs {what}; pass it with --{option}.",
}


class InsightError(Exception):
    """Base of every error insight raises on purpose.

    Args:
        code: a key of ``MESSAGES``.
        **context: values for the message template.
    """

    code: str

    def __init__(self, code: str, **context: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown error code {code}")
        self.code = code
        self.context = context
        self.message = MESSAGES[code].format(**context)
        super().__init__(f"[{code}] {self.message}")


class ConfigError(InsightError):
    """Settings or config files are invalid (E1xx)."""


class PipelineError(InsightError):
    """A pipeline, stage chain or registry lookup is wrong (E2xx)."""


class ModelError(InsightError):
    """A model cannot be loaded, fitted or used (E3xx)."""


class StorageError(InsightError):
    """The database cannot be reached or is at the wrong revision (E4xx)."""


class InputError(InsightError):
    """An input file or option is unusable as a whole (E6xx)."""
