"""Unknown is not absent: renewal unknown, exposure status, the group-presence and flow levels.

Each test states one rule as if/then on the few triples it needs (built with :func:`make_graph`).
"""

from __future__ import annotations

import datetime as dt

from sovkg.core.namespaces import KG, SOV

LAW = """
<country/US> a sov:Country ; rdfs:label "United States"@en .
<country/IE> a sov:Country ; rdfs:label "Ireland"@en .
<country/FR> a sov:Country ; rdfs:label "France"@en .
<law/x> a sov:AccessLaw ; rdfs:label "X Act"@en ; sov:enactedBy <country/US> ;
    sov:reach sov:ReachByEstablishment , sov:ReachByControl , sov:ReachByGroupPresence .
"""

SCHEMES = """
<scheme/HDS> a sov:CertificationScheme ; rdfs:label "HDS"@en .
<scheme/HDS-2018> a sov:CertificationScheme ; dcterms:isVersionOf <scheme/HDS> ; sov:acceptedUntil "2026-05-16"^^xsd:date .
<scheme/HDS-2024> a sov:CertificationScheme ; dcterms:isVersionOf <scheme/HDS> .
"""


def test_a_2018_certificate_after_its_referential_is_renewal_unknown(make_graph):
    """If a 2018-referential certificate has no renewal recorded, after 2026-05-16 it is not in effect and its
    renewal is unknown; before, it is in effect; a recorded 2024 renewal of the same holder makes it neither."""
    text = SCHEMES + """
        <cert/a> a sov:Certificate ; sov:certificateHolder <org/a> ; sov:scheme <scheme/HDS-2018> .
        <cert/b> a sov:Certificate ; sov:certificateHolder <org/b> ; sov:scheme <scheme/HDS-2018> .
        <cert/b2> a sov:Certificate ; sov:certificateHolder <org/b> ; sov:scheme <scheme/HDS-2024> .
    """
    after = make_graph(text, as_of=dt.date(2026, 6, 1))
    assert (KG["cert/a"], SOV.inEffect, None) not in after.inferred
    assert (KG["cert/a"], SOV.renewalUnknown, None) in after.inferred
    assert (KG["cert/b"], SOV.renewalUnknown, None) not in after.inferred
    before = make_graph(text, as_of=dt.date(2026, 5, 16))
    assert (KG["cert/a"], SOV.inEffect, None) in before.inferred
    assert (KG["cert/a"], SOV.renewalUnknown, None) not in before.inferred


def test_a_certificate_without_its_referential_follows_the_same_rule(make_graph):
    """If a certificate names the HDS scheme without its version, it is certain only while the oldest version
    is accepted: after 2026-05-16 it is not in effect and its renewal is unknown, like a 2018 one."""
    text = SCHEMES + """
        <cert/u> a sov:Certificate ; sov:certificateHolder <org/u> ; sov:scheme <scheme/HDS> .
    """
    assert (KG["cert/u"], SOV.inEffect, None) in make_graph(text, as_of=dt.date(2026, 5, 1)).inferred
    late = make_graph(text, as_of=dt.date(2026, 6, 1))
    assert (KG["cert/u"], SOV.inEffect, None) not in late.inferred
    assert (KG["cert/u"], SOV.renewalUnknown, None) in late.inferred


def test_a_certificate_not_yet_valid_is_not_renewal_unknown(make_graph):
    """If a certificate starts after the date asked, it is neither in effect nor awaiting a renewal."""
    kg = make_graph(SCHEMES + """
        <cert/f> a sov:Certificate ; sov:certificateHolder <org/f> ; sov:scheme <scheme/HDS-2024> ;
            sov:validFrom "2027-01-01"^^xsd:date .
    """, as_of=dt.date(2026, 6, 1))
    assert (KG["cert/f"], SOV.renewalUnknown, None) not in kg.inferred


GROUP = LAW + """
<org/group> a sov:Company ; rdfs:label "Group plc"@en ; sov:registeredOffice <country/IE> ; sov:operatesIn <country/US> .
<org/sub> a sov:Company ; rdfs:label "Sub"@en ; sov:registeredOffice <country/FR> .
<stake/group-sub> a sov:OwnershipStake ; sov:holder <org/group> ; sov:held <org/sub> ; sov:capitalPercent 96 .
<org/host> a sov:Company ; rdfs:label "Host"@en ; sov:registeredOffice <country/FR> .
<org/owner> a sov:Company ; rdfs:label "Owner"@en ; sov:registeredOffice <country/FR> .
<stake/owner-host> a sov:OwnershipStake ; sov:holder <org/owner> ; sov:held <org/host> ; sov:capitalPercent 100 .
<system/s> a sov:InformationSystem ; rdfs:label "S"@en .
"""


def test_group_presence_reaches_a_subsidiary_of_a_group_established_in_the_country(make_graph):
    """If a subcontractor with access to the data is controlled by a non-US group that operates in the US, and the
    law reaches by group presence, the system is exposed at level group-presence, path through the group."""
    kg = make_graph(GROUP + """
        <hosting/s> a sov:HostingArrangement ; sov:hostedSystem <system/s> ; sov:provider <org/host> ;
            sov:subcontracting <link/sub> .
        <link/sub> a sov:Subcontracting ; sov:subcontractor <org/sub> ; sov:technicalAccessToData true .
    """)
    assert [(f.level, f.status, [p.label for p in f.path]) for f in kg.findings] == [
        ("group-presence", "exposed", ["S", "Host", "Sub", "Group plc"])
    ]
    assert kg.findings[0].evidence[-1].relation == "bound by (presence of the group in the jurisdiction)"


