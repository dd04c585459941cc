"""Find an entity of the graph from what a user types: an IRI, a CURIE, a path, a local id or a label.

Takes a graph and a name; gives the entity's IRI, or an :class:`~sovkg.core.errors.UnknownEntityError`
that lists the closest known names. ``explain``, ``alternatives``, ``exposure --law/--system`` and
``query --param`` all resolve names here, so the same words work everywhere.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
... @prefix sov: <https://w3id.org/sovkg/ns#> . @prefix kg: <https://w3id.org/sovkg/id/> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... kg:user\\/system\\/dpi a sov:InformationSystem ; rdfs:label "Dossier patient"@fr .
... ''')
>>> [str(resolve_entity(g, n))[-15:] for n in ("dpi", "kg:user/system/dpi", "user/system/dpi", "dossier PATIENT")]
['user/system/dpi', 'user/system/dpi', 'user/system/dpi', 'user/system/dpi']
>>> resolve_binding(g, "2027-01-01")
rdflib.term.Literal('2027-01-01', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))
"""

from __future__ import annotations

import difflib
import re

from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.term import Node

from sovkg.core.errors import SovkgInputError, UnknownEntityError
from sovkg.core.namespaces import PREFIXES, SOV
from sovkg.core.terms import parse_binding

__all__ = ["resolve_binding", "resolve_entity"]

_FORBIDDEN = '<>"{}|^`\\'
_DERIVED = PREFIXES["kg"] + "derived/"


def resolve_entity(graph: Graph, name: str) -> URIRef:
    """Find an entity by IRI, CURIE (``kg:org/x``), path (``org/x``), local id (``x``, when only one
    labelled ``kg:`` entity ends with it), label or legal name, else short name (``skos:altLabel``; any
    language, any case).

    An unknown name raises :class:`UnknownEntityError` with the closest known names; a local id
    shared by several entities names them.
    """
    text = name.strip()
    iri = _expand(text)
    if iri is not None and _described(graph, iri):  # an IRI or a path: two lookups, not a scan of every name
        return iri
    plain = bool(text) and not any(ch.isspace() or ch in _FORBIDDEN for ch in text)
    if plain:
        kg_iri = URIRef(PREFIXES["kg"] + text)
        if _described(graph, kg_iri):
            return kg_iri
    candidates: dict[str, URIRef] = {}
    described = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    for node in sorted(described):
        for value in sorted(list(graph.objects(node, RDFS.label)) + list(graph.objects(node, SOV.legalName)), key=str):
            candidates.setdefault(str(value).casefold(), node)
    for node in sorted(described):  # a short name ("CLOUD Act") when no label or legal name is the same
        for value in sorted(graph.objects(node, SKOS.altLabel), key=str):
            candidates.setdefault(str(value).casefold(), node)
    found = candidates.get(text.casefold())
    if found is not None:
        return found
    if plain and "/" not in text and ":" not in text:
        named = set(candidates.values())
        local = sorted(n for n in named if n.startswith(PREFIXES["kg"]) and not n.startswith(_DERIVED)
                       and n.rsplit("/", 1)[-1] == text)
        if len(local) == 1:
            return local[0]
        if len(local) > 1:
            names = ", ".join("kg:" + n[len(PREFIXES["kg"]):] for n in local)
            raise UnknownEntityError(f"{name!r} names several entities: {names}; give one of these")
    close = difflib.get_close_matches(text.casefold(), list(candidates), n=5, cutoff=0.5)
    hint = f"; did you mean: {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownEntityError(f"{name!r}: no such entity in the graph{hint}")


def _described(graph: Graph, node: URIRef) -> bool:
    """Whether the graph gives ``node`` a type."""
    return next(graph.objects(node, RDF.type), None) is not None


def resolve_binding(graph: Graph, text: str) -> Node:
    """A query parameter's value: a date, an IRI or CURIE (as :func:`~sovkg.core.terms.parse_binding`,
    which need not be in the graph), else an entity of the graph by path, local id or label."""
    try:
        return parse_binding(text)
    except SovkgInputError:
        if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text):
            raise
    try:
        return resolve_entity(graph, text)
    except UnknownEntityError as unknown:
        if ":" not in text:
            raise
        known = ", ".join(PREFIXES)
        raise UnknownEntityError(f"{unknown} (nor is it an IRI or a CURIE with a known prefix: {known})") from None


def _expand(text: str) -> URIRef | None:
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if "://" in text and not any(ch.isspace() for ch in text):
        return URIRef(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    return None
