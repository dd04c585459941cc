"""Open, fill and query the Oxigraph store the store engine runs on.

Takes quads (from :mod:`sovkg.load`, converted by :mod:`sovkg.store.oxigraph`) or a SPARQL 1.1
Protocol endpoint; gives a :class:`SparqlStore`: one interface (``select``, ``construct``, ``add``)
over a local store, in memory or on disk, and a read-only remote endpoint. Every query reads the
union of all named graphs as its default graph (the graph sovkg loads keeps one named graph per
source file, plus ``…/graph/inferred`` for what derivation adds).

A derived store is kept on disk under the cache folder, keyed on its inputs
(:func:`cached_store_path`), so that a later run on unchanged inputs reopens it instead of loading and
deriving again.

>>> store = open_store()
>>> store.add([(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x"))], "urn:g")
1
>>> [row["o"].value for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]
['x']
>>> len(store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
1
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from sovkg.core.cache import cache_dir
from sovkg.core.errors import SovkgInputError

__all__ = [
    "EndpointStore",
    "LocalStore",
    "SparqlStore",
    "cached_store_path",
    "open_cached_store",
    "open_existing_store",
    "open_store",
    "save_store",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
TripleTerms = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, Term]



_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CHUNK = 200_000
"""How many triples :meth:`LocalStore.add` writes at a time."""


class SparqlStore(Protocol):
    """What the engine needs from a store: SELECT and CONSTRUCT over the union of the graphs."""

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[dict[str, Term]]:
        """The solutions of a SELECT query, each a mapping from variable name to term (unbound left out)."""
        ...

    def construct(self, query: str) -> list[TripleTerms]:
        """The triples of a CONSTRUCT query."""
        ...


class LocalStore:
    """An Oxigraph store (in memory, or a RocksDB folder on disk)."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self.store = store
        self.path = path
        self.journal: set[Any] | None = None
        """When a set: :meth:`add` records in it the predicate of each triple it adds (the class, for a type)."""

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[dict[str, Term]]:
        """Run a SELECT over the union of the graphs."""
        subs: dict[ox.Variable, Any] = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        result = self.store.query(query, use_default_graph_as_union=True, substitutions=subs or None)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{name: value for name, value in zip(names, solution, strict=True) if value is not None}
                for solution in result]

    def construct(self, query: str) -> list[TripleTerms]:
        """Run a CONSTRUCT over the union of the graphs."""
        return list(self.iter_construct(query))

    def iter_construct(self, query: str) -> Iterator[TripleTerms]:
        """Run a CONSTRUCT over the union of the graphs, its triples as they come (the query reads a snapshot of
        the store, so what is added meanwhile, by :meth:`add` say, is not read)."""
        result = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryTriples)
        return ((t.subject, t.predicate, t.object) for t in result)  # type: ignore[misc]

    def add(self, triples: Iterable[TripleTerms], graph: str) -> int:
        """Add triples to a named graph (bulk, no transaction, :data:`CHUNK` at a time so that memory stays
        bounded whatever their number); return how many were given."""
        name = ox.NamedNode(graph)
        given = iter(triples)
        count = 0
        while chunk := list(islice(given, CHUNK)):
            self.store.bulk_extend(ox.Quad(s, p, o, name) for s, p, o in chunk)  # no list of quads beside
            if self.journal is not None:  # read from the triples: a quad's terms are new objects at each access
                self.journal.update(o if p == _RDF_TYPE else p for _, p, o in chunk)
            count += len(chunk)
        return count

    def ask(self, query: str) -> bool:
        """Run an ASK over the union of the graphs."""
        result = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryBoolean)
        return bool(result)

    def count(self, graph: str) -> int:
        """The number of triples in one named graph."""
        rows = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(iter(rows))["n"].value)  # type: ignore[union-attr]

    def clear_graph(self, graph: str) -> None:
        """Empty one named graph."""
        self.store.clear_graph(ox.NamedNode(graph))

    def __len__(self) -> int:
        return len(self.store)


