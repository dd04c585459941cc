"""Benchmark effective ownership (:mod:`sovkg.derive.ownership`) against two baselines, in the same run.

Synthetic ownership forests (seeded, deterministic) of 10k, 100k and 1M companies: groups of
companies in random trees (about 9 per group), minority co-holders and outside investors,
about 10 % extra cross-holdings inside groups (which make cycles when a subsidiary holds a stake in
an ancestor) and about 5 % stakes with an unknown share (some with a stated minimum or maximum);
5 % of the companies have no known seat, 30 % are established outside the EU.

Measured, each in a fresh process (wall time of the computation only, peak resident memory of
the process from the kernel, and its increase over the memory held before the computation):

- ``sovkg``: :class:`sovkg.derive.ownership.OwnershipGraph` (index the stakes, find the cycles), then
  ``effective_shares()`` (every holder in every organisation, low and high bounds, unknown flags)
  and ``jurisdiction_shares()`` for the holders established outside the EU (the vector SecNumCloud
  §19.6.b needs), pure Python;
- ``brute``: brute-force enumeration of every chain (walks that do not pass through their holder
  again, cut when the product falls below 1e-15) for every holder, and of every chain from a
  non-EU party through parties that are not, at 10k only, stopped at ``--brute-limit`` seconds;
- ``scipy``: sparse linear algebra: the non-EU aggregate as one sparse solve
  ``(I - AᵀD) x = Aᵀ m`` (SuperLU, ``scipy.sparse.linalg.spsolve``), and, where it fits in
  ``--matrix-limit`` seconds, the integrated matrix ``N - I = W + W² + …`` (sparse products until
  the largest new term is below 1e-16) with the same correction for holders on a cycle
  (``N[H][X] / N[H][H]``).

The low figures (unknown shares at their stated minimum, else 0) are compared: sovkg's non-EU
aggregate with scipy's to 1e-9 (percentage points), sovkg's pairs with the integrated matrix and
with the brute force to 1e-9. numpy and scipy are needed by the baseline only (``pip install
numpy scipy``); sovkg itself uses neither. The tests never run this file.

    python bench/bench_ownership.py                       # 10k, 100k, 1M; writes bench/results/
    python bench/bench_ownership.py --sizes 10000 100000 --runs 3

Results go to ``bench/results/ownership.md`` and ``bench/results/ownership.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sovkg.derive.ownership import OwnershipGraph, StakeEdge  # noqa: E402

EU = ["FR", "FR", "FR", "DE", "DE", "IE", "NL", "IT", "ES", "LU", "BE", "PL"]
NON_EU = ["US", "US", "US", "GB", "CH", "CN", "JP"]
TARGET_SECONDS = 20.0
TARGET_MB = 4096.0


# --------------------------------------------------------------------------------------- the data


Stake = tuple[int, int, float | None, float | None, float | None]


def generate(n: int, seed: int = 7) -> tuple[list[Stake], list[str | None]]:
    """Stakes (holder, held, percent, minimum, maximum) and seats (None = unknown) of ``n`` companies."""
    rng = random.Random(seed)
    stakes: list[list] = []
    room = [100.0] * n
    group_start = [0] * n
    group_end = [0] * n
    roots: list[int] = []
    i = 0
    while i < n:
        size = min(n - i, 1 + min(60, int(rng.expovariate(1 / 9))))
        start, end = i, i + size
        for j in range(start, end):
            group_start[j], group_end[j] = start, end
            if j == start:
                if roots and rng.random() < 0.3:  # an outside investor in the group's root
                    share = rng.choice([5, 10, 25, 40])
                    stakes.append([roots[rng.randrange(len(roots))], j, share])
                    room[j] -= share
                continue
            parent = rng.randrange(start, j)
            share = rng.choice([100, 100, 75, 51, 40, 30, 20, 10])
            stakes.append([parent, j, share])
            room[j] -= share
            if room[j] > 0 and rng.random() < 0.3:
                other = rng.randrange(start, j) if rng.random() < 0.5 or not roots else roots[rng.randrange(len(roots))]
                if other != parent:
                    extra = min(room[j], rng.choice([5, 10, 20]))
                    stakes.append([other, j, extra])
                    room[j] -= extra
        roots.append(start)
        i = end
    pairs = {(h, x) for h, x, _ in stakes}
    for _ in range(n // 10):  # cross-holdings inside groups: cycles when a subsidiary holds an ancestor
        x = rng.randrange(n)
        if room[x] <= 0 or group_end[x] - group_start[x] < 2:
            continue
        h = rng.randrange(group_start[x], group_end[x])
        if h == x or (h, x) in pairs:
            continue
        share = min(room[x], rng.choice([5, 10, 15, 25]))
        stakes.append([h, x, share])
        room[x] -= share
        pairs.add((h, x))
    result: list[Stake] = []
    for h, x, share in stakes:
        if rng.random() < 0.05:
            kind = rng.random()
            if kind < 0.3:
                result.append((h, x, None, share / 2, None))
            elif kind < 0.5:
                result.append((h, x, None, None, float(min(100, share * 2))))
            else:
                result.append((h, x, None, None, None))
        else:
            result.append((h, x, float(share), None, None))
    seats: list[str | None] = []
    for _ in range(n):
        r = rng.random()
        seats.append(None if r < 0.05 else rng.choice(EU) if r < 0.7 else rng.choice(NON_EU))
    return result, seats


def generate_ladder(n: int) -> tuple[list[Stake], list[str | None]]:
    """A ladder of ``n // 2`` layers of two companies, each holding 50 % of both companies below.

    Every company is fully held, yet there are 2^(layers - 1) chains from the top to the bottom:
    what enumerating chains cannot survive and a linear method does not notice.
    """
    layers = n // 2
    stakes: list[Stake] = [(2 * i + a, 2 * (i + 1) + b, 50.0, None, None)
                           for i in range(layers - 1) for a in (0, 1) for b in (0, 1)]
    seats: list[str | None] = ["US", "US"] + ["FR"] * (2 * layers - 2)
    return stakes, seats


SHAPES = {"forest": generate, "ladder": generate_ladder}


def low_weight(percent: float | None, minimum: float | None) -> float:
    return (percent if percent is not None else minimum or 0.0) / 100.0


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -------------------------------------------------------------------------------------- the workers


def work_sovkg(n: int, out: Path, shape: str = "forest") -> dict:
    stakes, seats = SHAPES[shape](n)
    edges = [StakeEdge(f"c{h}", f"c{x}", p, minimum=lo, maximum=hi) for h, x, p, lo, hi in stakes]
    del stakes
    non_eu = {f"c{i}" for i, s in enumerate(seats) if s in NON_EU}
    no_seat = {f"c{i}" for i, s in enumerate(seats) if s is None}
    before = _rss_mb()
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    graph = OwnershipGraph(edges)
    t1 = time.perf_counter()
    pairs = graph.effective_shares()
    t2 = time.perf_counter()
    aggregate = graph.jurisdiction_shares(non_eu.__contains__, unknown=no_seat.__contains__)
    t3 = time.perf_counter()
    peak = _peak_mb()
    plain = dict(pairs.items())  # what a caller pays to turn the mapping into a dict of Share objects
    t4 = time.perf_counter()
    del plain
    net = graph._net
    cycles = [c for c in net.components if not isinstance(c, int)]
    vector = array("d", bytes(8 * n))
    for name, share in aggregate.items():
        vector[int(name[1:])] = share.low
    with open(out / "aggregate.bin", "wb") as f:
        vector.tofile(f)
    holders, helds, values = array("i"), array("i"), array("d")
    for (h, x), share in pairs.items():
        holders.append(int(h[1:]))
        helds.append(int(x[1:]))
        values.append(share.low)
    with open(out / "pairs.bin", "wb") as f:
        holders.tofile(f)
        helds.tofile(f)
        values.tofile(f)
    return {
        "index_s": t1 - t0, "effective_s": t2 - t1, "jurisdiction_s": t3 - t2, "total_s": t3 - t0,
        "materialise_s": t4 - t3, "peak_with_dict_mb": _peak_mb(),
        "peak_rss_mb": peak, "rss_before_mb": before, "increase_mb": peak - before, "load_avg": load,
        "stakes": len(edges), "pairs": len(pairs), "held": len(aggregate),
        "pairs_with_unknown": sum(1 for s in pairs.values() if s.includes_unknown),
        "cycles": len(cycles), "companies_on_cycles": sum(len(c) for c in cycles),
        "largest_cycle": max((len(c) for c in cycles), default=0),
        "unknown_stakes": sum(1 for e in edges if e.percent is None),
    }


def work_brute(n: int, out: Path, limit: float, shape: str = "forest") -> dict:
    """Every chain, enumerated: for each holder, walks that never pass through it again."""
    stakes, seats = SHAPES[shape](n)
    weights: dict[tuple[int, int], float] = {}
    for h, x, p, lo, _ in stakes:
        weights[h, x] = max(weights.get((h, x), 0.0), low_weight(p, lo))
    children: dict[int, list[tuple[int, float]]] = {}
    for (h, x), w in weights.items():
        children.setdefault(h, []).append((x, w))
    member = [s in NON_EU for s in seats]
    before = _peak_mb()
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    deadline = t0 + limit
    result: dict[tuple[int, int], float] = {}
    aggregate = [0.0] * n
    walks = 0
    finished = True
    try:
        for start in children:
            stack = [(start, 1.0)]
            while stack:
                node, product = stack.pop()
                for succ, w in children.get(node, ()):
                    p = product * w
                    result[start, succ] = result.get((start, succ), 0.0) + p
                    walks += 1
                    if succ != start and p > 1e-15:
                        stack.append((succ, p))
                if walks % 100_000 == 0 and time.perf_counter() > deadline:
                    raise TimeoutError
        for start in (i for i in children if member[i]):  # chains from a non-EU party through non-members
            stack = [(start, 1.0)]
            while stack:
                node, product = stack.pop()
                for succ, w in children.get(node, ()):
                    p = product * w
                    aggregate[succ] += p
                    walks += 1
                    if not member[succ] and p > 1e-15:
                        stack.append((succ, p))
                if walks % 100_000 == 0 and time.perf_counter() > deadline:
                    raise TimeoutError
    except TimeoutError:
        finished = False
    elapsed = time.perf_counter() - t0
    row = {"total_s": elapsed, "finished": finished, "limit_s": limit, "walks": walks,
           "peak_rss_mb": _peak_mb(), "increase_mb": _peak_mb() - before, "load_avg": load}
    if finished:
        row["pairs"] = len(result)
        row["max_diff_pairs_pp"] = _compare_pairs(out, result)
        row["max_diff_aggregate_pp"] = _compare_vector(out, aggregate, n)
    return row


def _sovkg_pairs(out: Path) -> tuple[array, array, array]:
    data = (out / "pairs.bin").read_bytes()
    count = len(data) // 16
    holders, helds, values = array("i"), array("i"), array("d")
    holders.frombytes(data[: 4 * count])
    helds.frombytes(data[4 * count: 8 * count])
    values.frombytes(data[8 * count:])
    return holders, helds, values


def _compare_pairs(out: Path, other: dict[tuple[int, int], float]) -> float:
    """Largest difference (percentage points) between sovkg's low figures and ``other`` (fractions)."""
    holders, helds, values = _sovkg_pairs(out)
    mine = set(zip(holders, helds, strict=True))
    if any(pair not in mine for pair in other):  # a chain sovkg does not know of
        return float("inf")
    # sovkg also lists pairs joined only by zero shares (unknown, no minimum): 0 in both.
    return max((abs(v - other.get((h, x), 0.0) * 100) for h, x, v in zip(holders, helds, values, strict=True)),
               default=0.0)


