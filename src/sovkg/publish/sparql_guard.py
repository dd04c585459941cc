"""Refuse what a read-only public SPARQL endpoint must not run, before anything is evaluated.

Takes the text of a request and the names of the dataset's graphs; gives the query's form
(SELECT, ASK, CONSTRUCT, DESCRIBE) or raises :class:`QueryRefused` with an HTTP status and a
message:

- an update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, WITH, USING) → 403, the
  endpoint is read-only; ``LOAD`` is named, since it would fetch a remote document;
- ``SERVICE`` anywhere in the query → 403: Oxigraph *would* call the remote endpoint (it ships an
  HTTP client), so the server refuses it first (no server-side request forgery);
- ``FROM`` / ``FROM NAMED`` naming anything but a graph of this dataset → 403;
- text without a query form → 400 (any other syntax error is reported by Oxigraph's parser).

The text is split by a SPARQL 1.1 tokenizer (the grammar's terminals: IRIs, prefixed names,
variables, the four kinds of string, comments, language tags), so that a keyword inside a string,
a comment, an IRI or a name (``"SERVICE"``, ``# LOAD``, ``<http://x/load>``, ``ex:load``,
``?service``) is never mistaken for the keyword, and a keyword is found wherever the grammar puts
it. Both the text as sent and the text with its ``\\u`` escapes decoded are checked, and a query is
refused when either shows a forbidden keyword, so an escape cannot hide one. A tokenizer, not a
full parser: it costs well under a millisecond, where rdflib's parser costs 0.3 to 1 s per
competency question (measured), which would be most of the server's time.

>>> check_query("SELECT * WHERE { ?s ?p ?o }", known_graphs=()).form
'SELECT'
>>> check_query("INSERT DATA { <a:b> <a:c> <a:d> }", known_graphs=())
Traceback (most recent call last):
...
sovkg.publish.sparql_guard.QueryRefused: updates are not allowed: this endpoint is read-only (INSERT)
>>> check_query('SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }', known_graphs=())
Traceback (most recent call last):
...
sovkg.publish.sparql_guard.QueryRefused: SERVICE is not allowed: this endpoint never calls another endpoint (<http://127.0.0.1:9/>)
>>> check_query('SELECT ?service { ?s <http://x/load> "SERVICE <x>" } # SERVICE', known_graphs=()).form
'SELECT'
>>> check_query('PREFIX g: <https://w3id.org/sovkg/graph/> ASK FROM g:inferred { ?s ?p ?o }',
...             known_graphs={"https://w3id.org/sovkg/graph/inferred"}).has_dataset_clause
True
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7\u00C0-\uFFFF]+)
    | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?:(?:[\w\-.:%\u00B7\u00C0-\uFFFF]|\\.)*)
    | (?P<blank>_:[\w\-.\u00B7\u00C0-\uFFFF]+)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


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
    """Refuse updates, SERVICE, LOAD and FROM of graphs the dataset does not hold (see the module docstring)."""
    decoded = _ESCAPE.sub(lambda m: _char(m.group(1) or m.group(2)), text)
    checked = _check(text, known_graphs)
    if decoded != text:
        _check(decoded, known_graphs)
    return checked


def _char(hex_digits: str) -> str:
    value = int(hex_digits, 16)
    return chr(value) if value <= 0x10FFFF else "\ufffd"


def _check(text: str, known_graphs: Collection[str]) -> CheckedQuery:
    tokens = list(tokenize(text))
    words = [(i, value.upper()) for i, (kind, value) in enumerate(tokens) if kind == "word"]
    updates = [word for _, word in words if word in _UPDATE_WORDS]
    if "LOAD" in updates:
        raise QueryRefused(403, "LOAD is not allowed: this endpoint is read-only and never fetches remote documents")
    if updates:
        raise QueryRefused(403, f"updates are not allowed: this endpoint is read-only ({updates[0]})")
    prefixes: dict[str, str] = {}
    base = ""
    form = None
    dataset = False
    for position, word in words:
        following = tokens[position + 1: position + 3]
        if word == "SERVICE":
            target = next((value for kind, value in following if kind in ("iri", "pname", "var")), "?")
            raise QueryRefused(403, f"SERVICE is not allowed: this endpoint never calls another endpoint ({target})")
        if word == "PREFIX" and len(following) == 2 and following[0][0] == "pname" and following[1][0] == "iri":
            prefixes[following[0][1].rstrip(":")] = urljoin(base, following[1][1][1:-1])
        elif word == "BASE" and following and following[0][0] == "iri":
            base = urljoin(base, following[0][1][1:-1])
        elif word in _FORMS and form is None:
            form = word
        elif word == "FROM":
            dataset = True
            rest = tokens[position + 1: position + 3]
            keyword = "FROM"
            if rest and rest[0][0] == "word" and rest[0][1].upper() == "NAMED":
                keyword, rest = "FROM NAMED", rest[1:]
            named = rest[0] if rest else ("other", "")
            iri = _resolve(named, prefixes, base)
            if iri is None or iri not in known_graphs:
                shown = f"<{iri}>" if iri is not None else (named[1] or "?")
                raise QueryRefused(403, f"{keyword} {shown} is not a graph of this dataset: this endpoint never "
                                        "fetches remote data (ask for the dataset's graphs with "
                                        "SELECT DISTINCT ?g { GRAPH ?g {} })")
    if form is None:
        raise QueryRefused(400, "malformed query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return CheckedQuery(form=form, has_dataset_clause=dataset)


def tokenize(text: str) -> Iterator[tuple[str, str]]:
    """The significant tokens of a SPARQL text as ``(kind, text)`` pairs (no spaces or comments).

    >>> [value for _, value in tokenize('SELECT ?x { ?x a "FROM" } # LOAD')]
    ['SELECT', '?x', '{', '?x', 'a', '"FROM"', '}']
    >>> [kind for kind, _ in tokenize('ASK { <http://x/#load> ex:load "x"@load }')]
    ['word', 'other', 'iri', 'pname', 'string', 'langtag', 'other']
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield kind, match.group()


def _resolve(token: tuple[str, str], prefixes: dict[str, str], base: str) -> str | None:
    kind, value = token
    if kind == "iri":
        return urljoin(base, value[1:-1])
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None
