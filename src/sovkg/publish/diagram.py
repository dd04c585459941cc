"""Draw the ownership and exposure chain around a system or an organisation (Graphviz).

Takes a :class:`~sovkg.derive.knowledge_graph.KnowledgeGraph` and an entity; gives the diagram as
Graphviz DOT text (pure Python, deterministic: :func:`chain_dot`) and renders it to SVG or PNG with
Graphviz's ``dot`` program (:func:`render`). What is drawn, as of the graph's date:

- around a **system**: the providers of its hosting arrangements in effect, and their subcontractors
  and technology suppliers (a dashed edge to the provider); around an **organisation**: itself and the systems it hosts;
- above each organisation, its holders through the ownership stakes in effect, up the chain, each
  edge labelled with the share (capital / votes, ``~`` when approximate, bounds when only bounds are
  known) and drawn bold when the holder controls;
- each organisation filled with the colour of its jurisdiction (registered office, else place of
  establishment), with a legend; grey and dashed when no seat is recorded;
- each access law that binds an organisation of the chain, as a red box with an edge to the entity
  it binds (by establishment or by services offered; binding by control is shown by the red border
  of the controlled entity), and the edges of the exposure paths in red.

>>> import datetime as dt
>>> from sovkg.derive.knowledge_graph import build
>>> kg = build(["tests/fixtures/derive/chain.ttl"], include_case=False, include_reference=False,
...            as_of=dt.date(2026, 11, 29))
>>> dot = chain_dot(kg, "Platform")
>>> dot.splitlines()[0]
'digraph sovkg {'
>>> '"https://w3id.org/sovkg/id/org/parent" -> "https://w3id.org/sovkg/id/org/holding"' in dot
True
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.core.errors import SovkgError, SovkgInputError
from sovkg.core.i18n import check_lang, message
from sovkg.core.namespaces import SOV

FORMATS = ("dot", "svg", "png")
"""What :func:`render` writes."""

MAX_DEPTH = 12
"""How far up the ownership chain the diagram goes."""

PALETTE = (
    "#cfe2ff", "#d1e7dd", "#fff3cd", "#e2d9f3", "#ffe5d0",
    "#d2f4ea", "#f7d6e6", "#e9ecef", "#e0f0ff", "#f0e6d2",
)
"""Fill colours, given to the jurisdictions of a diagram in the order of their codes."""

UNKNOWN_FILL = "#f1f3f5"
LAW_COLOUR = "#b02a37"
SEATS = (SOV.registeredOffice, SOV.establishedIn, SOV.centralAdministration, SOV.residentIn)
"""Where an organisation's jurisdiction is read, first found wins."""
RIGHTS = (
    (SOV.majorityOfVotes, "right.majority"),
    (SOV.controlRight, "right.control"),
    (SOV.vetoRight, "right.veto"),
    (SOV.appointsBoardMajority, "right.board"),
    (SOV.jointControl, "right.joint"),
)
"""Rights a stake can carry beyond a share, shown on its edge."""


@dataclass
class _Chain:
    """The nodes and edges of a diagram before they are written as DOT."""

    organisations: set[Node] = field(default_factory=set)
    systems: set[Node] = field(default_factory=set)
    laws: set[Node] = field(default_factory=set)
    edges: dict[tuple[Node, Node, str], dict[str, str]] = field(default_factory=dict)


def chain_dot(kg: object, entity: str | URIRef, *, lang: str = "en",
              href: Callable[[str], str] | None = None) -> str:
    """The DOT text of the chain around ``entity`` (a label, CURIE, path or IRI: see ``sovkg explain``).

    ``href`` turns an IRI into the link a node carries (in SVG output); no links when None.
    An entity that is neither a system nor an organisation raises :class:`SovkgInputError`.
    """
    from sovkg.ask.explain import resolve_entity

    check_lang(lang)
    graph: Graph = kg.union  # type: ignore[attr-defined]
    node = entity if isinstance(entity, URIRef) else resolve_entity(graph, entity)
    chain = _Chain()
    if (node, RDF.type, SOV.InformationSystem) in graph:
        chain.systems.add(node)
        _add_hosting(graph, chain, node)
    elif (node, RDF.type, SOV.Party) in graph:
        chain.organisations.add(node)
        for arrangement in graph.subjects(SOV.provider, node):
            system = graph.value(arrangement, SOV.hostedSystem)
            if system is not None and _in_effect(graph, arrangement):
                chain.systems.add(system)
                chain.edges[(node, system, "hosts")] = {"label": message("hosts", lang)}
    else:
        raise SovkgInputError(f"{entity}: the diagram is drawn around a system or an organisation, "
                              f"and {kg.label(node)} is neither")  # type: ignore[attr-defined]
    _add_holders(graph, chain, lang)
    _add_laws(kg, graph, chain, lang)
    _mark_paths(kg, chain, node)
    return _write(kg, graph, chain, node, lang, href)


