"""Derive on an Oxigraph store, set-oriented: the store engine's version of :func:`sovkg.derive.run.derive`.

Takes a :class:`~sovkg.store.engine.LocalStore` holding the loaded dataset (one named graph per
source file) and a date; writes what follows into the named graph ``…/graph/inferred`` and gives
the number of derived triples. The rules are those of :mod:`sovkg.derive.run`, run in the same
order, each over the whole graph at once:

1. **OWL RL subset** (``cax-sco``, ``prp-spo1``, ``prp-inv``, ``prp-trp``, ``prp-dom``,
   ``prp-rng``): one SPARQL ``CONSTRUCT`` per rule (:data:`OWL_RL_RULES`), and ``prp-trp`` as the
   transitive properties' edges read by index scans and closed per strongly connected component
   (:data:`TRANSITIVE_PROPERTIES`); a rule runs again only when one it reads from added triples (:data:`FEEDS`).
2. **Dates**: the known-on-date marks and the date rule run in Python on what they read (one query
   each); the stakes dated by plain ``xsd:date`` bounds alone are judged in SPARQL (:data:`PLAIN_STAKE`).
3. **Membership, adequacy, control** (``sov:memberOf``, ``sov:adequacyInForce``,
   ``sov:directlyControls`` and the ``sov:ControlDerivation`` nodes with their labels): one ``CONSTRUCT``
   each; then the OWL RL rules again close ``sov:controls``, reading only what the stages added.
4. **Applicability**: which law binds whom, written by one ``CONSTRUCT`` (:data:`APPLICABILITY_TRIPLES`).
5. **Effective ownership and exposure** (extract-compute-load): the parties that lead to a system
   (:data:`RELEVANT`) and everything that is not a party are read once from the store into a working
   graph; the edge-list algorithms of :mod:`sovkg.derive.ownership` (strongly connected components, sparse
   per-organisation maps) and :mod:`sovkg.derive.exposure` (one shortest evidence path per
   finding, breadth-first, polynomial in the number of stakes) run on it, with those parties'
   applicability read back (:data:`BINDINGS`).

Each ``CONSTRUCT`` here is the ``WHERE`` of an ``INSERT { GRAPH <…/graph/inferred> { … } }``
update: on a store whose default graph is the union of its graphs, the same text runs as SPARQL
Update (``docs/engine.md`` says why sovkg runs a ``CONSTRUCT`` and a bulk load on Oxigraph instead).
A test (``tests/derive/test_store_engine.py``) checks that the result equals the rdflib pipeline's,
triple for triple, on the bundled case at several dates, the shape fixtures and the scenarios.

>>> from sovkg.store.engine import open_store
>>> from sovkg.store.oxigraph import to_oxigraph
>>> from sovkg.load.rdf import load_dataset
>>> store = open_store()
>>> _ = to_oxigraph(load_dataset(include_case=False), store.store)
>>> derive_store(store, as_of=dt.date(2019, 6, 1)) > 0
True
>>> rows = store.select(PREFIXES + "SELECT ?u WHERE { <https://w3id.org/sovkg/id/country/GB> sov:memberOf ?u }")
>>> sorted(r["u"].value.rsplit("/", 1)[-1] for r in rows)
['EEA', 'EU']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from sovkg.core.dates import as_date
from sovkg.core.namespaces import INFERRED_GRAPH, KG, SOV
from sovkg.core.namespaces import PREFIXES as _PREFIX_MAP
from sovkg.derive import exposure, known, ownership
from sovkg.derive.common import Triple, rule_iri
from sovkg.derive.reachability import transitive_closure
from sovkg.derive.run import (
    RENEWAL_READS,
    TIMED_CLASSES,
    fact_holds,
    inferred_description_triples,
    renewal_triples,
    rule_description_triples,
)
from sovkg.store.engine import LocalStore, TripleTerms
from sovkg.store.oxigraph import from_oxigraph_term, to_oxigraph_term

__all__ = ["APPLICABILITY", "OWL_RL_RULES", "PREFIXES", "TRANSITIVE_PROPERTIES", "constructed_graph", "derive_store"]

PREFIXES = "".join(f"PREFIX {p}: <{n}>\n" for p, n in _PREFIX_MAP.items())
"""The prefixes every rule is written with."""

_INFERRED = str(INFERRED_GRAPH)

SCHEMA_TERMS = """SELECT DISTINCT ?term WHERE { VALUES ?kind { owl:Class rdfs:Class owl:ObjectProperty
    owl:DatatypeProperty owl:AnnotationProperty rdf:Property owl:Ontology } ?term a ?kind }"""
"""The ontology's own terms, whose triples are schema, not instance data (read once per OWL RL pass)."""

_INSTANCE_PREDICATE = (
    "FILTER (?p = rdf:type || (?p NOT IN (rdfs:subClassOf, rdfs:subPropertyOf, rdfs:domain, rdfs:range, "
    "owl:inverseOf, owl:equivalentClass, owl:equivalentProperty) "
    "&& !STRSTARTS(STR(?p), STR(rdf:)) && !STRSTARTS(STR(?p), STR(rdfs:)) && !STRSTARTS(STR(?p), STR(owl:))))"
)

_NOT_SCHEMA = "MINUS {{ SELECT DISTINCT {v} WHERE {{ VALUES ?kind {{ owl:Class rdfs:Class owl:ObjectProperty " \
    "owl:DatatypeProperty owl:AnnotationProperty rdf:Property owl:Ontology }} {v} a ?kind }} }}"

