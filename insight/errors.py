"""Coded errors: every message insight raises lives here, with a code you can grep and test.

Exception tree::

    InsightError                 base; has .code, .message, .hint
     +- ConfigError              E1xx  settings and config files
     +- PipelineError            E2xx  stage chains, registry, runtime
     +- ModelError               E3xx  model loading and fitting
     +- StorageError             E4xx  database and migrations
     +- InputError               E6xx  unusable input files (paths, formats)
     +- ApiError                 E7xx  HTTP service: keys, roles, webhooks

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
    # E105-E106 `insight serve --processes` (issue 13)
    "E105": "--processes {processes} is not a process count: use 1 (one process) or more (HTTP processes beside "
            "one that runs the background work; about one per core).",
    "E106": "{variable} is not set: this app is one HTTP process of `insight serve --processes N`, which sets "
            "it. Start the service with `insight serve`.",
    # E120-E129 community influence settings (issue 20)
    "E120": (
        "[{section}] {name}: low ({low}) <= base ({base}) <= high ({high}) must hold. Order the assumption "
        "range in your config file."
    ),
    "E121": (
        "[attribution] position_first ({first}) + position_last ({last}) must be at most 1; the middle "
        "touchpoints share what is left. Lower one of them."
    ),
    "E122": (
        "[attribution] blend_weights {detail}. Name models among {options}, each with a weight >= 0, and "
        "at least one above 0."
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
    # E207-E219 analysis specs and runs (issue 13)
    "E207": "Pipeline spec '{path}' cannot be read: {detail}. Pass a TOML file such as pipelines/daily.toml.",
    "E208": "Pipeline spec '{path}' has an invalid value at {location}: {detail}. pipelines/daily.toml shows every key.",
    "E209": (
        "Unknown analysis stage '{stage}' in {where}. Stages, in the order they run: {options}."
    ),
    "E210": "Schedule '{schedule}' is not understood: write 'daily HH:MM' (UTC) or 'every N minutes' / 'every N hours'.",
    # E3xx models
    "E301": "Model path '{path}' does not exist. Set {setting} to {target}.",
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
    # E310-E329 signals model (issue 14)
    "E310": (
        "The signals weights '{path}' do not match the sha256 pinned in {pin} (expected {expected}, found {found}). "
        "Restore the file from the repository, or rebuild it with `{rebuild}` and commit the new pin."
    ),
    "E311": (
        "The signals model folder '{path}' has no sha256 pin for {file} in model.toml. "
        "Add `[files] \"{file}\" = \"<sha256>\"` (the training commands print it) or restore models/signals/."
    ),
    # E331-E349 stories: tagger and detector
    "E331": "The story taxonomy has no tags to tag with. Add [[tags]] entries (id, name, description, kpis) to it.",
    "E332": (
        "The story detector weights at '{path}' are missing or do not match their pin ({detail}). "
        "Rebuild them with `python -m insight.training.stories.train_detector` or restore models/story_tagger/."
    ),
    # E4xx storage
    "E401": "Cannot open the database at '{url}': {detail}. Check the URL in INSIGHT_DATABASE_URL.",
    "E421": "No triage queue item with id {item_id}. `insight triage queue` lists the items and their ids.",
    # E451-E469 storage of the HTTP service (issue 7): background jobs and API keys
    "E451": "No API key with id {key_id}. `insight keys list` shows the keys and their ids.",
    "E452": "Job {job_id} is no longer leased by worker '{worker}' (its lease ran out and another worker took it); "
            "its result was not stored. Raise [api] job_lease_seconds if batches take longer than the lease.",
    # E431-E449 stories: stories, reviews, taxonomy versions, links
    "E431": "No tag suggestion with id {suggestion_id}. `insight stories suggestions` lists the pending ones.",
    "E432": "Tag suggestion {suggestion_id} is already {status}; only pending suggestions can be reviewed.",
    "E433": (
        "No story link with id '{link_id}'. Story-metric pairs (`insight report --format json`) name their links."
    ),
    "E434": "No story taxonomy is stored yet. Load one with `insight stories taxonomy load TAXONOMY.toml`.",
    "E435": (
        "Taxonomy version '{version}' is already stored with different tags. Give the changed taxonomy a new "
        "`version` string; stored versions never change."
    ),
    "E437": (
        "No analysable post or feedback answer with id(s) {ids}: unknown, or written by a member without analytics "
        "consent. Pass post ids (or feedback:<response_id>) of one member, as `insight stories suggestions` shows."
    ),
    "E436": "The {table} table is append-only: rows are never updated or deleted. Record a new event instead.",
    # E438-E445 moderation and review state (issue 18)
    "E438": "Cannot undo audit row {action_id}: {detail}. Undo works on an item's latest action; act again instead.",
    "E439": (
        "Audit row {action_id} ({action} by {actor}) cannot be undone: notes, the ranking's own actions and "
        "undos stay as they are. Act on the item again instead."
    ),
    "E440": "Tag suggestion {suggestion_id} is {status} with no researcher's decision to undo; only confirmed, "
            "rejected or retagged suggestions can be re-reviewed.",
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
    # E670-E699 command inputs and outputs (issue 15)
    "E670": "Input '{path}' is {kind}: pass a regular data file (not a FIFO, a device or a /proc file).",
    "E671": "Output '{path}' is also an input; writing it would destroy the input. Pick another --output.",
    "E672": "Cannot write output '{path}': {detail}. Pick a path in a folder you can write.",
    "E673": "Unexpected {kind} while running the command; nothing more was written. Run again with "
            "INSIGHT_DEBUG=1 for the traceback, and report it.",
    # E690-E699 business data files (issue 20)
    "E690": (
        "Cannot tell which business file '{path}' is (columns: {found}). Pass --kind accounts, links, "
        "touchpoints, outcomes or support_costs; the README's business contracts list each file's columns."
    ),
    "E691": "Unknown business file kind '{kind}'. Use one of: {options}.",
    "E621": "Unknown triage action '{action}'. Use one of: {options}.",
    "E622": "Cannot {action} triage item {item_id}: it is {status}. From {status} you can: {allowed}.",
    "E623": "Triage action '{action}' needs {what}; pass it with --{option}.",
    # E624-E630 queue and review input (issue 18)
    "E624": "Cannot snooze triage item {item_id}: {detail}. Pick a time in the future for an open, acknowledged "
            "or escalated item.",
    "E625": "Cannot assign to '{name}': a moderator's name is one line of at most {limit} characters.",
    "E626": "A note needs text, at most {limit} characters (got {length}). Write it shorter, or split it in two.",
    "E627": "A bulk action needs between 1 and {limit} items; {count} were selected. Filter the queue, then select.",
    "E628": "Cannot batch-reject suggestions below {below}: {detail}.",
    "E629": "The taxonomy change '{op}' cannot be made: {detail}.",
    # E701-E749 HTTP service (issue 7)
    "E701": "No API key given. Send it as `Authorization: Bearer <key>` (create one with "
            "`insight keys create --role <role>`).",
    "E702": "The API key is not valid (unknown or revoked). Ask an admin for a key: "
            "`insight keys create --role <role>`.",
    "E703": "A {role} key cannot use {path}; it needs one of the roles: {allowed}.",
    "E704": "The {platform} webhook signature is missing or wrong ({detail}). Check that [api] {setting} matches "
            "the secret configured on {platform}.",
    "E705": "The {platform} webhook timestamp is {age} seconds away from now, more than the allowed {tolerance}; "
            "the request may be a replay. Check the sender's clock.",
    "E706": "The {platform} webhook is not configured: set [api] {setting} in your config file to the signing "
            "secret you gave {platform}.",
    "E707": "The {platform} webhook body is not a payload insight reads: {detail}.",
    "E708": "Unknown role '{role}'. Use one of: {options}.",
    # E709-E749 hardening (issue 15): server faults, limits, forms
    "E709": "Internal error ({kind}); it is logged with id {incident}. Report that id to the operator.",
    "E710": "The request body is larger than {limit} bytes ([api] {setting}). Send less, or raise the limit.",
    "E711": "The form was refused: {detail}. Reload the page and submit it again.",
    "E712": "Too many failed logins from this address; try again in {seconds} seconds.",
    # E730-E735 community influence in the API (issue 20)
    "E730": (
        "No outcomes are stored, so community influence cannot be computed for {period}. Ingest accounts, "
        "touchpoints and outcomes with `insight business ingest FILE...`."
    ),
    "E731": "Unknown attribution model '{model}'. Use one of: {options}.",
    # E631-E649 stories: taxonomy TOML, seed examples, review decisions
    "E631": (
        "Story taxonomy '{path}' is invalid at {location}: {detail}. PRODUCT.md (\"Story taxonomy\") shows the "
        "format."
    ),
    "E632": (
        "Taxonomy version '{version}' drops tag(s) {tags} of version '{previous}' without saying where their "
        "stories go. List each under a new tag's `replaces` (rename, merge, split) or under [[retired]]."
    ),
    "E633": (
        "Seed examples '{path}' hold no usable example ({detail}). Each line needs `text` and `tags` (known tag "
        "ids)."
    ),
    "E634": "Unknown review decision '{decision}'. Use one of: {options}.",
    "E635": "Tag '{tag}' is not in taxonomy version '{version}'. Known tags: {options}.",
    "E636": "A retag needs the new tag: pass new_tag (--new-tag) with one of: {options}.",
    # E651-E669 reports (issue 8): annotations file, report period
    "E651": (
        "Annotations file '{path}' does not exist. Pass a TOML file of [[annotations]] "
        "(see insight/demo/annotations.toml) or leave --annotations out."
    ),
    "E652": (
        "Annotations file '{path}' is unusable: {detail}. It must be TOML with [[annotations]] tables "
        "(date, kind, title)."
    ),
    "E653": "Annotation skipped, '{path}' {where}: {detail}.",
    "E654": "No stored posts in period {period}; {stored}. Pick a month with data, or ingest that month first.",
    # E655-E669 experiments and report statistics (issue 17)
    "E655": (
        "Experiments file '{path}' does not exist. Pass a TOML file of [[experiments]] "
        "(README, \"Experiments\") or leave --experiments out."
    ),
    "E656": "Experiments file '{path}' is unusable: {detail}. It must be TOML with [[experiments]] tables.",
    "E657": "Experiments file '{path}' is invalid at {where}: {detail}.",
    "E658": "No experiment named '{name}' is registered. Registered: {options}.",
    "E659": "Arm file '{path}' (named in '{experiments}') does not exist. List each arm's member ids, one a line.",
    "E660": (
        "Experiment '{name}' has no data to read out: {detail}. Check its dates against the stored posts "
        "and its arms or cohorts against the members."
    ),
    "E661": "Request parameter '{where}' is invalid: {detail}. See the API's OpenAPI page (/docs) for what it takes.",
    # E453-E469, E680-E689, E720-E729: member privacy (issue 19): persons, footprint, erasure
    "E453": (
        "No member, account or person '{ident}' is stored. Pass the stored member id (m_...), a person "
        "id (p_...) or a platform account such as discourse:alice (see `insight members suggestions`)."
    ),
    "E454": (
        "Merge of {accounts} refused: {detail}. Accounts are linked only when every one of them consented "
        "(link_accounts = true in the members file) or when an admin merges them with --actor."
    ),
    "E455": "Merge needs at least two different stored accounts; got {accounts}.",
    "E456": "Account '{ident}' is not linked to a person, so there is nothing to unmerge.",
    "E457": (
        "The privacy audit chain is broken at row {row}: a row was changed, removed or inserted outside "
        "insight. Restore the privacy_audit table from a backup."
    ),
    "E680": "`insight members {command}` needs --actor (who does it): the privacy audit names every admin action.",
    "E681": (
        "Erasure of '{ident}' is irreversible: pass --yes to the command (or confirm equal to the id in "
        "the API) to erase it."
    ),
    "E720": "The erase request's 'confirm' must equal the member id in the path ('{ident}'); got '{got}'.",
    # issue 18 part B: alerts config (E111-E115), alert jobs (E446-E449), CLI (E674-E679)
    "E111": "[alerts] reasons has '{reason}', which is not a triage reason. Use some of: {options}.",
    "E112": "[alerts] {setting} = '{url}' is not an http:// or https:// URL with a host. Paste the receiver's "
            "full address (a Slack incoming-webhook URL for slack_webhook_url).",
    "E113": "[alerts] webhook_url is set but webhook_secret is empty: the receiver could not check who sent the "
            "alert. Set webhook_secret to a long random string and give the receiver the same.",
    "E114": "[alerts] min_priority = {value} is out of range: use 0 (off) up to 2 (safety items rank 1 to 2, "
            "other items 0 to 1).",
    "E115": "No alert destination is configured: set [alerts] webhook_url (with webhook_secret) or "
            "slack_webhook_url in the file passed with --config.",
    "E446": "Alert {alert_id} is no longer leased by notifier '{worker}' (its lease ran out and another notifier "
            "took it); its delivery was not recorded here. Raise [alerts] lease_seconds above timeout_seconds.",
    "E447": "No alert with id {alert_id}. `insight alerts list --status all` lists the alerts and their ids.",
    "E674": "--format '{value}' is not a format this command writes: use {options}.",
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


class ApiError(InsightError):
    """An HTTP request is refused: no or bad key, wrong role, bad webhook signature or body (E7xx)."""
