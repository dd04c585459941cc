"""Namespaces and well-known IRIs of sovkg.

>>> str(SOV.OwnershipStake)
'https://w3id.org/sovkg/ns#OwnershipStake'
>>> str(KG["country/FR"])
'https://w3id.org/sovkg/id/country/FR'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

SOV = Namespace("https://w3id.org/sovkg/ns#")
"""The ontology's terms."""

KG = Namespace("https://w3id.org/sovkg/id/")
"""Instances: organisations, systems, laws, sources…"""

GRAPH = Namespace("https://w3id.org/sovkg/graph/")
"""Named graphs: one per loaded file, plus the derived graph."""

ONTOLOGY = Namespace("https://w3id.org/sovkg/ontology/")
"""Ontology module IRIs."""

INFERRED_GRAPH = URIRef(GRAPH["inferred"])
"""The named graph that holds every derived fact."""

PREFIXES: dict[str, str] = {
    "sov": str(SOV),
    "kg": str(KG),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "sh": "http://www.w3.org/ns/shacl#",
}
"""Prefixes bound in every serialisation and query."""