class OwlRule(NamedTuple):
    """One OWL RL rule as whole-graph queries (:data:`OWL_RL_RULES`)."""

    template: str
    """The triples the rule adds."""
    schema: str
    """``SELECT DISTINCT ?read ?out``: the rule's schema side, each (what an instance triple is read by, what
    it gives)."""
    instance: str
    """The instance side, joined to the schema pairs; ``$OUT`` is where the pairs' ``out`` values go, to bound
    the ``MINUS`` of what is already there."""


OWL_RL_RULES: dict[str, OwlRule] = {
    "cax-sco": OwlRule("?x a ?d", "SELECT DISTINCT ?c ?d WHERE { ?c rdfs:subClassOf+ ?d . FILTER (?c != ?d) }",
                       "?x a ?c . MINUS { $OUT ?x a ?d }"),
    "prp-spo1": OwlRule("?x ?q ?y", f"""SELECT DISTINCT ?p ?q WHERE {{ ?p rdfs:subPropertyOf+ ?q . FILTER (?p != ?q)
        {_INSTANCE_PREDICATE} }}""", "?x ?p ?y . MINUS { $OUT ?x ?q ?y }"),
    "prp-inv": OwlRule("?y ?q ?x", f"""SELECT DISTINCT ?p ?q WHERE {{
        {{ ?p owl:inverseOf ?q }} UNION {{ ?q owl:inverseOf ?p }} {_INSTANCE_PREDICATE} }}""",
                       "?x ?p ?y . FILTER (!isLiteral(?y)) MINUS { $OUT ?y ?q ?x }"),
    "prp-dom": OwlRule("?x a ?c", f"""SELECT DISTINCT ?p ?c WHERE {{ ?p rdfs:domain ?c . FILTER (?p != rdf:type)
        {_INSTANCE_PREDICATE} }}""", "?x ?p ?y . MINUS { $OUT ?x a ?c }"),
    "prp-rng": OwlRule("?y a ?c", f"""SELECT DISTINCT ?p ?c WHERE {{ ?p rdfs:range ?c . FILTER (?p != rdf:type)
        {_INSTANCE_PREDICATE} }}""", "?x ?p ?y . FILTER (!isLiteral(?y)) MINUS { $OUT ?y a ?c }"),
}
"""The OWL 2 RL rules of :mod:`sovkg.derive.owl_rl` as whole-graph queries, each run by :func:`_owl_rl_rule` as one
``CONSTRUCT { template } WHERE { … }`` over the union of the graphs, its triples bulk-loaded into the inferred graph
(:func:`_construct`).

The schema side of each rule (the closed class or property hierarchy, the inverse, domain and range axioms) is read
first, then joined to the instance side as ``VALUES``: written as a path in the rule's own pattern, Oxigraph walked
``rdfs:subClassOf+`` again for every typed node (11 to 19 s for ``cax-sco`` at 10,000 GLEIF entities, 1 s as a
sub-query). What is already there is taken out with ``MINUS`` (a hash anti-join; ``FILTER NOT EXISTS``, evaluated
once per solution, took 12 s instead of 0.6 s for ``prp-inv`` on the 90,000 control pairs of a 300-company
ring), bounded to the predicates or classes the rule gives: an unbounded ``MINUS { ?x ?q ?y }`` reads every triple
of the store (``prp-spo1`` at 40,000 GLEIF entities on disk: 4.3 s, bounded: 0.4 s). A triple whose subject is one
of the ontology's own terms is schema, not instance data, and is left out (``MINUS`` of :data:`SCHEMA_TERMS`), as
:mod:`sovkg.derive.owl_rl` leaves it out. ``prp-trp`` is not among them: it runs as a closure
(:data:`TRANSITIVE_PROPERTIES`)."""

_VARIABLES = {rule: (rule_.schema.split()[2], rule_.schema.split()[3]) for rule, rule_ in OWL_RL_RULES.items()}
"""Each rule's (read, out) variables, as its schema side names them."""

TRANSITIVE_PROPERTIES = f"""SELECT DISTINCT ?p WHERE {{ ?p a owl:TransitiveProperty . {_INSTANCE_PREDICATE} }}"""
"""Rule ``prp-trp`` (``x p y, y p z ⇒ x p z``) reads the transitive properties with this query, then the edges of
each by an index scan (:func:`_transitive`: the rows of one ``SELECT ?p ?x ?y`` of every edge cost a third more),
and closes them in Python (:func:`sovkg.derive.reachability.transitive_closure`): as a SPARQL join, each round of
the rule enumerated every two-step chain, cubic in the nodes of a cycle (a ring of 300 companies each controlling
the next: minutes), where the closure costs the edges plus the 90,000 pairs it gives. As an update it is
``INSERT {{ GRAPH <…/graph/inferred> {{ ?x ?p ?z }} }} WHERE {{ ?p a owl:TransitiveProperty . ?x ?p ?y . ?y ?p ?z }}``
repeated until nothing is added."""

_TIMED = " ".join(f"<{c}>" for c in TIMED_CLASSES)


def _comparable(value: str) -> str:
    """SPARQL: ``value`` is a plain ``xsd:date`` (no time zone) that compares with the day (``$DAY``)."""
    return (f"COALESCE(DATATYPE({value}) = xsd:date && STRLEN(STR({value})) = 10 "
            f"&& ({value} <= $DAY || {value} > $DAY), false)")


