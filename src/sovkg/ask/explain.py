"""Explain one system, organisation or law in words: chains, laws, rules, each step with its source.

>>> import datetime as dt
>>> from sovkg.derive.knowledge_graph import build
>>> kg = build(["tests/fixtures/derive/chain.ttl"], include_case=False, include_reference=False,
...            as_of=dt.date(2026, 11, 29))
>>> print(explain(kg, "Sub Ltd").text.splitlines()[0])
Sub Ltd (organisation) <https://w3id.org/sovkg/id/org/sub> — as of 2026-11-29
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.core.errors import UnknownEntityError
from sovkg.core.namespaces import PREFIXES, SOV
from sovkg.derive.exposure import source_ref


@dataclass(frozen=True)
class Explanation:
    """What sovkg knows and derives about one entity, as text and as JSON."""

    entity: str
    label: str
    kind: str
    text: str
    data: dict[str, Any]


def resolve_entity(graph: Graph, name: str) -> URIRef:
    """Find an entity by IRI, CURIE (``kg:org/x``), path (``org/x``), label or legal name.

    An unknown name raises :class:`UnknownEntityError` with the closest known names.
    """
    candidates: dict[str, URIRef] = {}
    described = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    for node in described:
        for value in list(graph.objects(node, RDFS.label)) + list(graph.objects(node, SOV.legalName)):
            candidates.setdefault(str(value).casefold(), node)
    text = name.strip()
    iri = _expand(text)
    if iri is not None and iri in described:
        return iri
    if text and not any(ch.isspace() or ch in '<>"{}|^`\\' for ch in text):
        kg_iri = URIRef(PREFIXES["kg"] + text)
        if kg_iri in described:
            return kg_iri
    found = candidates.get(text.casefold())
    if found is not None:
        return found
    close = difflib.get_close_matches(text.casefold(), list(candidates), n=5, cutoff=0.5)
    hint = f"; did you mean: {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownEntityError(f"{name!r}: no such entity in the graph{hint}")


def _expand(text: str) -> URIRef | None:
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if "://" in text and not any(ch.isspace() for ch in text):
        return URIRef(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    return None


def explain(kg: Any, name: str) -> Explanation:
    """Explain an entity of a :class:`sovkg.derive.knowledge_graph.KnowledgeGraph` (see module docstring)."""
    graph: Graph = kg.union
    node = resolve_entity(graph, name)
    lines: list[str] = []
    data: dict[str, Any] = {"entity": str(node), "label": kg.label(node), "as_of": kg.as_of.isoformat()}
    if (node, RDF.type, SOV.InformationSystem) in graph:
        kind = "system"
    elif (node, RDF.type, SOV.Law) in graph:
        kind = "law"
    elif (node, RDF.type, SOV.Party) in graph:
        kind = "organisation"
    else:
        kind = "resource"
    data["kind"] = kind
    lines.append(f"{kg.label(node)} ({kind}) <{node}> — as of {kg.as_of.isoformat()}")
    lines.extend(_facts(kg, graph, node))

    if kind == "organisation":
        chain = _controller_lines(kg, graph, node)
        lines.append("")
        lines.append("Controlled by:" if chain else "Controlled by: no controlling holder recorded.")
        lines.extend(chain)
        from sovkg.derive.ownership import explain_ownership

        ownership_lines, data["ownership"] = explain_ownership(graph, node)
        lines.append("")
        lines.extend(ownership_lines)
        apps = kg.applicabilities(node)
        data["laws"] = [a.to_json() for a in apps]
        lines.append("")
        if apps:
            lines.append("Access laws that bind it:")
            for a in apps:
                why = {
                    "establishment": "it is seated in the law's jurisdiction",
                    "service": "it offers services to persons in the law's jurisdiction",
                    "control": f"it is controlled by {a.via_label}, which the law binds",
                }.get(a.basis, a.basis)
                lines.append(f"  • {a.law_label}: {why}.")
        else:
            lines.append("Access laws that bind it: none found.")

    findings = [
        f for f in kg.findings if kind != "law" and (f.system == str(node) or any(p.iri == str(node) for p in f.path))
    ]
    if kind == "law":
        findings = [f for f in kg.findings if f.law == str(node)]
    data["findings"] = [f.to_json() for f in findings]
    lines.append("")
    if findings:
        lines.append("Exposure findings:")
        for f in findings:
            if f.status == "unknown":
                lines.append(f"  • {f.system_label}: exposure to {f.law_label} is unknown (level {f.level} if "
                             f"confirmed): {f.gap}:")
            else:
                lines.append(f"  • {f.system_label} is exposed to {f.law_label} at level {f.level}:")
            for step in f.evidence[1:]:
                conf = f" [{step.confidence} confidence]" if step.confidence else ""
                lines.append(f"      {step.relation} {step.label}{conf}")
                for s in step.sources:
                    where = f" <{s.url}>" if s.url else ""
                    date = f", {s.date}" if s.date else ""
                    lines.append(f"          source: {s.title}{date}{where}")
    else:
        lines.append("Exposure findings: none.")

    from sovkg.check.shapes import validate

    report = validate(kg)
    related = {str(node)} | {str(a) for a in graph.subjects(SOV.hostedSystem, node)}
    results = [r for r in report.results if r.focus in related]
    data["validation"] = [r for r in report.to_json()["results"] if r["focus"] in related]
    lines.append("")
    if results:
        lines.append("Rules:")
        for r in results:
            req = kg.label(URIRef(r.requirement)) if r.requirement else "(no requirement)"
            lines.append(f"  • {r.severity.upper()} — {req}: {r.message}")
    else:
        lines.append("Rules: no violation or warning concerns it.")
    text = "\n".join(lines)
    return Explanation(entity=str(node), label=kg.label(node), kind=kind, text=text, data=data)


def _facts(kg: Any, graph: Graph, node: Node) -> Iterable[str]:
    seats = [
        (SOV.registeredOffice, "registered office"),
        (SOV.centralAdministration, "central administration"),
        (SOV.principalEstablishment, "principal establishment"),
        (SOV.residentIn, "resident in"),
    ]
    for prop, name in seats:
        for country in graph.objects(node, prop):
            yield f"  {name}: {kg.label(country)}"
    for controller in graph.objects(node, SOV.controller):
        yield f"  controller: {kg.label(controller)}"
    for category in graph.objects(node, SOV.holdsData):
        yield f"  holds: {kg.label(category)}"
    if graph.value(node, SOV.particularlySensitive) == Literal(True):
        yield "  particularly sensitive data (loi SREN art. 31)"
    for arrangement in sorted(graph.subjects(SOV.hostedSystem, node), key=str):
        state = (
            "in effect"
            if (arrangement, SOV.inEffect, Literal(True)) in graph
            else ("planned" if graph.value(arrangement, SOV.planned) == Literal(True) else "not in effect")
        )
        provider = graph.value(arrangement, SOV.provider)
        period = _period(graph, arrangement)
        yield f"  hosted by {kg.label(provider)} ({state}{period})"
        yield from _sources(graph, arrangement, indent="      ")
    yield from _sources(graph, node, indent="  ")


def _period(graph: Graph, node: Node) -> str:
    start, end = graph.value(node, SOV.validFrom), graph.value(node, SOV.validUntil)
    if start is None and end is None:
        return ""
    return f", {start or '?'} → {end or 'open'}"


def _sources(graph: Graph, node: Node, *, indent: str) -> Iterable[str]:
    confidence = graph.value(node, SOV.confidence)
    for source in sorted(graph.objects(node, SOV.source), key=str):
        s = source_ref(graph, source)
        conf = f" [{graph.value(confidence, RDFS.label) or ''} confidence]" if confidence is not None else ""
        where = f" <{s.url}>" if s.url else ""
        yield f"{indent}source: {s.title}{', ' + s.date if s.date else ''}{where}{conf}"


def _controller_lines(
    kg: Any, graph: Graph, node: Node, depth: int = 1, seen: frozenset[Node] = frozenset()
) -> list[str]:
    lines: list[str] = []
    for stake in sorted(graph.subjects(SOV.held, node), key=str):
        if (stake, RDF.type, SOV.OwnershipStake) not in graph:
            continue  # derived effective-ownership nodes also use sov:held; they are listed below
        holder = graph.value(stake, SOV.holder)
        if holder is None or holder in seen:
            continue
        effect = "" if (stake, SOV.inEffect, Literal(True)) in graph else " (not in effect)"
        share = []
        for prop, name in ((SOV.capitalPercent, "capital"), (SOV.votingPercent, "votes")):
            value = graph.value(stake, prop)
            if value is not None:
                approx = "~" if graph.value(stake, SOV.approximate) == Literal(True) else ""
                share.append(f"{approx}{value} % of {name}")
        controls = (holder, SOV.directlyControls, node) in graph
        what = ", ".join(share) if share else "share unknown"
        lines.append(f"{'  ' * depth}• {kg.label(holder)} — {what}{' — controls' if controls else ''}{effect}")
        lines.extend(_sources(graph, stake, indent="  " * (depth + 2)))
        if controls:
            lines.extend(_controller_lines(kg, graph, holder, depth + 1, seen | {node}))
    return lines
