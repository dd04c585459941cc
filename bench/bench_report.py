"""Benchmark ``sovkg report`` end to end against the naive pipeline, side by side in one run.

Each measurement is a fresh process (``python -m sovkg report`` or ``bench/naive_report.py``),
timed by wall clock, with its peak resident memory read from the kernel (``os.wait4``). Three
runs per cell, median reported. Sizes: the bundled French case alone, then the case plus
synthetic graphs of growing size (``bench/synthetic.py``) to show how cost grows; the naive
pipeline is skipped above ``--naive-max`` companies because its cost grows too fast.

    python bench/bench_report.py                       # default sizes, writes bench/results/
    python bench/bench_report.py --sizes 0 100 --runs 1

Results go to ``bench/results/report.md`` and ``bench/results/report.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import generate  # noqa: E402

DAY = "2026-11-29"


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run a command; return (wall seconds, peak RSS in MB, exit code, stdout)."""
    # Output goes to files, not pipes: waiting on a child that fills a pipe nobody reads never ends.
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out_file, stderr=err_file, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out_file.seek(0)
        err_file.seek(0)
        out = out_file.read().decode()
        err = err_file.read().decode()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}):\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, code, out


def measure(label: str, cmd: list[str], env: dict[str, str], runs: int, before=None) -> dict:
    walls, rss, out = [], [], ""
    for _ in range(runs):
        if before:
            before()
        wall, peak, _, out = run(cmd, env)
        walls.append(wall)
        rss.append(peak)
    row = {
        "variant": label,
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "peak_rss_mb": max(rss),
        "runs": runs,
        "last_stdout_tail": out.strip().splitlines()[-1:],
    }
    print(
        f"  {label:28} median {row['median_s']:.3f} s  min {row['min_s']:.3f} s  peak {row['peak_rss_mb']:.0f} MB",
        file=sys.stderr,
    )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[0, 100, 1000, 10000],
        help="synthetic companies added to the French case (0 = the case alone)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-max", type=int, default=1000, help="largest size the naive pipeline is run on")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = dict(os.environ, SOVKG_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT / "src"))

        def clear_reports() -> None:
            """A cold run: no cached report or validation (the compiled shape queries stay, like .pyc files)."""
            for f in cache.glob("*.json"):
                f.unlink()

        def clear_everything() -> None:
            """A first run on a new machine: nothing cached at all."""
            for f in cache.glob("**/*"):
                if f.is_file():
                    f.unlink()

        for size in args.sizes:
            data: list[str] = []
            if size:
                path = Path(tmp) / f"synthetic-{size}.ttl"
                path.write_text(generate(size), encoding="utf-8")
                data = [str(path)]
            print(f"size: French case + {size} synthetic companies", file=sys.stderr)
            data_args = [a for p in data for a in ("--data", p)]
            sovkg = [py, "-m", "sovkg", "report", "--at", DAY, *data_args]
            first = measure("sovkg report (first run)", sovkg, env, args.runs, before=clear_everything)
            cold = measure("sovkg report (cold)", sovkg, env, args.runs, before=clear_reports)
            warm = measure("sovkg report (warm cache)", sovkg, env, args.runs)
            entry = {"size": size, "first": first, "cold": cold, "warm": warm}
            if size <= args.naive_max:
                naive = measure(
                    "naive (owlrl + SPARQL + pyshacl)",
                    [py, str(ROOT / "bench" / "naive_report.py"), DAY, *data],
                    env,
                    args.runs,
                )
                entry["naive"] = naive
                entry["naive_over_first"] = naive["median_s"] / first["median_s"]
                entry["naive_over_cold"] = naive["median_s"] / cold["median_s"]
                entry["naive_over_warm"] = naive["median_s"] / warm["median_s"]
            rows.append(entry)
    meta = {"python": sys.version.split()[0], "machine": platform.machine(), "cpus": os.cpu_count(), "date": DAY}
    (args.out / "report.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    lines = [
        "# `sovkg report` vs the naive pipeline",
        "",
        f"Generated by `python bench/bench_report.py {' '.join(sys.argv[1:])}` (Python {meta['python']}, "
        f"{meta['cpus']} CPUs). Wall time per fresh process (interpreter start and imports included), median "
        "of the runs; peak RSS of the process. *first run*: nothing cached; *cold*: no cached report or "
        "validation, the compiled shape queries kept (like .pyc files); *warm*: the report cached for these "
        "inputs. The naive pipeline is `bench/naive_report.py` (rdflib parsing, full owlrl closure, the same "
        "shapes and every competency question).",
        "",
        "| synthetic companies | sovkg first run (s) | sovkg cold (s) | sovkg warm (s) | naive (s) | "
        "naive / first | naive / cold | naive / warm | peak MB cold | peak MB naive |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in rows:
        naive = e.get("naive")
        cells = [str(e["size"]), f"{e['first']['median_s']:.3f}", f"{e['cold']['median_s']:.3f}",
                 f"{e['warm']['median_s']:.3f}"]
        if naive:
            cells += [f"{naive['median_s']:.2f}", f"{e['naive_over_first']:.1f}×", f"{e['naive_over_cold']:.1f}×",
                      f"{e['naive_over_warm']:.1f}×"]
        else:
            cells += ["–", "–", "–", "–"]
        cells += [f"{e['cold']['peak_rss_mb']:.0f}", f"{naive['peak_rss_mb']:.0f}" if naive else "–"]
        lines.append("| " + " | ".join(cells) + " |")
    (args.out / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
