"""Build the knowledge graph: load the sources, derive, and hand out views of the result.

>>> import datetime as dt
>>> kg = build(include_case=False, as_of=dt.date(2026, 11, 29))
>>> kg.as_of.isoformat()
'2026-11-29'
>>> len(kg.inferred) > 0
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import Node

from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import INFERRED_GRAPH, PREFIXES, SOV
from sovkg.derive.common import label, merged_graph
from sovkg.derive.exposure import read_applicabilities, read_findings
from sovkg.derive.run import derive
from sovkg.load.inputs import bundled_files, report_key, user_files
from sovkg.load.rdf import load_files
from sovkg.model import Applicability, ExposureFinding
from sovkg.store.engine import EndpointStore, LocalStore
from sovkg.store.rdflib_view import OxigraphView, dataset_view, union_graph

ENGINES: tuple[str, ...] = ("store", "rdflib")
"""The engines :func:`build` runs: the Oxigraph store engine (default) and the rdflib reference pipeline."""

if TYPE_CHECKING:
    from sovkg.load.scenario import Scenario


@dataclass
class KnowledgeGraph:
    """The loaded and derived graph: named graphs per source file plus the ``inferred`` graph."""

    loaded: Dataset
    """The parsed named graphs; use :attr:`dataset`, which holds the derived ``inferred`` graph too."""
    as_of: dt.date
    inputs: tuple[Path, ...] = ()
    """Every file the graph was loaded from (the cache key of what is computed from it)."""
    scenario: Scenario | None = None
    """The hypothetical scenario applied before derivation, if any (its files are in ``inputs``)."""
    case_included: bool = True
    """Whether the bundled French case is part of the graph."""
    user_inputs: tuple[str, ...] = ()
    """The user's own files and folders, as given (``--data``)."""
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Results computed once from this graph by later stages (e.g. the validation report)."""
    engine: str = "rdflib"
    """``store`` (derived on an Oxigraph store, :mod:`sovkg.derive.store_engine`, kept in :attr:`store`)
    or ``rdflib`` (the reference pipeline: rdflib, Python derivation, pySHACL)."""

    @property
    def store(self) -> LocalStore | EndpointStore | None:
        """The derived Oxigraph store, or the endpoint the graph was read from (store engine only)."""
        found = self.memo.get("store")
        return found if isinstance(found, (LocalStore, EndpointStore)) else None

    @property
    def dataset(self) -> Dataset:
        """Named graphs per source file plus the ``inferred`` graph.

        With the store engine the derived triples stay in the store until something asks for the rdflib
        dataset (an export, a query on rdflib, the union): they are copied into it then, once, so that the
        commands that read the store alone (``exposure``) never build it.
        """
        store = self.memo.pop("inferred_pending", None)
        if store is not None:
            from sovkg.derive.store_engine import copy_inferred

            copy_inferred(store, self.loaded)
        return self.loaded

    @property
    def inferred(self) -> Graph:
        """The named graph of derived facts."""
        return self.dataset.graph(INFERRED_GRAPH)

    @cached_property
    def union(self) -> Graph:
        """All triples, asserted and derived, merged into one graph (built once)."""
        graph = merged_graph(self.dataset.graphs())
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        return graph

    @property
    def reader(self) -> Graph:
        """The union to read a few facts from: :attr:`union` once built (and with the rdflib engine), else a
        read-only view of the local store (:func:`sovkg.store.rdflib_view.union_graph`), which copies nothing:
        the report reads labels and a few facts, for which merging the whole graph first cost more than the rest."""
        store = self.store
        if "union" in self.__dict__ or not isinstance(store, LocalStore):
            return self.union
        return union_graph(store)

    @property
    def derived_size(self) -> int:
        """The number of derived triples (counted in the store when the store engine derived them)."""
        store = self.store
        if isinstance(store, LocalStore) and "inferred_pending" in self.memo:
            return store.count(str(INFERRED_GRAPH))
        return len(self.inferred)

    def adopt_union(self, graph: Graph) -> None:
        """Use ``graph`` (asserted + derived triples, as the derivation left it) as :attr:`union`."""
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        self.__dict__["union"] = graph

    @cached_property
    def asserted(self) -> Graph:
        """The asserted triples only, merged."""
        return merged_graph(g for g in self.loaded.graphs() if g.identifier != INFERRED_GRAPH)

    @cached_property
    def findings(self) -> tuple[ExposureFinding, ...]:
        """The exposure findings, strongest first within each system and law (read from the derived store
        with one query when the store engine derived them and the union has not been built)."""
        store = self.store
        if isinstance(store, LocalStore) and ("union" not in self.__dict__ or isinstance(
                self.union.store, OxigraphView)):
            from sovkg.derive.store_engine import store_findings

            return store_findings(store)
        return read_findings(self.union)

    def applicabilities(self, entity: Node | None = None) -> tuple[Applicability, ...]:
        """Which access laws bind which entities (or one entity), and why."""
        return read_applicabilities(self.union, entity)

    def label(self, node: Node, lang: str = "en") -> str:
        """The label of a node in ``lang`` (default English; falls back to English, then any label)."""
        return label(self.union, node, lang)

    def cache_key(self, purpose: str) -> str:
        """A key that changes with any input file, sovkg's code, the date or the purpose."""
        from sovkg.core.version import __version__

        scenario = (f"scenario={self.scenario.fingerprint()}",) if self.scenario else ()
        return report_key(self.inputs, __version__, purpose, self.as_of.isoformat(), *scenario)


