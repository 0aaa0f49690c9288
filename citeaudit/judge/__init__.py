"""Judging a catalog by its verdicts: claim and outlet scores, the fail-on policy, hints. Pure."""
