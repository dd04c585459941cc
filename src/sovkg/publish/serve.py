"""``sovkg serve``: a read-only SPARQL 1.1 endpoint and linked-data server over one Oxigraph store.

Takes a pyoxigraph :class:`~pyoxigraph.Store` (:func:`create_app`; the bundled case is loaded into
an in-memory store by :func:`store_from_graph`, an on-disk store is opened read-only by
:func:`open_disk_store`) and gives a Starlette application, run by uvicorn (:func:`serve`):

- ``/sparql``: the W3C SPARQL 1.1 Protocol (GET; POST form-encoded or ``application/sparql-query``);
  results negotiated by ``Accept`` or ``format`` (:mod:`sovkg.publish.sparql_protocol`); without a
  query, the service description in Turtle, or the query page for a browser; updates refused (403).
  Queries run in killable worker processes (:mod:`sovkg.publish.query_pool`) with a time limit and a
  result-size cap; request bodies are bounded. Oxigraph evaluates them, or rdflib's SPARQL engine with
  ``--engine rdflib`` (:mod:`sovkg.publish.sparql_rdflib`; the graph is then derived by the rdflib
  reference pipeline too), for comparison.
- ``/`` and ``/query``: the query page (YASGUI, vendored under ``static/``; no CDN), with the
  competency questions as example tabs.
- ``/id/…``, ``/ns``, ``/ontology/…``, ``/graph/…``: every IRI the graph mints under
  ``https://w3id.org/sovkg/``, as Turtle, JSON-LD or N-Triples (:mod:`sovkg.publish.linked_data`) or
  as the HTML entity page of the static site (:mod:`sovkg.publish.pages`, the one renderer of entity
  pages), by content negotiation or ``?format=``. A page speaks the language of ``?lang=fr|en``, else
  of ``Accept-Language``, else the server's ``--lang`` (:func:`page_language`); answers vary on
  ``Accept`` and ``Accept-Language``.
- ``/ontology`` (and ``/ns`` for a browser): the ontology documentation (pyLODE,
  ``docs/ontology/index.html``).
- ``/.well-known/void`` (and ``/void``): the VoID/DCAT description (:mod:`sovkg.publish.void`);
  ``/dataset.nq``: the whole dataset; ``/context.jsonld``: the JSON-LD context; ``/health``.

Every answer carries ``Access-Control-Allow-Origin: *``; preflight requests are answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import sys
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sovkg.core.errors import SovkgInputError, UnknownEntityError
from sovkg.core.i18n import LANGS, check_lang, message
from sovkg.publish import linked_data
from sovkg.publish.query_pool import QueryPool, StoreSource
from sovkg.publish.sparql_protocol import QueryRequest, Reply, negotiate, parse_accept
from sovkg.publish.void import DatasetFacts, service_description, void_graph

STATIC = Path(__file__).with_name("static")
"""The vendored query page assets (YASGUI)."""

_GRAPH_TYPES = {"turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples"}


@dataclass(frozen=True)
class ServeSettings:
    """The server's limits; every one has a command-line option of the same name."""

    timeout: float = 10.0
    """Seconds a query may run (``--timeout``)."""
    max_rows: int = 10_000
    """Rows (or triples) a result may hold (``--max-rows``)."""
    max_request_bytes: int = 64 * 1024
    """Bytes a request body or a GET query may hold (``--max-request-bytes``)."""
    workers: int = 2
    """Query worker processes, i.e. queries that run at once (``--workers``)."""
    lang: str = "en"
    """Language of the HTML pages when the request names none (``--lang``)."""
    engine: str = "store"
    """Who evaluates SPARQL (``--engine``): ``store``, Oxigraph; ``rdflib``, rdflib's SPARQL engine over the
    same dataset (:mod:`sovkg.publish.sparql_rdflib`), behind the same guard, time limit and cap."""


