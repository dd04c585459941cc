"""Describe the served dataset (VoID + DCAT) and the endpoint (SPARQL 1.1 Service Description).

Takes a pyoxigraph :class:`~pyoxigraph.Store`, the public base URL of the server and what is known
of the build (:class:`DatasetFacts`); gives rdflib graphs:

- :func:`void_graph`: a ``void:Dataset`` that is also a ``dcat:Dataset``: triple, entity and
  property counts, one ``void:subset`` per named graph with its own count, the vocabularies used,
  the URI space, the licence of the data and of the ontology (:data:`DATA_LICENSE`), the derivation
  date and the as-of date, provenance (the sources the facts cite, the tool that derived them), the
  SPARQL endpoint and a ``dcat:DataService``;
- :func:`service_description`: an ``sd:Service`` for ``/sparql`` (supported language, result
  formats, the default dataset as the union of the named graphs).

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("https://w3id.org/sovkg/id/org/x"),
...                   ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("X"),
...                   ox.NamedNode("https://w3id.org/sovkg/graph/example")))
>>> g = void_graph(store, "http://127.0.0.1:8000", DatasetFacts())
>>> int(g.value(DATASET, VOID.triples))
1
>>> str(g.value(DATASET, DCTERMS.license))
'https://creativecommons.org/licenses/by/4.0/'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import DCAT, DCTERMS, PROV, RDF, RDFS, VOID, XSD, BNode, Graph, Literal, Namespace, URIRef

from sovkg.core.namespaces import INFERRED_GRAPH, PREFIXES
from sovkg.core.version import __version__

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
"""The licence of sovkg's data and ontology (CC BY 4.0); the code is Apache-2.0 (``LICENSE``)."""

DATASET = URIRef("https://w3id.org/sovkg/dataset")
"""The IRI of the dataset description."""

_FORMATS = (
    "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "http://www.w3.org/ns/formats/Turtle",
    "http://www.w3.org/ns/formats/N-Triples",
    "http://www.w3.org/ns/formats/JSON-LD",
    "http://www.w3.org/ns/formats/RDF_XML",
    "http://www.w3.org/ns/formats/N-Quads",
    "http://www.w3.org/ns/formats/TriG",
)


@dataclass(frozen=True)
class DatasetFacts:
    """What the server knows about how the served data was made (unknown stays ``None``)."""

    as_of: dt.date | None = None
    derived_at: dt.datetime | None = None


