"""Hypothetical scenarios (docs/scenarios.md) and ``sovkg diff``.

Each shipped scenario changes exactly what it should: the findings and violations after it are
listed in full below, as of 2026-11-29, and so are the warnings it makes appear or disappear. The
CLI applies ``--scenario`` to every command, refuses bad scenarios with exit code 2 (file and line,
or file and triple), never serves a baseline report from the cache for a scenario run, and
``sovkg diff`` compares two dates or the baseline with a scenario.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV

from sovkg.ask.diff import diff_reports, render_diff
from sovkg.ask.queries import list_queries, result_rows, run_query_oxigraph
from sovkg.check.shapes import validate
from sovkg.core.namespaces import INFERRED_GRAPH, SOV
from sovkg.derive.knowledge_graph import build
from sovkg.load.inputs import bundled_files
from sovkg.load.scenario import Scenario, read_scenario, shipped_scenarios
from sovkg.publish.report import build_report
from sovkg.store.oxigraph import to_oxigraph

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "scenarios"
FIXTURES = ROOT / "tests" / "fixtures" / "scenario"
AS_OF = dt.date(2026, 11, 29)
MIGRATION = "data/scenarios/hdh-moves-to-secnumcloud-provider.trig"

KG = "https://w3id.org/sovkg/id/"
SHAPES = "https://w3id.org/sovkg/ontology/"

Finding = tuple[str, str, str]
"""(system, law, level), IRIs without ``kg:``."""
Result = tuple[str, str, str | None]
"""(focus without ``kg:``, source shape without the ontology base, value without ``kg:``)."""


def short(iri: str | None) -> str | None:
    if iri is None:
        return None
    for base in (KG, SHAPES):
        if iri.startswith(base):
            return iri[len(base):]
    return iri


# ------------------------------------------------------------------------------- expected effects

CLOUD, FISA = "law/us-cloud-act", "law/us-fisa-702"
HDH, EMC2 = "system/health-data-hub", "system/emc2"

BASELINE_FINDINGS: set[Finding] = {
    (EMC2, CLOUD, "control"), (EMC2, FISA, "control"),
    (HDH, CLOUD, "control"), (HDH, FISA, "control"),
}
"""The bundled case as of 2026-11-29."""

SREN_OFFER = "sren/shapes#QualifiedOffer"
SREN_EXPOSED = "sren/shapes#SensitivePublicSystemShape"
EMC2_SREN_VIOLATIONS: set[Result] = {
    ("hosting/emc2-microsoft-azure", SREN_OFFER, None),
    (EMC2, SREN_EXPOSED, CLOUD),
    (EMC2, SREN_EXPOSED, FISA),
}
"""EMC2 is particularly sensitive like the HDH (same GIP controller, SNDS-derived data; audit 2026-12)."""
BASELINE_VIOLATIONS: set[Result] = {
    ("hosting/health-data-hub-microsoft-azure", SREN_OFFER, None),
    (HDH, SREN_EXPOSED, CLOUD),
    (HDH, SREN_EXPOSED, FISA),
} | EMC2_SREN_VIOLATIONS

NO_ACTIVITY = "hds/shapes#ActivitiesStated"
LAPSED = "hds/shapes#ProviderCertificateLapsed"
UNDISCLOSED = "hds/shapes#ThirdCountryLawDisclosureUnknown"
CNIL = "cnil/shapes#ExposedHealthSystem"
NOT_ACCEPTED = "validity/shapes#OfferCertificationNoLongerAccepted"
HOLDER_SEAT = "secnumcloud/shapes#HolderSeatKnown"
OVH_QUALIFICATIONS = ("cert/ovhcloud-bare-metal-pod-secnumcloud", "cert/ovhcloud-hosted-private-cloud-secnumcloud")
OVH_NON_EU = "derived/jurisdiction-ownership/scope/non-eu/org/ovhcloud"


def _azure(hosting: str, system: str) -> set[Result]:
    """The warnings an in-effect Azure arrangement of a health system carries on 2026-11-29."""
    return {
        (hosting, UNDISCLOSED, CLOUD), (hosting, UNDISCLOSED, FISA), (hosting, NO_ACTIVITY, None),
        (hosting, LAPSED, "org/microsoft-ireland-operations"),
        (hosting, NOT_ACCEPTED, "cert/microsoft-ireland-operations-hds"),
        (system, CNIL, CLOUD), (system, CNIL, FISA),
    }


AZURE_HDH_WARNINGS = _azure("hosting/health-data-hub-microsoft-azure", HDH)
AZURE_EMC2_WARNINGS = _azure("hosting/emc2-microsoft-azure", EMC2)


def _exposed_through_atos(system: str, hosting: str) -> set[Result]:
    return {(system, CNIL, CLOUD), (system, CNIL, FISA), (hosting, UNDISCLOSED, CLOUD), (hosting, UNDISCLOSED, FISA)}


EXPECTED: dict[str, dict[str, Any]] = {
    "hdh-moves-to-secnumcloud-provider": {
        "findings": BASELINE_FINDINGS - {(HDH, CLOUD, "control"), (HDH, FISA, "control")},
        "violations": EMC2_SREN_VIOLATIONS,
        "warnings_appear": {
            ("hosting/health-data-hub-ovhcloud-secnumcloud-hypothetical", NO_ACTIVITY, None),
            ("hosting/health-data-hub-ovhcloud-secnumcloud-hypothetical", LAPSED, "org/ovhcloud"),
        },
        "warnings_disappear": AZURE_HDH_WARNINGS,
    },
    "hdh-moves-to-scaleway-as-planned": {
        "findings": BASELINE_FINDINGS - {(HDH, CLOUD, "control"), (HDH, FISA, "control")},
        # Scaleway Cloud holds no SecNumCloud qualification in the case: SREN art. 31 is still broken.
        "violations": {("hosting/health-data-hub-scaleway", SREN_OFFER, None)} | EMC2_SREN_VIOLATIONS,
        # Scaleway's HDS certificate states no referential: like a 2018 one, its renewal is unknown after 2026-05-16.
        "warnings_appear": {("hosting/health-data-hub-scaleway", NO_ACTIVITY, None),
                            ("hosting/health-data-hub-scaleway", LAPSED, "org/scaleway")},
        "warnings_disappear": AZURE_HDH_WARNINGS,
    },
    # The fund (30 %) does not control OVHcloud, so no law reaches OVHcloud through control; but the
    # non-EU holders now exceed SecNumCloud 3.2 §19.6.b (30 % > 24 % alone, 46 % > 39 % together) on
    # both of OVHcloud's qualifications, and the system OVHcloud hosts is exposed at level `influence`.
    "us-investor-above-thresholds": {
        "findings": BASELINE_FINDINGS | {
            ("system/hospital-clinical-data-warehouse", CLOUD, "influence"),
            ("system/hospital-clinical-data-warehouse", FISA, "influence"),
        },
        "violations": BASELINE_VIOLATIONS | {
            (cert, shape, value) for cert in OVH_QUALIFICATIONS for shape, value in (
                ("secnumcloud/shapes#NonEuHolderIndividual", "org/hypothetical-us-cloud-fund"),
                ("secnumcloud/shapes#NonEuHoldersCollective", OVH_NON_EU))
        },
        # No seat is asked of the Klaba family (natural persons), before or after.
        "warnings_appear": {
            ("system/hospital-clinical-data-warehouse", CNIL, CLOUD),
            ("system/hospital-clinical-data-warehouse", CNIL, FISA),
        },
        "warnings_disappear": {
            (cert, "secnumcloud/shapes#NonEuHoldersCollectiveUnknownShare", OVH_NON_EU) for cert in OVH_QUALIFICATIONS
        },
    },
    "parent-bought-by-non-eu-group": {
        "findings": BASELINE_FINDINGS | {
            (system, law, "control")
            for system in ("system/mon-espace-sante", "system/mon-espace-sante-messagerie", "system/dmp-historique")
            for law in (CLOUD, FISA)
        },
        "violations": BASELINE_VIOLATIONS,
        "warnings_appear": _exposed_through_atos("system/mon-espace-sante", "hosting/mon-espace-sante-atos")
        | _exposed_through_atos("system/mon-espace-sante-messagerie",
                                "hosting/mon-espace-sante-messagerie-atos-infogerance")
        | _exposed_through_atos("system/dmp-historique", "hosting/dmp-historique-santeos"),
        "warnings_disappear": set(),
    },
    "plain-example-emc2-warehouse-closed": {
        "findings": BASELINE_FINDINGS - {(EMC2, CLOUD, "control"), (EMC2, FISA, "control")},
        "violations": BASELINE_VIOLATIONS - EMC2_SREN_VIOLATIONS,
        "warnings_appear": set(),
        "warnings_disappear": AZURE_EMC2_WARNINGS,
    },
}
"""Per shipped scenario, as of 2026-11-29: the findings and violations after it, and the warnings it
makes appear or disappear."""


# ----------------------------------------------------------------------------------------- helpers


@cache
def report(scenario: str | None = None, day: dt.date = AS_OF) -> dict[str, Any]:
    """The report JSON of the bundled case (with a scenario), as ``sovkg report --format json`` has it."""
    kg = build(as_of=day, scenario=scenario)
    data = dict(build_report(kg, case_included=True, user_inputs=[]).data)
    data["scenario"] = kg.scenario.to_json() if kg.scenario else None
    return data


def findings(data: dict[str, Any]) -> set[Finding]:
    """The exposed findings through hosting (the scenarios change hosting and ownership; the ``flow`` findings that
    follow from them and the ``unknown`` ones are tested in tests/test_case.py and tests/derive/test_judgement.py)."""
    return {(str(short(f["system"])), str(short(f["law"])), f["level"]) for f in data["findings"]
            if f.get("status", "exposed") == "exposed" and f["level"] != "flow"}


def results(data: dict[str, Any], severity: str) -> set[Result]:
    return {(str(short(r["focus"])), str(short(r["source_shape"])), short(r["value"]))
            for r in data["validation"]["results"] if r["severity"] == severity}


def as_list(items: Any) -> list[Result]:
    return [(str(short(r.focus)), str(short(r.source_shape)), short(r.value)) for r in items]


def as_results(items: Any) -> set[Result]:
    found = as_list(items)
    assert len(set(found)) == len(found), "two results differ only in their path: compare with as_list"
    return set(found)


def sovkg(*args: str, cache_dir: Path | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if cache_dir is not None:
        env["SOVKG_CACHE_DIR"] = str(cache_dir)
    return subprocess.run([sys.executable, "-m", "sovkg", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600, check=False)


# ------------------------------------------------------------------------------- shipped scenarios


def test_the_shipped_scenarios_collected_are_the_ones_tested() -> None:
    assert shipped_scenarios(), "no scenario found in data/scenarios"
    assert set(shipped_scenarios()) == set(EXPECTED)


def test_scenarios_are_not_loaded_by_default() -> None:
    """data/scenarios/ is outside the bundled folders (ontology/, data/reference/, data/case/)."""
    files = bundled_files()
    assert files
    assert not [f for f in files if "scenarios" in f.path.parts]
    assert not [f for f in files if f.path.is_relative_to(SHIPPED)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_scenario_is_labelled_hypothetical_and_its_facts_are_sourced(name: str) -> None:
    """Label and description say "hypothetical"; every node the scenario types cites it as its source,
    is marked sov:hypothetical, low confidence and hypothetical or fictional in its label."""
    scenario = read_scenario(name)
    assert scenario.label.startswith("Hypothetical: ")
    assert scenario.description.startswith("HYPOTHETICAL.")
    added = {(s, p, o) for s, p, o in scenario.additions}
    node = URIRef(scenario.iri)
    assert scenario.iri == f"{KG}scenario/{name}"
    assert (node, SOV.hypothetical, Literal(True)) in added
    typed = {s for s, p, o in added if str(p).endswith("#type") and s != node}
    for fact in typed:
        assert (fact, SOV.source, node) in added, fact
        assert (fact, SOV.hypothetical, Literal(True)) in added, fact
        assert (fact, SOV.confidence, SOV.LowConfidence) in added, fact
        labels = [str(o) for s, p, o in added if s == fact and str(p).endswith("#label")]
        assert labels and all("hypothetical" in t or "fictional" in t for t in labels), labels


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_scenario_changes_exactly_its_findings_and_violations(name: str) -> None:
    before, after = report(), report(name)
    assert findings(before) == BASELINE_FINDINGS
    assert results(before, "Violation") == BASELINE_VIOLATIONS
    assert findings(after) == EXPECTED[name]["findings"]
    assert results(after, "Violation") == EXPECTED[name]["violations"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_scenario_changes_exactly_its_warnings(name: str) -> None:
    diff = diff_reports(report(), report(name))
    # compared as sets of (focus, shape, value): two consortium members bound by one law warn twice on one arrangement
    assert set(as_list(diff.warnings_added)) == EXPECTED[name]["warnings_appear"]
    assert set(as_list(diff.warnings_removed)) == EXPECTED[name]["warnings_disappear"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_scenario_passes_the_hygiene_checks(name: str) -> None:
    """No hygiene check (queries/checks) finds an ERROR in the case with the scenario applied (run on
    Oxigraph, which test_checks.py proves gives the same rows as rdflib)."""
    store = to_oxigraph(build(as_of=AS_OF, scenario=name).dataset)
    checks = list_queries("checks")
    assert checks
    errors = [row["message"] for spec in checks for row in result_rows(run_query_oxigraph(store, spec))
              if (row["message"] or "").startswith("ERROR:")]
    assert not errors, "\n".join(sorted(str(e) for e in errors))


def test_the_migration_leaves_the_past_alone() -> None:
    """The scenario starts on 2026-10-01: as of 2022-01-01 it changes no finding and no violation."""
    before, after = report(None, dt.date(2022, 1, 1)), report("hdh-moves-to-secnumcloud-provider", dt.date(2022, 1, 1))
    assert findings(after) == findings(before) == {(HDH, CLOUD, "control"), (HDH, FISA, "control")}
    assert results(after, "Violation") == results(before, "Violation")


# ------------------------------------------------------------------------------------ applying


def test_additions_go_to_their_own_graph_and_removals_leave_every_asserted_graph() -> None:
    """The Scaleway scenario removes sov:planned true from data/case/hosting.ttl's graph and adds to
    graph/scenario/<name>; the inferred graph is derived from the scenario graph."""
    kg = build(as_of=AS_OF, scenario="hdh-moves-to-scaleway-as-planned")
    arrangement = URIRef(KG + "hosting/health-data-hub-scaleway")
    planned = (arrangement, SOV.planned, Literal(True))
    graph = URIRef("https://w3id.org/sovkg/graph/scenario/hdh-moves-to-scaleway-as-planned")
    assert kg.scenario is not None and kg.scenario.graph == graph
    assert not [g.identifier for g in kg.dataset.graphs() if planned in g]
    added = kg.dataset.graph(graph)
    assert (arrangement, SOV.offer, URIRef(KG + "offer/scaleway-cloud")) in added
    assert (URIRef(kg.scenario.iri), SOV.hypothetical, Literal(True)) in added
    assert (arrangement, SOV.inEffect, Literal(True)) in kg.inferred
    assert (INFERRED_GRAPH, PROV.wasDerivedFrom, graph) in kg.inferred
    assert planned in build(as_of=AS_OF).dataset.graph(URIRef(
        "https://w3id.org/sovkg/graph/data/case/hosting.ttl"))


def test_a_scenario_can_be_built_from_any_triples() -> None:
    """A Scenario made in Python (no file) applies the same way; its content is in the validation cache key."""
    azure = URIRef(KG + "hosting/health-data-hub-microsoft-azure")
    scenario = Scenario(
        name="azure-ends", iri=KG + "scenario/azure-ends", label="Hypothetical: Azure ends",
        description="HYPOTHETICAL.", origin=Path("<python>"),
        additions=((azure, SOV.validUntil, Literal("2026-09-30", datatype=URIRef(
            "http://www.w3.org/2001/XMLSchema#date"))),),
    )
    kg = build(as_of=AS_OF, scenario=scenario)
    baseline = build(as_of=AS_OF)
    assert kg.cache_key("validation") != baseline.cache_key("validation")
    assert {(short(f.system), short(f.law)) for f in kg.findings
            if f.status == "exposed" and f.level != "flow"} == {(EMC2, CLOUD), (EMC2, FISA)}
    violated = {short(r.focus) for r in validate(kg).violations}
    assert violated == {EMC2, "hosting/emc2-microsoft-azure"}  # EMC2 still breaks SREN art. 31
    assert {short(r.focus) for r in validate(baseline).violations} > violated


def test_plain_folder_removals_csv() -> None:
    """removals.csv takes one triple out: the Health Data Hub is no longer particularly sensitive, so its
    three SREN art. 31 violations go (EMC2's stay), and its exposure stays."""
    after = report(str(FIXTURES / "plain-hdh-not-sensitive"))
    assert findings(after) == BASELINE_FINDINGS
    assert results(after, "Violation") == EMC2_SREN_VIOLATIONS
    assert after["scenario"]["name"] == "plain-hdh-not-sensitive"
    assert after["scenario"]["iri"] == KG + "scenario/plain-hdh-not-sensitive"


# ------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize("fixture, message", [
    ("absent-removal.trig", "tests/fixtures/scenario/absent-removal.trig: removal of a triple that is not in "
                            "the graph: kg:hosting/health-data-hub-scaleway sov:planned false"),
    ("broken.trig", "tests/fixtures/scenario/broken.trig:15:"),
    ("stray-default.trig", "tests/fixtures/scenario/stray-default.trig: the default graph holds only the "
                           "scenario's description"),
    ("retract-unknown.trig", "retraction of kg:hosting/health-data-hub-microsft-azure, which no asserted "
                             "triple mentions"),
    ("plain-bad-curie", "tests/fixtures/scenario/plain-bad-curie/removals.csv:3: 'kgg:system/emc2' is not"),
])
def test_a_bad_scenario_exits_2_naming_the_file(fixture: str, message: str, tmp_path: Path) -> None:
    command = "diff" if fixture.endswith(".trig") else "report"
    run = sovkg(command, "--scenario", f"tests/fixtures/scenario/{fixture}", "--at", "2026-11-29",
                cache_dir=tmp_path)
    assert run.returncode == 2, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["report", "--scenario", "no-such-scenario"], "no-such-scenario: no such file or directory (shipped scenarios: "),
    (["report", "--scenario", "README.md"], "README.md: a scenario is a .trig file or a folder"),
    (["diff", "--at", "2026-11-29"], "diff needs --scenario FILE"),
    (["diff", "--at", "2026-11-29", "--against-at", "2026-02-30"], "'2026-02-30' is not a date"),
])
def test_bad_scenario_arguments_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    run = sovkg(*args, cache_dir=tmp_path)
    assert run.returncode == 2, run.stderr
    assert message in run.stderr


