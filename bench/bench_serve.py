"""Load test of ``sovkg serve`` on loopback: N concurrent clients send mixed competency questions.

Starts ``sovkg serve`` (bundled case) as a subprocess on a free loopback port, then runs
``--clients`` threads for ``--seconds``, each posting one of the 29 competency questions (chosen
at random with a fixed seed, parameters bound by their header's example) and reading the whole
answer. Prints throughput, p50/p90/p99 latency and the error count, and writes them to
``bench/results/serve.md`` with ``--write``; exits 1 if any request failed.

Side by side, in the same run, the same mix evaluated in one process without HTTP, one query at a
time, for ``--baseline-seconds`` each: with Oxigraph (the engine behind the server) and with
rdflib's SPARQL engine (the reference pipeline's engine), as the baseline the server is compared to.

    python bench/bench_serve.py --clients 16 --seconds 30 --workers 2
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sovkg.publish.serve import example_queries  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(port: int, workers: int, timeout: float) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    process = subprocess.Popen(
        [sys.executable, "-m", "sovkg", "serve", "--port", str(port), "--at", "2026-11-29",
         "--workers", str(workers), "--timeout", str(timeout)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("sovkg serve did not start")


def _client(url: str, queries: list[str], seed: int, stop_at: float, latencies: list[float],
            errors: list[str]) -> None:
    chooser = random.Random(seed)
    while time.monotonic() < stop_at:
        query = chooser.choice(queries)
        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(url, data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                if response.status != 200:
                    errors.append(f"HTTP {response.status}")
                    continue
        except (urllib.error.URLError, OSError) as error:
            errors.append(str(error))
            continue
        latencies.append(time.perf_counter() - start)


def _in_process(seconds: float) -> list[str]:
    """The same mix, one query at a time, in this process: Oxigraph and rdflib."""
    import datetime as dt

    from sovkg.ask.queries import example_bindings, list_queries, run_query, run_query_oxigraph
    from sovkg.derive.knowledge_graph import build
    from sovkg.store.oxigraph import to_oxigraph

    kg = build(as_of=dt.date(2026, 11, 29))
    store = to_oxigraph(kg.dataset)
    union = kg.union
    specs = list(list_queries("cq"))
    lines = []
    engines = (("oxigraph", lambda spec: list(run_query_oxigraph(store, spec, example_bindings(spec)))),
               ("rdflib", lambda spec: list(run_query(union, spec, example_bindings(spec)))))
    for name, run in engines:
        chooser = random.Random(0)
        times: list[float] = []
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at:
            spec = chooser.choice(specs)
            start = time.perf_counter()
            run(spec)
            times.append(time.perf_counter() - start)
        times.sort()
        lines.append(f"in-process {name:8s} (1 at a time, no HTTP): {len(times) / sum(times):.1f} queries/s, "
                     f"p50={times[len(times) // 2] * 1000:.1f} ms "
                     f"p99={times[min(len(times) - 1, int(0.99 * len(times)))] * 1000:.1f} ms"
                     f" ({len(times)} queries)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2, help="sovkg serve --workers")
    parser.add_argument("--timeout", type=float, default=10.0, help="sovkg serve --timeout")
    parser.add_argument("--baseline-seconds", type=float, default=15.0,
                        help="seconds of in-process Oxigraph and rdflib runs (0: skip)")
    parser.add_argument("--write", action="store_true", help="write bench/results/serve.md")
    args = parser.parse_args()

    queries = [example["query"] for example in example_queries()]
    port = _free_port()
    server = _start(port, args.workers, args.timeout)
    url = f"http://127.0.0.1:{port}/sparql"
    latencies: list[float] = []
    errors: list[str] = []
    try:
        stop_at = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [threading.Thread(target=_client, args=(url, queries, seed, stop_at, latencies, errors))
                   for seed in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(10)
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")

    lines = [
        f"clients={args.clients} seconds={args.seconds:g} workers={args.workers} queries={len(queries)} (mixed CQs); "
        f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        f"requests={len(latencies)} errors={len(errors)} throughput={len(latencies) / elapsed:.1f} req/s",
        f"latency ms: p50={pct(0.50):.1f} p90={pct(0.90):.1f} p99={pct(0.99):.1f} "
        f"mean={statistics.fmean(ordered) * 1000 if ordered else float('nan'):.1f}",
    ]
    if args.baseline_seconds > 0:
        lines += _in_process(args.baseline_seconds)
    print("\n".join(lines))
    if errors:
        print("first errors:", errors[:5])
    if args.write:
        out = ROOT / "bench" / "results" / "serve.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("# sovkg serve load test (bench/bench_serve.py)\n\n```\n" + "\n".join(lines) + "\n```\n",
                       encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
