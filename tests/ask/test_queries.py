"""Competency questions (queries/cq/*.rq): exact answers on named fixtures, same rows on both engines.

Every CQ file is collected by glob and must have a case below (bindings for its parameters) and
an expected answer table in ``tests/fixtures/queries/expected/<name>.csv``; the set of files
collected, the set of cases and the set of tables must be equal. Each CQ runs on the fixture its
header names, loaded with the reference data but without the French case, derived as of a fixed
date, and its rows are compared exactly (in order, since every CQ orders its answer) with the
table, printing missing and extra rows on failure. Every CQ must also give the same rows on
rdflib and on Oxigraph, on its fixture and on the bundled case, bound and unbound; and binding a
parameter must give the rows of the unbound query whose column has that value.

Expected tables shorten IRIs with the ``kg:`` and ``sov:`` prefixes; an empty cell is unbound.
To rewrite them after an intended change, run ``SOVKG_WRITE_EXPECTED=1 pytest
tests/test_queries.py -k answer`` and review the diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from sovkg.ask.queries import (
    QuerySpec,
    example_bindings,
    find_query,
    list_queries,
    parse_binding,
    query_dir,
    result_rows,
    run_query,
    run_query_oxigraph,
    to_sparql_json,
)
from sovkg.core.errors import SovkgInputError, UnknownQueryError
from sovkg.core.namespaces import PREFIXES
from sovkg.derive.knowledge_graph import KnowledgeGraph, build
from sovkg.store.oxigraph import to_oxigraph

AS_OF = dt.date(2026, 11, 29)
"""Every fixture is derived as of this date, so that validity periods give stable answers."""

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "queries"
EXPECTED = FIXTURES / "expected"

CASES: dict[str, dict[str, str]] = {
    "CQ01-systems-exposed-to-law": {"law": "kg:law/us-cloud-act"},
    "CQ02-ownership-chain": {"provider": "kg:org/fx-ie-cloud"},
    "CQ03-providers-bound-by-non-eu-law": {"provider": "kg:org/fx-ie-cloud"},
    "CQ04-systems-host-without-valid-hds": {},
    "CQ05-systems-data-outside-eea": {},
    "CQ06-laws-reaching-entity": {"entity": "kg:org/fx-ie-cloud"},
    "CQ07-compliant-providers-for-system": {},
    "CQ08-ultimate-parents": {"organisation": "kg:org/fx-ie-cloud"},
    "CQ09-sources-behind-entity-facts": {"entity": "kg:org/fx-ie-cloud"},
    "CQ10-low-confidence-facts": {"type": "sov:OwnershipStake"},
    "CQ11-conflicting-control": {"organisation": "kg:org/fx-target"},
    "CQ12-conflicting-stake-figures": {"organisation": "kg:org/fx-target"},
    "CQ13-hosting-history": {"system": "kg:system/fx-records"},
    "CQ14-events-concerning-system": {"system": "kg:system/fx-records"},
    "CQ15-provider-certificates": {"provider": "kg:org/fx-sovereign"},
    "CQ16-exposure-matrix": {"system": "kg:system/fx-warehouse"},
    "CQ17-planned-arrangements": {"system": "kg:system/fx-records"},
    "CQ18-non-eu-holders-above-thresholds": {"provider": "kg:org/fx-fr-host"},
    "CQ19-third-country-law-disclosure": {"system": "kg:system/fx-warehouse"},
    "CQ20-law-profile": {"law": "kg:law/us-cloud-act"},
    "CQ21-procurements-for-system": {"system": "kg:system/fx-records"},
    "CQ22-third-parties-of-system": {"system": "kg:system/fx-warehouse"},
    "CQ23-organisation-profile": {"organisation": "kg:org/fx-fr-host"},
    "CQ24-jurisdiction-status": {"country": "kg:country/US"},
    "CQ25-legal-requirements": {"requirement": "kg:requirement/hds-2024-req-28-eea-storage"},
    "CQ26-certificates-expiring": {},
    "CQ27-effective-ownership": {"organisation": "kg:org/fx-fr-host"},
    "CQ28-undisclosed-parents": {},
    "CQ29-data-flows-into-exposed-systems": {},
}
"""Bindings each CQ is tested with on its fixture (CURIEs, as a user would type them).

