"""Explain one system, organisation or law in words: chains, laws, rules, each step with its source.

>>> import datetime as dt
>>> from sovkg.derive.knowledge_graph import build
>>> kg = build(["tests/fixtures/derive/chain.ttl"], include_case=False, include_reference=False,
...            as_of=dt.date(2026, 11, 29))
>>> print(explain(kg, "Sub Ltd").text.splitlines()[0])
Sub Ltd (organisation) <https://w3id.org/sovkg/id/org/sub> — as of 2026-11-29
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.ask.entities import resolve_entity
from sovkg.core.errors import UnknownEntityError
from sovkg.core.i18n import check_lang, level, message, relation
from sovkg.core.namespaces import KG, SOV
from sovkg.derive.exposure import source_ref
from sovkg.derive.known import after


@dataclass(frozen=True)
class Explanation:
    """What sovkg knows and derives about one entity, as text and as JSON."""

    entity: str
    label: str
    kind: str
    text: str
    data: dict[str, Any]


def explain(kg: Any, name: str, *, lang: str = "en") -> Explanation:
    """Explain an entity of a :class:`sovkg.derive.knowledge_graph.KnowledgeGraph` (see module docstring),
    in English or French (``lang``): labels from the graph in that language, words from
    :mod:`sovkg.core.i18n`. The JSON (``data``) keeps the English labels whatever ``lang``."""
    check_lang(lang)
    graph: Graph = kg.union
    node = resolve_entity(graph, name)
    if after(graph, node):
        raise UnknownEntityError(
            f"{name!r} is not known on {kg.as_of.isoformat()}: it is dated after that day (ask for a later --at)"
        )

    def m(key: str, **values: object) -> str:
        return message(f"explain.{key}", lang, **values)

    def name_of(term: Node | str | None) -> str:
        return "" if term is None else str(kg.label(URIRef(str(term)), lang))

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
    lines.append(m("header", label=name_of(node), kind=m(f"kind.{kind}"), iri=node, date=kg.as_of.isoformat()))
    lines.extend(_facts(kg, graph, node, lang))

    if kind == "organisation":
        chain = _controller_lines(kg, graph, node, lang)
        lines.append("")
        lines.append(m("controlled_by") if chain else m("controlled_by_none"))
        lines.extend(chain)
        from sovkg.derive.ownership import explain_ownership

        ownership_lines, data["ownership"] = explain_ownership(graph, node, lang=lang, as_of=kg.as_of)
        lines.append("")
        lines.extend(ownership_lines)
        apps = kg.applicabilities(node)
        data["laws"] = [a.to_json() for a in apps]
        lines.append("")
        if apps:
            lines.append(m("laws"))
            for a in apps:
                why = m(f"why.{a.basis}", via=name_of(a.via)) if a.basis in ("establishment", "service", "control") \
                    else a.basis
                lines.append(f"  • {name_of(a.law)}: {why}.")
        else:
            lines.append(m("laws_none"))

    events = _events(graph, node)
    data["events"] = [
        {"iri": str(e), "label": kg.label(e), "date": _opt_text(_event_date(graph, e))} for e in events
    ]
    if events:
        lines.append("")
        lines.append(m("events"))
        for event in events:
            day = _event_date(graph, event)
            lines.append(f"  • {day or m('date_unknown')} — {name_of(event)}")
            outcome = next((o for o in graph.objects(event, SOV.outcome) if getattr(o, "language", None) == "en"), None)
            if outcome is not None:
                lines.append(f"      {outcome}")
            lines.extend(_sources(kg, graph, event, indent="      ", lang=lang))

    findings = [
        f for f in kg.findings if kind != "law" and (f.system == str(node) or any(p.iri == str(node) for p in f.path))
    ]
    if kind == "law":
        findings = [f for f in kg.findings if f.law == str(node)]
    data["findings"] = [f.to_json() for f in findings]
    lines.append("")
    if findings:
        lines.append(m("findings"))
        cited: dict[str, int] = {}
        listed: list[str] = []
        for f in findings:
            if f.status == "unknown":
                lines.append(m("finding_unknown", system=name_of(f.system), law=name_of(f.law),
                               level=level(f.level, lang), gap=f.gap))
            else:
                lines.append(m("finding", system=name_of(f.system), law=name_of(f.law), level=level(f.level, lang)))
            for step in f.evidence[1:]:
                conf = m("confidence", confidence=_confidence(kg, step.confidence, lang)) if step.confidence else ""
                numbers = []
                for s in step.sources:
                    if s.iri not in cited:
                        cited[s.iri] = len(cited) + 1
                        where = f" <{s.url}>" if s.url else ""
                        date = f", {s.date}" if s.date else ""
                        listed.append(f"  [{cited[s.iri]}] {s.title}{date}{where}")
                    numbers.append(f"[{cited[s.iri]}]")
                refs = m("source_refs", numbers=" ".join(numbers)) if numbers else ""
                lines.append(f"      {_relation(kg, step.relation, lang)} {name_of(step.iri)}{conf}{refs}")
        if listed:
            lines.append(m("finding_sources"))
            lines.extend(listed)
    else:
        lines.append(m("findings_none"))

    from sovkg.check.shapes import validate

    report = validate(kg)
    related = {str(node)} | {str(a) for a in graph.subjects(SOV.hostedSystem, node)}
    results = [r for r in report.results if r.focus in related]
    data["validation"] = [r for r in report.to_json()["results"] if r["focus"] in related]
    lines.append("")
    if results:
        lines.append(m("rules"))
        for r in results:
            req = name_of(r.requirement) if r.requirement else m("no_requirement")
            severity = message(f"severity.{r.severity}", lang).upper() if lang != "en" else r.severity.upper()
            lines.append(f"  • {severity} — {req}: {r.message}")
    else:
        lines.append(m("rules_none"))
    text = "\n".join(lines)
    return Explanation(entity=str(node), label=kg.label(node), kind=kind, text=text, data=data)


def _confidence(kg: Any, english: str, lang: str) -> str:
    """A confidence level's label (given in English) in ``lang``."""
    if lang == "en":
        return english
    for level_node in kg.union.subjects(RDF.type, SOV.ConfidenceLevel):
        if kg.label(level_node) == english:
            return str(kg.label(level_node, lang))
    return english


