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
technical access to the data is bound), ``technology`` (a technology supplier, of the
arrangement or of its offer, with a technical path to the data is bound) or ``influence`` (holders
the law binds hold more of the provider than the SecNumCloud 3.2 §19.6.b thresholds, without the
provider being bound through control: see :func:`_influence_offers`). One finding is kept per
(system, law, level): the one with the shortest evidence path, ties broken by IRI.

The evidence path runs from the system to the entity the law binds; each step names the fact that
links it to the previous step (arrangement, stake, subcontracting…) and that fact's sources; a
last step names the law and why it binds that entity.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.core.namespaces import KG, SOV
from sovkg.derive.common import derived_iri, in_effect, instances, label, rule_iri
from sovkg.derive.known import after
from sovkg.model import Applicability, EvidenceStep, ExposureFinding, PathNode, SourceRef

Triple = tuple[Node, Node, Node]

BASIS_RULE: dict[Node, str] = {
    SOV.ReachByEstablishment: "reach-establishment",
    SOV.ReachByService: "reach-service",
    SOV.ReachByControl: "reach-control",
    SOV.ReachByGroupPresence: "reach-group-presence",
}
LEVEL_NODE = {
    "direct": SOV.DirectExposure,
    "control": SOV.ControlExposure,
    "subcontractor": SOV.SubcontractorExposure,
    "technology": SOV.TechnologyExposure,
    "influence": SOV.InfluenceExposure,
    "group-presence": SOV.GroupPresenceExposure,
    "flow": SOV.FlowExposure,
}
LEVEL_NAME: dict[Node | None, str] = {node: name for name, node in LEVEL_NODE.items()}
STATUS_NODE = {"exposed": SOV.Exposed, "unknown": SOV.ExposureUnknown}
STATUS_NAME: dict[Node | None, str] = {node: name for name, node in STATUS_NODE.items()}
INDIVIDUAL_THRESHOLD = KG["threshold/snc-3.2-19.6-b-individual"]
"""The SecNumCloud 3.2 §19.6.b limit on one non-EU holder's share (its percentage is data, in
``data/reference/thresholds.ttl``)."""
COLLECTIVE_THRESHOLD = KG["threshold/snc-3.2-19.6-b-collective"]
"""The SecNumCloud 3.2 §19.6.b limit on the non-EU holders' share taken together."""


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
        if SOV.ReachByGroupPresence in reach:
            present: set[Node] = set()
            for territory in territories:
                present |= set(graph.subjects(SOV.operatesIn, territory))
            present -= established
            for entity in sorted(present, key=str):
                out.append(_binding(entity, law, SOV.ReachByGroupPresence, None))
            for group in sorted(present, key=str):
                for entity in sorted(graph.objects(group, SOV.controls), key=str):
                    if entity != group and entity not in established:
                        out.append(_binding(entity, law, SOV.ReachByGroupPresence, group))
    return out


def _binding(entity: Node, law: Node, basis: Node, via: Node | None) -> _Binding:
    parts = [entity, law, basis] + ([via] if via is not None else [])
    return _Binding(entity, law, basis, via, derived_iri("applicability", *parts))


def bindings_of(rows: Iterable[tuple[Node, Node, Node, Node | None]]) -> list[_Binding]:
    """Bindings from (entity, law, basis, via) rows found elsewhere (the store engine finds them with one query)."""
    return [_binding(entity, law, basis, via) for entity, law, basis, via in rows]


def applicability_triples(graph: Graph, as_of: dt.date, found: list[_Binding] | None = None) -> Iterator[Triple]:
    """``sov:subjectTo`` and one ``sov:Applicability`` node per (entity, law, basis, via).

    ``found``: the bindings when already computed (:func:`bindings_of`), else they are read from ``graph``.
    """
    for b in (_bindings(graph) if found is None else found):
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
        kind = "group" if b.basis == SOV.ReachByGroupPresence else "control"
        if b.via is None:
            out.append(("group" if kind == "group" else "self", [law_step]))
        else:
            chain = _control_chain(entity, b.via, controllers)
            if chain:
                out.append((kind, chain + [law_step]))
    return out