def test_a_removal_of_a_case_triple_without_the_case_is_an_error(tmp_path: Path) -> None:
    run = sovkg("exposure", "--no-case", "--scenario", "hdh-moves-to-scaleway-as-planned", "--at", "2026-11-29",
                cache_dir=tmp_path)
    assert run.returncode == 2
    assert "hdh-moves-to-scaleway-as-planned.trig: removal of a triple that is not in the graph: " \
           "kg:hosting/health-data-hub-scaleway sov:planned true" in run.stderr


# --------------------------------------------------------------------------------- every command


def test_report_with_a_scenario_says_it_is_hypothetical(tmp_path: Path) -> None:
    run = sovkg("report", "--scenario", MIGRATION, "--at", "2026-11-29", cache_dir=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "sovkg report — as of 2026-11-29 (French health-data case)"
    assert lines[1] == ("HYPOTHETICAL SCENARIO: the Health Data Hub moves to a SecNumCloud-qualified French provider "
                        f"[{MIGRATION}]. Its facts are supposed, not recorded.")
    assert "Compliance findings: 2 violations" in run.stdout  # EMC2's SREN art. 31 findings; the HDH's are gone
    data = json.loads(sovkg("report", "--format", "json", "--scenario", MIGRATION, "--at", "2026-11-29",
                            cache_dir=tmp_path).stdout)
    assert data["scenario"]["hypothetical"] is True
    assert data["scenario"]["label"].startswith("Hypothetical: ")
    assert data["scenario"]["graph"] == "https://w3id.org/sovkg/graph/scenario/hdh-moves-to-secnumcloud-provider"
    assert findings(data) == EXPECTED["hdh-moves-to-secnumcloud-provider"]["findings"]


def test_exposure_with_a_scenario(tmp_path: Path) -> None:
    args = ("exposure", "--format", "json", "--system", "kg:system/health-data-hub", "--at", "2026-11-29")
    baseline = sovkg(*args, cache_dir=tmp_path)
    run = sovkg(*args, "--scenario", MIGRATION, cache_dir=tmp_path)
    assert baseline.returncode == run.returncode == 0, run.stderr
    assert len(json.loads(baseline.stdout)) == 2
    assert json.loads(run.stdout) == []
    assert "HYPOTHETICAL SCENARIO" in run.stderr and "HYPOTHETICAL" not in baseline.stderr


def test_validate_with_a_scenario(tmp_path: Path) -> None:
    """The case breaks SREN art. 31 (exit 1); after the Health Data Hub's migration only EMC2 (same GIP,
    still on Azure) breaks it."""
    assert sovkg("validate", "--at", "2026-11-29", cache_dir=tmp_path).returncode == 1
    run = sovkg("validate", "--format", "json", "--scenario", MIGRATION, "--at", "2026-11-29", cache_dir=tmp_path)
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    assert data["conforms"] is False
    assert {r["focus"] for r in data["results"] if r["severity"] == "Violation"} == {
        KG + EMC2, KG + "hosting/emc2-microsoft-azure"}


def test_query_with_a_scenario(tmp_path: Path) -> None:
    args = ("query", "CQ01", "--param", "law=kg:law/us-cloud-act", "--format", "json", "--at", "2026-11-29")
    systems = {b["system"]["value"] for b in json.loads(sovkg(*args, "--scenario", MIGRATION,
                                                               cache_dir=tmp_path).stdout)["results"]["bindings"]}
    # the SNDS (and the SNIIRAM that feeds it) stay exposed through the copy of SNDS data in EMC2
    assert systems == {KG + EMC2, KG + "system/snds", KG + "system/sniiram"}


def test_explain_with_a_scenario(tmp_path: Path) -> None:
    """A node the scenario adds can be explained, with the scenario as its source."""
    entity = "kg:hosting/health-data-hub-ovhcloud-secnumcloud-hypothetical"
    assert sovkg("explain", entity, "--at", "2026-11-29", cache_dir=tmp_path).returncode == 2
    run = sovkg("explain", entity, "--scenario", MIGRATION, "--at", "2026-11-29", cache_dir=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "source: sovkg scenario: the Health Data Hub moves to a SecNumCloud-qualified French provider " \
           "(hypothetical), 2026-11-29 <https://w3id.org/sovkg/> [low confidence]" in run.stdout


def test_export_with_a_scenario_keeps_its_graph(tmp_path: Path) -> None:
    target = tmp_path / "graph.trig"
    run = sovkg("export", "--format", "trig", "-o", str(target), "--scenario", MIGRATION, "--at", "2026-11-29",
                cache_dir=tmp_path)
    assert run.returncode == 0, run.stderr
    graph = "https://w3id.org/sovkg/graph/scenario/hdh-moves-to-secnumcloud-provider"
    quads = list(ox.parse(path=str(target), format=ox.RdfFormat.TRIG))
    names = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert graph in names
    assert any(q.subject.value == "https://w3id.org/sovkg/graph/inferred"
               and q.predicate.value == str(PROV.wasDerivedFrom) and q.object.value == graph for q in quads)


# ------------------------------------------------------------------------------------------ cache


def test_the_cache_never_serves_a_baseline_report_for_a_scenario_run(tmp_path: Path) -> None:
    """Baseline first, then the scenario, then the scenario edited: three cache entries, three answers."""
    cache_dir = tmp_path / "cache"
    args = ("report", "--format", "json", "--at", "2026-11-29")
    baseline = json.loads(sovkg(*args, cache_dir=cache_dir).stdout)
    scenario = tmp_path / "moves.trig"
    shutil.copy(ROOT / MIGRATION, scenario)
    first = json.loads(sovkg(*args, "--scenario", str(scenario), cache_dir=cache_dir).stdout)
    assert baseline["scenario"] is None and first["scenario"]["name"] == "moves"
    assert findings(first) != findings(baseline)
    assert len(list(cache_dir.glob("*.json"))) >= 2
    again = json.loads(sovkg(*args, "--scenario", str(scenario), cache_dir=cache_dir).stdout)
    assert again == first
    scenario.write_text(scenario.read_text(encoding="utf-8").replace('"2026-10-01"', '"2026-12-01"').replace(
        '"2026-09-30"', '"2026-11-30"'), encoding="utf-8")
    edited = json.loads(sovkg(*args, "--scenario", str(scenario), cache_dir=cache_dir).stdout)
    assert findings(edited) == findings(baseline), "the move now starts after the date asked: no change"


# ------------------------------------------------------------------------------------------- diff


def test_diff_against_the_migration_removes_the_cloud_act_exposure_and_the_sren_violations(tmp_path: Path) -> None:
    run = sovkg("diff", "--scenario", MIGRATION, "--at", "2026-11-29", "--format", "json", cache_dir=tmp_path)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["before"] == {"as_of": "2026-11-29", "scenario": None}
    assert data["after"]["as_of"] == "2026-11-29"
    assert data["after"]["scenario"]["name"] == "hdh-moves-to-secnumcloud-provider"
    microsoft = [
        {"iri": KG + HDH, "label": "Health Data Hub platform"},
        {"iri": KG + "org/microsoft-ireland-operations", "label": "Microsoft Ireland Operations Limited (MIOL)"},
        {"iri": KG + "org/microsoft-ireland-research", "label": "Microsoft Ireland Research (MIR)"},
        {"iri": KG + "org/microsoft-corporation", "label": "Microsoft Corporation"},
    ]
    # the hospital warehouse's extracts go to the HDH: its flow findings disappear with the HDH's exposure
    flows = [f for f in data["findings"]["disappear"] if f["system"] != KG + HDH]
    assert {(short(f["system"]), short(f["law"]), f["before"]) for f in flows} == {
        ("system/hospital-clinical-data-warehouse", law, "flow") for law in (CLOUD, FISA)}
    data["findings"]["disappear"] = [f for f in data["findings"]["disappear"] if f["system"] == KG + HDH]
    assert data["findings"] == {
        "appear": [],
        "disappear": [
            {"system": KG + HDH, "system_label": "Health Data Hub platform", "law": KG + CLOUD,
             "law_label": "US CLOUD Act (18 U.S.C. § 2713)", "before": "control", "after": None,
             "path_before": microsoft, "path_after": [], "status_before": "exposed", "status_after": None,
             "kind": "disappears"},
            {"system": KG + HDH, "system_label": "Health Data Hub platform", "law": KG + FISA,
             "law_label": "US FISA section 702 (50 U.S.C. § 1881a)", "before": "control", "after": None,
             "path_before": microsoft, "path_after": [], "status_before": "exposed", "status_after": None,
             "kind": "disappears"},
        ],
        "change": [],
    }
    sren = KG + "requirement/sren-art-31-protected-cloud"
    PHASE_2 = (" (rests on phase 2 of loi SREN art. 31: criteria set by décret n° 2026-272 of 14 April 2026 (in force "
               "in April 2026, counted from the end of that month; transition deadlines for existing hosting not read)).")
    assert data["violations"]["appear"] == []
    assert [(r["focus"], r["requirement"], r["message"]) for r in data["violations"]["disappear"]] == [
        (KG + "hosting/health-data-hub-microsoft-azure", sren,
         "Health Data Hub platform holds particularly sensitive public data but this arrangement's offer holds no "
         "SecNumCloud 3.2 qualification in effect (loi SREN art. 31; rests on phase 2 of loi SREN art. 31: criteria "
         "set by décret n° 2026-272 of 14 April 2026 (in force in April 2026, counted from the end of that month; "
         "transition deadlines for existing hosting not read))."),
        (KG + HDH, sren, "Particularly sensitive public data is exposed to US CLOUD Act (18 U.S.C. § 2713) "
                         "(level: control); loi SREN art. 31 requires protection against access by third-state "
                         "authorities" + PHASE_2),
        (KG + HDH, sren, "Particularly sensitive public data is exposed to US FISA section 702 (50 U.S.C. § 1881a) "
                         "(level: control); loi SREN art. 31 requires protection against access by third-state "
                         "authorities" + PHASE_2),
    ]
    table = sovkg("diff", "--scenario", MIGRATION, "--at", "2026-11-29", cache_dir=tmp_path)
    assert table.returncode == 0
    assert "Exposure (strongest level per system and law): 4 disappear." in table.stdout
    assert "  - Health Data Hub platform — US CLOUD Act (18 U.S.C. § 2713) — control → not exposed" in table.stdout
    assert "Violations: 3 disappear." in table.stdout


def test_diff_between_two_dates(tmp_path: Path) -> None:
    """--at 2019-06-01 --against-at 2026-11-29, from the data's dates: the Health Data Hub's Azure
    arrangement holds from the end of 2019 (validFrom "2019"^^xsd:gYear), the EMC2 one from 2024-03-22;
    so both systems become exposed (control, through MIOL → MIR → Microsoft Corporation), the systems whose
    data flows to them too, and the SREN art. 31 violations of the Health Data Hub and of EMC2 (three each) appear with their arrangements."""
    run = sovkg("diff", "--at", "2019-06-01", "--against-at", "2026-11-29", "--format", "json", cache_dir=tmp_path)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["before"] == {"as_of": "2019-06-01", "scenario": None}
    assert data["after"] == {"as_of": "2026-11-29", "scenario": None}
    appear = {(short(f["system"]), short(f["law"]), f["after"], f["path_after"][-1]["label"])
              for f in data["findings"]["appear"]}
    assert appear == (
        {(s, law, "control", "Microsoft Corporation") for s in (EMC2, HDH) for law in (CLOUD, FISA)}
        | {("system/hospital-clinical-data-warehouse", law, "flow", "Microsoft Corporation") for law in (CLOUD, FISA)}
        | {(s, CLOUD, "group-presence", "Accenture plc") for s in ("system/mon-espace-sante", "system/dmp-historique")}
    )
    # The SNDS runs on Oracle Exadata (undated, so on both dates), and the SNIIRAM feeds it: unknown before
    # (whether Oracle can reach the data is not recorded), exposed through the flows to EMC2 and the HDH after.
    change = {(short(f["system"]), short(f["law"]), f["status_before"], f["before"], f["path_before"][-1]["label"],
               f["status_after"], f["after"], f["path_after"][-1]["label"]) for f in data["findings"]["change"]}
    assert change == {(s, law, "unknown", level, "Oracle Corporation", "exposed", "flow", "Microsoft Corporation")
                      for s, level in (("system/snds", "technology"), ("system/sniiram", "flow"))
                      for law in (CLOUD, FISA)}
    assert data["findings"]["disappear"] == []
    assert {(short(r["focus"]), short(r["source_shape"]), short(r["value"]))
            for r in data["violations"]["appear"]} == BASELINE_VIOLATIONS
    assert data["violations"]["disappear"] == []


def test_diff_between_two_dates_warnings_on_arrangements_and_systems() -> None:
    """The warnings about hosting arrangements and systems that appear between 2019-06-01 and
    2026-11-29, each from a dated fact: the Azure arrangements (Health Data Hub from the end of 2019,
    EMC2 from 2024-03-22); the Mon espace santé arrangements (the system and its messaging open on
    2022-02-03, no HDS activity stated); and the Santeos HDS certificate under the 2018 referential, no
    longer accepted in 2026. (OVHcloud's certificate, attested in October 2024 with no start recorded,
    is not known in 2019, so its hospital arrangement has the same warning on both dates.)
    (Warnings about qualifications, SecNumCloud §19.6, are left to that rule's own tests.)"""
    diff = diff_reports(report(None, dt.date(2019, 6, 1)), report())
    about = ("hosting/", "system/")
    added = [r for r in as_list(diff.warnings_added) if r[0].startswith(about)]
    removed = [r for r in as_list(diff.warnings_removed) if r[0].startswith(about)]
    assert removed == []
    assert Counter(added) == Counter([
        *AZURE_HDH_WARNINGS, *AZURE_EMC2_WARNINGS,
        ("hosting/mon-espace-sante-atos", NO_ACTIVITY, None),
        ("hosting/mon-espace-sante-messagerie-atos-infogerance", NO_ACTIVITY, None),
        ("hosting/dmp-historique-santeos", LAPSED, "org/santeos"),
        # Atos Infogérance's certificate states no referential: its renewal is unknown after 2026-05-16 too
        ("hosting/mon-espace-sante-atos", LAPSED, "org/atos-infogerance"),
        ("hosting/mon-espace-sante-messagerie-atos-infogerance", LAPSED, "org/atos-infogerance"),
        # Octo Technology (consortium member since 2020) is reached by the CLOUD Act through its group
        ("hosting/mon-espace-sante-atos", UNDISCLOSED, CLOUD),
        # ... and a member of the 2024 Mon espace santé-DMP consortium, which covers the historic DMP
        ("hosting/dmp-historique-santeos", UNDISCLOSED, CLOUD),
    ])


def test_the_health_data_hub_picture_is_historically_right() -> None:
    """2019-06-01: the GIP does not exist yet (arrêté of 29 Nov 2019), nothing is exposed or broken.
    2022-01-01: on Azure, exposed to the CLOUD Act and FISA 702 (control); SREN art. 31 not enacted yet.
    2026-11-29: exposed, and SREN art. 31 broken three times."""
    def hdh(data: dict[str, Any]) -> tuple[set[Finding], set[Result]]:
        return ({f for f in findings(data) if f[0] == HDH},
                {r for r in results(data, "Violation") if r[0] in (HDH, "hosting/health-data-hub-microsoft-azure")})

    assert hdh(report(None, dt.date(2019, 6, 1))) == (set(), set())
    assert hdh(report()) == ({(HDH, CLOUD, "control"), (HDH, FISA, "control")},
                             BASELINE_VIOLATIONS - EMC2_SREN_VIOLATIONS)
    assert hdh(report(None, dt.date(2022, 1, 1))) == ({(HDH, CLOUD, "control"), (HDH, FISA, "control")}, set())


def test_diff_reports_finds_a_level_change_and_nothing_in_equal_reports() -> None:
    def rep(level: str, via: str) -> dict[str, Any]:
        return {"as_of": "2026-11-29", "validation": {"conforms": True, "results": []}, "findings": [
            {"system": "s", "system_label": "S", "law": "l", "law_label": "L", "level": level,
             "path": [{"iri": "s", "label": "S"}, {"iri": via, "label": via.upper()}]},
            {"system": "s", "system_label": "S", "law": "l", "law_label": "L", "level": "technology",
             "path": [{"iri": "s", "label": "S"}, {"iri": "t", "label": "T"}]},
        ]}

    assert diff_reports(rep("control", "p"), rep("control", "p")).unchanged
    diff = diff_reports(rep("control", "p"), rep("subcontractor", "q"))
    assert [(f.kind, f.before, f.after, [p.label for p in f.path_after]) for f in diff.findings_changed] == [
        ("changes", "control", "subcontractor", ["S", "Q"])]
    assert "  ~ S — L — control → subcontractor" in render_diff(diff)


def test_a_plain_scenario_folder_can_be_made_of_csv_templates() -> None:
    """If a scenario folder holds filled-in CSV templates then their facts are added like RDF additions:
    the template example's clinic appears exposed to the CLOUD Act beside the French case."""
    folder = ROOT / "tests" / "fixtures" / "scenario" / "csv-templates"
    kg = build(scenario=str(folder), as_of=dt.date(2026, 11, 29))
    exposed = {(f.system_label, f.law.rsplit("/", 1)[-1], f.level) for f in kg.findings}
    assert ("Clinique du Parc patient records", "us-cloud-act", "control") in exposed
    assert ("Health Data Hub platform", "us-cloud-act", "control") in exposed
