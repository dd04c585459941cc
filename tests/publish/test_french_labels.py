"""Every term of the ontology and of the reference data carries a French label (``rdfs:label "…"@fr``), so
that the report, the entity pages and ``explain`` speak French. Sources are not terms: their labels are the
titles of the documents, in the language they were published in."""

from __future__ import annotations

from pathlib import Path

from publish_helpers import ROOT
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from sovkg.core.namespaces import SOV

ONTOLOGY = sorted((ROOT / "ontology").glob("*.ttl"))
REFERENCE = sorted((ROOT / "data" / "reference").glob("*.ttl"))


def terms_without_french_label(graph: Graph) -> list[str]:
    """The labelled (or ``rdfs:isDefinedBy``) IRIs of ``graph`` with no French label, sources excepted."""
    terms = {s for s in graph.subjects(RDFS.label, None)} | {s for s in graph.subjects(RDFS.isDefinedBy, None)}
    missing = []
    for term in terms:
        if not isinstance(term, URIRef) or (term, RDF.type, SOV.Source) in graph:
            continue
        if not any(isinstance(v, Literal) and v.language == "fr" for v in graph.objects(term, RDFS.label)):
            missing.append(str(term))
    return sorted(missing)


def parse(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def test_files_are_collected() -> None:
    assert len(ONTOLOGY) >= 10 and len(REFERENCE) >= 5


def test_every_ontology_term_has_a_french_label() -> None:
    missing = terms_without_french_label(parse(ONTOLOGY))
    assert missing == [], "ontology terms without a French label:\n" + "\n".join(missing)


def test_every_reference_term_has_a_french_label() -> None:
    missing = terms_without_french_label(parse(REFERENCE))
    assert missing == [], "reference-data terms without a French label:\n" + "\n".join(missing)


def test_the_check_finds_a_term_without_french_label() -> None:
    graph = Graph().parse(format="turtle", data="""
        @prefix sov: <https://w3id.org/sovkg/ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        sov:Both rdfs:label "both"@en , "les deux"@fr .
        sov:EnglishOnly rdfs:label "English only"@en .
        sov:Unlabelled rdfs:isDefinedBy <https://w3id.org/sovkg/ontology/core> .
        <https://w3id.org/sovkg/id/source/s> a sov:Source ; rdfs:label "A title" .
    """)
    assert terms_without_french_label(graph) == [str(SOV.EnglishOnly), str(SOV.Unlabelled)]