def _third_parties(graph: Graph, arrangement: Node) -> Iterator[tuple[Node, str, Node, str, bool]]:
    """(party, relation, link, level, access known) for the subcontractors and technology suppliers of an
    arrangement (technology dependencies of its offers included) that have technical access to the data
    (access known) or for which it is not recorded (``sov:technicalAccessToData`` absent); a link that
    records no access is left out."""
    dependencies = set(graph.objects(arrangement, SOV.technologyDependency))
    for offering in graph.objects(arrangement, SOV.offer):
        dependencies |= set(graph.objects(offering, SOV.technologyDependency))
    links = [
        (link, SOV.subcontractor, "subcontracts to", "subcontractor")
        for link in graph.objects(arrangement, SOV.subcontracting)
    ]
    links += [
        (link, SOV.technologySupplier, "runs on the technology of", "technology")
        for link in dependencies
    ]
    for link, role, relation, level in sorted(links):
        party = graph.value(link, role)
        access = graph.value(link, SOV.technicalAccessToData)
        if party is None or (access is not None and access != Literal(True)):
            continue
        dated = (link, SOV.validFrom, None) in graph or (link, SOV.validUntil, None) in graph
        if dated and not in_effect(graph, link):
            continue
        if access is None:
            yield party, f"{relation} (technical access to the data not recorded)", link, level, False
        elif level == "subcontractor":
            yield party, f"{relation} (with technical access to the data)", link, level, True
        else:
            yield party, f"{relation} (with a technical path to the data)", link, level, True


def _owners_recorded(graph: Graph, party: Node) -> bool:
    """True when an in-effect ownership stake in ``party`` is recorded, or when owners are not asked of it
    (a public body, a natural person or a family)."""
    if any((party, RDF.type, cls) in graph for cls in (SOV.PublicBody, SOV.Person, SOV.PersonGroup)):
        return True
    return any(
        in_effect(graph, stake)
        for stake in graph.subjects(SOV.held, party)
        if (stake, RDF.type, SOV.OwnershipStake) in graph
        and (stake, RDF.type, SOV.EffectiveOwnership) not in graph
        and (stake, RDF.type, SOV.JurisdictionOwnership) not in graph
    )


# ---------------------------------------------------------------------------------------- influence