def void_graph(store: ox.Store, base_url: str, facts: DatasetFacts) -> Graph:
    """The VoID/DCAT description of the dataset in ``store``, served from ``base_url``."""
    base = base_url.rstrip("/")
    g = _graph()
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title,
           Literal("sovkg: who hosts French health data and which foreign law can reach it", lang="en")))
    g.add((d, DCTERMS.title, Literal("sovkg : qui héberge les données de santé françaises et quel droit étranger"
                                     " peut y accéder", lang="fr")))
    g.add((d, DCTERMS.description, Literal(
        "Organisations, ownership stakes, hosting arrangements, certifications, laws with extraterritorial "
        "reach and the exposure findings derived from them, every asserted fact with its source.", lang="en")))
    g.add((d, DCTERMS.license, URIRef(DATA_LICENSE)))
    g.add((d, DCTERMS.publisher, Literal("sovkg developers")))
    g.add((d, VOID.uriSpace, Literal(PREFIXES["kg"])))
    g.add((d, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
    g.add((d, VOID.rootResource, URIRef(f"{PREFIXES['kg']}")))
    g.add((d, DCAT.landingPage, URIRef(f"{base}/")))
    g.add((d, VOID.feature, URIRef("http://www.w3.org/ns/formats/N-Quads")))
    derivation = BNode()
    g.add((d, PROV.wasGeneratedBy, derivation))
    g.add((derivation, RDF.type, PROV.Activity))
    g.add((derivation, RDFS.label, Literal(f"sovkg {__version__}: load the sources, derive control, ownership "
                                           "and exposure (named graph …/graph/inferred)", lang="en")))
    if facts.derived_at is not None:
        stamp = Literal(facts.derived_at.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
        g.add((d, DCTERMS.modified, stamp))
        g.add((d, PROV.generatedAtTime, stamp))
        g.add((derivation, PROV.endedAtTime, stamp))
    if facts.as_of is not None:
        g.add((d, DCTERMS.temporal, Literal(facts.as_of.isoformat(), datatype=XSD.date)))
        g.add((d, RDFS.comment, Literal(f"Facts and derived findings as of {facts.as_of.isoformat()}.", lang="en")))
    g.add((d, VOID.triples, Literal(_count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"), datatype=XSD.integer)))
    g.add((d, VOID.distinctSubjects,
           Literal(_count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }"), datatype=XSD.integer)))
    g.add((d, VOID.properties,
           Literal(_count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }"), datatype=XSD.integer)))
    g.add((d, VOID.classes,
           Literal(_count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }"), datatype=XSD.integer)))
    for namespace in _vocabularies(store):
        g.add((d, VOID.vocabulary, URIRef(namespace)))
    for row in _rows(store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", False):
        name = row["g"].value
        subset = URIRef(f"{DATASET}/graph/{name.rsplit('/graph/', 1)[-1]}" if "/graph/" in name else name)
        g.add((d, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, URIRef(name)))
        g.add((subset, VOID.triples, Literal(int(row["n"].value), datatype=XSD.integer)))
        if name == str(INFERRED_GRAPH):
            g.add((subset, RDFS.comment, Literal("Facts derived by sovkg (OWL RL, ownership, exposure)", lang="en")))
    sources = _count(store, f"SELECT (COUNT(DISTINCT ?src) AS ?n) {{ ?src a <{PREFIXES['sov']}Source> }}")
    g.add((d, RDFS.comment, Literal(f"Every asserted fact cites one of {sources} sources (sov:Source, with URL, "
                                    "publisher and dates); derived facts name the rule that produced them "
                                    "(sov:derivedBy).", lang="en")))
    dump = URIRef(f"{base}/dataset.nq")
    g.add((d, VOID.dataDump, dump))
    g.add((d, DCAT.distribution, dump))
    g.add((dump, RDF.type, DCAT.Distribution))
    g.add((dump, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/application/n-quads")))
    g.add((dump, DCAT.downloadURL, dump))
    g.add((dump, DCTERMS.license, URIRef(DATA_LICENSE)))
    service = URIRef(f"{base}/sparql")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, d))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((d, DCAT.distribution, URIRef(f"{base}/context.jsonld")))
    g.add((URIRef(f"{base}/context.jsonld"), RDF.type, DCAT.Distribution))
    g.add((URIRef(f"{base}/context.jsonld"), DCTERMS.title, Literal("JSON-LD context of sovkg's terms", lang="en")))
    return g


def service_description(base_url: str) -> Graph:
    """The SPARQL 1.1 Service Description of ``base_url/sparql``."""
    base = base_url.rstrip("/")
    g = _graph()
    service = URIRef(f"{base}/sparql")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in _FORMATS:
        g.add((service, SD.resultFormat, URIRef(fmt)))
    dataset = URIRef(f"{base}/sparql#dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDFS.seeAlso, URIRef(f"{base}/.well-known/void")))
    g.add((dataset, DCTERMS.license, URIRef(DATA_LICENSE)))
    g.add((service, RDFS.comment, Literal(
        "Read-only: updates, SERVICE, LOAD and FROM of graphs outside this dataset are refused; every query "
        "has a time limit and a result-size cap.", lang="en")))
    return g


def _graph() -> Graph:
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("sd", SD)
    return g


def _rows(store: ox.Store, query: str, union: bool) -> Any:
    return store.query(query, use_default_graph_as_union=union)


def _count(store: ox.Store, query: str) -> int:
    for row in _rows(store, query, True):
        return int(row["n"].value)
    return 0


def _vocabularies(store: ox.Store) -> list[str]:
    found: set[str] = set()
    for row in _rows(store, "SELECT DISTINCT ?t { { ?s ?t ?o } UNION { ?s a ?t } }", True):
        term = row["t"]
        if isinstance(term, ox.NamedNode):
            iri = term.value
            cut = max(iri.rfind("#"), iri.rfind("/"))
            if cut > 0:
                found.add(iri[: cut + 1])
    return sorted(found)
