"""Describe one IRI of the graph for its linked-data page: links out and in, facts, sources, findings.

Takes a pyoxigraph :class:`~pyoxigraph.Store` (queried with the union of its graphs as default graph)
and an IRI; gives an rdflib :class:`~rdflib.Graph` holding

- every triple with the IRI as subject (outgoing links and values) or as object (incoming links,
  at most :data:`MAX_INCOMING`);
- the whole of each *fact node* one hop away (an ownership stake, a hosting arrangement, a
  certificate, a membership…), so a stake's share, validity dates and sources come with it;
- each exposure finding that names the IRI (as the exposed system, the bound entity or a step of its
  evidence path), with its ordered evidence steps;
- for a named graph (``…/graph/data/case/hosting.ttl``), its number of triples;
- every source cited by any of these (title, publisher, date, URL), and labels and types of every
  node mentioned, so a page can name what it links to.

Also maps between server paths and the IRIs the graph mints (:func:`iri_for_path`,
:func:`path_for_iri`), renders the description as HTML (:func:`render_html`) and serialises it
(:func:`serialize_description`) with the shipped JSON-LD context.

>>> iri_for_path("/id/org/microsoft-corporation")
'https://w3id.org/sovkg/id/org/microsoft-corporation'
>>> path_for_iri("https://w3id.org/sovkg/ns#ExposureFinding")
'/ns#ExposureFinding'
>>> path_for_iri("https://example.org/x") is None
True
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.core.namespaces import PREFIXES
from sovkg.store.oxigraph import from_oxigraph_term

BASE = "https://w3id.org/sovkg/"
"""Every IRI the graph mints starts with this; the server maps ``/<rest>`` to ``BASE + rest``."""

MAX_INCOMING = 500
"""At most this many incoming links on one page (a country is the object of thousands)."""

_SOV = PREFIXES["sov"]
_FACT_CLASSES = (
    "OwnershipStake", "HostingArrangement", "Subcontracting", "TechnologyDependency", "Certificate",
    "Qualification", "Membership", "AdequacyDecision", "Applicability", "EffectiveOwnership",
    "JurisdictionOwnership", "ControlDerivation", "Procurement", "Threshold", "Compulsion",
)
_FACTS_VALUES = " ".join(f"sov:{name}" for name in _FACT_CLASSES)

_PROLOGUE = f"""PREFIX sov: <{_SOV}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_QUERIES = (
    # outgoing
    "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }",
    # incoming (bounded)
    f"CONSTRUCT {{ ?s ?p ?this }} WHERE {{ SELECT ?s ?p ?this WHERE {{ ?s ?p ?this }} LIMIT {MAX_INCOMING} }}",
    # fact nodes one hop away, in either direction, with their own values
    f"""CONSTRUCT {{ ?fact ?p ?o }} WHERE {{
          {{ ?fact ?link ?this }} UNION {{ ?this ?link ?fact }}
          ?fact a ?type . VALUES ?type {{ {_FACTS_VALUES} }}
          ?fact ?p ?o }}""",
    # exposure findings naming the IRI, and their evidence steps
    """CONSTRUCT { ?finding ?p ?o . ?step ?sp ?so } WHERE {
          { ?finding sov:exposedSystem ?this } UNION { ?finding sov:boundEntity ?this }
          UNION { ?finding sov:evidence/sov:stepNode ?this }
          ?finding a sov:ExposureFinding ; ?p ?o .
          OPTIONAL { ?finding sov:evidence ?step . ?step ?sp ?so } }""",
    # a named graph: its size
    """CONSTRUCT { ?this a <http://www.w3.org/ns/sparql-service-description#Graph> ;
                         <http://rdfs.org/ns/void#triples> ?triples }
       WHERE { SELECT ?this (COUNT(*) AS ?triples) WHERE { GRAPH ?this { ?s ?p ?o } } GROUP BY ?this }""",
)

_SOURCES = """CONSTRUCT { ?source ?p ?o } WHERE { ?source ?p ?o }"""
_LABELS = """CONSTRUCT { ?node rdfs:label ?label . ?node a ?type . ?node skos:notation ?notation }
    WHERE { { ?node rdfs:label ?label } UNION { ?node a ?type } UNION { ?node skos:notation ?notation } }"""


def iri_for_path(path: str) -> str:
    """The IRI a server path stands for (``/id/org/x`` → ``https://w3id.org/sovkg/id/org/x``)."""
    return BASE + path.lstrip("/")