PLAIN_STAKE = f"""?n a sov:OwnershipStake .
    FILTER NOT EXISTS {{ VALUES ?other {{ {' '.join(f'<{c}>' for c in TIMED_CLASSES if c != SOV.OwnershipStake)} }}
                         ?n a ?other }}
    FILTER NOT EXISTS {{ VALUES ?flag {{ sov:planned sov:afterAsOf sov:scheme sov:hostedSystem }} ?n ?flag ?any }}
    FILTER NOT EXISTS {{ ?n sov:validFrom ?from . FILTER (!{_comparable("?from")}) }}
    FILTER NOT EXISTS {{ ?n sov:validUntil ?until . FILTER (!{_comparable("?until")}) }}
    FILTER NOT EXISTS {{ ?n sov:validFrom ?from1 , ?from2 . FILTER (?from1 != ?from2) }}
    FILTER NOT EXISTS {{ ?n sov:validUntil ?until1 , ?until2 . FILTER (?until1 != ?until2) }}"""
"""A stake (``?n``) the date rule decides from its dates alone: it is nothing but a stake, is not planned, has
no scheme or system, and has at most one start and one end, each a plain ``xsd:date`` (``$DAY``: the date).
The stakes of GLEIF and BODS imports, a million at scale: :data:`PLAIN_IN_EFFECT` marks them in the store, and
the other timed facts (:data:`VALIDITY`) go through :func:`sovkg.derive.run.fact_holds` in Python."""

PLAIN_IN_EFFECT = ("?n sov:inEffect true", f"""{PLAIN_STAKE}
    FILTER NOT EXISTS {{ ?n sov:validFrom ?start . FILTER (?start > $DAY) }}
    FILTER NOT EXISTS {{ ?n sov:validUntil ?end . FILTER (?end < $DAY) }}""")
"""Rule ``kg:rule/validity`` for the :data:`PLAIN_STAKE` stakes: in effect from their start to their end,
both days included (:func:`sovkg.core.dates.holds_on`)."""

VALIDITY = f"""SELECT ?n ?planned ?from ?until ?scheme ?accepted ?issued ?system ?opened ?after WHERE {{
    VALUES ?class {{ {_TIMED} }} ?n a ?class . MINUS {{ {PLAIN_STAKE} }}
    OPTIONAL {{ ?n sov:planned ?planned }} OPTIONAL {{ ?n sov:validFrom ?from }}
    OPTIONAL {{ ?n sov:validUntil ?until }} OPTIONAL {{ ?n sov:afterAsOf ?after }}
    OPTIONAL {{ ?n sov:scheme ?scheme OPTIONAL {{ ?scheme sov:acceptedUntil ?accepted }}
               OPTIONAL {{ ?scheme sov:validFrom ?issued }} }}
    OPTIONAL {{ ?n sov:hostedSystem ?system OPTIONAL {{ ?system sov:validFrom ?opened }} }} }}"""
"""Every other timed fact with the values the date rule reads."""

KNOWN_BEFORE = f"""?s a sov:OwnershipStake .
    FILTER NOT EXISTS {{ VALUES ?other {{ {' '.join(f'<{c}>' for c in known.READS[0] if c != SOV.OwnershipStake)} }}
                         ?s a ?other }}
    FILTER NOT EXISTS {{ ?s sov:validFrom ?from .
                         FILTER (!COALESCE({_comparable("?from")} && ?from <= $DAY, false)) }}"""
"""A stake (``?s``) that cannot be dated after the day: nothing but a stake, with no start, or only plain
``xsd:date`` starts on or before the day. :func:`sovkg.derive.known.known_triples` would not mark it, so its
triples are not extracted for it (at scale, almost every stake)."""

_CERTIFICATE_READS = " ".join(f"<{p}>" for p in RENEWAL_READS[1] if p != DCTERMS.isVersionOf)
RENEWAL = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
    {{ ?s a sov:Certificate . BIND (rdf:type AS ?p) BIND (sov:Certificate AS ?o) }}
    UNION {{ ?s a sov:Certificate . VALUES ?p {{ {_CERTIFICATE_READS} }} ?s ?p ?o }}
    UNION {{ ?s dcterms:isVersionOf ?o . BIND (dcterms:isVersionOf AS ?p) }} }}"""
"""What :func:`sovkg.derive.run.renewal_triples` reads (:data:`sovkg.derive.run.RENEWAL_READS`), for the
certificates and the schemes' versions only: the in-effect marks of a million stakes are not read."""

VERSION_ACCEPTANCE = """SELECT ?scheme ?version ?accepted WHERE {
    ?version dcterms:isVersionOf ?scheme ; sov:acceptedUntil ?accepted }"""
"""The versions' acceptance ends, for a scheme recorded without its version (``run.acceptance_end``)."""

MEMBERSHIP = """CONSTRUCT { ?country sov:memberOf ?union } WHERE {
    ?m a sov:Membership ; sov:inEffect true ; sov:member ?country ; sov:union ?union .
    FILTER NOT EXISTS { ?country sov:memberOf ?union } }"""
EEA_MEMBERSHIP = """CONSTRUCT { ?country sov:memberOf kg:union\\/EEA } WHERE {
    ?m a sov:Membership ; sov:inEffect true ; sov:member ?country ; sov:union kg:union\\/EU .
    FILTER NOT EXISTS { ?country sov:memberOf kg:union\\/EEA } }"""
EEA_PERIOD = """SELECT ?from ?until WHERE { kg:union\\/EEA a sov:Union .
    OPTIONAL { kg:union\\/EEA sov:validFrom ?from } OPTIONAL { kg:union\\/EEA sov:validUntil ?until } }"""
