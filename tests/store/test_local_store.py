"""The local store's writes: :meth:`LocalStore.add` in chunks, fed by a ``CONSTRUCT`` read as it comes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from sovkg.store import engine
from sovkg.store.engine import LocalStore, open_store

P = ox.NamedNode("urn:p")
Q = ox.NamedNode("urn:q")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _chain(n: int) -> list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode]]:
    return [(ox.NamedNode(f"urn:n{i}"), P, ox.NamedNode(f"urn:n{i + 1}")) for i in range(n)]


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch) -> LocalStore:
    monkeypatch.setattr(engine, "CHUNK", 3)  # seven triples take three writes
    return open_store(None if request.param == "memory" else tmp_path / "db")


def test_add_writes_every_chunk_and_journals_each(store: LocalStore) -> None:
    store.journal = set()
    triples = _chain(6) + [(ox.NamedNode("urn:n0"), RDF_TYPE, ox.NamedNode("urn:C"))]
    assert store.add(iter(triples), "urn:g") == 7
    assert len(store) == 7
    assert store.journal == {P, ox.NamedNode("urn:C")}


def test_a_construct_added_while_it_is_read_reads_a_snapshot(store: LocalStore) -> None:
    """A rule whose output matches its own pattern (the inverse, here into the same predicate) gives what it
    gives when read in full first: the triples written between two chunks are not read back."""
    store.add(_chain(7), "urn:g")
    query = "CONSTRUCT { ?y <urn:p> ?x } WHERE { ?x <urn:p> ?y }"
    assert store.add(store.iter_construct(query), "urn:inferred") == 7
    assert len(store) == 14
    assert {(q.subject.value, q.object.value) for q in store.store.quads_for_pattern(None, P, None,
                                                                                        ox.NamedNode("urn:inferred"))} \
        == {(f"urn:n{i + 1}", f"urn:n{i}") for i in range(7)}
    assert store.add(store.iter_construct("CONSTRUCT { ?x <urn:q> ?y } WHERE { ?x <urn:none> ?y }"), "urn:g") == 0
    assert not list(store.store.quads_for_pattern(None, Q, None, None))
