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
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.core.errors import SovkgInputError
from sovkg.load.inputs import InputFile, bundled_files, suffix_list, user_files
from sovkg.load.literals import COMPATIBLE, XSD, find_line, lexical_problem, literal_needles, range_problem

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
    if tabular is not None and (tabular.external or tabular.countries):
        described = {s for g in dataset.graphs() for s in g.subjects()}
        tabular.check_external(lambda iri: iri in described)
        for path, triples in tabular.country_labels(lambda iri: iri in described).items():
            graph = dataset.graph(URIRef(next(f.graph for f in files if f.path == path)))
            graph.addN((s, p, o, graph) for s, p, o in triples)
    check_ranges(dataset, files)
    return dataset


def check_ranges(dataset: Dataset, files: Sequence[InputFile]) -> None:
    """Refuse a value whose type the property's ``rdfs:range`` forbids (a share typed ``xsd:string``).

    The ranges are the XSD numbers, booleans and dates the loaded ontology declares
    (:data:`sovkg.load.literals.COMPATIBLE`); the error names the file and line.
    """
    ranges: dict[Node, str] = {}
    for declared, _, datatype_range, _ in dataset.quads((None, RDFS.range, None, None)):
        if isinstance(datatype_range, URIRef) and str(datatype_range).removeprefix(XSD) in COMPATIBLE:
            ranges[declared] = str(datatype_range)
    paths = {item.graph: item.path for item in files}
    for prop, required in ranges.items():
        for _, _, value, graph in dataset.quads((None, prop, None, None)):
            if isinstance(value, Literal):
                datatype = value.datatype or URIRef(_RDF_LANGSTRING if value.language else _XSD_STRING)
                problem = range_problem(str(datatype), required)
            else:
                problem = f"an xsd:{required.removeprefix(XSD)} value is required, found the resource <{value}>"
            if problem is not None:
                name = str(graph.identifier if isinstance(graph, Graph) else graph)
                path = paths.get(name)
                where = _where(path, str(value), str(prop)) if path else name
                raise SovkgInputError(f"{where}: {problem} (object of <{prop}>)")


def _where(path: Path, value: str, predicate: str) -> str:
    """``path:line`` of the triple whose object is ``value`` (found by re-reading the file), else ``path``."""
    local = predicate.rstrip("/#").rpartition("/")[2].rpartition("#")[2]
    line = find_line(path, [*literal_needles(value), f"<{value}>"], also=local, loose=[value])
    return f"{path}:{line}" if line else str(path)


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
    if fmt == ox.RdfFormat.RDF_XML:
        from sovkg.load.xml_entities import check_file

        check_file(path)  # before the parser expands a "billion laughs"
    try:
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as error:
        message = _strip_location(str(error.msg if hasattr(error, "msg") else error))
        if error.lineno:
            location = f"{path}:{error.lineno}:{error.offset}"
        else:
            line = _error_line(path, fmt, message)
            location = f"{path}:{line}" if line else str(path)
        raise SovkgInputError(f"{location}: {_explain(message)}") from None
    except (OSError, ValueError) as error:
        raise SovkgInputError(f"{path}: {_explain(str(error))}") from None
    cache: dict[object, Node] = {}
    out: list[tuple[Node, Node, Node, URIRef | None]] = []
    for quad in quads:
        if (isinstance(quad.object, (ox.Literal, ox.Triple)) and quad.object not in cache) or isinstance(
                quad.subject, ox.Triple):
            _check_term(path, quad)
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
    else:  # RDF-star quoted triples are not part of sovkg's model (read_quads names the line)
        raise SovkgInputError("an RDF-star quoted triple (<< … >>) is not supported")
    cache[term] = node
    return node


def _explain(message: str) -> str:
    """Say plainly why a file that asks for the network is refused (the parser's words are cryptic)."""
    if "LoadDocumentCallback" in message:
        return "a remote JSON-LD @context is never fetched (sovkg reads no network); embed the context in the file"
    if "<!ENTITY" in message:
        return (f"XML entity declarations are refused (external entities are never read); {message}")
    return message


def _check_term(path: Path, quad: ox.Quad) -> None:
    """Refuse an RDF-star triple, or a literal whose text its datatype forbids, naming the file and line."""
    if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
        line = find_line(path, ["<<", "{|", "rdf:reifies", "reifies"])
        where = f"{path}:{line}" if line else str(path)
        raise SovkgInputError(f"{where}: RDF-star quoted triples (<< … >>) are not supported; "
                              "describe the statement with a node of its own (an ownership stake, say)")
    if not isinstance(quad.object, ox.Literal):
        return
    problem = lexical_problem(quad.object.value, quad.object.datatype.value)
    if problem is not None:
        raise SovkgInputError(f"{_where(path, quad.object.value, quad.predicate.value)}: {problem} "
                              f"(object of <{quad.predicate.value}>)")


def _error_line(path: Path, fmt: ox.RdfFormat, message: str) -> int | None:
    """The line of a parser error Oxigraph gives no position for (RDF/XML, JSON-LD), when it can be found.

    An XML well-formedness error is located by the standard library's expat parser (entities were
    checked before); otherwise the line holding the first text the message quotes.
    """
    if fmt == ox.RdfFormat.RDF_XML:
        from xml.parsers import expat

        try:
            expat.ParserCreate().Parse(path.read_bytes(), True)
        except expat.ExpatError as error:
            return int(error.lineno)
        except (OSError, ValueError):
            return None
    if "LoadDocumentCallback" in message:
        return find_line(path, ['"@context"'])
    quoted = [a or b for a, b in re.findall(r"'([^'\n]+)'|`([^`\n]+)`", message)]
    return find_line(path, quoted) if quoted else None


def _strip_location(message: str) -> str:
    # Oxigraph appends "(file, line n)" to its messages; the location is already in front.
    head, sep, _ = message.rpartition(" (")
    return head if sep and message.endswith(")") else message
