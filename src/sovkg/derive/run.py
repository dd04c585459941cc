"""Derive what follows from the asserted facts, as of a date, into the ``inferred`` graph.

The derivation runs in stages (each documented on the rule it applies; every derived node names
its rule with ``sov:derivedBy``):

1. OWL RL (:mod:`sovkg.derive.owl_rl`): types from the class hierarchy, seats as ``sov:establishedIn``.
2. Known on the date (:mod:`sovkg.derive.known`): ``sov:afterAsOf true`` on every event, source,
   fact and plan dated after the date, which no output for the date shows.
   Validity: ``sov:inEffect true`` on every stake, arrangement, certificate, membership, adequacy
   decision, law, legal requirement, system, subcontracting and technology dependency that holds
   on the date (a certificate not before its scheme exists, an arrangement not before its system); EU/EEA
   membership (``sov:memberOf``) and adequacy (``sov:adequacyInForce``) on the date.
3. Control: ``sov:directlyControls`` from in-effect stakes (rule ``kg:rule/control-from-stake``);
   OWL RL then closes ``sov:controls`` (transitive) and ``sov:controlledBy`` (inverse).
4. Effective ownership (:mod:`sovkg.derive.ownership`): integrated shares of capital and votes along
   chains of in-effect stakes, and the shares held from outside the EU and per country.
5. Applicability: which access law binds which entity, on which reach criterion
   (:mod:`sovkg.derive.exposure`).
6. Exposure findings with their ordered evidence paths (:mod:`sovkg.derive.exposure`).
7. OWL RL again: the nodes of stages 4 to 6 and the derivation rules get their classes'
   superclasses (``prov:Entity``, ``prov:Plan``).

>>> from sovkg.load.rdf import load_dataset
>>> ds = load_dataset(include_case=False)
>>> result = derive(ds, as_of=dt.date(2019, 6, 1))
>>> (KG["country/GB"], SOV.memberOf, KG["union/EU"]) in ds.graph(INFERRED_GRAPH)
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from sovkg.core.dates import as_date, holds_on
from sovkg.core.namespaces import INFERRED_GRAPH, KG, SOV
from sovkg.derive.common import (
    RULES,
    Rule,
    Triple,
    as_number,
    derived_iri,
    in_effect,
    instances,
    label,
    merged_graph,
    rule_iri,
)
from sovkg.derive.owl_rl import owl_rl_entailments

TIMED_CLASSES = (
    SOV.OwnershipStake,
    SOV.HostingArrangement,
    SOV.Certificate,
    SOV.Membership,
    SOV.AdequacyDecision,
    SOV.Law,
    SOV.Subcontracting,
    SOV.TechnologyDependency,
    SOV.LegalRequirement,
    SOV.InformationSystem,
    SOV.DataFlow,
)
"""Classes whose instances get ``sov:inEffect`` when they hold on the derivation date."""


@dataclass
class Derivation:
    """The derived triples of one run, grouped for the stages that read them."""

    as_of: dt.date
    triples: set[Triple] = field(default_factory=set)
    graph: Graph = field(default_factory=Graph)
    """Asserted and derived triples together (the union the later stages and the checks read)."""

    def add(self, s: Node, p: Node, o: Node) -> None:
        """Record one derived triple."""
        self.triples.add((s, p, o))

    def extend(self, triples: Iterable[Triple]) -> None:
        """Record several derived triples."""
        self.triples.update(triples)


def derive(dataset: Dataset, *, as_of: dt.date) -> Derivation:
    """Derive everything for ``as_of`` and write it to the dataset's ``inferred`` graph.

    Returns the derivation (its triples); the exposure findings are read back with
    :func:`sovkg.derive.exposure.read_findings`.
    """
    from sovkg.derive import (
        exposure,  # late import: both use the helpers defined here
        known,
        ownership,
    )

    work = merged_graph(g for g in dataset.graphs() if g.identifier != INFERRED_GRAPH)
    derivation = Derivation(as_of, graph=work)

    def absorb(triples: Iterable[Triple]) -> None:
        fresh = [t for t in triples if t not in work]
        derivation.extend(fresh)
        for t in fresh:
            work.add(t)

    absorb(owl_rl_entailments(work))
    absorb(known.known_triples(work, as_of))
    absorb(validity_triples(work, as_of))
    absorb(renewal_triples(work, as_of))
    absorb(membership_triples(work, as_of))
    absorb(adequacy_triples(work))
    absorb(control_triples(work))
    absorb(owl_rl_entailments(work))
    absorb(ownership.ownership_triples(work, as_of))
    absorb(exposure.applicability_triples(work, as_of))
    absorb(exposure.finding_triples(work, as_of))
    absorb(rule_description_triples())
    absorb(graph_description_triples(dataset, as_of))
    absorb(owl_rl_entailments(work))  # the nodes made since the last pass get their superclasses' types

    inferred = dataset.graph(INFERRED_GRAPH)
    inferred.remove((None, None, None))
    inferred.addN((s, p, o, inferred) for s, p, o in derivation.triples)
    return derivation


# ---------------------------------------------------------------------------------------- validity


def is_in_effect(graph: Graph, node: Node, day: dt.date) -> bool:
    """Decide whether one fact holds on ``day`` (see rule ``kg:rule/validity``)."""
    scheme = graph.value(node, SOV.scheme)
    system = graph.value(node, SOV.hostedSystem)
    return fact_holds(
        day, node,
        planned=graph.value(node, SOV.planned) == Literal(True),
        valid_from=graph.value(node, SOV.validFrom),
        valid_until=graph.value(node, SOV.validUntil),
        scheme=scheme,
        accepted_until=acceptance_end(graph, scheme) if scheme is not None else None,
        scheme_from=graph.value(scheme, SOV.validFrom) if scheme is not None else None,
        system=system,
        system_from=graph.value(system, SOV.validFrom) if system is not None else None,
        after=(node, SOV.afterAsOf, Literal(True)) in graph,
    )


def fact_holds(day: dt.date, node: Node, *, planned: bool, valid_from: Node | None, valid_until: Node | None,
               scheme: Node | None = None, accepted_until: Node | dt.date | None = None,
               scheme_from: Node | None = None,
               system: Node | None = None, system_from: Node | None = None, after: bool = False) -> bool:
    """Rule ``kg:rule/validity`` on the values read for one fact (the store engine reads them in one query).

    A plan, or a fact not known yet on the date (``after``: see :mod:`sovkg.derive.known`), is not in
    effect; nor is a certificate under a referential that did not exist yet (``scheme_from``), nor the
    hosting of a system that did not exist yet (``system_from``). ``accepted_until`` is the scheme's
    ``sov:acceptedUntil`` or the day :func:`acceptance_end` gives.

    >>> fact_holds(dt.date(2020, 6, 1), KG["x"], planned=False, valid_from=Literal("2019", datatype=XSD.gYear),
    ...            valid_until=None)
    True
    """
    if planned or after:
        return False
    start = as_date(valid_from, start=True, subject=node)
    end = as_date(valid_until, start=False, subject=node)
    if not holds_on(day, start, end):
        return False
    if scheme is not None:
        accepted = (accepted_until if isinstance(accepted_until, dt.date)
                    else as_date(accepted_until, start=False, subject=scheme))
        if accepted is not None and day > accepted:
            return False
        issued = as_date(scheme_from, start=True, subject=scheme)
        if issued is not None and day < issued:
            return False  # no certificate under a referential that did not exist yet
    if system is not None:
        opened = as_date(system_from, start=True, subject=system)
        if opened is not None and day < opened:
            return False  # a system that did not exist yet is not hosted
    return True


def acceptance_end(graph: Graph, scheme: Node) -> dt.date | None:
    """The last day a scheme's certificates are accepted: its own ``sov:acceptedUntil``, else, for a
    scheme recorded without its version (``kg:scheme/HDS``), the earliest ``sov:acceptedUntil`` of its
    versions (``dcterms:isVersionOf``): a certificate whose referential is not stated may be under the
    oldest one, so it is certain only as long as that one is accepted (the same rule as a versioned one).
    """
    own = as_date(graph.value(scheme, SOV.acceptedUntil), start=False, subject=scheme)
    if own is not None:
        return own
    ends = [
        as_date(graph.value(version, SOV.acceptedUntil), start=False, subject=version)
        for version in graph.subjects(DCTERMS.isVersionOf, scheme)
    ]
    known = [end for end in ends if end is not None]
    return min(known) if known else None


RENEWAL_READS = (
    (SOV.Certificate,),
    (SOV.inEffect, SOV.planned, SOV.validFrom, SOV.scheme, DCTERMS.isVersionOf, SOV.certificateHolder,
     SOV.coversOffer),
)
"""(The classes whose instances, the predicates whose triples) :func:`renewal_triples` reads."""


def renewal_triples(graph: Graph, day: dt.date) -> Iterator[Triple]:
    """``sov:renewalUnknown true`` on a certificate that has ended on ``day`` — by its own
    ``sov:validUntil`` or because its scheme is no longer accepted — when no certificate of the same
    scheme family (the scheme, its versions, the scheme it is a version of) held by the same holder or
    covering one of the same offers is in effect: a renewal may exist unrecorded, so the holder's
    certification is *unknown*, not absent (rule ``kg:rule/validity``)."""
    certificates = instances(graph, SOV.Certificate)
    for certificate in sorted(certificates, key=str):
        if in_effect(graph, certificate) or graph.value(certificate, SOV.planned) == Literal(True):
            continue
        start = as_date(graph.value(certificate, SOV.validFrom), start=True, subject=certificate)
        if start is not None and day < start:
            continue
        scheme = graph.value(certificate, SOV.scheme)
        family = _scheme_family(graph, scheme)
        holders = set(graph.objects(certificate, SOV.certificateHolder))
        offers = set(graph.objects(certificate, SOV.coversOffer))
        renewed = any(
            in_effect(graph, other)
            and graph.value(other, SOV.scheme) in family
            and (
                bool(holders & set(graph.objects(other, SOV.certificateHolder)))
                or bool(offers & set(graph.objects(other, SOV.coversOffer)))
            )
            for other in certificates
            if other != certificate
        )
        if not renewed:
            yield certificate, SOV.renewalUnknown, Literal(True)


def _scheme_family(graph: Graph, scheme: Node | None) -> set[Node]:
    if scheme is None:
        return set()
    roots = {scheme} | set(graph.objects(scheme, DCTERMS.isVersionOf))
    family = set(roots)
    for root in roots:
        family |= set(graph.subjects(DCTERMS.isVersionOf, root))
    return family


def validity_triples(graph: Graph, day: dt.date) -> Iterator[Triple]:
    """``sov:inEffect true`` for every timed fact that holds on ``day``."""
    seen: set[Node] = set()
    for cls in TIMED_CLASSES:
        for node in instances(graph, cls) - seen:
            seen.add(node)
            if is_in_effect(graph, node, day):
                yield node, SOV.inEffect, Literal(True)


def membership_triples(graph: Graph, day: dt.date) -> Iterator[Triple]:
    """``?country sov:memberOf ?union`` on ``day``; EU members are in the EEA while it exists."""
    eu, eea = KG["union/EU"], KG["union/EEA"]
    members: set[tuple[Node, Node]] = set()
    for membership in instances(graph, SOV.Membership):
        if in_effect(graph, membership):
            country, union = graph.value(membership, SOV.member), graph.value(membership, SOV.union)
            if country is not None and union is not None:
                members.add((country, union))
    eea_exists = (eea, RDF.type, SOV.Union) in graph and holds_on(
        day,
        as_date(graph.value(eea, SOV.validFrom), start=True, subject=eea),
        as_date(graph.value(eea, SOV.validUntil), start=False, subject=eea),
    )
    if eea_exists:
        members |= {(country, eea) for country, union in members if union == eu}
    for country, union in sorted(members):
        yield country, SOV.memberOf, union


def adequacy_triples(graph: Graph) -> Iterator[Triple]:
    """``?country sov:adequacyInForce ?decision`` for whole-country decisions in effect."""
    for decision in instances(graph, SOV.AdequacyDecision):
        if in_effect(graph, decision) and graph.value(decision, SOV.partialAdequacy) != Literal(True):
            for country in graph.objects(decision, SOV.adequacyFor):
                yield country, SOV.adequacyInForce, decision


# ----------------------------------------------------------------------------------------- control


def stake_gives_control(graph: Graph, stake: Node) -> bool:
    """Apply rule ``kg:rule/control-from-stake`` to one stake (validity aside)."""
    voting = as_number(graph.value(stake, SOV.votingPercent))
    capital = as_number(graph.value(stake, SOV.capitalPercent))
    minimum = as_number(graph.value(stake, SOV.minimumPercent))
    if voting is not None:
        if voting > 50:
            return True
    elif (capital is not None and capital > 50) or (minimum is not None and minimum > 50):
        return True
    return any(
        graph.value(stake, flag) == Literal(True)
        for flag in (SOV.majorityOfVotes, SOV.appointsBoardMajority, SOV.controlRight)
    )


def control_triples(graph: Graph) -> Iterator[Triple]:
    """``sov:directlyControls`` and one ``sov:ControlDerivation`` node per controlling stake."""
    rule = rule_iri("control-from-stake")
    for stake in sorted(instances(graph, SOV.OwnershipStake), key=str):
        if not in_effect(graph, stake) or not stake_gives_control(graph, stake):
            continue
        holder, held = graph.value(stake, SOV.holder), graph.value(stake, SOV.held)
        if holder is None or held is None or holder == held:
            continue
        node = derived_iri("control", stake)
        yield holder, SOV.directlyControls, held
        yield node, RDF.type, SOV.ControlDerivation
        yield node, SOV.fromStake, stake
        yield node, SOV.derivedBy, rule
        yield node, RDFS.label, Literal(f"{label(graph, holder)} controls {label(graph, held)}", lang="en")


# ----------------------------------------------------------------------------------------- helpers


def all_rules() -> list[Rule]:
    """Every derivation rule, those of this module and of the modules it calls."""
    from sovkg.derive import ownership

    return [*RULES.values(), ownership.RULE]


def rule_description_triples() -> Iterator[Triple]:
    """Describe the derivation rules in the inferred graph."""
    for rule in all_rules():
        yield rule.iri, RDF.type, SOV.DerivationRule
        yield rule.iri, RDFS.label, Literal(rule.label, lang="en")
        yield rule.iri, SKOS.definition, Literal(rule.definition, lang="en")


def graph_description_triples(dataset: Dataset, day: dt.date) -> Iterator[Triple]:
    """PROV description of the inferred graph: its date and the graphs it was derived from."""
    names = [g.identifier for g in dataset.graphs() if g.identifier != INFERRED_GRAPH and len(g)]
    return inferred_description_triples(names, day)


def inferred_description_triples(sources: Iterable[Node], day: dt.date) -> Iterator[Triple]:
    """PROV description of the inferred graph, given the names of the graphs it was derived from."""
    yield INFERRED_GRAPH, RDF.type, PROV.Entity
    yield INFERRED_GRAPH, RDFS.label, Literal(f"facts derived by sovkg as of {day.isoformat()}", lang="en")
    yield INFERRED_GRAPH, SOV.asOf, Literal(day.isoformat(), datatype=XSD.date)
    for name in sources:
        yield INFERRED_GRAPH, PROV.wasDerivedFrom, name
