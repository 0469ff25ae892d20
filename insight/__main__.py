"""``python -m insight`` runs the CLI."""

from insight.cli import main

main()
