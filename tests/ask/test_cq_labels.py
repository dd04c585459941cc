"""Competency questions name spreadsheet entities by their labels, which carry no language tag.

Labels are chosen English first, then untagged, then French. On the example spreadsheets
(``templates/example``, all labels untagged) no label column of any CQ may show a bare IRI.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from sovkg.ask.queries import QuerySpec, list_queries, result_rows, run_query
from sovkg.derive.knowledge_graph import KnowledgeGraph, build

ROOT = Path(__file__).resolve().parents[2]
USER = "https://w3id.org/sovkg/id/user/"
LABEL_COLUMNS = ("label", "Label", "outcome", "sourceTitle")


@cache
def example() -> KnowledgeGraph:
    return build([ROOT / "templates" / "example"], include_case=False, as_of=dt.date(2026, 11, 29))


@pytest.mark.parametrize("spec", list_queries("cq"), ids=lambda s: s.code)
def test_no_label_column_shows_a_bare_iri_of_a_spreadsheet_entity(spec: QuerySpec) -> None:
    rows = result_rows(run_query(example().union, spec))
    columns = [c for c in (rows[0] if rows else {}) if c.endswith(LABEL_COLUMNS)]
    bare = sorted({row[c] for row in rows for c in columns if (row[c] or "").startswith(USER)})
    assert bare == [], f"{spec.code} shows IRIs instead of labels: {bare[:5]}"


def test_spreadsheet_entities_appear_in_the_answers() -> None:
    """The test above is not vacuous: the examples' systems and organisations are in the answers."""
    spec = next(s for s in list_queries("cq") if s.code == "CQ01")
    labels = {row["systemLabel"] for row in result_rows(run_query(example().union, spec))}
    assert "Clinique du Parc patient records" in labels


@pytest.mark.parametrize(("labels", "expected"), [
    ([Literal("A", lang="fr"), Literal("B"), Literal("C", lang="en")], "C"),
    ([Literal("A", lang="fr"), Literal("B")], "B"),
    ([Literal("A", lang="fr")], "A"),
    ([], "https://w3id.org/sovkg/id/system/x"),
])
def test_labels_prefer_english_then_untagged_then_french(labels: list[Literal], expected: str) -> None:
    spec = next(s for s in list_queries("cq") if s.code == "CQ16")
    graph = Graph()
    system = URIRef("https://w3id.org/sovkg/id/system/x")
    for label in labels:
        graph.add((system, RDFS.label, label))
    text = "SELECT ?systemLabel WHERE { BIND(<https://w3id.org/sovkg/id/system/x> AS ?system) " + \
        spec.text[spec.text.index("OPTIONAL { ?system rdfs:label ?systemEn"):spec.text.index("AS ?systemLabel)")] + \
        "AS ?systemLabel) }"
    assert result_rows(run_query(graph, QuerySpec.from_text(text))) == [{"systemLabel": expected}]
