"""Load the ontology, the reference data, the French case and user files into one dataset.

Each file becomes its own named graph (``https://w3id.org/sovkg/graph/<path>`` for bundled files,
the file's ``file:`` IRI for user files), so every triple keeps the file it came from. RDF files
are parsed with Oxigraph's parsers (fast, precise error positions, never touch the network);
spreadsheet templates (CSV) are read by :mod:`sovkg.load.sheets`, each with the templates next to it;
everything is stored in an rdflib :class:`~rdflib.Dataset`.

>>> ds = load_dataset(include_case=False, include_reference=False)
>>> any(str(g.identifier).endswith("ontology/core.ttl") for g in ds.graphs())
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from sovkg.core.errors import SovkgInputError
from sovkg.load.inputs import InputFile, bundled_files, suffix_list, user_files

OXIGRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
"""The syntax each readable suffix is parsed as."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def load_dataset(
    data: Sequence[str | Path] = (),
    *,
    include_reference: bool = True,
    include_case: bool = True,
) -> Dataset:
    """Parse the bundled files and the user's ``data`` paths into one dataset of named graphs."""
    files = bundled_files(include_reference=include_reference, include_case=include_case)
    return load_files(files + user_files(data))


def load_files(files: Sequence[InputFile]) -> Dataset:
    """Parse files into one dataset, each into its own named graph.

    Spreadsheets are read first, all together, so that every problem in them is reported at once;
    their ``kg:`` references are checked against the whole dataset at the end. Any error leaves
    nothing loaded.
    """
    tables = [item.path for item in files if item.path.suffix.lower() in (".csv", ".xlsx")]
    tabular = None
    if tables:
        from sovkg.load import sheets as tabular_module

        tabular = tabular_module.read_tables(tables)
    dataset = Dataset()
    for item in files:
        graph = dataset.graph(URIRef(item.graph))
        if tabular is not None and item.path in tabular.graphs:
            triples: Iterable[tuple[Node, Node, Node]] = tabular.graphs[item.path]
        else:
            triples = parse_file(item.path)
        graph.addN((s, p, o, graph) for s, p, o in triples)
    if tabular is not None and tabular.external:
        described = {s for g in dataset.graphs() for s in g.subjects()}
        tabular.check_external(lambda iri: iri in described)
    return dataset


def parse_file(path: Path) -> Iterator[tuple[Node, Node, Node]]:
    """Parse one RDF file (or spreadsheet template) into rdflib triples (quads are flattened into the file's graph).

    A syntax error becomes a :class:`SovkgInputError` naming the file, line and column.
    """
    if path.suffix.lower() in (".csv", ".xlsx"):
        from sovkg.load.sheets import read_tables

        yield from read_tables([path]).graphs[path]
        return
    fmt = OXIGRAPH_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SovkgInputError(f"{path}: unsupported file type {path.suffix!r} ({suffix_list()})")
    for s, p, o, _ in read_quads(path, fmt):
        yield s, p, o


def read_quads(path: Path, fmt: ox.RdfFormat) -> list[tuple[Node, Node, Node, URIRef | None]]:
    """Parse one RDF file into rdflib quads, keeping graph names (``None`` for the default graph).

    Blank nodes are renamed per file so that two files never share one by accident. A syntax error
    becomes a :class:`SovkgInputError` naming the file, line and column.
    """
    salt = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
    try:
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as error:
        location = f"{path}:{error.lineno}:{error.offset}" if error.lineno else str(path)
        message = str(error.msg if hasattr(error, "msg") else error)
        raise SovkgInputError(f"{location}: {_strip_location(message)}") from None
    except (OSError, ValueError) as error:
        raise SovkgInputError(f"{path}: {error}") from None
    cache: dict[object, Node] = {}
    out: list[tuple[Node, Node, Node, URIRef | None]] = []
    for quad in quads:
        graph = None if isinstance(quad.graph_name, ox.DefaultGraph) else URIRef(str(quad.graph_name.value))
        out.append((to_rdflib_term(quad.subject, cache, salt), to_rdflib_term(quad.predicate, cache, salt),
                    to_rdflib_term(quad.object, cache, salt), graph))
    return out


def to_rdflib_term(term: object, cache: dict[object, Node], salt: str) -> Node:
    """Convert an Oxigraph term to rdflib (``cache`` keeps one object per term; ``salt`` renames blank nodes)."""
    found = cache.get(term)
    if found is not None:
        return found
    node: Node
    if isinstance(term, ox.NamedNode):
        node = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        node = BNode(f"b{salt}{term.value}")
    elif isinstance(term, ox.Literal):
        if term.language:
            node = Literal(term.value, lang=term.language)
        elif term.datatype.value in (_XSD_STRING, _RDF_LANGSTRING):
            node = Literal(term.value)
        else:
            node = Literal(term.value, datatype=URIRef(term.datatype.value))
    else:  # RDF-star quoted triples are not part of sovkg's model
        raise SovkgInputError(f"unsupported RDF term {term!r}")
    cache[term] = node
    return node


def _strip_location(message: str) -> str:
    # Oxigraph appends "(file, line n)" to its messages; the location is already in front.
    head, sep, _ = message.rpartition(" (")
    return head if sep and message.endswith(")") else message
