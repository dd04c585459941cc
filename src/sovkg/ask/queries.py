"""Named SPARQL queries: the competency questions and the hygiene checks, and how to run them.

Each query is a ``.rq`` file under ``queries/cq/`` (competency questions, ``CQnn-<slug>.rq``) or
``queries/checks/`` (hygiene checks, ``<rule>.rq``) that starts with a comment header::

    # title: Systems exposed to a given law, with the evidence path
    # question: Which information systems are exposed to the law $law ...?
    # parameters: law (IRI of a sov:AccessLaw, e.g. kg:law/us-cloud-act)
    # fixture: tests/fixtures/queries/exposure-chain.ttl
    # requirement: (optional) the requirement IRI the query serves

Parameters are SPARQL variables the caller may pre-bind; every one of them appears in the
query's projection, so that the same file runs unchanged on rdflib (``initBindings``), Oxigraph
(``substitutions``) and other stores. An unbound parameter means "for every value". User values
are parsed by :func:`parse_binding` and bound, never pasted into the query text.

Queries run on the union of all graphs (asserted and inferred) as their default graph: pass
``kg.union`` to :func:`run_query` (and ``named_graphs=kg.dataset`` so that ``GRAPH ?g { … }`` reads
the named graphs, one per input file plus ``inferred``), or an Oxigraph store made by
:func:`sovkg.store.oxigraph.to_oxigraph` to :func:`run_query_oxigraph`. Every query is checked
before it runs (:mod:`sovkg.ask.query_guard`): no ``SERVICE`` unless allowed, no ``LOAD``, no update,
no ``FROM`` of a graph that is not loaded. :func:`result_rows` turns either engine's answer into the same plain
rows, and :func:`to_sparql_json` into W3C SPARQL 1.1 JSON results.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
... @prefix sov: <https://w3id.org/sovkg/ns#> .
... <https://w3id.org/sovkg/id/org/a> sov:subjectTo <https://w3id.org/sovkg/id/law/x> .
... ''')
>>> spec = QuerySpec.from_text(
...     "# title: Laws of an entity\\n# parameters: entity\\n"
...     "SELECT ?entity ?law WHERE { ?entity sov:subjectTo ?law } ORDER BY ?entity ?law")
>>> result_rows(run_query(g, spec, {"entity": parse_binding("kg:org/a")}))
[{'entity': 'https://w3id.org/sovkg/id/org/a', 'law': 'https://w3id.org/sovkg/id/law/x'}]
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import rdflib
import rdflib.query
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node, Variable

from sovkg.ask.query_guard import harmless, prepare
from sovkg.core.errors import SovkgInputError, UnknownQueryError
from sovkg.core.namespaces import PREFIXES
from sovkg.core.sparql_json import ox_json_term
from sovkg.core.terms import decimal_lexical, parse_binding
from sovkg.store.engine import EndpointStore
from sovkg.store.oxigraph import to_oxigraph_term

__all__ = [
    "QUERY_KINDS",
    "QuerySpec",
    "example_bindings",
    "find_query",
    "list_queries",
    "parse_binding",
    "query_dir",
    "result_rows",
    "run_query",
    "run_query_endpoint",
    "run_query_oxigraph",
    "run_query_store",
    "to_sparql_json",
]

QUERY_KINDS: tuple[str, ...] = ("cq", "checks")
"""The folders of ``queries/``: competency questions and hygiene checks."""

_HEADER = re.compile(r"^#\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*$")
_NAME = re.compile(r"^\s*\??([A-Za-z_][A-Za-z0-9_]*)")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
}
_DECIMAL_TYPES = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


@dataclass(frozen=True)
class QuerySpec:
    """A named query file and what its header says about it.

    ``name`` is the file name without ``.rq`` (``CQ01-systems-exposed-to-law``); ``parameters``
    the variables a caller may bind; ``fixture`` the test fixture the query's expected answer is
    kept for (relative to the repository); ``text`` the whole file.
    """

    name: str
    path: Path
    title: str
    question: str
    parameters: tuple[str, ...]
    fixture: str | None
    text: str
    requirement: str | None = None

    @property
    def code(self) -> str:
        """The short name before the first dash (``CQ01``), or the whole name for checks."""
        head, sep, _ = self.name.partition("-")
        return head if sep and re.fullmatch(r"CQ\d+", head) else self.name

    @classmethod
    def from_file(cls, path: str | Path) -> QuerySpec:
        """Read a ``.rq`` file and its header.

        A file that cannot be read is a :class:`SovkgInputError`.
        """
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SovkgInputError(f"{file}: cannot read the query ({error})") from None
        return cls.from_text(text, name=file.stem, path=file)

    @classmethod
    def from_text(cls, text: str, *, name: str = "query", path: Path | None = None) -> QuerySpec:
        """Build a spec from query text with a comment header (see the module docstring).

        >>> spec = QuerySpec.from_text("# title: T\\n# parameters: law (an IRI); system\\nSELECT ?law ?system {}")
        >>> spec.parameters
        ('law', 'system')
        """
        header = parse_header(text)
        where = path if path is not None else Path(f"{name}.rq")
        return cls(
            name=name,
            path=where,
            title=header.get("title", name),
            question=header.get("question", header.get("title", name)),
            parameters=_parameter_names(header.get("parameters", ""), where),
            fixture=header.get("fixture") or None,
            text=text,
            requirement=_optional_requirement(header.get("requirement")),
        )


def parse_header(text: str) -> dict[str, str]:
    """Read the ``# key: value`` lines at the top of a query.

    The header ends at the first bare ``#`` line (notes may follow it) or at the first line that
    is not a comment; a key given twice keeps its first value.

    >>> parse_header("# title: A\\n# fixture: f.ttl\\n#\\n# note: not a key\\nSELECT * {}")
    {'title': 'A', 'fixture': 'f.ttl'}
    """
    header: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped == "#" or not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if match:
            header.setdefault(match.group(1).lower(), match.group(2))
    return header


def _parameter_names(field: str, where: Path) -> tuple[str, ...]:
    names: list[str] = []
    depth = 0
    current = ""
    for char in field:
        depth += char == "("
        depth -= char == ")"
        if char in ";," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    out: list[str] = []
    for part in names:
        if not part.strip() or part.strip().lower() in ("none", "-"):
            continue
        match = _NAME.match(part)
        if match is None:
            raise SovkgInputError(f"{where}: cannot read the parameter name in {part.strip()!r}")
        out.append(match.group(1))
    return tuple(out)


def example_bindings(spec: QuerySpec) -> dict[str, Node]:
    """The example value the header gives for each parameter (``e.g. kg:law/us-cloud-act``).

    >>> example_bindings(QuerySpec.from_text("# parameters: law (a law, e.g. kg:law/us-cloud-act); x"))
    {'law': rdflib.term.URIRef('https://w3id.org/sovkg/id/law/us-cloud-act')}
    """
    field = parse_header(spec.text).get("parameters", "")
    out: dict[str, Node] = {}
    for part in re.split(r";(?![^()]*\))", field):
        name = _NAME.match(part)
        example = re.search(r"\be\.g\.\s+(\S+?)[),]*\s*$", part.split("(", 1)[-1]) if "(" in part else None
        if name and example:
            out[name.group(1)] = parse_binding(example.group(1).rstrip(")"))
    return out


def _optional_requirement(value: str | None) -> str | None:
    if not value or value.lower().startswith("(optional)") or value.lower() == "none":
        return None
    return value


# ------------------------------------------------------------------------------------ finding queries


def query_dir(kind: str = "cq") -> Path:
    """The folder that holds the queries of a kind (``cq`` or ``checks``).

    >>> query_dir("checks").name
    'checks'
    """
    if kind not in QUERY_KINDS:
        raise SovkgInputError(f"unknown query kind {kind!r} (known: {', '.join(QUERY_KINDS)})")
    from sovkg.core.resources import resource_path

    return resource_path("queries") / kind


def list_queries(kind: str = "cq") -> tuple[QuerySpec, ...]:
    """All queries of a kind, sorted by name.

    >>> [q.code for q in list_queries("cq")][:2]
    ['CQ01', 'CQ02']
    """
    folder = query_dir(kind)
    return tuple(QuerySpec.from_file(p) for p in sorted(folder.glob("*.rq")))


def find_query(name_or_path: str) -> QuerySpec:
    """Find a query by short name (``CQ01``), full name, file name or path to any ``.rq`` file.

    An unknown name raises :class:`UnknownQueryError`, which lists the known queries.

    >>> find_query("CQ01").name
    'CQ01-systems-exposed-to-law'
    >>> find_query("nope")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sovkg.core.errors.UnknownQueryError: unknown query 'nope'; known queries: ...
    """
    text = name_or_path.strip()
    candidate = Path(text)
    if candidate.suffix == ".rq" and candidate.is_file():
        return QuerySpec.from_file(candidate)
    specs = [spec for kind in QUERY_KINDS for spec in list_queries(kind)]
    wanted = text[:-3] if text.endswith(".rq") else text
    wanted = Path(wanted).name if ("/" in wanted or "\\" in wanted) else wanted
    for matches in (
        [s for s in specs if s.name == wanted],
        [s for s in specs if s.name.lower() == wanted.lower()],
        [s for s in specs if s.code.lower() == wanted.lower()],
    ):
        if len(matches) == 1:
            return matches[0]
    known = ", ".join(s.name for s in specs)
    if candidate.suffix == ".rq":
        raise UnknownQueryError(f"unknown query {text!r}: no such file; known queries: {known}")
    raise UnknownQueryError(f"unknown query {text!r}; known queries: {known}")


# ----------------------------------------------------------------------------------------- bindings


def _checked_bindings(spec: QuerySpec, bindings: Mapping[str, Node] | None) -> dict[str, Identifier]:
    out: dict[str, Identifier] = {}
    for key, value in (bindings or {}).items():
        name = key[1:] if key.startswith(("?", "$")) else key
        if name not in spec.parameters:
            params = ", ".join(spec.parameters) or "none"
            raise SovkgInputError(f"query {spec.name} has no parameter {name!r} (its parameters: {params})")
        if not isinstance(value, (URIRef, Literal, BNode)):
            raise SovkgInputError(f"parameter {name!r} of {spec.name}: {value!r} is not an RDF term")
        out[name] = value
    return out


# ------------------------------------------------------------------------------------------ running


def run_query(
    graph: rdflib.Graph,
    spec: QuerySpec,
    bindings: Mapping[str, Node] | None = None,
    *,
    named_graphs: rdflib.Dataset | None = None,
    allow_service: bool = False,
) -> rdflib.query.Result:
    """Run a query with rdflib on ``graph`` (pass the union of asserted and inferred triples).

    A :class:`rdflib.Dataset` is queried as the union of all its graphs, as Oxigraph is.
    ``named_graphs`` is the dataset whose named graphs ``GRAPH`` and ``FROM`` read when ``graph``
    is a plain graph (``kg.dataset`` beside ``kg.union``): a query that reads named graphs runs on
    it, with the union of all graphs as its default graph; others run on ``graph``, which gives
    the same answers faster. ``bindings`` map parameter names to terms (see :func:`parse_binding`);
    a name that is not a parameter of the query is a :class:`SovkgInputError`.

    The query is checked first (:func:`sovkg.ask.query_guard.prepare`): ``SERVICE`` is refused
    unless ``allow_service``; updates, ``LOAD``, ``FROM`` of a graph the dataset does not hold and
    unknown prefixes are always refused. The answer is evaluated before it is returned.
    """
    values = _checked_bindings(spec, bindings)
    dataset = graph if isinstance(graph, rdflib.Dataset) else named_graphs
    names = {str(g.identifier) for g in dataset.graphs()} if dataset is not None else set()
    prepared = prepare(spec.text, where=str(spec.path), graph_names=names, allow_service=allow_service)
    target: rdflib.Graph = graph
    if prepared.reads_named_graphs:
        if dataset is None:
            raise SovkgInputError(f"{spec.path}: GRAPH and FROM read named graphs, and this graph has none")
        target = dataset
    if isinstance(target, rdflib.Dataset) and not target.default_union:
        target = rdflib.Dataset(store=target.store, default_union=True)
    with warnings.catch_warnings():
        # rdflib 7 warns about its own use of Dataset.default_context when querying a dataset
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            result = target.query(prepared.algebra, initBindings={Variable(k): v for k, v in values.items()})
            if result.type == "SELECT":
                result.bindings  # noqa: B018 - evaluate now (and while the warnings are silenced)
        except Exception as error:
            if not prepared.services:
                raise
            raise SovkgInputError(f"{spec.path}: a SERVICE call failed ({', '.join(prepared.services)}): "
                                  f"{type(error).__name__}: {error}") from None
        return result


def run_query_oxigraph(
    store: ox.Store,
    spec: QuerySpec,
    bindings: Mapping[str, Node] | None = None,
    *,
    allow_service: bool = False,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a query with Oxigraph on ``store``, with the union of all graphs as default graph.

    The query is checked as for :func:`run_query` before Oxigraph sees it.
    """
    values = _checked_bindings(spec, bindings)
    checked = not harmless(spec.text)
    if checked:
        _guard(store, spec, allow_service)
    try:
        return store.query(
            spec.text,
            prefixes=dict(PREFIXES),
            use_default_graph_as_union=True,
            substitutions={ox.Variable(k): to_oxigraph_term(v) for k, v in values.items()},
        )
    except SyntaxError as error:
        if not checked:  # the guard's message (an unknown prefix, an update) where it has one
            _guard(store, spec, allow_service)
        raise SovkgInputError(f"{spec.path}: the query is not valid SPARQL ({error})") from None


