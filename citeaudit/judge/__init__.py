"""Judging by the verdicts: accepted statuses, claim and outlet scores, fail-on, hints. Pure."""