def _percent(value: Node | None) -> Decimal | None:
    """A percentage literal as a Decimal (None when absent or not a number)."""
    if not isinstance(value, Literal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _lower_share(graph: Graph, node: Node) -> Decimal | None:
    """The larger of the lower bounds of capital and voting rights recorded on an ownership node."""
    shares = [_percent(graph.value(node, p)) for p in (SOV.capitalPercent, SOV.votingPercent)]
    known = [share for share in shares if share is not None]
    return max(known) if known else None


def _number(value: Decimal) -> str:
    """A percentage rounded to two decimals, without trailing zeros."""
    text = format(value.quantize(Decimal("0.01")).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def share_text(graph: Graph, node: Node) -> str:
    """The capital and voting shares of an ownership node in words, with upper bounds when some stakes are unknown.

    >>> g = Graph()
    >>> n = URIRef("urn:x")
    >>> _ = g.add((n, SOV.capitalPercent, Literal(Decimal("30.000"))))
    >>> _ = g.add((n, SOV.votingPercentMax, Literal(Decimal("45"))))
    >>> share_text(g, n)
    '30 % of the capital and 0 % (up to 45 %) of the voting rights'
    >>> _number(Decimal("1.28673")), _number(Decimal("100"))
    ('1.29', '100')
    """
    parts = []
    for low_p, high_p, what in (
        (SOV.capitalPercent, SOV.capitalPercentMax, "capital"),
        (SOV.votingPercent, SOV.votingPercentMax, "voting rights"),
    ):
        low, high = _percent(graph.value(node, low_p)), _percent(graph.value(node, high_p))
        if low is None and high is None:  # nothing known: the derivation leaves a 0-100 % figure out
            parts.append(f"an unknown share of the {what}")
            continue
        low = low if low is not None else Decimal(0)
        bound = f" (up to {_number(high)} %)" if high is not None and high > low else ""
        parts.append(f"{_number(low)} %{bound} of the {what}")
    return " and ".join(parts) or "an unknown share"


class _Influence:
    """The ``influence`` level (rule ``kg:rule/exposure``), as of the derivation date.

    For an in-effect arrangement of ``system`` with ``provider``, and an access law ``L`` that does
    **not** bind the provider through control (``sov:ReachByControl``):

    - *one holder*: a party ``H`` bound by ``L`` (any basis), that does not control the provider,
      whose ``sov:EffectiveOwnership`` of the provider has a lower bound of capital or of voting
      rights strictly above the §19.6.b individual threshold (``sov:thresholdPercent`` of
      :data:`INDIVIDUAL_THRESHOLD`) → path system → provider → ``H`` (via the effective-ownership
      node, with the sources of the in-effect stakes on the chains from ``H`` to the provider) → …
      → ``L``;
    - *holders together*: else, when ``L`` reaches by establishment and is enacted by a country
      ``C``, the ``sov:JurisdictionOwnership`` of the provider with ``sov:holderScope C`` has a lower
      bound strictly above the collective threshold (:data:`COLLECTIVE_THRESHOLD`), no party
      established in ``C`` controls the provider, and some holder established in ``C`` is bound by
      ``L`` → path system → provider → the largest such holder (via the jurisdiction-ownership
      node) → … → ``L``.

    Unknown shares never count: only lower bounds are compared. Without the threshold nodes there
    is no influence finding.
    """

    def __init__(
        self,
        graph: Graph,
        bindings: dict[tuple[Node, Node], list[_Binding]],
        laws_of: dict[Node, set[Node]],
        controllers: dict[Node, list[tuple[Node, Node]]],
    ) -> None:
        self.graph, self.bindings, self.laws_of, self.controllers = graph, bindings, laws_of, controllers
        self.individual = _percent(graph.value(INDIVIDUAL_THRESHOLD, SOV.thresholdPercent))
        self.collective = _percent(graph.value(COLLECTIVE_THRESHOLD, SOV.thresholdPercent))
        self.owners: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)  # held -> [(holder, ownership)]
        for node in instances(graph, SOV.EffectiveOwnership):
            holder, held = graph.value(node, SOV.holder), graph.value(node, SOV.held)
            if holder is not None and held is not None and holder != held:
                self.owners[held].append((holder, node))
        self.scopes: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)  # held -> [(country, ownership)]
        for node in instances(graph, SOV.JurisdictionOwnership):
            scope, held = graph.value(node, SOV.holderScope), graph.value(node, SOV.held)
            if scope is not None and held is not None:
                self.scopes[held].append((scope, node))
        self.stakes_in: dict[Node, list[Node]] = defaultdict(list)  # held -> [holder]
        self.stakes_out: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)  # holder -> [(held, stake)]
        self.stakes_up: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)  # held -> [(holder, stake)]
        for stake in instances(graph, SOV.OwnershipStake):
            holder, held = graph.value(stake, SOV.holder), graph.value(stake, SOV.held)
            if holder is not None and held is not None and in_effect(graph, stake):
                self.stakes_in[held].append(holder)
                self.stakes_out[holder].append((held, stake))
                self.stakes_up[held].append((holder, stake))
        self.through_control: dict[Node, set[Node]] = defaultdict(set)  # entity -> laws binding it through control
        for (entity, law), found in bindings.items():
            if any(b.basis == SOV.ReachByControl for b in found):
                self.through_control[entity].add(law)
        self.single: list[tuple[Node, Node, list[_Step]]] = []
        self.together: list[tuple[Node, Node, list[_Step]]] = []

    def add(self, system: Node, provider: Node, head: list[_Step]) -> None:
        """Collect the influence paths of one arrangement (``head`` = system, provider)."""
        graph = self.graph
        through_control = self.through_control.get(provider, set())
        if self.individual is not None:
            for holder, ownership in sorted(self.owners.get(provider, ()), key=lambda pair: [str(n) for n in pair]):
                share = _lower_share(graph, ownership)
                if share is None or share <= self.individual or (holder, SOV.controls, provider) in graph:
                    continue
                steps = self._chain(provider, holder, f"held {share_text(graph, ownership)} by", ownership,
                                    self._sources(self._chain_stakes([holder], provider)))
                for law in sorted(self.laws_of.get(holder, set()) - through_control, key=str):
                    for _, tail in _bound_paths(holder, law, self.bindings, self.controllers, graph):
                        self.single.append((system, law, [*head, *steps, *tail]))
        if self.collective is not None:
            for country, ownership in sorted(self.scopes.get(provider, ()), key=lambda pair: [str(n) for n in pair]):
                share = _lower_share(graph, ownership)
                if share is None or share <= self.collective:
                    continue
                if any((c, SOV.establishedIn, country) in graph for c in graph.subjects(SOV.controls, provider)):
                    continue
                members = [
                    (holder, _lower_share(graph, node) or Decimal(0))
                    for holder, node in self.owners.get(provider, ())
                    if (holder, SOV.establishedIn, country) in graph
                ]
                sources = self._sources(self._chain_stakes([m for m, _ in members], provider))
                laws = {
                    law for law in graph.subjects(SOV.enactedBy, country)
                    if (law, SOV.reach, SOV.ReachByEstablishment) in graph
                }
                for law in sorted(laws - through_control, key=str):
                    bound = sorted(
                        (m for m in members if law in self.laws_of.get(m[0], ())), key=lambda m: (-m[1], str(m[0]))
                    )
                    if not bound:
                        continue
                    holder = bound[0][0]
                    relation = (f"held, together with the other holders established in {label(graph, country)} "
                                f"({share_text(graph, ownership)} in all), by")
                    steps = self._chain(provider, holder, relation, ownership, sources)
                    for _, tail in _bound_paths(holder, law, self.bindings, self.controllers, graph):
                        self.together.append((system, law, [*head, *steps, *tail]))

    def offer_all(self, offer: Callable[[Node, Node, str, list[_Step]], None]) -> None:
        """Offer the single-holder paths, then the holders-together paths for (system, law) pairs that have none."""
        for system, law, steps in self.single:
            offer(system, law, "influence", steps)
        done = {(system, law) for system, law, _ in self.single}
        for system, law, steps in self.together:
            if (system, law) not in done:
                offer(system, law, "influence", steps)

    def _chain(self, provider: Node, holder: Node, relation: str, ownership: Node,
               sources: tuple[Node, ...]) -> list[_Step]:
        """The steps from ``provider`` up to ``holder``: every company on the shortest chain of in-effect stakes.

        The intermediate companies are steps of their own (``held … by``, through their stake);
        the last step reaches ``holder`` through the ownership node, with ``relation`` (the share
        that counts) and the sources of every stake on the chains. A holder reached by no chain of
        recorded stakes (an ownership node stated directly) is one step.
        """
        graph = self.graph
        previous: dict[Node, tuple[Node, Node]] = {}
        queue = deque([provider])
        seen = {provider}
        while queue and holder not in previous:
            node = queue.popleft()
            for upper, stake in sorted(self.stakes_up.get(node, ()), key=lambda pair: [str(n) for n in pair]):
                if upper not in seen:
                    seen.add(upper)
                    previous[upper] = (node, stake)
                    queue.append(upper)
        chain: list[tuple[Node, Node]] = []  # (company, stake by which the company below is held)
        node = holder
        while node in previous and node != provider:
            below, stake = previous[node]
            chain.append((node, stake))
            node = below
        chain.reverse()
        if len(chain) <= 1:
            return [_Step(holder, relation, ownership, sources)]
        steps = [
            _Step(company, f"held {share_text(graph, stake)} by", stake,
                  tuple(sorted(set(graph.objects(stake, SOV.source)), key=str)))
            for company, stake in chain[:-1]
        ]
        last_stake = chain[-1][1]
        steps.append(_Step(holder, f"in turn held {share_text(graph, last_stake)} by (in all, {label(graph, provider)} "
                                   f"is {relation.removesuffix(' by')})", ownership, sources))
        return steps

    def _chain_stakes(self, holders: list[Node], held: Node) -> set[Node]:
        """The in-effect stakes on the chains from any of ``holders`` down to ``held``."""
        above = {held}
        queue = deque([held])
        while queue:  # every party with a chain of stakes down to `held`
            for holder in self.stakes_in.get(queue.popleft(), ()):
                if holder not in above:
                    above.add(holder)
                    queue.append(holder)
        below = {h for h in holders if h in above}
        queue = deque(below)
        stakes: set[Node] = set()
        while queue:  # down from `holders`, staying on chains that reach `held`
            for lower, stake in self.stakes_out.get(queue.popleft(), ()):
                if lower in above:
                    stakes.add(stake)
                    if lower not in below:
                        below.add(lower)
                        queue.append(lower)
        return stakes

    def _sources(self, stakes: set[Node]) -> tuple[Node, ...]:
        return tuple(sorted({s for stake in stakes for s in self.graph.objects(stake, SOV.source)
                             if not after(self.graph, s)}, key=str))