class EndpointStore:
    """A read-only SPARQL 1.1 Protocol endpoint (QLever, Virtuoso, GraphDB, Fuseki, ``oxigraph serve``…).

    Queries are sent with HTTP POST (``application/sparql-query``); the endpoint is expected to
    answer over the union of its graphs (Oxigraph's server does with ``?union-default-graph``, added
    here when the URL has no query string; most other stores do by default). Network is used only
    when the user names an endpoint.
    """

    def __init__(self, url: str, *, timeout: float = 120.0) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise SovkgInputError(f"--endpoint {url!r}: an http:// or https:// URL was expected")
        self.url = url
        self.timeout = timeout

    def _post(self, query: str, accept: str) -> bytes:
        request = urllib.request.Request(
            self._query_url(), data=query.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept,
                     "User-Agent": "sovkg"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:300]
            raise SovkgInputError(f"{self.url}: the endpoint answered HTTP {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            raise SovkgInputError(f"{self.url}: cannot reach the endpoint ({error})") from None

    def _query_url(self) -> str:
        return self.url if "?" in self.url else self.url + "?union-default-graph"

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[dict[str, Term]]:
        """Run a SELECT on the endpoint (bindings are sent as a trailing VALUES block)."""
        if bindings:
            names = sorted(bindings)
            query += "\nVALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(
                _sparql_term(bindings[n]) for n in names) + ") }"
        body = self._post(query, "application/sparql-results+json")
        try:
            data = json.loads(body)
        except ValueError:
            raise SovkgInputError(f"{self.url}: the endpoint did not answer SPARQL JSON results") from None
        return [{k: _json_term(v) for k, v in b.items()} for b in data.get("results", {}).get("bindings", [])]

    def construct(self, query: str) -> list[TripleTerms]:
        """Run a CONSTRUCT on the endpoint (N-Triples)."""
        body = self._post(query, "application/n-triples")
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        return [(q.subject, q.predicate, q.object) for q in triples]  # type: ignore[misc]

    def raw(self, query: str, accept: str) -> bytes:
        """Send a query; return the endpoint's answer as bytes, in the ``accept`` format."""
        return self._post(query, accept)

    def quads(self) -> list[ox.Quad]:
        """Every quad the endpoint holds in its named graphs (to rebuild a report locally)."""
        rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[arg-type]


def _json_term(value: Mapping[str, str]) -> Term:
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(text)
    if "xml:lang" in value:
        return ox.Literal(text, language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(text)


def _sparql_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    return str(term)


def open_store(path: str | Path | None = None) -> LocalStore:
    """An Oxigraph store: in memory without ``path``, else the on-disk store at ``path`` (created if missing)."""
    if path is None:
        return LocalStore(ox.Store())
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise SovkgInputError(f"{folder}: exists and is not a store folder")
    try:
        return LocalStore(ox.Store(str(folder)), folder)
    except OSError as error:
        raise SovkgInputError(f"{folder}: cannot open the store ({error})") from None


def open_existing_store(path: str | Path, *, read_only: bool = False) -> LocalStore:
    """The on-disk store at ``path``, which must exist (``sovkg derive --store PATH`` or an importer made it);
    ``read_only`` opens it without taking its lock, so that several readers may share it."""
    folder = Path(path)
    if not folder.is_dir():
        raise SovkgInputError(f"{folder}: no such store (fill it with `sovkg derive --store {folder}`)")
    if not (folder / "CURRENT").is_file():  # every RocksDB folder has one; do not create a store here
        raise SovkgInputError(f"{folder}: not an Oxigraph store (fill it with `sovkg derive --store {folder}`)")
    if read_only:
        try:
            return LocalStore(ox.Store.read_only(str(folder)), folder)
        except OSError as error:
            raise SovkgInputError(f"{folder}: cannot open the store ({error})") from None
    return open_store(folder)


def cached_store_path(key: str) -> Path:
    """Where the derived store of cache key ``key`` is kept (an N-Quads dump: reloading it is a bulk load)."""
    return cache_dir() / "stores" / f"{key}.nq"


def open_cached_store(key: str) -> LocalStore | None:
    """The derived store cached under ``key``, loaded in memory, or None when there is none."""
    path = cached_store_path(key)
    if not path.is_file():
        return None
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except (OSError, SyntaxError, ValueError):
        return None
    return LocalStore(store)


def save_store(store: LocalStore, key: str) -> None:
    """Keep a derived store in the cache under ``key`` (atomically; a cache that cannot be written is skipped)."""
    final = cached_store_path(key)
    temporary: str | None = None
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=final.parent, suffix=".tmp")
        os.close(descriptor)
        store.store.dump(temporary, format=ox.RdfFormat.N_QUADS)
        os.replace(temporary, final)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.remove(temporary)
