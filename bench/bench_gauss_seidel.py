"""Benchmark the sweeps of effective ownership's cross-holdings: maps against NumPy arrays, same run.

A strongly connected component (cross-holdings) whose high bound is not linear (competing unknown
shares, or stakes held in one organisation that add up to more than 100 %: "greedy" organisations,
a fractional knapsack each), or that is larger than ``DENSE_LIMIT``, is solved by sweeps until
nothing moves by ``TOLERANCE``. :mod:`sovkg.derive.ownership` sweeps it either on the
per-organisation maps (``_gauss_seidel``, pure Python, used below ``VECTOR_MIN`` members) or on
NumPy arrays (``_dense_sweeps``). This runs ``OwnershipGraph(edges).effective_shares()`` both ways on
the same graphs:

- ``random N``: ``N`` companies and ``2 N`` random stakes of 5 to 70 % (``bench/cyclic_sheets.py``,
  seed 7), so one large component in which about a third of the organisations are held more than
  100 % in all (greedy: the high bound is swept, the low bound inverted);
- ``ring 300``: 300 companies each holding 60 % of the next, linear: solved exactly by the inverse by
  default, swept here with ``DENSE_LIMIT = 0`` both ways (the default time is given too).

``maps`` forces the maps (``VECTOR_MIN`` above every component), ``numpy`` forces the arrays
(``VECTOR_MIN = 2``, so that small components use them too; by default they start at
``VECTOR_MIN`` members). Wall time is the median of ``--runs`` runs without tracing; peak memory is
the peak of Python's and NumPy's allocations during one more run under ``tracemalloc`` (the result's
maps included, the same both ways). Agreement: the same (holder, held) pairs, the same unknown flags,
and the largest difference of the low and high figures before rounding, in percentage points.

    python bench/bench_gauss_seidel.py                        # writes bench/results/gauss_seidel.md
    python bench/bench_gauss_seidel.py --sizes 100 250 --runs 3

Results go to ``bench/results/gauss_seidel.md`` and ``bench/results/gauss_seidel.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_ownership import _fmt  # noqa: E402 - one way of writing a duration across the benchmarks
from cyclic_sheets import random_stakes, ring_stakes  # noqa: E402

from sovkg.derive import ownership  # noqa: E402
from sovkg.derive.ownership import EffectiveShares, OwnershipGraph, StakeEdge  # noqa: E402

MODES: dict[str, dict[str, int]] = {"maps": {"VECTOR_MIN": 10**9}, "numpy": {"VECTOR_MIN": 2}}


def _graphs(sizes: list[int], ring: int) -> list[tuple[str, list[StakeEdge], dict[str, int]]]:
    graphs = [(f"random {n} ({2 * n} stakes)", [StakeEdge(f"c{h}", f"c{x}", p) for h, x, p in random_stakes(n, 2 * n)],
               {}) for n in sizes]
    if ring:
        graphs.append((f"ring {ring} (60 %, swept)", [StakeEdge(f"c{h}", f"c{x}", p) for h, x, p in ring_stakes(ring)],
                       {"DENSE_LIMIT": 0}))
    return graphs


def _run(edges: list[StakeEdge], settings: dict[str, int]) -> Callable[[], EffectiveShares]:
    def run() -> EffectiveShares:
        with ExitStack() as stack:
            for name, value in settings.items():
                stack.enter_context(patch.object(ownership, name, value))
            return OwnershipGraph(edges).effective_shares()
    return run


def _timed(run: Callable[[], EffectiveShares], runs: int) -> tuple[EffectiveShares, list[float]]:
    times = []
    result = None
    for _ in range(runs):
        result = None  # let the previous result go before the next run
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    assert result is not None
    return result, times


def _peak_mb(run: Callable[[], EffectiveShares]) -> float:
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / 2**20


def _agreement(a: EffectiveShares, b: EffectiveShares) -> dict[str, object]:
    """Same pairs and flags; the largest difference of the unrounded figures (percentage points)."""
    same_pairs = a.keys() == b.keys()
    largest = 0.0
    for la, lb, ha, hb in zip(a._low, b._low, a._high, b._high, strict=True):
        if not la or not lb:
            continue
        ha, hb = ha or la, hb or lb
        for h, value in la.items():
            largest = max(largest, abs(value - lb[h]), abs(ha[h] - hb[h]))
    flags = all(share.includes_unknown is b[pair].includes_unknown for pair, share in a.items())
    return {"same_pairs": same_pairs, "same_flags": flags, "max_diff_pp": largest * 100}


def measure(label: str, edges: list[StakeEdge], extra: dict[str, int], runs: int) -> dict[str, object]:
    graph = OwnershipGraph(edges)
    components = sorted((len(c) for c in graph._net.components if not isinstance(c, int)), reverse=True)
    largest = next((c for c in graph._net.components if not isinstance(c, int) and len(c) == components[0]), [])
    row: dict[str, object] = {
        "graph": label, "stakes": len(edges), "components": components[:3],
        "greedy_in_largest": sum(graph._net.greedy[x] for x in largest),
    }
    _, default_times = _timed(_run(edges, {}), runs)
    row["default_s"] = statistics.median(default_times)
    results = {}
    for mode, settings in MODES.items():
        run = _run(edges, {**extra, **settings})
        results[mode], times = _timed(run, runs)
        row[f"{mode}_s"] = statistics.median(times)
        row[f"{mode}_all_s"] = [round(t, 4) for t in times]
        row[f"{mode}_peak_mb"] = _peak_mb(run)
        print(f"  {label}: {mode} {row[f'{mode}_s']:.3f} s, {row[f'{mode}_peak_mb']:.1f} MB", file=sys.stderr)
    row["pairs"] = len(results["numpy"])
    row.update(_agreement(results["maps"], results["numpy"]))
    row["ratio"] = row["maps_s"] / row["numpy_s"]  # type: ignore[operator]
    return row


def render(report: dict) -> str:
    machine = report["machine"]
    lines = [
        "# Effective ownership: sweeping cross-holdings on maps and on NumPy arrays",
        "",
        f"Generated by `{report['command']}` (Python {machine['python']}, NumPy {machine['numpy']}, "
        f"{machine['cpus']} CPUs, {machine['platform']}; load {machine['load']:.1f} at the start).",
        "`OwnershipGraph(edges).effective_shares()` on the same graph, the sweeps on the per-organisation maps",
        "(`maps`, `_gauss_seidel`) or on NumPy arrays (`numpy`, `_dense_sweeps`); time is the median of "
        f"{report['runs']} run(s),",
        "memory the peak traced by `tracemalloc` (Python and NumPy allocations, result included) in one more run.",
        "`default` is the same call with the module's settings (the inverse for the linear ring, the arrays",
        f"from `VECTOR_MIN` = {report['vector_min']} members). Agreement: same pairs and unknown flags, largest",
        "difference of the unrounded low and high figures in percentage points.",
        "",
        "| graph | largest components | greedy in the largest | pairs | maps | numpy | maps / numpy "
        "| peak memory maps | peak memory numpy | default | agreement |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        agree = ("same pairs" if row["same_pairs"] else "DIFFERENT pairs") + (
            ", same flags" if row["same_flags"] else ", DIFFERENT flags") + f", {row['max_diff_pp']:.1e} pp"
        lines.append(
            f"| {row['graph']} | {', '.join(map(str, row['components'])) or '–'} | {row['greedy_in_largest']} "
            f"| {row['pairs']:,} | {_fmt(row['maps_s'])} | **{_fmt(row['numpy_s'])}** | {row['ratio']:.1f}× "
            f"| {row['maps_peak_mb']:.1f} MB | {row['numpy_peak_mb']:.1f} MB | {_fmt(row['default_s'])} | {agree} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 250, 500, 1000],
                        help="companies of the random graphs (2 stakes per company)")
    parser.add_argument("--ring", type=int, default=300, help="companies of the ring (0 to skip)")
    parser.add_argument("--runs", type=int, default=1, help="timed runs per cell (median reported)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()

    import numpy

    load = os.getloadavg()[0]
    rows = [measure(label, edges, extra, args.runs) for label, edges, extra in _graphs(args.sizes, args.ring)]
    report = {
        "command": " ".join(["python", "bench/bench_gauss_seidel.py", *sys.argv[1:]]),
        "machine": {"python": platform.python_version(), "numpy": numpy.__version__, "platform": platform.platform(),
                    "cpus": os.cpu_count(), "load": load},
        "runs": args.runs, "vector_min": ownership.VECTOR_MIN,
        "rows": rows,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "gauss_seidel.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.results / "gauss_seidel.md").write_text(render(report), encoding="utf-8")
    print((args.results / "gauss_seidel.md").read_text(encoding="utf-8"))
    bad = [row["graph"] for row in rows if not (row["same_pairs"] and row["same_flags"] and row["max_diff_pp"] < 1e-8)]
    if bad:
        print(f"disagreement on: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
