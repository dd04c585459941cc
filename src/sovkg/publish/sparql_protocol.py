"""Answer one SPARQL 1.1 Protocol query on an Oxigraph store: check it, evaluate it, serialise it.

Takes a :class:`QueryRequest` (the query text, the client's ``Accept`` header or ``format``
parameter, the protocol's ``default-graph-uri``/``named-graph-uri``) and a pyoxigraph
:class:`~pyoxigraph.Store` (or the rdflib backend, :mod:`sovkg.publish.sparql_rdflib`); gives a
:class:`Reply` (HTTP status, media type, body). The query is checked by
:mod:`sovkg.publish.sparql_guard` before anything is evaluated; SELECT and ASK results are written as
SPARQL JSON, XML, CSV or TSV, CONSTRUCT and DESCRIBE results as Turtle, N-Triples, JSON-LD, RDF/XML,
N-Quads or TriG. A result with more than ``max_rows`` rows (or triples) is refused
as a whole, never truncated silently.

This module runs inside the worker processes of :mod:`sovkg.publish.query_pool`; it never blocks on
anything but the store.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("https://w3id.org/sovkg/id/org/x"),
...                   ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("X"),
...                   ox.NamedNode("https://w3id.org/sovkg/graph/example")))
>>> reply = answer(store, QueryRequest("SELECT ?l WHERE { ?s ?p ?l }", accept="text/csv"))
>>> reply.status, reply.media_type, reply.body
(200, 'text/csv; charset=utf-8', b'l\\r\\nX\\r\\n')
>>> answer(store, QueryRequest("ASK { ?s ?p ?o }", fmt="json")).body
b'{"head": {}, "boolean": true}'
>>> answer(store, QueryRequest("SELECT * WHERE { ?s ?p ?o }", max_rows=0)).status
400
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from sovkg.core.sparql_json import XSD_STRING, ox_json_term
from sovkg.publish.sparql_guard import QueryRefused, check_query

RESULT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
"""SELECT/ASK result formats: short name → media type (the first is the default)."""

GRAPH_TYPES: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "nquads": "application/n-quads",
    "trig": "application/trig",
}
"""CONSTRUCT/DESCRIBE result formats: short name → media type (the first is the default)."""

_GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}

_ALIASES: dict[str, tuple[str, str]] = {
    # format=… value → (result format, graph format); SPARQLWrapper sends json, xml, csv, tsv, turtle, n3…
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", "turtle"),
    "tsv": ("tsv", "turtle"),
    "turtle": ("json", "turtle"),
    "ttl": ("json", "turtle"),
    "n3": ("json", "turtle"),
    "nt": ("json", "ntriples"),
    "ntriples": ("json", "ntriples"),
    "n-triples": ("json", "ntriples"),
    "jsonld": ("json", "jsonld"),
    "json-ld": ("json", "jsonld"),
    "rdfxml": ("xml", "rdfxml"),
    "rdf+xml": ("xml", "rdfxml"),
    "nq": ("json", "nquads"),
    "nquads": ("json", "nquads"),
    "trig": ("json", "trig"),
}

_MEDIA_ALIASES: dict[str, str] = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/plain": "tsv",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/plain+nt": "ntriples",
    "application/json+ld": "jsonld",
}


PREFIXES_FOR_OUTPUT: dict[str, str] = {
    "sov": "https://w3id.org/sovkg/ns#",
    "kg": "https://w3id.org/sovkg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}
"""Prefixes written at the top of Turtle and TriG results."""


@dataclass(frozen=True)
class QueryRequest:
    """One protocol request, as the server received it."""

    query: str
    accept: str | None = None
    fmt: str | None = None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    max_rows: int = 10_000


@dataclass(frozen=True)
class Reply:
    """What to send back: an HTTP status, a media type and the body."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        """A plain-text error reply whose body is the message."""
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


class ResultTooLarge(Exception):
    """The result has more rows (or triples) than the server's cap."""