def path_for_iri(iri: str) -> str | None:
    """The server path of an IRI the graph mints, or ``None`` for any other IRI."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else None


def describe(store: ox.Store, iri: str) -> Graph:
    """The description of ``iri`` (see the module docstring); empty when the store never mentions it."""
    this = ox.NamedNode(iri)
    triples: list[Any] = []
    for text in _QUERIES:
        triples += _construct(store, text, "this", this)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    _add(graph, triples)
    if len(graph) == 0:
        return graph
    sources = {o for _, p, o in graph if str(p) in (_SOV + "source", "http://purl.org/dc/terms/source")}
    for source in sources:
        if isinstance(source, URIRef):
            _add(graph, _construct(store, _SOURCES, "source", ox.NamedNode(source)))
    nodes = {n for triple in graph for n in triple if isinstance(n, URIRef)}
    for node in nodes:
        _add(graph, _construct(store, _LABELS, "node", ox.NamedNode(node)))
    return graph


def _construct(store: ox.Store, text: str, name: str, value: ox.NamedNode) -> list[Any]:
    result: Any = store.query(_PROLOGUE + text, substitutions={ox.Variable(name): value},
                              use_default_graph_as_union=True)
    return list(result)


def _add(graph: Graph, triples: Iterable[Any]) -> None:
    for triple in triples:
        graph.add((from_oxigraph_term(triple.subject), from_oxigraph_term(triple.predicate),
                   from_oxigraph_term(triple.object)))


def serialize_description(graph: Graph, fmt: str) -> bytes:
    """Write a description as ``turtle``, ``ntriples`` or ``jsonld`` (compacted with the shipped context)."""
    if fmt == "jsonld":
        from sovkg.publish.jsonld_context import to_jsonld

        return to_jsonld(graph)
    return graph.serialize(format="nt" if fmt == "ntriples" else "turtle", encoding="utf-8")


# ------------------------------------------------------------------------------------------- HTML


def label(graph: Graph, node: Node) -> str:
    """The English label of a node, else any label, else its compact IRI."""
    labels = list(graph.objects(node, RDFS.label))
    for wanted in ("en", None, "fr"):
        for item in labels:
            if isinstance(item, Literal) and item.language == wanted:
                return str(item)
    if labels:
        return str(labels[0])
    return _compact(str(node))


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _link(graph: Graph, node: Node) -> str:
    if isinstance(node, Literal):
        text = html.escape(str(node))
        if node.language:
            return f'{text} <span class="tag">@{html.escape(node.language)}</span>'
        if node.datatype is not None and str(node.datatype).startswith("http://www.w3.org/2001/XMLSchema#anyURI"):
            return f'<a href="{html.escape(str(node))}">{text}</a>'
        return text
    if isinstance(node, BNode):
        return "<em>(anonymous)</em>"
    iri = str(node)
    local = path_for_iri(iri)
    href = local if local is not None else iri
    return f'<a href="{html.escape(href)}" title="{html.escape(iri)}">{html.escape(label(graph, node))}</a>'


_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:14px 28px}header a{color:#cfe3ff}
main{max-width:1100px;margin:0 auto;padding:18px 28px}
h1{margin:.2em 0 .1em;font-size:1.7em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:2px solid #d9dee5}
.iri{font-family:ui-monospace,monospace;font-size:.9em;color:#4a5a6a;word-break:break-all}
table{border-collapse:collapse;width:100%;background:#fff;margin:.4em 0}
td,th{border:1px solid #d9dee5;padding:5px 8px;vertical-align:top;text-align:left}
th{background:#eef1f5;font-weight:600;width:28%}.tag{color:#7a8794;font-size:.8em}
.finding{background:#fff;border-left:5px solid #c0392b;padding:8px 14px;margin:10px 0}
.formats a{margin-right:.8em}ol{margin:.3em 0}
"""


