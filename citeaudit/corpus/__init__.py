"""Corpus mode: many documents in one PostgreSQL store, checked by many workers, one budget.

`add` parses documents into the store, `work` runs a worker that takes one host at a time
(a procrastinate job locked on the host), `status` counts progress, `report` renders every
document from the stored verdicts without the network.
"""
