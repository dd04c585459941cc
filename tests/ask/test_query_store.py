"""``sovkg query --store PATH`` answers as the rdflib pipeline does: every shipped
competency question with its parameters left unbound (as `sovkg query NAME` runs it), run with Oxigraph on the store engine's derived store
(:func:`sovkg.ask.queries.run_query_store`), gives the same SPARQL JSON as run with rdflib on the reference
pipeline's graph."""

from __future__ import annotations

import datetime as dt

import pytest

from sovkg.ask.queries import list_queries, run_query, run_query_store, to_sparql_json
from sovkg.derive.knowledge_graph import KnowledgeGraph, build

DAY = dt.date(2026, 11, 29)
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


@pytest.fixture(scope="module")
def engines() -> tuple[KnowledgeGraph, KnowledgeGraph]:
    return build(as_of=DAY, engine="rdflib"), build(as_of=DAY, engine="store")


def _rows(result: object) -> object:
    """The SPARQL JSON, rows sorted (their order is defined only where the query orders it), decimals as
    numbers (Oxigraph writes ``30.0`` as ``30``: the same value, spelt differently)."""
    data = to_sparql_json(result)  # type: ignore[arg-type]
    if "results" in data:
        for row in data["results"]["bindings"]:
            for term in row.values():
                if term.get("datatype") == XSD_DECIMAL:
                    term["value"] = float(term["value"])
        data["results"]["bindings"] = sorted(data["results"]["bindings"], key=repr)
    return data


@pytest.mark.parametrize("spec", list(list_queries("cq")), ids=lambda s: s.name)
def test_query_on_the_store_equals_the_reference(spec, engines) -> None:  # type: ignore[no-untyped-def]
    reference, store = engines
    assert store.store is not None
    expected = run_query(reference.union, spec, named_graphs=reference.dataset)
    found = run_query_store(store.store.store, spec)
    if expected.type in ("CONSTRUCT", "DESCRIBE"):
        assert len(found.graph) == len(expected.graph)
    else:
        assert _rows(found) == _rows(expected)