ADEQUACY = """CONSTRUCT { ?country sov:adequacyInForce ?d } WHERE {
    ?d a sov:AdequacyDecision ; sov:inEffect true ; sov:adequacyFor ?country .
    FILTER NOT EXISTS { ?d sov:partialAdequacy true } FILTER NOT EXISTS { ?country sov:adequacyInForce ?d } }"""

_TAIL = ("IF(STRSTARTS(STR({v}), STR(kg:)), STRAFTER(STR({v}), STR(kg:)), IF(isIRI({v}) && STRSTARTS(STR({v}), "
         "STR(sov:)), STRAFTER(STR({v}), STR(sov:)), CONCAT(\"h\", SUBSTR(SHA1(STR({v})), 1, 16))))")
"""The SPARQL form of :func:`sovkg.derive.common.derived_iri`'s naming of a node."""

CONTROL = f"""CONSTRUCT {{ ?holder sov:directlyControls ?held . ?node a sov:ControlDerivation ;
        sov:fromStake ?stake ; sov:derivedBy <{rule_iri('control-from-stake')}> }} WHERE {{
    ?stake a sov:OwnershipStake ; sov:inEffect true ; sov:holder ?holder ; sov:held ?held . FILTER (?holder != ?held)
    OPTIONAL {{ ?stake sov:votingPercent ?voting }} OPTIONAL {{ ?stake sov:capitalPercent ?capital }}
    OPTIONAL {{ ?stake sov:minimumPercent ?minimum }}
    FILTER ((BOUND(?voting) && xsd:double(?voting) > 50)
            || (!BOUND(?voting) && ((BOUND(?capital) && xsd:double(?capital) > 50)
                                    || (BOUND(?minimum) && xsd:double(?minimum) > 50)))
            || EXISTS {{ VALUES ?flag {{ sov:majorityOfVotes sov:appointsBoardMajority sov:controlRight }}
                        ?stake ?flag true }})
    BIND (IRI(CONCAT(STR(kg:), "derived/control/", {_TAIL.format(v='?stake')})) AS ?node) }}"""
"""Rule ``kg:rule/control-from-stake`` over every in-effect stake."""

APPLICABILITY = """SELECT DISTINCT ?entity ?law ?basis ?via WHERE {
    ?law a sov:AccessLaw ; sov:inEffect true .
    { ?law sov:enactedBy ?territory }
    UNION { ?law sov:enactedBy ?union . ?union a sov:Union . ?territory sov:memberOf ?union }
    {
        ?law sov:reach sov:ReachByEstablishment . ?entity sov:establishedIn ?territory .
        BIND (sov:ReachByEstablishment AS ?basis)
    } UNION {
        ?law sov:reach sov:ReachByService . ?entity sov:servesPersonsIn ?territory . BIND (sov:ReachByService AS ?basis)
    } UNION {
        ?law sov:reach sov:ReachByControl , sov:ReachByEstablishment . ?via sov:establishedIn ?territory ;
            sov:controls ?entity . FILTER (?entity != ?via) BIND (sov:ReachByControl AS ?basis)
    } UNION {
        ?law sov:reach sov:ReachByGroupPresence . ?entity sov:operatesIn ?territory .
        FILTER NOT EXISTS { ?law sov:reach sov:ReachByEstablishment . ?entity sov:establishedIn ?home .
            { ?law sov:enactedBy ?home } UNION { ?law sov:enactedBy ?u . ?u a sov:Union . ?home sov:memberOf ?u } }
        BIND (sov:ReachByGroupPresence AS ?basis)
    } UNION {
        ?law sov:reach sov:ReachByGroupPresence . ?via sov:operatesIn ?territory ; sov:controls ?entity .
        FILTER (?entity != ?via)
        FILTER NOT EXISTS { ?law sov:reach sov:ReachByEstablishment . ?via sov:establishedIn ?home .
            { ?law sov:enactedBy ?home } UNION { ?law sov:enactedBy ?u . ?u a sov:Union . ?home sov:memberOf ?u } }
        FILTER NOT EXISTS { ?law sov:reach sov:ReachByEstablishment . ?entity sov:establishedIn ?home2 .
            { ?law sov:enactedBy ?home2 } UNION { ?law sov:enactedBy ?u2 . ?u2 a sov:Union . ?home2 sov:memberOf ?u2 } }
        BIND (sov:ReachByGroupPresence AS ?basis)
    } }"""
"""Which in-effect access law binds which entity, on which basis (rules ``kg:rule/reach-*``)."""

def label_of(node: str, out: str, scope: str = "") -> str:
    """The SPARQL form of :func:`sovkg.derive.common.label`: binds ``out`` to ``node``'s English ``rdfs:label``,
    else its untagged one, else its ``skos:prefLabel``, else any other label, else its IRI (of several of the
    same rank, the least).

    The labels are ranked and grouped once, in a sub-query joined on ``node`` (as ``OPTIONAL`` patterns per
    node, Oxigraph took 21 s for the 17,000 control derivations of 10,000 GLEIF entities). ``scope``, a pattern
    that binds ``node`` to every value it can take in the enclosing query (more do no harm), limits the
    sub-query to those nodes' labels: unscoped, it groups every label of the store, once per ``label_of``
    (3.5 s each at 40,000 GLEIF entities on disk).

    >>> "COALESCE(?e_label, STR(?e)) AS ?text" in label_of("?e", "?text")
    True
    >>> "WHERE { ?e a sov:Law ." in label_of("?e", "?text", "?e a sov:Law .")
    True
    """
    n = node
    return (f"""OPTIONAL {{ SELECT {n} (SUBSTR(MIN(CONCAT(?rank, STR(?any))), 2) AS {n}_label) WHERE {{ {scope}
        {{ {n} rdfs:label ?any . BIND (IF(LANG(?any) = "en", "1", IF(LANG(?any) = "", "2", "4")) AS ?rank) }}
        UNION {{ {n} skos:prefLabel ?any . BIND ("3" AS ?rank) }} }} GROUP BY {n} }}
        BIND (COALESCE({n}_label, STR({n})) AS {out})""")


