"""``sovkg report --html``: one self-contained page with the matrix, the findings with their diagrams and
evidence, the rules, the sources and the date, in English or French."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from publish_helpers import CHAIN, ROOT, links, remote_resources, table_rows

from sovkg.derive.knowledge_graph import KnowledgeGraph
from sovkg.publish.html_report import html_report, write_html_report

CLOUD_ACT = "https://w3id.org/sovkg/id/law/us-cloud-act"


@pytest.fixture(scope="module")
def report_en(case: KnowledgeGraph) -> str:
    return html_report(case, lang="en")


@pytest.fixture(scope="module")
def report_fr(case: KnowledgeGraph) -> str:
    return html_report(case, lang="fr")


def test_matrix_of_the_case_in_english(report_en: str) -> None:
    assert table_rows(report_en, "matrix") == [
        ["System", "CLOUD Act", "FISA 702"],
        ["Assurance Maladie claims database (SNIIRAM)", "flow", "flow"],
        ["EMC2 health data warehouse", "control", "control"],
        ["Health Data Hub platform", "control", "control"],
        ["Historic shared medical record (DMP)", "unknown", "–"],
        ["Illustrative GHT clinical data warehouse (self-hosted)", "–", "–"],
        ["Illustrative hospital clinical data warehouse (externally hosted)", "flow", "flow"],
        ["Mon espace santé (personal health space)", "unknown", "–"],
        ["Mon espace santé secure messaging", "–", "–"],
        ["National Health Data System (SNDS)", "flow", "flow"],
    ]


def test_matrix_of_the_case_in_french(report_fr: str) -> None:
    rows = table_rows(report_fr, "matrix")
    assert rows[0] == ["Système", "CLOUD Act", "FISA 702"]
    assert ["Plateforme des données de santé", "contrôle", "contrôle"] in rows
    assert ["Entrepôt de données de santé EMC2", "contrôle", "contrôle"] in rows
    assert ["Système national des données de santé", "flux", "flux"] in rows
    assert ["Mon espace santé", "inconnu", "–"] in rows
    assert '<html lang="fr">' in report_fr
    assert "au 2026-11-29" in report_fr and "Constats d’exposition" in report_fr


def test_each_exposed_system_has_its_diagram_and_each_step_its_sources(report_en: str) -> None:
    # EMC2 and the Health Data Hub (control), SNIIRAM, SNDS and the hospital warehouse (flow), DMP and
    # Mon espace santé (unknown, through Octo Technology)
    assert report_en.count("<svg") == 7
    assert report_en.count('<article class="finding"') == 7
    assert "Health Data Hub platform is exposed to US CLOUD Act (18 U.S.C. § 2713) at level “control”." in report_en
    assert ("Mon espace santé (personal health space): exposure to US CLOUD Act (18 U.S.C. § 2713) can be neither "
            "confirmed nor ruled out (level “group-presence” if confirmed).") in report_en
    assert "whether Octo Technology can technically reach the data is not recorded" in report_en
    hrefs = links(report_en)
    assert "https://www.conseil-etat.fr/fr/arianeweb/CE/decision/2024-03-22/492369" in hrefs  # a source of a step
    assert CLOUD_ACT in hrefs  # entities link to their IRIs


def test_violations_and_warnings_are_listed(report_en: str) -> None:
    """Compliance findings, one per system, rule and cause, then the count of data-quality notes."""
    assert "<h3>Violations (4)</h3>" in report_en
    assert "Particularly sensitive public data is exposed to US CLOUD Act (18 U.S.C. § 2713)" in report_en
    assert "<h3>Warnings (30)</h3>" in report_en
    assert ('id="data-quality">Data-quality notes (sources, seats, dates): 64; list them with '
            "<code>sovkg validate --kind data-quality</code>.</p>") in report_en


def test_report_is_self_contained_and_printable(report_en: str, report_fr: str) -> None:
    for page in (report_en, report_fr):
        assert remote_resources(page) == []
        assert "<script" not in page
        assert "@media print" in page and "@page" in page
    assert "as of 2026-11-29" in report_en


def test_report_of_a_small_graph(chain: KnowledgeGraph) -> None:
    page = html_report(chain, lang="en", diagrams=False)
    assert table_rows(page, "matrix") == [["System", "X Act"], ["Platform", "control"], ["Record", "subcontractor"]]
    assert "diagram not drawn" in page
    assert "without the French case" in page


def test_write_html_report_refuses_a_file(chain: KnowledgeGraph, tmp_path: Path) -> None:
    from sovkg.core.errors import SovkgInputError

    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(SovkgInputError, match="exists and is not a folder"):
        write_html_report(chain, target)
    assert target.read_text() == "x"


def test_cli_report_html(tmp_path: Path) -> None:
    out = tmp_path / "html"
    env = {**os.environ, "SOVKG_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "sovkg", "report", "--no-case", "--data", str(CHAIN),
                          "--at", "2026-11-29", "--html", str(out), "--lang", "fr"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert f"sovkg: wrote {out / 'report.html'}" in run.stderr
    assert "Exposure to foreign access laws" in run.stdout  # the terminal report is still printed
    page = (out / "report.html").read_text(encoding="utf-8")
    # the reference laws that reach through control are unknown for Record: French Host's owners are not recorded
    assert table_rows(page, "matrix") == [["Système", "CLOUD Act", "FISA 702", "X Act"], ["Platform", "–", "–", "contrôle"],
                                          ["Record", "inconnu", "inconnu", "sous-traitant"]]
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
