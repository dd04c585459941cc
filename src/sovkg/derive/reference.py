"""The reference ("naive") pipeline: a full OWL RL closure with ``owlrl``, then SPARQL.

It derives the same exposure findings as :mod:`sovkg.derive.run` by an independent route:

1. the domain rules that OWL cannot express (validity on a date, union membership, adequacy,
   control from a stake) as SPARQL ``CONSTRUCT`` queries over the asserted graph;
2. a full ``owlrl`` OWL 2 RL closure of ontology + data + step 1, then effective ownership
   (:func:`sovkg.derive.ownership.ownership_triples`, a domain rule: integrated shares are not SPARQL);
3. applicability and exposure levels as SPARQL queries over the closed graph, the ``influence``
   level reading the SecNumCloud 3.2 §19.6.b thresholds from the data, the ``flow`` level following
   in-effect data flows (any number of them) into a system exposed by its hosting.

It derives the *exposed* findings only: the ``unknown`` ones (a link of the chain not recorded) are
sovkg's own judgement, compared by the tests in their own right.

Tests compare its findings with sovkg's own pipeline on the same input, and ``bench/`` uses it as
the baseline. It is slow by construction (``owlrl`` materialises every OWL RL entailment).
"""

from __future__ import annotations

import datetime as dt

from rdflib import Dataset, Graph, Literal, URIRef

from sovkg.core.errors import ReasonerInconsistencyError
from sovkg.core.namespaces import INFERRED_GRAPH, PREFIXES
from sovkg.derive.common import merged_graph
from sovkg.derive.ownership import ownership_triples

_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_BOUND_EST = URIRef("urn:sovkg:reference:boundByEstablishment")
_BOUND_SERVICE = URIRef("urn:sovkg:reference:boundByService")
_BOUND_CONTROL = URIRef("urn:sovkg:reference:boundByControl")
_BOUND_GROUP = URIRef("urn:sovkg:reference:boundByGroupPresence")
_FLOWS_INTO = URIRef("urn:sovkg:reference:flowsInto")
_INDIVIDUAL_THRESHOLD = "https://w3id.org/sovkg/id/threshold/snc-3.2-19.6-b-individual"
_COLLECTIVE_THRESHOLD = "https://w3id.org/sovkg/id/threshold/snc-3.2-19.6-b-collective"


def _padded(var: str, start: bool) -> str:
    """A SPARQL expression turning an xsd:date, gYearMonth or gYear into a comparable string.

    As in :mod:`sovkg.core.dates`, a partial start date counts from the end of its period and a partial end
    date until its beginning (only what is certain holds); "-31" is a safe month end for comparing strings.
    """
    tail4, tail7 = ('"-12-31"', '"-31"') if start else ('"-01-01"', '"-01"')
    return (
        f"IF(STRLEN(STR({var})) = 4, CONCAT(STR({var}), {tail4}), "
        f"IF(STRLEN(STR({var})) = 7, CONCAT(STR({var}), {tail7}), SUBSTR(STR({var}), 1, 10)))"
    )


VALIDITY = f"""
CONSTRUCT {{ ?n sov:inEffect true }} WHERE {{
  VALUES ?cls {{ sov:OwnershipStake sov:HostingArrangement sov:Certificate sov:Membership
                sov:AdequacyDecision sov:Law sov:Subcontracting sov:TechnologyDependency sov:DataFlow }}
  ?n a ?type . ?type rdfs:subClassOf* ?cls .
  FILTER NOT EXISTS {{ ?n sov:planned true }}
  OPTIONAL {{ ?n sov:validFrom ?from }}
  OPTIONAL {{ ?n sov:validUntil ?until }}
  FILTER (!BOUND(?from) || {_padded("?from", True)} <= ?day)
  FILTER (!BOUND(?until) || {_padded("?until", False)} >= ?day)
  # the scheme's acceptance, or for a scheme recorded without its version, that of each of its versions
  FILTER NOT EXISTS {{
    ?n sov:scheme ?scheme .
    {{ ?scheme sov:acceptedUntil ?accepted }}
    UNION
    {{ ?version dcterms:isVersionOf ?scheme ; sov:acceptedUntil ?accepted .
       FILTER NOT EXISTS {{ ?scheme sov:acceptedUntil ?own }} }}
    FILTER ({_padded("?accepted", False)} < ?day)
  }}
}}"""

