"""``sovkg site DIR``: one page per minted IRI (with Turtle, JSON-LD and N-Triples beside it), an index,
the report, redirect rules; links that resolve inside the site; written all or nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from publish_helpers import CHAIN, ROOT, links, remote_resources
from rdflib import Graph
from rdflib.compare import isomorphic

from sovkg.core.errors import SovkgInputError
from sovkg.derive.knowledge_graph import KnowledgeGraph
from sovkg.publish import pages
from sovkg.publish.site import MARKER, describe, page_path, write_site

ID = "https://w3id.org/sovkg/id/"


@pytest.fixture(scope="module")
def site(chain: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    summary = write_site(chain, folder, lang="en", site_url="https://example.org/sovkg/")
    assert summary.pages == len(pages.minted_iris(chain))
    return folder


def test_one_page_and_three_rdf_files_per_minted_iri(chain: KnowledgeGraph, site: Path) -> None:
    iris = pages.minted_iris(chain)
    # the chain fixture's entities and the 12 derivation rules (known-on-date and group presence included); effective
    # ownership is derived for the hosting providers (Sub, French Host), not for Holding, which hosts nothing
    assert len(iris) == 53
    for iri in iris:
        path = page_path(str(iri))
        assert path is not None
        for ext in ("html", "ttl", "jsonld", "nt"):
            assert (site / f"{path}.{ext}").is_file(), (iri, ext)
    written = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert written == {page_path(str(i)) + ".html" for i in iris} | {"index.html", "report.html", "ontology/index.html"}


def test_every_link_inside_the_site_resolves(site: Path) -> None:
    checked = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert remote_resources(html) == [], page
        for href in links(html):
            if href.startswith(("http://", "https://", "#", "mailto:", "data:")):
                continue
            target = (page.parent / unquote(href.split("#")[0])).resolve()
            assert target.is_file(), (page.relative_to(site), href)
            checked += 1
    assert checked > 500


def test_rdf_files_describe_the_entity(chain: KnowledgeGraph, site: Path) -> None:
    """The Turtle, JSON-LD and N-Triples files of an entity hold the same graph: its statements and those
    pointing to it."""
    from rdflib import URIRef

    expected = describe(chain, URIRef(ID + "org/sub"))
    assert len(expected) == 26
    for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")):
        parsed = Graph().parse(site / f"id/org/sub.{ext}", format=fmt)
        assert isomorphic(parsed, expected), ext


def test_index_lists_every_entity(chain: KnowledgeGraph, site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    hrefs = set(links(index))
    assert {page_path(str(i)) + ".html" for i in pages.minted_iris(chain)} <= hrefs
    assert "report.html" in hrefs


def test_redirect_rules(site: Path) -> None:
    w3id = (site / "w3id" / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteRule ^id/(.+)\\.(html|ttl|jsonld|nt)$ https://example.org/sovkg/id/$1.$2 [R=303,L]" in w3id
    assert "RewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^id/(.+)$ https://example.org/sovkg/id/$1.ttl" in w3id
    assert ("RewriteCond %{HTTP_ACCEPT} application/ld\\+json\n"
            "RewriteRule ^id/(.+)$ https://example.org/sovkg/id/$1.jsonld") in w3id
    assert "RewriteRule ^id/(.+)$ https://example.org/sovkg/id/$1.html [R=303,L]" in w3id
    local = (site / ".htaccess").read_text(encoding="utf-8")
    assert "AddType text/turtle .ttl" in local and "RewriteRule ^(id/.+)$ $1.jsonld [L]" in local
    assert json.loads((site / MARKER).read_text())["pages"] == 53


def test_a_site_replaces_the_previous_one_whole(chain: KnowledgeGraph, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    write_site(chain, folder, diagrams=False)
    (folder / "id" / "stale.html").write_text("left over from an older graph")
    write_site(chain, folder, lang="fr", diagrams=False)
    assert not (folder / "id" / "stale.html").exists()
    assert '<html lang="fr">' in (folder / "id" / "org" / "sub.html").read_text(encoding="utf-8")
    assert not (folder / "w3id").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folder left


def test_a_failure_leaves_the_previous_site_untouched(chain: KnowledgeGraph, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "site"
    write_site(chain, folder, diagrams=False)
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    calls = {"n": 0}
    original = pages.entity_page

    def failing(*args: object, **kwargs: object) -> str:
        calls["n"] += 1
        if calls["n"] > 5:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pages, "entity_page", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        write_site(chain, folder, lang="fr", diagrams=False)
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_that_is_not_a_site_is_refused(chain: KnowledgeGraph, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SovkgInputError, match="not empty and not a site written by sovkg site"):
        write_site(chain, tmp_path, diagrams=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_cli_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    env = {**os.environ, "SOVKG_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "sovkg", "site", str(out), "--no-case", "--data", str(CHAIN),
                          "--at", "2026-11-29", "--no-diagrams"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    # the reference data (countries, laws, requirements…) is part of the graph without the French case
    first, second = run.stderr.splitlines()
    assert re.fullmatch(rf"sovkg: wrote (\d+) entity pages \((\d+) files\) to {re.escape(str(out))}", first)
    assert second.startswith("sovkg: no --site-url given, so no w3id/.htaccess")
    assert (out / "id" / "system" / "platform.html").is_file()


def test_vocabulary_and_ontology_iris_redirect_to_the_ontology(site: Path) -> None:
    from rdflib import OWL, RDF, RDFS, Literal, Namespace

    w3id = (site / "w3id" / ".htaccess").read_text(encoding="utf-8")
    assert ("RewriteCond %{HTTP_ACCEPT} text/turtle\n"
            "RewriteRule ^(ns|ontology(/.*)?)$ https://example.org/sovkg/ontology/sovkg.ttl [R=303,L]\n"
            "RewriteRule ^(ns|ontology(/.*)?)$ https://example.org/sovkg/ontology/index.html [R=303,L]\n") in w3id
    pattern = re.compile(r"^(ns|ontology(/.*)?)$")
    assert [bool(pattern.match(p)) for p in ("ns", "ontology", "ontology/core", "nsx", "id/org/sub")] == [
        True, True, True, False, False]
    assert (site / "ontology" / "index.html").read_bytes() == (ROOT / "docs" / "ontology" / "index.html").read_bytes()
    graph = Graph().parse(site / "ontology" / "sovkg.ttl", format="turtle")
    expected = Graph()
    for module in sorted((ROOT / "ontology").glob("*.ttl")):
        expected.parse(module, format="turtle")
    sov = Namespace("https://w3id.org/sovkg/ns#")
    assert len(graph) == len(expected) and (sov.ExposureFinding, RDF.type, OWL.Class) in graph
    assert (sov.ExposureFinding, RDFS.label, Literal("constat d'exposition", lang="fr")) in graph