def _relation(kg: Any, text: str | None, lang: str) -> str:
    """An evidence relation (written in English by the derivation) in ``lang``."""
    if lang == "en" or not text:
        return text or ""
    if text.startswith("bound by (") and text.endswith(")"):
        inner = text[len("bound by ("):-1]
        for criterion in kg.union.subjects(RDF.type, SOV.ReachCriterion):
            if kg.label(criterion) == inner:
                inner = str(kg.label(criterion, lang))
                break
        return f"{relation('bound by', lang)} ({inner})"
    return relation(text, lang)


def _facts(kg: Any, graph: Graph, node: Node, lang: str = "en") -> Iterable[str]:
    seats = [
        (SOV.registeredOffice, "registered_office"),
        (SOV.centralAdministration, "central_administration"),
        (SOV.principalEstablishment, "principal_establishment"),
        (SOV.residentIn, "resident_in"),
    ]
    for prop, key in seats:
        for country in graph.objects(node, prop):
            yield f"  {message('explain.' + key, lang)}: {kg.label(country, lang)}"
    for controller in graph.objects(node, SOV.controller):
        yield f"  {message('explain.controller', lang)}: {kg.label(controller, lang)}"
    for category in graph.objects(node, SOV.holdsData):
        yield f"  {message('explain.holds', lang)}: {kg.label(category, lang)}"
    sren = KG["law/fr-loi-sren-art-31"]
    if graph.value(node, SOV.particularlySensitive) == Literal(True) and not after(graph, sren):
        yield f"  {message('explain.sensitive', lang)}"
    for arrangement in sorted(graph.subjects(SOV.hostedSystem, node), key=str):
        if after(graph, arrangement):
            continue  # decided or started after the date asked
        state = (
            "in_effect"
            if (arrangement, SOV.inEffect, Literal(True)) in graph
            else ("planned" if graph.value(arrangement, SOV.planned) == Literal(True) else "not_in_effect")
        )
        provider = graph.value(arrangement, SOV.provider)
        period = _period(graph, arrangement, lang)
        yield "  " + message("explain.hosted_by", lang, provider=kg.label(provider, lang),
                             state=message(f"explain.{state}", lang), period=period)
        yield from _sources(kg, graph, arrangement, indent="      ", lang=lang)
    yield from _sources(kg, graph, node, indent="  ", lang=lang)