def _guard(store: ox.Store, spec: QuerySpec, allow_service: bool) -> None:
    names = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    prepare(spec.text, where=str(spec.path), graph_names=names, allow_service=allow_service)


def run_query_endpoint(
    endpoint: EndpointStore,
    spec: QuerySpec,
    bindings: Mapping[str, Node] | None = None,
) -> rdflib.query.Result:
    """Run a query on a SPARQL 1.1 Protocol endpoint (its default graph: the union of its graphs),
    with the same refusals as a local run (no SERVICE, LOAD, update or remote ``FROM``); the answer
    comes back as an rdflib :class:`~rdflib.query.Result`, like :func:`run_query`'s.

    sovkg's prefixes are declared in front of the query; each binding is a ``VALUES`` block put first
    in the query's ``WHERE``, which binds the variable as Oxigraph's substitutions do.
    """
    form = prepare(spec.text, where=str(spec.path), graph_names=None).form
    values = _checked_bindings(spec, bindings)
    text = spec.text
    if values:
        brace = text.index("{")
        block = " ".join(f"VALUES ?{k} {{ {to_oxigraph_term(v)} }}" for k, v in sorted(values.items()))
        text = text[:brace + 1] + " " + block + " " + text[brace + 1:]
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", text, flags=re.IGNORECASE)}
    prologue = "".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items() if p.lower() not in declared)
    if form in ("CONSTRUCT", "DESCRIBE"):
        return _graph_result(form, endpoint.raw(prologue + text, "application/n-triples"))
    body = endpoint.raw(prologue + text, "application/sparql-results+json")
    return rdflib.query.Result.parse(io.BytesIO(body), format="json")


