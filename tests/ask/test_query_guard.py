"""Queries are read before they run: remote access and updates are refused, named graphs are read
from the dataset, and parameters accept the names a user knows (label, local id, CURIE)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from sovkg.ask.entities import resolve_binding, resolve_entity
from sovkg.ask.queries import QuerySpec, result_rows, run_query
from sovkg.ask.query_guard import prepare
from sovkg.core.errors import SovkgInputError, UnknownEntityError
from sovkg.core.namespaces import INFERRED_GRAPH
from sovkg.derive.knowledge_graph import KnowledgeGraph, build

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ROOT / "tests" / "fixtures" / "derive" / "chain.ttl"
SUB = "https://w3id.org/sovkg/id/org/sub"


@pytest.fixture(scope="module")
def chain() -> KnowledgeGraph:
    return build([CHAIN], include_case=False, as_of=dt.date(2026, 11, 29))


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "ASK { OPTIONAL { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
])
def test_service_is_refused_wherever_it_hides(text: str) -> None:
    with pytest.raises(SovkgInputError, match=r"mine\.rq: SERVICE .* would send the query to a remote endpoint"):
        prepare(text, where="mine.rq")
    assert prepare(text, allow_service=True).services


@pytest.mark.parametrize(("text", "kind"), [
    ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD fetches a remote document"),
    ("LOAD SILENT <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:g>", "LOAD fetches a remote document"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA is a SPARQL update"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE is a SPARQL update"),
    ("CLEAR ALL", "CLEAR is a SPARQL update"),
    ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT is a SPARQL update"),
])
def test_updates_are_refused(text: str, kind: str) -> None:
    with pytest.raises(SovkgInputError, match=f"u.rq: {kind}"):
        prepare(text, where="u.rq")


def test_from_must_name_a_graph_of_the_dataset() -> None:
    with pytest.raises(SovkgInputError, match=r"FROM <http://example.org/g> is not a graph of the loaded dataset"):
        prepare("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", graph_names={"urn:other"})
    with pytest.raises(SovkgInputError, match=r"FROM NAMED <http://example.org/g> is not a graph"):
        prepare("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert prepare("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
                   graph_names={"http://example.org/g"}).reads_named_graphs


def test_an_unknown_prefix_is_named() -> None:
    with pytest.raises(SovkgInputError, match=r"q.rq: unknown prefix nope: \(declare it with PREFIX nope:"):
        prepare("SELECT ?s WHERE { ?s nope:name ?n }", where="q.rq")


def test_forms() -> None:
    assert [prepare(t).form for t in ("SELECT * {}", "ASK {}", "CONSTRUCT WHERE { ?s ?p ?o }",
                                      "DESCRIBE <urn:x>")] == ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
    assert not prepare("SELECT * { ?s ?p ?o }").reads_named_graphs


def test_a_graph_query_reads_the_named_graphs_and_the_default_graph_stays_the_union(chain: KnowledgeGraph) -> None:
    graphs = QuerySpec.from_text(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{SUB}> ?p ?o }} }} ORDER BY ?g")
    rows = result_rows(run_query(chain.union, graphs, named_graphs=chain.dataset))
    assert rows == [{"g": CHAIN.as_uri()}, {"g": str(INFERRED_GRAPH)}]
    # the default graph of a query that also reads named graphs is the union of all graphs
    both = QuerySpec.from_text(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ <{SUB}> ?p ?o GRAPH ?g {{ <{SUB}> a ?t }} }}")
    alone = QuerySpec.from_text(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{SUB}> ?p ?o }}")
    types = QuerySpec.from_text(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{SUB}> a ?t }} }}")
    n_both = int(result_rows(run_query(chain.union, both, named_graphs=chain.dataset))[0]["n"] or 0)
    n_alone = int(result_rows(run_query(chain.union, alone))[0]["n"] or 0)
    n_types = int(result_rows(run_query(chain.union, types, named_graphs=chain.dataset))[0]["n"] or 0)
    assert n_alone > 0 and n_types > 0 and n_both == n_alone * n_types
    from_named = QuerySpec.from_text(
        f"SELECT DISTINCT ?o FROM <{INFERRED_GRAPH}> WHERE {{ <{SUB}> <https://w3id.org/sovkg/ns#controlledBy> ?o }} ORDER BY ?o")
    assert result_rows(run_query(chain.union, from_named, named_graphs=chain.dataset)) == [
        {"o": "https://w3id.org/sovkg/id/org/holding"}, {"o": "https://w3id.org/sovkg/id/org/parent"}]


def test_a_graph_query_on_a_plain_graph_is_an_input_error() -> None:
    spec = QuerySpec.from_text("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", name="graphs")
    with pytest.raises(SovkgInputError, match=r"graphs\.rq: GRAPH and FROM read named graphs"):
        run_query(Graph(), spec)
    assert result_rows(run_query(Dataset(), spec)) == []


def test_entities_are_found_by_local_id_path_curie_and_label(chain: KnowledgeGraph) -> None:
    for name in ("sub", "org/sub", "kg:org/sub", f"<{SUB}>", "Sub Ltd", "sub ltd"):
        assert resolve_entity(chain.union, name) == URIRef(SUB), name
        assert resolve_binding(chain.union, name) == URIRef(SUB), name
    with pytest.raises(UnknownEntityError, match="'Nobody At All': no such entity"):
        resolve_binding(chain.union, "Nobody At All")


def test_a_local_id_shared_by_two_entities_names_both() -> None:
    graph = Graph().parse(format="turtle", data="""
        @prefix kg: <https://w3id.org/sovkg/id/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        kg:org\\/acme a kg:T ; rdfs:label "Acme SA" . kg:system\\/acme a kg:T ; rdfs:label "Acme records" .
    """)
    with pytest.raises(UnknownEntityError, match="'acme' names several entities: kg:org/acme, kg:system/acme"):
        resolve_entity(graph, "acme")
