"""Refuse what a read-only public SPARQL endpoint must not run, before anything is evaluated.

Takes the text of a request and the names of the dataset's graphs; gives the query's form
(SELECT, ASK, CONSTRUCT, DESCRIBE) or raises :class:`QueryRefused` with an HTTP status and a
message. The text is parsed with rdflib's SPARQL 1.1 grammar (so strings, comments and IRIs are
never mistaken for keywords):

- an update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD) → 403, the endpoint is
  read-only; ``LOAD`` is named, since it would fetch a remote document;
- ``SERVICE`` anywhere in the query → 403, the server never calls another endpoint (no
  server-side request forgery);
- ``FROM`` / ``FROM NAMED`` naming anything but a graph of this dataset → 403, nothing is fetched;
- text that is not SPARQL → 400 with the parser's position.

>>> check_query("SELECT * WHERE { ?s ?p ?o }", known_graphs=()).form
'SELECT'
>>> check_query("INSERT DATA { <a:b> <a:c> <a:d> }", known_graphs=())
Traceback (most recent call last):
...
sovkg.publish.sparql_guard.QueryRefused: updates are not allowed: this endpoint is read-only (INSERT DATA)
>>> check_query('SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }', known_graphs=()).form
Traceback (most recent call last):
...
sovkg.publish.sparql_guard.QueryRefused: SERVICE is not allowed: this endpoint never calls another endpoint (<http://127.0.0.1:9/>)
>>> check_query('SELECT * { ?s ?p "SERVICE <x>" } # SERVICE', known_graphs=()).form
'SELECT'
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

_UPDATE_NAMES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


class QueryRefused(Exception):
    """The request is refused before evaluation; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class CheckedQuery:
    """A query that may run: its form and whether it names its own dataset (FROM / FROM NAMED)."""

    form: str
    has_dataset_clause: bool


def check_query(text: str, *, known_graphs: Collection[str]) -> CheckedQuery:
    """Parse ``text`` and refuse updates, SERVICE, LOAD and FROM of graphs the dataset does not hold."""
    try:
        parsed = parseQuery(text)
    except ParseException as error:
        _refuse_update(text)
        raise QueryRefused(400, f"malformed query: {error}") from None
    except Exception as error:  # rdflib raises a few other types on odd input (bad escapes, IRIs)
        raise QueryRefused(400, f"malformed query: {error}") from None
    body = parsed[1]
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            target = node.get("term")
            raise QueryRefused(403, "SERVICE is not allowed: this endpoint never calls another endpoint"
                                    f" ({_show(target)})")
    try:
        algebra = translateQuery(parsed).algebra
    except Exception as error:  # undefined prefix, bad aggregate, …
        raise QueryRefused(400, f"malformed query: {error}") from None
    clauses = algebra.get("datasetClause") or []
    for clause in clauses:
        iri = clause.get("default") if clause.get("default") is not None else clause.get("named")
        if str(iri) not in known_graphs:
            keyword = "FROM" if clause.get("default") is not None else "FROM NAMED"
            raise QueryRefused(403, f"{keyword} <{iri}> is not a graph of this dataset: this endpoint "
                                    "never fetches remote data (ask for the dataset's graphs with "
                                    "SELECT DISTINCT ?g { GRAPH ?g {} })")
    return CheckedQuery(form=_FORMS.get(body.name, body.name), has_dataset_clause=bool(clauses))


def _refuse_update(text: str) -> None:
    try:
        update = parseUpdate(text)
    except Exception:
        return
    names = [_UPDATE_NAMES.get(request.name, request.name) for request in update.get("request", [])]
    if "LOAD" in names:
        raise QueryRefused(403, "LOAD is not allowed: this endpoint is read-only and never fetches "
                                "remote documents")
    raise QueryRefused(403, f"updates are not allowed: this endpoint is read-only ({', '.join(names) or 'update'})")


def _walk(node: Any) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for item in node:
            yield from _walk(item)


def _show(term: Any) -> str:
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{term.get('prefix') or ''}:{term.get('localname') or ''}"
    return f"<{term}>" if term is not None else "?"
