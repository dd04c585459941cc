"""The endpoint's guard: what it refuses before evaluation, and what it must let through."""

from __future__ import annotations

import pytest

from sovkg.ask.queries import list_queries
from sovkg.publish.serve import example_queries
from sovkg.publish.sparql_guard import QueryRefused, check_query

GRAPHS = {"https://w3id.org/sovkg/graph/inferred"}


@pytest.mark.parametrize("query,status,fragment", [
    ("INSERT DATA { <a:s> <a:p> <a:o> }", 403, "read-only (INSERT)"),
    ("insert { ?s ?p ?o } where { ?s ?p ?o }", 403, "read-only (INSERT)"),
    ("DELETE WHERE { ?s ?p ?o }", 403, "read-only (DELETE)"),
    ("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", 403, "read-only"),
    ("CLEAR ALL", 403, "read-only (CLEAR)"),
    ("DROP GRAPH <a:g>", 403, "read-only (DROP)"),
    ("LOAD <http://127.0.0.1:1/x.ttl>", 403, "LOAD is not allowed"),
    ("load silent <http://127.0.0.1:1/x.ttl> into graph <a:g>", 403, "LOAD is not allowed"),
    ("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", 403, "SERVICE is not allowed"),
    ("SELECT * { service silent ?endpoint { ?s ?p ?o } }", 403, "SERVICE is not allowed"),
    ("PREFIX e: <http://127.0.0.1:1/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }", 403, "(e:sparql)"),
    ("SELECT * { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", 403, "SERVICE is not allowed"),
    ("SELECT * FROM <http://127.0.0.1:1/g> { ?s ?p ?o }", 403, "FROM <http://127.0.0.1:1/g> is not a graph"),
    ("SELECT * FROM NAMED <http://127.0.0.1:1/g> { ?s ?p ?o }", 403, "FROM NAMED <http://127.0.0.1:1/g>"),
    ("PREFIX e: <http://127.0.0.1:1/> SELECT * FROM e:g { ?s ?p ?o }", 403, "FROM <http://127.0.0.1:1/g>"),
    ("BASE <http://127.0.0.1:1/> SELECT * FROM <g> { ?s ?p ?o }", 403, "FROM <http://127.0.0.1:1/g>"),
    ("this is not SPARQL", 400, "malformed query"),
])
def test_refused(query: str, status: int, fragment: str) -> None:
    with pytest.raises(QueryRefused) as refused:
        check_query(query, known_graphs=GRAPHS)
    assert refused.value.status == status
    assert fragment in refused.value.message


@pytest.mark.parametrize("query,form", [
    ('SELECT ?service ?load WHERE { ?s <http://x/service> "LOAD <http://x/>" } # SERVICE <x>', "SELECT"),
    ("PREFIX ex: <http://x/> ASK { ?s ex:insert ex:load }", "ASK"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p 'SERVICE' }", "CONSTRUCT"),
    ('DESCRIBE <http://x/a> # FROM <http://evil/>', "DESCRIBE"),
    ('SELECT * { ?s ?p """multi\nline SERVICE <x> { }""" }', "SELECT"),
    ("SELECT * FROM <https://w3id.org/sovkg/graph/inferred> { ?s ?p ?o }", "SELECT"),
    ('SELECT * { ?s ?p "x"@load }', "SELECT"),
])
def test_allowed(query: str, form: str) -> None:
    assert check_query(query, known_graphs=GRAPHS).form == form


def test_every_competency_question_passes_the_guard() -> None:
    examples = example_queries()
    assert len(examples) == len(list_queries("cq")) > 20
    for example in examples:
        assert check_query(example["query"], known_graphs=GRAPHS).form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