@dataclass
class _Candidate:
    steps: list[_Step]
    gap: str | None = None
    """None for an exposure resting on recorded facts; else the missing fact that makes it unknown."""


def _rank(steps: list[_Step]) -> tuple[int, list[str]]:
    return len(steps), [str(s.node) for s in steps]


def finding_triples(graph: Graph, as_of: dt.date, found: list[_Binding] | None = None) -> Iterator[Triple]:
    """One ``sov:ExposureFinding`` per (system, law, level), with its status and evidence steps (``found``:
    as above).

    A finding is ``exposed`` (``sov:Exposed``) when it rests on recorded facts. It is ``unknown``
    (``sov:ExposureUnknown``, with ``sov:gap`` naming the missing fact) when the system has no exposed
    finding for that law and a link of one of its chains is not recorded: a third party whose technical
    access to the data is not recorded while the law binds it, or a party that has or may have data access
    (the provider, a third party with access or whose access is not recorded) whose owners are not
    recorded, for each law that reaches through control.
    A system whose data flows (``sov:DataFlow``, in effect) into a system with a finding gets a ``flow``
    finding with the same status, its path running through the flow.
    """
    bindings: dict[tuple[Node, Node], list[_Binding]] = defaultdict(list)
    for b in (_bindings(graph) if found is None else found):
        bindings[(b.entity, b.law)].append(b)
    laws_of: dict[Node, set[Node]] = defaultdict(set)
    for entity, law in bindings:
        laws_of[entity].add(law)
    controllers = _controllers(graph)
    influence = _Influence(graph, bindings, laws_of, controllers)
    best: dict[tuple[Node, Node, str], list[_Step]] = {}
    unknown: dict[tuple[Node, Node, str], _Candidate] = {}

    def offer(system: Node, law: Node, level: str, steps: list[_Step]) -> None:
        key = (system, law, level)
        current = best.get(key)
        if current is None or _rank(steps) < _rank(current):
            best[key] = steps

    def offer_unknown(system: Node, law: Node, level: str, steps: list[_Step], gap: str) -> None:
        key = (system, law, level)
        current = unknown.get(key)
        if current is None or (_rank(steps), gap) < (_rank(current.steps), current.gap or ""):
            unknown[key] = _Candidate(steps, gap)

    control_laws = sorted(
        (law for law in instances(graph, SOV.AccessLaw)
         if in_effect(graph, law) and (law, SOV.reach, SOV.ReachByControl) in graph),
        key=str,
    )

    def owners_gap(system: Node, level: str, steps: list[_Step], *, access: bool = True) -> None:
        party = steps[-1].node
        if (party, RDF.type, SOV.Organisation) not in graph or _owners_recorded(graph, party):
            return
        if access:
            gap = f"the owners of {label(graph, party)}, which has access to the data, are not recorded"
        else:
            gap = (f"the owners of {label(graph, party)} are not recorded, "
                   "nor whether it can technically reach the data")
        for law in control_laws:
            if law in laws_of.get(party, ()):
                continue  # the law binds the party itself: that binding is the finding, not its owners
            last = _Step(law, "cannot be ruled out: owners not recorded", None)
            offer_unknown(system, law, level, [*steps, last], gap)

    for arrangement in sorted(instances(graph, SOV.HostingArrangement), key=str):
        if not in_effect(graph, arrangement):
            continue
        system, provider = graph.value(arrangement, SOV.hostedSystem), graph.value(arrangement, SOV.provider)
        if system is None or provider is None:
            continue
        head = [_Step(system, None, None), _Step(provider, "hosted by", arrangement)]
        for law in sorted(laws_of.get(provider, ()), key=str):
            for kind, tail in _bound_paths(provider, law, bindings, controllers, graph):
                level = {"self": "direct", "control": "control", "group": "group-presence"}[kind]
                offer(system, law, level, head + tail)
        if graph.value(arrangement, SOV.selfHosted) != Literal(True):
            owners_gap(system, "control", head)
        for party, relation, link, level, access in _third_parties(graph, arrangement):
            step = _Step(party, relation, link)
            for law in sorted(laws_of.get(party, ()), key=str):
                for kind, tail in _bound_paths(party, law, bindings, controllers, graph):
                    found_level = "group-presence" if kind == "group" else level
                    if access:
                        offer(system, law, found_level, [*head, step, *tail])
                    else:
                        gap = f"whether {label(graph, party)} can technically reach the data is not recorded"
                        offer_unknown(system, law, found_level, [*head, step, *tail], gap)
            owners_gap(system, level, [*head, step], access=access)
        influence.add(system, provider, head)
    influence.offer_all(offer)

    results: dict[tuple[Node, Node, str], _Candidate] = {key: _Candidate(steps) for key, steps in best.items()}
    exposed_pairs = {(system, law) for system, law, _ in best}
    for key, candidate in unknown.items():
        if (key[0], key[1]) not in exposed_pairs:
            results[key] = candidate
    results.update(_flow_findings(graph, results))

    rule = rule_iri("exposure")
    day = Literal(as_of.isoformat(), datatype=XSD.date)
    for (system, law, level), candidate in sorted(results.items(), key=lambda kv: [str(x) for x in kv[0]]):
        steps = candidate.steps
        finding = URIRef(str(derived_iri("finding", system, law)) + f"/{level}")
        bound = steps[-2].node
        status = "exposed" if candidate.gap is None else "unknown"
        yield finding, RDF.type, SOV.ExposureFinding
        yield finding, SOV.exposedSystem, system
        yield finding, SOV.applicableLaw, law
        yield finding, SOV.level, LEVEL_NODE[level]
        yield finding, SOV.status, STATUS_NODE[status]
        yield finding, SOV.boundEntity, bound
        yield finding, SOV.asOf, day
        yield finding, SOV.derivedBy, rule
        if candidate.gap is not None:
            yield finding, SOV.gap, Literal(candidate.gap, lang="en")
        what = "exposed to" if candidate.gap is None else "exposure unknown to"
        yield (
            finding,
            RDFS.label,
            Literal(f"{label(graph, system)} {what} {label(graph, law)} ({level})", lang="en"),
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
                    if not after(graph, source):
                        yield node, SOV.source, source
            for source in step.extra_sources:
                if not after(graph, source):
                    yield node, SOV.source, source


def _flow_findings(
    graph: Graph, found: dict[tuple[Node, Node, str], _Candidate]
) -> dict[tuple[Node, Node, str], _Candidate]:
    """The ``flow`` findings: a system whose data an in-effect ``sov:DataFlow`` copies or feeds into a
    system with a finding (of any level, a flow one included) is found at level ``flow`` for the same law,
    with the path system → target system → … and the status of the finding it rests on (an exposed one
    preferred, then the shortest path). Systems are followed until nothing changes, so chains of flows
    count and cycles stop."""
    flows: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)  # source system -> [(target, flow)]
    for flow in sorted(instances(graph, SOV.DataFlow), key=str):
        if not in_effect(graph, flow):
            continue
        origin, target = graph.value(flow, SOV.flowFrom), graph.value(flow, SOV.flowTo)
        if origin is not None and target is not None and origin != target:
            flows[origin].append((target, flow))
    if not flows:
        return {}
    current = dict(found)
    out: dict[tuple[Node, Node, str], _Candidate] = {}
    changed = True
    while changed:
        changed = False
        by_system: dict[tuple[Node, Node], list[_Candidate]] = defaultdict(list)
        for (system, law, _), candidate in current.items():
            by_system[(system, law)].append(candidate)
        for origin in sorted(flows, key=str):
            for target, flow in flows[origin]:
                for (system, law), candidates in sorted(by_system.items(), key=lambda kv: [str(x) for x in kv[0]]):
                    if system != target:
                        continue
                    usable = [c for c in candidates if all(step.node != origin for step in c.steps)]
                    if not usable:
                        continue  # every path would loop back through the origin
                    base = min(usable, key=lambda c: (c.gap is not None, _rank(c.steps)))
                    steps = [
                        _Step(origin, None, None),
                        _Step(flow, "its data flows through", flow),
                        _Step(target, "into", flow),
                        *base.steps[1:],
                    ]
                    candidate = _Candidate(steps, base.gap)
                    key = (origin, law, "flow")
                    if key in found:
                        continue
                    old = out.get(key)
                    better = old is None or (candidate.gap is not None, _rank(steps)) < (
                        old.gap is not None, _rank(old.steps))
                    if better:
                        out[key] = candidate
                        current[key] = candidate
                        changed = True
    exposed = {(system, law) for (system, law, _), c in found.items() if c.gap is None}
    return {key: c for key, c in out.items() if c.gap is None or (key[0], key[1]) not in exposed}


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
        gap = graph.value(finding, SOV.gap)
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
                status=STATUS_NAME.get(graph.value(finding, SOV.status), "exposed"),
                gap=None if gap is None else str(gap),
            )
        )
    from sovkg.model import strength

    findings.sort(key=lambda f: (f.system_label, f.law_label, strength(f.status, f.level)))
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
