"""Derivation rules, each named after the rule and stated as if/then on the few triples it needs."""

from __future__ import annotations

import datetime as dt

from rdflib import Literal

from sovkg.core.namespaces import KG, SOV

LAW = """
<country/US> a sov:Country ; rdfs:label "United States"@en .
<country/IE> a sov:Country ; rdfs:label "Ireland"@en .
<country/FR> a sov:Country ; rdfs:label "France"@en .
<law/x> a sov:AccessLaw ; rdfs:label "X Act"@en ; sov:enactedBy <country/US> ;
    sov:reach sov:ReachByEstablishment , sov:ReachByControl .
"""


def test_control_from_majority_of_votes(make_graph):
    """If A holds more than 50 % of B's voting rights then A directly controls B."""
    kg = make_graph("""
        <stake/a-b> a sov:OwnershipStake ; sov:holder <org/a> ; sov:held <org/b> ; sov:votingPercent 50.1 .
        <stake/c-d> a sov:OwnershipStake ; sov:holder <org/c> ; sov:held <org/d> ; sov:votingPercent 50 .
    """)
    assert (KG["org/a"], SOV.directlyControls, KG["org/b"]) in kg.inferred
    assert (KG["org/c"], SOV.directlyControls, KG["org/d"]) not in kg.inferred


def test_control_from_capital_only_when_votes_unknown(make_graph):
    """If A holds 70 % of B's capital and its votes are unknown then A controls B; if its votes are 40 % it does not."""
    kg = make_graph("""
        <stake/a-b> a sov:OwnershipStake ; sov:holder <org/a> ; sov:held <org/b> ; sov:capitalPercent 70 .
        <stake/c-d> a sov:OwnershipStake ; sov:holder <org/c> ; sov:held <org/d> ;
            sov:capitalPercent 70 ; sov:votingPercent 40 .
    """)
    assert (KG["org/a"], SOV.directlyControls, KG["org/b"]) in kg.inferred
    assert (KG["org/c"], SOV.directlyControls, KG["org/d"]) not in kg.inferred


def test_control_from_stated_control_rights(make_graph):
    """If a stake states control, a majority of votes or the board majority, its holder controls, whatever the share."""
    kg = make_graph("""
        <stake/1> a sov:OwnershipStake ; sov:holder <org/a> ; sov:held <org/b> ; sov:controlRight true ; sov:jointControl true .
        <stake/2> a sov:OwnershipStake ; sov:holder <org/c> ; sov:held <org/d> ; sov:majorityOfVotes true .
        <stake/3> a sov:OwnershipStake ; sov:holder <org/e> ; sov:held <org/f> ; sov:appointsBoardMajority true ; sov:capitalPercent 10 .
        <stake/4> a sov:OwnershipStake ; sov:holder <org/g> ; sov:held <org/h> ; sov:vetoRight true .
    """)
    pairs = set(kg.inferred.subject_objects(SOV.directlyControls))
    assert pairs == {(KG["org/a"], KG["org/b"]), (KG["org/c"], KG["org/d"]), (KG["org/e"], KG["org/f"])}


def test_control_is_transitive(make_graph):
    """If A controls B and B controls C then A controls C (and C is controlled by A)."""
    kg = make_graph("""
        <stake/a-b> a sov:OwnershipStake ; sov:holder <org/a> ; sov:held <org/b> ; sov:capitalPercent 100 .
        <stake/b-c> a sov:OwnershipStake ; sov:holder <org/b> ; sov:held <org/c> ; sov:capitalPercent 100 .
    """)
    assert (KG["org/a"], SOV.controls, KG["org/c"]) in kg.inferred
    assert (KG["org/c"], SOV.controlledBy, KG["org/a"]) in kg.inferred


def test_ended_stake_gives_no_control(make_graph):
    """If a stake ended before the date then it gives no control on that date, but did before."""
    turtle = """
        <stake/a-b> a sov:OwnershipStake ; sov:holder <org/a> ; sov:held <org/b> ; sov:capitalPercent 100 ;
            sov:validFrom "2016-01-01"^^xsd:date ; sov:validUntil "2021-10-14"^^xsd:date .
    """
    assert (KG["org/a"], SOV.directlyControls, KG["org/b"]) not in make_graph(turtle).inferred
    past = make_graph(turtle, as_of=dt.date(2021, 10, 14))
    assert (KG["org/a"], SOV.directlyControls, KG["org/b"]) in past.inferred