MEMBERSHIP = f"""
CONSTRUCT {{ ?country sov:memberOf ?union }} WHERE {{
  {{
    ?m a sov:Membership ; sov:inEffect true ; sov:member ?country ; sov:union ?union .
  }} UNION {{
    ?m a sov:Membership ; sov:inEffect true ; sov:member ?country ; sov:union <https://w3id.org/sovkg/id/union/EU> .
    <https://w3id.org/sovkg/id/union/EEA> a sov:Union .
    OPTIONAL {{ <https://w3id.org/sovkg/id/union/EEA> sov:validFrom ?from }}
    OPTIONAL {{ <https://w3id.org/sovkg/id/union/EEA> sov:validUntil ?until }}
    FILTER (!BOUND(?from) || {_padded("?from", True)} <= ?day)
    FILTER (!BOUND(?until) || {_padded("?until", False)} >= ?day)
    BIND (<https://w3id.org/sovkg/id/union/EEA> AS ?union)
  }}
}}"""

ADEQUACY = """
CONSTRUCT { ?country sov:adequacyInForce ?d } WHERE {
  ?d a sov:AdequacyDecision ; sov:inEffect true ; sov:adequacyFor ?country .
  FILTER NOT EXISTS { ?d sov:partialAdequacy true }
}"""

CONTROL = """
CONSTRUCT { ?holder sov:directlyControls ?held } WHERE {
  ?s a sov:OwnershipStake ; sov:inEffect true ; sov:holder ?holder ; sov:held ?held .
  FILTER (?holder != ?held)
  OPTIONAL { ?s sov:votingPercent ?v }
  OPTIONAL { ?s sov:capitalPercent ?c }
  OPTIONAL { ?s sov:minimumPercent ?min }
  FILTER (
    (BOUND(?v) && ?v > 50)
    || (!BOUND(?v) && ((BOUND(?c) && ?c > 50) || (BOUND(?min) && ?min > 50)))
    || EXISTS { ?s sov:majorityOfVotes true } || EXISTS { ?s sov:appointsBoardMajority true }
    || EXISTS { ?s sov:controlRight true })
}"""


def _in_territory(entity: str, prop: str, law: str) -> str:
    """The entity's ``prop`` (seat or service country) lies in the law's jurisdiction or union."""
    return (
        f"{law} sov:enactedBy ?j . "
        f"{{ {entity} {prop} ?j }} UNION {{ {entity} {prop} ?c . ?c sov:memberOf ?j . ?j a sov:Union }}"
    )


BINDINGS = f"""
CONSTRUCT {{ ?e <{_BOUND_EST}> ?law . ?e <{_BOUND_SERVICE}> ?law2 . ?x <{_BOUND_CONTROL}> ?law3 .
            ?g <{_BOUND_GROUP}> ?law4 }} WHERE {{
  {{
    ?law a sov:AccessLaw ; sov:inEffect true ; sov:reach sov:ReachByEstablishment .
    {_in_territory("?e", "sov:establishedIn", "?law")}
  }} UNION {{
    ?law2 a sov:AccessLaw ; sov:inEffect true ; sov:reach sov:ReachByService .
    {_in_territory("?e", "sov:servesPersonsIn", "?law2")}
  }} UNION {{
    ?law3 a sov:AccessLaw ; sov:inEffect true ; sov:reach sov:ReachByEstablishment , sov:ReachByControl .
    ?ctl sov:controls ?x . FILTER (?x != ?ctl)
    {_in_territory("?ctl", "sov:establishedIn", "?law3")}
  }} UNION {{
    # group presence: an entity operating in the jurisdiction without a seat there, and what it controls
    ?law4 a sov:AccessLaw ; sov:inEffect true ; sov:reach sov:ReachByGroupPresence .
    {_in_territory("?present", "sov:operatesIn", "?law4")}
    FILTER NOT EXISTS {{ {_in_territory("?present", "sov:establishedIn", "?law4")} }}
    ?present sov:controls* ?g .
    FILTER NOT EXISTS {{ {_in_territory("?g", "sov:establishedIn", "?law4")} }}
  }}
}}"""

FLOWS = f"""
CONSTRUCT {{ ?from <{_FLOWS_INTO}> ?to }} WHERE {{
  ?flow a sov:DataFlow ; sov:inEffect true ; sov:flowFrom ?from ; sov:flowTo ?to . FILTER (?from != ?to)
}}"""