def render_html(graph: Graph, iri: str) -> str:
    """A page for people: facts, findings, related facts, incoming links and sources."""
    this = URIRef(iri)
    title = label(graph, this)
    types = ", ".join(_link(graph, t) for t in sorted(graph.objects(this, RDF.type), key=str))
    parts = [
        f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)} — sovkg</title>",
        f"<style>{_STYLE}</style>",
        '<link rel="alternate" type="text/turtle" href="?format=turtle">',
        f'<script type="application/ld+json">{_script_json(graph)}</script></head><body>',
        '<header><a href="/">sovkg</a> · <a href="/sparql">SPARQL</a> · '
        '<a href="/.well-known/void">dataset (VoID)</a></header><main>',
        f"<h1>{html.escape(title)}</h1><div class=\"iri\">{html.escape(iri)}</div>",
        f"<p>{types}</p>" if types else "",
        '<p class="formats">Also as: <a href="?format=turtle">Turtle</a><a href="?format=jsonld">JSON-LD</a>'
        '<a href="?format=ntriples">N-Triples</a></p>',
        "<h2>Facts</h2>",
        _property_table(graph, this, skip={RDF.type}),
    ]
    findings = sorted(set(graph.subjects(RDF.type, URIRef(_SOV + "ExposureFinding"))), key=str)
    if findings:
        parts.append(f"<h2>Exposure findings ({len(findings)})</h2>")
        parts += [_finding(graph, finding) for finding in findings]
    facts = sorted(
        {f for cls in _FACT_CLASSES for f in graph.subjects(RDF.type, URIRef(_SOV + cls)) if f != this}, key=str
    )
    if facts:
        parts.append("<h2>Related facts</h2>")
        for fact in facts:
            parts.append(f"<h3>{_link(graph, fact)}</h3>")
            parts.append(_property_table(graph, fact, skip=set()))
    incoming: dict[Node, list[Node]] = defaultdict(list)
    for subject, predicate in graph.subject_predicates(this):
        incoming[predicate].append(subject)
    if incoming:
        parts.append("<h2>Linked from</h2><table>")
        for predicate in sorted(incoming, key=str):
            values = ", ".join(_link(graph, s) for s in sorted(incoming[predicate], key=str))
            parts.append(f"<tr><th>{_link(graph, predicate)} of</th><td>{values}</td></tr>")
        parts.append("</table>")
    sources = sorted({o for _, p, o in graph if str(p) == _SOV + "source"}, key=str)
    if sources:
        parts.append("<h2>Sources</h2><ul>")
        for source in sources:
            titles = [str(t) for t in graph.objects(source, URIRef("http://purl.org/dc/terms/title"))]
            urls = [str(u) for u in graph.objects(source, URIRef(_SOV + "url"))]
            dates = [str(d) for d in graph.objects(source, URIRef("http://purl.org/dc/terms/date"))]
            text = html.escape(titles[0] if titles else label(graph, source))
            link = f' — <a href="{html.escape(urls[0])}">{html.escape(urls[0])}</a>' if urls else ""
            parts.append(f"<li>{_link(graph, source)}: {text}{' (' + dates[0] + ')' if dates else ''}{link}</li>")
        parts.append("</ul>")
    parts.append("</main></body></html>\n")
    return "".join(parts)


def _property_table(graph: Graph, subject: Node, *, skip: set[Node]) -> str:
    values: dict[Node, list[Node]] = defaultdict(list)
    for predicate, obj in graph.predicate_objects(subject):
        if predicate not in skip:
            values[predicate].append(obj)
    own, general = URIRef(_SOV + "source"), URIRef("http://purl.org/dc/terms/source")
    if general in values and set(values[general]) == set(values.get(own, ())):
        del values[general]  # dcterms:source is derived from sov:source (sub-property): shown once
    if not values:
        return "<p><em>none recorded</em></p>"
    rows = [
        f"<tr><th>{_link(graph, p)}</th>"
        f"<td>{'<br>'.join(_link(graph, o) for o in sorted(values[p], key=str))}</td></tr>"
        for p in sorted(values, key=lambda n: label(graph, n))
    ]
    return "<table>" + "".join(rows) + "</table>"


def _finding(graph: Graph, finding: Node) -> str:
    def one(prop: str) -> str:
        found = graph.value(finding, URIRef(_SOV + prop))
        return _link(graph, found) if found is not None else "?"

    level = graph.value(finding, URIRef(_SOV + "level"))
    notation = graph.value(level, URIRef("http://www.w3.org/2004/02/skos/core#notation")) if level else None
    steps = []
    for step in graph.objects(finding, URIRef(_SOV + "evidence")):
        position = graph.value(step, URIRef(_SOV + "position"))
        node = graph.value(step, URIRef(_SOV + "stepNode"))
        relation = graph.value(step, URIRef(_SOV + "relation"))
        steps.append((int(str(position)) if position is not None else 0, node, relation))
    items = "".join(
        f"<li>{_link(graph, node) if node is not None else '?'}"
        f"{' <span class=tag>(' + html.escape(str(relation)) + ')</span>' if relation is not None else ''}</li>"
        for _, node, relation in sorted(steps, key=lambda item: item[0])
    )
    return (
        f'<div class="finding"><strong>{one("exposedSystem")}</strong> is exposed to <strong>{one("applicableLaw")}'
        f"</strong> at level <strong>{html.escape(str(notation or label(graph, level) if level else '?'))}</strong>"
        f" through {one('boundEntity')}.<ol start=\"0\">{items}</ol></div>"
    )


def _script_json(graph: Graph) -> str:
    from sovkg.publish.jsonld_context import to_jsonld

    text = to_jsonld(graph).decode("utf-8")
    return json.dumps(json.loads(text)).replace("</", "<\\/")
