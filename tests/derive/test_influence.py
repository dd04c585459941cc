"""The ``influence`` exposure level, stated as if/then on small graphs built with the reference data.

Rule (``sovkg.derive.exposure._Influence``): for an in-effect hosting arrangement, a law ``L`` that does
not bind the provider through control, and either one holder bound by ``L`` (not controlling the
provider) whose effective share of the provider's capital or votes (lower bound) is above the
SecNumCloud 3.2 §19.6.b individual threshold, or the holders established in ``L``'s country
together above the collective threshold, the system is exposed to ``L`` at level ``influence``.
The thresholds are read from ``data/reference/thresholds.ttl``. Every graph is built through
:func:`sovkg.derive.knowledge_graph.build` (reference data, no French case) and compared with the independent
reference pipeline (:mod:`sovkg.derive.reference`).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from sovkg.check.shapes import validate
from sovkg.core.namespaces import KG
from sovkg.derive.knowledge_graph import KnowledgeGraph, build
from sovkg.derive.reference import reference_findings
from sovkg.load.rdf import load_dataset

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 29)
SYSTEM, PROVIDER = str(KG["system/records"]), str(KG["org/fr-host"])
CLOUD_ACT, FISA = str(KG["law/us-cloud-act"]), str(KG["law/us-fisa-702"])

HOSTING = """
<source/test> a sov:Source ; rdfs:label "Influence test source"@en .
<source/fund-stake> a sov:Source ; rdfs:label "Fund stake source"@en .
<source/parent-stake> a sov:Source ; rdfs:label "Parent stake source"@en .
<org/fr-host> a sov:Company ; rdfs:label "Hébergeur Français SAS"@en ;
    sov:registeredOffice <country/FR> ; sov:centralAdministration <country/FR> ; sov:principalEstablishment <country/FR> .
<system/records> a sov:InformationSystem ; rdfs:label "Records"@en ; sov:holdsData sov:OtherData .
<hosting/records> a sov:HostingArrangement ; rdfs:label "Records hosted by Hébergeur Français"@en ;
    sov:hostedSystem <system/records> ; sov:provider <org/fr-host> ; sov:validFrom "2025-01-01"^^xsd:date .
