"""The validation report's data: results, the report, and how nodes and paths are written in it.

Takes rdflib terms; gives the :class:`ValidationReport` both validators produce (pySHACL's,
:mod:`sovkg.check.shapes`, and the store engine's, :mod:`sovkg.check.store_shapes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from sovkg.derive.common import label

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


def node_label(graph: Graph, node: Node | None) -> str:
    """The node's label as :func:`sovkg.derive.common.label` gives it (English preferred), else its IRI."""
    return label(graph, node)


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


def first_message(messages: Iterable[Node]) -> str:
    """The message a result shows: English or untagged first, then the first in alphabetical order."""
    texts = sorted(
        (m for m in messages if isinstance(m, Literal)), key=lambda m: (m.language not in ("en", None), str(m))
    )
    return str(texts[0]) if texts else ""


def local_name(iri: Node) -> str:
    """The last segment of an IRI (after # or /)."""
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def known_on_date(results: Iterable[ValidationResult], marked: set[str]) -> list[ValidationResult]:
    """The results that rest on no rule and concern no node dated after the graph's date, sorted.

    A legal requirement applies from its own ``sov:validFrom`` (with its source), and an event,
    source, plan or system dated after the date asked is not known on it: the derivation marks both
    ``sov:afterAsOf`` (:mod:`sovkg.derive.known`; ``marked`` holds their IRIs), and their results are
    not reported.
    """
    return sorted(
        {r for r in results if r.focus not in marked and (r.requirement is None or r.requirement not in marked)},
        key=ValidationResult.sort_key,
    )
