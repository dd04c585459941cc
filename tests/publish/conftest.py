"""Fixtures of the publish tests: the small chain fixture built as of two dates."""

from __future__ import annotations

import datetime as dt

import pytest
from publish_helpers import CHAIN

from sovkg.derive.knowledge_graph import KnowledgeGraph, build


@pytest.fixture(scope="session")
def chain() -> KnowledgeGraph:
    """``tests/fixtures/derive/chain.ttl`` as of 2026-11-29 (the old owner's stake has ended)."""
    return build([CHAIN], include_case=False, include_reference=False, as_of=dt.date(2026, 11, 29))


@pytest.fixture(scope="session")
def chain_2020() -> KnowledgeGraph:
    """The same fixture as of 2020-06-01 (the old owner still holds 60 % of French Host's votes)."""
    return build([CHAIN], include_case=False, include_reference=False, as_of=dt.date(2020, 6, 1))