def _objects_of(node: str, *predicates: str) -> str:
    """A ``label_of`` scope: the distinct objects of ``predicates``."""
    return f"{{ SELECT DISTINCT {node} WHERE {{ VALUES ?scope {{ {' '.join(predicates)} }} ?any_ ?scope {node} }} }}"


def _subjects_of(node: str, *predicates: str) -> str:
    """A ``label_of`` scope: the distinct subjects of ``predicates``."""
    return f"{{ SELECT DISTINCT {node} WHERE {{ VALUES ?scope {{ {' '.join(predicates)} }} {node} ?scope ?any_ }} }}"


CONTROL_LABELS = ("?node rdfs:label ?text", f"""?node a sov:ControlDerivation ; sov:fromStake ?stake .
    ?stake sov:holder ?holder ; sov:held ?held .
    {label_of("?holder", "?holderText", _objects_of("?holder", "sov:holder"))}
    {label_of("?held", "?heldText", _objects_of("?held", "sov:held"))}
    BIND (STRLANG(CONCAT(?holderText, " controls ", ?heldText), "en") AS ?text)""")
"""The label of each control derivation ("A controls B"): (template, ``WHERE``), run by :func:`_constructed`."""

_ROLES = " ".join(f"<{p}>" for p in ownership.ROLE_PREDICATES)
RELEVANT = f"""SELECT DISTINCT ?node WHERE {{
    VALUES ?role {{ {_ROLES} }} ?x ?role ?interest . FILTER (isIRI(?interest))
    ?interest (^sov:held/sov:holder|^sov:controls)* ?node }}"""
"""The parties effective ownership and exposure can read: every organisation with a role towards a system
(:data:`sovkg.derive.ownership.ROLE_PREDICATES`) and every party with a chain of stakes, or control, to one.
Their ownership and findings depend on nothing else, so the working graph (:data:`WORKING_SET`) holds these
parties and none of the other organisations (of a million GLEIF entities, the few thousand that lead to a
provider)."""

_READ = """FILTER (?p IN (rdf:type, rdfs:label, skos:prefLabel, skos:notation) || STRSTARTS(STR(?p), STR(sov:)))
    FILTER (?p != sov:controlledBy && ?p != sov:controls)"""
