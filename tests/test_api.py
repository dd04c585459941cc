"""The Python API holds: the README's import line gives functions whatever was imported before,
and every function answers from a graph built once as it does from paths."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import sovkg
from sovkg.derive.knowledge_graph import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]
CHAIN = str(ROOT / "tests/fixtures/derive/chain.ttl")

API = ("build", "exposure", "validate", "explain", "report", "query", "export")


def _import_every_submodule() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(sovkg.__path__, "sovkg.") if not m.name.endswith("__main__")]
    for name in names:
        importlib.import_module(name)
    return names


def test_readme_import_line_gives_functions_after_every_submodule_is_imported() -> None:
    names = _import_every_submodule()
    assert "sovkg.publish.report" in names and "sovkg.derive.exposure" in names
    from sovkg import build, explain, export, exposure, query, report, validate

    for function in (build, exposure, validate, explain, report, query, export):
        assert callable(function) and not isinstance(function, type(sovkg)), function
        assert function.__module__ in ("sovkg.api", "sovkg.derive.knowledge_graph"), function
    assert sorted(API) == sorted(n for n in sovkg.__all__ if n not in ("__version__", "KnowledgeGraph"))


def test_every_api_function_after_every_submodule_is_imported(case: KnowledgeGraph) -> None:
    """Each function called by its documented name, in a fresh process that imported everything first."""
    script = f"""
import importlib, json, pkgutil, datetime as dt
import sovkg
for m in pkgutil.walk_packages(sovkg.__path__, "sovkg."):
    if not m.name.endswith("__main__"):
        importlib.import_module(m.name)
from sovkg import build, exposure, validate, explain, report, query, export
day = dt.date(2026, 11, 29)
kg = build([{CHAIN!r}], include_case=False, as_of=day)
out = {{
    "exposure": [(f.system_label, f.law_label, f.level) for f in exposure(kg) if f.status == "exposed"],
    "validate": validate(kg).conforms,
    "explain": explain("Platform", kg).entity,
    "report": sorted(report(kg).data),
    "query": sorted({{r["system"] for r in query("CQ01-systems-exposed-to-law", {{"law": "kg:law/x-act"}}, kg)}}),
    "export": export("nt", kg).count(b"\\n") > 100,
}}
print(json.dumps(out))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["exposure"] == [["Platform", "X Act", "control"], ["Record", "X Act", "subcontractor"]]
    assert out["explain"] == "https://w3id.org/sovkg/id/system/platform"
    assert out["query"] == ["https://w3id.org/sovkg/id/system/platform", "https://w3id.org/sovkg/id/system/record"]
    assert out["export"] is True
    assert "findings" in out["report"] and "validation" in out["report"]


def test_a_built_graph_is_reused_not_rebuilt(case: KnowledgeGraph) -> None:
    from sovkg import exposure, report, validate

    assert exposure(case) is case.findings
    assert validate(case) is validate(case)
    data = report(case).data
    assert data["as_of"] == case.as_of.isoformat()
    assert json.dumps(data, ensure_ascii=False)


def test_package_ships_type_information() -> None:
    assert (ROOT / "src/sovkg/py.typed").is_file()
