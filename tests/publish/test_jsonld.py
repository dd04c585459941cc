"""The JSON-LD export uses the shipped context, round-trips, and a second processor (PyLD) reads
the same graph as the Turtle export, without touching the network."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from sovkg.derive.knowledge_graph import KnowledgeGraph
from sovkg.load.rdf import load_dataset
from sovkg.publish.export import export_graph
from sovkg.publish.jsonld_context import CONTEXT_IRI, CONTEXT_PATH, build_context, load_context

REFUSED: list[str] = []


def _offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Serve the shipped context for its published IRI; refuse every other URL (no network)."""
    if url == CONTEXT_IRI:
        return {"contextUrl": None, "documentUrl": url, "document": load_context()}
    REFUSED.append(url)
    raise RuntimeError(f"network access refused in tests: {url}")


def _pyld_graph(document: Any) -> Graph:
    from pyld import jsonld

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": _offline_loader})
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def test_context_is_fresh() -> None:
    """context.jsonld is generated from the ontology (python -m sovkg.publish.jsonld_context)."""
    ontology = Graph()
    for s, p, o, _ in load_dataset(include_case=False, include_reference=False).quads((None, None, None, None)):
        ontology.add((s, p, o))
    assert json.loads(CONTEXT_PATH.read_text(encoding="utf-8")) == build_context(ontology)


def test_context_defines_every_ontology_term() -> None:
    terms = load_context()["@context"]
    assert terms["sov"] == "https://w3id.org/sovkg/ns#" and terms["kg"] == "https://w3id.org/sovkg/id/"
    assert terms["holder"] == {"@id": "sov:holder", "@type": "@id"}
    assert terms["capitalPercent"] == {"@id": "sov:capitalPercent", "@type": "http://www.w3.org/2001/XMLSchema#decimal"}
    assert terms["OwnershipStake"] == "sov:OwnershipStake"


@pytest.fixture(scope="module")
def exports(case: KnowledgeGraph) -> tuple[bytes, Graph]:
    turtle = Graph().parse(data=export_graph(case, "ttl"), format="turtle")
    return export_graph(case, "jsonld"), turtle


def test_jsonld_export_is_compact(exports: tuple[bytes, Graph]) -> None:
    document = json.loads(exports[0])
    assert document["@context"] == load_context()["@context"]
    text = exports[0].decode("utf-8")
    assert '"@type": "http://www.w3.org/2001/XMLSchema#' not in text.split('"@graph"', 1)[1], "typed values folded"
    body = text.split('"@graph"', 1)[1]
    assert '"https://w3id.org/sovkg/ns#' not in body, "sov: terms used, not full IRIs"
    assert '"https://w3id.org/sovkg/id/' not in body, "node references written kg:…"
    assert '"holder": "kg:org/' in body


def test_jsonld_export_round_trips_in_rdflib(case: KnowledgeGraph, exports: tuple[bytes, Graph],
                                             as_values: Callable[[Graph], Graph]) -> None:
    back = Graph().parse(data=exports[0], format="json-ld")
    assert len(back) == len(case.union)
    assert isomorphic(as_values(back), as_values(case.union))


def test_pyld_reads_the_same_graph_as_the_turtle_export(exports: tuple[bytes, Graph],
                                                        as_values: Callable[[Graph], Graph]) -> None:
    jsonld_text, turtle = exports
    from_pyld = _pyld_graph(json.loads(jsonld_text))
    assert len(from_pyld) == len(turtle) > 5000
    assert isomorphic(as_values(from_pyld), as_values(turtle))


def test_pyld_resolves_the_published_context_offline(exports: tuple[bytes, Graph],
                                                     as_values: Callable[[Graph], Graph]) -> None:
    """A document that refers to the context by its IRI reads the same through the local loader."""
    document = json.loads(exports[0])
    document["@context"] = CONTEXT_IRI
    referenced = _pyld_graph(document)
    assert isomorphic(as_values(referenced), as_values(exports[1]))
    with pytest.raises(Exception, match="Could not expand"):
        _pyld_graph({"@context": "https://example.org/remote.jsonld", "@id": "https://w3id.org/sovkg/id/x",
                     "label": "x"})
    assert REFUSED == ["https://example.org/remote.jsonld"]


def test_a_datatype_outside_the_context_stays_explicit() -> None:
    from rdflib import XSD, Literal

    from sovkg.publish.jsonld_context import to_jsonld

    g = Graph()
    stake = URIRef("https://w3id.org/sovkg/id/stake/x")
    g.add((stake, URIRef("https://w3id.org/sovkg/ns#capitalPercent"), Literal("12", datatype=XSD.integer)))
    document = json.loads(to_jsonld(g))
    assert document["sov:capitalPercent"] == 12, "not the context's xsd:decimal: written with its own type"
    assert set(Graph().parse(data=to_jsonld(g), format="json-ld")) == set(g)
