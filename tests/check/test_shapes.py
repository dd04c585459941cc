"""The SHACL shapes, tested with valid and invalid fixtures (CONVENTIONS.md items 11 and 12).

Each fixture in ``tests/fixtures/shapes/{valid,invalid}/`` is loaded with the reference data (not
the French case) through :func:`sovkg.derive.knowledge_graph.build`, so the shapes see the derived triples
(``sov:inEffect``, ``sov:memberOf``, ``sov:subjectTo``, exposure findings) exactly as in a real
run. What a fixture adds is its results minus those of the reference data alone.

- A valid fixture adds no Violation (it may add Warnings: a valid fixture can still deserve one).
- An invalid fixture breaks exactly one constraint; ``expected.csv`` lists every result it adds
  as (file, focus, path, source shape, component, severity, requirement), compared exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from sovkg.check.shapes import ValidationReport, ValidationResult, load_shapes, shape_files, validate
from sovkg.core.namespaces import SOV
from sovkg.derive.knowledge_graph import build

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
EXPECTED = FIXTURES / "expected.csv"
SHAPES_DIR = ROOT / "ontology" / "shapes"
REQUIREMENTS = ROOT / "data" / "reference" / "requirements.ttl"
AS_OF = dt.date(2026, 11, 29)
"""The date every fixture is derived for (after the HDS 2018 referential stopped being accepted)."""

PREFIXES: dict[str, str] = {
    "sh": str(SH),
    "sov": str(SOV),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "kg": "https://w3id.org/sovkg/id/",
    "fx": "https://w3id.org/sovkg/id/fixture/",
    "req": "https://w3id.org/sovkg/id/requirement/",
    "integrity": "https://w3id.org/sovkg/ontology/integrity/shapes#",
    "hds": "https://w3id.org/sovkg/ontology/hds/shapes#",
    "sren": "https://w3id.org/sovkg/ontology/sren/shapes#",
    "cnil": "https://w3id.org/sovkg/ontology/cnil/shapes#",
    "snc": "https://w3id.org/sovkg/ontology/secnumcloud/shapes#",
    "guide": "https://w3id.org/sovkg/ontology/ontology/shapes#",
}
"""The prefixes ``expected.csv`` writes its IRIs with."""

Row = tuple[str, str, str, str, str, str]
"""(focus, path, source shape, component, severity, requirement), as full IRIs ("" when absent)."""

CONSTRAINT_PARAMETERS = {
    SH[name]
    for name in (
        "sparql",
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "minLength",
        "maxLength",
        "pattern",
        "languageIn",
        "uniqueLang",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
        "in",
        "hasValue",
        "node",
        "not",
        "and",
        "or",
        "xone",
        "closed",
        "qualifiedValueShape",
    )
}
"""SHACL parameters that make a shape report results of its own."""


def expand(curie: str) -> str:
    """Expand ``prefix:local`` with :data:`PREFIXES` (an empty cell stays empty)."""
    if not curie:
        return ""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return curie


def read_expected(path: Path = EXPECTED) -> dict[str, set[Row]]:
    """``expected.csv`` as {fixture file (relative to the fixtures folder): rows}."""
    expected: dict[str, set[Row]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            row = tuple(
                expand(record[k]) for k in ("focus", "path", "source_shape", "component", "severity", "requirement")
            )
            expected.setdefault(record["file"], set()).add(row)  # type: ignore[arg-type]
    return expected


def rows(results: Iterable[ValidationResult]) -> set[Row]:
    """The comparable part of each result."""
    return {
        (r.focus, r.path or "", r.source_shape, r.component, expand("sh:" + r.severity), r.requirement or "")
        for r in results
    }


def fixture_files(folder: str) -> list[str]:
    """The fixture files of one folder, relative to the fixtures folder."""
    return sorted(p.relative_to(FIXTURES).as_posix() for p in (FIXTURES / folder).glob("*.ttl"))


def show(found: set[Row], expected: set[Row]) -> str:
    """Missing and extra rows, one per line, for a failure message."""
    lines = [f"missing: {r}" for r in sorted(expected - found)]
    lines += [f"extra:   {r}" for r in sorted(found - expected)]
    return "\n".join(lines)


FIXTURE_DATES = {"invalid/sren-before-decree.ttl": dt.date(2025, 8, 1)}
"""Fixtures checked on another date than :data:`AS_OF` (a rule phase that applies only then)."""


@cache
def baseline(day: dt.date = AS_OF) -> ValidationReport:
    """The results of the reference data alone."""
    return validate(build([], include_case=False, as_of=day))


@cache
def added_rows(relative: str) -> set[Row]:
    """The rows a fixture adds to the reference data's results (on its date)."""
    day = FIXTURE_DATES.get(relative, AS_OF)
    report = validate(build([FIXTURES / relative], include_case=False, as_of=day))
    return rows(report.results) - rows(baseline(day).results)


