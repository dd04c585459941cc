"""A real browser (headless Chromium, Debian's ``chromium``) loads the HTML report and an entity page from
``file://``, renders them (``--dump-dom``: the page's DOM after loading), saves screenshots in the test's
folder and prints the report to PDF. Set ``SOVKG_SCREENSHOTS=DIR`` to also copy the screenshots there (``docs/screenshots/`` holds the
ones the README shows)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from sovkg.derive.knowledge_graph import KnowledgeGraph
from sovkg.publish.html_report import write_html_report
from sovkg.publish.pages import entity_page

pytestmark = pytest.mark.slow

WIDTH, HEIGHT = 1280, 1600


def chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    program = shutil.which("chromium") or shutil.which("chromium-browser")
    assert program, "headless Chromium is needed (Debian: apt-get install chromium)"
    return subprocess.run(
        [program, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True, text=True, timeout=180, check=False,
    )


def screenshot(page: Path, shot: Path, profile: Path) -> None:
    run = chromium(page, profile, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}")
    assert run.returncode == 0, run.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT)
    target = os.environ.get("SOVKG_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / shot.name)


def rendered(page: Path, profile: Path) -> str:
    run = chromium(page, profile, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def test_report_in_french_renders_in_chromium(case: KnowledgeGraph, tmp_path: Path) -> None:
    page = write_html_report(case, tmp_path / "report", lang="fr")
    dom = rendered(page, tmp_path / "profile")
    assert "<h1>Exposition de données sensibles aux lois d’accès étrangères</h1>" in dom
    assert dom.count("<svg") == 7  # 2 by control, 3 through data flows, 2 unknown (Octo Technology)
    screenshot(page, tmp_path / "report-fr.png", tmp_path / "profile")


def test_report_prints_to_pdf(chain: KnowledgeGraph, tmp_path: Path) -> None:
    """The browser's print to PDF (the print CSS: A4, no table of contents) gives a PDF."""
    page = write_html_report(chain, tmp_path / "report", lang="en")
    pdf = tmp_path / "report.pdf"
    run = chromium(page, tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert run.returncode == 0, run.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"/Type /Page" in data


def test_entity_page_renders_in_chromium(case: KnowledgeGraph, tmp_path: Path) -> None:
    page = tmp_path / "health-data-hub.html"
    page.write_text(entity_page(case, "https://w3id.org/sovkg/id/system/health-data-hub", "en"), encoding="utf-8")
    dom = rendered(page, tmp_path / "profile")
    assert "<h1>Health Data Hub platform</h1>" in dom and "<svg" in dom
    screenshot(page, tmp_path / "entity-health-data-hub.png", tmp_path / "profile")
