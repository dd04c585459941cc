"""The CLI as a user runs it: real subprocesses, exit codes, stdout/stderr, files written or not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parents[1]
CHAIN = str(ROOT / "tests/fixtures/derive/chain.ttl")
FIXTURE = ["--no-case", "--data", CHAIN, "--at", "2026-11-29"]


def sovkg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "sovkg", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=600, check=False)


# ------------------------------------------------------------------------------------- bad input


@pytest.fixture
def malformed(tmp_path: Path) -> Path:
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    return path


@pytest.mark.parametrize("command", ["report", "exposure", "validate", "explain X", "export --format ttl"])
def test_malformed_turtle_is_reported_with_file_and_line(command, malformed):
    run = sovkg(*command.split(), "--no-case", "--data", str(malformed))
    assert run.returncode == 2
    assert f"{malformed}:3:" in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["report", "--data", "does/not/exist.ttl"], "does/not/exist.ttl: no such file or directory"),
    (["query", "CQ99-nothing", "--no-case"], "CQ99-nothing"),
    (["explain", "Nobody At All", *FIXTURE], "'Nobody At All': no such entity"),
    (["exposure", "--at", "2026-13-01"], "'2026-13-01' is not a date"),
    (["exposure", "--data", "README.md"], "README.md: unsupported file type '.md'"),
    (["query", "CQ01", "--param", "law=not a curie", *FIXTURE], "not a curie"),
])
def test_bad_input_exits_2_with_a_clear_message(args, message):
    run = sovkg(*args)
    assert run.returncode == 2, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_unknown_option_is_a_usage_error():
    run = sovkg("report", "--frobnicate")
    assert run.returncode == 2
    assert "unrecognized arguments: --frobnicate" in run.stderr


def test_failed_export_leaves_the_existing_file_untouched(tmp_path, malformed):
    target = tmp_path / "out.ttl"
    target.write_text("previous content\n")
    run = sovkg("export", "--format", "ttl", "-o", str(target), "--no-case", "--data", str(malformed))
    assert run.returncode == 2
    assert target.read_text() == "previous content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ttl", "out.ttl"]


# ------------------------------------------------------------------------------------ outputs


def test_exposure_json_has_the_stable_shape():
    run = sovkg("exposure", "--format", "json", *FIXTURE)
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert [(r["system_label"], r["law_label"], r["level"]) for r in rows if r["status"] == "exposed"] == [
        ("Platform", "X Act", "control"), ("Record", "X Act", "subcontractor")]
    # the fixture's French host and US parent have no recorded owners: exposure to the laws that reach through
    # control is unknown for the system they have access to, each gap named
    assert {(r["system_label"], r["level"], r["gap"]) for r in rows if r["status"] == "unknown"} == {
        ("Record", "control", "the owners of French Host SAS, which has access to the data, are not recorded"),
        ("Record", "subcontractor", "the owners of Parent Inc., which has access to the data, are not recorded"),
    }
    first = rows[0]
    assert {"system", "system_label", "law", "law_label", "level", "status", "path"} <= set(first)
    assert first["path"] == [
        {"iri": "https://w3id.org/sovkg/id/system/platform", "label": "Platform"},
        {"iri": "https://w3id.org/sovkg/id/org/sub", "label": "Sub Ltd"},
        {"iri": "https://w3id.org/sovkg/id/org/holding", "label": "Holding Ltd"},
        {"iri": "https://w3id.org/sovkg/id/org/parent", "label": "Parent Inc."},
    ]
    assert all(step["sources"] for step in first["evidence"][1:])


def test_exposure_json_gives_each_finding_a_status():
    """Every finding has ``status`` (exposed or unknown) and ``gap``; Mon espace santé is unknown, naming the gap."""
    run = sovkg("exposure", "--format", "json", "--system", "kg:system/mon-espace-sante", "--at", "2026-11-29")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert [(r["level"], r["status"], r["gap"]) for r in rows] == [
        ("group-presence", "unknown", "whether Octo Technology can technically reach the data is not recorded")]
    table = sovkg("exposure", "--system", "kg:system/mon-espace-sante", "--at", "2026-11-29").stdout
    assert "— unknown (group-presence if confirmed)" in table


def test_validate_filters_by_severity_and_kind():
    """``--severity`` and ``--kind`` select results; data-quality notes are sovkg's data-integrity requirement."""
    quality = json.loads(sovkg("validate", "--format", "json", "--kind", "data-quality", "--at", "2026-11-29").stdout)
    assert quality["results"] and {r["kind"] for r in quality["results"]} == {"data-quality"}
    assert {r["requirement"].rsplit("/", 1)[-1] for r in quality["results"]} == {"data-integrity"}
    violations = json.loads(sovkg("validate", "--format", "json", "--severity", "violation", "--at", "2026-11-29").stdout)
    assert violations["results"] and {r["severity"] for r in violations["results"]} == {"Violation"}
    assert {r["kind"] for r in violations["results"]} == {"compliance"}


