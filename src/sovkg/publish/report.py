"""The main job: which systems are exposed to which foreign law, which rules that breaks, and why.

:func:`build_report` computes the report from a knowledge graph; :func:`render_report` turns its
JSON form into the terminal summary (it needs no RDF library, so a cached report prints at once).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sovkg.core.tables import plural, render_table
from sovkg.core.text import csv_text
from sovkg.model import LEVELS

REPORT_VERSION = 1


@dataclass(frozen=True)
class Report:
    """The report as a JSON-ready mapping (see :func:`build_report` for its keys)."""

    data: Mapping[str, Any]

    @property
    def conforms(self) -> bool:
        """False when at least one rule is violated."""
        return bool(self.data["validation"]["conforms"])

    def to_json(self) -> str:
        """The report as indented JSON."""
        return json.dumps(self.data, indent=2, ensure_ascii=False) + "\n"


def build_report(kg: Any, *, case_included: bool, user_inputs: list[str]) -> Report:
    """Compute the report of a :class:`sovkg.derive.knowledge_graph.KnowledgeGraph`.

    Keys: ``as_of``, ``inputs``, ``counts``, ``laws`` (access laws with at least one finding),
    ``systems`` (every information system with its strongest level per law), ``findings``
    (``sovkg exposure`` objects) and ``validation`` (``sovkg validate`` object).
    """
    from rdflib import RDF, SKOS, Literal

    from sovkg.check.kinds import annotate, compliance_findings, hosted_systems, shown
    from sovkg.check.shapes import validate
    from sovkg.core.namespaces import INFERRED_GRAPH, SOV
    from sovkg.derive.common import label

    union = kg.reader
    findings = kg.findings
    validation = validate(kg)
    law_ids = sorted({f.law for f in findings}, key=lambda iri: label(union, _uri(iri)))
    quiet_laws = sorted(
        label(union, law) for law in set(union.subjects(RDF.type, SOV.AccessLaw))
        if (law, SOV.inEffect, Literal(True)) in union and str(law) not in law_ids
    )
    laws = []
    for iri in law_ids:
        short = union.value(_uri(iri), SKOS.altLabel)
        laws.append({"iri": iri, "label": label(union, _uri(iri)), "short": str(short) if short else None})
    systems = []
    for system in sorted(set(union.subjects(RDF.type, SOV.InformationSystem)), key=lambda node: label(union, node)):
        if (system, SOV.afterAsOf, Literal(True)) in union:
            continue  # the system did not exist yet on the date asked
        strongest: dict[str, str] = {}
        for f in findings:  # an exposed finding before an unknown one, then the strongest level
            if f.system == str(system):
                current = strongest.get(f.law)
                cell = f.level if f.status == "exposed" else "unknown"
                if current is None or _cell_rank(cell, f.level) < _cell_rank(current, None):
                    strongest[f.law] = cell
        illustrative = union.value(system, SOV.illustrative)
        systems.append({
            "iri": str(system),
            "label": label(union, system),
            "illustrative": bool(illustrative is not None and illustrative.toPython()),
            "exposure": strongest,
        })
    asserted = sum(len(g) for g in kg.loaded.graphs() if g.identifier != INFERRED_GRAPH)
    validation_json = validation.to_json()
    results = annotate(kg, validation_json["results"])
    reference_notes = case_included or not user_inputs
    grouped = compliance_findings(results, hosted_systems(union, lambda node: label(union, node)))
    notes = shown(results, kind="data-quality", reference_notes=reference_notes)
    counts = {
        "asserted_triples": asserted,
        "derived_triples": kg.derived_size,
        "files": sum(1 for g in kg.loaded.graphs() if len(g) and g.identifier != INFERRED_GRAPH),
        "sources": len(set(union.subjects(RDF.type, SOV.Source))),
        "cited_sources": len({s for s in union.objects(None, SOV.source) if (s, RDF.type, SOV.Source) in union}),
        "organisations": len(set(union.subjects(RDF.type, SOV.Organisation))),
        "systems": len(systems),
        "access_laws": len(set(union.subjects(RDF.type, SOV.AccessLaw))),
        "findings": len(findings),
        "exposed_systems": len({f.system for f in findings if f.status == "exposed"}),
        "unknown_systems": len({f.system for f in findings if f.status == "unknown"}
                               - {f.system for f in findings if f.status == "exposed"}),
        "violations": sum(1 for r in results if r["severity"] == "Violation"),
        "warnings": sum(1 for r in results if r["severity"] == "Warning"),
        "compliance_findings": len(grouped),
        "data_quality_notes": len(notes),
        "reference_notes_hidden": sum(1 for r in results if r["kind"] == "data-quality") - len(notes),
    }
    return Report({
        "report_version": REPORT_VERSION,
        "as_of": kg.as_of.isoformat(),
        "inputs": {"french_case": case_included, "user_data": user_inputs},
        "counts": counts,
        "laws": laws,
        "laws_without_findings": quiet_laws,
        "systems": systems,
        "findings": [f.to_json() for f in findings],
        "compliance_findings": [f.to_json() for f in grouped],
        "validation": validation_json,
    })


def _cell_rank(cell: str, level: str | None) -> tuple[int, int]:
    """Order of matrix cells: exposed levels strongest first, then "unknown"."""
    if cell == "unknown":
        return (1, 0)
    return (0, LEVELS.index(cell) if cell in LEVELS else len(LEVELS))


def _uri(iri: str) -> Any:
    from rdflib import URIRef

    return URIRef(iri)


# ------------------------------------------------------------------------------------------ render


def render_report(data: Mapping[str, Any], *, width: int = 100) -> str:
    """Render the terminal summary of a report.

    >>> print(render_report({"as_of": "2026-11-29", "inputs": {"french_case": False, "user_data": []},
    ...     "counts": {"asserted_triples": 3, "derived_triples": 1, "files": 1, "sources": 1,
    ...                "cited_sources": 1, "organisations": 0, "systems": 0, "access_laws": 0,
    ...                "findings": 0, "exposed_systems": 0, "violations": 0, "warnings": 0},
    ...     "laws": [], "systems": [], "findings": [], "validation": {"conforms": True, "results": []}}))
    sovkg report — as of 2026-11-29 (without the French case)
    <BLANKLINE>
    Graph: 3 asserted triples from 1 file, 1 derived; 1 source (1 cited); 0 organisations, 0 systems, 0 access laws.
    <BLANKLINE>
    Exposure to foreign access laws: no system is exposed.
    <BLANKLINE>
    Rules: no violation, no warning.
    """
    out = io.StringIO()
    c = data["counts"]
    scope = "French health-data case" if data["inputs"]["french_case"] else "without the French case"
    extra = data["inputs"]["user_data"]
    if extra:
        scope += " + " + ", ".join(extra)
    out.write(f"sovkg report — as of {data['as_of']} ({scope})\n\n")
    out.write(
        f"Graph: {plural(c['asserted_triples'], 'asserted triple')} from {plural(c['files'], 'file')}, "
        f"{c['derived_triples']} derived; {plural(c['sources'], 'source')} ({c['cited_sources']} cited); "
        f"{plural(c['organisations'], 'organisation')}, {plural(c['systems'], 'system')}, "
        f"{plural(c['access_laws'], 'access law')}.\n\n"
    )
    laws = data["laws"]
    if not data["findings"]:
        out.write("Exposure to foreign access laws: no system is exposed.\n")
    else:
        unknown = f", {c['unknown_systems']} unknown" if c.get("unknown_systems") else ""
        out.write(
            f"Exposure to foreign access laws — {c['exposed_systems']} of {plural(c['systems'], 'system')} "
            f"exposed{unknown} "
            "(strongest level per system and law; \"unknown\": a link of the chain is not recorded):\n\n"
        )
        out.write(_matrix(data["systems"], laws))
        out.write("\nLaws: " + "; ".join(f"[{i + 1}] {law['label']}" for i, law in enumerate(laws)) + "\n")
        if data.get("laws_without_findings"):
            out.write("Access laws in effect that expose no system: " + "; ".join(data["laws_without_findings"]) + "\n")
        out.write("\nPaths (system → … → entity the law binds; sources per step with `sovkg explain`):\n")
        for f in data["findings"]:
            chain = " → ".join(p["label"] for p in f["path"])
            if f.get("status", "exposed") == "unknown":
                out.write(f"  • {f['system_label']} — {f['law_label']} (unknown, {f['level']}): {chain}\n"
                          f"      cannot be confirmed or ruled out: {f['gap']}\n")
            else:
                out.write(f"  • {f['system_label']} — {f['law_label']} ({f['level']}): {chain}\n")
    out.write("\n")
    out.write(_render_rules(data))
    return out.getvalue().rstrip("\n")


def _render_rules(data: Mapping[str, Any]) -> str:
    """Compliance findings (one per system, rule and cause), then a one-line count of data-quality notes."""
    out = io.StringIO()
    results = data["validation"]["results"]
    grouped = data.get("compliance_findings")
    if grouped is None:  # a report without the grouping (older cache): one finding per result
        grouped = [{**r, "messages": [r["message"]]} for r in results if r.get("kind", "compliance") == "compliance"]
    if not results:
        out.write("Rules: no violation, no warning.\n")
        return out.getvalue()
    violations = [f for f in grouped if f["severity"] == "Violation"]
    warnings = [f for f in grouped if f["severity"] == "Warning"]
    out.write(f"Compliance findings: {plural(len(violations), 'violation')}, {plural(len(warnings), 'warning')}, "
              "one per system, rule "
              "and cause (a violation rests on recorded facts; a warning says compliance cannot be confirmed and "
              "names the missing fact).\n")
    for title, items in (("Violations", violations), ("Warnings", warnings)):
        if items:
            out.write(f"\n{title}:\n")
        for f in items:
            requirement = f.get("requirement_label") or _tail(f.get("requirement"))
            out.write(f"  • {f['focus_label']} — {requirement}:\n")
            for message in f["messages"]:
                out.write(f"      {message}\n")
    c = data["counts"]
    notes = c.get("data_quality_notes", sum(1 for r in results if r.get("kind") == "data-quality"))
    hidden = c.get("reference_notes_hidden", 0)
    out.write(f"\nData-quality notes (sovkg data integrity: sources, seats, dates): {notes}; list them with "
              "`sovkg validate --kind data-quality`")
    if hidden:
        out.write(f" ({hidden} more about the bundled reference data: add --reference-notes)")
    out.write(".\n")
    return out.getvalue()


def _matrix(systems: list[Mapping[str, Any]], laws: list[Mapping[str, Any]]) -> str:
    headers = ["system"] + [f"[{i + 1}] {law['short'] or ''}".rstrip() for i, law in enumerate(laws)]
    rows = []
    for system in systems:
        marked = system.get("illustrative") and "illustrative" not in system["label"].casefold()
        name = system["label"] + (" (illustrative)" if marked else "")
        rows.append([name] + [system["exposure"].get(law["iri"], "–") for law in laws])
    return render_table(headers, rows, indent=2) + "\n"


def _tail(iri: str | None) -> str:
    return "" if not iri else iri.rsplit("/", 1)[-1]


# ------------------------------------------------------------------------------------------ tables


def findings_csv(findings: list[Mapping[str, Any]]) -> str:
    """The findings as CSV: one row per finding, the path joined with ' > ' (cells escaped, :func:`csv_text`)."""
    rows = []
    for f in findings:
        sources = sorted({s["iri"] for step in f["evidence"] for s in step["sources"]})
        rows.append([f["system"], f["system_label"], f["law"], f["law_label"], f["level"],
                     f["bound_entity"], f["bound_entity_label"],
                     " > ".join(p["label"] for p in f["path"]), " ".join(sources),
                     f.get("status", "exposed"), f.get("gap") or ""])
    return csv_text(["system", "system_label", "law", "law_label", "level", "bound_entity",
                     "bound_entity_label", "path", "sources", "status", "gap"], rows)


def validation_csv(results: list[Mapping[str, Any]]) -> str:
    """The validation results as CSV (cells escaped, :func:`csv_text`).

    >>> print(validation_csv([{"severity": "Warning", "focus": "kg:x", "focus_label": "=1+1",
    ...                        "message": "m"}]), end="")
    severity,focus,focus_label,requirement,message
    Warning,kg:x,'=1+1,,m
    """
    return csv_text(["severity", "focus", "focus_label", "requirement", "message"],
                    ([r["severity"], r["focus"], r["focus_label"], r.get("requirement") or "", r["message"]]
                     for r in results))
