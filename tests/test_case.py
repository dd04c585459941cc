"""The bundled French health-data case gives the answers the issue asks for, each traced to a source."""

from __future__ import annotations

import datetime as dt

from rdflib import RDF, Literal, URIRef

from sovkg.ask.explain import explain
from sovkg.check.shapes import validate
from sovkg.core.namespaces import KG, SOV
from sovkg.derive.knowledge_graph import build

HDH = str(KG["system/health-data-hub"])
CLOUD_ACT = str(KG["law/us-cloud-act"])
FISA = str(KG["law/us-fisa-702"])
MIOL = str(KG["org/microsoft-ireland-operations"])
MSFT = str(KG["org/microsoft-corporation"])
SREN = str(KG["requirement/sren-art-31-protected-cloud"])


def test_health_data_hub_is_exposed_to_the_cloud_act_through_microsoft(case):
    """The HDH is exposed to the CLOUD Act at level control: HDH → MIOL → … → Microsoft Corporation."""
    finding = next(f for f in case.findings if f.system == HDH and f.law == CLOUD_ACT)
    assert finding.level == "control"
    path = [p.iri for p in finding.path]
    assert path[0] == HDH and path[1] == MIOL and path[-1] == MSFT
    assert finding.bound_entity == MSFT


def test_every_step_of_the_health_data_hub_path_has_a_source(case):
    finding = next(f for f in case.findings if f.system == HDH and f.law == CLOUD_ACT)
    for step in finding.evidence[1:]:
        assert step.sources, f"step {step.position} ({step.label}) has no source"
        assert all(s.url and s.title for s in step.sources)


def test_exposure_matrix_of_the_case_today(case):
    """The HDH and the EMC2 warehouse (both on Azure) are exposed to US laws through control; the SNDS, the SNIIRAM
    that feeds it and the hospital warehouse that sends extracts to the HDH are exposed through those data flows;
    Mon espace santé and the DMP are *unknown* (through Octo Technology and Accenture), not "not exposed"."""
    found = {(f.system, f.law, f.level, f.status) for f in case.findings}
    emc2, snds, sniiram = (str(KG[f"system/{name}"]) for name in ("emc2", "snds", "sniiram"))
    warehouse = str(KG["system/hospital-clinical-data-warehouse"])
    mes, dmp = str(KG["system/mon-espace-sante"]), str(KG["system/dmp-historique"])
    assert found == {
        (HDH, CLOUD_ACT, "control", "exposed"), (HDH, FISA, "control", "exposed"),
        (emc2, CLOUD_ACT, "control", "exposed"), (emc2, FISA, "control", "exposed"),
        (snds, CLOUD_ACT, "flow", "exposed"), (snds, FISA, "flow", "exposed"),
        (sniiram, CLOUD_ACT, "flow", "exposed"), (sniiram, FISA, "flow", "exposed"),
        (warehouse, CLOUD_ACT, "flow", "exposed"), (warehouse, FISA, "flow", "exposed"),
        (mes, CLOUD_ACT, "group-presence", "unknown"), (dmp, CLOUD_ACT, "group-presence", "unknown"),
    }


def test_french_owned_hosts_of_mon_espace_sante_and_the_dmp_do_not_expose_them_on_recorded_facts(case):
    exposed = {f.system for f in case.findings if f.status == "exposed"}
    for system in ("system/mon-espace-sante", "system/mon-espace-sante-messagerie", "system/dmp-historique"):
        assert (KG[system], RDF.type, SOV.InformationSystem) in case.union
        assert str(KG[system]) not in exposed


def test_mon_espace_sante_chain_through_octo_and_accenture_is_shown_with_its_level_and_gap(case):
    """Octo Technology, a member of the Mon espace santé consortium, is an Accenture company (95.92 % after the 2017
    offer, AMF notice D&I 217C0490); Accenture plc, Irish, operates in the US: the CLOUD Act may reach Octo through
    its group (level group-presence). Whether Octo can reach the data is not recorded, so the finding is unknown."""
    (finding,) = [f for f in case.findings if f.system == str(KG["system/mon-espace-sante"])]
    assert (finding.law, finding.level, finding.status) == (CLOUD_ACT, "group-presence", "unknown")
    assert finding.gap == "whether Octo Technology can technically reach the data is not recorded"
    assert [p.iri for p in finding.path] == [str(KG[x]) for x in (
        "system/mon-espace-sante", "org/atos-infogerance", "org/octo-technology",
        "org/accenture-digital-france-holdings", "org/accenture-plc")]
    assert [e.relation for e in finding.evidence[1:]] == [
        "hosted by", "subcontracts to (technical access to the data not recorded)", "controlled by", "controlled by",
        "bound by (presence of the group in the jurisdiction)"]
    for step in finding.evidence[1:]:
        assert step.sources and all(s.url for s in step.sources), step.label


def test_the_snds_is_exposed_through_the_flows_of_its_data(case):
    """The SNDS is self-hosted by CNAM, but a copy of its data goes to EMC2 and to the HDH (on Azure): it is exposed
    at level flow, the path running through the flow."""
    finding = next(f for f in case.findings if f.system == str(KG["system/snds"]) and f.law == CLOUD_ACT)
    assert finding.level == "flow"
    assert [p.iri for p in finding.path][:3] == [str(KG["system/snds"]), str(KG["flow/snds-to-emc2"]),
                                                 str(KG["system/emc2"])]


def test_health_data_hub_breaks_sren_article_31(case):
    report = validate(case)
    sren = [r for r in report.results if r.requirement == SREN and r.severity == "Violation"]
    assert {r.focus for r in sren} == {HDH, str(KG["hosting/health-data-hub-microsoft-azure"])}
    assert any("US CLOUD Act" in r.message for r in sren)
    assert report.conforms is False


def test_microsoft_ireland_is_bound_by_the_cloud_act_because_microsoft_corporation_controls_it(case):
    apps = case.applicabilities(URIRef(MIOL))
    assert {(a.law, a.basis, a.via) for a in apps} == {(CLOUD_ACT, "control", MSFT), (FISA, "control", MSFT)}


def test_planned_move_to_scaleway_is_recorded_but_not_in_effect(case):
    planned = KG["hosting/health-data-hub-scaleway"]
    assert case.union.value(planned, SOV.planned) == Literal(True)
    assert (planned, SOV.inEffect, Literal(True)) not in case.union


def test_history_before_the_uk_left_the_eu():
    """As of 2019-06-01 the UK is an EU (and EEA) member; today it is neither."""
    kg = build(as_of=dt.date(2019, 6, 1))
    assert (KG["country/GB"], SOV.memberOf, KG["union/EU"]) in kg.inferred
    assert (KG["country/GB"], SOV.memberOf, KG["union/EEA"]) in kg.inferred


def test_every_cited_source_is_described(case):
    cited = set(case.asserted.objects(None, SOV.source))
    described = set(case.union.subjects(RDF.type, SOV.Source))
    assert cited and cited <= described


def test_explain_health_data_hub_names_each_step_with_its_source(case):
    text = explain(case, "kg:system/health-data-hub").text
    assert "exposed to US CLOUD Act" in text
    assert "controlled by Microsoft Corporation" in text
    assert "source:" in text
    assert "Loi SREN art. 31" in text
