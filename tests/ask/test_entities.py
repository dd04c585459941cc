"""Names on the command line resolve to the entity meant (``sovkg.ask.entities.resolve_entity``)."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal

from sovkg.ask.entities import UnknownEntityError, resolve_entity
from sovkg.core.namespaces import KG, SOV


@pytest.fixture
def graph() -> Graph:
    g = Graph()
    for law, label, short in (("us-cloud-act", "US CLOUD Act (18 U.S.C. § 2713)", "CLOUD Act"),
                              ("cloud-act-note", "CLOUD Act", None)):
        g.add((KG[f"law/{law}"], RDF.type, SOV.AccessLaw))
        g.add((KG[f"law/{law}"], RDFS.label, Literal(label, lang="en")))
        if short:
            g.add((KG[f"law/{law}"], SKOS.altLabel, Literal(short, lang="en")))
    g.add((KG["law/fisa-702"], RDF.type, SOV.AccessLaw))
    g.add((KG["law/fisa-702"], RDFS.label, Literal("US FISA section 702", lang="en")))
    g.add((KG["law/fisa-702"], SKOS.altLabel, Literal("FISA 702", lang="en")))
    return g


def test_a_short_name_resolves_when_no_label_is_the_same(graph: Graph) -> None:
    assert resolve_entity(graph, "fisa 702") == KG["law/fisa-702"]
    assert resolve_entity(graph, "US CLOUD Act (18 U.S.C. § 2713)") == KG["law/us-cloud-act"]


def test_a_label_wins_over_another_entity_s_short_name(graph: Graph) -> None:
    assert resolve_entity(graph, "CLOUD Act") == KG["law/cloud-act-note"]


def test_an_unknown_name_names_the_close_ones(graph: Graph) -> None:
    with pytest.raises(UnknownEntityError, match="did you mean: 'fisa 702'"):
        resolve_entity(graph, "FISA 072")