# --------------------------------------------------------------------------------------------- collect


def _in_effect(graph: Graph, node: Node) -> bool:
    return (node, SOV.inEffect, Literal(True)) in graph


def _dated(graph: Graph, node: Node) -> bool:
    return (node, SOV.validFrom, None) in graph or (node, SOV.validUntil, None) in graph


def _add_hosting(graph: Graph, chain: _Chain, system: Node) -> None:
    for arrangement in sorted(graph.subjects(SOV.hostedSystem, system), key=str):
        provider = graph.value(arrangement, SOV.provider)
        if provider is None or not _in_effect(graph, arrangement):
            continue
        chain.organisations.add(provider)
        chain.edges[(provider, system, "hosts")] = {"label": "hosts"}
        links = [(link, SOV.subcontractor, "subcontractor") for link in graph.objects(arrangement, SOV.subcontracting)]
        dependencies = set(graph.objects(arrangement, SOV.technologyDependency))
        for offer in graph.objects(arrangement, SOV.offer):
            dependencies |= set(graph.objects(offer, SOV.technologyDependency))
        links += [(link, SOV.technologySupplier, "technology") for link in dependencies]
        for link, role, kind in sorted(links, key=lambda item: str(item[0])):
            party = graph.value(link, role)
            if party is None or (_dated(graph, link) and not _in_effect(graph, link)):
                continue
            chain.organisations.add(party)
            chain.edges[(party, provider, kind)] = {"label": kind, "style": "dashed"}


def _add_holders(graph: Graph, chain: _Chain, lang: str) -> None:
    frontier = sorted(chain.organisations, key=str)
    for _ in range(MAX_DEPTH):
        found: list[Node] = []
        for held in frontier:
            for stake in sorted(graph.subjects(SOV.held, held), key=str):
                if (stake, RDF.type, SOV.OwnershipStake) not in graph or not _in_effect(graph, stake):
                    continue
                holder = graph.value(stake, SOV.holder)
                if holder is None:
                    continue
                key = (holder, held, "stake")
                attrs = {"label": _share(graph, stake, lang)}
                rights = any(graph.value(stake, prop) == Literal(True) for prop, _ in RIGHTS)
                if (holder, SOV.directlyControls, held) in graph:
                    attrs["penwidth"] = "2.5"
                    if not rights:
                        attrs["label"] += f"\\n{message('controls', lang)}"
                previous = chain.edges.get(key)
                if previous is not None:  # two stakes between the same pair: one edge, both shares
                    attrs["label"] = previous["label"] + "\\n" + attrs["label"]
                chain.edges[key] = attrs
                if holder not in chain.organisations:
                    chain.organisations.add(holder)
                    found.append(holder)
        frontier = sorted(set(found), key=str)
        if not frontier:
            break


def _number(value: Node | None) -> str | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _share(graph: Graph, stake: Node, lang: str) -> str:
    """``"60 % capital / 55 % votes"``, ``"~8 % capital"``, ``"≥ 50 %"``, or ``"share unknown"``."""
    approx = "~" if graph.value(stake, SOV.approximate) == Literal(True) else ""
    parts = []
    capital, votes = _number(graph.value(stake, SOV.capitalPercent)), _number(graph.value(stake, SOV.votingPercent))
    if capital is not None:
        parts.append(f"{approx}{capital} % {message('capital', lang)}")
    if votes is not None and votes != capital:
        parts.append(f"{approx}{votes} % {message('votes', lang)}")
    elif votes is not None:
        parts[-1] += f" ({message('votes', lang)})"
    low, high = _number(graph.value(stake, SOV.minimumPercent)), _number(graph.value(stake, SOV.maximumPercent))
    if not parts and low is not None and high is not None:
        parts.append(f"{low}–{high} %")
    elif not parts and low is not None:
        parts.append(f"≥ {low} %")
    elif not parts and high is not None:
        parts.append(f"≤ {high} %")
    rights = [message(key, lang) for prop, key in RIGHTS if graph.value(stake, prop) == Literal(True)]
    text = " / ".join(parts) or ("" if rights else message("stake_unknown", lang))
    if rights:
        text = "\\n".join([t for t in (text, ", ".join(rights)) if t])
    start = graph.value(stake, SOV.validFrom)
    if start is not None:
        text += f"\\n({message('valid_from', lang)} {start})"
    return text