def _compare_vector(out: Path, other: list[float], n: int) -> float:
    vector = array("d")
    vector.frombytes((out / "aggregate.bin").read_bytes())
    return max((abs(vector[i] - other[i] * 100) for i in range(n)), default=0.0)


def work_scipy(n: int, out: Path, limit: float, shape: str = "forest") -> dict:
    try:
        import numpy as np
        import scipy
        import scipy.sparse as sp
        from scipy.sparse.linalg import spsolve
    except ImportError:
        return {"error": "numpy/scipy missing: pip install numpy scipy (baseline only)"}
    stakes, seats = SHAPES[shape](n)
    h = np.fromiter((s[0] for s in stakes), dtype=np.int64, count=len(stakes))
    x = np.fromiter((s[1] for s in stakes), dtype=np.int64, count=len(stakes))
    w = np.fromiter((low_weight(s[2], s[3]) for s in stakes), dtype=np.float64, count=len(stakes))
    member = np.fromiter((s in NON_EU for s in seats), dtype=np.float64, count=n)
    del stakes
    before = _peak_mb()
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    a = sp.csr_matrix((w, (h, x)), shape=(n, n))  # a[holder, held]; duplicates summed (none here)
    at = a.T.tocsr()
    t1 = time.perf_counter()
    system = (sp.identity(n, format="csr") - at @ sp.diags(1.0 - member)).tocsc()
    aggregate = spsolve(system, at @ member)
    t2 = time.perf_counter()
    row: dict = {"build_s": t1 - t0, "solve_s": t2 - t1, "aggregate_s": t2 - t0, "scipy": scipy.__version__,
                 "load_avg": load}
    vector = array("d")
    vector.frombytes((out / "aggregate.bin").read_bytes())
    row["max_diff_aggregate_pp"] = float(np.max(np.abs(np.frombuffer(vector, dtype=np.float64) - aggregate * 100)))
    # The integrated matrix N - I = W + W² + ..., while it fits in the time limit.
    t3 = time.perf_counter()
    total = a.copy()
    term = a.copy()
    iterations = 1
    finished = True
    while term.nnz:
        term = term @ a
        term.data[term.data < 1e-18] = 0.0
        term.eliminate_zeros()
        iterations += 1
        if term.nnz and term.data.max() < 1e-16:
            break
        total = total + term
        if time.perf_counter() - t3 > limit:
            finished = False
            break
    if finished:
        diagonal = 1.0 + total.diagonal()  # N[H][H]
        coo = total.tocoo()
        corrected = np.where(coo.row == coo.col, 1.0 - 1.0 / diagonal[coo.row], coo.data / diagonal[coo.row])
        t4 = time.perf_counter()
        row.update({"matrix_s": t4 - t3, "matrix_iterations": iterations, "matrix_nnz": int(total.nnz)})
        holders, helds, values = _sovkg_pairs(out)
        mine = sp.csr_matrix((np.frombuffer(values, dtype=np.float64), (np.frombuffer(holders, dtype=np.int32),
                                                                         np.frombuffer(helds, dtype=np.int32))),
                             shape=(n, n))
        theirs = sp.csr_matrix((corrected * 100, (coo.row, coo.col)), shape=(n, n))
        row["max_diff_pairs_pp"] = float(abs(mine - theirs).max()) if mine.nnz else 0.0
        row["pairs_structural"] = int(total.nnz)
    else:
        row.update({"matrix_s": time.perf_counter() - t3, "matrix_finished": False, "matrix_iterations": iterations})
    row["peak_rss_mb"] = _peak_mb()
    row["increase_mb"] = _peak_mb() - before
    row["total_s"] = row["aggregate_s"]
    return row


