"""Derive on an Oxigraph store, set-oriented: the store engine's version of :func:`sovkg.derive.run.derive`.

Takes a :class:`~sovkg.store.engine.LocalStore` holding the loaded dataset (one named graph per
source file) and a date; writes what follows into the named graph ``…/graph/inferred`` and gives
the number of derived triples. The rules are those of :mod:`sovkg.derive.run`, run in the same
order, each over the whole graph at once:

1. **OWL RL subset** (``cax-sco``, ``prp-spo1``, ``prp-inv``, ``prp-trp``, ``prp-dom``,
   ``prp-rng``): one SPARQL ``CONSTRUCT`` per rule (:data:`OWL_RL_RULES`), and ``prp-trp`` as one
   ``SELECT`` of the transitive properties' edges closed per strongly connected component
   (:data:`TRANSITIVE_EDGES`), repeated until no rule adds a triple.
2. **Validity**: one ``SELECT`` reads every timed fact with its dates, the date rule
   (:func:`sovkg.derive.run.fact_holds`) runs on each row, the ``sov:inEffect`` marks go in bulk.
3. **Membership, adequacy, control** (``sov:memberOf``, ``sov:adequacyInForce``,
   ``sov:directlyControls`` and the ``sov:ControlDerivation`` nodes): one ``CONSTRUCT`` each; then
   the OWL RL rules again close ``sov:controls``.
4. **Effective ownership and exposure** (extract-compute-load): the instance triples the two
   stages read (``rdf:type``, labels, ``sov:*``) are read once from the store into a working graph;
   the edge-list algorithms of :mod:`sovkg.derive.ownership` (strongly connected components, sparse
   per-organisation maps) and :mod:`sovkg.derive.exposure` (one shortest evidence path per
   finding, breadth-first, polynomial in the number of stakes) run on it; which law binds whom is
   one ``SELECT`` (:data:`APPLICABILITY`).

Each ``CONSTRUCT`` here is the ``WHERE`` of an ``INSERT { GRAPH <…/graph/inferred> { … } }``
update: on a store whose default graph is the union of its graphs, the same text runs as SPARQL
Update (``docs/engine.md``). A test (``tests/derive/test_store_engine.py``) checks that the result
equals the rdflib pipeline's, triple for triple, on the bundled case at several dates, the shape
fixtures and the scenarios.

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
import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.core.dates import as_date
from sovkg.core.namespaces import INFERRED_GRAPH, KG, SOV
from sovkg.core.namespaces import PREFIXES as _PREFIX_MAP
from sovkg.derive import exposure, known, ownership
from sovkg.derive.common import Triple, label, rule_iri
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

__all__ = ["APPLICABILITY", "OWL_RL_RULES", "PREFIXES", "TRANSITIVE_EDGES", "derive_store"]

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

OWL_RL_RULES: dict[str, tuple[str, str]] = {
    "cax-sco": ("?x", """CONSTRUCT { ?x a ?d } WHERE {
        ?c rdfs:subClassOf+ ?d . FILTER (?c != ?d) ?x a ?c . MINUS { ?x a ?d } }"""),
    "prp-spo1": ("?x", f"""CONSTRUCT {{ ?x ?q ?y }} WHERE {{
        ?p rdfs:subPropertyOf+ ?q . FILTER (?p != ?q) {_INSTANCE_PREDICATE} ?x ?p ?y .
        MINUS {{ ?x ?q ?y }} }}"""),
    "prp-inv": ("?x", f"""CONSTRUCT {{ ?y ?q ?x }} WHERE {{
        {{ ?p owl:inverseOf ?q }} UNION {{ ?q owl:inverseOf ?p }} {_INSTANCE_PREDICATE} ?x ?p ?y .
        FILTER (!isLiteral(?y)) MINUS {{ ?y ?q ?x }} }}"""),
    "prp-dom": ("?x", f"""CONSTRUCT {{ ?x a ?c }} WHERE {{
        ?p rdfs:domain ?c . FILTER (?p != rdf:type) {_INSTANCE_PREDICATE} ?x ?p ?y .
        MINUS {{ ?x a ?c }} }}"""),
    "prp-rng": ("?x", f"""CONSTRUCT {{ ?y a ?c }} WHERE {{
        ?p rdfs:range ?c . FILTER (?p != rdf:type) {_INSTANCE_PREDICATE} ?x ?p ?y . FILTER (!isLiteral(?y))
        MINUS {{ ?y a ?c }} }}"""),
}
"""The OWL 2 RL rules of :mod:`sovkg.derive.owl_rl`, as whole-graph queries: (the variables that must not be
schema terms, the query). What is already there is taken out with ``MINUS`` (a hash anti-join in Oxigraph;
``FILTER NOT EXISTS``, evaluated once per solution, took 12 s instead of 0.6 s for ``prp-inv`` on the 90,000
control pairs of a 300-company ring: every variable of the ``MINUS`` pattern is bound, so the two mean the
same). ``prp-trp`` is not among them: it runs as a closure (:data:`TRANSITIVE_EDGES`).
Only instance triples feed them: a triple whose subject is one of the ontology's
terms (:data:`SCHEMA_TERMS`) is left out after the query (``SELECT`` of the same pattern), as
:mod:`sovkg.derive.owl_rl` leaves it out."""

TRANSITIVE_EDGES = f"""SELECT ?p ?x ?y WHERE {{ ?p a owl:TransitiveProperty . {_INSTANCE_PREDICATE} ?x ?p ?y }}"""
"""Rule ``prp-trp`` (``x p y, y p z ⇒ x p z``) reads the edges of every transitive property with this one query and
closes them in Python (:func:`sovkg.derive.reachability.transitive_closure`): as a SPARQL join, each round of the
rule enumerated every two-step chain, cubic in the nodes of a cycle (a ring of 300 companies each controlling the
next: minutes), where the closure costs the edges plus the 90,000 pairs it gives. As an update it is
``INSERT {{ GRAPH <…/graph/inferred> {{ ?x ?p ?z }} }} WHERE {{ ?p a owl:TransitiveProperty . ?x ?p ?y . ?y ?p ?z }}``
repeated until nothing is added."""

_TIMED = " ".join(f"<{c}>" for c in TIMED_CLASSES)
VALIDITY = f"""SELECT ?n ?planned ?from ?until ?scheme ?accepted ?issued ?system ?opened ?after WHERE {{
    VALUES ?class {{ {_TIMED} }} ?n a ?class .
    OPTIONAL {{ ?n sov:planned ?planned }} OPTIONAL {{ ?n sov:validFrom ?from }}
    OPTIONAL {{ ?n sov:validUntil ?until }} OPTIONAL {{ ?n sov:afterAsOf ?after }}
    OPTIONAL {{ ?n sov:scheme ?scheme OPTIONAL {{ ?scheme sov:acceptedUntil ?accepted }}
               OPTIONAL {{ ?scheme sov:validFrom ?issued }} }}
    OPTIONAL {{ ?n sov:hostedSystem ?system OPTIONAL {{ ?system sov:validFrom ?opened }} }} }}"""
"""Every timed fact with the values the date rule reads."""

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

_WORKING_SET = """CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o .
    FILTER (?p IN (rdf:type, rdfs:label, skos:prefLabel, skos:notation) || STRSTARTS(STR(?p), STR(sov:)))
    FILTER (?p != sov:controlledBy)
    FILTER (?p != sov:controls || EXISTS { ?arrangement sov:provider ?o }) }"""
"""The instance triples effective ownership and exposure read (types, labels and sovkg's own terms). Of the
control closure, which grows with the square of a chain's length, only what exposure reads: who controls a
provider (the influence level); the applicability rows come from their own query."""


def derive_store(store: LocalStore, *, as_of: dt.date) -> int:
    """Derive everything for ``as_of`` into the store's ``inferred`` graph (emptied first); return its size."""
    store.clear_graph(_INFERRED)
    _owl_rl(store)
    _absorb(store, None, known.known_triples(_extract(store, known.READS), as_of))
    _validity(store, as_of)
    _absorb(store, None, renewal_triples(_extract(store, RENEWAL_READS), as_of))
    _construct(store, MEMBERSHIP)
    if _eea_exists(store, as_of):
        _construct(store, EEA_MEMBERSHIP)
    _construct(store, ADEQUACY)
    _construct(store, CONTROL)
    _owl_rl(store)

    work = Graph()
    for s, p, o in store.construct(PREFIXES + _WORKING_SET):
        work.add((from_oxigraph_term(s), from_oxigraph_term(p), from_oxigraph_term(o)))
    _absorb(store, work, _control_labels(store, work))
    _absorb(store, work, ownership.ownership_triples(work, as_of))
    found = exposure.bindings_of(
        (from_oxigraph_term(r["entity"]), from_oxigraph_term(r["law"]), from_oxigraph_term(r["basis"]),
         from_oxigraph_term(r["via"]) if "via" in r else None)
        for r in store.select(PREFIXES + APPLICABILITY))
    _absorb(store, None, exposure.applicability_triples(work, as_of, found))  # findings read ``found``
    _absorb(store, None, exposure.finding_triples(work, as_of, found))
    _absorb(store, None, rule_description_triples())
    sources = [URIRef(g.value) for g in store.store.named_graphs()
               if isinstance(g, ox.NamedNode) and g.value != _INFERRED]
    _absorb(store, None, inferred_description_triples(sorted(sources, key=str), as_of))
    return len(store.select(f"SELECT ?s WHERE {{ GRAPH <{_INFERRED}> {{ ?s ?p ?o }} }}"))


# ------------------------------------------------------------------------------------------ stages


def _extract(store: LocalStore, reads: tuple[tuple[URIRef, ...], tuple[URIRef, ...]]) -> Graph:
    """The triples a Python rule reads, in an rdflib graph: the ``rdf:type`` triples of its classes and every
    triple of its predicates (extract-compute-load, with one query, so the date rules live in one place)."""
    classes, predicates = reads
    query = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
        {{ VALUES ?o {{ {' '.join(f'<{c}>' for c in classes)} }} ?s a ?o . BIND (rdf:type AS ?p) }}
        UNION {{ VALUES ?p {{ {' '.join(f'<{p}>' for p in predicates)} }} ?s ?p ?o }} }}"""
    work = Graph()
    work.addN((from_oxigraph_term(s), from_oxigraph_term(p), from_oxigraph_term(o), work)
              for s, p, o in store.construct(PREFIXES + query))
    return work


def _construct(store: LocalStore, query: str) -> int:
    """Run one rule and add its new triples to the inferred graph; return how many were new."""
    return store.add(_unknown(store, set(store.construct(PREFIXES + query))), _INFERRED)


def _unknown(store: LocalStore, triples: set[TripleTerms]) -> set[TripleTerms]:
    """The triples no graph of the store holds yet (one index lookup each).

    Measured against one join (candidates bulk-loaded into a scratch graph, one query for those found
    elsewhere): the lookups are 3 times faster in memory (300k candidates: 4.4 s against 13.8 s) and the
    scratch graph's writes and removal dominate on disk, so lookups it is.
    """
    quads = store.store.quads_for_pattern
    return {t for t in triples if next(quads(t[0], t[1], t[2], None), None) is None}  # type: ignore[arg-type]


def _owl_rl(store: LocalStore) -> None:
    """Apply the OWL RL rules until none adds a triple."""
    schema = {row["term"] for row in store.select(PREFIXES + SCHEMA_TERMS)}
    added = 1
    while added:
        added = sum([_rule(store, variables, query, schema) for variables, query in OWL_RL_RULES.values()])
        added += _transitive(store, schema)


def _transitive(store: LocalStore, schema: set[Any]) -> int:
    """Rule ``prp-trp`` for every transitive property at once: close its instance edges, add the missing pairs.

    The rule joins ``?x ?p ?y . ?y ?p ?z`` with neither ``?x`` nor ``?y`` a schema term, so an edge from a
    schema term never takes part, and an edge into one can only end a chain: the closure of the edges whose
    subject is not a schema term gives exactly the rule's fixpoint.
    """
    edges: dict[Any, set[tuple[Any, Any]]] = {}
    for row in store.select(PREFIXES + TRANSITIVE_EDGES):
        edges.setdefault(row["p"], set()).add((row["x"], row["y"]))
    fresh: set[tuple[Any, Any, Any]] = set()
    for p, pairs in edges.items():
        fresh.update((x, p, z) for x, z in transitive_closure(
            (x, y) for x, y in pairs if x not in schema) if (x, z) not in pairs)
    return store.add(fresh, _INFERRED)


def _rule(store: LocalStore, variables: str, query: str, schema: set[Any]) -> int:
    """One OWL RL rule: its solutions whose ``variables`` are not schema terms give new triples."""
    head, _, body = query.partition("WHERE")
    template = head.strip()[len("CONSTRUCT"):].strip()
    names = variables.split()
    select = f"SELECT {' '.join(sorted(set(re.findall(r'[?][a-z]+', template)) | set(names)))} WHERE {body}"
    triples: set[TripleTerms] = set()
    pattern = template.strip("{} ").split()
    for row in store.select(PREFIXES + select):
        if any(row.get(name[1:]) in schema for name in names):
            continue
        s, p, o = (row[t[1:]] if t.startswith("?") else _RDF_TYPE for t in pattern)
        triples.add((s, p, o))  # type: ignore[arg-type]
    return store.add(_unknown(store, triples), _INFERRED)


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _validity(store: LocalStore, day: dt.date) -> None:
    rows: dict[Node, dict[str, Node]] = {}
    for found in store.select(PREFIXES + VALIDITY):
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


def _control_labels(store: LocalStore, work: Graph) -> list[Triple]:
    rows = store.select(PREFIXES + """SELECT ?node ?holder ?held WHERE {
        ?node a sov:ControlDerivation ; sov:fromStake ?stake . ?stake sov:holder ?holder ; sov:held ?held }""")
    out: list[Triple] = []
    for row in rows:
        node, holder, held = (from_oxigraph_term(row[k]) for k in ("node", "holder", "held"))
        out.append((node, RDFS.label, Literal(f"{label(work, holder)} controls {label(work, held)}", lang="en")))
    return out


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

