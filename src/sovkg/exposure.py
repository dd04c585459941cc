"""Which access laws bind which entities, and which systems that exposes, with evidence.

*Applicability* (rules ``kg:rule/reach-establishment``, ``reach-service``, ``reach-control``): an
access law in effect binds an entity seated in its jurisdiction (or, for a union, in a member
state), an entity offering services to persons there when the law reaches by service, and — when
the law reaches what a bound entity controls, as the CLOUD Act's "possession, custody, or
control" does — every entity controlled, directly or up a chain, by an entity it binds by
establishment.

*Exposure* (rule ``kg:rule/exposure``): for each in-effect hosting arrangement, the system is
exposed to a law at level ``direct`` (the provider is bound by establishment or service),
``control`` (the provider is bound through a controller), ``subcontractor`` (a subcontractor with
technical access to the data is bound) or ``technology`` (a technology supplier, of the
arrangement or of its offer, with a technical path to the data is bound). One finding is kept per
(system, law, level): the one with the shortest evidence path, ties broken by IRI.

The evidence path runs from the system to the entity the law binds; each step names the fact that
links it to the previous step (arrangement, stake, subcontracting…) and that fact's sources; a
last step names the law and why it binds that entity.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.derive import derived_iri, in_effect, instances, label, rule_iri
from sovkg.model import Applicability, EvidenceStep, ExposureFinding, PathNode, SourceRef
from sovkg.namespaces import SOV

Triple = tuple[Node, Node, Node]

BASIS_RULE: dict[Node, str] = {
    SOV.ReachByEstablishment: "reach-establishment",
    SOV.ReachByService: "reach-service",
    SOV.ReachByControl: "reach-control",
}
LEVEL_NODE = {
    "direct": SOV.DirectExposure,
    "control": SOV.ControlExposure,
    "subcontractor": SOV.SubcontractorExposure,
    "technology": SOV.TechnologyExposure,
    "influence": SOV.InfluenceExposure,
}
LEVEL_NAME: dict[Node | None, str] = {node: name for name, node in LEVEL_NODE.items()}


@dataclass(frozen=True)
class _Binding:
    entity: Node
    law: Node
    basis: Node
    via: Node | None
    node: URIRef


# ------------------------------------------------------------------------------------ applicability


def _bindings(graph: Graph) -> list[_Binding]:
    laws = sorted((law for law in instances(graph, SOV.AccessLaw) if in_effect(graph, law)), key=str)
    out: list[_Binding] = []
    for law in laws:
        reach = set(graph.objects(law, SOV.reach))
        territories = set(graph.objects(law, SOV.enactedBy))
        for union in [t for t in territories if (t, RDF.type, SOV.Union) in graph]:
            territories |= set(graph.subjects(SOV.memberOf, union))
        established: set[Node] = set()
        if SOV.ReachByEstablishment in reach:
            for territory in territories:
                established |= set(graph.subjects(SOV.establishedIn, territory))
        served: set[Node] = set()
        if SOV.ReachByService in reach:
            for territory in territories:
                served |= set(graph.subjects(SOV.servesPersonsIn, territory))
        for entity in sorted(established, key=str):
            out.append(_binding(entity, law, SOV.ReachByEstablishment, None))
        for entity in sorted(served, key=str):
            out.append(_binding(entity, law, SOV.ReachByService, None))
        if SOV.ReachByControl in reach:
            for controller in sorted(established, key=str):
                for entity in sorted(graph.objects(controller, SOV.controls), key=str):
                    if entity != controller:
                        out.append(_binding(entity, law, SOV.ReachByControl, controller))
    return out


def _binding(entity: Node, law: Node, basis: Node, via: Node | None) -> _Binding:
    parts = [entity, law, basis] + ([via] if via is not None else [])
    return _Binding(entity, law, basis, via, derived_iri("applicability", *parts))


def applicability_triples(graph: Graph, as_of: dt.date) -> Iterator[Triple]:
    """``sov:subjectTo`` and one ``sov:Applicability`` node per (entity, law, basis, via)."""
    for b in _bindings(graph):
        yield b.entity, SOV.subjectTo, b.law
        yield b.node, RDF.type, SOV.Applicability
        yield b.node, SOV.boundEntity, b.entity
        yield b.node, SOV.applicableLaw, b.law
        yield b.node, SOV.basis, b.basis
        yield b.node, SOV.derivedBy, rule_iri(BASIS_RULE[b.basis])
        yield b.node, SOV.asOf, Literal(as_of.isoformat(), datatype=XSD.date)
        text = f"{label(graph, b.entity)} is bound by {label(graph, b.law)} ({label(graph, b.basis)}"
        text += f" of {label(graph, b.via)})" if b.via is not None else ")"
        yield b.node, RDFS.label, Literal(text, lang="en")
        if b.via is not None:
            yield b.node, SOV.via, b.via


# ----------------------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class _Step:
    node: Node
    relation: str | None
    via: Node | None
    extra_sources: tuple[Node, ...] = ()


def _controllers(graph: Graph) -> dict[Node, list[tuple[Node, Node]]]:
    """held → sorted [(holder, stake)] from the control derivations."""
    out: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for derivation in instances(graph, SOV.ControlDerivation):
        stake = graph.value(derivation, SOV.fromStake)
        if stake is None:
            continue
        holder, held = graph.value(stake, SOV.holder), graph.value(stake, SOV.held)
        if holder is not None and held is not None:
            out[held].append((holder, stake))
    for pairs in out.values():
        pairs.sort(key=lambda pair: (str(pair[0]), str(pair[1])))
    return out


def _control_chain(start: Node, target: Node, controllers: dict[Node, list[tuple[Node, Node]]]) -> list[_Step]:
    """Shortest chain of 'controlled by' steps from ``start`` up to ``target`` (BFS, sorted ties)."""
    previous: dict[Node, tuple[Node, Node]] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        if node == target:
            break
        for holder, stake in controllers.get(node, ()):
            if holder not in seen:
                seen.add(holder)
                previous[holder] = (node, stake)
                queue.append(holder)
    if target not in previous:
        return []
    steps: list[_Step] = []
    node = target
    while node != start:
        below, stake = previous[node]
        steps.append(_Step(node, "controlled by", stake))
        node = below
    return list(reversed(steps))


def _bound_paths(
    entity: Node,
    law: Node,
    bindings: dict[tuple[Node, Node], list[_Binding]],
    controllers: dict[Node, list[tuple[Node, Node]]],
    graph: Graph,
) -> list[tuple[str, list[_Step]]]:
    """For an entity bound by ``law``: (kind, steps after the entity up to and including the law)."""
    out: list[tuple[str, list[_Step]]] = []
    for b in bindings.get((entity, law), ()):
        seated = b.via if b.via is not None else b.entity
        law_step = _Step(
            law,
            f"bound by ({label(graph, b.basis)})",
            b.node,
            tuple(sorted(set(graph.objects(seated, SOV.source)) | set(graph.objects(law, SOV.source)), key=str)),
        )
        if b.via is None:
            out.append(("self", [law_step]))
        else:
            chain = _control_chain(entity, b.via, controllers)
            if chain:
                out.append(("control", chain + [law_step]))
    return out


def _third_parties(graph: Graph, arrangement: Node) -> Iterator[tuple[Node, str, Node, str]]:
    """(party, relation, link, level) for the subcontractors and technology suppliers of an arrangement
    (technology dependencies of its offers included) that have technical access to the data."""
    dependencies = set(graph.objects(arrangement, SOV.technologyDependency))
    for offering in graph.objects(arrangement, SOV.offer):
        dependencies |= set(graph.objects(offering, SOV.technologyDependency))
    links = [
        (link, SOV.subcontractor, "subcontracts to (with technical access to the data)", "subcontractor")
        for link in graph.objects(arrangement, SOV.subcontracting)
    ]
    links += [
        (link, SOV.technologySupplier, "runs on the technology of (with a technical path to the data)", "technology")
        for link in dependencies
    ]
    for link, role, relation, level in sorted(links):
        party = graph.value(link, role)
        if party is None or graph.value(link, SOV.technicalAccessToData) != Literal(True):
            continue
        dated = (link, SOV.validFrom, None) in graph or (link, SOV.validUntil, None) in graph
        if dated and not in_effect(graph, link):
            continue
        yield party, relation, link, level


def finding_triples(graph: Graph, as_of: dt.date) -> Iterator[Triple]:
    """One ``sov:ExposureFinding`` per (system, law, level), with its evidence steps."""
    bindings: dict[tuple[Node, Node], list[_Binding]] = defaultdict(list)
    for b in _bindings(graph):
        bindings[(b.entity, b.law)].append(b)
    laws_of: dict[Node, set[Node]] = defaultdict(set)
    for entity, law in bindings:
        laws_of[entity].add(law)
    controllers = _controllers(graph)
    best: dict[tuple[Node, Node, str], list[_Step]] = {}

    def offer(system: Node, law: Node, level: str, steps: list[_Step]) -> None:
        key = (system, law, level)
        current = best.get(key)
        rank = (len(steps), [str(s.node) for s in steps])
        if current is None or rank < (len(current), [str(s.node) for s in current]):
            best[key] = steps

    for arrangement in sorted(instances(graph, SOV.HostingArrangement), key=str):
        if not in_effect(graph, arrangement):
            continue
        system, provider = graph.value(arrangement, SOV.hostedSystem), graph.value(arrangement, SOV.provider)
        if system is None or provider is None:
            continue
        head = [_Step(system, None, None), _Step(provider, "hosted by", arrangement)]
        for law in sorted(laws_of.get(provider, ()), key=str):
            for kind, tail in _bound_paths(provider, law, bindings, controllers, graph):
                offer(system, law, "direct" if kind == "self" else "control", head + tail)
        for party, relation, link, level in _third_parties(graph, arrangement):
            step = _Step(party, relation, link)
            for law in sorted(laws_of.get(party, ()), key=str):
                for _, tail in _bound_paths(party, law, bindings, controllers, graph):
                    offer(system, law, level, [*head, step, *tail])

    rule = rule_iri("exposure")
    day = Literal(as_of.isoformat(), datatype=XSD.date)
    for (system, law, level), steps in sorted(best.items(), key=lambda kv: [str(x) for x in kv[0]]):
        finding = URIRef(str(derived_iri("finding", system, law)) + f"/{level}")
        bound = steps[-2].node
        yield finding, RDF.type, SOV.ExposureFinding
        yield finding, SOV.exposedSystem, system
        yield finding, SOV.applicableLaw, law
        yield finding, SOV.level, LEVEL_NODE[level]
        yield finding, SOV.boundEntity, bound
        yield finding, SOV.asOf, day
        yield finding, SOV.derivedBy, rule
        yield (
            finding,
            RDFS.label,
            Literal(f"{label(graph, system)} exposed to {label(graph, law)} ({level})", lang="en"),
        )
        for position, step in enumerate(steps):
            node = URIRef(f"{finding}/step/{position}")
            yield finding, SOV.evidence, node
            yield node, RDF.type, SOV.EvidenceStep
            yield node, SOV.position, Literal(position)
            yield node, SOV.stepNode, step.node
            if step.relation is not None:
                yield node, SOV.relation, Literal(step.relation)
            if step.via is not None:
                yield node, SOV.viaFact, step.via
                for source in graph.objects(step.via, SOV.source):
                    yield node, SOV.source, source
            for source in step.extra_sources:
                yield node, SOV.source, source


# ------------------------------------------------------------------------------------------ reading


def source_ref(graph: Graph, source: Node) -> SourceRef:
    """Describe a source node."""
    from rdflib.namespace import DCTERMS

    def text(p: URIRef) -> str | None:
        value = graph.value(source, p)
        return None if value is None else str(value)

    return SourceRef(
        iri=str(source),
        title=text(DCTERMS.title) or label(graph, source),
        publisher=text(DCTERMS.publisher),
        date=text(DCTERMS.date),
        url=text(SOV.url),
    )


def read_findings(graph: Graph) -> tuple[ExposureFinding, ...]:
    """Read the exposure findings back from a graph holding the inferred facts, strongest first."""
    findings = []
    for finding in graph.subjects(RDF.type, SOV.ExposureFinding):
        system, law = graph.value(finding, SOV.exposedSystem), graph.value(finding, SOV.applicableLaw)
        level = LEVEL_NAME.get(graph.value(finding, SOV.level), "unknown")
        bound = graph.value(finding, SOV.boundEntity)
        steps = sorted(graph.objects(finding, SOV.evidence), key=lambda s: int(str(graph.value(s, SOV.position))))
        evidence = []
        for step in steps:
            node = graph.value(step, SOV.stepNode)
            via = graph.value(step, SOV.viaFact)
            confidence = graph.value(via, SOV.confidence) if via is not None else None
            evidence.append(
                EvidenceStep(
                    position=int(str(graph.value(step, SOV.position))),
                    iri=str(node),
                    label=label(graph, node),
                    relation=_opt(graph.value(step, SOV.relation)),
                    via=_opt(via),
                    confidence=label(graph, confidence) if confidence is not None else None,
                    sources=tuple(source_ref(graph, s) for s in sorted(graph.objects(step, SOV.source), key=str)),
                )
            )
        path = tuple(PathNode(e.iri, e.label) for e in evidence[:-1])
        findings.append(
            ExposureFinding(
                iri=str(finding),
                system=str(system),
                system_label=label(graph, system),
                law=str(law),
                law_label=label(graph, law),
                level=level,
                bound_entity=str(bound),
                bound_entity_label=label(graph, bound),
                path=path,
                evidence=tuple(evidence),
            )
        )
    from sovkg.model import LEVELS

    findings.sort(key=lambda f: (f.system_label, f.law_label, LEVELS.index(f.level) if f.level in LEVELS else 99))
    return tuple(findings)


def read_applicabilities(graph: Graph, entity: Node | None = None) -> tuple[Applicability, ...]:
    """Read which laws bind which entities (or one entity), and why."""
    out = []
    for node in graph.subjects(RDF.type, SOV.Applicability):
        bound = graph.value(node, SOV.boundEntity)
        if entity is not None and bound != entity:
            continue
        law, basis, via = graph.value(node, SOV.applicableLaw), graph.value(node, SOV.basis), graph.value(node, SOV.via)
        out.append(
            Applicability(
                entity=str(bound),
                entity_label=label(graph, bound),
                law=str(law),
                law_label=label(graph, law),
                basis=str(graph.value(basis, URIRef("http://www.w3.org/2004/02/skos/core#notation")) or basis),
                via=_opt(via),
                via_label=label(graph, via) if via is not None else None,
            )
        )
    out.sort(key=lambda a: (a.entity_label, a.law_label, a.basis, a.via or ""))
    return tuple(out)


def _opt(value: Node | None) -> str | None:
    return None if value is None else str(value)
