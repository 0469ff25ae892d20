"""Adapters to third-party ML libraries behind small protocols (embedders, sentiment models)."""