def test_partial_dates_count_only_where_certain(make_graph):
    """If a fact started "in 2019" (a gYear) then it is not claimed on 1 June 2019, only from 31 December 2019;
    if it ended "in 2021" then it is known to hold on 1 January 2021 but not on 2 January 2021."""
    turtle = """
        <cert/c> a sov:Certificate ; sov:validFrom "2019"^^xsd:gYear ; sov:validUntil "2021"^^xsd:gYear .
    """
    holds = {day: (KG["cert/c"], SOV.inEffect, Literal(True)) in make_graph(turtle, as_of=day).inferred
             for day in (dt.date(2019, 6, 1), dt.date(2019, 12, 31), dt.date(2021, 1, 1), dt.date(2021, 1, 2))}
    assert holds == {dt.date(2019, 6, 1): False, dt.date(2019, 12, 31): True,
                     dt.date(2021, 1, 1): True, dt.date(2021, 1, 2): False}


def test_certificate_under_superseded_scheme_lapses(make_graph):
    """If a certificate's scheme is accepted until a date then after it the certificate is not in effect."""
    turtle = """
        <scheme/old> a sov:CertificationScheme ; sov:acceptedUntil "2026-05-16"^^xsd:date .
        <cert/c> a sov:Certificate ; sov:scheme <scheme/old> ; sov:validFrom "2024-01-01"^^xsd:date .
    """
    assert (KG["cert/c"], SOV.inEffect, Literal(True)) in make_graph(turtle, as_of=dt.date(2026, 5, 16)).inferred
    assert (KG["cert/c"], SOV.inEffect, Literal(True)) not in make_graph(turtle).inferred


def test_planned_arrangement_is_not_in_effect(make_graph):
    """If an arrangement is planned then it is not in effect and exposes nothing."""
    kg = make_graph(LAW + """
        <org/us> a sov:Company ; sov:registeredOffice <country/US> .
        <hosting/h> a sov:HostingArrangement ; sov:hostedSystem <system/s> ; sov:provider <org/us> ; sov:planned true .
    """)
    assert (KG["hosting/h"], SOV.inEffect, Literal(True)) not in kg.inferred
    assert kg.findings == ()


def test_eu_members_are_in_the_eea_while_it_exists(make_graph):
    """If a country is an EU member and the EEA exists on the date then it is an EEA member."""
    turtle = """
        <union/EU> a sov:Union . <union/EEA> a sov:Union ; sov:validFrom "1994-01-01"^^xsd:date .
        <membership/fr> a sov:Membership ; sov:member <country/FR> ; sov:union <union/EU> ;
            sov:validFrom "1958-01-01"^^xsd:date .
        <membership/gb> a sov:Membership ; sov:member <country/GB> ; sov:union <union/EU> ;
            sov:validFrom "1973-01-01"^^xsd:date ; sov:validUntil "2020-01-31"^^xsd:date .
    """
    kg = make_graph(turtle)
    assert (KG["country/FR"], SOV.memberOf, KG["union/EEA"]) in kg.inferred
    assert (KG["country/GB"], SOV.memberOf, KG["union/EU"]) not in kg.inferred
    early = make_graph(turtle, as_of=dt.date(1990, 1, 1))
    assert (KG["country/GB"], SOV.memberOf, KG["union/EU"]) in early.inferred
    assert (KG["country/FR"], SOV.memberOf, KG["union/EEA"]) not in early.inferred


def test_partial_adequacy_does_not_make_a_country_adequate(make_graph):
    """If an adequacy decision is partial (e.g. only self-certified organisations) then the country is not adequate."""
    kg = make_graph("""
        <adequacy/dpf> a sov:AdequacyDecision ; sov:adequacyFor <country/US> ; sov:partialAdequacy true .
        <adequacy/uk> a sov:AdequacyDecision ; sov:adequacyFor <country/GB> .
    """)
    assert set(kg.inferred.subjects(SOV.adequacyInForce, None)) == {KG["country/GB"]}


def test_law_binds_entities_seated_in_its_jurisdiction(make_graph):
    """If an access law reaches by establishment and E's central administration is in its country then E is subject to it."""
    kg = make_graph(LAW + """
        <org/e> a sov:Company ; sov:centralAdministration <country/US> .
        <org/f> a sov:Company ; sov:registeredOffice <country/IE> .
    """)
    assert set(kg.inferred.subjects(SOV.subjectTo, KG["law/x"])) == {KG["org/e"]}
    assert [(a.entity_label, a.basis, a.via) for a in kg.applicabilities()] == [("https://w3id.org/sovkg/id/org/e", "establishment", None)]


