"""Fixtures of the publish tests: the small chain fixture built as of two dates, and graphs compared
by value (rdflib's Turtle writer respells decimals, ``"0"^^xsd:decimal`` → ``0.0``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

import pytest
from publish_helpers import CHAIN
from rdflib import XSD, Graph, Literal
from rdflib.term import Node

from sovkg.derive.knowledge_graph import KnowledgeGraph, build


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose xsd:decimal literals are written in one canonical way.

    >>> g = Graph()
    >>> _ = g.add((XSD.a, XSD.b, Literal("0.0", datatype=XSD.decimal)))
    >>> [str(o) for o in canonical(g).objects()]
    ['0']
    """
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, _canonical_term(o)))
    return out


def _canonical_term(node: Node) -> Node:
    if isinstance(node, Literal) and node.datatype == XSD.decimal:
        try:
            value = Decimal(str(node))
        except InvalidOperation:
            return node
        text = format(value.normalize(), "f") if value == value.to_integral() or "E" in str(value.normalize()) else str(value.normalize())
        return Literal(text, datatype=XSD.decimal)
    return node


@pytest.fixture
def as_values() -> Callable[[Graph], Graph]:
    """:func:`canonical`, for tests."""
    return canonical


@pytest.fixture(scope="session")
def chain() -> KnowledgeGraph:
    """``tests/fixtures/derive/chain.ttl`` as of 2026-11-29 (the old owner's stake has ended)."""
    return build([CHAIN], include_case=False, include_reference=False, as_of=dt.date(2026, 11, 29))


@pytest.fixture(scope="session")
def chain_2020() -> KnowledgeGraph:
    """The same fixture as of 2020-06-01 (the old owner still holds 60 % of French Host's votes)."""
    return build([CHAIN], include_case=False, include_reference=False, as_of=dt.date(2020, 6, 1))