A CQ whose answer on the fixture is small enough is tested unbound (``{}``), so that the test
also covers the "for every value" reading of its parameters.
"""

CQ_FILES = sorted(p.stem for p in query_dir("cq").glob("*.rq"))
SPECS = {spec.name: spec for spec in list_queries("cq")}

_SHORT = (("https://w3id.org/sovkg/id/", "kg:"), ("https://w3id.org/sovkg/ns#", "sov:"))


# ------------------------------------------------------------------------------------------ helpers


@cache
def fixture_kg(fixture: str) -> KnowledgeGraph:
    """The fixture with the reference data (no French case), derived as of AS_OF."""
    return build([REPO / fixture], include_case=False, as_of=AS_OF)


@cache
def fixture_store(fixture: str) -> ox.Store:
    return to_oxigraph(fixture_kg(fixture).dataset)




def bindings_of(name: str) -> dict[str, URIRef]:
    return {key: parse_binding(value) for key, value in CASES[name].items()}  # type: ignore[misc]


def short(value: str | None) -> str:
    if value is None:
        return ""
    for long, prefix in _SHORT:
        if value.startswith(long):
            return prefix + value[len(long):]
    return value


def as_table(rows: list[dict[str, str | None]], columns: list[str]) -> list[tuple[str, ...]]:
    return [tuple(short(row[c]) for c in columns) for row in rows]


def projection(spec: QuerySpec) -> list[str]:
    query = prepareQuery(spec.text, initNs=PREFIXES)
    return [str(v) for v in query.algebra["PV"]]


def read_expected(path: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [tuple(row) for row in reader]


def write_expected(path: Path, columns: list[str], table: list[tuple[str, ...]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(table)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def describe_difference(expected: list[tuple[str, ...]], actual: list[tuple[str, ...]], columns: list[str]) -> str:
    missing = [row for row in expected if row not in actual]
    extra = [row for row in actual if row not in expected]
    lines = [f"columns: {columns}"]
    lines += ["missing: " + repr(row) for row in missing]
    lines += ["extra:   " + repr(row) for row in extra]
    if not missing and not extra:
        lines.append("same rows, different order or multiplicity:")
        lines += ["  expected " + repr(row) for row in expected]
        lines += ["  actual   " + repr(row) for row in actual]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------- collection


def test_the_cq_files_collected_are_the_ones_tested() -> None:
    """The glob finds the CQs, and every CQ has a case and an expected table (and nothing else)."""
    assert len(CQ_FILES) >= 14
    assert set(CQ_FILES) == set(SPECS) == set(CASES)
    tables = {p.stem for p in EXPECTED.glob("*.csv")}
    if not os.environ.get("SOVKG_WRITE_EXPECTED"):
        assert tables == set(CQ_FILES)


@pytest.mark.parametrize("name", CQ_FILES)
def test_cq_header_is_complete(name: str) -> None:
    """Title, question, fixture that exists, parameters all projected, an ORDER BY."""
    spec = SPECS[name]
    assert re.fullmatch(r"CQ\d\d-[a-z0-9]+(-[a-z0-9]+)*", name)
    assert spec.text.startswith("# title: ")
    assert spec.title and spec.question and spec.question != spec.title
    assert spec.fixture is not None and (REPO / spec.fixture).is_file(), spec.fixture
    assert spec.parameters, "every CQ takes at least one parameter"
    columns = projection(spec)
    for parameter in spec.parameters:
        assert parameter in columns, f"parameter {parameter} is not in the SELECT projection"
        assert f"${parameter}" in spec.question, f"the question does not mention ${parameter}"
    assert set(CASES[name]) <= set(spec.parameters)
    assert re.search(r"^ORDER BY ", spec.text, re.MULTILINE)
    assert not re.search(r"\b(SERVICE|GRAPH|LOAD)\b", spec.text.split("PREFIX", 1)[-1])


@pytest.mark.parametrize("name", [n for n in CQ_FILES if SPECS[n].requirement])
def test_cq_requirement_is_a_legal_requirement_of_the_bundled_graph(name: str, case: KnowledgeGraph) -> None:
    requirement = SPECS[name].requirement
    assert requirement is not None
    iri = parse_binding(requirement)
    assert (iri, RDF.type, URIRef(PREFIXES["sov"] + "LegalRequirement")) in case.union


NOT_QUERIED: dict[str, str] = {
    "operatesIn": "read by the derivation (reach by group presence); queries return its result, sov:subjectTo",
    "role": "a consortium member's part in words, shown by `sovkg explain`",
    "Company": "a type of the organisations queries return; they select by property, not by type",
    "Compulsion": "the type of the values of sov:compels (CQ20)",
    "ConfidenceLevel": "the type of the values of sov:confidence (CQ09, CQ10)",
    "DataCategory": "the type of the values of sov:holdsData (CQ04, CQ07)",
    "DerivationRule": "the type of the values of sov:derivedBy (CQ01)",
    "Directness": "the type of the values of sov:directness (CQ02)",
    "ReachCriterion": "the type of the values of sov:reach and sov:basis",
    "Source": "the type of the values of sov:source",
    "TransferSafeguard": "the type of the values of sov:remoteAccessSafeguard (CQ05)",
    "controlledBy": "the inverse of sov:controls, which the queries use",
    "directlyControls": "queries use sov:ControlDerivation (which names the stake) or the closed sov:controls",
    "branchOf": "imported from GLEIF next to a control stake of the head office, which the queries follow",
    "implements": "links shapes to requirements; shapes graphs are not part of the queried data",
    "Scenario": "describes a scenario file (docs/scenarios.md); scenarios are applied, not queried",
    "hypothetical": "marks the facts a scenario adds; `sovkg diff` reports them",
    "retracts": "an instruction in a scenario file, never added to the graph",
}
"""sov: classes and properties that no query mentions, each with the reason."""


def test_every_class_and_property_is_exercised_by_some_query() -> None:
    """Each class and property of the ontology is mentioned by a CQ or a check, or listed above."""
    ontology = Graph()
    for path in sorted((REPO / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {
        str(term)[len(PREFIXES["sov"]):]
        for kind in kinds
        for term in ontology.subjects(RDF.type, kind)
        if str(term).startswith(PREFIXES["sov"])
    }
    text = " ".join(spec.text for kind in ("cq", "checks") for spec in list_queries(kind))
    mentioned = set(re.findall(r"\bsov:([A-Za-z0-9_]+)", text))
    assert terms
    assert sorted(terms - mentioned - set(NOT_QUERIED)) == []
    assert sorted(set(NOT_QUERIED) - terms) == [], "NOT_QUERIED names terms the ontology no longer has"
    assert sorted(set(NOT_QUERIED) & mentioned) == [], "NOT_QUERIED names terms a query now mentions"


# ------------------------------------------------------------------------------------------ answers


@pytest.mark.parametrize("name", CQ_FILES)
def test_cq_answer_on_its_fixture(name: str) -> None:
    """The exact rows (in order) of the CQ on its fixture with its test bindings."""
    spec = SPECS[name]
    assert spec.fixture is not None
    kg = fixture_kg(spec.fixture)
    columns = projection(spec)
    actual = as_table(result_rows(run_query(kg.union, spec, bindings_of(name))), columns)
    path = EXPECTED / f"{name}.csv"
    if os.environ.get("SOVKG_WRITE_EXPECTED"):
        write_expected(path, columns, actual)
    header, expected = read_expected(path)
    assert header == columns
    assert actual, f"{name} answers nothing on its fixture: the test proves little"
    assert actual == expected, describe_difference(expected, actual, columns)


@pytest.mark.parametrize("name", CQ_FILES)
@pytest.mark.parametrize("bound", [True, False], ids=["bound", "unbound"])
def test_cq_same_rows_on_rdflib_and_oxigraph_on_its_fixture(name: str, bound: bool) -> None:
    spec = SPECS[name]
    assert spec.fixture is not None
    bindings = bindings_of(name) if bound else {}
    rdflib_rows = result_rows(run_query(fixture_kg(spec.fixture).union, spec, bindings))
    oxigraph_rows = result_rows(run_query_oxigraph(fixture_store(spec.fixture), spec, bindings))
    columns = projection(spec)
    assert as_table(rdflib_rows, columns) == as_table(oxigraph_rows, columns), describe_difference(
        as_table(rdflib_rows, columns), as_table(oxigraph_rows, columns), columns)


@pytest.mark.parametrize("name", CQ_FILES)
def test_cq_same_rows_on_rdflib_and_oxigraph_on_the_bundled_case(name: str, case: KnowledgeGraph, case_store: ox.Store) -> None:
    spec = SPECS[name]
    rdflib_rows = result_rows(run_query(case.union, spec))
    oxigraph_rows = result_rows(run_query_oxigraph(case_store, spec))
    columns = projection(spec)
    assert as_table(rdflib_rows, columns) == as_table(oxigraph_rows, columns), describe_difference(
        as_table(rdflib_rows, columns), as_table(oxigraph_rows, columns), columns)


@pytest.mark.parametrize("name", CQ_FILES)
def test_cq_header_examples_exist_in_the_bundled_case_and_run_alike_on_both_engines(name: str, case: KnowledgeGraph, case_store: ox.Store) -> None:
    spec = SPECS[name]
    examples = example_bindings(spec)
    assert set(examples) == set(spec.parameters), "every parameter needs an example (e.g. …) in the header"
    union = case.union
    for parameter, value in examples.items():
        if isinstance(value, URIRef):
            assert (value, None, None) in union, f"the example {value} of {parameter} is not in the bundled graph"
    rdflib_rows = result_rows(run_query(union, spec, examples))
    oxigraph_rows = result_rows(run_query_oxigraph(case_store, spec, examples))
    assert rdflib_rows == oxigraph_rows


@pytest.mark.parametrize("name", CQ_FILES)
def test_cq_binding_a_parameter_selects_rows_of_the_unbound_answer(name: str) -> None:
    """If a parameter is bound to a value then the answer is the unbound answer's rows with it."""
    spec = SPECS[name]
    assert spec.fixture is not None
    kg = fixture_kg(spec.fixture)
    columns = projection(spec)
    unbound = as_table(result_rows(run_query(kg.union, spec)), columns)
    for parameter in spec.parameters:
        values = sorted({row[columns.index(parameter)] for row in unbound if row[columns.index(parameter)]})
        chosen = CASES[name].get(parameter)
        for value in ([chosen] if chosen else []) + values[:2]:
            bound = as_table(result_rows(run_query(kg.union, spec, {parameter: parse_binding(value)})), columns)
            selected = [row for row in unbound if row[columns.index(parameter)] == short(str(parse_binding(value)))]
            assert bound == selected, f"{parameter}={value}\n" + describe_difference(selected, bound, columns)


