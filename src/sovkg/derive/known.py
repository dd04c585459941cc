"""What is not yet known on a date: mark every node dated after the derivation's as-of date.

Takes the merged graph (asserted facts plus the earlier derivation stages) and the as-of date;
gives ``?node sov:afterAsOf true`` for every node whose own date comes after that day (rule
``kg:rule/known-on-date``), so that no output for the date shows it:

- an event, decision or procurement whose ``sov:date`` is after the day;
- a source whose ``dcterms:date`` (publication) is after the day;
- a fact (stake, arrangement, certificate, system, law, legal requirement…) whose ``sov:validFrom``
  is after the day;
- a planned arrangement, from the date of the event that results in it (a procurement's award,
  else its own date): a plan is not known before it is decided;
- a certificate under a scheme that did not exist yet, or with no start and attested after the day;
  an arrangement of a system that did not exist yet.

A partial date counts from its earliest day: a source dated "2026" is after 2025-12-31 but not
after 2026-01-01 (it may have been published that day). Undated nodes are never marked: unknown is
not "after". The mark is the complement of "known on the date"; queries keep a node with
``FILTER NOT EXISTS { ?node sov:afterAsOf true }``.

>>> import datetime as dt
>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
... @prefix sov: <https://w3id.org/sovkg/ns#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
... <urn:e1> a sov:Event ; sov:date "2026-02-05"^^xsd:date ; sov:resultsIn <urn:plan> .
... <urn:plan> a sov:HostingArrangement ; sov:planned true .
... <urn:e2> a sov:Event ; sov:date "2025"^^xsd:gYear .
... ''')
>>> sorted(str(s) for s, _, _ in known_triples(g, dt.date(2025, 8, 1)))
['urn:e1', 'urn:plan']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from rdflib import RDF, Graph, Literal
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from sovkg.core.dates import as_date
from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import SOV
from sovkg.derive.common import Triple, instances

DATED_BY_VALIDITY = (
    SOV.OwnershipStake,
    SOV.HostingArrangement,
    SOV.Certificate,
    SOV.Law,
    SOV.LegalRequirement,
    SOV.InformationSystem,
    SOV.Subcontracting,
    SOV.TechnologyDependency,
    SOV.CertificationScheme,
    SOV.AdequacyDecision,
    SOV.Membership,
)
"""Classes whose instances are dated by ``sov:validFrom``."""


READS = (
    (SOV.Event, SOV.Source, *DATED_BY_VALIDITY),
    (SOV.date, DCTERMS.date, SOV.validFrom, SOV.planned, SOV.resultsIn, SOV.awardedOn, SOV.attestedOn, SOV.scheme,
     SOV.hostedSystem),
)
"""(The classes whose instances, the predicates whose triples) :func:`known_triples` reads: the store engine
extracts only these (:func:`sovkg.derive.store_rules.derive_store`)."""


def earliest(value: Node | None, subject: Node) -> dt.date | None:
    """The earliest day a date literal can stand for (``None`` when absent or not a date).

    A value that is not a date (``"22 March 2024"`` as a plain string) dates nothing here: the
    integrity shapes report it, and an undated node is kept.

    >>> from rdflib import Literal
    >>> earliest(Literal("22 March 2024"), None) is None
    True
    """
    try:
        return as_date(value, start=False, subject=subject)
    except SovkgInputError:
        return None


def event_day(graph: Graph, event: Node) -> dt.date | None:
    """The day an event is known from: its award for a procurement that has one, else its date."""
    awarded = earliest(graph.value(event, SOV.awardedOn), event)
    return awarded if awarded is not None else earliest(graph.value(event, SOV.date), event)


def known_triples(graph: Graph, day: dt.date) -> Iterator[Triple]:
    """``sov:afterAsOf true`` for every node dated after ``day`` (see the module docstring)."""
    marked: set[Node] = set()
    for event in instances(graph, SOV.Event):
        when = earliest(graph.value(event, SOV.date), event)
        if when is not None and when > day:
            marked.add(event)
    for source in instances(graph, SOV.Source):
        when = earliest(graph.value(source, DCTERMS.date), source)
        if when is not None and when > day:
            marked.add(source)
    for cls in DATED_BY_VALIDITY:
        for node in instances(graph, cls):
            when = earliest(graph.value(node, SOV.validFrom), node)
            if when is not None and when > day:
                marked.add(node)
    for arrangement in instances(graph, SOV.HostingArrangement):
        if graph.value(arrangement, SOV.planned) != Literal(True):
            continue
        days = [event_day(graph, e) for e in graph.subjects(SOV.resultsIn, arrangement)
                if (e, RDF.type, SOV.Event) in graph]
        known = [d for d in days if d is not None]
        if known and min(known) > day:
            marked.add(arrangement)
    for certificate in instances(graph, SOV.Certificate):
        attested = earliest(graph.value(certificate, SOV.attestedOn), certificate)
        if graph.value(certificate, SOV.validFrom) is None and attested is not None and attested > day:
            marked.add(certificate)  # with no start recorded, a certificate is known from its attestation
        if graph.value(certificate, SOV.scheme) in marked:
            marked.add(certificate)  # no certificate under a referential that did not exist yet
    for arrangement in instances(graph, SOV.HostingArrangement):
        if graph.value(arrangement, SOV.hostedSystem) in marked:
            marked.add(arrangement)  # no hosting of a system that did not exist yet
    for node in sorted(marked, key=str):
        yield node, SOV.afterAsOf, Literal(True)


def after(graph: Graph, node: Node) -> bool:
    """True when ``node`` carries the mark (is dated after the graph's as-of date)."""
    return (node, SOV.afterAsOf, Literal(True)) in graph
