"""Run sovkg's SHACL shapes on a store as whole-graph SPARQL queries: the store engine's validator.

Takes a store (:class:`~sovkg.store.engine.SparqlStore`: a local Oxigraph store or a remote endpoint)
and the shapes graph; gives the same :class:`~sovkg.check.shapes.ValidationReport` as pySHACL
(:func:`sovkg.check.shapes.validate_graph`): same focus, severity, requirement, message, source
shape, path, component and value.

pySHACL runs a SPARQL-based constraint once per focus node, with ``$this`` pre-bound. Here each
constraint runs **once over all its targets**: ``$this`` becomes the variable ``?this``, bound by the
shape's targets as a sub-query put first in the constraint's ``WHERE`` (``sh:targetClass``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode`` and SHACL-AF SPARQL targets, with
the targets of the node shapes a property shape belongs to), and ``$currentShape`` becomes the
shape's IRI. Core constraints are generated as SPARQL the same way. Only the constraint components
the shapes use are supported (:data:`SUPPORTED`); any other stops validation with an error naming it,
rather than being skipped.

>>> from sovkg.store.engine import open_store
>>> import pyoxigraph as ox
>>> store = open_store()
>>> SOVNS = "https://w3id.org/sovkg/ns#"
>>> _ = store.add([(ox.NamedNode("urn:x"), ox.NamedNode(SOVNS + "capitalPercent"), ox.Literal("120",
...     datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))], "urn:g")
>>> from sovkg.check.shapes import load_shapes
>>> [(r.severity, r.value) for r in validate_store(store, load_shapes()).results if "Percent" in r.source_shape]
[('Violation', '120')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from sovkg.check.results import (
    ValidationReport,
    ValidationResult,
    first_message,
    known_on_date,
    local_name,
    node_label,
    render_path,
)
from sovkg.core.errors import SovkgError
from sovkg.core.namespaces import SOV
from sovkg.store.engine import SparqlStore
from sovkg.store.oxigraph import from_oxigraph_term

__all__ = ["SUPPORTED", "UnsupportedShape", "validate_store"]

SUPPORTED: frozenset[URIRef] = frozenset({
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target, SH.property, SH.path,
    SH.severity, SH.message, SH.sparql, SH.minCount, SH.maxCount, SH.minInclusive, SH.maxInclusive,
    SH.datatype, SH["class"], SH["in"], SH["or"], SH.disjoint,
})
"""The SHACL parameters a shape may use here (everything ``ontology/shapes/*.shapes.ttl`` uses)."""

_IGNORED = frozenset({SH.name, SH.description, SH.order, SH.group})

_COMPONENT = {
    SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent, SH["class"]: SH.ClassConstraintComponent,
    SH["in"]: SH.InConstraintComponent, SH["or"]: SH.OrConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent, SH.sparql: SH.SPARQLConstraintComponent,
}
_CASTABLE = {"http://www.w3.org/2001/XMLSchema#" + t
             for t in ("date", "dateTime", "time", "decimal", "integer", "boolean", "float", "double")}


class UnsupportedShape(SovkgError):
    """A shape uses a SHACL feature the store engine does not implement (run ``--engine rdflib``)."""


@dataclass(frozen=True)
class _Row:
    focus: Node
    value: Node | None
    path: Node | None
    bindings: dict[str, Node]


def validate_store(store: SparqlStore, shapes: Graph) -> ValidationReport:
    """Validate the union of the store's graphs (asserted and derived) against ``shapes``
    (:func:`sovkg.check.shapes.load_shapes`; :func:`sovkg.check.shapes.validate` calls this for the store engine)."""
    raw: list[tuple[Node, _Row, str, URIRef, bool]] = []  # (shape, row, message, component, substituted)
    for shape in _shapes(shapes):
        found = _focus_query(shapes, shape)
        if found is None:
            continue
        for component, rows, substituted in _evaluate(store, shapes, shape, *found):
            for row in rows:
                raw.append((shape, row, _message(shapes, shape, row, substituted, component), component,
                            substituted))
    labels = _labels(store, {row.focus for _, row, _, _, _ in raw})
    results = set()
    for shape, row, message, component, _ in raw:
        severity = shapes.value(shape, SH.severity)
        requirement = shapes.value(shape, SOV.implements)
        results.add(ValidationResult(
            focus=str(row.focus),
            focus_label=node_label(labels, row.focus),
            severity=local_name(severity) if severity is not None else "Violation",
            requirement=str(requirement) if requirement is not None else None,
            message=message,
            source_shape=str(shape),
            path=render_path(shapes, row.path) if row.path is not None else None,
            component=str(component),
            value=str(row.value) if row.value is not None else None,
        ))
    marked = {str(from_oxigraph_term(row["n"])) for row in store.select(
        "SELECT ?n WHERE { ?n <https://w3id.org/sovkg/ns#afterAsOf> true }")}
    ordered = known_on_date(results, marked)
    return ValidationReport(conforms=not any(r.severity == "Violation" for r in ordered), results=tuple(ordered))


# ------------------------------------------------------------------------------------------ shapes


def _shapes(shapes: Graph) -> list[Node]:
    found: set[Node] = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    found |= set(shapes.objects(None, SH.property))
    for shape in found:
        for p in set(shapes.predicates(shape)):
            if str(p).startswith(str(SH)) and p not in SUPPORTED and p not in _IGNORED:
                raise UnsupportedShape(f"{shape}: {p} is not supported by the store engine (use --engine rdflib)")
        path = shapes.value(shape, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShape(f"{shape}: only IRI paths are supported by the store engine")
    return sorted(found, key=str)


def _target_patterns(shapes: Graph, shape: Node) -> list[str]:
    out = [f"?this a/rdfs:subClassOf* <{c}>" for c in shapes.objects(shape, SH.targetClass)]
    out += [f"?this <{p}> ?target__o" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    out += [f"?target__s <{p}> ?this" for p in shapes.objects(shape, SH.targetObjectsOf)]
    out += [f"VALUES ?this {{ {_sparql(n)} }}" for n in shapes.objects(shape, SH.targetNode)]
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        if (target, RDF.type, SH.SPARQLTarget) not in shapes or select is None:
            raise UnsupportedShape(f"{shape}: only SPARQL targets (sh:SPARQLTarget with sh:select) are supported")
        out.append("{ " + str(select) + " }")
    return out


def _focus_query(shapes: Graph, shape: Node) -> tuple[str, set[str]] | None:
    """A sub-query binding ``?this`` to every focus node of ``shape`` and the prefixes it needs (None: no target)."""
    owners = [shape, *shapes.subjects(SH.property, shape)]
    patterns = [p for owner in owners for p in _target_patterns(shapes, owner)]
    if not patterns:
        return None
    prefixes = {line for owner in owners for target in shapes.objects(owner, SH.target)
                for line in _prefix_lines(shapes, target)}
    union = " UNION ".join("{ " + p + " }" for p in patterns)
    return "{ SELECT DISTINCT ?this WHERE { " + union + " } }", prefixes


def _prefix_lines(shapes: Graph, owner: Node) -> set[str]:
    lines = {"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"}
    for ontology in shapes.objects(owner, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            lines.add(f"PREFIX {prefix}: <{namespace}>")
    return lines


def _prologue(lines: set[str]) -> str:
    return "\n".join(sorted(lines)) + "\n"


_PREFIX_LINE = re.compile(r"PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>")


def expand_dotted_names(query: str) -> str:
    """Write prefixed names whose local part holds a dot (``threshold:snc-3.2-19.6-b-individual``) as full IRIs.

    They are valid SPARQL, but Oxigraph's parser rejects some of them.

    >>> print(expand_dotted_names("PREFIX t: <urn:t/>" + chr(10) + "SELECT * { t:a-3.2 ?p t:b }"))
    PREFIX t: <urn:t/>
    SELECT * { <urn:t/a-3.2> ?p t:b }
    """
    namespaces = {m.group(1) or "": m.group(2) for m in _PREFIX_LINE.finditer(query)}
    if not namespaces:
        return query
    names = "|".join(re.escape(p) for p in sorted(namespaces, key=len, reverse=True) if p)
    pattern = re.compile(rf"(?<![\w<:/#-])({names}):([\w-]+(?:\.[\w-]+)+)")
    lines = query.split("\n")
    return "\n".join(line if line.lstrip().startswith("PREFIX") else
                     pattern.sub(lambda m: f"<{namespaces[m.group(1)]}{m.group(2)}>", line) for line in lines)


def _with_focus(select: str, focus: str, shape: Node) -> str:
    """Rewrite a constraint's SELECT to run over every focus node at once."""
    text = select.replace("$currentShape", _sparql(shape) if isinstance(shape, URIRef) else "$currentShape")
    for forbidden in ("$PATH", "$shapesGraph", "$currentShape"):
        if forbidden in text:
            raise UnsupportedShape(f"{shape}: {forbidden} is not supported by the store engine")
    text = re.sub(r"\$this\b", "?this", text)
    brace = text.index("{")
    head, body = text[:brace], text[brace + 1:]
    if not re.search(r"\?this\b", head) and "*" not in head:
        raise UnsupportedShape(f"{shape}: the SPARQL constraint does not select $this")
    return head + "{ " + focus + "\n" + body


# ---------------------------------------------------------------------------------------- evaluation


def _evaluate(store: SparqlStore, shapes: Graph, shape: Node, focus: str,
              prefixes: set[str]) -> Iterator[tuple[URIRef, list[_Row], bool]]:
    path = shapes.value(shape, SH.path)
    step = f"<{path}>" if path is not None else None
    for constraint in shapes.objects(shape, SH.sparql):
        select = shapes.value(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(f"{shape}: only SPARQL SELECT constraints are supported")
        query = _prologue(prefixes | _prefix_lines(shapes, constraint)) + _with_focus(str(select), focus, shape)
        rows = []
        for solution in store.select(expand_dotted_names(query)):
            values = {k: from_oxigraph_term(v) for k, v in solution.items()}
            this = values.pop("this", None)
            value = values.pop("value", None)
            result_path = values.pop("path", None)
            if this is None:
                continue
            if value is None and path is None:
                value = this  # a node shape reports its focus node as the value
            rows.append(_Row(this, value, result_path if result_path is not None else path, values))
        yield SH.SPARQLConstraintComponent, rows, True
    if step is None:
        return
    head = _prologue(prefixes | _prefix_lines(shapes, shape))
    count = shapes.value(shape, SH.minCount)
    if count is not None:
        yield SH.MinCountConstraintComponent, _rows(store, head + f"""SELECT ?this WHERE {{ {focus}
            OPTIONAL {{ ?this {step} ?v }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(str(count))})""",
                                                    path), False
    count = shapes.value(shape, SH.maxCount)
    if count is not None:
        yield SH.MaxCountConstraintComponent, _rows(store, head + f"""SELECT ?this WHERE {{ {focus}
            ?this {step} ?v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(str(count))})""", path), False
    checks: list[tuple[URIRef, str]] = []
    for bound, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<=")):
        for limit in shapes.objects(shape, bound):
            checks.append((_COMPONENT[bound], f"!COALESCE(?value {op} {_sparql(limit)}, false)"))
    for datatype in shapes.objects(shape, SH.datatype):
        checks.append((SH.DatatypeConstraintComponent, f"!({_datatype_ok(datatype)})"))
    for cls in shapes.objects(shape, SH["class"]):
        checks.append((SH.ClassConstraintComponent,
                       f"NOT EXISTS {{ ?value a/rdfs:subClassOf* {_sparql(cls)} }}"))
    for members in shapes.objects(shape, SH["in"]):
        allowed = " ".join(_sparql(m) for m in Collection(shapes, members))
        checks.append((SH.InConstraintComponent,
                       f"NOT EXISTS {{ VALUES ?allowed {{ {allowed} }} FILTER (sameTerm(?value, ?allowed)) }}"))
    for alternatives in shapes.objects(shape, SH["or"]):
        options = []
        for alternative in Collection(shapes, alternatives):
            extra = {p for p in shapes.predicates(alternative) if p != SH.datatype and p != RDF.type}
            kind = shapes.value(alternative, SH.datatype)
            if extra or kind is None:
                raise UnsupportedShape(f"{shape}: sh:or is supported with sh:datatype alternatives only")
            options.append(f"({_datatype_ok(kind)})")
        checks.append((SH.OrConstraintComponent, "!(" + " || ".join(options) + ")"))
    for other in shapes.objects(shape, SH.disjoint):
        checks.append((SH.DisjointConstraintComponent, f"EXISTS {{ ?this {_sparql(other)} ?value }}"))
    for component, condition in checks:
        query = head + f"SELECT ?this ?value WHERE {{ {focus} ?this {step} ?value . FILTER ({condition}) }}"
        yield component, _rows(store, query, path, with_value=True), False


def _rows(store: SparqlStore, query: str, path: Node | None, *, with_value: bool = False) -> list[_Row]:
    out = []
    for solution in store.select(expand_dotted_names(query)):
        value = from_oxigraph_term(solution["value"]) if with_value and "value" in solution else None
        out.append(_Row(from_oxigraph_term(solution["this"]), value, path, {}))
    return out


def _datatype_ok(datatype: Node) -> str:
    iri = _sparql(datatype)
    check = f"isLiteral(?value) && datatype(?value) = {iri}"
    if str(datatype) in _CASTABLE:
        check += f" && COALESCE({iri}(STR(?value)) = {iri}(STR(?value)), false)"
    return check


def _sparql(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShape(f"blank node {node} cannot be written in a query")


# ------------------------------------------------------------------------------------------ results


def _message(shapes: Graph, shape: Node, row: _Row, substituted: bool, component: URIRef) -> str:
    """The result message as pySHACL writes it: the shape's (and constraint's) ``sh:message``, with
    ``{?var}`` / ``{$var}`` replaced by the row's values for SPARQL constraints (which drops the language)."""
    messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
    if substituted:
        for constraint in shapes.objects(shape, SH.sparql):
            messages += [m for m in shapes.objects(constraint, SH.message)
                         if isinstance(m, Literal) and m not in messages]
    if not messages:
        raise UnsupportedShape(f"{shape}: the store engine needs an sh:message for {component}")
    if substituted:
        fields: dict[str, Node] = dict(row.bindings)
        fields["this"] = row.focus
        if row.path is not None:
            fields["path"] = row.path
        if row.value is not None:
            fields["value"] = row.value
        texts = []
        for message in messages:
            text = str(message)
            for name, value in fields.items():
                text = re.sub(f"{{[?$]{name}}}", lambda _m, v=value: str(v), text)  # type: ignore[misc]
            texts.append(Literal(text))  # pySHACL drops the language of a filled-in message
        return first_message(texts)
    return first_message(messages)


def _labels(store: SparqlStore, nodes: Iterable[Node]) -> Graph:
    """The labels of ``nodes`` (read in batches), as a small graph for :func:`node_label`."""
    graph = Graph()
    named = sorted((n for n in nodes if isinstance(n, URIRef)), key=str)
    for start in range(0, len(named), 500):
        values = " ".join(f"<{n}>" for n in named[start:start + 500])
        rows = store.select(f"""SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }}
            VALUES ?p {{ <{RDFS.label}> <{SKOS.prefLabel}> }} ?x ?p ?l }}""")
        for row in rows:
            graph.add((from_oxigraph_term(row["x"]), from_oxigraph_term(row["p"]), from_oxigraph_term(row["l"])))
    return graph