<org/us-fund> a sov:Company ; rdfs:label "US Fund LP"@en ; sov:registeredOffice <country/US> .
"""


def stake(name: str, holder: str, held: str, percent: float | None, source: str = "test", extra: str = "") -> str:
    share = f"sov:capitalPercent {percent} ; sov:votingPercent {percent} ;" if percent is not None else ""
    return (f"<stake/{name}> a sov:OwnershipStake ; sov:holder <org/{holder}> ; sov:held <org/{held}> ; {share} {extra}"
            f" sov:source <source/{source}> .\n")


@pytest.fixture
def graph(make_graph, tmp_path: Path):
    """Build inline Turtle (with :data:`HOSTING`) with the reference data, as of :data:`AS_OF`."""

    def _build(turtle: str, *, hosting: str = HOSTING, reference: bool = True) -> KnowledgeGraph:
        kg = make_graph(hosting + textwrap.dedent(turtle), as_of=AS_OF, reference=reference)
        kg.test_path = tmp_path / "inline.ttl"  # type: ignore[attr-defined]  # where make_graph wrote it
        return kg

    return _build


def findings(kg: KnowledgeGraph) -> set[tuple[str, str, str]]:
    return {(f.system, f.law, f.level) for f in kg.findings}


def agrees_with_reference(kg: KnowledgeGraph) -> bool:
    path = kg.test_path  # type: ignore[attr-defined]
    return findings(kg) == reference_findings(load_dataset([path], include_case=False), as_of=AS_OF)


def test_a_us_fund_holding_30_percent_exposes_the_system_at_influence_level(graph):
    """If a US fund (bound by the CLOUD Act and FISA 702 by establishment) holds 30 % of a French provider
    without controlling it, then the hosted system is exposed to both laws at level influence."""
    kg = graph(stake("fund-host", "us-fund", "fr-host", 30.0, source="fund-stake"))
    assert findings(kg) == {(SYSTEM, CLOUD_ACT, "influence"), (SYSTEM, FISA, "influence")}
    finding = next(f for f in kg.findings if f.law == CLOUD_ACT)
    assert [p.iri for p in finding.path] == [SYSTEM, PROVIDER, str(KG["org/us-fund"])]
    assert finding.bound_entity == str(KG["org/us-fund"])
    held = finding.evidence[2]
    assert held.via == str(KG["derived/effective-ownership/org/us-fund/org/fr-host"])
    assert held.relation == "held 30 % of the capital and 30 % of the voting rights by"
    assert [s.iri for s in held.sources] == [str(KG["source/fund-stake"])]
    assert finding.evidence[3].iri == CLOUD_ACT
    assert agrees_with_reference(kg)


def test_a_us_fund_holding_100_percent_gives_control_not_influence(graph):
    """If the US fund holds 100 % then the provider is bound through control: level control, no influence."""
    kg = graph(stake("fund-host", "us-fund", "fr-host", 100.0))
    assert findings(kg) == {(SYSTEM, CLOUD_ACT, "control"), (SYSTEM, FISA, "control")}
    assert agrees_with_reference(kg)


@pytest.mark.parametrize("percent", [20.0, 24.0])
def test_a_us_fund_at_or_below_the_individual_threshold_gives_nothing(graph, percent):
    """If the US fund holds 20 % (or exactly the 24 % threshold: only a share above it counts) then nothing."""
    kg = graph(stake("fund-host", "us-fund", "fr-host", percent))
    assert findings(kg) == set()
    assert agrees_with_reference(kg)


def test_an_indirect_holding_of_60_times_50_percent_counts_30_percent(graph):
    """If a US parent holds 60 % of an EU holding that holds 50 % of the provider then the parent holds 30 %:
    influence, with the path naming the parent and the sources of both stakes on the chain."""
    kg = graph(
        "<org/lu-holding> a sov:Company ; rdfs:label \"Holding SARL\"@en ; sov:registeredOffice <country/LU> .\n"
        + stake("fund-holding", "us-fund", "lu-holding", 60.0, source="parent-stake")
        + stake("holding-host", "lu-holding", "fr-host", 50.0, source="fund-stake")
    )
    assert findings(kg) == {(SYSTEM, CLOUD_ACT, "influence"), (SYSTEM, FISA, "influence")}
    finding = next(f for f in kg.findings if f.law == CLOUD_ACT)
    # every company on the chain is a step: the holding, itself bound through control by the US parent
    assert [p.iri for p in finding.path] == [SYSTEM, PROVIDER, str(KG["org/lu-holding"]), str(KG["org/us-fund"])]
    assert finding.evidence[2].relation == "held 50 % of the capital and 50 % of the voting rights by"
    assert finding.evidence[3].relation == "controlled by"
    assert finding.evidence[3].via == str(KG["stake/fund-holding"])
    assert agrees_with_reference(kg)


def test_an_influence_path_names_every_company_on_the_chain(graph):
    """If a US fund holds 40 % of a Luxembourg holding (no control) that holds 80 % of the provider, the fund holds
    32 % in all: influence, and the path goes provider → holding → fund, the holding not skipped."""
    kg = graph(
        "<org/lu-holding> a sov:Company ; rdfs:label \"Holding SARL\"@en ; sov:registeredOffice <country/LU> .\n"
        + stake("fund-holding", "us-fund", "lu-holding", 40.0, source="parent-stake")
        + stake("holding-host", "lu-holding", "fr-host", 80.0, source="holding-stake")
    )
    assert findings(kg) == {(SYSTEM, CLOUD_ACT, "influence"), (SYSTEM, FISA, "influence")}
    finding = next(f for f in kg.findings if f.law == CLOUD_ACT)
    assert [p.iri for p in finding.path] == [SYSTEM, PROVIDER, str(KG["org/lu-holding"]), str(KG["org/us-fund"])]
    holding, fund = finding.evidence[2], finding.evidence[3]
    assert (holding.relation, holding.via) == ("held 80 % of the capital and 80 % of the voting rights by",
                                               str(KG["stake/holding-host"]))
    assert [s.iri for s in holding.sources] == [str(KG["source/holding-stake"])]
    assert fund.relation == ("in turn held 40 % of the capital and 40 % of the voting rights by (in all, "
                             "Hébergeur Français SAS is held 32 % of the capital and 32 % of the voting rights)")
    assert fund.via == str(KG["derived/effective-ownership/org/us-fund/org/fr-host"])
    assert [s.iri for s in fund.sources] == [str(KG["source/holding-stake"]), str(KG["source/parent-stake"])]
    assert agrees_with_reference(kg)


def test_holders_of_one_country_together_above_the_collective_threshold(graph):
    """If two US funds hold 20 % each (each below 24 %, together 40 %, above the 39 % collective threshold)
    then influence, through the US holders together; at 15 % each (30 % together) nothing."""
    other = "<org/us-fund-b> a sov:Company ; rdfs:label \"US Fund B LP\"@en ; sov:registeredOffice <country/US> .\n"
    kg = graph(other + stake("a", "us-fund", "fr-host", 20.0) + stake("b", "us-fund-b", "fr-host", 20.0))
    assert findings(kg) == {(SYSTEM, CLOUD_ACT, "influence"), (SYSTEM, FISA, "influence")}
    step = next(f for f in kg.findings if f.law == CLOUD_ACT).evidence[2]
    assert step.iri == str(KG["org/us-fund"])
    assert step.via == str(KG["derived/jurisdiction-ownership/country/US/org/fr-host"])
    assert step.relation == (
        "held, together with the other holders established in United States "
        "(40 % of the capital and 40 % of the voting rights in all), by"
    )
    assert agrees_with_reference(kg)
    kg = graph(other + stake("a", "us-fund", "fr-host", 15.0) + stake("b", "us-fund-b", "fr-host", 15.0))
    assert findings(kg) == set()
    assert agrees_with_reference(kg)


def test_holders_bound_by_different_laws_do_not_add_up(graph):
    """If a US fund and a Chinese fund hold 20 % each then no law binds holders above a threshold: nothing."""
    kg = graph(
        "<org/cn-fund> a sov:Company ; rdfs:label \"CN Fund\"@en ; sov:registeredOffice <country/CN> .\n"
        + stake("a", "us-fund", "fr-host", 20.0) + stake("b", "cn-fund", "fr-host", 20.0)
    )
    assert findings(kg) == set()
    assert agrees_with_reference(kg)


def test_an_unknown_share_never_gives_influence(graph):
    """If the US fund's share is unknown (at most 30 %) then its lower bound is 0 %: no influence."""
    kg = graph(stake("fund-host", "us-fund", "fr-host", None, extra="sov:maximumPercent 30.0 ;"))
    assert findings(kg) == set()
    assert agrees_with_reference(kg)