def _add_laws(kg: object, graph: Graph, chain: _Chain, lang: str) -> None:
    basis_key = {"establishment": "binds", "service": "binds_by_service"}
    for entity in sorted(chain.organisations, key=str):
        for applicability in kg.applicabilities(entity):  # type: ignore[attr-defined]
            if applicability.basis not in basis_key:
                continue  # binding by control: shown on the controlled entity's border
            law = URIRef(applicability.law)
            chain.laws.add(law)
            chain.edges[(law, entity, "binds")] = {
                "label": message(basis_key[applicability.basis], lang),
                "color": LAW_COLOUR, "fontcolor": LAW_COLOUR, "style": "bold",
            }


def _mark_paths(kg: object, chain: _Chain, node: Node) -> None:
    """Colour the edges the exposure findings of ``node`` walk along (system → provider → … → bound)."""
    for finding in kg.findings:  # type: ignore[attr-defined]
        if finding.system != str(node) and all(p.iri != str(node) for p in finding.path):
            continue
        steps = [URIRef(p.iri) for p in finding.path]
        for lower, upper in itertools.pairwise(steps):
            for key in ((upper, lower, "stake"), (upper, lower, "hosts"), (upper, lower, "subcontractor"),
                        (upper, lower, "technology")):
                if key in chain.edges:
                    chain.edges[key]["color"] = LAW_COLOUR


# ----------------------------------------------------------------------------------------------- write


def _quote(text: str) -> str:
    """A DOT double-quoted string (``\\n`` already in ``text`` stays a line break)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\\\\n", "\\n")
    return f'"{escaped}"'


def _html(text: str) -> str:
    """Text escaped for a Graphviz HTML-like label."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _attrs(attrs: dict[str, str]) -> str:
    return "[" + ", ".join(f"{k}={_quote(v)}" for k, v in sorted(attrs.items())) + "]"


