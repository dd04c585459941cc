"""Run SPARQL queries in killable worker processes, each with a time limit.

Takes a :class:`StoreSource` (an N-Quads dump to load into memory, or an on-disk Oxigraph store to
open read-only) and gives a :class:`QueryPool` whose :meth:`QueryPool.run` answers one
:class:`~sovkg.publish.sparql_protocol.QueryRequest` with a
:class:`~sovkg.publish.sparql_protocol.Reply`.

Why processes: Oxigraph evaluates a query in Rust and offers no way to interrupt it from Python;
a cartesian product or an aggregate over one produces no row to check the clock between. So each
query runs in a worker process with its own copy (or read-only view) of the store; when the time
limit passes, the server kills that worker, answers 503 with a clear message at once, and starts a
replacement in the background. The other workers keep serving, so concurrent queries do not block
each other (up to ``size`` at a time; more wait for a free worker, within the same limit).
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from sovkg.publish.sparql_protocol import QueryRequest, Reply


@dataclass(frozen=True)
class StoreSource:
    """Where a worker gets its store: ``kind`` is ``"nquads"`` (load the file into an in-memory Oxigraph
    store), ``"store"`` (open an on-disk Oxigraph store read-only) or ``"rdflib"`` (load the N-Quads file
    into an rdflib dataset: the rdflib backend, :mod:`sovkg.publish.sparql_rdflib`)."""

    kind: str
    path: str


def open_store(source: StoreSource) -> Any:
    """Open the store a worker queries (read-only for an on-disk store)."""
    import pyoxigraph as ox

    if source.kind == "rdflib":
        from sovkg.publish.sparql_rdflib import RdflibStore

        return RdflibStore.load(source.path)
    if source.kind == "store":
        return ox.Store.read_only(source.path)
    store = ox.Store()
    store.bulk_load(path=source.path, format=ox.RdfFormat.N_QUADS)
    return store


def worker_main(connection: Connection, source: StoreSource) -> None:
    """The worker's loop: open the store, say ready, then answer requests until the pipe closes."""
    from sovkg.publish.sparql_protocol import answer

    store = open_store(source)
    known = {str(graph.value) for graph in store.named_graphs()}
    connection.send(("ready", len(store)))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(answer(store, request, known))


class _Worker:
    def __init__(self, context: Any, source: StoreSource) -> None:
        parent, child = context.Pipe()
        self.connection: Connection = parent
        self.process = context.Process(target=worker_main, args=(child, source), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.connection.poll(timeout):
            self.kill()
            raise RuntimeError(f"a query worker did not start within {timeout:g} s")
        message = self.connection.recv()
        if not (isinstance(message, tuple) and message[0] == "ready"):
            raise RuntimeError(f"a query worker failed to start: {message!r}")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """A fixed number of worker processes answering queries, each query within ``timeout`` seconds."""

    def __init__(self, source: StoreSource, *, size: int = 2, timeout: float = 10.0,
                 startup_timeout: float = 120.0) -> None:
        self.source = source
        self.size = size
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.killed = 0
        """How many workers were killed because a query ran past the limit."""

    def start(self) -> None:
        """Start the workers and wait until each has loaded its store."""
        workers = [self._new() for _ in range(self.size)]
        for worker in workers:
            worker.wait_ready(self.startup_timeout)
            self._idle.put(worker)

    def _new(self) -> _Worker:
        worker = _Worker(self._context, self.source)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, dead: _Worker) -> None:
        with self._lock:
            self._all.discard(dead)
        dead.kill()
        for _attempt in range(3):
            if self._closed:
                return
            fresh = self._new()
            try:
                fresh.wait_ready(self.startup_timeout)
            except Exception:  # pragma: no cover - a worker that cannot start is retried
                with self._lock:
                    self._all.discard(fresh)
                fresh.kill()
                continue
            self._idle.put(fresh)
            return

    def run(self, request: QueryRequest) -> Reply:
        """Answer one request; blocks the calling thread (call it from a thread pool)."""
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Reply.error(503, f"all {self.size} query workers stayed busy for {self.timeout:g} s "
                                    "(--timeout); try again later")
        try:
            worker.connection.send(request)
            remaining = max(deadline - time.monotonic(), 0.001)
            if worker.connection.poll(remaining):
                reply: Reply = worker.connection.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError, BrokenPipeError):
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            return Reply.error(500, "the query worker stopped unexpectedly; the query was not answered")
        self.killed += 1
        threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
        return Reply.error(503, f"the query ran past this server's time limit of {self.timeout:g} s "
                                "(--timeout) and was stopped")

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