def store_from_graph(dataset: Any) -> ox.Store:
    """An in-memory Oxigraph store holding an rdflib dataset's named graphs."""
    from sovkg.store.oxigraph import to_oxigraph

    return to_oxigraph(dataset)


def open_disk_store(path: str | Path) -> ox.Store:
    """Open an Oxigraph store on disk read-only; a missing or unreadable one is a :class:`SovkgInputError`."""
    folder = Path(path)
    if not folder.is_dir():
        raise SovkgInputError(f"{folder}: no Oxigraph store there (expected a folder made by pyoxigraph)")
    try:
        return ox.Store.read_only(str(folder))
    except OSError as error:
        raise SovkgInputError(f"{folder}: cannot open the Oxigraph store read-only ({error})") from None


def create_app(
    store: ox.Store,
    *,
    settings: ServeSettings | None = None,
    facts: DatasetFacts | None = None,
    store_path: str | Path | None = None,
    base_url: str | None = None,
    kg: Any = None,
) -> Starlette:
    """The ASGI application serving ``store``.

    Query workers open ``store_path`` read-only when it is given (an on-disk store), otherwise the
    store is dumped once to a temporary N-Quads file that each worker loads into memory (into an
    rdflib dataset with ``settings.engine == "rdflib"``, whatever the store). The workers start with the
    application (its lifespan) and stop with it.

    ``kg`` is the :class:`~sovkg.derive.knowledge_graph.KnowledgeGraph` the HTML entity pages are
    rendered from; without it, the graph the store holds is read (once, at the first page asked for)
    with :func:`~sovkg.derive.knowledge_graph.open_knowledge_graph`.
    """
    config = settings or ServeSettings()
    check_lang(config.lang)
    if config.engine not in ("store", "rdflib"):
        raise SovkgInputError(f"--engine {config.engine!r}: expected store or rdflib")
    state = _State(store, config, facts or DatasetFacts(), base_url, kg)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        with tempfile.TemporaryDirectory(prefix="sovkg-serve-") as folder:
            if store_path is not None and config.engine == "store":
                source = StoreSource("store", str(store_path))
            else:
                dump = Path(folder) / "dataset.nq"
                store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
                source = StoreSource("rdflib" if config.engine == "rdflib" else "nquads", str(dump))
            state.pool = QueryPool(source, size=config.workers, timeout=config.timeout)
            await run_in_threadpool(state.pool.start)
            try:
                yield
            finally:
                state.pool.close()

    routes = [
        Route("/", state.query_page, methods=["GET"]),
        Route("/query", state.query_page, methods=["GET"]),
        Route("/sparql", state.sparql, methods=["GET", "POST"]),
        Route("/health", state.health, methods=["GET"]),
        Route("/.well-known/void", state.void, methods=["GET"]),
        Route("/void", state.void, methods=["GET"]),
        Route("/dataset.nq", state.dump, methods=["GET"]),
        Route("/context.jsonld", state.context, methods=["GET"]),
        Route("/examples.json", state.examples, methods=["GET"]),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
        Route("/ns", state.entity, methods=["GET"]),
        Route("/ontology", state.ontology, methods=["GET"]),
        Route("/{kind:str}/{rest:path}", state.entity, methods=["GET"]),
    ]
    middleware = [
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                   allow_headers=["*"], expose_headers=["Content-Type", "Content-Length"], max_age=86400),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