def _events(graph: Graph, node: Node) -> list[Node]:
    """Events known on the graph's date that concern ``node`` or one of its hosting arrangements, by date."""
    concerned = {node} | set(graph.subjects(SOV.hostedSystem, node))
    found = {e for c in concerned for e in graph.subjects(SOV.concerns, c)}
    found = {e for e in found if (e, RDF.type, SOV.Event) in graph and not after(graph, e)}
    return sorted(found, key=lambda e: (str(_event_date(graph, e) or "9999"), str(e)))


def _event_date(graph: Graph, event: Node) -> Node | None:
    """The day an event happened: its ``sov:date``, else, for a procurement, the day it was awarded."""
    return graph.value(event, SOV.date) or graph.value(event, SOV.awardedOn)


def _opt_text(value: Node | None) -> str | None:
    return None if value is None else str(value)


def _period(graph: Graph, node: Node, lang: str = "en") -> str:
    start, end = graph.value(node, SOV.validFrom), graph.value(node, SOV.validUntil)
    if start is None and end is None:
        return ""
    return f", {start or '?'} → {end or message('explain.open', lang)}"


def _sources(kg: Any, graph: Graph, node: Node, *, indent: str, lang: str = "en") -> Iterable[str]:
    confidence = graph.value(node, SOV.confidence)
    for source in sorted(graph.objects(node, SOV.source), key=str):
        if after(graph, source):
            continue  # published after the date asked
        s = source_ref(graph, source)
        conf = message("explain.confidence", lang, confidence=kg.label(confidence, lang)) \
            if confidence is not None else ""
        where = f" <{s.url}>" if s.url else ""
        yield f"{indent}{message('explain.source', lang)}: {s.title}{', ' + s.date if s.date else ''}{where}{conf}"


def _controller_lines(
    kg: Any, graph: Graph, node: Node, lang: str = "en", depth: int = 1, seen: frozenset[Node] = frozenset()
) -> list[str]:
    lines: list[str] = []
    for stake in sorted(graph.subjects(SOV.held, node), key=str):
        if (stake, RDF.type, SOV.OwnershipStake) not in graph:
            continue  # derived effective-ownership nodes also use sov:held; they are listed below
        holder = graph.value(stake, SOV.holder)
        if holder is None or holder in seen or after(graph, stake):
            continue
        effect = "" if (stake, SOV.inEffect, Literal(True)) in graph else message("explain.stake_not_in_effect", lang)
        share = []
        for prop, key in ((SOV.capitalPercent, "explain.of_capital"), (SOV.votingPercent, "explain.of_votes")):
            value = graph.value(stake, prop)
            if value is not None:
                approx = "~" if graph.value(stake, SOV.approximate) == Literal(True) else ""
                share.append(f"{approx}{value} % {message(key, lang)}")
        controls = (holder, SOV.directlyControls, node) in graph
        what = ", ".join(share) if share else message("stake_unknown", lang)
        marker = message("explain.controls", lang) if controls else ""
        lines.append(f"{'  ' * depth}• {kg.label(holder, lang)} — {what}{marker}{effect}")
        lines.extend(_sources(kg, graph, stake, indent="  " * (depth + 2), lang=lang))
        if controls:
            lines.extend(_controller_lines(kg, graph, holder, lang, depth + 1, seen | {node}))
    return lines
