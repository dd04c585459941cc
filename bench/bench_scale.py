"""Benchmark the store engine on GLEIF-shaped data at 10k, 100k, 1M legal entities, beside a plain-Python BFS.

For each size, ``bench/gleif_synthetic.py`` writes the GLEIF Level 1, relationship-record and
reporting-exception CSVs and a few hundred systems hosted by the entities (``sheets/``), with the
hand computation of each system's CLOUD Act exposure (``expected.json``). Then, each step a fresh
process timed by wall clock with its peak resident memory read from the kernel:

- **store engine**: ``sovkg derive --store S --no-case`` (the bundled reference data: laws,
  countries), ``sovkg import gleif … --store S``, ``sovkg import sheets … --store S``, ``sovkg
  derive --store S`` (every exposure derived), then ``sovkg exposure --store S --format json``
  (every finding with its path, read from the derived store);
- **lower bound**: a plain-Python breadth-first search over the CSVs' edge lists (read once),
  from each system's provider up its active consolidation and branch links to an entity with its
  legal address in the US (this file's ``bfs`` command, in its own process).

The table gives each step's time and peak memory, the ratio of the store engine's total to the
lower bound, and whether the engines agree: the set of systems the store engine finds exposed to
the CLOUD Act equals the BFS's (and the generator's hand computation). A size stops at its
time budget (``--budget`` seconds for all of its steps); what did not run is marked.

    python bench/bench_scale.py                           # 10k, 100k, 1M; writes bench/results/scale.md
    python bench/bench_scale.py --sizes 10000 --budget 900
    python bench/bench_scale.py --sizes 1000000 --budget 5400 --keep   # add one size to the table

With ``--keep``, the rows of the sizes not run this time are kept from the existing ``scale.json``; each row
says when it was measured, the load average at its end and its time budget.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_report import run  # noqa: E402
from gleif_synthetic import generate  # noqa: E402

DAY = "2026-11-29"
LINKS = {"IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY", "IS_INTERNATIONAL_BRANCH_OF"}


def bfs_exposed(data: Path) -> set[str]:
    """The systems whose provider reaches an entity with its legal address in the US (plain-Python BFS)."""
    country: dict[str, str] = {}
    with (data / "level1.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            country[row["LEI"]] = row["Entity.LegalAddress.Country"]
    parents: dict[str, list[str]] = {}
    with (data / "rr.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Relationship.RelationshipType"] in LINKS and row["Relationship.RelationshipStatus"] == "ACTIVE":
                parents.setdefault(row["Relationship.StartNode.NodeID"], []).append(row["Relationship.EndNode.NodeID"])
    exposed: set[str] = set()
    with (data / "sheets" / "hosting.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            seen, queue = {row["provider"]}, deque([row["provider"]])
            while queue:
                node = queue.popleft()
                if country.get(node) == "US":
                    exposed.add(row["system"])
                    break
                for up in parents.get(node, ()):
                    if up not in seen:
                        seen.add(up)
                        queue.append(up)
    return exposed


def store_exposed(findings: list[dict[str, Any]]) -> set[str]:
    """The systems the store engine's ``exposure`` output finds exposed (not unknown) to the CLOUD Act."""
    return {f["system"].rsplit("/", 1)[-1] for f in findings
            if "CLOUD" in f["law_label"] and f.get("status", "exposed") == "exposed"}


def _step(cmd: list[str], env: dict[str, str], left: float) -> dict[str, Any]:
    if left <= 0:
        return {"wall_s": None, "peak_mb": None, "out": "", "skipped": True}
    try:
        wall, peak, _, out = run(["timeout", str(int(left)), *cmd], env)
    except RuntimeError as error:
        return {"wall_s": None, "peak_mb": None, "out": "", "over": True, "error": str(error)[-300:]}
    return {"wall_s": round(wall, 2), "peak_mb": round(peak), "out": out}