class _State:
    def __init__(self, store: ox.Store, settings: ServeSettings, facts: DatasetFacts, base_url: str | None,
                 kg: Any) -> None:
        self.store = store
        self.settings = settings
        self.facts = facts
        self.base_url = base_url
        self.pool: QueryPool | None = None
        self._void: dict[str, Any] = {}
        self._kg = kg
        self._kg_ready = False
        self._kg_lock = threading.Lock()

    # ------------------------------------------------------------------------------------ SPARQL

    async def sparql(self, request: Request) -> Response:
        try:
            params = await self._params(request)
        except _TooLarge as error:
            return _reply(Reply.error(413, str(error)))
        except ValueError as error:
            return _reply(Reply.error(400, str(error)))
        if "update" in params or request.headers.get("content-type", "").startswith("application/sparql-update"):
            return _reply(Reply.error(403, "updates are not allowed: this endpoint is read-only"))
        queries = params.get("query", [])
        if len(queries) > 1:
            return _reply(Reply.error(400, "give exactly one 'query' parameter"))
        accept = request.headers.get("accept")
        fmt_values = params.get("format") or params.get("output") or params.get("results") or []
        fmt = fmt_values[0] if fmt_values else None
        if not queries:
            if request.method == "GET" and _wants_html(accept) and fmt is None:
                return await self.query_page(request)
            name = negotiate(accept, fmt, _GRAPH_TYPES, 1)
            graph = service_description(self._base(request))
            return _graph_response(graph, name)
        query_request = QueryRequest(
            query=queries[0],
            accept=accept,
            fmt=fmt,
            default_graph_uris=tuple(params.get("default-graph-uri", [])),
            named_graph_uris=tuple(params.get("named-graph-uri", [])),
            max_rows=self.settings.max_rows,
        )
        assert self.pool is not None
        reply = await run_in_threadpool(self.pool.run, query_request)
        return _reply(reply)

    async def _params(self, request: Request) -> dict[str, list[str]]:
        limit = self.settings.max_request_bytes
        raw_query = request.url.query
        if len(raw_query.encode()) > limit:
            raise _TooLarge(f"the request is larger than this server's limit of {limit} bytes "
                            "(--max-request-bytes)")
        params = parse_qs(raw_query, keep_blank_values=True)
        if request.method != "POST":
            return params
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise _TooLarge(f"the request body ({declared} bytes) is larger than this server's limit of {limit} "
                            "bytes (--max-request-bytes)")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise _TooLarge(f"the request body is larger than this server's limit of {limit} bytes "
                                "(--max-request-bytes)")
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("the request body is not UTF-8") from None
        if media == "application/sparql-query":
            params.setdefault("query", []).append(text)
        elif media == "application/sparql-update":
            params.setdefault("update", []).append(text)
        elif media in ("application/x-www-form-urlencoded", ""):
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        else:
            raise ValueError(f"unsupported request content type {media!r}: use application/x-www-form-urlencoded "
                             "or application/sparql-query")
        return params

    # ------------------------------------------------------------------------------ linked data

    async def entity(self, request: Request) -> Response:
        path = request.url.path
        if not (path == "/ns" or path.split("/")[1] in ("id", "ontology", "graph")):
            return PlainTextResponse("not found\n", status_code=404)
        iri = linked_data.iri_for_path(path) if path != "/ns" else "https://w3id.org/sovkg/ns"
        fmt = request.query_params.get("format")
        accept = request.headers.get("accept")
        headers = {"Vary": "Accept, Accept-Language",
                   "Link": '<?format=turtle>; rel="alternate"; type="text/turtle", '
                           '<?format=jsonld>; rel="alternate"; type="application/ld+json"'}
        if (fmt is None and _wants_html(accept)) or fmt == "html":
            if path == "/ns":
                return await self.ontology(request)
            try:
                lang = page_language(request.query_params.get("lang"), request.headers.get("accept-language"),
                                     self.settings.lang)
            except SovkgInputError as error:
                return PlainTextResponse(f"{error}\n", status_code=400, headers=headers)
            try:
                page = await run_in_threadpool(self._page, iri, lang, "lang" in request.query_params)
            except UnknownEntityError:
                return PlainTextResponse(f"<{iri}> is not in this dataset\n", status_code=404, headers=headers)
            return HTMLResponse(page, headers=headers | {"Content-Language": lang})
        if path == "/ns":
            graph = await run_in_threadpool(_vocabulary, self.store)
        else:
            graph = await run_in_threadpool(linked_data.describe, self.store, iri)
        if len(graph) == 0:
            return PlainTextResponse(f"<{iri}> is not in this dataset\n", status_code=404, headers=headers)
        name = negotiate(accept, fmt, _GRAPH_TYPES, 1)
        body = await run_in_threadpool(linked_data.serialize_description, graph, name)
        return Response(body, media_type=_GRAPH_TYPES[name], headers=headers)

    def _knowledge_graph(self) -> Any:
        """The graph the pages are rendered from, read and checked once (later requests only read it)."""
        with self._kg_lock:
            if not self._kg_ready:
                from sovkg.check.shapes import validate

                if self._kg is None:
                    from sovkg.derive.knowledge_graph import open_knowledge_graph
                    from sovkg.store.engine import LocalStore

                    self._kg = open_knowledge_graph(LocalStore(self.store))
                _ = self._kg.union, self._kg.asserted, self._kg.findings
                validate(self._kg)  # memoised on the graph: every page reads the same results
                self._kg_ready = True
            return self._kg

    def _page(self, iri: str, lang: str, explicit: bool) -> str:
        """The entity page of ``iri``; links to other IRIs of the graph stay on this server (and keep
        ``?lang`` when the request named it)."""
        from sovkg.publish.pages import Alternate, NavLink, entity_page

        suffix = f"?lang={lang}" if explicit else ""

        def href(target: str) -> str:
            local = linked_data.path_for_iri(target)
            if local is None:
                return target
            where, hash_, fragment = local.partition("#")
            return where + suffix + hash_ + fragment

        alternates = [Alternate(name, _GRAPH_TYPES[key], f"?format={key}")
                      for key, name in (("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("ntriples", "N-Triples"))]
        nav = [NavLink(message("sparql_endpoint", lang), "/sparql"),
               NavLink(message("dataset_description", lang), "/.well-known/void")]
        return entity_page(self._knowledge_graph(), iri, lang, href=href, alternates=alternates, home="/", nav=nav)

    async def ontology(self, request: Request) -> Response:
        from sovkg.core.resources import resource_path

        page = resource_path("docs/ontology/index.html")
        if not page.is_file():
            return PlainTextResponse("the ontology documentation is not installed with this copy of sovkg\n",
                                     status_code=404)
        return HTMLResponse(await run_in_threadpool(page.read_text, encoding="utf-8"))

    async def void(self, request: Request) -> Response:
        base = self._base(request)
        if base not in self._void:
            self._void[base] = await run_in_threadpool(void_graph, self.store, base, self.facts)
        name = negotiate(request.headers.get("accept"), request.query_params.get("format"), _GRAPH_TYPES, 1)
        return _graph_response(self._void[base], name)

    async def dump(self, request: Request) -> Response:
        body = await run_in_threadpool(self.store.dump, format=ox.RdfFormat.N_QUADS)
        return Response(body, media_type="application/n-quads")

    async def context(self, request: Request) -> Response:
        from sovkg.publish.jsonld_context import load_context

        return JSONResponse(load_context(), media_type="application/ld+json")

    async def examples(self, request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(example_queries))

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "engine": self.settings.engine,
                             "killed_workers": self.pool.killed if self.pool else 0})

    async def query_page(self, request: Request) -> Response:
        return HTMLResponse(_QUERY_PAGE)

    def _base(self, request: Request) -> str:
        return self.base_url or str(request.base_url).rstrip("/")


class _TooLarge(Exception):
    pass


def page_language(asked: str | None, accept_language: str | None, default: str = "en") -> str:
    """The language of a page: ``asked`` (the ``lang`` parameter) when given, else the preferred language of
    ``accept_language`` that sovkg speaks, else ``default``. An unsupported ``asked`` is refused.

    >>> page_language(None, "fr-FR,fr;q=0.9,en;q=0.8"), page_language("en", "fr"), page_language(None, "de, *")
    ('fr', 'en', 'en')
    >>> page_language(None, "de;q=1, en;q=0.2, fr;q=0.5", "en"), page_language(None, None, "fr")
    ('fr', 'fr')
    """
    if asked is not None:
        if asked not in LANGS:
            raise SovkgInputError(f"lang={asked!r}: choose one of {', '.join(LANGS)}")
        return asked
    best: tuple[float, int, str] | None = None
    for position, (tag, quality) in enumerate(parse_accept(accept_language or "")):
        primary = tag.split("-", 1)[0]
        if quality > 0 and primary in LANGS and (best is None or (quality, -position) > best[:2]):
            best = (quality, -position, primary)
    return best[2] if best is not None else default


def _wants_html(accept: str | None) -> bool:
    if not accept:
        return False
    ranked = sorted(parse_accept(accept), key=lambda item: -item[1])
    for media, quality in ranked:
        if quality <= 0:
            continue
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media in _GRAPH_TYPES.values() or media in ("application/rdf+xml", "application/json"):
            return False
    return False


def _reply(reply: Reply) -> Response:
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=reply.headers)


