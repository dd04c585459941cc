"""Load test of ``sovkg serve`` on loopback, Oxigraph-backed and rdflib-backed side by side, in one run.

For each backend (``sovkg serve --engine store``, Oxigraph, then ``--engine rdflib``, rdflib's SPARQL
engine over the graph the rdflib reference pipeline derives; same bundled case, same date, same
limits), starts the server as a subprocess on a free loopback port, then runs ``--clients`` threads
for ``--seconds``, each posting one of the competency questions (chosen at random with a fixed seed per
client, so both backends get the same sequence; parameters bound by their header's example) and
reading the whole answer. Any answer other than 200 is an error. Just before the server stops, its
peak resident memory is read from ``/proc`` (``VmHWM``): the server process, and the server with its
query workers.

Prints a table (requests, errors, throughput, p50/p90/p99 latency, peak RSS) with the ratio of the
two backends, writes it to ``bench/results/serve.md`` and ``serve.json`` with ``--write`` (or the JSON
alone to ``--json PATH``), and exits 1 if any request failed.

    python bench/bench_serve.py --clients 16 --seconds 30 --workers 2 --write
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sovkg.publish.serve import example_queries  # noqa: E402

BACKENDS = {"oxigraph": "store", "rdflib": "rdflib"}
"""Backend name in the results → ``sovkg serve --engine`` value."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(port: int, engine: str, workers: int, timeout: float) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    process = subprocess.Popen(
        [sys.executable, "-m", "sovkg", "serve", "--port", str(port), "--at", "2026-11-29", "--engine", engine,
         "--workers", str(workers), "--timeout", str(timeout)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    for _ in range(900):
        if process.poll() is not None:
            raise SystemExit(f"sovkg serve --engine {engine} exited: {process.stderr.read().decode()[-2000:]}"
                             if process.stderr else "sovkg serve exited")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"sovkg serve --engine {engine} did not start")


def _peak_rss_kib(pid: int) -> int:
    """``VmHWM`` of a process, in KiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found = []
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        children = [int(c) for task in tasks for c in (task / "children").read_text().split()]
    except OSError:
        return found
    for child in children:
        found += [child, *_descendants(child)]
    return found


def _client(url: str, queries: list[str], seed: int, stop_at: float, latencies: list[float],
            errors: list[str], timeout: float) -> None:
    chooser = random.Random(seed)
    while time.monotonic() < stop_at:
        query = chooser.choice(queries)
        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(url, data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout + 60) as response:
                response.read()
        except urllib.error.HTTPError as error:
            errors.append(f"HTTP {error.code}: {error.read()[:200]!r}")
            continue
        except (urllib.error.URLError, OSError) as error:
            errors.append(str(error))
            continue
        latencies.append(time.perf_counter() - start)


def run_backend(name: str, queries: list[str], *, clients: int, seconds: float, workers: int,
                timeout: float) -> dict[str, Any]:
    """Load one backend's server for ``seconds`` with ``clients`` concurrent clients; its figures."""
    port = _free_port()
    server = _start(port, BACKENDS[name], workers, timeout)
    url = f"http://127.0.0.1:{port}/sparql"
    latencies: list[float] = []
    errors: list[str] = []
    try:
        stop_at = time.monotonic() + seconds
        started = time.monotonic()
        threads = [threading.Thread(target=_client, args=(url, queries, seed, stop_at, latencies, errors, timeout))
                   for seed in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        workers_pids = _descendants(server.pid)
        server_kib = _peak_rss_kib(server.pid)
        total_kib = server_kib + sum(_peak_rss_kib(pid) for pid in workers_pids)
    finally:
        server.terminate()
        server.wait(10)
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1) if ordered else float("nan")

    return {
        "backend": name,
        "requests": len(latencies),
        "errors": len(errors),
        "elapsed_s": round(elapsed, 1),
        "throughput_rps": round(len(latencies) / elapsed, 2),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else float("nan"),
        "peak_rss_server_mib": round(server_kib / 1024, 1),
        "peak_rss_with_workers_mib": round(total_kib / 1024, 1),
        "processes": 1 + len(workers_pids),
        "first_errors": errors[:5],
    }