VALID = fixture_files("valid")
INVALID = fixture_files("invalid")


def test_fixture_folders_are_collected() -> None:
    """Every glob-driven suite asserts what it collected: both folders hold fixtures."""
    assert VALID, "no valid shape fixtures found"
    assert INVALID, "no invalid shape fixtures found"


def test_expected_csv_lists_exactly_the_invalid_fixtures() -> None:
    """Every invalid fixture has a row in expected.csv, and every data-shape row names an existing fixture."""
    listed = {name for name in read_expected() if name.startswith("invalid/")}
    assert set(INVALID) == listed, (
        f"unlisted: {sorted(set(INVALID) - listed)}; no file: {sorted(listed - set(INVALID))}"
    )
    other = {name for name in read_expected() if not name.startswith(("invalid/", "ontology-invalid/"))}
    assert not other, f"rows for files outside invalid/ and ontology-invalid/: {sorted(other)}"


@pytest.mark.parametrize("relative", VALID)
def test_valid_fixture_adds_no_violation(relative: str) -> None:
    violations = {r for r in added_rows(relative) if r[4] == str(SH.Violation)}
    assert not violations, f"{relative}:\n" + show(violations, set())


@pytest.mark.parametrize("relative", INVALID)
def test_invalid_fixture_adds_the_expected_results(relative: str) -> None:
    expected = read_expected().get(relative, set())
    found = added_rows(relative)
    assert found == expected, f"{relative}:\n" + show(found, expected)


def test_invalid_fixtures_break_one_shape_each() -> None:
    """An invalid fixture breaks exactly one constraint: all its results come from one shape and component."""
    for relative, expected in read_expected().items():
        assert len({(r[2], r[3]) for r in expected}) == 1, f"{relative} lists several constraints"


def reporting_shapes(shapes: Graph) -> set[Node]:
    """Shapes that report results of their own: property shapes, and node shapes with a constraint parameter."""
    candidates = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    candidates |= set(shapes.objects(None, SH.property))
    found: set[Node] = set()
    for shape in candidates:
        is_property = (shape, SH.path, None) in shapes
        if is_property or any((shape, p, None) in shapes for p in CONSTRAINT_PARAMETERS):
            found.add(shape)
    return found


def all_shapes() -> Graph:
    """Every shapes file, the ontology guide included."""
    files = sorted(SHAPES_DIR.glob("*.shapes.ttl"))
    assert files, "no shapes files found"
    return load_shapes(files)


def test_every_shape_is_named_and_implements_a_defined_requirement() -> None:
    shapes = all_shapes()
    reporting = reporting_shapes(shapes)
    assert reporting, "no reporting shapes found"
    requirements = Graph().parse(REQUIREMENTS, format="turtle")
    defined = set(requirements.subjects(RDF.type, SOV.LegalRequirement))
    assert defined, f"{REQUIREMENTS} defines no sov:LegalRequirement"
    for shape in sorted(reporting, key=str):
        assert isinstance(shape, URIRef), f"a reporting shape is a blank node: {shape!r}"
        implemented = set(shapes.objects(shape, SOV.implements))
        assert len(implemented) == 1, f"{shape} implements {sorted(map(str, implemented))}"
        assert implemented <= defined, (
            f"{shape} implements {sorted(map(str, implemented - defined))}, not in {REQUIREMENTS.name}"
        )
        assert (shape, SH.message, None) in shapes, f"{shape} has no sh:message"


