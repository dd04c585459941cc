"""Check the knowledge graph against sovkg's SHACL shapes and report what breaks which rule.

The shapes live in ``ontology/shapes/``, one file per rule family (data integrity, HDS, SREN,
CNIL, SecNumCloud); ``ontology.shapes.ttl`` is the ontology guide, run on the ontology modules
rather than on data, so it is not part of the default set. Each shape names the legal requirement
it implements (``sov:implements``), and each result carries it.

Validation runs pySHACL once over asserted and derived triples together (``kg.union``), with no
inference of its own (the derivation already ran: ECOSYSTEM.md §1.3) and with SHACL-AF enabled
for the SPARQL targets. A report conforms unless a result is a Violation: Warnings and Infos are
reported but do not break conformance.

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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from sovkg.core import cache
from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import SOV
from sovkg.core.resources import resource_path

if TYPE_CHECKING:
    from sovkg.derive.knowledge_graph import KnowledgeGraph

ONTOLOGY_GUIDE = "ontology.shapes.ttl"
"""The shapes file that checks the ontology modules themselves (not part of :func:`load_shapes`)."""

SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")
"""Result severities, most severe first (the sort order of a report)."""


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node breaks which shape, how badly, and which requirement says so."""

    focus: str
    focus_label: str
    severity: str
    requirement: str | None
    message: str
    source_shape: str
    path: str | None
    component: str
    value: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the result as in ``sovkg validate --format json`` (DESIGN.md §5), plus details."""
        return {
            "focus": self.focus,
            "focus_label": self.focus_label,
            "severity": self.severity,
            "requirement": self.requirement,
            "message": self.message,
            "source_shape": self.source_shape,
            "path": self.path,
            "component": self.component,
            "value": self.value,
        }

    def sort_key(self) -> tuple[Any, ...]:
        """Severity (most severe first), focus, requirement, message, then the rest."""
        rank = SEVERITIES.index(self.severity) if self.severity in SEVERITIES else len(SEVERITIES)
        return (
            rank,
            self.focus,
            self.requirement or "",
            self.message,
            self.source_shape,
            self.path or "",
            self.component,
            self.value or "",
        )


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: conforms unless some result is a Violation."""

    conforms: bool
    results: tuple[ValidationResult, ...]

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """The results of severity Violation."""
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        """The results of severity Warning."""
        return tuple(r for r in self.results if r.severity == "Warning")

    def to_json(self) -> dict[str, Any]:
        """Return ``{"conforms": bool, "results": [{"focus", "focus_label", "severity", ...}]}``."""
        return {"conforms": self.conforms, "results": [r.to_json() for r in self.results]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ValidationReport:
        """Rebuild a report from :meth:`to_json` (used by the cache).

        >>> report = ValidationReport(True, (ValidationResult("f", "F", "Warning", None, "m", "s", None, "c"),))
        >>> ValidationReport.from_json(report.to_json()) == report
        True
        """
        fields = ("focus", "focus_label", "severity", "requirement", "message", "source_shape", "path",
                  "component", "value")
        results = tuple(ValidationResult(**{k: r.get(k) for k in fields}) for r in data["results"])
        return cls(conforms=bool(data["conforms"]), results=results)


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
    results = sorted(
        {r for r in _read_results(report_graph, data, shapes) if not _dated_after(data, r)},
        key=ValidationResult.sort_key,
    )
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
    if shapes is not None:
        return validate_graph(kg.union, shapes)
    found = kg.memo.get("validation")
    if isinstance(found, ValidationReport):
        return found
    key = kg.cache_key("validation") if kg.inputs else None
    cached = cache.load(key) if key else None
    if cached is not None:
        report = ValidationReport.from_json(cached)
    else:
        report = validate_graph(kg.union)
        if key:
            cache.store(key, report.to_json())
    kg.memo["validation"] = report
    return report


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
            severity=_local_name(severity) if severity is not None else "Violation",
            requirement=str(requirement) if requirement is not None else None,
            message=_message(report.objects(result, SH.resultMessage)),
            source_shape=str(shape),
            path=render_path(report, path) if path is not None else None,
            component=str(report.value(result, SH.sourceConstraintComponent)),
            value=str(value) if value is not None else None,
        )


def _dated_after(data: Graph, result: ValidationResult) -> bool:
    """True when the result rests on a rule or concerns a node dated after the graph's date.

    A legal requirement applies from its own ``sov:validFrom`` (with its source), and an event,
    source, plan or system dated after the date asked is not known on it: the derivation marks
    both ``sov:afterAsOf`` (:mod:`sovkg.derive.known`), and their results are not reported.
    """
    marked = Literal(True)
    if result.requirement is not None and (URIRef(result.requirement), SOV.afterAsOf, marked) in data:
        return True
    return (URIRef(result.focus), SOV.afterAsOf, marked) in data


def node_label(graph: Graph, node: Node | None) -> str:
    """The node's rdfs:label (English preferred, then untagged, then any), else skos:prefLabel, else its IRI."""
    if node is None:
        return ""
    labels = [v for v in graph.objects(node, RDFS.label) if isinstance(v, Literal)]
    labels.sort(key=str)
    for wanted in ("en", None):
        for value in labels:
            if value.language == wanted:
                return str(value)
    if labels:
        return str(labels[0])
    pref = graph.value(node, SKOS.prefLabel)
    return str(pref) if pref is not None else str(node)


def render_path(graph: Graph, path: Node) -> str:
    """A SHACL property path as text: the IRI of a predicate, SPARQL-like syntax otherwise."""
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode):
        if graph.value(path, RDF.first) is not None:
            return "/".join(render_path(graph, p) for p in Collection(graph, path))
        for predicate, template in (
            (SH.inversePath, "^{}"),
            (SH.zeroOrMorePath, "{}*"),
            (SH.oneOrMorePath, "{}+"),
            (SH.zeroOrOnePath, "{}?"),
        ):
            inner = graph.value(path, predicate)
            if inner is not None:
                return template.format(_wrap(graph, inner))
        alternatives = graph.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(render_path(graph, p) for p in Collection(graph, alternatives)) + ")"
    return str(path)


def _wrap(graph: Graph, path: Node) -> str:
    text = render_path(graph, path)
    return f"<{text}>" if isinstance(path, URIRef) else f"({text})"


def _message(messages: Iterable[Node]) -> str:
    texts = sorted(
        (m for m in messages if isinstance(m, Literal)), key=lambda m: (m.language not in ("en", None), str(m))
    )
    return str(texts[0]) if texts else ""


def _local_name(iri: Node) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
