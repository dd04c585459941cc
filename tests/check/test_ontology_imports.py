"""The ontology opens offline with its imports (``ontology/catalog-v001.xml``) and every external term
it uses is declared with its OWL 2 kind (``ontology/imports/external.ttl``), as OWL 2 DL requires."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
CATALOG = ONTOLOGY / "catalog-v001.xml"
EXTERNAL = ONTOLOGY / "imports" / "external.ttl"
MODULES = sorted(ONTOLOGY.glob("*.ttl"))
BUILT_IN = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
    "https://w3id.org/sovkg/",
)
KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


def _catalog() -> dict[str, Path]:
    tree = ET.parse(CATALOG)
    namespace = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
    return {entry.attrib["name"]: ONTOLOGY / entry.attrib["uri"] for entry in tree.getroot().iter(f"{namespace}uri")}


def _modules_graph() -> Graph:
    graph = Graph()
    for path in MODULES:
        graph.parse(path, format="turtle")
    return graph


def _external(term: object) -> bool:
    return isinstance(term, URIRef) and not str(term).startswith(BUILT_IN)


def used_external_terms(graph: Graph) -> dict[URIRef, URIRef]:
    """Each external term the modules use in a way OWL 2 DL needs declared, with the kind that use needs."""
    needed: dict[URIRef, URIRef] = {}
    kind_of = {t: k for k in KINDS for t in graph.subjects(RDF.type, k)}
    for s, p, o in graph:
        if _external(p):
            needed[p] = OWL.AnnotationProperty  # used on ontology entities and headers: annotations
        if p in (RDFS.subClassOf, RDFS.domain, RDFS.range) and _external(o):
            needed[o] = OWL.Class  # type: ignore[index]
        if p == RDF.type and _external(o):
            needed[o] = OWL.Class  # type: ignore[index]
        if p in (RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentProperty) and _external(o):
            needed[o] = kind_of[s]  # type: ignore[index]  # same kind as the sov: property
    return needed


def test_catalog_maps_every_module_and_import_to_a_local_file() -> None:
    catalog = _catalog()
    files = [*MODULES, EXTERNAL]
    for path in files:
        graph = Graph().parse(path, format="turtle")
        for ontology in graph.subjects(RDF.type, OWL.Ontology):
            assert catalog.get(str(ontology)) == path, f"{ontology} is not mapped to {path.name}"
            for version in graph.objects(ontology, OWL.versionIRI):
                assert catalog.get(str(version)) == path
            for imported in graph.objects(ontology, OWL.imports):
                assert str(imported) in catalog, f"{path.name} imports {imported}, which the catalog does not map"
    assert all(path.exists() for path in catalog.values())
    assert len(catalog) == 2 * len(files)


def test_imports_close_offline_from_the_top_module() -> None:
    """Following owl:imports through the catalog from the alignment module reaches every module, offline."""
    catalog = _catalog()
    seen: set[str] = set()
    todo = ["https://w3id.org/sovkg/ontology/alignment"]
    while todo:
        iri = todo.pop()
        if iri in seen:
            continue
        seen.add(iri)
        graph = Graph().parse(catalog[iri], format="turtle")
        todo += [str(o) for o in graph.objects(URIRef(iri), OWL.imports)]
    reached = {catalog[i] for i in seen}
    assert reached >= {*MODULES, EXTERNAL} - {ONTOLOGY / "scenario.ttl"}


def test_every_external_term_used_is_declared_with_its_kind() -> None:
    needed = used_external_terms(_modules_graph())
    declared_graph = Graph().parse(EXTERNAL, format="turtle")
    declared = {t: k for k in KINDS for t in declared_graph.subjects(RDF.type, k)}
    assert needed, "the modules use external terms (PROV, SKOS, ORG, DCTERMS)"
    missing = sorted(f"{t} ({k.fragment})" for t, k in needed.items() if t not in declared)
    wrong = sorted(f"{t}: declared {declared[t].fragment}, used as {k.fragment}"
                   for t, k in needed.items() if t in declared and declared[t] != k)
    stale = sorted(str(t) for t in set(declared) - set(needed))
    assert not missing, "declare in ontology/imports/external.ttl: " + ", ".join(missing)
    assert not wrong, "; ".join(wrong)
    assert not stale, "declared but no longer used: " + ", ".join(stale)


def test_no_term_is_both_a_class_and_a_property() -> None:
    """OWL 2 DL forbids an IRI being a class and a property, or an object and a data property."""
    graph = _modules_graph() + Graph().parse(EXTERNAL, format="turtle")
    kinds: dict[URIRef, set[URIRef]] = {}
    for kind in KINDS:
        for term in graph.subjects(RDF.type, kind):
            kinds.setdefault(term, set()).add(kind)  # type: ignore[arg-type]
    clashes = sorted(str(t) for t, k in kinds.items() if len(k) > 1)
    assert not clashes, clashes


def test_external_module_is_not_loaded_into_the_knowledge_graph() -> None:
    from sovkg.load.inputs import bundled_files

    paths = {f.path.resolve() for f in bundled_files(include_case=False, include_reference=False)}
    assert EXTERNAL.resolve() not in paths
    assert CATALOG.resolve() not in paths