def build(
    data: Sequence[str | Path] = (),
    *,
    include_case: bool = True,
    include_reference: bool = True,
    as_of: dt.date | None = None,
    scenario: Scenario | str | Path | None = None,
    engine: str = "store",
    store: str | Path | None = None,
) -> KnowledgeGraph:
    """Load the bundled files and ``data``, apply ``scenario`` (a :class:`~sovkg.load.scenario.Scenario` or the
    path of one, see ``docs/scenarios.md``), derive as of ``as_of`` (default: today).

    ``engine``: ``store`` (default: an Oxigraph store, in memory, or on disk at ``store``; a derived
    in-memory store is cached on disk keyed on the inputs) or ``rdflib`` (the reference pipeline).
    """
    if engine not in ENGINES:
        raise SovkgInputError(f"--engine {engine!r}: expected one of {', '.join(ENGINES)}")
    day = as_of or dt.date.today()
    files = bundled_files(include_reference=include_reference, include_case=include_case) + user_files(data)
    inputs = tuple(f.path for f in files)
    applied = None
    if scenario is not None:
        from sovkg.load.scenario import as_scenario

        applied = as_scenario(scenario)
        inputs += applied.inputs
    dataset = load_files(files)
    if applied is not None:
        from sovkg.load.scenario import apply_scenario

        apply_scenario(dataset, applied)
    kg = KnowledgeGraph(loaded=dataset, as_of=day, inputs=inputs, scenario=applied, case_included=include_case,
                        user_inputs=tuple(str(p) for p in data), engine=engine)
    if engine == "rdflib":
        kg.adopt_union(derive(dataset, as_of=day).graph)
    else:
        from sovkg.derive.store_engine import derive_dataset

        kg.memo["store"] = kg.memo["inferred_pending"] = derive_dataset(
            dataset, as_of=day, key=kg.cache_key("derived-store"), path=store, copy=False)
    return kg


def open_knowledge_graph(store: LocalStore | EndpointStore) -> KnowledgeGraph:
    """The knowledge graph held by a store sovkg filled and derived (``sovkg derive --store``), or by a
    SPARQL endpoint serving one: its graphs are read as they are, nothing is derived again.

    The date is the one the inferred graph was derived for (``sov:asOf``). Validation then runs as
    whole-graph queries on the store or endpoint itself.
    """
    from sovkg.store.oxigraph import from_oxigraph_term

    day = derived_on(store)
    if isinstance(store, LocalStore):  # read in place: nothing is copied (see sovkg.store.rdflib_view)
        kg = KnowledgeGraph(loaded=dataset_view(store), as_of=day, engine="store")
        kg.memo["store"] = store
        kg.adopt_union(union_graph(store))
        return kg
    dataset = Dataset()
    graphs: dict[str, Graph] = {}
    for quad in store.quads():
        name = quad.graph_name.value if hasattr(quad.graph_name, "value") else str(INFERRED_GRAPH) + "/default"
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = dataset.graph(from_oxigraph_term(ox.NamedNode(name)))  # type: ignore[arg-type]
        graph.add((from_oxigraph_term(quad.subject), from_oxigraph_term(quad.predicate),
                   from_oxigraph_term(quad.object)))
    kg = KnowledgeGraph(loaded=dataset, as_of=day, engine="store")
    kg.memo["store"] = store
    return kg


def derived_on(store: LocalStore | EndpointStore) -> dt.date:
    """The date the store's inferred graph was derived for (``sov:asOf``); an input error when it holds none."""
    rows = store.select(f"SELECT ?day WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ <{INFERRED_GRAPH}> "
                        f"<{SOV.asOf}> ?day }} }}")
    if not rows:
        where = getattr(store, "url", None) or getattr(store, "path", None) or "the store"
        raise SovkgInputError(f"{where}: holds no derived graph (run `sovkg derive --store PATH` first)")
    return dt.date.fromisoformat(rows[0]["day"].value)


def cached_store(
    data: Sequence[str | Path] = (), *, include_case: bool = True, as_of: dt.date | None = None
) -> LocalStore | None:
    """The store :func:`build` derived earlier from the same inputs (store engine, no scenario), else None.

    Reads no RDF: the key is made from the input files' contents, so ``sovkg query`` and ``sovkg
    exposure`` on unchanged inputs start from the derived store at once.
    """
    from sovkg.core.version import __version__
    from sovkg.store.engine import open_cached_store

    day = as_of or dt.date.today()
    files = bundled_files(include_case=include_case) + user_files(data)
    return open_cached_store(report_key(tuple(f.path for f in files), __version__, "derived-store", day.isoformat()))