def _ratio(a: float, b: float) -> str:
    if not b:
        return "n/a"
    value = a / b
    return f"{value:.1f}×" if value >= 1 else f"{value:.3f}×"


def render(run: dict[str, Any]) -> str:
    """The Markdown table of a run, with the ratios of the second backend's figures to the first's."""
    rows = run["results"]
    lines = [
        f"clients={run['clients']} seconds={run['seconds']:g} workers={run['workers']} timeout={run['timeout']:g} s "
        f"queries={run['queries']} (mixed CQs); {run['machine']}",
        "",
        "| backend | requests | errors | throughput (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | "
        "peak RSS server (MiB) | peak RSS server + workers (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['backend']} | {r['requests']} | {r['errors']} | {r['throughput_rps']:.1f} | "
                     f"{r['p50_ms']:.1f} | {r['p90_ms']:.1f} | {r['p99_ms']:.1f} | {r['peak_rss_server_mib']:.1f} | "
                     f"{r['peak_rss_with_workers_mib']:.1f} |")
    if len(rows) == 2:
        a, b = rows
        lines.append(
            f"| ratio {b['backend']} ÷ {a['backend']} | | | {_ratio(b['throughput_rps'], a['throughput_rps'])} | "
            f"{_ratio(b['p50_ms'], a['p50_ms'])} | {_ratio(b['p90_ms'], a['p90_ms'])} | "
            f"{_ratio(b['p99_ms'], a['p99_ms'])} | {_ratio(b['peak_rss_server_mib'], a['peak_rss_server_mib'])} | "
            f"{_ratio(b['peak_rss_with_workers_mib'], a['peak_rss_with_workers_mib'])} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the load on each backend")
    parser.add_argument("--workers", type=int, default=2, help="sovkg serve --workers")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="sovkg serve --timeout: time a request may wait for a worker and run (default: 600, "
                             "so that rdflib's slower answers, up to 40 s alone for CQ11, queue rather than fail)")
    parser.add_argument("--backends", default="oxigraph,rdflib", help="comma-separated, in order (default: both)")
    parser.add_argument("--write", action="store_true", help="write bench/results/serve.md and serve.json")
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON to PATH")
    args = parser.parse_args()

    names = [n.strip() for n in args.backends.split(",") if n.strip()]
    unknown = [n for n in names if n not in BACKENDS]
    if unknown or not names:
        parser.error(f"--backends: choose among {', '.join(BACKENDS)}")
    queries = [example["query"] for example in example_queries()]
    results = [run_backend(name, queries, clients=args.clients, seconds=args.seconds, workers=args.workers,
                           timeout=args.timeout) for name in names]
    run = {
        "date": dt.date.today().isoformat(),
        "clients": args.clients, "seconds": args.seconds, "workers": args.workers, "timeout": args.timeout,
        "queries": len(queries),
        "machine": f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end",
        "results": results,
    }
    table = render(run)
    print(table)
    for r in results:
        if r["errors"]:
            print(f"{r['backend']}: first errors: {r['first_errors']}")
    text = json.dumps(run, indent=2) + "\n"
    if args.json:
        Path(args.json).write_text(text, encoding="utf-8")
    if args.write:
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "serve.json").write_text(text, encoding="utf-8")
        (out / "serve.md").write_text(
            "# sovkg serve load test (bench/bench_serve.py)\n\n"
            "Oxigraph-backed (`sovkg serve`) and rdflib-backed (`sovkg serve --engine rdflib`) servers, one after\n"
            "the other in the same run, same queries, same limits; latency measured by the clients on loopback,\n"
            "waiting for a free query worker included (the clients outnumber the workers).\n\n"
            f"```\npython bench/bench_serve.py --clients {args.clients} --seconds {args.seconds:g} "
            f"--workers {args.workers} --timeout {args.timeout:g} --write\n```\n\n{table}\n",
            encoding="utf-8")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