def answer(store: Any, request: QueryRequest, known_graphs: Collection[str] | None = None) -> Reply:
    """Check, evaluate and serialise one query; every failure becomes an error :class:`Reply`.

    ``store`` is a pyoxigraph :class:`~pyoxigraph.Store`, or anything with its ``query`` and
    ``named_graphs`` (:class:`sovkg.publish.sparql_rdflib.RdflibStore`, the rdflib backend).
    """
    if known_graphs is None:
        known_graphs = {str(g.value) for g in store.named_graphs()}
    try:
        checked = check_query(request.query, known_graphs=known_graphs)
        for iri in (*request.default_graph_uris, *request.named_graph_uris):
            if iri not in known_graphs:
                raise QueryRefused(403, f"default-graph-uri/named-graph-uri <{iri}> is not a graph of this "
                                        "dataset; this endpoint never fetches remote data")
    except QueryRefused as refusal:
        return Reply.error(refusal.status, refusal.message)
    options: dict[str, Any] = {}
    if request.default_graph_uris:
        options["default_graph"] = [ox.NamedNode(iri) for iri in request.default_graph_uris]
    else:
        options["use_default_graph_as_union"] = not checked.has_dataset_clause
    if request.named_graph_uris:
        options["named_graphs"] = [ox.NamedNode(iri) for iri in request.named_graph_uris]
    try:
        result = store.query(request.query, **options)
        if checked.form in ("SELECT", "ASK"):
            name = negotiate(request.accept, request.fmt, RESULT_TYPES, 0)
            body = serialize_results(result, name, request.max_rows)
            return Reply(200, _with_charset(RESULT_TYPES[name]), body)
        name = negotiate(request.accept, request.fmt, GRAPH_TYPES, 1)
        triples = _capped(result, request.max_rows)
        written = ox.serialize(triples, format=_GRAPH_FORMATS[name], prefixes=_prefixes(name))
        return Reply(200, _with_charset(GRAPH_TYPES[name]), written or b"")
    except ResultTooLarge:
        return Reply.error(400, f"the result has more than {request.max_rows} rows, this server's cap "
                                "(--max-rows); add a LIMIT or narrow the query")
    except SyntaxError as error:
        return Reply.error(400, f"malformed query: {error}")
    except (OSError, ValueError, TypeError, RuntimeError) as error:
        return Reply.error(500, f"query failed: {error}")


def negotiate(accept: str | None, fmt: str | None, offered: dict[str, str], alias_index: int) -> str:
    """Pick a result format from a ``format`` parameter, else the ``Accept`` header, else the default.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", None, RESULT_TYPES, 0)
    'xml'
    >>> negotiate("*/*", None, GRAPH_TYPES, 1)
    'turtle'
    >>> negotiate(None, "json", GRAPH_TYPES, 1)
    'jsonld'
    """
    names = list(offered)
    if fmt:
        key = fmt.strip().lower()
        if key in _ALIASES:
            return _ALIASES[key][alias_index]
        by_type = {media: name for name, media in offered.items()}
        if key in by_type:
            return by_type[key]
    if accept:
        by_type = {media: name for name, media in offered.items()}
        best: tuple[float, int, str] | None = None
        for position, (media, quality) in enumerate(parse_accept(accept)):
            if quality <= 0:
                continue
            name = by_type.get(media) or _alias_for(media, offered, alias_index)
            if name is None and media in ("*/*", "application/*", "text/*"):
                name = names[0] if media != "text/*" else next(
                    (n for n, m in offered.items() if m.startswith("text/")), names[0])
            if name is not None and (best is None or (quality, -position) > (best[0], best[1])):
                best = (quality, -position, name)
        if best is not None:
            return best[2]
    return names[0]


def _alias_for(media: str, offered: dict[str, str], alias_index: int) -> str | None:
    short = _MEDIA_ALIASES.get(media)
    if short is None:
        return None
    if short in offered:
        return short
    pair = _ALIASES.get(short)
    return pair[alias_index] if pair else None


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values, in the order given.

    >>> parse_accept("text/turtle;q=0.9, */*;q=0.1, application/ld+json")
    [('text/turtle', 0.9), ('*/*', 0.1), ('application/ld+json', 1.0)]
    """
    out: list[tuple[str, float]] = []
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        out.append((media.lower(), quality))
    return out


def _with_charset(media: str) -> str:
    return media if media in ("application/n-quads",) else f"{media}; charset=utf-8"


def _prefixes(name: str) -> dict[str, str] | None:
    return PREFIXES_FOR_OUTPUT if name in ("turtle", "trig", "rdfxml") else None


def _capped(result: Any, cap: int) -> list[Any]:
    rows: list[Any] = []
    for item in result:
        if len(rows) >= cap:
            raise ResultTooLarge
        rows.append(item)
    return rows


# --------------------------------------------------------------------------------- SELECT / ASK


def serialize_results(result: Any, name: str, cap: int) -> bytes:
    """Write a pyoxigraph ``QuerySolutions`` or ``QueryBoolean`` (or a ``bool``) in a SPARQL results format."""
    if isinstance(result, (bool, ox.QueryBoolean)):
        return _boolean(bool(result), name)
    variables = [v.value for v in result.variables]
    keys = list(result.variables)
    rows = [[solution[key] for key in keys] for solution in _capped(result, cap)]
    return _WRITERS[name](variables, rows)


def _boolean(value: bool, name: str) -> bytes:
    if name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if name == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head></head><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    return f"_askResult\r\n{'true' if value else 'false'}\r\n".encode() if name == "csv" else (
        f"?_askResult\n{'true' if value else 'false'}\n".encode())


def _json(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
        for row in rows
    ]
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def _json_term(term: Any) -> dict[str, str]:
    return ox_json_term(term) or {"type": "triple", "value": str(term)}


def _xml(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(name)}/>" for name in variables]
    out.append("</head>\n<results>\n")
    for row in rows:
        out.append("<result>")
        for name, term in zip(variables, row, strict=True):
            if term is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if term is None else _csv_value(term) for term in row])
    return buffer.getvalue().encode("utf-8")


def _csv_value(term: Any) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _tsv(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
