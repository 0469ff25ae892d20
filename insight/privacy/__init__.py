"""Privacy: what may be kept, analysed and shown about a member. Everything about it lives here.

- ``redact``: PII (emails, phones, secrets, person names) replaced by typed placeholders before
  any text is embedded, shown or exported;
- ``pseudonym``: author ids replaced by a keyed hash on ingest;
- ``consent``: the rules that decide from a member's consent whether their posts are analysed,
  their stories shown and their words quoted;
- ``stage``: redaction as a pipeline stage (``insight.redact.v1``).
"""
