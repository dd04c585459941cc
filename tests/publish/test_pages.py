"""Entity pages: label, types, validity, diagram, findings, rules, sources, outgoing and incoming statements."""

from __future__ import annotations

import pytest
from publish_helpers import links, remote_resources, table_rows

from sovkg.core.errors import UnknownEntityError
from sovkg.derive.knowledge_graph import KnowledgeGraph
from sovkg.publish.pages import Alternate, entity_page, minted_iris

ID = "https://w3id.org/sovkg/id/"


def test_organisation_page(chain: KnowledgeGraph) -> None:
    page = entity_page(chain, ID + "org/sub", "en")
    assert "<h1>Sub Ltd</h1>" in page
    assert f'<p class="iri">{ID}org/sub</p>' in page
    assert "<svg" in page  # the diagram of its chain
    assert "Platform is exposed to X Act at level “control”." in page
    assert "Test fixture" in page  # its source
    outgoing = table_rows(page, "outgoing")
    assert ["registered office in", "Country B (fictional, user-assigned code XB)"] in outgoing
    assert ["controlled by", "Holding Ltd derived; Parent Inc. derived"] in outgoing  # derived facts are marked
    incoming = table_rows(page, "incoming")
    held = [row[0] for row in incoming if row[1] == "held organisation"]
    assert len(held) == 1 and "; Holding in Sub;" in held[0]  # the stake, among derived ownership nodes
    assert ["Platform on Sub", "provider"] in incoming
    assert remote_resources(page) == []


def test_validity_of_an_ended_stake(chain: KnowledgeGraph) -> None:
    page = entity_page(chain, ID + "stake/old-owner-in-french-host", "en")
    assert "valid until 2020-12-31" in page
    assert "not in effect as of 2026-11-29" in page
    assert "<svg" not in page  # a stake has no diagram


def test_page_in_french(chain: KnowledgeGraph) -> None:
    page = entity_page(chain, ID + "system/platform", "fr", diagram=False)
    assert '<html lang="fr">' in page
    assert "<h2>Validité</h2>" in page and "aucune date de validité enregistrée" in page
    assert "Platform est exposé à X Act au niveau « contrôle »." in page
    assert ["détient des données", "données de santé pseudonymisées"] in table_rows(page, "outgoing")


def test_links_follow_href_and_alternates_are_listed(chain: KnowledgeGraph) -> None:
    page = entity_page(chain, ID + "law/x-act", "en", diagram=False,
                       href=lambda iri: iri.replace(ID, "/id/") if iri.startswith(ID) else iri,
                       alternates=[Alternate("Turtle", "text/turtle", "x-act.ttl")])
    hrefs = links(page)
    assert "/id/org/parent" in hrefs and "/id/system/platform" in hrefs
    assert '<link rel="alternate" type="text/turtle" href="x-act.ttl">' in page
    assert not any(h.startswith(ID) for h in hrefs)


def test_unknown_iri_is_refused(chain: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntityError, match="no such entity"):
        entity_page(chain, ID + "org/nobody", "en")


def test_minted_iris_are_the_described_iris_under_id(chain: KnowledgeGraph) -> None:
    iris = [str(i) for i in minted_iris(chain)]
    assert ID + "org/sub" in iris and ID + "source/fixture" in iris
    assert all(i.startswith(ID) for i in iris)
    assert iris == sorted(iris)


def test_values_per_property_are_capped(chain: KnowledgeGraph) -> None:
    """An IRI many entities point to stays one readable page: at most ``max_values`` per property, the rest counted."""
    full = table_rows(entity_page(chain, ID + "country/XB", "en", max_values=200), "incoming")
    capped = table_rows(entity_page(chain, ID + "country/XB", "en", max_values=1), "incoming")
    assert ["Holding Ltd; Sub Ltd", "registered office in"] in full
    assert ["Holding Ltd; and 1 more", "registered office in"] in capped


def test_no_live_link_to_a_dangerous_address(make_graph) -> None:  # type: ignore[no-untyped-def]
    """A graph from anyone's files may carry ``javascript:`` addresses (a source's URL, an IRI): the pages and the
    diagram show them as text, never as a link."""
    kg = make_graph("""
        <source/evil> a sov:Source ; dcterms:title "Evil source" ;
            sov:url "javascript:alert(1)"^^<http://www.w3.org/2001/XMLSchema#anyURI> .
        <org/acme> a sov:Company , <javascript:alert(2)> ; rdfs:label "Acme"@en ; sov:source <source/evil> .
    """)
    page = entity_page(kg, ID + "org/acme", "en")
    assert "Evil source" in page and "<svg" in page
    assert not [h for h in links(page) if h.lower().startswith("javascript")], links(page)
    assert "alert(" not in "".join(links(page))


def test_related_facts_come_with_their_values_and_sources(chain: KnowledgeGraph) -> None:
    page = entity_page(chain, ID + "org/sub", "en", diagram=False)
    assert "<h2>Related facts (8)</h2>" in page
    assert f'<h3><a href="{ID}stake/holding-in-sub" title="{ID}stake/holding-in-sub">Holding in Sub</a></h3>' in page
    related = table_rows(page, "related")
    assert ["share of capital (%)", "100.0"] in related  # the stake's share
    assert ["valid from", "2019-01-01"] in related  # the hosting arrangement's validity
    section = page[page.index('<section id="related">'):page.index('<section id="incoming">')]
    assert section.count("Test fixture") == 2  # the source of each of its two recorded facts (derived ones have none)


def test_named_graph_page_counts_its_triples(chain: KnowledgeGraph) -> None:
    page = entity_page(chain, "https://w3id.org/sovkg/graph/inferred", "fr", diagram=False)
    assert f"Ce graphe nommé contient {len(chain.inferred)} triplets." in page
