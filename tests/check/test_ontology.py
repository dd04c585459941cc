"""The ontology modules: they parse, declare one ontology each, follow the ontology guide, and are Turtle
that survives a canonical round trip. The guide's shapes are proved able to fail by the fixtures in
``tests/fixtures/shapes/ontology-invalid/`` (expected results in ``tests/fixtures/shapes/expected.csv``).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF, SH

from sovkg.check.shapes import ValidationReport, load_shapes, ontology_guide_file, validate_graph

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
SHAPES = ONTOLOGY / "shapes"
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
INVALID = FIXTURES / "ontology-invalid"
EXPECTED = FIXTURES / "expected.csv"
ONTOLOGY_BASE = "https://w3id.org/sovkg/ontology/"

PREFIXES: dict[str, str] = {
    "sh": str(SH),
    "sov": "https://w3id.org/sovkg/ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": str(OWL),
    "req": "https://w3id.org/sovkg/id/requirement/",
    "guide": "https://w3id.org/sovkg/ontology/ontology/shapes#",
}

MODULES = sorted(ONTOLOGY.glob("*.ttl"))
SHAPE_FILES = sorted(SHAPES.glob("*.ttl"))
OWNED_CANONICAL = [*SHAPE_FILES, ONTOLOGY / "alignment.ttl", *sorted(FIXTURES.glob("*/*.ttl"))]
"""Files written as rdflib's ``longturtle`` serialiser writes them (CONVENTIONS.md item 6)."""
INVALID_FIXTURES = sorted(INVALID.glob("*.ttl"))

Row = tuple[str, str, str, str, str, str]


def expand(curie: str) -> str:
    prefix, sep, local = curie.partition(":")
    return PREFIXES[prefix] + local if sep and prefix in PREFIXES else curie


@cache
def parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@cache
def guide() -> Graph:
    return load_shapes([ontology_guide_file()])


def rows(report: ValidationReport) -> set[Row]:
    return {
        (r.focus, r.path or "", r.source_shape, r.component, str(SH[r.severity]), r.requirement or "")
        for r in report.results
    }


def expected_rows() -> dict[str, set[Row]]:
    expected: dict[str, set[Row]] = {}
    with EXPECTED.open(newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            if record["file"].startswith("ontology-invalid/"):
                row = tuple(
                    expand(record[k]) if record[k] else ""
                    for k in ("focus", "path", "source_shape", "component", "severity", "requirement")
                )
                expected.setdefault(record["file"], set()).add(row)  # type: ignore[arg-type]
    return expected


def test_files_are_collected() -> None:
    assert MODULES, "no ontology module found"
    assert SHAPE_FILES, "no shapes file found"
    assert INVALID_FIXTURES, "no ontology-invalid fixture found"
    assert ONTOLOGY / "alignment.ttl" in MODULES


@pytest.mark.parametrize("path", MODULES + SHAPE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_module_parses_and_declares_one_ontology(path: Path) -> None:
    """Each module is one owl:Ontology named after its file: ``ontology/x.ttl`` is ``.../ontology/x``,
    ``ontology/shapes/x.shapes.ttl`` is ``.../ontology/x/shapes``."""
    graph = parse(path)
    assert len(graph) > 0
    ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
    if path.parent == SHAPES:
        name = ONTOLOGY_BASE + path.name.removesuffix(".shapes.ttl") + "/shapes"
    else:
        name = ONTOLOGY_BASE + path.stem
    assert ontologies == {URIRef(name)}


def test_ontology_follows_the_ontology_guide() -> None:
    """The guide's shapes find nothing at all (not even a warning) in ``ontology/*.ttl`` taken together."""
    modules = Graph()
    for path in MODULES:
        modules += parse(path)
    report = validate_graph(modules, guide())
    assert report.results == (), "\n".join(f"{r.focus} {r.path or ''}: {r.message}" for r in report.results)


def test_expected_csv_lists_exactly_the_ontology_invalid_fixtures() -> None:
    listed = set(expected_rows())
    found = {f"ontology-invalid/{p.name}" for p in INVALID_FIXTURES}
    assert found == listed, f"unlisted: {sorted(found - listed)}; no file: {sorted(listed - found)}"


@pytest.mark.parametrize("path", INVALID_FIXTURES, ids=lambda p: p.name)
def test_invalid_ontology_fixture_fails_the_guide(path: Path) -> None:
    expected = expected_rows().get(f"ontology-invalid/{path.name}", set())
    found = rows(validate_graph(parse(path), guide()))
    missing = [f"missing: {r}" for r in sorted(expected - found)]
    extra = [f"extra:   {r}" for r in sorted(found - expected)]
    assert found == expected, f"{path.name}:\n" + "\n".join(missing + extra)


@pytest.mark.parametrize("path", MODULES + SHAPE_FILES + OWNED_CANONICAL, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_canonical_turtle_round_trip_is_isomorphic(path: Path) -> None:
    """Parsing a file and re-serialising it with rdflib's ``longturtle`` gives the same graph."""
    graph = parse(path)
    again = Graph().parse(data=graph.serialize(format="longturtle"), format="turtle")
    assert isomorphic(graph, again)
    assert to_isomorphic(graph) == to_isomorphic(again)


@pytest.mark.parametrize("path", OWNED_CANONICAL, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shapes_alignment_and_fixtures_are_canonical_turtle(path: Path) -> None:
    """The shapes, the alignment module and the shape fixtures are committed exactly as ``longturtle`` writes them."""
    text = path.read_text(encoding="utf-8")
    assert text == parse(path).serialize(format="longturtle"), (
        f"{path.relative_to(ROOT)} is not canonical: rewrite it with "
        "Graph().parse(path).serialize(path, format='longturtle')"
    )


def test_alignment_maps_only_sovkg_terms_with_skos() -> None:
    """Every triple of the alignment module but its header is a SKOS mapping from a sov: term."""
    graph = parse(ONTOLOGY / "alignment.ttl")
    header = URIRef(ONTOLOGY_BASE + "alignment")
    mappings = {
        URIRef("http://www.w3.org/2004/02/skos/core#" + m)
        for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
    }
    body = [(s, p, o) for s, p, o in graph if s != header]
    assert body
    for s, p, o in body:
        assert str(s).startswith(PREFIXES["sov"]), s
        assert p in mappings, p
        assert isinstance(o, URIRef) and not str(o).startswith(PREFIXES["sov"]), o
    declared = set()
    for path in MODULES:
        if path.name != "alignment.ttl":
            declared |= set(parse(path).subjects(URIRef("http://www.w3.org/2000/01/rdf-schema#isDefinedBy"), None))
    undeclared = sorted(str(s) for s in {s for s, _, _ in body} - declared)
    assert not undeclared, "mapped terms the ontology does not define: " + ", ".join(undeclared)
