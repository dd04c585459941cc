"""Check the knowledge graph against sovkg's SHACL shapes and report what breaks which rule.

The shapes live in ``ontology/shapes/``, one file per rule family (data integrity, HDS, SREN,
CNIL, SecNumCloud); ``ontology.shapes.ttl`` is the ontology guide, run on the ontology modules
rather than on data, so it is not part of the default set. Each shape names the legal requirement
it implements (``sov:implements``), and each result carries it.

With the store engine (the default, ``docs/engine.md``) the shapes run as whole-graph queries on
the knowledge graph's Oxigraph store (:mod:`sovkg.check.store_shapes`). With ``--engine rdflib``
validation runs pySHACL once over asserted and derived triples together (``kg.union``), with no
inference of its own (the derivation already ran: ECOSYSTEM.md §1.3) and with SHACL-AF enabled
for the SPARQL targets; both give the same report (``tests/derive/test_store_engine.py``).
A report conforms unless a result is a Violation: Warnings and Infos are reported but do not
break conformance.

>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
... @prefix sov: <https://w3id.org/sovkg/ns#> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... <https://w3id.org/sovkg/id/stake/x> a sov:OwnershipStake ; rdfs:label "X in Y"@en ;
...     sov:capitalPercent 120 .
... ''')
>>> report = validate_graph(data)
>>> report.conforms
False
>>> [(r.severity, r.path) for r in report.results if r.component.endswith("MaxInclusiveConstraintComponent")]
[('Violation', 'https://w3id.org/sovkg/ns#capitalPercent')]
>>> report.results[0].focus_label
'X in Y'
>>> sorted(report.to_json())
['conforms', 'results']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF, SH

from sovkg.check.results import (
    ValidationReport,
    ValidationResult,
    first_message,
    known_on_date,
    local_name,
    node_label,
    render_path,
)
from sovkg.core import cache
from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import SOV
from sovkg.core.resources import resource_path

if TYPE_CHECKING:
    from sovkg.derive.knowledge_graph import KnowledgeGraph

ONTOLOGY_GUIDE = "ontology.shapes.ttl"
"""The shapes file that checks the ontology modules themselves (not part of :func:`load_shapes`)."""



def shape_files(folder: Path | None = None) -> tuple[Path, ...]:
    """The data shapes files: every ``*.shapes.ttl`` of ``ontology/shapes`` but the ontology guide."""
    folder = folder or resource_path("ontology/shapes")
    return tuple(sorted(p for p in folder.glob("*.shapes.ttl") if p.name != ONTOLOGY_GUIDE))


def ontology_guide_file() -> Path:
    """The shapes file of the ontology guide (run on ``ontology/*.ttl``)."""
    return resource_path("ontology/shapes") / ONTOLOGY_GUIDE


def load_shapes(paths: Sequence[Path] | None = None) -> Graph:
    """Parse shapes files into one graph (default: :func:`shape_files`). Cached: do not modify it."""
    chosen = tuple(Path(p).resolve() for p in (shape_files() if paths is None else paths))
    return _load_shapes(chosen)


@lru_cache(maxsize=8)
def _load_shapes(paths: tuple[Path, ...]) -> Graph:
    shapes = Graph()
    for path in paths:
        try:
            shapes.parse(path, format="turtle")
        except FileNotFoundError:
            raise SovkgInputError(f"{path}: no such shapes file") from None
        except Exception as error:  # rdflib raises several syntax error types
            raise SovkgInputError(f"{path}: {error}") from None
    return shapes


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (asserted and derived triples together) against ``shapes``.

    pySHACL runs with ``inference="none"`` and SHACL-AF (``advanced=True``, for the SPARQL
    targets). When the shapes hold no SHACL rule nothing can be written to ``data``, so it is
    validated in place rather than cloned.
    """
    from pyshacl import validate as shacl_validate

    shapes = load_shapes() if shapes is None else shapes
    if isinstance(data, Dataset):
        merged = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            merged.add((s, p, o))
        data = merged
    has_rules = next(shapes.triples((None, SH.rule, None)), None) is not None
    with prepared_sparql_queries():
        _, report_graph, _ = shacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
            inplace=not has_rules,
        )
    marked = {str(node) for node in data.subjects(SOV.afterAsOf, Literal(True))}
    results = known_on_date(_read_results(report_graph, data, shapes), marked)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=tuple(results))


@contextmanager
def prepared_sparql_queries() -> Iterator[None]:
    """Parse each distinct SPARQL query once while the block runs.

    pySHACL runs a SPARQL-based constraint once per focus node, passing the same query text with a
    different ``$this`` binding; rdflib parses the text on every call, and parsing is most of the
    cost (measured: ~75 % of validation time on the bundled case). Inside this block rdflib's
    SPARQL processor keeps the translated query per (text, base, namespaces) and evaluates it with
    the call's bindings — what :func:`rdflib.plugins.sparql.prepareQuery` does for a caller that
    re-uses a query. Results are unchanged (``tests/test_shapes.py`` runs every fixture through it).
    The translations are also kept on disk between processes (:mod:`sovkg.check.compiled_queries`).
    """
    from rdflib.plugins.sparql import processor

    from sovkg.check.compiled_queries import translated

    original = processor.SPARQLProcessor.query

    def query(self: Any, strOrQuery: Any, initBindings: Any = None, initNs: Any = None,
              base: Any = None, DEBUG: bool = False) -> Any:
        if isinstance(strOrQuery, str):
            strOrQuery = translated(strOrQuery, base, initNs)
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


def validate(kg: KnowledgeGraph, shapes: Graph | None = None) -> ValidationReport:
    """Validate a :class:`~sovkg.derive.knowledge_graph.KnowledgeGraph` (asserted and derived triples, ``kg.union``).

    With the default shapes the report is computed once per knowledge graph and kept on disk under
    :meth:`~sovkg.derive.knowledge_graph.KnowledgeGraph.cache_key`, so a second run on unchanged
    inputs reads it back instead of validating again.
    """
    store = kg.store if kg.engine == "store" else None
    if shapes is not None:
        return validate_graph(kg.union, shapes) if store is None else _validate_store(store, shapes)
    found = kg.memo.get("validation")
    if isinstance(found, ValidationReport):
        return found
    key = kg.cache_key(f"validation-{kg.engine}") if kg.inputs else None
    cached = cache.load(key) if key else None
    if cached is not None:
        report = ValidationReport.from_json(cached)
    else:
        report = validate_graph(kg.union) if store is None else _validate_store(store, load_shapes())
        if key:
            cache.store(key, report.to_json())
    kg.memo["validation"] = report
    return report


def _validate_store(store: Any, shapes: Graph) -> ValidationReport:
    from sovkg.check.store_shapes import validate_store

    return validate_store(store, shapes)


# ------------------------------------------------------------------------------------------ helpers


def _read_results(report: Graph, data: Graph, shapes: Graph) -> Iterable[ValidationResult]:
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        requirement = shapes.value(shape, SOV.implements) if shape is not None else None
        yield ValidationResult(
            focus=str(focus),
            focus_label=node_label(data, focus),
            severity=local_name(severity) if severity is not None else "Violation",
            requirement=str(requirement) if requirement is not None else None,
            message=first_message(report.objects(result, SH.resultMessage)),
            source_shape=str(shape),
            path=render_path(report, path) if path is not None else None,
            component=str(report.value(result, SH.sourceConstraintComponent)),
            value=str(value) if value is not None else None,
        )
