"""``sovkg query`` as a SPARQL user runs it: named graphs, RDF answers, booleans, parameters by
name, no network unless allowed, and a time limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parents[1]
CHAIN = ROOT / "tests/fixtures/derive/chain.ttl"
FIXTURE = ["--no-case", "--data", str(CHAIN), "--at", "2026-11-29"]
KG = "https://w3id.org/sovkg/id/"
SOV = "https://w3id.org/sovkg/ns#"


def sovkg(*args: str, tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if tmp is not None:
        env["SOVKG_CACHE_DIR"] = str(tmp / "cache")
    return subprocess.run([sys.executable, "-m", "sovkg", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=600, check=False, stdin=subprocess.DEVNULL)


def query_file(tmp_path: Path, text: str, name: str = "q.rq") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_graph_query_lists_the_named_graphs(tmp_path: Path) -> None:
    q = query_file(tmp_path, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{KG}org/sub> ?p ?o }} }} ORDER BY ?g")
    run = sovkg("query", q, "--format", "csv", *FIXTURE)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"g\n{CHAIN.as_uri()}\nhttps://w3id.org/sovkg/graph/inferred\n"


CONTROLS = {(f"{KG}org/parent", f"{KG}org/holding"), (f"{KG}org/parent", f"{KG}org/sub"),
            (f"{KG}org/holding", f"{KG}org/sub")}


@pytest.mark.parametrize(("fmt", "parser"), [(None, "turtle"), ("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_construct_prints_rdf(tmp_path: Path, fmt: str | None, parser: str) -> None:
    q = query_file(tmp_path, "CONSTRUCT { ?a sov:controls ?b } WHERE { ?a sov:controls ?b }")
    run = sovkg("query", q, *(["--format", fmt] if fmt else []), *FIXTURE)
    assert run.returncode == 0, run.stderr
    graph = Graph().parse(data=run.stdout, format=parser)
    expected = Graph()
    for a, b in CONTROLS:
        expected.add((URIRef(a), URIRef(SOV + "controls"), URIRef(b)))
    assert isomorphic(graph, expected), run.stdout


def test_describe_prints_the_resource(tmp_path: Path) -> None:
    q = query_file(tmp_path, f"DESCRIBE <{KG}org/sub>")
    run = sovkg("query", q, "--format", "nt", *FIXTURE)
    assert run.returncode == 0, run.stderr
    graph = Graph().parse(data=run.stdout, format="nt")
    assert str(graph.value(URIRef(f"{KG}org/sub"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == "Sub Ltd"
    assert set(graph.subjects()) == {URIRef(f"{KG}org/sub")}


@pytest.mark.parametrize(("fmt", "expected"), [("table", "true\n"), ("csv", "true\n"), (None, "true\n")])
def test_ask_prints_true_or_false(tmp_path: Path, fmt: str | None, expected: str) -> None:
    q = query_file(tmp_path, f"ASK {{ <{KG}org/parent> sov:controls <{KG}org/sub> }}")
    run = sovkg("query", q, *(["--format", fmt] if fmt else []), *FIXTURE)
    assert (run.returncode, run.stdout) == (0, expected), run.stderr


def test_ask_false_and_sparql_json(tmp_path: Path) -> None:
    q = query_file(tmp_path, f"ASK {{ <{KG}org/sub> sov:controls <{KG}org/parent> }}")
    run = sovkg("query", q, "--format", "json", *FIXTURE)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"head": {}, "boolean": False}
    run = sovkg("query", q, *FIXTURE)
    assert run.stdout == "false\n"


def test_a_parameter_takes_a_local_id_a_path_a_curie_or_a_label() -> None:
    outputs = set()
    for value in ("sub", "org/sub", "kg:org/sub", "Sub Ltd"):
        run = sovkg("query", "CQ02", "--format", "csv", "--param", f"provider={value}", *FIXTURE)
        assert run.returncode == 0, run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1
    (output,) = outputs
    assert output.count("\n") == 3 and f"{KG}org/sub,Sub Ltd" in output


def test_table_counts_rows_in_good_english() -> None:
    run = sovkg("query", "CQ24", "--param", "country=France", *FIXTURE)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().endswith("(1 row)")


class _Endpoint(BaseHTTPRequestHandler):
    """A SPARQL endpoint that answers one row, and counts the requests it gets."""

    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = json.dumps({"head": {"vars": ["o"]},
                           "results": {"bindings": [{"o": {"type": "literal", "value": "from the listener"}}]}})
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def endpoint():
    _Endpoint.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_service_never_reaches_the_network_unless_allowed(tmp_path: Path, endpoint: str) -> None:
    q = query_file(tmp_path, f"SELECT ?s ?o WHERE {{ ?s rdfs:label ?l . SERVICE <{endpoint}> {{ ?s ?p ?o }} }}")
    run = sovkg("query", q, *FIXTURE)
    assert run.returncode == 2
    assert f"{q}: SERVICE <{endpoint}> would send the query to a remote endpoint: refused" in run.stderr
    assert run.stdout == ""
    assert _Endpoint.requests == []
    # the listener does answer: with --allow-remote the same query reaches it
    allowed = sovkg("query", q, "--format", "csv", "--allow-remote", *FIXTURE)
    assert allowed.returncode == 0, allowed.stderr
    assert _Endpoint.requests and "from the listener" in allowed.stdout


def test_a_cartesian_product_ends_at_the_time_limit(tmp_path: Path) -> None:
    q = query_file(tmp_path, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", "cart.rq")
    run = sovkg("query", q, "--no-case", "--timeout", "0.5")
    assert run.returncode == 2
    assert "query cart did not finish within 0.5 s: stopped (--timeout 0.5)" in run.stderr
    assert run.stdout == "" and "Traceback" not in run.stderr