def test_law_reaching_control_binds_controlled_subsidiaries(make_graph):
    """If a law reaches what a bound entity controls and P (US) controls S (IE) then S is subject to it via P."""
    kg = make_graph(LAW + """
        <org/p> a sov:Company ; rdfs:label "P"@en ; sov:registeredOffice <country/US> .
        <org/s> a sov:Company ; rdfs:label "S"@en ; sov:registeredOffice <country/IE> .
        <stake/p-s> a sov:OwnershipStake ; sov:holder <org/p> ; sov:held <org/s> ; sov:capitalPercent 100 .
    """)
    found = {(a.entity_label, a.basis, a.via_label) for a in kg.applicabilities()}
    assert found == {("P", "establishment", None), ("S", "control", "P")}


def test_law_without_control_reach_stops_at_the_border(make_graph):
    """If a law reaches by establishment only then a foreign subsidiary of a bound parent is not subject to it."""
    kg = make_graph(LAW.replace(", sov:ReachByControl", "") + """
        <org/p> a sov:Company ; sov:registeredOffice <country/US> .
        <org/s> a sov:Company ; sov:registeredOffice <country/IE> .
        <stake/p-s> a sov:OwnershipStake ; sov:holder <org/p> ; sov:held <org/s> ; sov:capitalPercent 100 .
    """)
    assert set(kg.inferred.subjects(SOV.subjectTo, None)) == {KG["org/p"]}


def test_law_reaching_service_binds_operators_serving_its_territory(make_graph):
    """If a law reaches operators serving persons in its territory then an Irish operator serving the UK is bound."""
    kg = make_graph("""
        <law/ipa> a sov:AccessLaw ; sov:enactedBy <country/GB> ; sov:reach sov:ReachByService .
        <org/op> a sov:Company ; sov:registeredOffice <country/IE> ; sov:servesPersonsIn <country/GB> .
    """)
    assert [(a.law, a.basis) for a in kg.applicabilities()] == [(str(KG["law/ipa"]), "service")]


def test_law_not_yet_in_force_binds_nobody(make_graph):
    """If an access law enters into force after the date then it binds nobody on that date."""
    kg = make_graph(LAW.replace("sov:enactedBy", 'sov:validFrom "2018-03-23"^^xsd:date ; sov:enactedBy') + """
        <org/e> a sov:Company ; sov:registeredOffice <country/US> .
    """, as_of=dt.date(2018, 3, 22))
    assert kg.applicabilities() == ()


CHAIN = LAW + """
<org/parent> a sov:Company ; rdfs:label "Parent"@en ; sov:registeredOffice <country/US> ; sov:source <source/s1> .
<org/sub> a sov:Company ; rdfs:label "Sub"@en ; sov:registeredOffice <country/IE> .
<org/fr> a sov:Company ; rdfs:label "FR host"@en ; sov:registeredOffice <country/FR> .
<stake/parent-sub> a sov:OwnershipStake ; sov:holder <org/parent> ; sov:held <org/sub> ; sov:capitalPercent 100 ;
    sov:source <source/s2> .
<system/a> a sov:InformationSystem ; rdfs:label "A"@en .
<system/b> a sov:InformationSystem ; rdfs:label "B"@en .
<hosting/a> a sov:HostingArrangement ; sov:hostedSystem <system/a> ; sov:provider <org/sub> ; sov:source <source/s3> .
<source/s1> a sov:Source ; dcterms:title "S1" .
<source/s2> a sov:Source ; dcterms:title "S2" .
<source/s3> a sov:Source ; dcterms:title "S3" .
"""


def test_exposure_through_control_has_an_ordered_sourced_path(make_graph):
    """If S hosts system A and a US parent controls S then A is exposed at level control, path A → S → Parent."""
    kg = make_graph(CHAIN)
    (finding,) = kg.findings
    assert (finding.system_label, finding.law_label, finding.level) == ("A", "X Act", "control")
    assert [p.label for p in finding.path] == ["A", "Sub", "Parent"]
    assert [e.relation for e in finding.evidence] == [None, "hosted by", "controlled by", "bound by (control by a bound entity)"]
    assert [[s.title for s in e.sources] for e in finding.evidence] == [[], ["S3"], ["S2"], ["S1"]]