# ----------------------------------------------------------------------------------------- the API


def test_find_query_accepts_code_name_file_name_and_path() -> None:
    spec = find_query("CQ01")
    assert find_query("cq01") == spec
    assert find_query(spec.name) == spec
    assert find_query(spec.name + ".rq") == spec
    assert find_query(str(spec.path)) == spec
    assert find_query("undeclared-terms").path.parent.name == "checks"


def test_find_query_reads_any_rq_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\n# parameters: x (anything)\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x\n")
    spec = find_query(str(path))
    assert (spec.name, spec.title, spec.parameters, spec.fixture) == ("mine", "Mine", ("x",), None)


def test_an_unknown_query_is_an_input_error_that_lists_the_known_ones() -> None:
    with pytest.raises(UnknownQueryError) as caught:
        find_query("CQ99")
    assert isinstance(caught.value, SovkgInputError)
    assert "CQ99" in str(caught.value) and "CQ01-systems-exposed-to-law" in str(caught.value)
    with pytest.raises(UnknownQueryError):
        find_query("no/such/file.rq")


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("kg:law/us-cloud-act", "https://w3id.org/sovkg/id/law/us-cloud-act"),
        ("sov:OwnershipStake", "https://w3id.org/sovkg/ns#OwnershipStake"),
        ("<https://example.org/x>", "https://example.org/x"),
        ("https://w3id.org/sovkg/id/org/x", "https://w3id.org/sovkg/id/org/x"),
    ],
)
def test_parse_binding_expands_iris_and_curies(text: str, iri: str) -> None:
    assert parse_binding(text) == URIRef(iri)


