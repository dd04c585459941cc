"""Copy an rdflib dataset into an Oxigraph store, keeping its named graphs.

Oxigraph runs the same ``.rq`` files as rdflib, much faster on large graphs; the query layer
(:func:`sovkg.ask.queries.run_query_oxigraph`) queries the store with the union of all graphs as the
default graph. Terms are converted one by one (no serialisation round trip), blank nodes keep
their identity within one conversion, and each rdflib graph becomes the Oxigraph named graph of
the same name (rdflib's default graph becomes Oxigraph's default graph).

>>> from rdflib import Dataset, Literal, URIRef
>>> ds = Dataset()
>>> g = ds.graph(URIRef("https://w3id.org/sovkg/graph/example"))
>>> _ = g.add((URIRef("https://w3id.org/sovkg/id/org/x"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
...            Literal("X", lang="en")))
>>> store = to_oxigraph(ds)
>>> len(store)
1
>>> [str(q.graph_name.value) for q in store]
['https://w3id.org/sovkg/graph/example']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

__all__ = ["from_oxigraph_term", "to_oxigraph", "to_oxigraph_term"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_oxigraph(dataset: Dataset | Graph, store: ox.Store | None = None) -> ox.Store:
    """Load every quad of ``dataset`` into ``store`` (a new in-memory store by default).

    A plain :class:`rdflib.Graph` is accepted too: its triples go to its own named graph when it
    has an IRI identifier, else to the default graph.
    """
    target = store if store is not None else ox.Store()
    target.bulk_extend(_quads(dataset))
    return target


def _quads(dataset: Dataset | Graph) -> Iterator[ox.Quad]:
    blanks: dict[BNode, ox.BlankNode] = {}
    names: dict[Node, ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = {}
    if isinstance(dataset, Dataset):
        source: Iterable[tuple[Node, Node, Node, Node | None]] = (
            (s, p, o, g if not isinstance(g, Graph) else g.identifier)
            for s, p, o, g in dataset.quads((None, None, None, None))
        )
    else:
        ident = dataset.identifier
        source = ((s, p, o, ident) for s, p, o in dataset)
    for s, p, o, g in source:
        name = names.get(g) if g is not None else None
        if name is None:
            name = _graph_name(g, blanks)
            if g is not None:
                names[g] = name
        yield ox.Quad(
            _subject(s, blanks),
            ox.NamedNode(str(p)),
            _object(o, blanks),
            name,
        )


def _graph_name(
    ident: Node | None, blanks: dict[BNode, ox.BlankNode]
) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    if ident is None or ident == DATASET_DEFAULT_GRAPH_ID or not isinstance(ident, (URIRef, BNode)):
        return ox.DefaultGraph()
    if isinstance(ident, BNode):
        # rdflib gives anonymous graphs blank-node names; they are not meaningful names
        return ox.DefaultGraph()
    return ox.NamedNode(str(ident))


def _subject(node: Node, blanks: dict[BNode, ox.BlankNode]) -> ox.NamedNode | ox.BlankNode:
    if isinstance(node, BNode):
        return _blank(node, blanks)
    return ox.NamedNode(str(node))


def _object(node: Node, blanks: dict[BNode, ox.BlankNode]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, Literal):
        return _literal(node)
    if isinstance(node, BNode):
        return _blank(node, blanks)
    return ox.NamedNode(str(node))


def _blank(node: BNode, blanks: dict[BNode, ox.BlankNode]) -> ox.BlankNode:
    found = blanks.get(node)
    if found is None:  # keep the label when Oxigraph accepts it, so results name the same blank node
        found = blanks[node] = ox.BlankNode(str(node)) if str(node).isalnum() else ox.BlankNode()
    return found


def _literal(node: Literal) -> ox.Literal:
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype is not None and str(node.datatype) != _XSD_STRING:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def to_oxigraph_term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert one rdflib term (IRI, blank node or literal) to its Oxigraph equivalent.

    >>> to_oxigraph_term(URIRef("https://w3id.org/sovkg/id/law/us-cloud-act"))
    <NamedNode value=https://w3id.org/sovkg/id/law/us-cloud-act>
    >>> to_oxigraph_term(Literal("fr", lang="fr")).language
    'fr'
    """
    if isinstance(node, Literal):
        return _literal(node)
    if isinstance(node, BNode):
        return ox.BlankNode(str(node)) if str(node).isalnum() else ox.BlankNode()
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    raise TypeError(f"cannot convert {node!r} to an Oxigraph term")


def from_oxigraph_term(term: object) -> Node:
    """Convert an Oxigraph term back to rdflib.

    >>> from_oxigraph_term(ox.Literal("70", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    rdflib.term.Literal('70', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")
