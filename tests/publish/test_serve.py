"""``sovkg serve`` answered by real clients: SPARQLWrapper, rdflib's SPARQLStore, curl, Chromium.

One server (a ``sovkg serve`` subprocess on a free loopback port, bundled case as of 2026-11-29,
3 s time limit, 5,000-row cap, 8 KiB request limit) serves the whole module. Security tests check
that each forbidden request is refused with a clear message, that a listener standing in for a
remote server sees no connection, and that the server still answers afterwards.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

ROOT = Path(__file__).resolve().parents[2]
KG = Namespace("https://w3id.org/sovkg/id/")
SOV = Namespace("https://w3id.org/sovkg/ns#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
MICROSOFT = KG["org/microsoft-corporation"]
LABEL_QUERY = f"SELECT ?label WHERE {{ <{MICROSOFT}> <{RDFS.label}> ?label }}"
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


class Listener:
    """A TCP listener standing in for a remote server: it records every connection it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


@contextlib.contextmanager
def _running(*options: str) -> Iterator[str]:
    """A ``sovkg serve`` subprocess (bundled case as of 2026-11-29, the module's limits) with ``options``."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sovkg", "serve", "--port", str(port), "--at", "2026-11-29",
         "--timeout", str(TIMEOUT), "--max-rows", "5000", "--max-request-bytes", "8192", "--workers", "2", *options],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"sovkg serve exited: {process.stderr.read().decode() if process.stderr else ''}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            if response.status == 200:
                break
        time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("sovkg serve did not start")
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The Oxigraph-backed server (the default engine)."""
    with _running() as url:
        yield url


@pytest.fixture(scope="module")
def rdflib_server() -> Iterator[str]:
    """The rdflib-backed server (``--engine rdflib``), same data and limits."""
    with _running("--engine", "rdflib") as url:
        yield url


@pytest.fixture
def listener() -> Iterator[Listener]:
    item = Listener()
    yield item
    item.close()