_BOUND_ANY = " UNION ".join(f"{{ ?who <{p}> ?law }}" for p in (_BOUND_EST, _BOUND_SERVICE, _BOUND_CONTROL))
_ABOVE = "(COALESCE(?capital > ?limit, false) || COALESCE(?voting > ?limit, false))"

EXPOSURE = f"""
SELECT DISTINCT ?system ?law ?level WHERE {{
  ?a a sov:HostingArrangement ; sov:inEffect true ; sov:hostedSystem ?system ; sov:provider ?p .
  {{
    {{ ?p <{_BOUND_EST}> ?law }} UNION {{ ?p <{_BOUND_SERVICE}> ?law }}
    BIND ("direct" AS ?level)
  }} UNION {{
    ?p <{_BOUND_CONTROL}> ?law . BIND ("control" AS ?level)
  }} UNION {{
    ?a sov:subcontracting ?link . ?link sov:technicalAccessToData true ; sov:subcontractor ?who .
    FILTER (EXISTS {{ ?link sov:inEffect true }}
            || (NOT EXISTS {{ ?link sov:validFrom ?f }} && NOT EXISTS {{ ?link sov:validUntil ?u }}))
    {_BOUND_ANY}
    BIND ("subcontractor" AS ?level)
  }} UNION {{
    {{ ?a sov:technologyDependency ?dep }} UNION {{ ?a sov:offer ?o . ?o sov:technologyDependency ?dep }}
    ?dep sov:technicalAccessToData true ; sov:technologySupplier ?who .
    FILTER (EXISTS {{ ?dep sov:inEffect true }}
            || (NOT EXISTS {{ ?dep sov:validFrom ?f }} && NOT EXISTS {{ ?dep sov:validUntil ?u }}))
    {_BOUND_ANY}
    BIND ("technology" AS ?level)
  }} UNION {{
    # group presence: the provider, or a third party with access to the data, is bound through its group
    {{ ?a sov:provider ?who }}
    UNION {{ ?a sov:subcontracting ?link . ?link sov:technicalAccessToData true ; sov:subcontractor ?who .
             FILTER (EXISTS {{ ?link sov:inEffect true }}
                     || (NOT EXISTS {{ ?link sov:validFrom ?f }} && NOT EXISTS {{ ?link sov:validUntil ?u }})) }}
    UNION {{ {{ ?a sov:technologyDependency ?dep }} UNION {{ ?a sov:offer ?o . ?o sov:technologyDependency ?dep }}
             ?dep sov:technicalAccessToData true ; sov:technologySupplier ?who .
             FILTER (EXISTS {{ ?dep sov:inEffect true }}
                     || (NOT EXISTS {{ ?dep sov:validFrom ?f }} && NOT EXISTS {{ ?dep sov:validUntil ?u }})) }}
    ?who <{_BOUND_GROUP}> ?law .
    BIND ("group-presence" AS ?level)
  }} UNION {{
    # influence, one holder: bound by the law, not controlling the provider, above the individual threshold
    <{_INDIVIDUAL_THRESHOLD}> sov:thresholdPercent ?limit .
    ?eo a sov:EffectiveOwnership ; sov:held ?p ; sov:holder ?who . FILTER (?who != ?p)
    OPTIONAL {{ ?eo sov:capitalPercent ?capital }}
    OPTIONAL {{ ?eo sov:votingPercent ?voting }}
    FILTER {_ABOVE}
    FILTER NOT EXISTS {{ ?who sov:controls ?p }}
    {_BOUND_ANY}
    FILTER NOT EXISTS {{ ?p <{_BOUND_CONTROL}> ?law }}
    BIND ("influence" AS ?level)
  }} UNION {{
    # influence, holders together: those established in the law's country, above the collective threshold
    <{_COLLECTIVE_THRESHOLD}> sov:thresholdPercent ?limit .
    ?jo a sov:JurisdictionOwnership ; sov:held ?p ; sov:holderScope ?country .
    OPTIONAL {{ ?jo sov:capitalPercent ?capital }}
    OPTIONAL {{ ?jo sov:votingPercent ?voting }}
    FILTER {_ABOVE}
    ?law a sov:AccessLaw ; sov:enactedBy ?country ; sov:reach sov:ReachByEstablishment .
    FILTER NOT EXISTS {{ ?p <{_BOUND_CONTROL}> ?law }}
    FILTER NOT EXISTS {{ ?ctl sov:controls ?p . ?ctl sov:establishedIn ?country }}
    FILTER EXISTS {{
      ?eo a sov:EffectiveOwnership ; sov:held ?p ; sov:holder ?who . FILTER (?who != ?p)
      ?who sov:establishedIn ?country .
      {_BOUND_ANY}
    }}
    BIND ("influence" AS ?level)
  }}
}}"""