def _graph_response(graph: Any, name: str) -> Response:
    from sovkg.publish.jsonld_context import to_jsonld

    if name == "jsonld":
        return Response(to_jsonld(graph), media_type="application/ld+json")
    body = graph.serialize(format="nt" if name == "ntriples" else "turtle", encoding="utf-8")
    return Response(body, media_type=_GRAPH_TYPES.get(name, "text/turtle"))


def _vocabulary(store: ox.Store) -> Any:
    from rdflib import Graph

    from sovkg.store.oxigraph import from_oxigraph_term

    graph = Graph()
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'https://w3id.org/sovkg/ns#')) }"
    result: Any = store.query(query, use_default_graph_as_union=True)
    for triple in result:
        graph.add((from_oxigraph_term(triple.subject), from_oxigraph_term(triple.predicate),
                   from_oxigraph_term(triple.object)))
    return graph


def example_queries() -> list[dict[str, str]]:
    """The competency questions as runnable examples (parameters bound by a trailing ``VALUES``).

    >>> examples = example_queries()
    >>> examples[0]["name"], "VALUES" in examples[0]["query"]
    ('CQ01', True)
    """
    from sovkg.ask.queries import example_bindings, list_queries

    out = []
    for spec in list_queries("cq"):
        text = spec.text.rstrip() + "\n"
        bindings = example_bindings(spec)
        if bindings:
            names = " ".join(f"?{name}" for name in bindings)
            values = " ".join(value.n3() for value in bindings.values())
            text += f"VALUES ({names}) {{ ({values}) }}\n"
        out.append({"name": spec.code, "title": spec.title, "question": spec.question, "query": text})
    return out


