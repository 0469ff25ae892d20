"""Use-cases shared by the CLI and (later) the HTTP API: ingest, analyse, triage, report, demo."""