def test_notes_about_the_bundled_reference_data_are_hidden_from_a_user_with_their_own_data():
    """With ``--no-case --data``, data-quality notes whose focus only the bundled reference data describes are not
    shown (a line on stderr counts them); ``--reference-notes`` shows them."""
    own = sovkg("validate", "--format", "json", "--kind", "data-quality", *FIXTURE)
    shown = json.loads(own.stdout)["results"]
    assert all(r["scope"] == "data" for r in shown)
    assert "data-quality notes about the bundled reference data not shown" in own.stderr
    every = json.loads(sovkg("validate", "--format", "json", "--kind", "data-quality", "--reference-notes",
                             *FIXTURE).stdout)["results"]
    assert len(every) > len(shown) and {r["scope"] for r in every} - {"data"} == {"reference"}


def test_exposure_filters_by_law_and_system():
    run = sovkg("exposure", "--format", "json", "--system", "Record", "--law", "kg:law/x-act", *FIXTURE)
    assert [(r["system_label"], r["level"]) for r in json.loads(run.stdout)] == [("Record", "subcontractor")]


def test_exposure_of_one_system_from_a_derived_store(tmp_path: Path):
    """``exposure --store S --system X --law L`` reads only that system's findings from the derived store, and gives
    what the full pipeline gives; an unknown name is a clear error (exit 2) naming the names it is close to."""
    store = str(tmp_path / "store")
    assert sovkg("derive", "--store", store, *FIXTURE).returncode == 0
    from_store = sovkg("exposure", "--format", "json", "--store", store, "--system", "Record", "--law", "X Act")
    assert from_store.returncode == 0, from_store.stderr
    full = sovkg("exposure", "--format", "json", "--engine", "rdflib", "--system", "Record", "--law", "kg:law/x-act",
                 *FIXTURE)
    assert json.loads(from_store.stdout) == json.loads(full.stdout)
    assert [(r["system_label"], r["level"]) for r in json.loads(from_store.stdout)] == [("Record", "subcontractor")]
    unknown = sovkg("exposure", "--store", store, "--system", "Recrod")
    assert unknown.returncode == 2 and "'Recrod': no such entity" in unknown.stderr and "'record'" in unknown.stderr


def test_validate_json_has_the_stable_shape():
    run = sovkg("validate", "--format", "json", *FIXTURE)
    assert run.returncode in (0, 1), run.stderr
    data = json.loads(run.stdout)
    assert set(data) >= {"conforms", "results"}
    assert run.returncode == (0 if data["conforms"] else 1)
    for result in data["results"]:
        assert {"focus", "focus_label", "severity", "requirement", "message"} <= set(result)


def test_report_writes_json_csv_and_graph(tmp_path):
    out = tmp_path / "out"
    run = sovkg("report", "--output", str(out), "--no-cache", *FIXTURE)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["exposure.csv", "graph.trig", "report.json", "validation.csv"]
    data = json.loads((out / "report.json").read_text())
    assert data["as_of"] == "2026-11-29"
    assert [f["level"] for f in data["findings"] if f["status"] == "exposed"] == ["control", "subcontractor"]
    assert (out / "exposure.csv").read_text().splitlines()[0].startswith("system,system_label,law,law_label,level")
    assert "Platform" in run.stdout and "control" in run.stdout
    dataset = Dataset()
    dataset.parse(out / "graph.trig", format="trig")
    assert any(str(g.identifier) == "https://w3id.org/sovkg/graph/inferred" for g in dataset.graphs())


def test_cached_report_equals_the_computed_one(tmp_path):
    env_dir = tmp_path / "cache"
    os.environ["SOVKG_CACHE_DIR"] = str(env_dir)
    cold = sovkg("report", "--format", "json", *FIXTURE)
    entries = sorted(env_dir.glob("*.json"))
    warm = sovkg("report", "--format", "json", *FIXTURE)
    assert cold.returncode == warm.returncode == 0
    assert json.loads(cold.stdout) == json.loads(warm.stdout)
    assert entries and sorted(env_dir.glob("*.json")) == entries, "a warm run adds no cache entry"
    changed = sovkg("report", "--format", "json", *FIXTURE[:-1], "2026-11-30")
    assert json.loads(changed.stdout)["as_of"] == "2026-11-30", "another date is another cache entry"