@pytest.mark.parametrize(
    "text",
    ["unknown:x", "us-cloud-act", "kg:law/a b", "<not an iri>", "kg:law/x> } ; DROP ALL ; <", '"literal"', ""],
)
def test_parse_binding_rejects_anything_else(text: str) -> None:
    with pytest.raises(SovkgInputError):
        parse_binding(text)


def test_a_binding_for_an_unknown_parameter_is_an_input_error() -> None:
    spec = find_query("CQ01")
    with pytest.raises(SovkgInputError, match="no parameter 'system'"):
        run_query(Graph(), spec, {"system": parse_binding("kg:system/x")})
    with pytest.raises(SovkgInputError, match="no parameter 'system'"):
        run_query_oxigraph(ox.Store(), spec, {"system": parse_binding("kg:system/x")})


def test_an_invalid_query_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("# title: Broken\nSELECT ?x WHERE { ?x \n")
    spec = find_query(str(path))
    with pytest.raises(SovkgInputError, match=r"broken\.rq"):
        run_query(Graph(), spec)
    with pytest.raises(SovkgInputError, match=r"broken\.rq"):
        run_query_oxigraph(ox.Store(), spec)


def test_both_engines_give_the_same_sparql_json() -> None:
    spec = QuerySpec.from_text(
        "# title: Terms\n# parameters: s\n"
        "SELECT ?s ?label ?n ?missing WHERE { ?s rdfs:label ?label . OPTIONAL { ?s sov:rank ?n } }"
        " ORDER BY ?s ?label"
    )
    graph = Graph()
    node = URIRef("https://w3id.org/sovkg/ns#DirectExposure")
    graph.add((node, URIRef(PREFIXES["rdfs"] + "label"), Literal("direct", lang="en")))
    graph.add((node, URIRef(PREFIXES["sov"] + "rank"), Literal(1)))
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    from_rdflib = to_sparql_json(run_query(graph, spec, {"s": node}))
    from_oxigraph = to_sparql_json(run_query_oxigraph(store, spec, {"s": node}))
    assert from_rdflib == from_oxigraph == {
        "head": {"vars": ["s", "label", "n", "missing"]},
        "results": {"bindings": [{
            "s": {"type": "uri", "value": str(node)},
            "label": {"type": "literal", "value": "direct", "xml:lang": "en"},
            "n": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
        }]},
    }


