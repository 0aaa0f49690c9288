"""Evidence over time: a URL's history, the portable ledger, baselines for CI, content drift."""
