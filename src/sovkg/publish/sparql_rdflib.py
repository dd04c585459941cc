"""The server's rdflib backend: the same protocol answers, evaluated by rdflib's SPARQL engine.

Takes an N-Quads file (the dataset the server serves, dumped once) and gives an :class:`RdflibStore`,
an rdflib :class:`~rdflib.Dataset` behind the few methods of a pyoxigraph store that
:func:`sovkg.publish.sparql_protocol.answer` calls (``query``, ``named_graphs``, ``len``), its results
handed back as Oxigraph terms. So the guard (no update, ``SERVICE``, ``LOAD`` or remote
``FROM``), the result cap, the serialisation and, in :mod:`sovkg.publish.query_pool`, the time limit
are those of the Oxigraph backend: only the evaluation differs. ``sovkg serve --engine rdflib`` uses
it (the reference pipeline's engine, for comparison).

rdflib would fetch a ``FROM`` graph from the web (``SPARQL_LOAD_GRAPHS``); that is switched off here,
on top of the guard, which refuses any ``FROM`` naming a graph the dataset does not hold.

As in the query layer (:func:`sovkg.ask.queries.run_query`), a query that does not read named graphs
(no ``GRAPH``, no ``FROM``) runs on one graph holding the union of the triples, which rdflib answers
much faster than the same union seen through its dataset.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "d.nq").write_text('<urn:a> <urn:p> "x" <urn:g> .\\n', encoding="utf-8")
>>> store = RdflibStore.load(folder / "d.nq")
>>> len(store), [g.value for g in store.named_graphs()]
(1, ['urn:g'])
>>> from sovkg.publish.sparql_protocol import QueryRequest, answer
>>> answer(store, QueryRequest("SELECT ?o WHERE { ?s ?p ?o }", accept="text/csv")).body
b'o\\r\\nx\\r\\n'
>>> answer(store, QueryRequest("ASK { GRAPH <urn:g> { ?s ?p 'x' } }", fmt="json")).body
b'{"head": {}, "boolean": true}'
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
import rdflib.plugins.sparql
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from sovkg.publish.sparql_guard import tokenize
from sovkg.store.oxigraph import to_oxigraph_term

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never fetch a FROM graph from the web


class RdflibStore:
    """An rdflib dataset answering queries like a pyoxigraph store (see the module docstring)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.union = Graph()
        for graph in dataset.graphs():
            for triple in graph:
                self.union.add(triple)

    @classmethod
    def load(cls, path: str | Path) -> RdflibStore:
        """Read an N-Quads file into an rdflib dataset whose default graph is the union of its graphs."""
        dataset = Dataset(default_union=True)
        dataset.parse(str(path), format="nquads")
        return cls(dataset)

    def __len__(self) -> int:
        return sum(len(graph) for graph in self.dataset.graphs())

    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs that hold triples."""
        return [ox.NamedNode(str(g.identifier)) for g in self.dataset.graphs()
                if isinstance(g.identifier, URIRef) and len(g) > 0]

    def query(self, query: str, *, use_default_graph_as_union: bool = True,
              default_graph: Sequence[ox.NamedNode] | None = None,
              named_graphs: Sequence[ox.NamedNode] | None = None) -> Any:
        """Evaluate ``query``: a bool (ASK), :class:`Solutions` (SELECT) or an iterator of ``ox.Triple``.

        ``default_graph`` and ``named_graphs`` are the protocol's ``default-graph-uri`` and
        ``named-graph-uri``; without them the default graph is the union of the graphs (a query's own
        ``FROM`` clauses are read by rdflib, from this dataset only).
        """
        target = self._target(default_graph, named_graphs)
        if target is self.dataset and use_default_graph_as_union and not _names_graphs(query):
            target = self.union
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib 7 on its own Dataset internals
            result = target.query(query)
            if result.type == "ASK":
                return bool(result.askAnswer)
            if result.type == "SELECT":
                return Solutions([str(v) for v in result.vars or ()], list(result.bindings))
        assert result.graph is not None
        return (ox.Triple(to_oxigraph_term(s), to_oxigraph_term(p), to_oxigraph_term(o))  # type: ignore[arg-type]
                for s, p, o in result.graph)

    def _target(self, default_graph: Sequence[ox.NamedNode] | None,
                named_graphs: Sequence[ox.NamedNode] | None) -> Graph:
        if not default_graph and not named_graphs:
            return self.dataset
        chosen = Dataset(default_union=not default_graph)
        for name in named_graphs or ():
            graph = chosen.graph(URIRef(name.value))
            for triple in self.dataset.graph(URIRef(name.value)):
                graph.add(triple)
        if default_graph:
            default = chosen.graph(DATASET_DEFAULT_GRAPH_ID)
            for name in default_graph:
                for triple in self.dataset.graph(URIRef(name.value)):
                    default.add(triple)
        return chosen


def _names_graphs(query: str) -> bool:
    """Whether the query reads named graphs (``GRAPH``, ``FROM``, ``FROM NAMED``)."""
    return any(kind == "word" and value.upper() in ("GRAPH", "FROM") for kind, value in tokenize(query))


class Solutions:
    """SELECT solutions shaped like pyoxigraph's ``QuerySolutions``: ``variables``, and rows indexed by variable."""

    def __init__(self, names: list[str], bindings: list[Any]) -> None:
        self.variables = [ox.Variable(name) for name in names]
        self._bindings = bindings

    def __iter__(self) -> Iterator[_Row]:
        for binding in self._bindings:
            yield _Row({str(k): to_oxigraph_term(v) for k, v in binding.items() if v is not None})


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getitem__(self, variable: ox.Variable) -> Any:
        return self._values.get(variable.value)