def test_influence_of_another_law_next_to_control(graph):
    """If a US parent controls the provider (60 %) and a Chinese fund holds 30 % then CLOUD Act and FISA 702
    at level control, and the PRC National Intelligence Law (art. 7) at level influence."""
    kg = graph(
        "<org/cn-fund> a sov:Company ; rdfs:label \"CN Fund\"@en ; sov:registeredOffice <country/CN> .\n"
        + stake("a", "us-fund", "fr-host", 60.0) + stake("b", "cn-fund", "fr-host", 30.0)
    )
    assert findings(kg) == {
        (SYSTEM, CLOUD_ACT, "control"),
        (SYSTEM, FISA, "control"),
        (SYSTEM, str(KG["law/cn-national-intelligence-law-art-7"]), "influence"),
    }
    assert agrees_with_reference(kg)


def test_the_threshold_is_read_from_the_data(graph):
    """If the individual threshold recorded in the data were 35 % then a 30 % holding would give nothing;
    with 24 % it gives influence (without the reference data: an invented law and the thresholds inline)."""
    world = HOSTING + """
<country/US> a sov:Country ; rdfs:label "United States"@en .
<country/FR> a sov:Country ; rdfs:label "France"@en .
<law/x> a sov:AccessLaw ; rdfs:label "X Act"@en ; sov:enactedBy <country/US> ;
    sov:reach sov:ReachByEstablishment , sov:ReachByControl .
<threshold/snc-3.2-19.6-b-collective> a sov:Threshold ; sov:thresholdPercent 39.0 .
"""
    holding = stake("fund-host", "us-fund", "fr-host", 30.0)
    limit = "<threshold/snc-3.2-19.6-b-individual> a sov:Threshold ; sov:thresholdPercent {} .\n"
    high = graph(holding + limit.format("35.0"), hosting=world, reference=False)
    assert findings(high) == set()
    low = graph(holding + limit.format("24.0"), hosting=world, reference=False)
    assert findings(low) == {(SYSTEM, str(KG["law/x"]), "influence")}


def test_ovhcloud_post_ipo_split_gives_no_secnumcloud_result():
    """The OVHcloud split after the IPO (about 70 % family in France, about 8 % each for two US funds) passes
    every §19.6 shape without even a warning (tests/test_shapes.py only checks that it adds no violation)."""
    fixture = ROOT / "tests" / "fixtures" / "shapes" / "valid" / "secnumcloud-ovhcloud-post-ipo.ttl"
    report = validate(build([fixture], include_case=False, as_of=AS_OF))
    snc = [r for r in report.results if "/secnumcloud/" in r.source_shape]
    assert snc == []