def _wrap(text: str, width: int = 28) -> str:
    """Break a long label into lines of about ``width`` characters (DOT ``\\n``)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\\n".join(lines)


def _seat(graph: Graph, node: Node) -> Node | None:
    for prop in SEATS:
        country = min(graph.objects(node, prop), key=str, default=None)
        if country is not None:
            return country
    return None


def _code(graph: Graph, country: Node) -> str:
    code = graph.value(country, SOV.isoCode)
    return str(code) if code is not None else str(country).rsplit("/", 1)[-1]


def _write(kg: object, graph: Graph, chain: _Chain, focus: Node, lang: str,
           href: Callable[[str], str] | None) -> str:
    label: Callable[..., str] = kg.label  # type: ignore[attr-defined]
    as_of = kg.as_of.isoformat()  # type: ignore[attr-defined]
    seats = {org: _seat(graph, org) for org in chain.organisations}
    countries = sorted({c for c in seats.values() if c is not None}, key=lambda c: _code(graph, c))
    fill = {country: PALETTE[i % len(PALETTE)] for i, country in enumerate(countries)}
    bound = {URIRef(a.entity) for a in kg.applicabilities()}  # type: ignore[attr-defined]
    title = message("diagram_title", lang, label=label(focus, lang), date=as_of)
    font = "Helvetica,Arial,sans-serif"
    graph_attrs = {"rankdir": "TB", "label": title, "labelloc": "t", "fontsize": "16", "fontname": font,
                   "nodesep": "0.4", "ranksep": "0.6"}
    node_attrs = {"shape": "box", "style": "rounded,filled", "fontname": font, "fontsize": "11"}
    edge_attrs = {"fontname": font, "fontsize": "9", "color": "#495057"}
    lines = [
        "digraph sovkg {",
        f"  graph {_attrs(graph_attrs)};",
        f"  node {_attrs(node_attrs)};",
        f"  edge {_attrs(edge_attrs)};",
    ]

    def link(node: Node, attrs: dict[str, str]) -> dict[str, str]:
        if href is not None:
            from sovkg.publish.templating import safe_href

            attrs["URL"] = safe_href(href(str(node)))
            attrs["target"] = "_top"
        attrs["tooltip"] = str(node)
        return attrs

    for law in sorted(chain.laws, key=str):
        attrs = {"label": _wrap(label(law, lang)), "shape": "box", "style": "filled,bold",
                 "fillcolor": "#fff5f5", "color": LAW_COLOUR, "fontcolor": LAW_COLOUR}
        lines.append(f"  {_quote(str(law))} {_attrs(link(law, attrs))};")
    for org in sorted(chain.organisations, key=str):
        country = seats[org]
        where = label(country, lang) if country is not None else message("jurisdiction_unknown", lang)
        code = _code(graph, country) if country is not None else "?"
        attrs = {"label": _wrap(label(org, lang)) + f"\\n[{code}]",
                 "fillcolor": fill.get(country, UNKNOWN_FILL) if country is not None else UNKNOWN_FILL}
        if country is None:
            attrs["style"] = "rounded,filled,dashed"
        if org in bound:
            attrs["color"] = LAW_COLOUR
            attrs["penwidth"] = "2"
        if org == focus:
            attrs["penwidth"] = "3"
        attrs = link(org, attrs)
        attrs["tooltip"] = f"{org} — {where}"
        lines.append(f"  {_quote(str(org))} {_attrs(attrs)};")
    for system in sorted(chain.systems, key=str):
        attrs = {"label": _wrap(label(system, lang)), "shape": "cylinder", "style": "filled",
                 "fillcolor": "#ffffff", "penwidth": "3" if system == focus else "1"}
        lines.append(f"  {_quote(str(system))} {_attrs(link(system, attrs))};")
    ordered = sorted(chain.edges.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]), kv[0][2]))
    for (tail, head, kind), attrs in ordered:
        attrs = dict(attrs)
        if kind in ("hosts", "subcontractor", "technology"):
            attrs["label"] = message(kind, lang)
        lines.append(f"  {_quote(str(tail))} -> {_quote(str(head))} {_attrs(attrs)};")
    if countries:
        rows = "".join(
            f'<TR><TD BGCOLOR="{fill[c]}" ALIGN="LEFT">{_html(f"[{_code(graph, c)}] {label(c, lang)}")}</TD></TR>'
            for c in countries
        )
        table = (f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2" CELLPADDING="4">'
                 f'<TR><TD BORDER="0"><B>{_html(message("legend", lang))}</B></TD></TR>{rows}</TABLE>')
        lines.append(f'  "legend" [fontsize="9", label=<{table}>, shape="plaintext", style=""];')
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- render


def dot_available() -> bool:
    """True when Graphviz's ``dot`` program is on the PATH."""
    return shutil.which("dot") is not None


def render(dot: str, fmt: str) -> bytes:
    """Render DOT text to ``svg`` or ``png`` with Graphviz's ``dot`` (``dot`` returns the text itself).

    Raises :class:`SovkgInputError` for an unknown format and :class:`SovkgError` when ``dot`` is missing
    or fails.
    """
    if fmt not in FORMATS:
        raise SovkgInputError(f"unknown diagram format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "dot":
        return dot.encode("utf-8")
    program = shutil.which("dot")
    if program is None:
        raise SovkgError("Graphviz's dot program is not installed (Debian: apt-get install graphviz); "
                         "--format dot writes the diagram's source without it")
    done = subprocess.run([program, f"-T{fmt}"], input=dot.encode("utf-8"), capture_output=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        raise SovkgError(f"dot failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def inline_svg(dot: str) -> str:
    """The SVG of ``dot`` without its XML prologue, ready to sit inside an HTML page."""
    svg = render(dot, "svg").decode("utf-8")
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def entities_with_diagrams(graph: Graph) -> Iterable[Node]:
    """The systems and organisations a diagram can be drawn around."""
    yield from sorted(set(graph.subjects(RDF.type, SOV.InformationSystem)), key=str)
    yield from sorted(set(graph.subjects(RDF.type, SOV.Party)), key=str)
