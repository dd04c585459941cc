"""Read a SPARQL query before it runs: refuse what would reach the network or change data.

Takes the text of a query; gives a :class:`PreparedQuery` (its form, its translated algebra for
rdflib, whether it reads named graphs) or a :class:`~sovkg.core.errors.SovkgInputError` naming the
file. Refused before any evaluation:

- ``SERVICE <iri>`` (a federated query sends the data of each row to a remote endpoint), unless the
  caller allows it explicitly (``sovkg query --allow-remote``);
- ``FROM`` / ``FROM NAMED`` of a graph the dataset does not hold (rdflib would fetch it from the web);
- updates (``LOAD``, which fetches a document, ``INSERT``, ``DELETE``, ``CLEAR``…): queries are read-only;
- a prefix that is neither declared in the query nor one of sovkg's (:data:`sovkg.core.namespaces.PREFIXES`).

>>> prepare("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }").reads_named_graphs
True
>>> prepare("ASK { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sovkg.core.errors.SovkgInputError: query.rq: SERVICE <http://127.0.0.1:9/sparql> would send the query to a remote...
>>> prepare("LOAD <http://example.org/data.ttl>", where="x.rq")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sovkg.core.errors.SovkgInputError: x.rq: LOAD fetches a remote document and changes the data: refused; ...
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["PreparedQuery", "harmless", "prepare"]

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_UPDATES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
    "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


_GUARDED = re.compile(r"\b(SERVICE|FROM|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|INSERT|DELETE)\b|\\[uU]", re.IGNORECASE)
_COMMENT_LINE = re.compile(r"^[ \t]*#.*$", re.MULTILINE)


def harmless(text: str) -> bool:
    """True when ``text`` holds none of the keywords :func:`prepare` refuses on (``SERVICE``, ``FROM``, the
    update operations; ``WITH`` and ``USING`` come only with ``INSERT`` or ``DELETE``) outside its comment
    lines, nor a ``\\u`` escape that could spell one: then a query engine that reports its own
    syntax errors (Oxigraph) may run it without rdflib parsing it first (0.3 s for a long query). A word in a
    string or after a ``#`` within a line only sends the query through :func:`prepare`, never the other way;
    a line that starts with ``#`` is a comment (or inside a string, where no keyword counts either).

    >>> harmless("SELECT ?s WHERE { ?s a sov:InformationSystem }")
    True
    >>> harmless("select * from <urn:g> { ?s ?p ?o }"), harmless("SELECT * { ?s rdfs:label 'Service' }")
    (False, False)
    >>> harmless("# Copy this query, with care\\nSELECT * { ?s ?p ?o }")
    True
    """
    return _GUARDED.search(_COMMENT_LINE.sub("", text)) is None


@dataclass(frozen=True)
class PreparedQuery:
    """A query that passed the checks, translated once for rdflib."""

    form: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    algebra: Query
    """rdflib's algebra (the SPARQL grammar is imported when a query is prepared: building it takes 0.1 s)."""
    reads_named_graphs: bool
    """True when the query has a ``GRAPH`` pattern or a ``FROM`` / ``FROM NAMED`` clause."""
    services: tuple[str, ...] = ()
    """The ``SERVICE`` endpoints it calls (only when the caller allowed them)."""

    @property
    def returns_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE answer with RDF, not with rows."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def prepare(
    text: str,
    *,
    where: str = "query.rq",
    prefixes: Mapping[str, str] | None = None,
    graph_names: Collection[str] | None = None,
    allow_service: bool = False,
) -> PreparedQuery:
    """Parse, check and translate ``text`` (see the module docstring); ``where`` names it in messages.

    ``graph_names`` are the named graphs of the dataset the query will run on: ``FROM`` and
    ``FROM NAMED`` may only name one of them (``None``: no ``FROM`` is allowed at all).
    """
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.parser import parseQuery

    names = dict(PREFIXES if prefixes is None else prefixes)
    try:
        parsed = parseQuery(text)
    except Exception as error:  # pyparsing raises several kinds
        _refuse_update(text, where)
        raise SovkgInputError(f"{where}: the query is not valid SPARQL ({error})") from None
    nodes = list(_walk(parsed))
    form = next((_FORMS[n.name] for n in nodes if n.name in _FORMS), "SELECT")
    services = [_term_text(n["term"]) for n in nodes if n.name == "ServiceGraphPattern"]
    if services and not allow_service:
        raise SovkgInputError(
            f"{where}: SERVICE {services[0]} would send the query to a remote endpoint: refused "
            "(sovkg never reaches the network unless asked; pass --allow-remote to run SERVICE)")
    clauses = [n for n in nodes if n.name == "DatasetClause"]
    known = set(graph_names or ())
    for clause in clauses:
        default = "default" in clause  # CompValue.get answers a missing key with the key's name
        term = clause["default"] if default else clause["named"]
        keyword = "FROM" if default else "FROM NAMED"
        if str(term) not in known:
            raise SovkgInputError(
                f"{where}: {keyword} {_term_text(term)} is not a graph of the loaded dataset, and sovkg does not fetch "
                "graphs from the web: refused (query the dataset's own graphs, e.g. GRAPH ?g { … })")
    try:
        algebra = processor.translateQuery(parsed, None, names)
    except Exception as error:  # rdflib raises a bare Exception for an unknown prefix
        match = re.match(r"Unknown namespace prefix : (\S*)", str(error))
        if match is None:
            raise SovkgInputError(f"{where}: the query cannot be read ({error})") from None
        raise SovkgInputError(
            f"{where}: unknown prefix {match.group(1)}: (declare it with PREFIX {match.group(1)}: <…>, "
            f"or use one of sovkg's: {', '.join(names)})") from None
    uses_graphs = bool(clauses) or any(n.name == "GraphGraphPattern" for n in nodes)
    return PreparedQuery(form, algebra, uses_graphs, tuple(services))


def _refuse_update(text: str, where: str) -> None:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = parseUpdate(text)
    except Exception:
        return
    kinds = [_UPDATES.get(n.name, n.name) for n in _walk(update) if n.name in _UPDATES]
    if "LOAD" in kinds:
        raise SovkgInputError(f"{where}: LOAD fetches a remote document and changes the data: refused; "
                              "sovkg query runs read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    raise SovkgInputError(f"{where}: {', '.join(dict.fromkeys(kinds)) or 'an update'} is a SPARQL update: refused; "
                          "sovkg query runs read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE)")


def _walk(node: Any) -> Iterator[CompValue]:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def _term_text(term: Any) -> str:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{term.get('prefix') or ''}:{term.get('localname') or ''}"
    return str(term)
