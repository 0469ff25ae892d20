"""Evaluation of person-name redaction on the written sets (``models/redaction/sets``)."""
