"""sovkg's OWL RL subset and exposure derivation agree with a full owlrl closure.

The reference pipeline (:mod:`sovkg.derive.reference`) derives the domain rules with SPARQL, closes the
graph with ``owlrl`` (every OWL 2 RL rule), and finds exposures with SPARQL; sovkg's own pipeline
applies only the rules its ontology uses, in Python. Both must give the same answers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import owlrl
import pytest
from rdflib import PROV, RDF, Graph, URIRef

from sovkg.core.namespaces import KG, SOV
from sovkg.derive.knowledge_graph import build
from sovkg.derive.owl_rl import owl_rl_entailments
from sovkg.derive.reference import reference_findings
from sovkg.load.rdf import load_dataset

ROOT = Path(__file__).resolve().parents[2]
DATES = [dt.date(2019, 6, 1), dt.date(2022, 1, 1), dt.date(2026, 11, 29)]
TODAY = DATES[-1]
STAGE_B = {SOV.inEffect, SOV.memberOf, SOV.adequacyInForce, SOV.directlyControls}


def _instance_level(graph: Graph) -> set[tuple]:
    """Triples about our instances: their sov: properties and their types in the sov: namespace."""
    out = set()
    for s, p, o in graph:
        if not str(s).startswith(str(KG)) or str(s).startswith(str(KG["derived/"])):
            continue
        if (p == RDF.type and str(o).startswith(str(SOV))) or str(p).startswith(str(SOV)):
            out.add((s, p, o))
    return out


def _stage_b_graph(kg) -> Graph:
    """Asserted facts plus the domain rules' output (validity, membership, adequacy, direct control)."""
    graph = Graph()
    for triple in kg.asserted:
        graph.add(triple)
    for s, p, o in kg.inferred:
        if p in STAGE_B:
            graph.add((s, p, o))
    return graph


@pytest.mark.parametrize("fixture", ["tests/fixtures/derive/chain.ttl", None], ids=["chain-fixture", "french-case"])
def test_owl_rl_subset_equals_owlrl_closure(fixture):
    """Our OWL RL rules give exactly the instance-level entailments of a full owlrl closure."""
    if fixture:
        kg = build([ROOT / fixture], include_case=False, include_reference=False, as_of=DATES[-1])
    else:
        kg = build(as_of=DATES[-1])
    base = _stage_b_graph(kg)
    ours = _instance_level(base) | _instance_level_from(owl_rl_entailments(base))
    closed = Graph()
    for triple in base:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    theirs = _instance_level(closed)
    assert ours - theirs == set(), "entailed by sovkg only"
    assert theirs - ours == set(), "entailed by owlrl only"
    assert len(ours) > len(_instance_level(base)), "the rules must entail something on this input"


def _instance_level_from(triples) -> set[tuple]:
    graph = Graph()
    for t in triples:
        graph.add(t)
    return _instance_level(graph)


@pytest.mark.parametrize("day", DATES, ids=[d.isoformat() for d in DATES])
@pytest.mark.parametrize("fixture", ["tests/fixtures/derive/chain.ttl", None], ids=["chain-fixture", "french-case"])
def test_findings_equal_reference_pipeline(fixture, day):
    """The exposure findings equal those of the reference pipeline (owlrl closure + SPARQL)."""
    data = [ROOT / fixture] if fixture else []
    options = {"include_case": False, "include_reference": False} if fixture else {}
    kg = build(data, as_of=day, **options)
    ours = {(f.system, f.law, f.level) for f in kg.findings if f.status == "exposed"}
    reference = reference_findings(load_dataset(data, **options), as_of=day)
    assert ours == reference
    if fixture:
        assert ours, "the fixture must produce findings"


def test_french_case_has_findings_today(case):
    """The comparison above is not vacuous on the French case: it has exposure findings today."""
    assert {f.level for f in case.findings} >= {"control"}
    assert all(isinstance(URIRef(f.system), URIRef) for f in case.findings)


@pytest.mark.parametrize("engine", ["store", "rdflib"])
def test_derived_graph_is_closed_under_the_rules(case, engine):
    """Nothing the rules entail is missing from the derived graph, including about the nodes the later stages make
    (applicability, effective ownership, jurisdiction ownership, findings, derivation rules): each is typed by its
    class's superclasses (``prov:Entity``, ``prov:Plan``) as the ontology says."""
    kg = case if engine == "store" else build(as_of=TODAY, engine="rdflib")
    assert kg.engine == engine
    assert set(owl_rl_entailments(kg.union)) == set()
    typed = {(s, o) for s, _, o in kg.inferred.triples((None, RDF.type, None))}
    for cls, parent in ((SOV.Applicability, PROV.Entity), (SOV.EffectiveOwnership, PROV.Entity),
                        (SOV.ExposureFinding, PROV.Entity), (SOV.DerivationRule, PROV.Plan)):
        made = {s for s, o in typed if o == cls}
        assert made, cls
        assert {s for s in made if (s, parent) not in typed} == set(), (cls, parent)
