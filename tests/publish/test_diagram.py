"""``sovkg graph``: the DOT text of an ownership and exposure chain (exact), and its SVG and PNG renderings."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from publish_helpers import CHAIN, ROOT

from sovkg.core.errors import SovkgInputError
from sovkg.derive.knowledge_graph import KnowledgeGraph
from sovkg.publish.diagram import chain_dot, render

EXPECTED = ROOT / "tests" / "fixtures" / "publish" / "record-2020-06-01.dot"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


def test_dot_of_a_system_is_exactly_the_committed_one(chain_2020: KnowledgeGraph) -> None:
    """Record as of 2020-06-01: hosted by French Host (XC), which Old Owner (XA) controls with 60 % of the votes,
    and which subcontracts to Parent (XA); X Act binds both XA companies; the edges of the findings are red."""
    assert chain_dot(chain_2020, "Record") == EXPECTED.read_text(encoding="utf-8")


def test_dot_follows_the_date(chain: KnowledgeGraph, chain_2020: KnowledgeGraph) -> None:
    """If the stake ended on 2020-12-31 then the holder is in the 2020 diagram and not in the 2026 one."""
    old_owner = '"https://w3id.org/sovkg/id/org/old-owner"'
    assert old_owner in chain_dot(chain_2020, "French Host SAS")
    assert old_owner not in chain_dot(chain, "French Host SAS")
    assert "as of 2026-11-29" in chain_dot(chain, "French Host SAS")


def test_dot_of_an_organisation_goes_up_its_chain_with_stakes_and_laws(chain: KnowledgeGraph) -> None:
    dot = chain_dot(chain, "kg:org/sub")
    edges = {line.split(" [")[0].strip() for line in dot.splitlines() if " -> " in line and "legend:" not in line}
    assert edges == {
        '"https://w3id.org/sovkg/id/law/x-act" -> "https://w3id.org/sovkg/id/org/parent"',
        '"https://w3id.org/sovkg/id/org/holding" -> "https://w3id.org/sovkg/id/org/sub"',
        '"https://w3id.org/sovkg/id/org/parent" -> "https://w3id.org/sovkg/id/org/holding"',
        '"https://w3id.org/sovkg/id/org/sub" -> "https://w3id.org/sovkg/id/system/platform"',
    }
    assert 'label="100 % capital\\ncontrols"' in dot
    assert 'label="control right"' in dot


def test_dot_speaks_french(chain: KnowledgeGraph) -> None:
    dot = chain_dot(chain, "Platform", lang="fr")
    assert "détention et exposition, au 2026-11-29" in dot
    assert 'label="héberge"' in dot and 'label="s’applique à"' in dot and '<B>Légende</B>' in dot


def test_dot_links_nodes_when_asked(chain: KnowledgeGraph) -> None:
    dot = chain_dot(chain, "Platform", href=lambda iri: "pages/" + iri.rsplit("/", 1)[-1] + ".html")
    assert 'URL="pages/platform.html"' in dot and 'URL="pages/x-act.html"' in dot


def test_a_law_has_no_diagram(chain: KnowledgeGraph) -> None:
    with pytest.raises(SovkgInputError, match="drawn around a system or an organisation"):
        chain_dot(chain, "X Act")


def test_svg_is_well_formed_xml_with_one_node_per_entity(chain_2020: KnowledgeGraph) -> None:
    svg = render(chain_dot(chain_2020, "Record"), "svg")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    titles = {t.text for g in root.iter(f"{SVG}g") if g.get("class") == "node" for t in g.iter(f"{SVG}title")}
    assert {"https://w3id.org/sovkg/id/system/record", "https://w3id.org/sovkg/id/org/old-owner",
            "https://w3id.org/sovkg/id/law/x-act"} <= titles


def test_png_has_the_png_signature(chain: KnowledgeGraph) -> None:
    assert render(chain_dot(chain, "Platform"), "png").startswith(PNG_MAGIC)


def test_unknown_render_format_is_refused() -> None:
    with pytest.raises(SovkgInputError, match="unknown diagram format 'pdf'"):
        render("digraph {}", "pdf")


def sovkg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ}
    return subprocess.run([sys.executable, "-m", "sovkg", *args], capture_output=True, cwd=cwd, env=env,
                          timeout=300, check=False)


def test_cli_graph_writes_each_format(tmp_path: Path) -> None:
    common = ["--no-case", "--data", str(CHAIN), "--at", "2020-06-01"]
    dot = sovkg("graph", "Record", "--format", "dot", *common)
    assert dot.returncode == 0, dot.stderr
    assert dot.stdout.decode("utf-8") == EXPECTED.read_text(encoding="utf-8")
    out = tmp_path / "record.png"
    png = sovkg("graph", "Record", "--format", "png", "-o", str(out), *common)
    assert png.returncode == 0 and png.stdout == b"", png.stderr
    assert out.read_bytes().startswith(PNG_MAGIC)
    svg = sovkg("graph", "kg:org/french-host", "--lang", "fr", *common)
    assert svg.returncode == 0, svg.stderr
    assert ET.fromstring(svg.stdout).tag == f"{SVG}svg"
    texts = {t.text for t in ET.fromstring(svg.stdout).iter(f"{SVG}text")}
    assert "French Host SAS — détention et exposition, au 2020-06-01" in texts
