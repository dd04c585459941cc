"""Entity pages: one self-contained HTML page per IRI the graph mints, in English or French.

Takes a :class:`~sovkg.derive.knowledge_graph.KnowledgeGraph` and an IRI; gives the page that IRI
dereferences to for a browser: its label and types, its validity dates (and whether it is in effect as
of the graph's date), the ownership and exposure diagram for a system or an organisation, the exposure
findings it takes part in (each step of the evidence with its sources), the rules whose results concern
it, its sources, every statement about it (outgoing) and pointing to it (incoming), derived ones
marked, and the related facts one hop away (a stake it holds or is held by, a hosting arrangement, a
certificate…) with their own values, validity dates and sources. For a named graph of the dataset, its
number of triples. Inline CSS, no script, no external asset.

This is the one renderer of entity pages: ``sovkg site`` writes them as a static site, and ``sovkg
serve`` renders them live with its own ``href`` (where a link to an IRI points), ``alternates`` (the
same description in RDF formats) and ``nav`` (links to the endpoint and the dataset description).

>>> import datetime as dt
>>> from sovkg.derive.knowledge_graph import build
>>> kg = build(["tests/fixtures/derive/chain.ttl"], include_case=False, include_reference=False,
...            as_of=dt.date(2026, 11, 29))
>>> page = entity_page(kg, "https://w3id.org/sovkg/id/org/sub", "en", diagram=False)
>>> "<h1>Sub Ltd</h1>" in page and "X Act" in page
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from sovkg.core.errors import UnknownEntityError
from sovkg.core.i18n import check_lang
from sovkg.core.namespaces import KG, SOV
from sovkg.publish.html_report import display_label, finding_view, identity
from sovkg.publish.linked_data import FACT_CLASSES
from sovkg.publish.templating import render


@dataclass(frozen=True)
class Alternate:
    """Another representation of the same entity: a name shown to people, its media type, and its link."""

    name: str
    media_type: str
    href: str


@dataclass(frozen=True)
class NavLink:
    """A link in the page's header (the server's SPARQL endpoint, its dataset description…)."""

    name: str
    href: str


def minted_iris(kg: Any) -> list[URIRef]:
    """Every IRI the graph mints (in the ``https://w3id.org/sovkg/id/`` namespace) that is described, sorted."""
    return sorted({s for s in kg.union.subjects() if isinstance(s, URIRef) and str(s).startswith(str(KG))}, key=str)


def entity_page(
    kg: Any,
    iri: str,
    lang: str = "en",
    *,
    href: Callable[[str], str] = identity,
    alternates: Sequence[Alternate] = (),
    diagram: bool = True,
    home: str | None = None,
    nav: Sequence[NavLink] = (),
    max_values: int = 200,
) -> str:
    """The HTML page of ``iri`` in ``lang`` (``"en"`` or ``"fr"``).

    ``href`` maps an IRI to the link the page uses for it (default: the IRI itself); ``alternates`` are
    listed as other formats and as ``<link rel="alternate">``; ``diagram`` draws the chain of a system
    or an organisation when Graphviz's ``dot`` is installed; ``home`` links back to an index and ``nav``
    adds links beside it; each property lists at most ``max_values`` values (an IRI a million companies
    point to stays one page). An IRI the graph never mentions raises :class:`UnknownEntityError`.
    """
    return render("entity.html", lang=lang, **entity_context(kg, iri, lang, href=href, alternates=alternates,
                                                              diagram=diagram, home=home, nav=nav,
                                                              max_values=max_values)) + "\n"


def entity_context(
    kg: Any,
    iri: str,
    lang: str = "en",
    *,
    href: Callable[[str], str] = identity,
    alternates: Sequence[Alternate] = (),
    diagram: bool = True,
    home: str | None = None,
    nav: Sequence[NavLink] = (),
    max_values: int = 200,
) -> dict[str, Any]:
    """What :func:`entity_page` shows, as plain values."""
    from sovkg.check.shapes import validate
    from sovkg.derive.exposure import source_ref
    from sovkg.publish.diagram import chain_dot, dot_available, inline_svg

    check_lang(lang)
    graph = kg.union
    node = URIRef(iri)
    if (node, None, None) not in graph and (None, None, node) not in graph:
        raise UnknownEntityError(f"{iri}: no such entity in the graph")
    asserted = kg.asserted

    def name(term: Node) -> str:
        return display_label(kg, term, lang)

    types = sorted(({"label": name(t), "href": href(str(t)), "iri": str(t)} for t in set(graph.objects(node, RDF.type))
                    if isinstance(t, URIRef)), key=lambda t: t["label"].casefold())
    start, end = graph.value(node, SOV.validFrom), graph.value(node, SOV.validUntil)
    effect: bool | None = None
    if (node, SOV.inEffect, None) in graph:
        effect = (node, SOV.inEffect, Literal(True)) in graph
    elif start is not None or end is not None:
        effect = False

    svg: str | None = None
    drawable = (node, RDF.type, SOV.InformationSystem) in graph or (node, RDF.type, SOV.Party) in graph
    if diagram and drawable:
        svg = inline_svg(chain_dot(kg, node, lang=lang, href=href)) if dot_available() else ""

    findings = [
        finding_view(kg, f.to_json(), lang, href)
        for f in kg.findings
        if str(node) in (f.system, f.law, f.bound_entity) or any(p.iri == str(node) for p in f.path)
    ]
    results = []
    for r in validate(kg).results:
        if r.focus != str(node):
            continue
        results.append({
            "severity": r.severity,
            "message": r.message,
            "requirement_label": name(URIRef(r.requirement)) if r.requirement else None,
            "requirement_href": href(r.requirement) if r.requirement else None,
        })
    def sources_of(term: Node) -> list[dict[str, Any]]:
        return [source_ref(graph, s).to_json() for s in sorted(set(graph.objects(term, SOV.source)), key=str)]

    def value(term: Node, *, derived: bool) -> dict[str, Any]:
        if isinstance(term, Literal):
            note = f"@{term.language}" if term.language else ""
            return {"text": str(term), "href": None, "iri": None, "note": note, "derived": derived}
        return {"text": name(term), "href": href(str(term)), "iri": str(term), "note": "", "derived": derived}

    outgoing = _rows(
        ((p, o, (node, p, o) not in asserted) for p, o in graph.predicate_objects(node) if p != SOV.source),
        value, name, href, max_values,
    )
    incoming = _rows(
        ((p, s, (s, p, node) not in asserted) for s, p in graph.subject_predicates(node)),
        value, name, href, max_values,
    )
    related = []
    for fact in _related_facts(graph, node, max_values):
        related.append({
            "iri": str(fact),
            "label": name(fact),
            "href": href(str(fact)),
            "rows": _rows(((p, o, (fact, p, o) not in asserted) for p, o in graph.predicate_objects(fact)
                           if p != SOV.source), value, name, href, max_values),
            "sources": sources_of(fact),
        })
    named_graphs = {g.identifier for g in kg.dataset.graphs()}
    return {
        "iri": str(node),
        "label": name(node),
        "types": types,
        "as_of": kg.as_of.isoformat(),
        "valid_from": str(start) if start is not None else None,
        "valid_until": str(end) if end is not None else None,
        "in_effect": effect,
        "svg": svg,
        "findings": findings,
        "results": results,
        "sources": sources_of(node),
        "outgoing": outgoing,
        "incoming": incoming,
        "related": related,
        "graph_triples": len(kg.dataset.graph(node)) if node in named_graphs else None,
        "alternates": list(alternates),
        "home": home,
        "nav": list(nav),
    }


def _related_facts(graph: Any, node: URIRef, limit: int) -> list[Node]:
    """The fact nodes one hop away from ``node`` (either direction), sorted by IRI, at most ``limit``."""
    fact_types = {SOV[name] for name in FACT_CLASSES}
    near = {o for o in graph.objects(node) if not isinstance(o, Literal)} | set(graph.subjects(None, node))
    facts = [n for n in near if n != node and any(t in fact_types for t in graph.objects(n, RDF.type))]
    return sorted(facts, key=str)[:limit]


def _rows(
    triples: Iterable[tuple[Node, Node, bool]],
    value: Callable[..., dict[str, Any]],
    name: Callable[[Node], str],
    href: Callable[[str], str],
    max_values: int,
) -> list[dict[str, Any]]:
    """Group (property, value, derived) by property, sorted by property label then value text; at most
    ``max_values`` values per property (the first by IRI or text), the rest counted."""
    grouped: dict[Node, dict[Node, bool]] = {}
    for prop, term, derived in triples:
        grouped.setdefault(prop, {})[term] = derived
    rows: list[dict[str, Any]] = []
    for prop, terms in grouped.items():
        kept = sorted(terms, key=str)[:max_values]
        items = [value(term, derived=terms[term]) for term in kept]
        rows.append({
            "iri": str(prop),
            "label": name(prop),
            "href": href(str(prop)),
            "values": sorted(items, key=lambda i: (i["text"].casefold(), i["iri"] or "", i["note"])),
            "more": len(terms) - len(kept),
        })
    return sorted(rows, key=lambda r: (r["label"].casefold(), r["iri"]))