@pytest.mark.parametrize("fmt, ox_format", [
    ("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD),
    ("xml", ox.RdfFormat.RDF_XML),
])
def test_export_parses_in_another_parser_to_the_same_graph(fmt, ox_format, tmp_path):
    target = tmp_path / f"graph.{fmt}"
    run = sovkg("export", "--format", fmt, "-o", str(target), *FIXTURE)
    assert run.returncode == 0, run.stderr
    rdflib_graph = Graph().parse(target, format={"ttl": "turtle", "jsonld": "json-ld"}.get(fmt, fmt))
    oxigraph_graph = _from_oxigraph(ox.parse(path=str(target), format=ox_format))
    assert len(rdflib_graph) > 100
    assert isomorphic(rdflib_graph, oxigraph_graph)


def test_trig_export_keeps_named_graphs(tmp_path):
    target = tmp_path / "graph.trig"
    assert sovkg("export", "--format", "trig", "-o", str(target), *FIXTURE).returncode == 0
    names = {q.graph_name.value for q in ox.parse(path=str(target), format=ox.RdfFormat.TRIG)
             if isinstance(q.graph_name, ox.NamedNode)}
    assert "https://w3id.org/sovkg/graph/inferred" in names
    assert "https://w3id.org/sovkg/graph/ontology/core.ttl" in names
    assert Path(CHAIN).resolve().as_uri() in names


def _from_oxigraph(quads) -> Graph:
    """Convert Oxigraph's parse into an rdflib graph, term by term, without rdflib's parsers."""
    from rdflib import BNode, Literal, URIRef

    def term(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(t.value)  # RDF 1.1: a simple literal is an xsd:string
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    graph = Graph()
    for q in quads:
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return graph


def test_alternatives_lists_candidates_and_exclusions_as_json():
    run = sovkg("alternatives", "kg:system/health-data-hub", "--format", "json", "--at", "2026-11-29")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["system"] == "https://w3id.org/sovkg/id/system/health-data-hub"
    assert [c["provider"].rsplit("/", 1)[-1] for c in data["candidates"]] == [
        "3ds-outscale", "cloud-temple", "s3ns", "ovhcloud"]
    assert data["candidates"][0]["score_reasons"][0].startswith("HDS renewal not recorded")
    excluded = {e["provider"].rsplit("/", 1)[-1]: e["reasons"] for e in data["excluded"]}
    assert not any("HDS" in r for r in excluded["microsoft-ireland-operations"])
    assert excluded["microsoft-ireland-operations"][0].startswith("already hosts the system")
    assert any("through control by Microsoft Corporation" in r for r in excluded["microsoft-ireland-operations"])


def test_expiring_lists_certificates_ending_within_the_window():
    run = sovkg("expiring", "--within", "120", "--format", "csv", "--at", "2026-03-01")
    assert run.returncode == 0, run.stderr
    rows = run.stdout.strip().splitlines()
    assert len(rows) == 6  # header + the five HDS 2018 certificates whose referential lapses on 2026-05-16
    assert all(",2026-05-16," in row or row.startswith("until") for row in rows)


def test_expiring_rejects_a_negative_window():
    run = sovkg("expiring", "--within", "-3")
    assert run.returncode == 2
    assert "cannot be negative" in run.stderr


def test_query_on_unchanged_inputs_starts_from_the_derived_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The second ``sovkg query`` on the same inputs and date runs on the derived store the first one left in the
    cache (no graph is built), and prints the same answer, decimals included (``39.0`` from either engine)."""
    from sovkg import cli

    monkeypatch.setenv("SOVKG_CACHE_DIR", str(tmp_path))
    args = ["query", "CQ18-non-eu-holders-above-thresholds", "--format", "json", "--at", "2026-11-29"]
    assert cli.main(args) == 0
    first = capsys.readouterr().out

    def no_build(_: object) -> None:
        raise AssertionError("the graph was built again")

    monkeypatch.setattr(cli, "_build", no_build)
    assert cli.main(args) == 0
    assert capsys.readouterr().out == first
    assert '"value": "39.0"' in first