_QUERY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sovkg SPARQL endpoint</title>
<link rel="stylesheet" href="/static/yasgui.min.css">
<style>
body{margin:0;font:14px system-ui,sans-serif;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:10px 20px}header a{color:#cfe3ff;margin-right:1em}
header h1{display:inline;font-size:1.2em;margin-right:1.5em}
#examples{padding:8px 20px;background:#fff;border-bottom:1px solid #d9dee5;max-height:7.5em;overflow:auto}
#examples button{margin:2px;padding:3px 7px;border:1px solid #b8c2cc;background:#eef1f5;border-radius:3px;
  cursor:pointer}
#yasgui{padding:0 10px}
.yasgui .autocompleteWrapper{display:none !important}
</style></head><body>
<header><h1>sovkg SPARQL endpoint</h1><a href="/.well-known/void">dataset (VoID)</a><a href="/ns">vocabulary</a>
<a href="/sparql?format=turtle">service description</a></header>
<div id="examples"><strong>Competency questions:</strong> </div>
<div id="yasgui"></div>
<script src="/static/yasgui.min.js"></script>
<script>
(function () {
  var endpoint = window.location.origin + "/sparql";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST",
      acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
      acceptHeaderGraph: "text/turtle,*/*;q=0.9" },
    copyEndpointOnNewTab: true, endpointCatalogueOptions: { getData: function () { return []; } },
    persistenceId: null, yasqe: { autocompleters: ["variables"] }
  });
  fetch("/examples.json").then(function (r) { return r.json(); }).then(function (examples) {
    var box = document.getElementById("examples");
    examples.forEach(function (ex, i) {
      var b = document.createElement("button");
      b.textContent = ex.name; b.title = ex.question;
      b.onclick = function () {
        var tab = yasgui.addTab(true, { name: ex.name, yasqe: { value: ex.query },
                                        requestConfig: { endpoint: endpoint } });
        tab.show(); tab.getYasqe().setValue(ex.query);
      };
      box.appendChild(b);
      if (i === 0) { yasgui.getTab().getYasqe().setValue(ex.query); }
    });
    // /?run=CQ16 opens that question and runs it (handy for links and screenshots)
    var wanted = new URLSearchParams(window.location.search).get("run");
    var found = examples.filter(function (ex) { return ex.name === wanted; })[0];
    if (found) {
      var yasqe = yasgui.getTab().getYasqe();
      yasqe.setValue(found.query); yasqe.query();
    }
  });
})();
</script>
</body></html>
"""


def serve(app: Starlette, *, host: str = "127.0.0.1", port: int = 8000,
          announce: Callable[[str], None] | None = None) -> None:
    """Run ``app`` with uvicorn until interrupted (headers bounded by h11's defaults)."""
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=5, h11_max_incomplete_event_size=16 * 1024)
    server = uvicorn.Server(config)
    if announce is not None:
        announce(f"serving http://{host}:{port}/sparql (query page at http://{host}:{port}/)")
    asyncio.run(server.serve())


