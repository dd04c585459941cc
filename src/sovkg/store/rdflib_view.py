"""A read-only rdflib view of an Oxigraph store, so that the rdflib-based readers answer from a large store
without copying it.

Takes a :class:`~sovkg.store.engine.LocalStore` (a derived ``--store PATH``); gives an rdflib
:class:`~rdflib.store.Store` whose graphs answer each triple pattern with one lookup in Oxigraph's indexes
(``quads_for_pattern``), and :func:`union_graph`, the union of the store's named graphs as one rdflib graph
(each triple once). ``report`` and ``explain`` on ``--store`` read through it: at 10,000 GLEIF entities,
copying the store into rdflib first took about a minute and 1.7 GB before a single answer.

>>> from rdflib import URIRef
>>> from sovkg.store.engine import open_store
>>> store = open_store()
>>> triple = (ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x"))
>>> store.add([triple], "urn:g1"), store.add([triple], "urn:g2")
(1, 1)
>>> union = union_graph(store)
>>> [str(o) for o in union.objects(URIRef("urn:a"), URIRef("urn:p"))], len(union)
(['x'], 1)
>>> sorted(str(g.identifier) for g in dataset_view(store).graphs() if len(g))
['urn:g1', 'urn:g2']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.store import Store

from sovkg.store.engine import LocalStore
from sovkg.store.oxigraph import from_oxigraph_term, to_oxigraph_term

__all__ = ["OxigraphView", "dataset_view", "union_graph"]

UNION = URIRef("urn:x-sovkg:union")
"""The identifier of the graph that reads the union of the store's named graphs."""


class OxigraphView(Store):
    """A read-only rdflib store over an Oxigraph store: a graph named ``n`` reads the named graph ``n``; the graph
    named :data:`UNION` reads every named graph, each triple once."""

    context_aware = True
    graph_aware = True
    formula_aware = False
    transaction_aware = False

    def __init__(self, store: LocalStore) -> None:
        super().__init__()
        self.local = store
        self.oxigraph = store.store

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Any, Iterator[Any]]]:
        """The triples matching a pattern, in one graph (``context``) or in all of them, each once."""
        name = _graph_name(context)
        try:
            terms = [None if t is None else to_oxigraph_term(t) for t in triple_pattern]
        except (TypeError, ValueError):
            return  # a pattern the store cannot hold (a path, a literal subject): nothing matches
        quads = self.oxigraph.quads_for_pattern(terms[0], terms[1], terms[2], name)  # type: ignore[arg-type]
        seen: set[tuple[Any, Any, Any]] | None = set() if name is None else None
        for quad in quads:
            key = (quad.subject, quad.predicate, quad.object)
            if seen is not None:
                if key in seen:
                    continue
                seen.add(key)
            yield (from_oxigraph_term(quad.subject), from_oxigraph_term(quad.predicate),
                   from_oxigraph_term(quad.object)), iter((context,))

    def __len__(self, context: Any = None) -> int:
        name = _graph_name(context)
        if name is not None:
            return self.local.count(name.value)
        rows = self.local.select("SELECT (COUNT(DISTINCT TRIPLE(?s, ?p, ?o)) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"].value)

    def contexts(self, triple: Any = None) -> Iterator[Graph]:  # type: ignore[override]
        """The store's named graphs (holding ``triple``, when given)."""
        if triple is None:
            names: Iterable[Any] = self.oxigraph.named_graphs()
        else:
            s, p, o = (to_oxigraph_term(t) for t in triple)
            names = {q.graph_name for q in self.oxigraph.quads_for_pattern(s, p, o)}  # type: ignore[arg-type]
        for name in names:
            if isinstance(name, ox.NamedNode):
                yield Graph(store=self, identifier=URIRef(name.value))

    def add_graph(self, graph: Graph) -> None:
        """Graphs are not created through the view; asking for one that does not exist gives an empty graph."""

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise TypeError("the store is read through a read-only view")

    def addN(self, quads: Iterable[Any]) -> None:
        raise TypeError("the store is read through a read-only view")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("the store is read through a read-only view")


def _graph_name(context: Any) -> ox.NamedNode | None:
    identifier = getattr(context, "identifier", context)
    if identifier is None or identifier == UNION or not isinstance(identifier, URIRef):
        return None
    return ox.NamedNode(str(identifier))


def union_graph(store: LocalStore) -> Graph:
    """The union of the store's named graphs, as one read-only rdflib graph."""
    return Graph(store=OxigraphView(store), identifier=UNION)


def dataset_view(store: LocalStore) -> Dataset:
    """The store's named graphs as a read-only rdflib dataset."""
    return Dataset(store=OxigraphView(store))