def test_result_rows_write_numbers_the_same_way_for_both_engines() -> None:
    query = (
        'SELECT ?d ?i ?f ?b WHERE { BIND(100.0 AS ?d) BIND("007"^^xsd:integer AS ?i) BIND(1.5e2 AS ?f)'
        " BIND(true AS ?b) }"
    )
    spec = QuerySpec.from_text("# title: Numbers\n" + query)
    expected = [{"d": "100", "i": "7", "f": "150", "b": "true"}]
    assert result_rows(run_query(Graph(), spec)) == expected
    assert result_rows(run_query_oxigraph(ox.Store(), spec)) == expected


def test_a_dataset_is_queried_as_the_union_of_its_graphs() -> None:
    kg = fixture_kg("tests/fixtures/queries/exposure-chain.ttl")
    spec = SPECS["CQ01-systems-exposed-to-law"]
    bindings = bindings_of("CQ01-systems-exposed-to-law")
    from_dataset = result_rows(run_query(kg.dataset, spec, bindings))
    assert from_dataset and from_dataset == result_rows(run_query(kg.union, spec, bindings))
    assert not kg.dataset.default_union


def test_to_oxigraph_keeps_every_quad_and_named_graph() -> None:
    kg = fixture_kg("tests/fixtures/queries/exposure-chain.ttl")
    store = to_oxigraph(kg.dataset)
    assert len(store) == sum(len(g) for g in kg.dataset.graphs())
    names = {str(g.identifier) for g in kg.dataset.graphs() if len(g)}
    assert {q.graph_name.value for q in store if isinstance(q.graph_name, ox.NamedNode)} == names