# ------------------------------------------------------------------------------------------ driver


def run_worker(kind: str, n: int, out: Path, limit: float, shape: str = "forest") -> dict:
    """Run one measurement in a fresh process and return its JSON row."""
    cmd = [sys.executable, __file__, "--worker", kind, "--n", str(n), "--out", str(out), "--limit", str(limit),
           "--shape", shape]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _median_row(rows: list[dict]) -> dict:
    ok = [r for r in rows if "error" not in r]
    if not ok:
        return rows[-1]
    best = sorted(ok, key=lambda r: r.get("total_s", 0.0))[len(ok) // 2]
    return {**best, "runs": len(ok), "all_total_s": [round(r.get("total_s", 0.0), 3) for r in ok]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=1, help="runs per cell (median reported)")
    parser.add_argument("--brute-max", type=int, default=10_000, help="largest size for the brute force")
    parser.add_argument("--brute-limit", type=float, default=300.0, help="seconds before the brute force stops")
    parser.add_argument("--matrix-limit", type=float, default=120.0, help="seconds for scipy's integrated matrix")
    parser.add_argument("--ladder-layers", type=int, default=40,
                        help="also run a ladder of this many layers (2^(layers-1) chains; 0 to skip)")
    parser.add_argument("--ladder-limit", type=float, default=60.0, help="seconds before the brute force stops on it")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--shape", default="forest", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        worker = {"sovkg": lambda: work_sovkg(args.n, args.out, args.shape),
                  "brute": lambda: work_brute(args.n, args.out, args.limit, args.shape),
                  "scipy": lambda: work_scipy(args.n, args.out, args.limit, args.shape)}[args.worker]
        print(json.dumps(worker()))
        return 0

    try:
        import scipy  # noqa: F401
    except ImportError:
        print("scipy is not installed: the sparse-linear-algebra baseline will be skipped "
              "(install it for the bench only: pip install numpy scipy)", file=sys.stderr)
    rows: list[dict] = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            cell: dict = {"companies": n}
            print(f"N={n}", file=sys.stderr)
            sovkg_rows = [run_worker("sovkg", n, out, 0.0) for _ in range(args.runs)]
            cell["sovkg"] = _median_row(sovkg_rows)
            print(f"  sovkg  {cell['sovkg']}", file=sys.stderr)
            cell["scipy"] = _median_row([run_worker("scipy", n, out, args.matrix_limit) for _ in range(args.runs)])
            print(f"  scipy  {cell['scipy']}", file=sys.stderr)
            if n <= args.brute_max:
                cell["brute"] = run_worker("brute", n, out, args.brute_limit)
                print(f"  brute  {cell['brute']}", file=sys.stderr)
            rows.append(cell)
    ladder = None
    if args.ladder_layers:
        n = 2 * args.ladder_layers
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            print(f"ladder of {args.ladder_layers} layers", file=sys.stderr)
            ladder = {"companies": n, "layers": args.ladder_layers, "shape": "ladder",
                      "sovkg": run_worker("sovkg", n, out, 0.0, "ladder")}
            ladder["scipy"] = run_worker("scipy", n, out, args.matrix_limit, "ladder")
            ladder["brute"] = run_worker("brute", n, out, args.ladder_limit, "ladder")
            print(f"  {ladder}", file=sys.stderr)
    report = {
        "command": " ".join(["python", "bench/bench_ownership.py", *sys.argv[1:]]),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "targets": {"seconds_at_1M": TARGET_SECONDS, "mb_at_1M": TARGET_MB},
        "rows": rows,
        "ladder": ladder,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "ownership.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.results / "ownership.md").write_text(render(report), encoding="utf-8")
    print((args.results / "ownership.md").read_text(encoding="utf-8"))
    return 0


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:,.0f} MB"


