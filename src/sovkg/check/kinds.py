"""Compliance findings apart from data-quality notes: sort validation results and group them.

Takes the :class:`sovkg.check.shapes.ValidationResult` objects of a validation and the graph they
were computed on; gives, for each result, its **kind** and its **scope**, and the compliance findings
grouped one per system, rule and cause.

- *kind*: ``data-quality`` when the shape implements the requirement ``kg:requirement/data-integrity``
  (sovkg's own housekeeping rules: sources, seats, dates, records that contradict each other), else
  ``compliance`` (a legal rule: HDS, SecNumCloud, SREN, CNIL).
- *scope*: ``reference`` when every asserted statement about the focus node comes from the bundled
  ontology or reference data (``data/reference``), so that a note about it says nothing about the
  user's own data; else ``data``.
- *grouping*: a compliance result about a hosting arrangement is read as one about the system it
  hosts; results with the same system (or focus), requirement and shape are one finding, whatever
  the number of laws or values behind it (SREN art. 31 breached through the CLOUD Act and FISA 702
  is one finding, not two).

>>> from sovkg.check.shapes import ValidationResult
>>> r = ValidationResult("urn:x", "X", "Warning", "https://w3id.org/sovkg/id/requirement/data-integrity",
...                      "m", "s", None, "c")
>>> result_kind(r)
'data-quality'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Dataset, URIRef

from sovkg.check.results import SEVERITIES, ValidationResult
from sovkg.core.namespaces import INFERRED_GRAPH, KG, SOV

KINDS: tuple[str, ...] = ("compliance", "data-quality")
DATA_INTEGRITY = str(KG["requirement/data-integrity"])
_BUNDLED_PREFIXES = ("https://w3id.org/sovkg/graph/ontology/", "https://w3id.org/sovkg/graph/data/reference/")


def result_kind(result: ValidationResult | Mapping[str, Any]) -> str:
    """``data-quality`` for sovkg's housekeeping requirement, else ``compliance``."""
    requirement = result.requirement if isinstance(result, ValidationResult) else result.get("requirement")
    return "data-quality" if requirement == DATA_INTEGRITY else "compliance"


def reference_only_nodes(dataset: Dataset, nodes: Iterable[str]) -> set[str]:
    """The nodes among ``nodes`` whose asserted statements all come from the bundled ontology or
    reference data (none from the French case, a scenario or the user's files)."""
    wanted = {URIRef(n) for n in nodes}
    seen_elsewhere: set[URIRef] = set()
    seen_bundled: set[URIRef] = set()
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if graph.identifier == INFERRED_GRAPH:
            continue  # derived statements are about every kind of node; they say nothing of who described it
        bundled = name.startswith(_BUNDLED_PREFIXES)
        for node in wanted:
            if (node, None, None) in graph:
                (seen_bundled if bundled else seen_elsewhere).add(node)
    return {str(n) for n in seen_bundled - seen_elsewhere}


@dataclass(frozen=True)
class ComplianceFinding:
    """One compliance finding: a system (or other focus), a rule, a cause, and the results behind it."""

    focus: str
    focus_label: str
    severity: str
    requirement: str | None
    requirement_label: str | None
    source_shape: str
    messages: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "focus": self.focus,
            "focus_label": self.focus_label,
            "severity": self.severity,
            "requirement": self.requirement,
            "requirement_label": self.requirement_label,
            "source_shape": self.source_shape,
            "messages": list(self.messages),
        }


def compliance_findings(results: Sequence[Mapping[str, Any]], systems_of: Mapping[str, tuple[str, str]]
                        ) -> list[ComplianceFinding]:
    """Group compliance results one per (system or focus, requirement, shape), most severe first.

    ``systems_of`` maps an arrangement IRI to its system's (IRI, label).

    >>> rows = [{"focus": "a", "focus_label": "A", "severity": "Violation", "requirement": "r",
    ...          "requirement_label": "R", "source_shape": "s", "message": m} for m in ("m1", "m2")]
    >>> [(f.focus_label, f.messages) for f in compliance_findings(rows, {"a": ("sys", "System")})]
    [('System', ('m1', 'm2'))]
    """
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in results:
        if result_kind(r) != "compliance":
            continue
        focus, focus_label = systems_of.get(r["focus"], (r["focus"], r["focus_label"]))
        key = (focus, r.get("requirement") or "", r["source_shape"])
        group = groups.setdefault(key, {
            "focus_label": focus_label, "severity": r["severity"], "requirement_label": r.get("requirement_label"),
            "messages": [],
        })
        if SEVERITIES.index(r["severity"]) < SEVERITIES.index(group["severity"]):
            group["severity"] = r["severity"]
        if r["message"] not in group["messages"]:
            group["messages"].append(r["message"])
    out = [
        ComplianceFinding(focus, g["focus_label"], g["severity"], requirement or None, g["requirement_label"], shape,
                          tuple(g["messages"]))
        for (focus, requirement, shape), g in groups.items()
    ]
    out.sort(key=lambda f: (SEVERITIES.index(f.severity), f.focus_label.casefold(), f.requirement_label or "",
                            f.source_shape))
    return out


def hosted_systems(graph: Any, label: Any) -> dict[str, tuple[str, str]]:
    """Arrangement IRI → (system IRI, system label), for reading arrangement results as system ones."""
    out: dict[str, tuple[str, str]] = {}
    for arrangement, system in graph.subject_objects(SOV.hostedSystem):
        out[str(arrangement)] = (str(system), label(system))
    return out


def annotate(kg: Any, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``requirement_label``, ``kind`` (compliance | data-quality) and ``scope`` (reference | data)
    to validation results in their JSON form (``kg`` is a built knowledge graph, whose labels are read from
    its :attr:`~sovkg.derive.knowledge_graph.KnowledgeGraph.reader`); returns them."""
    from sovkg.derive.common import label

    reference = reference_only_nodes(kg.loaded, {r["focus"] for r in results if result_kind(r) == "data-quality"})
    graph = kg.reader
    for r in results:
        requirement = r.get("requirement")
        r["requirement_label"] = label(graph, URIRef(requirement)) if requirement else None
        r["kind"] = result_kind(r)
        r["scope"] = "reference" if r["focus"] in reference else "data"
    return results


def shown(results: Iterable[Mapping[str, Any]], *, severity: str | None = None, kind: str | None = None,
          reference_notes: bool = True) -> list[Mapping[str, Any]]:
    """The annotated results a user asked for: of one severity (``violation``, ``warning``, ``info``), of
    one kind, and without the data-quality notes about bundled reference data unless ``reference_notes``.

    >>> rows = [{"severity": "Warning", "kind": "data-quality", "scope": "reference"},
    ...         {"severity": "Violation", "kind": "compliance", "scope": "data"}]
    >>> len(shown(rows)), len(shown(rows, reference_notes=False)), len(shown(rows, severity="warning"))
    (2, 1, 1)
    """
    out = []
    for r in results:
        if severity is not None and r["severity"].casefold() != severity.casefold():
            continue
        if kind is not None and r.get("kind") != kind:
            continue
        if not reference_notes and r.get("kind") == "data-quality" and r.get("scope") == "reference":
            continue
        out.append(r)
    return out
