"""The store engine gives what the rdflib reference pipeline gives (issue 7): derived triples, findings, shapes.

Each case is built twice, with ``engine="rdflib"`` (rdflib, Python derivation, pySHACL) and with
``engine="store"`` (Oxigraph, set-oriented derivation, shapes as whole-graph queries), and compared:

- the inferred graph, triple for triple (OWL RL subset, validity, membership, adequacy, control,
  effective ownership, applicability, findings with their evidence steps). Oxigraph writes numbers in
  their canonical form (``0.0`` as ``0``), so numeric literals are compared by value and datatype;
- the exposure findings with their paths (as read by the query layer);
- the SHACL results: pySHACL on the rdflib union against :func:`sovkg.check.store_shapes.validate_store`
  on the store, compared field for field (focus, label, severity, requirement, message, shape, path,
  component, value).

On the bundled case at four dates, on every shape fixture and on every scenario (the shipped ones and
the test fixtures that apply cleanly).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.check.shapes import load_shapes, validate_graph
from sovkg.check.store_shapes import validate_store
from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import SOV
from sovkg.derive.knowledge_graph import KnowledgeGraph, build
from sovkg.load.scenario import shipped_scenarios

ROOT = Path(__file__).resolve().parents[2]
SHAPE_FIXTURES = sorted(
    str(p.relative_to(ROOT / "tests/fixtures/shapes"))
    for folder in ("valid", "invalid")
    for p in (ROOT / "tests/fixtures/shapes" / folder).iterdir()
    if p.suffix in (".ttl", ".trig") or p.is_dir()
)
TODAY = dt.date(2026, 11, 29)
_NUMERIC = {XSD.decimal, XSD.integer, XSD.double, XSD.float}


def _term(node: Node) -> object:
    if isinstance(node, BNode):
        return "_:b"
    if isinstance(node, Literal) and node.datatype in _NUMERIC:
        return ("number", Decimal(str(node)).normalize(), str(node.datatype))
    return node


def normalised(graph: Graph) -> set[tuple[object, object, object]]:
    """The triples of a graph with numbers compared by value (and blank nodes by kind)."""
    return {(_term(s), _term(p), _term(o)) for s, p, o in graph}


AMBIGUOUS = {"invalid/integrity-stake-two-holders.ttl"}
"""Fixtures whose data gives one node two values where the rules read one (a stake with two holders):
which one is read is arbitrary in either engine (rdflib's ``Graph.value``), so only the validation
results, which flag the data, are compared."""


def assert_same(reference: KnowledgeGraph, store: KnowledgeGraph, *, derived: bool = True) -> None:
    """The two engines' inferred graphs, findings and validation results are equal."""
    assert store.engine == "store" and store.store is not None
    if derived:
        expected, found = normalised(reference.inferred), normalised(store.inferred)
        assert found == expected, (sorted(map(str, expected - found))[:5], sorted(map(str, found - expected))[:5])
        assert store.findings == reference.findings
    shapes = load_shapes()
    pyshacl = validate_graph(reference.union, shapes)
    whole_graph = validate_store(store.store, shapes)
    assert whole_graph.results == pyshacl.results
    assert whole_graph.conforms == pyshacl.conforms


def both(*args: object, **kwargs: object) -> tuple[KnowledgeGraph, KnowledgeGraph]:
    return build(*args, engine="rdflib", **kwargs), build(*args, engine="store", **kwargs)  # type: ignore[arg-type]


def test_bundled_case_today(case: KnowledgeGraph) -> None:
    """The session's bundled case (store engine, the default) equals the reference pipeline's."""
    assert case.engine == "store"
    assert_same(build(as_of=TODAY, engine="rdflib"), case)
    assert case.findings and len(case.inferred) > 3000


@pytest.mark.slow
@pytest.mark.parametrize("day", ["2019-06-01", "2022-06-01", "2025-08-01"])
def test_bundled_case_at_other_dates(day: str) -> None:
    assert_same(*both(as_of=dt.date.fromisoformat(day)))


@pytest.mark.slow
@pytest.mark.parametrize("fixture", SHAPE_FIXTURES)
def test_shape_fixtures(fixture: str) -> None:
    assert_same(*both([ROOT / "tests/fixtures/shapes" / fixture], include_case=False, as_of=TODAY),
                derived=fixture not in AMBIGUOUS)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", shipped_scenarios())
def test_shipped_scenarios(scenario: str) -> None:
    assert_same(*both(as_of=TODAY, scenario=scenario))


@pytest.mark.slow
@pytest.mark.parametrize("scenario", sorted(p.name for p in (ROOT / "tests/fixtures/scenario").iterdir()))
def test_fixture_scenarios(scenario: str) -> None:
    """The test scenarios: the same answers, or the same input error from both engines."""
    path = ROOT / "tests/fixtures/scenario" / scenario
    try:
        reference = build(as_of=TODAY, scenario=path, engine="rdflib")
    except SovkgInputError as error:
        with pytest.raises(SovkgInputError) as raised:
            build(as_of=TODAY, scenario=path, engine="store")
        assert str(raised.value) == str(error)
        return
    assert_same(reference, build(as_of=TODAY, scenario=path, engine="store"))


def test_reference_data_alone_and_ownership_cases() -> None:
    """Small cases that run in every session: reference data only; the chain and ownership fixtures (cycles)."""
    assert_same(*both(include_case=False, as_of=dt.date(2019, 6, 1)))
    assert_same(*both([ROOT / "tests/fixtures/derive/chain.ttl", ROOT / "tests/fixtures/ownership/cases.ttl"],
                      include_case=False, as_of=TODAY))


def test_labels_of_the_same_rank_give_the_least_in_both_engines_in_any_order() -> None:
    """An organisation with two English labels: both engines write the least one into every derived label, whatever
    order the files (and so the triples) are read in (rdflib's reference once took the first it read)."""
    chain, extra = ROOT / "tests/fixtures/derive/chain.ttl", ROOT / "tests/fixtures/derive/two-labels.ttl"
    reference, store = both([chain, extra], include_case=False, as_of=TODAY)
    assert_same(reference, store)
    reversed_order = build([extra, chain], include_case=False, as_of=TODAY, engine="rdflib")
    assert normalised(reversed_order.inferred) == normalised(reference.inferred)
    about = ("derived/control/", "derived/applicability/org/sub/law/x-act/")
    labels = {str(o) for s, o in reference.inferred.subject_objects(RDFS.label) if str(s).startswith(
        tuple(f"https://w3id.org/sovkg/id/{kind}" for kind in about))}
    assert labels == {"Holding Ltd controls Sub Ltd", "Alpha Parent controls Holding Ltd",
                      "Sub Ltd is bound by X Act (control by a bound entity of Alpha Parent)"}
    assert reference.label(URIRef("https://w3id.org/sovkg/id/org/french-host")) == "French Host SAS"


def test_a_derived_store_is_reused(tmp_path: Path) -> None:
    """A second build on unchanged inputs starts from the cached derived store (and gives the same graph)."""
    import os

    from sovkg.derive.knowledge_graph import cached_store

    os.environ["SOVKG_CACHE_DIR"] = str(tmp_path)
    try:
        assert cached_store(include_case=False, as_of=TODAY) is None
        first = build(include_case=False, as_of=TODAY)
        again = cached_store(include_case=False, as_of=TODAY)
        assert again is not None and len(again) == len(first.store)  # type: ignore[arg-type]
        assert normalised(build(include_case=False, as_of=TODAY).inferred) == normalised(first.inferred)
    finally:
        os.environ.pop("SOVKG_CACHE_DIR")


def test_schema_with_blank_node_classes() -> None:
    """A user schema whose superclass and domain are OWL restrictions (blank nodes, which SPARQL ``VALUES``
    cannot name): the store engine joins those rules' schema side instead, and derives what rdflib derives."""
    reference, store = both([ROOT / "tests/fixtures/derive/chain.ttl",
                             ROOT / "tests/fixtures/derive/restriction-schema.ttl"], include_case=False, as_of=TODAY)
    assert_same(reference, store)
    vendor = URIRef("https://w3id.org/sovkg/id/org/vendor")
    types = set(store.inferred.objects(vendor, RDF.type))
    assert {SOV.Company, SOV.Organisation} <= types
    assert sum(isinstance(t, BNode) for t in types) == 2  # the restriction superclass and the domain
    assert (vendor, URIRef("https://example.org/vocab#dealsWith"), URIRef("https://w3id.org/sovkg/id/org/parent")) \
        in store.inferred


def test_derived_triples_given_as_input(tmp_path: Path) -> None:
    """An export of a derived graph loaded back as input: both engines derive only what is not there yet."""
    chain = ROOT / "tests/fixtures/derive/chain.ttl"
    exported = tmp_path / "derived.ttl"
    build([chain], include_case=False, as_of=TODAY, engine="rdflib").inferred.serialize(exported, format="turtle")
    reference, store = both([chain, exported], include_case=False, as_of=TODAY)
    assert_same(reference, store)
    assert not any(p.endswith("#inEffect") for _, p, _ in store.inferred)  # all given: none derived again