SUBJECT_TO = f"""
CONSTRUCT {{ ?e sov:subjectTo ?law }} WHERE {{
  {{ ?e <{_BOUND_EST}> ?law }} UNION {{ ?e <{_BOUND_SERVICE}> ?law }} UNION {{ ?e <{_BOUND_CONTROL}> ?law }}
}}"""

_TARGET_EXPOSURE = (
    EXPOSURE.replace("?system ?law ?level", "?target ?law ?targetLevel")
    .replace("?system", "?target")
    .replace("?level", "?targetLevel")
)

EXPOSURE_WITH_FLOWS = f"""
SELECT DISTINCT ?system ?law ?level WHERE {{
  {{ {EXPOSURE} }}
  UNION
  {{
    # flow: the system's data flows, directly or through other systems, into a system exposed by its hosting
    {{ {_TARGET_EXPOSURE} }}
    ?system <{_FLOWS_INTO}>+ ?target . FILTER (?system != ?target)
    BIND ("flow" AS ?level)
  }}
}}"""

FINDINGS = f"""
CONSTRUCT {{
  ?finding a sov:ExposureFinding ; sov:exposedSystem ?system ; sov:applicableLaw ?law ; sov:level ?levelNode .
}} WHERE {{
  {{ {EXPOSURE_WITH_FLOWS} }}
  BIND (IRI(CONCAT("urn:sovkg:reference:finding:", MD5(CONCAT(STR(?system), " ", STR(?law), " ", ?level)))) AS ?finding)
  VALUES (?level ?levelNode) {{
    ("direct" sov:DirectExposure) ("control" sov:ControlExposure)
    ("subcontractor" sov:SubcontractorExposure) ("technology" sov:TechnologyExposure)
    ("influence" sov:InfluenceExposure) ("group-presence" sov:GroupPresenceExposure) ("flow" sov:FlowExposure)
  }}
}}"""


def closed_graph(dataset: Dataset, *, as_of: dt.date) -> Graph:
    """Asserted facts + domain rules (SPARQL) + a full owlrl OWL RL closure, in one graph."""
    import owlrl

    graph = merged_graph(g for g in dataset.graphs() if g.identifier != INFERRED_GRAPH)
    day = {"day": Literal(as_of.isoformat())}
    for query in (VALIDITY, MEMBERSHIP, ADEQUACY, CONTROL, FLOWS):
        for triple in graph.query(_PROLOGUE + query, initBindings=day):
            graph.add(triple)  # type: ignore[arg-type]
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    _raise_on_inconsistency(graph)
    for triple in ownership_triples(graph, as_of):  # effective ownership: a domain rule, like control
        graph.add(triple)
    for query in (BINDINGS, SUBJECT_TO, FINDINGS):
        for triple in graph.query(_PROLOGUE + query):
            graph.add(triple)  # type: ignore[arg-type]
    return graph


def reference_findings(dataset: Dataset, *, as_of: dt.date) -> set[tuple[str, str, str]]:
    """(system, law, level) for every exposure the reference pipeline derives."""
    graph = closed_graph(dataset, as_of=as_of)
    return {(str(r[0]), str(r[1]), str(r[2])) for r in graph.query(_PROLOGUE + EXPOSURE_WITH_FLOWS)}  # type: ignore[index]


def _raise_on_inconsistency(graph: Graph) -> None:
    # owlrl records an inconsistency as a triple on owl:Nothing / rdf:type owl:Nothing, or as an
    # "error" literal attached to the graph; both mean the data contradicts the ontology.
    from rdflib import OWL, RDF

    if (None, RDF.type, OWL.Nothing) in graph:
        offenders = sorted(str(s) for s in graph.subjects(RDF.type, OWL.Nothing))[:5]
        raise ReasonerInconsistencyError(f"owlrl found the graph inconsistent: {', '.join(offenders)} a owl:Nothing")


__all__ = ["closed_graph", "reference_findings"]