WORKING_SET = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o . {_READ}
    MINUS {{ VALUES ?kind {{ sov:Party sov:OwnershipStake sov:ParentNotDisclosed sov:ControlDerivation }}
             ?s a ?kind }} }}"""
"""The instance triples effective ownership and exposure read (types, labels and sovkg's own terms) about
everything but parties, stakes, parent-not-disclosed facts and control derivations: those come from
:func:`parties_set`, for the :data:`RELEVANT` parties only."""

_PARTY_TRIPLES = ("BIND (?node AS ?s)", "?s sov:held ?node", "?node sov:parentNotDisclosed ?s",
                  "?s sov:fromStake ?stake . ?stake sov:held ?node")


def parties_set(parties: str) -> str:
    """The triples of the :data:`RELEVANT` parties (``parties``: their IRIs in SPARQL syntax): their own, the
    stakes in them, their undisclosed parents, the control derived from those stakes, and of the control
    closure (which grows with the square of a chain's length) only what exposure reads: who controls a
    provider (the influence level). The parties are listed in each branch (a ``VALUES`` outside the
    ``UNION``, Oxigraph joined after reading every triple of the store)."""
    branches = [f"{{ VALUES ?node {{ {parties} }} {pattern} . ?s ?p ?o . {_READ} }}" for pattern in _PARTY_TRIPLES]
    branches.append(f"{{ VALUES ?node {{ {parties} }} ?arrangement sov:provider ?node . ?s sov:controls ?node . "
                    "BIND (sov:controls AS ?p) BIND (?node AS ?o) }")
    return "CONSTRUCT { ?s ?p ?o } WHERE { " + " UNION ".join(branches) + " }"


_BASES = " ".join(f"<{b}>" for b in exposure.BASIS_RULE)
_ENTITIES = f"""{{ {_subjects_of("?entity", "sov:establishedIn", "sov:servesPersonsIn", "sov:operatesIn")} }}
    UNION {{ {_objects_of("?entity", "sov:controls")} }}"""
"""Every entity :data:`APPLICABILITY` can bind (for :func:`label_of`): what is established in, serves persons
in or operates in a territory, and what is controlled; the vias are among the first and the third."""

APPLICABILITY_TRIPLES = ("""?entity sov:subjectTo ?law . ?node a sov:Applicability ; sov:boundEntity ?entity ;
    sov:applicableLaw ?law ; sov:basis ?basis ; sov:derivedBy ?rule ; sov:asOf ?day ; rdfs:label ?text ;
    sov:via ?via""", f"""{{ {APPLICABILITY} }}
    VALUES (?basis ?rule) {{ {' '.join(f'(<{b}> <{rule_iri(r)}>)' for b, r in exposure.BASIS_RULE.items())} }}
    {label_of("?entity", "?entityText", _ENTITIES)} {label_of("?law", "?lawText", "?law a sov:AccessLaw .")}
    {label_of("?basis", "?basisText", "VALUES ?basis { " + _BASES + " }")}
    BIND (COALESCE(?via, sov:none) AS ?viaKey)
    {label_of("?viaKey", "?viaText", _subjects_of("?viaKey", "sov:establishedIn", "sov:operatesIn"))}
    BIND (STRLANG(CONCAT(?entityText, " is bound by ", ?lawText, " (", ?basisText,
                         IF(BOUND(?via), CONCAT(" of ", ?viaText, ")"), ")")), "en") AS ?text)
    BIND (IRI(CONCAT(STR(kg:), "derived/applicability/", {_TAIL.format(v='?entity')}, "/", {_TAIL.format(v='?law')},
                     "/", {_TAIL.format(v='?basis')}, IF(BOUND(?via), CONCAT("/", {_TAIL.format(v='?via')}), "")))
          AS ?node)""")
"""Which law binds whom (:data:`APPLICABILITY`), written as :func:`sovkg.derive.exposure.applicability_triples`
writes it (``sov:subjectTo``, one ``sov:Applicability`` node with its label): (template, ``WHERE``), run by
:func:`_constructed` with ``?day`` bound to the date."""

BINDINGS = f"""SELECT ?entity ?law ?basis ?via WHERE {{ {{ {RELEVANT.replace("?node", "?entity")} }}
    ?node sov:boundEntity ?entity ; a sov:Applicability ; sov:applicableLaw ?law ; sov:basis ?basis .
    OPTIONAL {{ ?node sov:via ?via }} }}"""
"""The applicability of the :data:`RELEVANT` parties, read back for the findings (they read no other)."""


def derive_store(store: LocalStore, *, as_of: dt.date) -> int:
    """Derive everything for ``as_of`` into the store's ``inferred`` graph (emptied first); return its size."""
    store.clear_graph(_INFERRED)
    _owl_rl(store)
    store.journal = set()  # what the stages add, for the next OWL RL pass
    day = f'"{as_of.isoformat()}"^^xsd:date'
    _absorb(store, None, known.known_triples(_extract(store, known.READS, skip=KNOWN_BEFORE.replace("$DAY", day)),
                                             as_of))
    _constructed(store, PLAIN_IN_EFFECT[0], PLAIN_IN_EFFECT[1].replace("$DAY", day))
    _validity(store, as_of, day)
    _absorb(store, None, renewal_triples(constructed_graph(store, RENEWAL), as_of))
    _construct(store, MEMBERSHIP)
    if _eea_exists(store, as_of):
        _construct(store, EEA_MEMBERSHIP)
    _construct(store, ADEQUACY)
    _construct(store, CONTROL)
    _owl_rl(store, since=store.journal)
    store.journal = set()

    _constructed(store, *CONTROL_LABELS)
    work = constructed_graph(store, WORKING_SET)
    relevant = " ".join(str(row["node"]) for row in store.select(PREFIXES + RELEVANT))
    constructed_graph(store, parties_set(relevant), work)
    _absorb(store, work, ownership.ownership_triples(work, as_of))
    template, body = APPLICABILITY_TRIPLES
    _constructed(store, template, f"BIND ({day} AS ?day) {body}")
    found = exposure.bindings_of(
        (from_oxigraph_term(r["entity"]), from_oxigraph_term(r["law"]), from_oxigraph_term(r["basis"]),
         from_oxigraph_term(r["via"]) if "via" in r else None)
        for r in store.select(PREFIXES + BINDINGS))
    _absorb(store, None, exposure.finding_triples(work, as_of, found))
    _absorb(store, None, rule_description_triples())
    sources = [URIRef(g.value) for g in store.store.named_graphs()
               if isinstance(g, ox.NamedNode) and g.value != _INFERRED]
    _absorb(store, None, inferred_description_triples(sorted(sources, key=str), as_of))
    _owl_rl(store, since=store.journal)  # the nodes made since the last pass get their superclasses' types
    store.journal = None
    _drop_asserted(store)
    return store.count(_INFERRED)


# ------------------------------------------------------------------------------------------ stages


def _extract(store: LocalStore, reads: tuple[tuple[URIRef, ...], tuple[URIRef, ...]], *, skip: str = "") -> Graph:
    """The triples a Python rule reads, in an rdflib graph: the ``rdf:type`` triples of its classes and every
    triple of its predicates (extract-compute-load, with one query, so the date rules live in one place), but
    none about a subject ``?s`` that ``skip`` matches."""
    classes, predicates = reads
    minus = f"MINUS {{ {skip} }}" if skip else ""
    query = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
        {{ VALUES ?o {{ {' '.join(f'<{c}>' for c in classes)} }} ?s a ?o . BIND (rdf:type AS ?p) {minus} }}
        UNION {{ VALUES ?p {{ {' '.join(f'<{p}>' for p in predicates)} }} ?s ?p ?o {minus} }} }}"""
    return constructed_graph(store, query)


def constructed_graph(store: LocalStore, query: str, graph: Graph | None = None) -> Graph:
    """The triples of a ``CONSTRUCT`` on the store, added to ``graph`` (default: a new rdflib graph on rdflib's
    ``SimpleMemory`` store, which keeps no contexts and sends no events: adding and reading are faster than on
    the default store, 500 companies with 1,000 random stakes 2.3 to 2.9 s against 2.9 to 3.3 s interleaved)."""
    work = Graph(store="SimpleMemory") if graph is None else graph
    work.addN((from_oxigraph_term(s), from_oxigraph_term(p), from_oxigraph_term(o), work)
              for s, p, o in store.iter_construct(PREFIXES + query))
    return work


def _construct(store: LocalStore, query: str) -> int:
    """Run one ``CONSTRUCT`` rule and add its triples to the inferred graph, as they are (what another graph
    already holds is taken out at the end, :func:`_drop_asserted`); return how many triples it gave.

    A ``CONSTRUCT`` over the union of the graphs, then a bulk insert. The same text as an update,
    ``INSERT { GRAPH <…/graph/inferred> { template } } USING <g1> … USING <gn> WHERE { body }`` (Oxigraph's
    updates read its default graph, so each named graph is listed), was measured slower at 10,000 GLEIF
    entities: the update reads each of the named graphs one by one (the joins of the labels: 7 to 11 s against
    1.7 s), and writes each triple in a transaction (``prp-dom``, 20,000 types: 3.5 s; a bulk insert writes a
    triple in about 6 µs).
    """
    return store.add(store.iter_construct(PREFIXES + query), _INFERRED)


def _constructed(store: LocalStore, template: str, body: str) -> int:
    """:func:`_construct` for a rule given as (template, ``WHERE``)."""
    return _construct(store, f"CONSTRUCT {{ {template} }} WHERE {{ {body} }}")


ASSERTED_TOO = f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{_INFERRED}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }}
    FILTER (?g != <{_INFERRED}>) }}"""
