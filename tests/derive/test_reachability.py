"""Strongly connected components and transitive closure (sovkg.derive.reachability) on named small graphs,
each checked against a brute-force reference (repeated joins until nothing is added), and the store engine's
``prp-trp`` closure against the rdflib pipeline on a ring of companies each controlling the next."""

from __future__ import annotations

import datetime as dt
import itertools

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from sovkg.core.namespaces import INFERRED_GRAPH, SOV
from sovkg.derive.reachability import components, transitive_closure
from sovkg.derive.run import derive
from sovkg.derive.store_engine import derive_dataset
from sovkg.load.rdf import load_dataset

EX = Namespace("urn:ex:")


def brute_force(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The rule ``x p y, y p z => x p z`` applied until nothing is added."""
    closed = set(pairs)
    while True:
        new = {(x, z) for (x, y), (y2, z) in itertools.product(closed, closed) if y == y2} - closed
        if not new:
            return closed
        closed |= new


RING = {(f"c{i}", f"c{(i + 1) % 6}") for i in range(6)}
CROSS_HOLDING = {("a", "b"), ("b", "a"), ("b", "c"), ("p", "a")}
CHAIN_8 = {(f"d{i}", f"d{i + 1}") for i in range(8)}
SELF_LOOP = {("s", "s"), ("s", "t")}


def test_ring_every_member_reaches_every_member_and_itself() -> None:
    closure = set(transitive_closure(RING))
    assert closure == {(f"c{i}", f"c{j}") for i in range(6) for j in range(6)}
    assert closure == brute_force(RING)


def test_cross_holding_closes_through_the_cycle() -> None:
    closure = set(transitive_closure(CROSS_HOLDING))
    assert closure == {("a", "a"), ("a", "b"), ("a", "c"), ("b", "a"), ("b", "b"), ("b", "c"),
                       ("p", "a"), ("p", "b"), ("p", "c")}
    assert closure == brute_force(CROSS_HOLDING)


def test_depth_8_chain_gives_every_ancestor_pair_once() -> None:
    closure = list(transitive_closure(CHAIN_8))
    assert len(closure) == len(set(closure)) == 9 * 8 // 2
    assert set(closure) == brute_force(CHAIN_8)
    assert ("d0", "d8") in closure and ("d0", "d0") not in closure


def test_self_pair_is_kept() -> None:
    assert set(transitive_closure(SELF_LOOP)) == {("s", "s"), ("s", "t")} == brute_force(SELF_LOOP)


def test_components_sources_first() -> None:
    order = components([[1], [2], [0, 3], [4], []])  # a 3-cycle holding a chain 3 -> 4
    assert [sorted(c) if isinstance(c, list) else c for c in order] == [[0, 1, 2], 3, 4]


def _ring_dataset(n: int) -> Dataset:
    dataset = load_dataset(include_case=False)
    graph = dataset.graph(URIRef("urn:test:ring"))
    for i in range(n):
        stake = EX[f"stake{i}"]
        graph.add((stake, RDF.type, SOV.OwnershipStake))
        graph.add((stake, SOV.holder, EX[f"c{i}"]))
        graph.add((stake, SOV.held, EX[f"c{(i + 1) % n}"]))
        graph.add((stake, SOV.votingPercent, Literal(60)))
        graph.add((EX[f"c{i}"], RDF.type, SOV.Organisation))
    return dataset


def test_store_closure_of_a_control_ring_equals_the_reference() -> None:
    day = dt.date(2026, 11, 29)
    reference, store = _ring_dataset(8), _ring_dataset(8)
    derive(reference, as_of=day)
    derive_dataset(store, as_of=day)
    controls = {(s, o) for s, o in store.graph(INFERRED_GRAPH).subject_objects(SOV.controls)}
    assert len(controls) == 64  # every company controls every company of the ring, itself included
    assert set(store.graph(INFERRED_GRAPH)) == set(reference.graph(INFERRED_GRAPH))
