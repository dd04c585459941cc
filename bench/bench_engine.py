"""Benchmark the two engines side by side: the rdflib pipeline (``--engine rdflib``) and the store engine.

Each cell is a fresh process (``python -m sovkg …``) with an empty cache folder (no cache of any
kind: no cached report, derived store or compiled query), timed by wall clock, its peak resident
memory read from the kernel (``os.wait4``, i.e. ``resource.getrusage`` of the child). Sizes: the
bundled French case alone, then the case plus synthetic companies (``bench/synthetic.py``). For each
size it measures ``sovkg report --format json --no-cache`` with both engines, checks that both
reports are identical (same findings, same validation results), then, with the store engine's cache
left by that run, ``sovkg query CQ01`` and ``sovkg exposure`` on the unchanged inputs.

    python bench/bench_engine.py                          # bundled, +1k, +10k; writes bench/results/
    python bench/bench_engine.py --sizes 0 1000 --runs 1 --rdflib-max 1000

Results go to ``bench/results/engine.md`` and ``bench/results/engine.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_report import run  # noqa: E402
from synthetic import generate  # noqa: E402

DAY = "2026-11-29"


LIMIT = 900
"""Seconds a cell may take (``--limit``); a cell that takes longer is reported as over the limit."""


def cell(cmd: list[str], runs: int, *, warm: str | None = None) -> dict[str, Any]:
    """Run ``cmd`` ``runs`` times, each with a fresh cache folder (or with ``warm``), median wall and RSS."""
    walls, peaks, out = [], [], ""
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cold:
            env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SOVKG_CACHE_DIR=warm or cold)
            try:
                wall, peak, _, out = run(["timeout", str(LIMIT), *cmd], env)
            except RuntimeError:
                return {"wall_s": None, "peak_mb": None, "out": "", "over_limit_s": LIMIT}
        walls.append(wall)
        peaks.append(peak)
    return {"wall_s": round(statistics.median(walls), 3), "peak_mb": round(statistics.median(peaks)),
            "out": out}


def same_answers(a: str, b: str) -> bool:
    """Both reports give the same findings and validation results (the whole JSON, in fact)."""
    left, right = json.loads(a), json.loads(b)
    return bool(left["findings"] == right["findings"] and left["validation"] == right["validation"]
                and left == right)


def measure(size: int, runs: int, rdflib_max: int, folder: Path) -> dict[str, Any]:
    data: list[str] = []
    if size:
        path = folder / f"synthetic-{size}.ttl"
        path.write_text(generate(size), encoding="utf-8")
        data = ["--data", str(path)]
    base = [sys.executable, "-m", "sovkg"]
    report = ["report", "--format", "json", "--no-cache", "--at", DAY, *data]
    row: dict[str, Any] = {"size": size}
    store = cell([*base, *report, "--engine", "store"], runs)
    row["store"] = {k: v for k, v in store.items() if k != "out"}
    if store["wall_s"] is None:
        return row
    if size <= rdflib_max:
        reference = cell([*base, *report, "--engine", "rdflib"], runs)
        row["rdflib"] = {k: v for k, v in reference.items() if k != "out"}
        if reference["wall_s"] is not None:
            row["agree"] = same_answers(store["out"], reference["out"])
            row["ratio"] = round(reference["wall_s"] / store["wall_s"], 1)
    findings = json.loads(store["out"])["counts"]["findings"]
    row["findings"] = findings
    with tempfile.TemporaryDirectory() as warm:
        cell([*base, *report, "--engine", "store"], 1, warm=warm)  # leaves the derived store in the cache
        for name, args in (("query", ["query", "CQ01", "--format", "json"]), ("exposure", ["exposure", "--format",
                                                                                           "json"])):
            row[name] = {k: v for k, v in cell([*base, *args, "--at", DAY, *data], runs, warm=warm).items()
                         if k != "out"}
    return row


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| inputs | rdflib report (s) | rdflib peak (MB) | store report (s) | store peak (MB) | rdflib / store "
        "| engines agree | findings | query, cached (s) | exposure, cached (s) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        name = "bundled case" if not r["size"] else f"case + {r['size']:,} companies"
        ref = r.get("rdflib")
        if r["store"]["wall_s"] is None:
            lines.append(f"| {name} | not run | - | over {r['store']['over_limit_s']} s | - | - | - | - | - | - |")
            continue
        if ref is not None and ref["wall_s"] is None:
            ref = {"wall_s": f"over {ref['over_limit_s']}", "peak_mb": "-"}
            r = {**r, "ratio": "-", "agree": None}
        lines.append(
            f"| {name} | {ref['wall_s'] if ref else 'skipped'} | {ref['peak_mb'] if ref else '-'} "
            f"| {r['store']['wall_s']} | {r['store']['peak_mb']} "
            f"| {str(r['ratio']) + 'x' if ref and r['ratio'] != '-' else '-'} "
            f"| {({True: 'yes', False: 'NO', None: '-'}[r['agree']]) if ref else '-'} | {r['findings']} "
            f"| {r['query']['wall_s']} | {r['exposure']['wall_s']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000, 10000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--rdflib-max", type=int, default=10000, help="largest size the rdflib pipeline runs at")
    parser.add_argument("--limit", type=int, default=LIMIT, help="seconds one cell may take")
    args = parser.parse_args()
    globals()["LIMIT"] = args.limit
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            rows.append(measure(size, args.runs, args.rdflib_max, Path(folder)))
            print(json.dumps(rows[-1]), file=sys.stderr)
            write(rows, args)


def write(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    """Write the table so far (after each size, so that a long run leaves its first rows)."""
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    meta = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg(), "runs": args.runs}
    (out / "engine.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    text = (
        "# Engines side by side: rdflib pipeline vs store engine\n\n"
        "Generated by `python bench/bench_engine.py` "
        f"(Python {meta['python']}, {meta['cpus']} CPUs, load average at the end {meta['load_average'][0]:.1f}, "
        f"median of {args.runs} run(s) per cell). Every cell is a fresh process with an empty cache folder; "
        "`report` runs with `--no-cache`. *query* (`sovkg query CQ01`) and *exposure* (`sovkg exposure`) run "
        "on unchanged inputs, from the derived store the store engine's report run left in the cache. "
        "*engines agree*: the two `report --format json` outputs are identical. A cell that ran longer than "
        f"{LIMIT} s was stopped (over).\n\n" + table(rows) + "\n"
    )
    (out / "engine.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