"""The derived triples another graph holds too."""

MAY_BE_ASSERTED = f"""ASK {{ GRAPH ?g {{
    {{ VALUES ?class {{ sov:ControlDerivation sov:Applicability }} ?s a ?class }}
    UNION {{ VALUES ?p {{ sov:inEffect sov:directlyControls sov:subjectTo }} ?s ?p ?o }} }}
    FILTER (?g != <{_INFERRED}>) }}"""
"""Whether an input graph holds what the ``CONSTRUCT`` stages write without looking for it first (the in-effect
marks of :data:`PLAIN_IN_EFFECT`, :data:`CONTROL`, :data:`CONTROL_LABELS`, :data:`APPLICABILITY_TRIPLES`): an
export of a derived graph loaded back, say. The OWL RL rules leave out what is there (``MINUS``), the closure of
the transitive properties and the Python stages too (:func:`_absorb`)."""


def _drop_asserted(store: LocalStore) -> None:
    """Take out of the inferred graph the triples another graph holds: derivation adds only what is not there.

    Looked for only when an input graph may hold some (:data:`MAY_BE_ASSERTED`, two index lookups): the join of
    the whole inferred graph with the others took 3 s at 10,000 GLEIF entities, for nothing.
    """
    if not store.ask(PREFIXES + MAY_BE_ASSERTED):
        return
    inferred = ox.NamedNode(_INFERRED)
    for row in store.select(ASSERTED_TOO):
        store.store.remove(ox.Quad(row["s"], row["p"], row["o"], inferred))  # type: ignore[arg-type]


def _unknown(store: LocalStore, triples: set[TripleTerms]) -> set[TripleTerms]:
    """The triples no graph of the store holds yet (one index lookup each).

    Measured against one join (candidates bulk-loaded into a scratch graph, one query for those found
    elsewhere): the lookups are 3 times faster in memory (300k candidates: 4.4 s against 13.8 s) and the
    scratch graph's writes and removal dominate on disk, so lookups it is.
    """
    quads = store.store.quads_for_pattern
    return {t for t in triples if next(quads(t[0], t[1], t[2], None), None) is None}  # type: ignore[arg-type]


FEEDS: dict[str, frozenset[str]] = {
    "prp-spo1": frozenset({"prp-trp", "prp-inv"}),
    "prp-trp": frozenset({"prp-spo1", "prp-inv"}),
    "prp-inv": frozenset({"prp-spo1", "prp-trp"}),
    "prp-dom": frozenset({"prp-spo1", "prp-trp", "prp-inv"}),
    "prp-rng": frozenset({"prp-spo1", "prp-trp", "prp-inv"}),
    "cax-sco": frozenset({"prp-dom", "prp-rng"}),
}
"""Which rules' output each rule reads, in the order they run. A rule whose own output is already closed under
it is not among its feeders: ``cax-sco`` and ``prp-spo1`` join the closed hierarchies, ``prp-trp`` gives the
closure, and the inverse of an inverse is the triple it came from. Types feed only ``cax-sco``."""

def _owl_rl(store: LocalStore, since: set[Any] | None = None) -> None:
    """Apply the OWL RL rules until none adds a triple: each inside the store (the closure of the transitive
    properties in Python), and again only when a rule it reads from (:data:`FEEDS`) has added something since.

    ``since``: the predicates and classes (:attr:`~sovkg.store.engine.LocalStore.journal`) of everything added
    since the graph was last closed; the rules then read only the triples of those (and of what they add
    themselves, which the journal records as they go). Without it, every rule reads every triple.
    """
    schema = {row["term"] for row in store.select(PREFIXES + SCHEMA_TERMS)}
    pairs = {rule: [(row[read[1:]], row[out[1:]]) for row in store.select(PREFIXES + OWL_RL_RULES[rule].schema)]
             for rule, (read, out) in _VARIABLES.items()}  # read once: no rule writes a schema triple
    stale = set(FEEDS)
    while stale:
        for rule in FEEDS:
            if rule not in stale:
                continue
            stale.discard(rule)
            if rule == "prp-trp":
                added = _transitive(store, schema, since)
            else:
                added = _owl_rl_rule(store, rule, pairs[rule], since)
            if added:
                stale.update(reader for reader, feeders in FEEDS.items() if rule in feeders)