def _get(url: str, headers: dict[str, str] | None = None, data: bytes | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _query(server: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
    status, _, body = _get(f"{server}/sparql?" + urllib.parse.urlencode({"query": query}), {"Accept": accept})
    return status, body


def _still_up(server: str) -> None:
    status, body = _query(server, LABEL_QUERY)
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"][0]["label"]["value"] == "Microsoft Corporation"


# ------------------------------------------------------------------------------------- clients


def test_sparqlwrapper_select_in_json_and_xml(server: str) -> None:
    from SPARQLWrapper import JSON, POST, XML, SPARQLWrapper

    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(LABEL_QUERY)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [(r["label"]["value"], r["label"].get("xml:lang")) for r in rows] == [("Microsoft Corporation", "en")]
    client.setMethod(POST)
    client.setReturnFormat(XML)
    document = client.query().convert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == ["Microsoft Corporation"]


def test_sparqlwrapper_construct_as_turtle_and_jsonld(server: str) -> None:
    from SPARQLWrapper import JSONLD, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(f"CONSTRUCT {{ <{MICROSOFT}> <{RDFS.label}> ?l }} WHERE {{ <{MICROSOFT}> <{RDFS.label}> ?l }}")
    client.setReturnFormat(TURTLE)
    turtle = Graph().parse(data=client.query().convert(), format="turtle")
    client.setReturnFormat(JSONLD)
    jsonld = client.query().convert()
    expected = {(MICROSOFT, RDFS.label, Literal("Microsoft Corporation", lang="en"))}
    assert set(turtle) == expected
    assert set(jsonld) == expected


def test_rdflib_sparqlstore(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{server}/sparql", returnFormat="json")
    graph = Graph(store=store)
    rows = list(graph.query(f"ASK {{ <{MICROSOFT}> a <{SOV.Company}> }}"))
    assert rows == [True]
    labels = {str(row.label) for row in graph.query(LABEL_QUERY)}
    assert labels == {"Microsoft Corporation"}


SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/n-quads": "nquads", "application/trig": "trig", "application/rdf+xml": "xml"}


def _curl(*args: str) -> tuple[str, bytes]:
    result = subprocess.run(["curl", "-s", "-S", "-w", "\n%{http_code} %{content_type}", *args],
                            capture_output=True, timeout=60, check=True)
    body, _, trailer = result.stdout.rpartition(b"\n")
    return trailer.decode(), body


@pytest.mark.parametrize("accept", sorted(SELECT_TYPES))
def test_curl_select_with_each_accept_type(server: str, accept: str) -> None:
    query = f"SELECT ?s WHERE {{ ?s <{SOV.boundEntity}> <{MICROSOFT}> ; <{SOV.applicableLaw}> <{KG['law/us-cloud-act']}> ; a <{SOV.Applicability}> }}"
    trailer, body = _curl("-H", f"Accept: {accept}", "--data-urlencode", f"query={query}", f"{server}/sparql")
    assert trailer.startswith("200 " + accept), trailer
    result = Result.parse(io.BytesIO(body), format=SELECT_TYPES[accept])
    assert {str(row[0]) for row in result} == {
        "https://w3id.org/sovkg/id/derived/applicability/org/microsoft-corporation/law/us-cloud-act/ReachByEstablishment"
    }


@pytest.mark.parametrize("accept", sorted(GRAPH_TYPES))
def test_curl_construct_with_each_accept_type(server: str, accept: str) -> None:
    query = f"CONSTRUCT {{ <{MICROSOFT}> a ?t }} WHERE {{ <{MICROSOFT}> a ?t }}"
    trailer, body = _curl("-H", f"Accept: {accept}", "--get", "--data-urlencode", f"query={query}", f"{server}/sparql")
    assert trailer.startswith("200 " + accept), trailer
    if GRAPH_TYPES[accept] in ("nquads", "trig"):
        from rdflib import Dataset

        graph: Graph = Dataset()
        graph.parse(data=body, format=GRAPH_TYPES[accept])
        triples = {(s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))}
    else:
        triples = set(Graph().parse(data=body, format=GRAPH_TYPES[accept]))
    assert (MICROSOFT, RDF.type, SOV.Company) in triples
    assert all(s == MICROSOFT and p == RDF.type for s, p, _ in triples)


def test_format_parameter_overrides_accept(server: str) -> None:
    status, headers, body = _get(f"{server}/sparql?" + urllib.parse.urlencode({"query": LABEL_QUERY, "format": "csv"}),
                                 {"Accept": "application/sparql-results+xml"})
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body == b"label\r\nMicrosoft Corporation\r\n"


def test_post_direct_query(server: str) -> None:
    status, _, body = _get(f"{server}/sparql", {"Content-Type": "application/sparql-query",
                                                      "Accept": "text/tab-separated-values"}, LABEL_QUERY.encode())
    assert status == 200
    assert body == b'?label\n"Microsoft Corporation"@en\n'


def test_service_description_in_turtle(server: str) -> None:
    status, headers, body = _get(f"{server}/sparql", {"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    service = URIRef(f"{server}/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph


def test_cors_preflight_and_header(server: str) -> None:
    status, headers, _ = _get(f"{server}/sparql", {"Origin": "https://example.org",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"}, method="OPTIONS")
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    _, headers, _ = _get(f"{server}/sparql?" + urllib.parse.urlencode({"query": LABEL_QUERY}),
                         {"Origin": "https://example.org"})
    assert headers["access-control-allow-origin"] == "*"


def test_every_competency_question_runs_on_the_endpoint(server: str) -> None:
    from sovkg.ask.queries import list_queries
    from sovkg.publish.serve import example_queries

    examples = example_queries()
    assert [e["name"] for e in examples] == [q.code for q in list_queries("cq")]
    assert len(examples) >= 27
    for example in examples:
        status, body = _query(server, example["query"])
        assert status == 200, (example["name"], body[:300])


def test_cq01_on_the_endpoint_equals_the_query_layer(server: str, case_store: object) -> None:
    from sovkg.ask.queries import example_bindings, find_query, result_rows, run_query_oxigraph
    from sovkg.publish.serve import example_queries

    spec = find_query("CQ01")
    expected = result_rows(run_query_oxigraph(case_store, spec, example_bindings(spec)))
    status, body = _query(server, example_queries()[0]["query"])
    got = json.loads(body)["results"]["bindings"]
    assert status == 200
    assert len(got) == len(expected) > 0
    assert {b["system"]["value"] for b in got} == {row["system"] for row in expected}


def test_rdflib_backend_answers_like_the_oxigraph_backend(server: str, rdflib_server: str) -> None:
    """``--engine rdflib``: the same protocol answers (SPARQLWrapper SELECT and CONSTRUCT on CQ01), the same guard."""
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    from sovkg.publish.serve import example_queries

    _, _, health = _get(f"{rdflib_server}/health")
    assert json.loads(health)["engine"] == "rdflib"
    cq01 = example_queries()[0]["query"]
    answers = []
    for url in (server, rdflib_server):
        client = SPARQLWrapper(f"{url}/sparql")
        client.setMethod(POST)
        client.setQuery(cq01)
        client.setReturnFormat(JSON)
        result = client.query().convert()
        answers.append((result["head"]["vars"], sorted(json.dumps(b, sort_keys=True) for b in result["results"]["bindings"])))
    assert answers[0] == answers[1] and len(answers[0][1]) > 0
    construct = f"""CONSTRUCT {{ ?finding <{SOV.exposedSystem}> ?system ; <{SOV.applicableLaw}> ?law ; <{SOV.level}> ?level }}
        WHERE {{ ?finding a <{SOV.ExposureFinding}> ; <{SOV.exposedSystem}> ?system ; <{SOV.applicableLaw}> ?law ;
                 <{SOV.level}> ?level ; <{SOV.boundEntity}> <{MICROSOFT}> }}"""
    graphs = []
    for url in (server, rdflib_server):
        client = SPARQLWrapper(f"{url}/sparql")
        client.setQuery(construct)
        client.setReturnFormat(TURTLE)
        graphs.append(Graph().parse(data=client.query().convert(), format="turtle"))
    assert isomorphic(graphs[0], graphs[1]) and len(set(graphs[0].subjects())) == 10
    for query, status, words in ((f"INSERT DATA {{ <{MICROSOFT}> <{RDFS.label}> \"x\" }}", 403, b"updates are not allowed"),
                                 ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 403, b"SERVICE is not allowed"),
                                 ("SELECT * { ?s ?p ?o }", 400, b"more than 5000 rows"),
                                 (FOREVER, 503, b"time limit of 3 s")):
        got = _query(rdflib_server, query)
        assert got == _query(server, query) and got[0] == status and words in got[1]
    _still_up(rdflib_server)


@pytest.mark.slow
def test_short_load_on_both_backends(tmp_path: Path) -> None:
    """bench/bench_serve.py, briefly: 2 clients for 2 s on each backend, every request answered."""
    out = tmp_path / "serve.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_serve.py"), "--clients", "2", "--seconds", "2",
                          "--json", str(out)], cwd=ROOT, env=_env(), capture_output=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout.decode()[-2000:] + run.stderr.decode()[-2000:]
    results = json.loads(out.read_text())["results"]
    assert [r["backend"] for r in results] == ["oxigraph", "rdflib"]
    assert all(r["errors"] == 0 and r["requests"] > 0 and r["peak_rss_server_mib"] > 0 for r in results)
    assert "| ratio rdflib ÷ oxigraph |" in run.stdout.decode()


# ------------------------------------------------------------------------------------ security


def test_update_is_refused(server: str) -> None:
    status, body = _query(server, f"INSERT DATA {{ <{MICROSOFT}> <{RDFS.label}> \"x\" }}")
    assert status == 403 and b"updates are not allowed" in body
    status, _, body = _get(f"{server}/sparql", {"Content-Type": "application/x-www-form-urlencoded"},
                           urllib.parse.urlencode({"update": "CLEAR ALL"}).encode())
    assert status == 403 and b"read-only" in body
    _still_up(server)


def test_service_is_refused_and_nothing_is_called(server: str, listener: Listener) -> None:
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    status, body = _query(server, query)
    assert status == 403 and b"SERVICE is not allowed" in body
    status, body = _query(server, f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}")
    assert status == 403
    time.sleep(0.5)
    assert listener.connections == 0
    _still_up(server)


def test_load_is_refused_and_nothing_is_fetched(server: str, listener: Listener) -> None:
    status, _, body = _get(f"{server}/sparql", {"Content-Type": "application/sparql-query"},
                           f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>".encode())
    assert status == 403 and b"LOAD is not allowed" in body
    time.sleep(0.5)
    assert listener.connections == 0
    _still_up(server)


def test_remote_from_is_refused_and_local_from_works(server: str, listener: Listener) -> None:
    status, body = _query(server, f"SELECT * FROM <http://127.0.0.1:{listener.port}/g> WHERE {{ ?s ?p ?o }}")
    assert status == 403 and b"is not a graph of this dataset" in body
    status, body = _query(server, f"SELECT * FROM NAMED <http://127.0.0.1:{listener.port}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert status == 403
    status, _, body = _get(f"{server}/sparql?" + urllib.parse.urlencode(
        {"query": "ASK { ?s ?p ?o }", "default-graph-uri": f"http://127.0.0.1:{listener.port}/g"}))
    assert status == 403
    time.sleep(0.5)
    assert listener.connections == 0
    status, body = _query(server, "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/sovkg/graph/data/case/systems.ttl> "
                                  f"WHERE {{ ?s a <{SOV.InformationSystem}> }}")
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0


def test_runaway_query_is_stopped_and_others_are_not_blocked(server: str) -> None:
    """A four-way cartesian product (9,000⁴ rows) runs in one worker; the other answers meanwhile."""
    outcome: dict[str, object] = {}

    def runaway() -> None:
        outcome["runaway"] = _query(server, FOREVER)
        outcome["runaway_done_at"] = time.monotonic()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    status, _ = _query(server, LABEL_QUERY)
    quick_done_at = time.monotonic()
    thread.join(60)
    status_runaway, body = outcome["runaway"]  # type: ignore[misc]
    assert status == 200
    assert quick_done_at < outcome["runaway_done_at"]  # type: ignore[operator]
    assert status_runaway == 503
    assert f"time limit of {TIMEOUT} s".encode() in body
    _still_up(server)
    _, _, health = _get(f"{server}/health")
    assert json.loads(health)["killed_workers"] >= 1


def test_result_cap(server: str) -> None:
    status, body = _query(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 400 and b"more than 5000 rows" in body
    status, body = _query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 5000")
    assert status == 200
    _still_up(server)


def test_oversized_request_is_refused(server: str) -> None:
    big = LABEL_QUERY + " #" + "x" * 20_000
    status, _, body = _get(f"{server}/sparql", {"Content-Type": "application/sparql-query"}, big.encode())
    assert status == 413 and b"limit of 8192 bytes" in body
    status, _, body = _get(f"{server}/sparql?" + urllib.parse.urlencode({"query": LABEL_QUERY + " #" + "x" * 9000}))
    assert status in (413, 414, 431, 400)
    _still_up(server)


def test_malformed_query(server: str) -> None:
    status, body = _query(server, "SELECT WHERE {")
    assert status == 400 and body.startswith(b"malformed query")


@pytest.mark.parametrize("name,content,message", [
    ("remote-context.jsonld",
     '{{"@context": "http://127.0.0.1:{port}/context.jsonld", "@id": "https://w3id.org/sovkg/id/org/x", "label": "X"}}',
     "remote JSON-LD @context is never fetched"),
    ("external-entity.rdf",
     '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "http://127.0.0.1:{port}/secret"> ]>\n'
     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
     'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
     '<rdf:Description rdf:about="https://w3id.org/sovkg/id/org/x"><rdfs:label>&ext;</rdfs:label>'
     "</rdf:Description>\n</rdf:RDF>\n",
     "refers to an external file or address, which sovkg never reads"),
])
def test_data_that_asks_for_the_network_is_refused(tmp_path: Path, listener: Listener, name: str, content: str,
                                                    message: str) -> None:
    path = tmp_path / name
    path.write_text(content.format(port=listener.port), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sovkg", "serve", "--no-case", "--data", str(path),
                             "--port", str(_free_port())], cwd=ROOT, env=_env(), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert f"{path}" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    time.sleep(0.3)
    assert listener.connections == 0


# --------------------------------------------------------------------------------- linked data


def test_entity_dereferences_by_content_negotiation(server: str, as_values: Callable[[Graph], Graph]) -> None:
    path = f"{server}/id/org/microsoft-corporation"
    status, headers, turtle = _get(path, {"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle") and "Accept" in headers["vary"]
    graph = Graph().parse(data=turtle, format="turtle")
    assert (MICROSOFT, RDFS.label, Literal("Microsoft Corporation", lang="en")) in graph
    assert set(graph.subjects(SOV.holder, MICROSOFT)), "incoming links: the stakes Microsoft holds"
    assert set(graph.subjects(SOV.boundEntity, MICROSOFT)) & set(graph.subjects(RDF.type, SOV.ExposureFinding))
    stakes = set(graph.subjects(SOV.holder, MICROSOFT))
    assert any(graph.value(stake, SOV.source) is not None for stake in stakes), "the stakes' sources come along"
    _, _, jsonld = _get(path, {"Accept": "application/ld+json"})
    _, _, ntriples = _get(path, {"Accept": "application/n-triples"})
    # rdflib's Turtle writer spells decimals its own way ("0" becomes 0.0): compare values
    assert isomorphic(as_values(Graph().parse(data=jsonld, format="json-ld")), as_values(graph))
    assert isomorphic(as_values(Graph().parse(data=ntriples, format="nt")), as_values(graph))
    status, headers, page = _get(path, {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headers["vary"].startswith("Accept, Accept-Language") and headers["content-language"] == "en"
    text = page.decode("utf-8")
    assert "<h1>Microsoft Corporation</h1>" in text and "<h2>Exposure findings (10)</h2>" in text
    for section in ("validity", "findings", "sources", "outgoing", "related", "incoming"):
        assert f'<section id="{section}">' in text


def _entity_page_as_served(case: object, iri: str, lang: str, suffix: str) -> str:
    """What the static site's renderer writes for ``iri`` with the server's links, formats and navigation."""
    from sovkg.core.i18n import message
    from sovkg.publish.pages import Alternate, NavLink, entity_page

    base = "https://w3id.org/sovkg/"

    def href(target: str) -> str:
        if not target.startswith(base):
            return target
        where, hash_, fragment = ("/" + target[len(base):]).partition("#")
        return where + suffix + hash_ + fragment

    alternates = [Alternate("Turtle", "text/turtle", "?format=turtle"),
                  Alternate("JSON-LD", "application/ld+json", "?format=jsonld"),
                  Alternate("N-Triples", "application/n-triples", "?format=ntriples")]
    nav = [NavLink(message("sparql_endpoint", lang), "/sparql"),
           NavLink(message("dataset_description", lang), "/.well-known/void")]
    return entity_page(case, iri, lang, href=href, alternates=alternates, home="/", nav=nav)


def test_entity_page_is_the_static_sites_in_the_language_asked(server: str, case: object) -> None:
    """One renderer: the server's page is byte for byte the static site's, in ?lang, else Accept-Language."""
    path = f"{server}/id/org/microsoft-corporation"
    html_accept = "text/html"
    status, headers, page = _get(path + "?lang=fr", {"Accept": html_accept, "Accept-Language": "en"})
    assert status == 200 and headers["content-language"] == "fr"
    assert page.decode("utf-8") == _entity_page_as_served(case, str(MICROSOFT), "fr", "?lang=fr")
    text = page.decode("utf-8")
    assert '<html lang="fr">' in text and "<h2>Constats d’exposition (10)</h2>" in text
    assert 'href="/id/law/us-cloud-act?lang=fr"' in text, "links keep the language asked for"
    status, headers, page = _get(path, {"Accept": html_accept, "Accept-Language": "de-DE, fr;q=0.8, en;q=0.5"})
    assert status == 200 and headers["content-language"] == "fr"
    assert page.decode("utf-8") == _entity_page_as_served(case, str(MICROSOFT), "fr", "")
    status, headers, page = _get(path, {"Accept": html_accept, "Accept-Language": "de"})
    assert status == 200 and headers["content-language"] == "en"  # the server's --lang (default: en)
    assert page.decode("utf-8") == _entity_page_as_served(case, str(MICROSOFT), "en", "")
    status, _, body = _get(path + "?lang=de", {"Accept": html_accept})
    assert status == 400 and body == b"lang='de': choose one of en, fr\n"
    status, _, page = _get(f"{server}/graph/inferred?lang=en", {"Accept": html_accept})
    _, total = _query(server, "SELECT (COUNT(*) AS ?n) { GRAPH <https://w3id.org/sovkg/graph/inferred> { ?s ?p ?o } }")
    count = json.loads(total)["results"]["bindings"][0]["n"]["value"]
    assert status == 200 and f"This named graph holds {count} triples.".encode() in page


def test_ontology_documentation_is_served(server: str) -> None:
    from sovkg.publish.ontology_docs import ontology_digest

    expected = (ROOT / "docs" / "ontology" / "index.html").read_bytes()
    for path in ("/ontology", "/ns"):
        status, headers, page = _get(f"{server}{path}", {"Accept": "text/html"})
        assert status == 200 and headers["content-type"].startswith("text/html") and page == expected
    assert f'content="{ontology_digest()}"'.encode() in expected


def test_vocabulary_and_unknown_iri(server: str) -> None:
    status, _, body = _get(f"{server}/ns", {"Accept": "text/turtle"})
    graph = Graph().parse(data=body, format="turtle")
    assert status == 200 and (SOV.ExposureFinding, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph
    status, _, _ = _get(f"{server}/id/org/no-such-organisation", {"Accept": "text/turtle"})
    assert status == 404
    status, _, body = _get(f"{server}/graph/inferred?format=ntriples")
    inferred = Graph().parse(data=body, format="nt")
    count = inferred.value(URIRef("https://w3id.org/sovkg/graph/inferred"), URIRef("http://rdfs.org/ns/void#triples"))
    _, total = _query(server, "SELECT (COUNT(*) AS ?n) { GRAPH <https://w3id.org/sovkg/graph/inferred> { ?s ?p ?o } }")
    assert status == 200 and int(count) == int(json.loads(total)["results"]["bindings"][0]["n"]["value"]) > 100


def test_void_description(server: str) -> None:
    from rdflib import DCTERMS, VOID

    status, _, body = _get(f"{server}/.well-known/void", {"Accept": "text/turtle"})
    graph = Graph().parse(data=body, format="turtle")
    dataset = URIRef("https://w3id.org/sovkg/dataset")
    _, count = _query(server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert status == 200
    assert int(graph.value(dataset, VOID.triples)) == int(json.loads(count)["results"]["bindings"][0]["n"]["value"])
    assert graph.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert URIRef("https://w3id.org/sovkg/ns#") in set(graph.objects(dataset, VOID.vocabulary))
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{server}/sparql")
    assert str(graph.value(dataset, DCTERMS.temporal)) == "2026-11-29"
    from rdflib import PROV

    activity = graph.value(dataset, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in graph and graph.value(activity, PROV.endedAtTime) is not None


# ------------------------------------------------------------------------------------- browser


@pytest.mark.slow
@pytest.mark.parametrize("page,name", [("/?run=CQ16", "query-page.png"), ("/id/org/microsoft-corporation", "entity-page.png"),
                                       ("/id/org/microsoft-corporation?lang=fr", "entity-page-fr.png")])
def test_chromium_renders_pages(server: str, tmp_path: Path, page: str, name: str) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Debian's chromium is needed (apt-get install -y chromium; .ci/run installs it)")
    shot = tmp_path / name
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=8000", f"--screenshot={shot}", "--window-size=1280,900", f"{server}{page}"],
        capture_output=True, timeout=120, check=False,
    )
    assert shot.exists() and shot.stat().st_size > 10_000
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=8000", "--dump-dom", f"{server}{page}"],
        capture_output=True, timeout=120, check=False, text=True,
    ).stdout
    if page.startswith("/?"):
        assert "CodeMirror" in dom and "CQ27" in dom, "YASGUI started and the example buttons were added"
        assert "Health Data Hub" in dom, "CQ16 ran and its results table shows the Health Data Hub row"
    else:
        assert "<h1>Microsoft Corporation</h1>" in dom and "<svg" in dom
        french = page.endswith("lang=fr")
        assert ("<h2>Constats d’exposition (10)</h2>" if french else "<h2>Exposure findings (10)</h2>") in dom
    keep = os.environ.get("SOVKG_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / name)


# ------------------------------------------------------------------------------- on-disk store


def test_serve_an_on_disk_store_read_only(tmp_path: Path, case: object) -> None:
    """``--store PATH`` serves an existing Oxigraph store without building anything, read-only; its entity
    pages are rendered from the graph the store holds, in the server's ``--lang``."""
    import pyoxigraph as ox

    from sovkg.store.oxigraph import to_oxigraph

    folder = tmp_path / "store"
    store = to_oxigraph(case.dataset, ox.Store(str(folder)))  # type: ignore[attr-defined]
    expected = len(store)
    store.flush()
    del store
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "sovkg", "serve", "--store", str(folder), "--port", str(port),
                                "--lang", "fr"], cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/health", timeout=1):
                break
            time.sleep(0.2)
        status, body = _query(url, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == expected
        _still_up(url)
        status, headers, page = _get(f"{url}/id/org/microsoft-corporation", {"Accept": "text/html"})
        assert status == 200 and headers["content-language"] == "fr"  # --lang fr, the request naming none
        assert "<h1>Microsoft Corporation</h1>" in page.decode() and "<h2>Constats d’exposition (10)</h2>" in page.decode()
        status, body = _query(url, f"INSERT DATA {{ <{MICROSOFT}> <{RDFS.label}> \"x\" }}")
        assert status == 403
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize("options,words", [
    (["--store", "STORE", "--at", "2020-01-01"], "--data, --no-case, --scenario and --at do not apply to --store"),
    (["--store", "STORE", "--data", "x.ttl"], "--data, --no-case, --scenario and --at do not apply to --store"),
    (["--endpoint", "http://127.0.0.1:9/sparql"], "--endpoint does not apply to serve"),
    (["--lang", "de"], "invalid choice: 'de'"),
])
def test_serve_refuses_options_it_would_ignore(tmp_path: Path, options: list[str], words: str) -> None:
    """Exit 2 with a message, before anything is built or served, rather than a server answering another question."""
    args = [str(tmp_path) if option == "STORE" else option for option in options]
    run = subprocess.run([sys.executable, "-m", "sovkg", "serve", "--port", str(_free_port()), *args],
                         cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 2 and words in run.stderr, run.stderr