def test_access_not_recorded_makes_the_exposure_unknown_naming_the_gap(make_graph):
    """If the same subcontractor's technical access to the data is not recorded, the finding is unknown, not absent."""
    kg = make_graph(GROUP + """
        <hosting/s> a sov:HostingArrangement ; sov:hostedSystem <system/s> ; sov:provider <org/host> ;
            sov:subcontracting <link/sub> .
        <link/sub> a sov:Subcontracting ; sov:subcontractor <org/sub> .
    """)
    assert [(f.level, f.status, f.gap) for f in kg.findings] == [
        ("group-presence", "unknown", "whether Sub can technically reach the data is not recorded")
    ]
    assert kg.findings[0].to_json()["status"] == "unknown"


def test_a_provider_without_recorded_owners_makes_the_exposure_unknown(make_graph):
    """If the provider (which has access to the data) has no recorded owners, the system's exposure to each law
    that reaches through control is unknown; with an owner recorded it is simply not exposed."""
    kg = make_graph(LAW + """
        <org/lone> a sov:Company ; rdfs:label "Lone host"@en ; sov:registeredOffice <country/FR> .
        <system/s> a sov:InformationSystem ; rdfs:label "S"@en .
        <hosting/s> a sov:HostingArrangement ; sov:hostedSystem <system/s> ; sov:provider <org/lone> .
    """)
    assert [(f.level, f.status, f.gap, [p.label for p in f.path]) for f in kg.findings] == [
        ("control", "unknown", "the owners of Lone host, which has access to the data, are not recorded",
         ["S", "Lone host"])
    ]
    owned = make_graph(GROUP + """
        <hosting/s> a sov:HostingArrangement ; sov:hostedSystem <system/s> ; sov:provider <org/host> .
    """)
    assert owned.findings == ()


def test_an_exposed_finding_hides_the_unknown_ones_for_the_same_law(make_graph):
    """If a system is exposed to a law on recorded facts, no unknown finding is added for that law."""
    kg = make_graph(LAW + """
        <org/us> a sov:Company ; rdfs:label "US host"@en ; sov:registeredOffice <country/US> .
        <org/lone> a sov:Company ; rdfs:label "Lone"@en ; sov:registeredOffice <country/FR> .
        <system/s> a sov:InformationSystem ; rdfs:label "S"@en .
        <hosting/s> a sov:HostingArrangement ; sov:hostedSystem <system/s> ; sov:provider <org/us> ;
            sov:subcontracting <link/l> .
        <link/l> a sov:Subcontracting ; sov:subcontractor <org/lone> ; sov:technicalAccessToData true .
    """)
    assert [(f.level, f.status) for f in kg.findings] == [("direct", "exposed")]


FLOWS = LAW + """
<org/us> a sov:Company ; rdfs:label "US host"@en ; sov:registeredOffice <country/US> .
<system/hub> a sov:InformationSystem ; rdfs:label "Hub"@en .
<system/base> a sov:InformationSystem ; rdfs:label "Base"@en .
<system/feeder> a sov:InformationSystem ; rdfs:label "Feeder"@en .
<hosting/hub> a sov:HostingArrangement ; sov:hostedSystem <system/hub> ; sov:provider <org/us> .
<flow/base-hub> a sov:DataFlow ; rdfs:label "Base to Hub"@en ; sov:flowFrom <system/base> ; sov:flowTo <system/hub> ;
    sov:validFrom "2022-05-12"^^xsd:date ; sov:source <source/f> .
<flow/feeder-base> a sov:DataFlow ; rdfs:label "Feeder to Base"@en ; sov:flowFrom <system/feeder> ;
    sov:flowTo <system/base> .
<flow/hub-base> a sov:DataFlow ; sov:flowFrom <system/hub> ; sov:flowTo <system/base> .
<source/f> a sov:Source ; dcterms:title "F" .
"""


def test_a_system_whose_data_flows_into_an_exposed_one_is_exposed_through_the_flow(make_graph):
    """If Base copies its data into Hub, which is exposed, Base is exposed at level flow, the path running
    Base → flow → Hub → …; a system feeding Base is exposed through both flows; a cycle back stops."""
    kg = make_graph(FLOWS)
    rows = {(f.system_label, f.level): [p.label for p in f.path] for f in kg.findings}
    assert rows == {
        ("Hub", "direct"): ["Hub", "US host"],
        ("Base", "flow"): ["Base", "Base to Hub", "Hub", "US host"],
        ("Feeder", "flow"): ["Feeder", "Feeder to Base", "Base", "Base to Hub", "Hub", "US host"],
    }
    base = next(f for f in kg.findings if f.system_label == "Base")
    assert [s.title for s in base.evidence[1].sources] == ["F"]


def test_a_flow_not_yet_in_effect_exposes_nothing(make_graph):
    """If the flow starts after the date asked, the source system has no finding."""
    kg = make_graph(FLOWS, as_of=dt.date(2022, 5, 11))
    assert {f.system_label for f in kg.findings} == {"Hub"}
