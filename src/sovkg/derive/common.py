"""Small helpers every derivation stage shares: rules, derived IRIs, labels, validity marks.

Takes an rdflib graph; gives plain values. :mod:`sovkg.derive.run` orchestrates the stages, and
:mod:`sovkg.derive.ownership` and :mod:`sovkg.derive.exposure` use these helpers without importing
the orchestrator back.

>>> from rdflib import Graph
>>> label(Graph(), KG["org/x"])
'https://w3id.org/sovkg/id/org/x'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.core.namespaces import KG, SOV

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Rule:
    """A derivation rule: its IRI, label and what it says."""

    iri: URIRef
    label: str
    definition: str


RULES: dict[str, Rule] = {
    rule.iri.split("/")[-1]: rule
    for rule in (
        Rule(KG["rule/owl-rl"], "OWL 2 RL entailment",
             "Types from the class hierarchy, super-properties, inverse and transitive properties "
             "(OWL 2 RL rules cax-sco, prp-spo1, prp-inv, prp-trp, prp-dom, prp-rng)."),
        Rule(KG["rule/validity"], "validity on the date",
             "A fact is in effect when the date lies between its validFrom and validUntil (a missing "
             "bound is open; a partial date counts only where it is certain: a start in 2019 from the "
             "end of 2019, an end in 2021 until the start of 2021); a certificate also needs its scheme to "
             "be accepted on that date and to exist already; an arrangement also needs its system to exist; a planned "
             "arrangement is never in effect."),
        Rule(KG["rule/known-on-date"], "known on the date",
             "A node dated after the date asked is not known on it and no output shows it: an event by its "
             "date, a source by its publication date, a fact, system, law or legal requirement by its start, "
             "a planned arrangement by the date of the decision that results in it (a partial date counts "
             "from its earliest day; undated nodes are kept)."),
        Rule(KG["rule/union-membership"], "union membership on the date",
             "A country is a member of a union when one of its memberships is in effect; EU members "
             "are in the EEA while the EEA exists."),
        Rule(KG["rule/adequacy"], "adequacy on the date",
             "A country has an adequacy decision in force when a decision covering the whole country "
             "(not partial) is in effect."),
        Rule(KG["rule/control-from-stake"], "control from a stake",
             "The holder of an in-effect stake directly controls the held organisation when it has more "
             "than half of the voting rights (of the capital when voting rights are unknown, or a stated "
             "lower bound above half), a stated majority of votes, the power to appoint the board "
             "majority, or control (alone or joint) stated by the sources."),
        Rule(KG["rule/reach-establishment"], "bound by establishment",
             "An access law in effect binds an entity one of whose seats (registered office, central "
             "administration, principal establishment, residence) is in the law's jurisdiction."),
        Rule(KG["rule/reach-service"], "bound by service to the territory",
             "An access law with that reach binds an entity that offers services to persons in its "
             "jurisdiction."),
        Rule(KG["rule/reach-control"], "bound through control",
             "An access law whose reach includes control binds every entity controlled, directly or up "
             "a chain, by an entity it binds by establishment."),
        Rule(KG["rule/reach-group-presence"], "bound through the presence of the group",
             "An access law that reaches by group presence binds an entity that operates in its jurisdiction "
             "without being seated there (sov:operatesIn), and every entity it controls, directly or up a "
             "chain, that is not seated there either."),
        Rule(KG["rule/exposure"], "exposure of a hosted system",
             "A system is exposed to an access law when an in-effect arrangement's provider is bound "
             "(direct: by establishment or service; control: through a controller), when a subcontractor "
             "with technical access to the data is bound (subcontractor), or when a technology supplier "
             "with a technical path to the data is bound (technology), or when a holder the law binds holds, "
             "directly or indirectly, more than the SecNumCloud 3.2 §19.6.b individual threshold of the provider "
             "without controlling it, or the holders of the law's country together more than the collective "
             "threshold (influence), or when the bound party is reached only through the presence of its group "
             "in the law's jurisdiction (group-presence); a system whose data flows into a system with a finding "
             "is found at level flow. A finding is exposed when it rests on recorded facts, unknown (naming the "
             "gap) when a link is not recorded: a bound third party's access to the data, or the owners of a "
             "party with access to the data."),
    )
}


def rule_iri(name: str) -> URIRef:
    """The IRI of a derivation rule by its short name."""
    return RULES[name].iri


def merged_graph(graphs: Iterable[Graph]) -> Graph:
    """Merge the triples of several graphs into one new in-memory graph."""
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


def instances(graph: Graph, cls: URIRef) -> set[Node]:
    """The instances of a class (types are already closed by OWL RL)."""
    return set(graph.subjects(RDF.type, cls))


def in_effect(graph: Graph, node: Node) -> bool:
    """True when the validity stage marked ``node`` as in effect."""
    return (node, SOV.inEffect, Literal(True)) in graph


def as_number(value: Node | None) -> float | None:
    """A numeric literal as a float; None when absent or not a number."""
    if value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def derived_iri(kind: str, *nodes: Node) -> URIRef:
    """A stable IRI for a derived node, built from the nodes it is about.

    >>> str(derived_iri("control", KG["stake/a-in-b"]))
    'https://w3id.org/sovkg/id/derived/control/stake/a-in-b'
    """
    return URIRef(KG[f"derived/{kind}/" + "/".join(_tail(n) for n in nodes)])


def _tail(node: Node) -> str:
    text = str(node)
    if text.startswith(str(KG)):
        return text[len(str(KG)):]
    if isinstance(node, URIRef) and text.startswith(str(SOV)):
        return text[len(str(SOV)):]
    return "h" + hashlib.sha1(text.encode()).hexdigest()[:16]


def label(graph: Graph, node: Node | None, lang: str = "en") -> str:
    """The label of a node: its ``rdfs:label`` in ``lang``, else in English, else untagged, else its
    ``skos:prefLabel``, else an ``rdfs:label`` in another language, else its IRI (empty for None). Of several of
    the same rank, the least (by code point): the same label whatever order the triples were read in, and the
    one the store engine's rules write (:func:`sovkg.derive.store_rules.label_of`).

    >>> g = Graph()
    >>> _ = g.add((KG["law/x"], RDFS.label, Literal("X Act", lang="en")))
    >>> _ = g.add((KG["law/x"], RDFS.label, Literal("loi X", lang="fr")))
    >>> label(g, KG["law/x"]), label(g, KG["law/x"], "fr"), label(g, KG["law/x"], "de")
    ('X Act', 'loi X', 'X Act')
    >>> _ = g.add((KG["law/x"], RDFS.label, Literal("Act X", lang="en")))
    >>> label(g, KG["law/x"])
    'Act X'
    """
    if node is None:
        return ""
    best: tuple[int, str] | None = None
    for value in graph.objects(node, RDFS.label):
        if isinstance(value, Literal):
            tag = value.language
            rank = 0 if tag == lang else 1 if tag == "en" else 2 if tag is None else 4
            if best is None or (rank, str(value)) < best:
                best = (rank, str(value))
    if best is not None and best[0] < 4:
        return best[1]
    preferred = [str(value) for value in graph.objects(node, SKOS.prefLabel)]
    if preferred:
        return min(preferred)
    return best[1] if best is not None else str(node)