def _owl_rl_rule(store: LocalStore, rule: str, pairs: list[tuple[Any, Any]], since: set[Any] | None) -> int:
    """Run one rule of :data:`OWL_RL_RULES` for its schema ``pairs`` (with ``since``, only those whose read term
    is in it); return how many triples it gave. Nothing runs for no pair."""
    template, schema, instance = OWL_RL_RULES[rule]
    read, out = _VARIABLES[rule]
    if since is not None:
        pairs = [(r, o) for r, o in pairs if r in since]
    if not pairs:
        return 0
    not_schema = _NOT_SCHEMA.format(v="?x")
    if all(isinstance(term, ox.NamedNode) for pair in pairs for term in pair):
        values = " ".join(f"({r} {o})" for r, o in pairs)
        outs = " ".join(sorted({str(o) for _, o in pairs}))
        return _constructed(store, template, f"VALUES ({read} {out}) {{ {values} }} "
                            f"{instance.replace('$OUT', f'VALUES {out} {{ {outs} }}')} {not_schema}")
    # a blank node in the schema (an OWL restriction, say) cannot be written in VALUES: join the schema side
    reads = " ".join(sorted({str(r) for r, _ in pairs if isinstance(r, ox.NamedNode)}))
    restrict = f"VALUES {read} {{ {reads} }}" if since is not None else ""
    return _constructed(store, template, f"{{ {schema} }} {restrict} {instance.replace('$OUT', '')} {not_schema}")


def _transitive(store: LocalStore, schema: set[Any], since: set[Any] | None = None) -> int:
    """Rule ``prp-trp`` for every transitive property at once: close its instance edges, add the missing pairs.

    The rule joins ``?x ?p ?y . ?y ?p ?z`` with neither ``?x`` nor ``?y`` a schema term, so an edge from a
    schema term never takes part, and an edge into one can only end a chain: the closure of the edges whose
    subject is not a schema term gives exactly the rule's fixpoint.
    """
    quads = store.store.quads_for_pattern
    edges: dict[Any, set[tuple[Any, Any]]] = {
        p: {(q.subject, q.object) for q in quads(None, p, None, None)}  # type: ignore[arg-type]
        for p in (row["p"] for row in store.select(PREFIXES + TRANSITIVE_PROPERTIES)) if since is None or p in since}
    return store.add(((x, p, z) for p, pairs in edges.items()
                      for x, z in transitive_closure((x, y) for x, y in pairs if x not in schema)
                      if (x, z) not in pairs), _INFERRED)


def _validity(store: LocalStore, day: dt.date, literal: str) -> None:
    rows: dict[Node, dict[str, Node]] = {}
    for found in store.select(PREFIXES + VALIDITY.replace("$DAY", literal)):
        node = from_oxigraph_term(found["n"])
        if node not in rows:  # several values: one is read, as rdflib's Graph.value does
            rows[node] = {k: from_oxigraph_term(v) for k, v in found.items()}
    ends: dict[Node, list[dt.date]] = {}  # a scheme recorded without its version: see run.acceptance_end
    for found in store.select(PREFIXES + VERSION_ACCEPTANCE):
        version = from_oxigraph_term(found["version"])
        end = as_date(from_oxigraph_term(found["accepted"]), start=False, subject=version)
        if end is not None:
            ends.setdefault(from_oxigraph_term(found["scheme"]), []).append(end)
    marks = []
    for node, row in rows.items():
        scheme = row.get("scheme")
        accepted: Node | dt.date | None = row.get("accepted")
        if accepted is None and scheme is not None and scheme in ends:
            accepted = min(ends[scheme])
        if fact_holds(day, node, planned=row.get("planned") == Literal(True), valid_from=row.get("from"),
                      valid_until=row.get("until"), scheme=scheme, accepted_until=accepted,
                      scheme_from=row.get("issued"), system=row.get("system"), system_from=row.get("opened"),
                      after=row.get("after") == Literal(True)):
            marks.append((node, SOV.inEffect, Literal(True)))
    _absorb(store, None, marks)


def _eea_exists(store: LocalStore, day: dt.date) -> bool:
    rows = store.select(PREFIXES + EEA_PERIOD)
    if not rows:
        return False
    row = {k: from_oxigraph_term(v) for k, v in rows[0].items()}
    return fact_holds(day, KG["union/EEA"], planned=False, valid_from=row.get("from"), valid_until=row.get("until"))


def _absorb(store: LocalStore, work: Graph | None, triples: Iterable[Triple]) -> None:
    """Add the triples not already in the store to the inferred graph (and to the working graph)."""
    given: dict[TripleTerms, Triple] = {}
    for triple in triples:
        key = (to_oxigraph_term(triple[0]), to_oxigraph_term(triple[1]), to_oxigraph_term(triple[2]))
        given.setdefault(key, triple)  # type: ignore[arg-type]
    fresh = _unknown(store, set(given))
    store.add(fresh, _INFERRED)
    if work is not None:
        work.addN((*given[key], work) for key in fresh)