def run_query_store(
    store: ox.Store, spec: QuerySpec, bindings: Mapping[str, Node] | None = None
) -> rdflib.query.Result:
    """Run a query with Oxigraph on a derived store, the answer as an rdflib :class:`~rdflib.query.Result`
    (what :func:`run_query_endpoint` gives for a SPARQL endpoint), so that ``sovkg query --store PATH`` needs
    no rdflib copy of the store. Numbers come in Oxigraph's canonical form (``30``, not ``30.0``), as from an
    endpoint."""
    from sovkg.store.oxigraph import from_oxigraph_term

    result = run_query_oxigraph(store, spec, bindings)
    if isinstance(result, ox.QueryTriples):
        return _graph_result("CONSTRUCT", result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
    if isinstance(result, ox.QueryBoolean):
        answer = rdflib.query.Result("ASK")
        answer.askAnswer = bool(result)
        return answer
    # Built here rather than parsed from Oxigraph's JSON: rdflib's JSON results parser loads its SPARQL
    # grammar (0.15 s), which a cached ``sovkg query`` otherwise never needs.
    names = [v.value for v in result.variables]
    answer = rdflib.query.Result("SELECT")
    answer.vars = [Variable(n) for n in names]
    answer.bindings = [{Variable(n): cast(Identifier, from_oxigraph_term(solution[n]))
                        for n in names if solution[n] is not None} for solution in result]
    return answer


def _graph_result(form: str, ntriples: bytes) -> rdflib.query.Result:
    """A CONSTRUCT or DESCRIBE answer given as N-Triples, as an rdflib result."""
    result = rdflib.query.Result(form)
    result.graph = rdflib.Graph().parse(data=ntriples, format="nt")
    return result


def _is_syntax_error(error: Exception) -> bool:
    name = type(error).__name__
    return name in ("ParseException", "ParseSyntaxException", "ParseFatalException") or isinstance(
        error, SyntaxError
    )


# ------------------------------------------------------------------------------------------ results


def result_variables(result: rdflib.query.Result | ox.QuerySolutions) -> list[str]:
    """The projected variable names of a SELECT result, in order."""
    if isinstance(result, rdflib.query.Result):
        return [str(v) for v in (result.vars or [])]
    variables = getattr(result, "variables", None)
    if variables is None:
        raise TypeError(f"not a SELECT result: {result!r}")
    return [v.value for v in variables]


def result_rows(result: rdflib.query.Result | ox.QuerySolutions) -> list[dict[str, str | None]]:
    """Rows of a SELECT result as plain dicts, the same for rdflib and Oxigraph.

    IRIs become their string, literals their lexical form (numbers in one canonical form, since
    the engines write ``100.0`` differently), blank nodes ``_:`` + their label, unbound ``None``.
    An Oxigraph result can be read only once.

    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> rows = result_rows(store.query("SELECT ?x ?y WHERE { BIND(100.0 AS ?x) }"))
    >>> rows
    [{'x': '100', 'y': None}]
    """
    names = result_variables(result)
    rows: list[dict[str, str | None]] = []
    if isinstance(result, rdflib.query.Result):
        for row in result:
            values = row.asdict() if isinstance(row, rdflib.query.ResultRow) else {}
            rows.append({n: _term_text(values.get(n)) for n in names})
    else:
        for solution in result:
            rows.append({n: _term_text(solution[n]) for n in names})
    return rows


def _term_text(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    if isinstance(term, Literal):
        return _lexical(str(term), str(term.datatype) if term.datatype else None)
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return _lexical(term.value, term.datatype.value if term.datatype else None)
    return str(term)


def _lexical(text: str, datatype: str | None) -> str:
    """A canonical lexical form for numbers and booleans; other literals unchanged.

    >>> _lexical("70.0", _XSD + "decimal"), _lexical("1.5E2", _XSD + "double"), _lexical("007", _XSD + "int")
    ('70', '150', '7')
    """
    if datatype is None:
        return text
    try:
        if datatype in _INTEGER_TYPES:
            return str(int(text.strip()))
        if datatype in _DECIMAL_TYPES:
            number = Decimal(text.strip())
            if not number.is_finite():
                return text
            if number == number.to_integral_value():
                return str(int(number))
            return format(number.normalize(), "f")
        if datatype == _XSD + "boolean":
            return {"1": "true", "0": "false"}.get(text.strip(), text.strip())
    except (ValueError, InvalidOperation):
        return text
    return text


def to_sparql_json(result: rdflib.query.Result | ox.QuerySolutions | ox.QueryBoolean) -> dict[str, Any]:
    """The W3C SPARQL 1.1 Query Results JSON document for a SELECT or ASK result.

    >>> import pyoxigraph as ox
    >>> to_sparql_json(ox.Store().query('SELECT ?x WHERE { BIND("a"@en AS ?x) }'))
    {'head': {'vars': ['x']}, 'results': {'bindings': [{'x': {'type': 'literal', 'value': 'a', 'xml:lang': 'en'}}]}}
    """
    if isinstance(result, rdflib.query.Result) and result.type == "ASK":
        return {"head": {}, "boolean": bool(result.askAnswer)}
    if isinstance(result, ox.QueryBoolean):
        return {"head": {}, "boolean": bool(result)}
    names = result_variables(result)
    bindings: list[dict[str, dict[str, str]]] = []
    if isinstance(result, rdflib.query.Result):
        for row in result:
            values = row.asdict() if isinstance(row, rdflib.query.ResultRow) else {}
            bindings.append(_json_binding({n: values.get(n) for n in names}))
    else:
        for solution in result:
            bindings.append(_json_binding({n: solution[n] for n in names}))
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def _json_binding(values: Mapping[str, object]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, term in values.items():
        if term is None:
            continue
        out[name] = _json_term(term)
    return out


_DECIMAL = URIRef(_XSD + "decimal")


def canonical_decimal(lexical: str) -> str:
    """An ``xsd:decimal`` in one written form whichever engine gave it (rdflib keeps the source's ``39.0``,
    Oxigraph writes ``39``): :func:`sovkg.core.terms.decimal_lexical`; an ill-typed one as written.

    >>> [canonical_decimal(x) for x in ("39", "39.0", "+12.320", "0.50", "-0", ".5", "oops")]
    ['39.0', '39.0', '12.32', '0.5', '0.0', '0.5', 'oops']
    """
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return lexical
    return decimal_lexical(value) if value.is_finite() else lexical


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": canonical_decimal(str(term)) if term.datatype == _DECIMAL else str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and str(term.datatype) != _XSD + "string":
            out["datatype"] = str(term.datatype)
        return out
    found = ox_json_term(term)
    if found is None:
        raise TypeError(f"not an RDF term: {term!r}")
    return found
