"""Fixtures of the hardening tests: one trustme CA for the whole session."""

from __future__ import annotations

import pytest
import trustme


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()