def render(report: dict) -> str:
    rows = report["rows"]
    lines = [
        "# Effective ownership: sovkg against brute force and sparse linear algebra",
        "",
        f"Generated by `{report.get('command', 'python bench/bench_ownership.py')}` "
        f"(Python {report['machine']['python']}, {report['machine']['cpus']} CPUs, {report['machine']['platform']}).",
        "Each cell is a fresh process; times are the computation only (not generating the data); memory is the",
        "peak resident set of the process and, in brackets, its increase during the computation. `load` is the",
        "1-minute load average when the measurement started (other work on the machine slows it down).",
        "",
        "| companies | stakes | pairs | cycles (companies) | sovkg index | sovkg effective | sovkg non-EU "
        "| sovkg total | sovkg memory | as a dict | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        s = row["sovkg"]
        if "error" in s:
            lines.append(f"| {row['companies']:,} | error: {s['error']} |")
            continue
        lines.append(
            f"| {row['companies']:,} | {s['stakes']:,} | {s['pairs']:,} "
            f"| {s['cycles']:,} ({s['companies_on_cycles']:,}) "
            f"| {_fmt(s['index_s'])} | {_fmt(s['effective_s'])} | {_fmt(s['jurisdiction_s'])} "
            f"| **{_fmt(s['total_s'])}** | {_fmt(s['peak_rss_mb'], 'mb')} (+{_fmt(s['increase_mb'], 'mb')}) "
            f"| +{_fmt(s['materialise_s'])}, {_fmt(s['peak_with_dict_mb'], 'mb')} | {s['load_avg']:.1f} |")
    lines += [
        "",
        "Baselines, same run:",
        "",
        "| companies | scipy non-EU (build + spsolve) | sovkg non-EU (+ index) / scipy | scipy integrated matrix | "
        "sovkg total / scipy matrix | brute force | brute / sovkg total | agreement (max difference, points) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        s, c, b = row["sovkg"], row.get("scipy", {}), row.get("brute")
        if "error" in s:
            continue
        agg = f"{_fmt(c.get('aggregate_s'))}" if "aggregate_s" in c else f"– ({c.get('error', 'not run')})"
        ratio = f"{(s['index_s'] + s['jurisdiction_s']) / c['aggregate_s']:.1f}×" if "aggregate_s" in c else "–"
        if c.get("matrix_finished", True) and "matrix_s" in c:
            matrix = f"{_fmt(c['matrix_s'])} ({c['matrix_iterations']} products)"
            mratio = f"{s['total_s'] / c['matrix_s']:.2f}×"
        elif "matrix_s" in c:
            matrix = f"stopped after {_fmt(c['matrix_s'])} ({c['matrix_iterations']} products)"
            mratio = "–"
        else:
            matrix, mratio = "–", "–"
        if b is None:
            brute, bratio = "not run (above --brute-max)", "–"
        elif b.get("finished"):
            brute, bratio = _fmt(b["total_s"]), f"{b['total_s'] / s['total_s']:.1f}×"
        else:
            limit = b.get("limit_s", 0.0)
            brute, bratio = f"stopped at the {limit:.0f} s limit", f"> {limit / s['total_s']:.0f}×"
        checks = []
        if "max_diff_aggregate_pp" in c:
            checks.append(f"non-EU vs scipy {c['max_diff_aggregate_pp']:.1e}")
        if "max_diff_pairs_pp" in c:
            checks.append(f"pairs vs matrix {c['max_diff_pairs_pp']:.1e}")
        if b and "max_diff_pairs_pp" in b:
            checks.append(f"pairs vs brute {b['max_diff_pairs_pp']:.1e}")
            checks.append(f"non-EU vs brute {b['max_diff_aggregate_pp']:.1e}")
        lines.append(f"| {row['companies']:,} | {agg} | {ratio} | {matrix} | {mratio} | {brute} | {bratio} | "
                     f"{'; '.join(checks) or '–'} |")
    ladder = report.get("ladder")
    if ladder and "error" not in ladder["sovkg"]:
        s, b = ladder["sovkg"], ladder["brute"]
        brute = (_fmt(b["total_s"]) if b.get("finished")
                 else f"stopped at the {b.get('limit_s', 0.0):.0f} s limit after {b.get('walks', 0):,} walks")
        lines += ["", f"Ladder of {ladder['layers']} layers ({ladder['companies']} companies, each held 50/50 by the "
                  f"two above; 2^{ladder['layers'] - 1} chains top to bottom): sovkg {_fmt(s['total_s'])} "
                  f"({s['pairs']:,} pairs), scipy non-EU {_fmt(ladder['scipy'].get('aggregate_s'))}, "
                  f"brute force {brute}; agreement with scipy: non-EU "
                  f"{ladder['scipy'].get('max_diff_aggregate_pp', float('nan')):.1e}, pairs "
                  f"{ladder['scipy'].get('max_diff_pairs_pp', float('nan')):.1e} points."]
    ok = [r for r in rows if "error" not in r["sovkg"]]
    growth = []
    for small, large in itertools.pairwise(ok):
        factor = large["companies"] / small["companies"]
        growth.append(
            f"{small['companies']:,} → {large['companies']:,} (×{factor:g}): time ×"
            f"{large['sovkg']['total_s'] / small['sovkg']['total_s']:.1f}, pairs ×"
            f"{large['sovkg']['pairs'] / small['sovkg']['pairs']:.1f}, memory increase ×"
            f"{large['sovkg']['increase_mb'] / max(small['sovkg']['increase_mb'], 1e-9):.1f}")
    lines += ["", "Growth of sovkg's total per size step: " + ("; ".join(growth) if growth else "–") + "."]
    at_1m = next((r["sovkg"] for r in ok if r["companies"] == 1_000_000), None)
    if at_1m:
        verdict = ("met" if at_1m["total_s"] < TARGET_SECONDS and at_1m["peak_rss_mb"] < TARGET_MB else "NOT met")
        lines += ["", f"Target at 1M companies (< {TARGET_SECONDS:.0f} s, < {TARGET_MB:,.0f} MB): {verdict} "
                  f"({_fmt(at_1m['total_s'])}, {_fmt(at_1m['peak_rss_mb'], 'mb')} peak)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
