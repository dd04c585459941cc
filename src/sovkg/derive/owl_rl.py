"""The OWL 2 RL rules sovkg's ontology relies on, applied in Python.

A full OWL RL closure (``owlrl``) takes seconds to minutes here (see ``../shared/PERFORMANCE.md``),
most of it spent on rules the ontology never uses. sovkg applies only the rules its ontology's
axioms trigger on instance data, to a fixpoint:

====================  ======================================================================
rule (OWL 2 RL name)  if … then …
====================  ======================================================================
``cax-sco``           x a C, C ⊑ D                       ⇒ x a D
``prp-spo1``          x p y, p ⊑ q                       ⇒ x q y
``prp-inv1/2``        x p y, p inverseOf q (or q of p)   ⇒ y q x
``prp-trp``           x p y, y p z, p transitive         ⇒ x p z
``prp-dom``           x p y, p domain C                  ⇒ x a C
``prp-rng``           x p y, p range C, y not a literal  ⇒ y a C
``scm-sco/spo``       the subclass and subproperty hierarchies are closed first
====================  ======================================================================

A test (``tests/test_reasoning.py``) checks that on the bundled data these rules give exactly the
instance-level entailments of a full ``owlrl`` closure, and that the exposure findings derived
from either are the same.

>>> from rdflib import Graph, Namespace, OWL, RDF, RDFS
>>> EX = Namespace("http://example.org/")
>>> g = Graph()
>>> _ = g.add((EX.controls, RDF.type, OWL.TransitiveProperty))
>>> _ = g.add((EX.a, EX.controls, EX.b)); _ = g.add((EX.b, EX.controls, EX.c))
>>> (EX.a, EX.controls, EX.c) in owl_rl_entailments(g)
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

_SCHEMA_PREDICATES = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
}
_SCHEMA_NAMESPACES = (str(RDF), str(RDFS), str(OWL))


def owl_rl_entailments(graph: Graph) -> set[Triple]:
    """Return the instance-level triples the OWL RL rules above add to ``graph`` (new ones only)."""
    schema = _Schema(graph)
    asserted: set[Triple] = set()
    for s, p, o in graph:
        instance_level = p == RDF.type or (p not in _SCHEMA_PREDICATES and not str(p).startswith(_SCHEMA_NAMESPACES))
        if instance_level and not schema.is_schema_term(s):
            asserted.add((s, p, o))
    closed = _close(asserted, schema)
    return closed - asserted


class _Schema:
    """The ontology axioms, with the subclass and subproperty hierarchies closed."""

    def __init__(self, graph: Graph) -> None:
        self.super_classes = _closure(graph.subject_objects(RDFS.subClassOf))
        self.super_properties = _closure(graph.subject_objects(RDFS.subPropertyOf))
        self.inverses: dict[Node, set[Node]] = defaultdict(set)
        for p, q in graph.subject_objects(OWL.inverseOf):
            self.inverses[p].add(q)
            self.inverses[q].add(p)
        self.transitive = set(graph.subjects(RDF.type, OWL.TransitiveProperty))
        self.domains: dict[Node, set[Node]] = defaultdict(set)
        self.ranges: dict[Node, set[Node]] = defaultdict(set)
        for p, c in graph.subject_objects(RDFS.domain):
            self.domains[p].add(c)
        for p, c in graph.subject_objects(RDFS.range):
            self.ranges[p].add(c)
        self.terms: set[Node] = set()
        for kind in (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                     OWL.AnnotationProperty, RDF.Property, OWL.Ontology):
            self.terms.update(graph.subjects(RDF.type, kind))
        # a property's domain/range types reach its super-properties' too
        for p, supers in self.super_properties.items():
            for q in supers:
                self.domains[p] |= self.domains.get(q, set())
                self.ranges[p] |= self.ranges.get(q, set())

    def is_schema_term(self, node: Node) -> bool:
        return node in self.terms


def _closure(pairs: Iterable[tuple[Node, Node]]) -> dict[Node, set[Node]]:
    """Transitive closure of a relation given as (sub, super) pairs, excluding reflexive pairs."""
    direct: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in pairs:
        if sub != sup:
            direct[sub].add(sup)
    closed: dict[Node, set[Node]] = {}
    for start in list(direct):
        seen: set[Node] = set()
        stack = list(direct[start])
        while stack:
            node = stack.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            stack.extend(direct.get(node, ()))
        closed[start] = seen
    return closed


def _close(triples: set[Triple], schema: _Schema) -> set[Triple]:
    closed = set(triples)
    frontier = set(triples)
    while frontier:
        new: set[Triple] = set()
        for s, p, o in frontier:
            if p == RDF.type:
                for sup in schema.super_classes.get(o, ()):
                    new.add((s, RDF.type, sup))
                continue
            for q in schema.super_properties.get(p, ()):
                new.add((s, q, o))
            if not isinstance(o, Literal):
                for q in schema.inverses.get(p, ()):
                    new.add((o, q, s))
                for c in schema.ranges.get(p, ()):
                    new.add((o, RDF.type, c))
            for c in schema.domains.get(p, ()):
                new.add((s, RDF.type, c))
        new.update(_transitive_step(closed | new, frontier | new, schema.transitive))
        new -= closed
        closed |= new
        frontier = new
    return closed


def _transitive_step(all_triples: set[Triple], fresh: set[Triple], transitive: set[Node]) -> set[Triple]:
    """Join fresh edges of each transitive property with the existing ones (one step of prp-trp)."""
    out: set[Triple] = set()
    relevant = {p for _, p, _ in fresh if p in transitive}
    for p in relevant:
        succ: dict[Node, set[Node]] = defaultdict(set)
        pred: dict[Node, set[Node]] = defaultdict(set)
        for s, q, o in all_triples:
            if q == p:
                succ[s].add(o)
                pred[o].add(s)
        for s, q, o in fresh:
            if q != p:
                continue
            for z in succ.get(o, ()):
                out.add((s, p, z))
            for x in pred.get(s, ()):
                out.add((x, p, o))
    return out