def test_exposure_is_direct_when_the_provider_itself_is_bound(make_graph):
    """If the provider itself is seated in the law's country then the exposure is direct."""
    kg = make_graph(CHAIN + """
        <hosting/b> a sov:HostingArrangement ; sov:hostedSystem <system/b> ; sov:provider <org/parent> .
    """)
    assert {(f.system_label, f.level) for f in kg.findings} == {("A", "control"), ("B", "direct")}


def test_exposure_through_a_subcontractor_needs_technical_access(make_graph):
    """If a French host's subcontractor is bound then the system is exposed only when the subcontractor can reach the data."""
    kg = make_graph(CHAIN + """
        <hosting/b> a sov:HostingArrangement ; sov:hostedSystem <system/b> ; sov:provider <org/fr> ;
            sov:subcontracting <subcontracting/with> , <subcontracting/without> .
        <subcontracting/with> a sov:Subcontracting ; sov:subcontractor <org/sub> ; sov:technicalAccessToData true .
        <subcontracting/without> a sov:Subcontracting ; sov:subcontractor <org/parent> ; sov:technicalAccessToData false .
    """)
    levels = {(f.system_label, f.level, tuple(p.label for p in f.path)) for f in kg.findings}
    assert levels == {("A", "control", ("A", "Sub", "Parent")), ("B", "subcontractor", ("B", "FR host", "Sub", "Parent"))}


def test_exposure_through_technology_of_the_offer(make_graph):
    """If the offer runs on technology whose supplier is bound and has a technical path to the data then it is exposed."""
    kg = make_graph(CHAIN + """
        <offer/o> a sov:ServiceOffering ; sov:offeredBy <org/fr> ; sov:technologyDependency <technology/t> .
        <technology/t> a sov:TechnologyDependency ; sov:technologySupplier <org/parent> ; sov:technicalAccessToData true .
        <hosting/b> a sov:HostingArrangement ; sov:hostedSystem <system/b> ; sov:provider <org/fr> ; sov:offer <offer/o> .
    """)
    assert ("B", "technology") in {(f.system_label, f.level) for f in kg.findings}


def test_technology_without_a_stated_path_to_data_is_unknown_not_absent(make_graph):
    """If a technology dependency on a bound supplier does not state a technical path to the data, the system is
    not exposed on recorded facts, but not "not exposed" either: an ``unknown`` finding names the missing fact."""
    kg = make_graph(CHAIN + """
        <offer/o> a sov:ServiceOffering ; sov:technologyDependency <technology/t> .
        <technology/t> a sov:TechnologyDependency ; sov:technologySupplier <org/parent> .
        <hosting/b> a sov:HostingArrangement ; sov:hostedSystem <system/b> ; sov:provider <org/fr> ; sov:offer <offer/o> .
    """)
    assert {f.system_label for f in kg.findings if f.status == "exposed"} == {"A"}
    assert [(f.system_label, f.level, f.status, f.gap) for f in kg.findings if f.system_label == "B"] == [
        ("B", "control", "unknown", "the owners of FR host, which has access to the data, are not recorded"),
        ("B", "technology", "unknown", "whether Parent can technically reach the data is not recorded"),
    ]


def test_technology_recorded_without_access_exposes_nothing(make_graph):
    """A technology dependency that records no technical path to the data (false) gives no finding at all."""
    kg = make_graph(CHAIN + """
        <offer/o> a sov:ServiceOffering ; sov:technologyDependency <technology/t> .
        <technology/t> a sov:TechnologyDependency ; sov:technologySupplier <org/parent> ;
            sov:technicalAccessToData false .
        <hosting/b> a sov:HostingArrangement ; sov:hostedSystem <system/b> ; sov:provider <org/fr> ; sov:offer <offer/o> .
    """)
    assert {f.system_label for f in kg.findings if f.level == "technology"} == set()


def test_findings_name_their_rule_and_date(make_graph):
    """Every derived finding names the rule that produced it and the date it was derived for."""
    kg = make_graph(CHAIN)
    finding = KG["derived/finding/system/a/law/x/control"]
    assert (finding, SOV.derivedBy, KG["rule/exposure"]) in kg.inferred
    assert str(kg.inferred.value(finding, SOV.asOf)) == "2026-11-29"