def test_every_reporting_shape_is_exercised_by_an_invalid_fixture() -> None:
    """Each shape can fail: some invalid fixture (data or ontology guide) expects a result from it."""
    exercised = {row[2] for expected in read_expected().values() for row in expected}
    missing = sorted(str(s) for s in reporting_shapes(all_shapes()) if str(s) not in exercised)
    assert not missing, "shapes no invalid fixture exercises: " + ", ".join(missing)


def test_every_shapes_file_is_a_named_graph_of_its_rule_family() -> None:
    """Each ``<family>.shapes.ttl`` declares the owl:Ontology ``https://w3id.org/sovkg/ontology/<family>/shapes``."""
    files = sorted(SHAPES_DIR.glob("*.shapes.ttl"))
    assert {p.name for p in files} >= {
        "integrity.shapes.ttl",
        "hds.shapes.ttl",
        "sren.shapes.ttl",
        "cnil.shapes.ttl",
        "secnumcloud.shapes.ttl",
        "ontology.shapes.ttl",
    }
    for path in files:
        graph = Graph().parse(path, format="turtle")
        family = path.name.removesuffix(".shapes.ttl")
        ontologies = set(graph.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")))
        assert ontologies == {URIRef(f"https://w3id.org/sovkg/ontology/{family}/shapes")}, path.name


def test_default_shapes_leave_out_the_ontology_guide() -> None:
    names = {p.name for p in shape_files()}
    assert "ontology.shapes.ttl" not in names
    assert {
        "integrity.shapes.ttl",
        "hds.shapes.ttl",
        "sren.shapes.ttl",
        "cnil.shapes.ttl",
        "secnumcloud.shapes.ttl",
    } <= names


def test_reference_data_has_no_violation() -> None:
    """The reference data (jurisdictions, laws, schemes, requirements, sources) passes the data shapes."""
    violations = baseline().violations
    assert not violations, "\n".join(f"{r.focus} {r.path} {r.message}" for r in violations)


def test_report_conforms_unless_a_violation_and_is_sorted() -> None:
    """Warnings do not break conformance; results are sorted by severity, focus, requirement, message."""
    report = validate(
        build(
            [
                FIXTURES / "invalid" / "integrity-organisation-seat-unknown.ttl",
                FIXTURES / "invalid" / "hds-activity-not-covered.ttl",
            ],
            include_case=False,
            as_of=AS_OF,
        )
    )
    severities = [r.severity for r in report.results]
    assert "Warning" in severities and "Violation" in severities
    assert severities == sorted(severities, key=("Violation", "Warning", "Info").index)
    assert list(report.results) == sorted(report.results, key=ValidationResult.sort_key)
    assert report.conforms is False
    warning_only = validate(
        build([FIXTURES / "invalid" / "integrity-organisation-seat-unknown.ttl"], include_case=False, as_of=AS_OF)
    )
    added = [r for r in warning_only.results if r.focus.startswith(PREFIXES["fx"])]
    assert [r.severity for r in added] == ["Warning"]
    assert warning_only.conforms == baseline().conforms


def test_report_json_has_the_documented_keys() -> None:
    """``sovkg validate --format json`` gives ``{"conforms", "results": [...]}`` with the DESIGN.md §5 keys."""
    report = validate(build([FIXTURES / "invalid" / "hds-activity-not-covered.ttl"], include_case=False, as_of=AS_OF))
    data = report.to_json()
    assert set(data) == {"conforms", "results"} and data["conforms"] is False
    result = next(r for r in data["results"] if r["focus"] == PREFIXES["fx"] + "records-hosting")
    assert {"focus", "focus_label", "severity", "requirement", "message"} <= set(result)
    assert result["focus_label"] == "Fixture Santé Cloud administers and hosts the records"
    assert result["requirement"] == PREFIXES["req"] + "csp-l1111-8-hds-certificate"
    assert "HDS activity 5" in result["message"]
