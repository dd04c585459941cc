"""The ontology documentation (``docs/ontology/index.html``) is generated from the ontology and kept fresh."""

from __future__ import annotations

import pytest
from publish_helpers import ROOT, remote_resources
from rdflib import OWL, RDF, RDFS, Literal

from sovkg.publish.ontology_docs import ONTOLOGY_IRI, merged_ontology, ontology_digest, recorded_digest

PAGE = ROOT / "docs" / "ontology" / "index.html"
REGENERATE = "the ontology changed since docs/ontology/index.html was generated: run python tools/ontology_docs.py"


def test_committed_page_was_made_from_the_current_ontology() -> None:
    assert recorded_digest(PAGE.read_text(encoding="utf-8")) == ontology_digest(), REGENERATE


def test_page_documents_every_class_and_property() -> None:
    html = PAGE.read_text(encoding="utf-8")
    graph = merged_ontology()
    terms = [s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in graph.subjects(RDF.type, kind)
             if str(s).startswith("https://w3id.org/sovkg/ns#")]
    assert len(terms) > 100
    missing = [str(t) for t in terms if f"<code>{t}</code>" not in html]
    assert missing == []
    assert remote_resources(html) == []


def test_merged_ontology_has_one_header_and_french_labels_as_comments() -> None:
    graph = merged_ontology()
    assert list(graph.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    assert not any(isinstance(v, Literal) and v.language == "fr" for v in graph.objects(None, RDFS.label))
    assert Literal("French label: « niveau de confiance ».", lang="en") in set(graph.objects(None, RDFS.comment))


def test_readme_links_the_documentation() -> None:
    assert "(docs/ontology/index.html)" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_regenerating_gives_the_committed_page() -> None:
    """pyLODE run again on the current ontology writes exactly the committed page."""
    from sovkg.publish.ontology_docs import ontology_html

    assert ontology_html() == PAGE.read_text(encoding="utf-8"), REGENERATE
