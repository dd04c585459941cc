"""Describe one IRI of the graph for its linked-data page: links out and in, facts, sources, findings.

Takes a pyoxigraph :class:`~pyoxigraph.Store` (queried with the union of its graphs as default graph)
and an IRI; gives an rdflib :class:`~rdflib.Graph` holding

- every triple with the IRI as subject (outgoing links and values) or as object (incoming links,
  at most :data:`MAX_INCOMING`);
- the whole of each *fact node* one hop away (an ownership stake, a hosting arrangement, a
  certificate, a membership…), so a stake's share, validity dates and sources come with it;
- each exposure finding that names the IRI (as the exposed system, the bound entity or a step of its
  evidence path), with its ordered evidence steps;
- for a named graph (``…/graph/data/case/hosting.ttl``), its number of triples;
- every source cited by any of these (title, publisher, date, URL), and labels and types of every
  node mentioned, so a page can name what it links to.

Also maps between server paths and the IRIs the graph mints (:func:`iri_for_path`,
:func:`path_for_iri`) and serialises the description (:func:`serialize_description`) as Turtle,
N-Triples or JSON-LD with the shipped JSON-LD context. The HTML page of an IRI is not made here but by
:mod:`sovkg.publish.pages`, the one renderer of entity pages (static site and server alike).

>>> iri_for_path("/id/org/microsoft-corporation")
'https://w3id.org/sovkg/id/org/microsoft-corporation'
>>> path_for_iri("https://w3id.org/sovkg/ns#ExposureFinding")
'/ns#ExposureFinding'
>>> path_for_iri("https://example.org/x") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from sovkg.core.namespaces import PREFIXES
from sovkg.store.oxigraph import from_oxigraph_term

BASE = "https://w3id.org/sovkg/"
"""Every IRI the graph mints starts with this; the server maps ``/<rest>`` to ``BASE + rest``."""

MAX_INCOMING = 500
"""At most this many incoming links on one page (a country is the object of thousands)."""

_SOV = PREFIXES["sov"]
FACT_CLASSES: tuple[str, ...] = (
    "OwnershipStake", "HostingArrangement", "Subcontracting", "TechnologyDependency", "Certificate",
    "Qualification", "Membership", "AdequacyDecision", "Applicability", "EffectiveOwnership",
    "JurisdictionOwnership", "ControlDerivation", "Procurement", "Threshold", "Compulsion",
)
"""Local names (``sov:``) of the classes of *fact nodes*: a description takes them whole, and an entity
page shows them as related facts with their own values and sources."""
_FACTS_VALUES = " ".join(f"sov:{name}" for name in FACT_CLASSES)

_PROLOGUE = f"""PREFIX sov: <{_SOV}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_QUERIES = (
    # outgoing
    "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }",
    # incoming (bounded)
    f"CONSTRUCT {{ ?s ?p ?this }} WHERE {{ SELECT ?s ?p ?this WHERE {{ ?s ?p ?this }} LIMIT {MAX_INCOMING} }}",
    # fact nodes one hop away, in either direction, with their own values
    f"""CONSTRUCT {{ ?fact ?p ?o }} WHERE {{
          {{ ?fact ?link ?this }} UNION {{ ?this ?link ?fact }}
          ?fact a ?type . VALUES ?type {{ {_FACTS_VALUES} }}
          ?fact ?p ?o }}""",
    # exposure findings naming the IRI, and their evidence steps
    """CONSTRUCT { ?finding ?p ?o . ?step ?sp ?so } WHERE {
          { ?finding sov:exposedSystem ?this } UNION { ?finding sov:boundEntity ?this }
          UNION { ?finding sov:evidence/sov:stepNode ?this }
          ?finding a sov:ExposureFinding ; ?p ?o .
          OPTIONAL { ?finding sov:evidence ?step . ?step ?sp ?so } }""",
    # a named graph: its size
    """CONSTRUCT { ?this a <http://www.w3.org/ns/sparql-service-description#Graph> ;
                         <http://rdfs.org/ns/void#triples> ?triples }
       WHERE { SELECT ?this (COUNT(*) AS ?triples) WHERE { GRAPH ?this { ?s ?p ?o } } GROUP BY ?this }""",
)

_SOURCES = """CONSTRUCT { ?source ?p ?o } WHERE { ?source ?p ?o }"""
_LABELS = """CONSTRUCT { ?node rdfs:label ?label . ?node a ?type . ?node skos:notation ?notation }
    WHERE { { ?node rdfs:label ?label } UNION { ?node a ?type } UNION { ?node skos:notation ?notation } }"""


def iri_for_path(path: str) -> str:
    """The IRI a server path stands for (``/id/org/x`` → ``https://w3id.org/sovkg/id/org/x``)."""
    return BASE + path.lstrip("/")


def path_for_iri(iri: str) -> str | None:
    """The server path of an IRI the graph mints, or ``None`` for any other IRI."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else None


def describe(store: ox.Store, iri: str) -> Graph:
    """The description of ``iri`` (see the module docstring); empty when the store never mentions it."""
    this = ox.NamedNode(iri)
    triples: list[Any] = []
    for text in _QUERIES:
        triples += _construct(store, text, "this", this)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    _add(graph, triples)
    if len(graph) == 0:
        return graph
    sources = {o for _, p, o in graph if str(p) in (_SOV + "source", "http://purl.org/dc/terms/source")}
    for source in sources:
        if isinstance(source, URIRef):
            _add(graph, _construct(store, _SOURCES, "source", ox.NamedNode(source)))
    nodes = {n for triple in graph for n in triple if isinstance(n, URIRef)}
    for node in nodes:
        _add(graph, _construct(store, _LABELS, "node", ox.NamedNode(node)))
    return graph


def _construct(store: ox.Store, text: str, name: str, value: ox.NamedNode) -> list[Any]:
    result: Any = store.query(_PROLOGUE + text, substitutions={ox.Variable(name): value},
                              use_default_graph_as_union=True)
    return list(result)


def _add(graph: Graph, triples: Iterable[Any]) -> None:
    for triple in triples:
        graph.add((from_oxigraph_term(triple.subject), from_oxigraph_term(triple.predicate),
                   from_oxigraph_term(triple.object)))


def serialize_description(graph: Graph, fmt: str) -> bytes:
    """Write a description as ``turtle``, ``ntriples`` or ``jsonld`` (compacted with the shipped context)."""
    if fmt == "jsonld":
        from sovkg.publish.jsonld_context import to_jsonld

        return to_jsonld(graph)
    return graph.serialize(format="nt" if fmt == "ntriples" else "turtle", encoding="utf-8")
