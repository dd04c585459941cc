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
    Mon espace santé and the DMP are *unknown* (through Octo Technology and Accenture), not "not exposed"; so is
    the SNDS through its Oracle Exadata servers (Oracle Corporation is seated in the US; whether it can reach the
    data is not recorded), besides its exposure through the flows."""
    found = {(f.system, f.law, f.level, f.status) for f in case.findings}
    emc2, snds, sniiram = (str(KG[f"system/{name}"]) for name in ("emc2", "snds", "sniiram"))
    warehouse = str(KG["system/hospital-clinical-data-warehouse"])
    mes, dmp = str(KG["system/mon-espace-sante"]), str(KG["system/dmp-historique"])
    assert found == {
        (HDH, CLOUD_ACT, "control", "exposed"), (HDH, FISA, "control", "exposed"),
        (emc2, CLOUD_ACT, "control", "exposed"), (emc2, FISA, "control", "exposed"),
        (snds, CLOUD_ACT, "flow", "exposed"), (snds, FISA, "flow", "exposed"),
        (snds, CLOUD_ACT, "technology", "unknown"), (snds, FISA, "technology", "unknown"),
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
    assert {r.focus for r in sren} == {
        HDH, str(KG["hosting/health-data-hub-microsoft-azure"]),
        str(KG["system/emc2"]), str(KG["hosting/emc2-microsoft-azure"]),  # same GIP controller, same data
    }
    assert any("US CLOUD Act" in r.message for r in sren)
    assert all("rests on phase 2 of loi SREN art. 31" in r.message for r in sren)
    assert report.conforms is False


def test_sren_article_31_is_a_warning_before_its_criteria_decree(make_graph):
    """Between the law (23 May 2024) and décret n° 2026-272, the duty is a Warning naming phase 1."""
    import datetime as dt

    from sovkg.derive.knowledge_graph import build

    kg = build(as_of=dt.date(2025, 8, 1))
    report = validate(kg)
    sren = [r for r in report.results if "loi SREN art. 31" in r.message]
    assert {(r.focus, r.severity) for r in sren} == {(HDH, "Warning"), (str(KG["system/emc2"]), "Warning")}
    assert all("rests on phase 1 of loi SREN art. 31" in r.message for r in sren)
    assert not [r for r in validate(build(as_of=dt.date(2024, 5, 22))).results if "SREN" in r.message]


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


def test_explain_lists_each_source_of_the_findings_once_not_once_per_law(case):
    text = explain(case, "kg:system/health-data-hub").text
    section = text.split("Exposure findings (sources numbered below, each listed once):\n", 1)[1].split("\n\n", 1)[0]
    listed = [line for line in section.splitlines() if line.startswith("  [")]
    titles = [line.split("] ", 1)[1] for line in listed]
    assert titles and len(titles) == len(set(titles))
    assert [line.split("]")[0] for line in listed] == [f"  [{n}" for n in range(1, len(listed) + 1)]
    laws = [line for line in section.splitlines() if line.startswith("  • ")]
    assert len(laws) >= 2  # the CLOUD Act and FISA 702 findings share their steps' sources
    assert section.count("hosted by Microsoft Ireland Operations Limited (MIOL)") == len(laws)


def test_explain_shows_the_senate_hearing_on_the_cloud_act_reach_over_microsoft(case):
    """Microsoft France's sworn answer of 10 June 2025 is an event on the CLOUD Act and on Microsoft."""
    from sovkg.ask.explain import explain

    for name in ("kg:org/microsoft-corporation", "kg:org/microsoft-ireland-operations", "kg:law/us-cloud-act"):
        text = explain(case, name).text
        assert "2025-06-10 — Microsoft France heard under oath by the Senate inquiry" in text, name


def test_as_of_august_2025_nothing_from_2026_is_shown():
    """At --at 2025-08-01, CQ21 shows the interim tender without its 2026 cancellation or successor, and
    explain leaves out the planned Scaleway hosting (decided on 23 April 2026)."""
    import datetime as dt

    from sovkg.api import query
    from sovkg.ask.explain import explain
    from sovkg.derive.knowledge_graph import build

    kg = build(as_of=dt.date(2025, 8, 1))
    rows = query("CQ21", {"system": "kg:system/health-data-hub"}, kg)
    assert [(r["procurement"], r["cancelledOn"], r["awardedOn"], r["replacedBy"]) for r in rows] == [
        (str(KG["procurement/hdh-interim-2025"]), None, None, None)
    ]
    text = explain(kg, "kg:system/health-data-hub").text
    assert "Scaleway" not in text and "2026" not in text