def measure(size: int, budget: float, folder: Path) -> dict[str, Any]:
    """Generate one size and run the store engine's steps and the BFS on it."""
    data = folder / "data"
    start = time.perf_counter()
    counts = generate(size, data)
    row: dict[str, Any] = {"size": size, "counts": counts, "generate_s": round(time.perf_counter() - start, 1)}
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SOVKG_CACHE_DIR=str(folder / "cache"))
    store = str(folder / "store")
    sovkg = [sys.executable, "-m", "sovkg"]
    steps = {
        "reference": [*sovkg, "derive", "--store", store, "--no-case", "--at", DAY],
        "import_gleif": [*sovkg, "import", "gleif", *(str(data / n) for n in ("level1.csv", "rr.csv", "repex.csv")),
                         "--store", store, "--at", DAY],
        "import_sheets": [*sovkg, "import", "sheets", str(data / "sheets"), "--store", store],
        "derive": [*sovkg, "derive", "--store", store, "--at", DAY],
        "exposure": [*sovkg, "exposure", "--store", store, "--format", "json"],
    }
    left = budget
    out = ""
    for name, cmd in steps.items():
        result = _step(cmd, env, left)
        out = result.pop("out")
        row[name] = result
        left -= result["wall_s"] or budget
    bfs = _step([sys.executable, __file__, "bfs", str(data)], env, budget)
    row["bfs"] = {k: v for k, v in json.loads(bfs["out"]).items() if k != "exposed"} | {"peak_mb": bfs["peak_mb"]} \
        if bfs["out"] else bfs
    expected = {s for s, v in json.loads((data / "expected.json").read_text())["systems"].items() if v == "exposed"}
    lower = set(json.loads(bfs["out"])["exposed"]) if bfs["out"] else None
    found = store_exposed(json.loads(out)) if row["exposure"]["wall_s"] is not None else None
    row["exposed"] = {"expected": len(expected), "bfs": None if lower is None else len(lower),
                      "store": None if found is None else len(found)}
    row["agree"] = None if found is None or lower is None else found == lower == expected
    row["measured"] = time.strftime("%Y-%m-%d", time.gmtime())
    row["load_end"] = round(os.getloadavg()[0], 1)
    row["budget_s"] = budget
    return row


def _bfs_main(data: Path) -> None:
    start = time.perf_counter()
    exposed = bfs_exposed(data)
    print(json.dumps({"wall_s": round(time.perf_counter() - start, 3), "exposed": sorted(exposed),
                      "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


def _cell(step: dict[str, Any], key: str) -> str:
    if step.get("skipped"):
        return "not run (budget)"
    if step.get("over"):
        return "over budget"
    value = step.get(key)
    return "-" if value is None else f"{value:,}"


def table(rows: list[dict[str, Any]]) -> str:
    """The Markdown table of the results."""
    steps = ("reference", "import_gleif", "import_sheets", "derive", "exposure")
    lines = [
        "# Store engine at scale: GLEIF-shaped data beside a plain-Python BFS",
        "",
        f"Generated by `python bench/bench_scale.py` (Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        "one run per cell; each row says when it was measured, the load average at its end and its time budget). "
        "Each step is a fresh process; times are wall clock (s), memory is peak RSS (MB). "
        "*store total*: load the reference data, import GLEIF and the systems, derive every exposure, list them. "
        "*BFS*: plain-Python breadth-first search over the CSV edge lists, reading included (the lower bound). "
        "*agree*: the systems found exposed to the CLOUD Act by the store engine, by the BFS and by the "
        "generator's hand computation are the same.",
        "",
        "| legal entities | GLEIF relationships | import GLEIF (s) | import systems (s) | derive (s) | "
        "derive peak (MB) | exposure, from the store (s) | store total (s) | BFS (s) | BFS peak (MB) | "
        "store / BFS | exposed (expected / BFS / store) | agree | measured (load, budget) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for row in rows:
        walls = [row[s]["wall_s"] for s in steps]
        total = sum(walls) if all(w is not None for w in walls) else None
        bfs = row["bfs"].get("wall_s")
        ratio = f"{total / bfs:,.0f}x" if total and bfs else "-"
        exposed = row["exposed"]
        agree = {True: "yes", False: "**no**", None: "-"}[row["agree"]]
        lines.append(
            f"| {row['size']:,} | {row['counts']['relationships']:,} | "
            f"{_cell(row['import_gleif'], 'wall_s')} | {_cell(row['import_sheets'], 'wall_s')} | "
            f"{_cell(row['derive'], 'wall_s')} | {_cell(row['derive'], 'peak_mb')} | "
            f"{_cell(row['exposure'], 'wall_s')} | {'-' if total is None else f'{total:,.1f}'} | "
            f"{'-' if bfs is None else bfs} | {row['bfs'].get('peak_mb', '-')} | {ratio} | "
            f"{exposed['expected']} / {exposed['bfs']} / {exposed['store']} | {agree} | "
            f"{row.get('measured', '-')} ({row.get('load_end', '-')}, {row.get('budget_s', 0):.0f} s) |")
    return "\n".join(lines) + "\n"


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "bfs":
        _bfs_main(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--budget", type=float, default=1800.0, help="seconds for all the steps of one size")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--keep", action="store_true", help="keep the existing rows of the sizes not run")
    args = parser.parse_args()
    kept: list[dict[str, Any]] = []
    if args.keep and (args.out / "scale.json").exists():
        kept = [r for r in json.loads((args.out / "scale.json").read_text(encoding="utf-8"))
                if r["size"] not in args.sizes]
    rows: list[dict[str, Any]] = []
    for size in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"sovkg-scale-{size}-"))
        try:
            rows.append(measure(size, args.budget, folder))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        every = sorted(kept + rows, key=lambda r: r["size"])
        (args.out / "scale.json").write_text(json.dumps(every, indent=1) + "\n", encoding="utf-8")
        (args.out / "scale.md").write_text(table(every), encoding="utf-8")
        print(table(every), flush=True)


if __name__ == "__main__":
    main()