def run_cli(args: Any) -> int:
    """The ``sovkg serve`` command: build or open the store, then serve it until interrupted."""
    settings = ServeSettings(timeout=args.timeout, max_rows=args.max_rows,
                             max_request_bytes=args.max_request_bytes, workers=args.workers, lang=args.lang,
                             engine=args.engine)
    if args.timeout <= 0 or args.max_rows < 0 or args.workers < 1 or args.max_request_bytes < 1024:
        raise SovkgInputError("--timeout must be > 0, --max-rows >= 0, --workers >= 1, --max-request-bytes >= 1024")
    if not 0 <= args.port <= 65535:
        raise SovkgInputError(f"--port {args.port}: not a TCP port")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"sovkg: warning: listening on {args.host}, not only on this machine (loopback); "
              "the endpoint is read-only and has no authentication", file=sys.stderr)
    if getattr(args, "endpoint", None):
        raise SovkgInputError("--endpoint does not apply to serve: it serves the bundled case and --data, or an "
                              "Oxigraph store (--store PATH)")
    store_path = None
    kg = None
    if args.store:
        if args.data or args.scenario or args.at or args.no_case:
            raise SovkgInputError("--data, --no-case, --scenario and --at do not apply to --store, which holds a "
                                  "graph derived already (`sovkg derive --store PATH --at DATE`)")
        store = open_disk_store(args.store)
        store_path = args.store
        facts = DatasetFacts()
    else:
        from sovkg.derive.knowledge_graph import build

        kg = build(args.data, include_case=not args.no_case, as_of=args.as_of, scenario=args.scenario,
                   engine=args.engine)
        store = store_from_graph(kg.dataset)
        facts = DatasetFacts(as_of=kg.as_of, derived_at=dt.datetime.now(dt.UTC))
    app = create_app(store, settings=settings, facts=facts, store_path=store_path, kg=kg)
    serve(app, host=args.host, port=args.port, announce=lambda text: print(f"sovkg: {text}", file=sys.stderr))
    return 0


__all__ = ["ServeSettings", "create_app", "example_queries", "open_disk_store", "page_language", "run_cli",
           "serve", "store_from_graph"]
