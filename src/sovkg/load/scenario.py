"""Hypothetical scenarios: facts added to and removed from the graph before anything is derived.

A scenario (format in ``docs/scenarios.md``) is a TriG file, or a plain folder of CSV files for
people who do not write RDF. :func:`read_scenario` turns either into a :class:`Scenario`: its
description, the triples it adds, the triples it removes and the nodes it retracts.
:func:`apply_scenario` then changes a loaded dataset:

- the additions (and the scenario's description) go to their own named graph,
  ``https://w3id.org/sovkg/graph/scenario/<name>``, so every added triple can be told apart from
  the recorded ones (the derivation lists that graph in ``prov:wasDerivedFrom`` like any other);
- each removal is taken out of every asserted graph; a removal that matches no asserted triple is an
  error naming the file and the triple, so that a typo never silently does nothing;
- each retracted node loses every asserted triple whose subject or object it is.

Additions can come from any source of triples: build a :class:`Scenario` directly, or give a folder
whose CSV templates :mod:`sovkg.load.sheets` reads (see :func:`folder_additions`).

>>> from rdflib import Literal, URIRef
>>> s = Scenario(name="demo", iri="https://w3id.org/sovkg/id/scenario/demo", label="Demo (hypothetical)",
...              description="A demonstration.", origin=Path("demo.trig"))
>>> s.graph
rdflib.term.URIRef('https://w3id.org/sovkg/graph/scenario/demo')
>>> compact(URIRef("https://w3id.org/sovkg/id/hosting/x")), compact(Literal(True))
('kg:hosting/x', 'true')
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovkg.core.errors import SovkgInputError
from sovkg.core.resources import resource_path, resource_root
from sovkg.core.text import control_character, describe
from sovkg.load.inputs import GRAPH_BASE, rdf_files_in, require_file_or_folder

if TYPE_CHECKING:  # rdflib and Oxigraph are imported where used: a cached report needs neither
    from rdflib import Dataset, Graph, URIRef
    from rdflib.term import Node

Triple = tuple["Node", "Node", "Node"]

ADDITIONS_GRAPH = "https://w3id.org/sovkg/scenario/additions"
"""The named graph of a TriG scenario that holds the triples it adds."""

REMOVALS_GRAPH = "https://w3id.org/sovkg/scenario/removals"
"""The named graph of a TriG scenario that holds the triples it removes."""

SCENARIO_GRAPH_BASE = GRAPH_BASE + "scenario/"
"""A scenario's additions go to the named graph ``<SCENARIO_GRAPH_BASE><name>``."""

SCENARIO_SUFFIXES: tuple[str, ...] = (".trig",)
"""The file form of a scenario (any other file is an error; a folder is the plain form)."""

PLAIN_FILES = ("scenario.csv", "remove.csv", "removals.csv")
"""The CSV files of a plain scenario folder that sovkg.load.scenario reads itself."""

SCENARIO_SITE = "https://w3id.org/sovkg/"
"""The ``sov:url`` of a scenario read from a plain folder (``sov:urlPrecision "site"``)."""


@dataclass(frozen=True)
class Removal:
    """A triple a scenario removes, with where it was written (``file`` or ``file:line``)."""

    triple: Triple
    where: str


@dataclass(frozen=True)
class Retraction:
    """A node a scenario takes out entirely, with where it was written."""

    node: URIRef
    where: str


@dataclass(frozen=True)
class Scenario:
    """A hypothetical overlay of the graph: what it is, what it adds, what it removes."""

    name: str
    """A slug (the file or folder name): the scenario's graph is ``…/graph/scenario/<name>``."""
    iri: str
    """The ``sov:Scenario`` node that describes it (and is the source of the facts it adds)."""
    label: str
    description: str
    origin: Path
    """The file or folder it was read from."""
    inputs: tuple[Path, ...] = ()
    """Every file read to build it (part of every cache key computed from it)."""
    additions: tuple[Triple, ...] = ()
    """Triples added, the description of the scenario included."""
    removals: tuple[Removal, ...] = ()
    retractions: tuple[Retraction, ...] = ()
    created: str | None = None

    @property
    def graph(self) -> URIRef:
        """The named graph the additions go to."""
        from rdflib import URIRef

        return URIRef(SCENARIO_GRAPH_BASE + self.name)

    def fingerprint(self) -> str:
        """A hash of what the scenario changes (its name, additions, removals and retractions)."""
        digest = hashlib.sha256(self.name.encode() + b"\0")
        for kind, items in (("+", [_show(t) for t in self.additions]),
                            ("-", [_show(r.triple) for r in self.removals]),
                            ("x", [compact(r.node) for r in self.retractions])):
            for item in sorted(items):
                digest.update(f"{kind} {item}\n".encode())
        return digest.hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The scenario as the report shows it (key ``scenario`` of ``sovkg report --format json``)."""
        return {
            "name": self.name,
            "iri": self.iri,
            "label": self.label,
            "description": self.description,
            "hypothetical": True,
            "file": _display(self.origin),
            "graph": str(self.graph),
            "created": self.created,
            "additions": len(self.additions),
            "removals": len(self.removals),
            "retractions": [str(r.node) for r in self.retractions],
        }


# --------------------------------------------------------------------------------------- reading


def shipped_scenarios() -> list[str]:
    """The names of the scenarios shipped in ``data/scenarios/`` (files without ``.trig``, and folders)."""
    folder = resource_path("data/scenarios")
    if not folder.is_dir():
        return []
    files = [p.stem for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SCENARIO_SUFFIXES]
    folders = [p.name for p in folder.iterdir() if p.is_dir() and (p / "scenario.csv").is_file()]
    return sorted(files + folders)


def locate(path: str | Path) -> Path:
    """The scenario a path names: the path itself, else a shipped scenario of that name.

    >>> locate("hdh-moves-to-secnumcloud-provider").name
    'hdh-moves-to-secnumcloud-provider.trig'
    """
    given = Path(path)
    if given.exists():
        return given
    shipped = resource_path("data/scenarios")
    if given.name == str(path):
        for candidate in (shipped / given.name, shipped / f"{given.name}.trig"):
            if candidate.exists():
                return candidate
    names = ", ".join(shipped_scenarios()) or "none"
    raise SovkgInputError(f"{path}: no such file or directory (shipped scenarios: {names})")


def scenario_files(path: str | Path) -> list[Path]:
    """The files a scenario is read from, without parsing them (cheap: used for cache keys).

    A TriG file is itself; a folder is every file in it (not recursive). A path that does not exist
    (and is not the name of a shipped scenario) or is neither a ``.trig`` file nor a folder is a
    :class:`SovkgInputError`.
    """
    origin = locate(path)
    require_file_or_folder(origin, path)
    if origin.is_dir():
        return sorted(p for p in origin.iterdir() if p.is_file())
    if origin.suffix.lower() not in SCENARIO_SUFFIXES:
        raise SovkgInputError(
            f"{path}: a scenario is a .trig file or a folder of CSV files (docs/scenarios.md), not {origin.suffix!r}")
    return [origin]


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a TriG file or a plain folder (``docs/scenarios.md``)."""
    origin = locate(path)
    scenario_files(origin)  # type
    return _read_folder(origin) if origin.is_dir() else _read_trig(origin)


def _display(path: Path) -> str:
    """A path as the user would write it: relative to the working folder, or to sovkg's resources."""
    for base in (Path.cwd(), resource_root()):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")
    return slug or "scenario"


def _read_trig(path: Path) -> Scenario:
    from rdflib import RDF, BNode, Graph, URIRef

    from sovkg.core.namespaces import SOV

    quads = parse_quads(path)
    default: list[Triple] = []
    added: list[Triple] = []
    removed: list[Triple] = []
    for s, p, o, g in quads:
        if g is None:
            default.append((s, p, o))
        elif str(g) == ADDITIONS_GRAPH:
            added.append((s, p, o))
        elif str(g) == REMOVALS_GRAPH:
            removed.append((s, p, o))
        else:
            raise SovkgInputError(
                f"{path}: unexpected named graph <{g}>: a scenario has only <{ADDITIONS_GRAPH}> and <{REMOVALS_GRAPH}>")
    description = Graph()
    for triple in default:
        description.add(triple)
    nodes = sorted(set(description.subjects(RDF.type, SOV.Scenario)), key=str)
    if len(nodes) != 1 or not isinstance(nodes[0], URIRef):
        found = f"{len(nodes)} were found" if len(nodes) != 1 else "it is a blank node"
        raise SovkgInputError(
            f"{path}: the default graph must describe exactly one sov:Scenario named by an IRI ({found})")
    node = nodes[0]
    strays = sorted({str(s) for s, _, _ in default if s != node})
    if strays:
        raise SovkgInputError(
            f"{path}: the default graph holds only the scenario's description; put facts about "
            f"{compact(URIRef(strays[0]))} in the graph <{ADDITIONS_GRAPH}>")
    label, text, created = _describe(description, node, path)
    retractions = []
    for target in description.objects(node, SOV.retracts):
        if not isinstance(target, URIRef):
            raise SovkgInputError(f"{path}: sov:retracts names {compact(target)}; name the node to retract by its IRI")
        retractions.append(Retraction(target, str(path)))
    for triple in removed:
        if any(isinstance(t, BNode) for t in triple):
            raise SovkgInputError(
                f"{path}: the removal {_show(triple)} has a blank node; removals must name IRIs and literals")
    kept = [t for t in default if t[1] != SOV.retracts]  # instructions, not facts: not added
    return Scenario(
        name=_slug(path.stem),
        iri=str(node),
        label=label,
        description=text,
        origin=path,
        inputs=(path,),
        additions=tuple(kept + added),
        removals=tuple(Removal(t, str(path)) for t in removed),
        retractions=tuple(retractions),
        created=created,
    )


def _describe(description: Graph, node: Node, path: Path) -> tuple[str, str, str]:
    """Check the description node and return its label, description and creation date."""
    from rdflib import RDFS, SKOS, Literal
    from rdflib.namespace import DCTERMS

    from sovkg.core.namespaces import SOV

    labels = [str(v) for v in description.objects(node, RDFS.label)
              if isinstance(v, Literal) and v.language in (None, "en")]
    texts = [str(v) for p in (SKOS.definition, DCTERMS.description) for v in description.objects(node, p)]
    created = description.value(node, DCTERMS.created)
    hypothetical = description.value(node, SOV.hypothetical)
    problems = []
    if len(labels) != 1:
        problems.append("exactly one rdfs:label in English")
    if not texts:
        problems.append("a skos:definition or dcterms:description")
    if created is None:
        problems.append("dcterms:created")
    if hypothetical is None or not isinstance(hypothetical, Literal) or hypothetical.toPython() is not True:
        problems.append("sov:hypothetical true")
    if problems:
        raise SovkgInputError(f"{path}: the sov:Scenario {compact(node)} needs " + ", ".join(problems))
    return labels[0], texts[0], str(created)


def parse_quads(path: Path) -> list[tuple[Node, Node, Node, URIRef | None]]:
    """Parse a TriG file into rdflib quads (``None`` for the default graph).

    A syntax error becomes a :class:`SovkgInputError` naming the file, line and column.
    """
    import pyoxigraph as ox

    from sovkg.load.rdf import read_quads  # one parser and one term conversion for all of sovkg

    return read_quads(path, ox.RdfFormat.TRIG)


# ---------------------------------------------------------------------------------- plain folders


def _read_folder(folder: Path) -> Scenario:
    from rdflib import RDF, RDFS, SKOS, XSD, Literal, URIRef
    from rdflib.namespace import DCTERMS

    from sovkg.core.namespaces import KG, SOV

    files = scenario_files(folder)
    meta = folder / "scenario.csv"
    if not meta.is_file():
        raise SovkgInputError(f"{folder}: a scenario folder needs scenario.csv (columns label,description,created)")
    rows = _csv_rows(meta, required=("label", "description", "created"))
    if len(rows) != 1:
        raise SovkgInputError(f"{meta}: one row expected (label, description, created), found {len(rows)}")
    line, row = rows[0]
    label, text, created = row["label"], row["description"], row["created"]
    if not label or not text:
        raise SovkgInputError(f"{meta}:{line}: label and description must not be empty")
    try:
        dt.date.fromisoformat(created)
    except ValueError:
        raise SovkgInputError(f"{meta}:{line}: created {created!r} is not a date of the form YYYY-MM-DD") from None
    created_literal = Literal(created, datatype=XSD.date)
    name = _slug(folder.name)
    node = _iri(row["iri"], f"{meta}:{line}") if row.get("iri") else URIRef(KG[f"scenario/{name}"])
    description = [
        (node, RDF.type, SOV.Scenario),
        (node, RDFS.label, Literal(label, lang="en")),
        (node, SKOS.definition, Literal(text, lang="en")),
        (node, SOV.hypothetical, Literal(True)),
        (node, DCTERMS.created, created_literal),
        (node, DCTERMS.title, Literal(label, lang="en")),
        (node, DCTERMS.publisher, Literal("sovkg scenario")),
        (node, DCTERMS.date, created_literal),
        (node, SOV.url, Literal(SCENARIO_SITE, datatype=XSD.anyURI)),
        (node, SOV.urlPrecision, Literal("site")),
    ]
    removals: list[Removal] = []
    retractions: list[Retraction] = []
    remove = folder / "remove.csv"
    if remove.is_file():
        for line, row in _csv_rows(remove, required=("fact",)):
            retractions.append(Retraction(_iri(row["fact"], f"{remove}:{line}"), f"{remove}:{line}"))
    triples = folder / "removals.csv"
    if triples.is_file():
        for line, row in _csv_rows(triples, required=("subject", "predicate", "object")):
            where = f"{triples}:{line}"
            removals.append(Removal((_iri(row["subject"], where), _iri(row["predicate"], where),
                                     _object(row["object"], where)), where))
    return Scenario(
        name=name,
        iri=str(node),
        label=label,
        description=text,
        origin=folder,
        inputs=tuple(files),
        additions=tuple(description) + tuple(folder_additions(folder)),
        removals=tuple(removals),
        retractions=tuple(retractions),
        created=created,
    )


def folder_additions(folder: Path) -> list[Triple]:
    """The triples a plain scenario folder adds: its RDF files, then its CSV templates."""
    from sovkg.load.rdf import parse_file

    triples: list[Triple] = []
    for path in rdf_files_in(folder, recursive=False):
        triples.extend(parse_file(path))
    templates = sorted(p for p in folder.glob("*.csv") if p.name not in PLAIN_FILES)
    if templates:
        # The filled-in CSV templates (docs/spreadsheets.md) add their facts like the RDF files do.
        from sovkg.load import sheets as tabular

        triples.extend(tabular.read_templates(templates))
    return triples


def _csv_rows(path: Path, *, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in reader.fieldnames or []]
            missing = [c for c in required if c not in columns]
            if missing:
                raise SovkgInputError(
                    f"{path}:1: missing column(s) {', '.join(missing)} (expected {', '.join(required)})")
            rows = []
            for record in reader:
                values = {(k or "").strip(): (v or "").strip() for k, v in record.items() if isinstance(v, str)}
                for column, value in values.items():
                    char = control_character(value)
                    if char is not None:
                        raise SovkgInputError(f"{path}: row {reader.line_num}, column {column!r}: the cell holds "
                                              f"the control or bidi character {describe(char)}; remove it")
                if any(values.values()):
                    rows.append((reader.line_num, values))
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SovkgInputError(f"{path}: {error}") from None


def _iri(text: str, where: str) -> URIRef:
    from rdflib import URIRef

    from sovkg.core.terms import parse_binding

    try:
        return URIRef(str(parse_binding(text)))
    except SovkgInputError as error:
        raise SovkgInputError(f"{where}: {error}") from None


def _object(text: str, where: str) -> Node:
    """An IRI or CURIE, else a literal in Turtle syntax (``"x"@en``, ``"2026-10-01"^^xsd:date``, ``true``)."""
    import pyoxigraph as ox

    from sovkg.core.namespaces import PREFIXES
    from sovkg.load.rdf import to_rdflib_term

    value = text.strip()
    if not value.startswith('"') and not re.match(r"^[-+]?[0-9.]+(e[-+]?[0-9]+)?$|^(true|false)$", value, re.I):
        return _iri(value, where)
    try:
        prologue = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
        quads = list(ox.parse(input=f"{prologue}<urn:s> <urn:p> {value} .", format=ox.RdfFormat.TURTLE))
    except SyntaxError:
        quads = []
    if len(quads) != 1 or not isinstance(quads[0].object, ox.Literal):
        raise SovkgInputError(
            f"{where}: {text!r} is neither an IRI, a CURIE nor a literal in Turtle syntax "
            '("text", "text"@en, "2026-10-01"^^xsd:date, true, 42)')
    return to_rdflib_term(quads[0].object, {}, "")


# -------------------------------------------------------------------------------------- applying


def apply_scenario(dataset: Dataset, scenario: Scenario) -> None:
    """Remove the scenario's removals and retracted nodes from every asserted graph, then add its additions.

    Everything is checked before anything changes: a removal that matches no asserted triple, or a
    retracted node that no asserted triple mentions, is a :class:`SovkgInputError` naming where it
    was written and the triple or node.
    """
    from sovkg.core.namespaces import INFERRED_GRAPH

    graphs = [g for g in dataset.graphs() if g.identifier != INFERRED_GRAPH and len(g)]
    absent = [r for r in scenario.removals if not any(r.triple in g for g in graphs)]
    if absent:
        lines = [f"{r.where}: removal of a triple that is not in the graph: {_show(r.triple)}" for r in absent]
        raise SovkgInputError("\n".join(lines))
    unknown = [r for r in scenario.retractions
               if not any(_mentions(g, r.node) for g in graphs)]
    if unknown:
        raise SovkgInputError("\n".join(
            f"{r.where}: retraction of {compact(r.node)}, which no asserted triple mentions" for r in unknown))
    for graph in graphs:
        for removal in scenario.removals:
            graph.remove(removal.triple)
        for retraction in scenario.retractions:
            graph.remove((retraction.node, None, None))
            graph.remove((None, None, retraction.node))
    target = dataset.graph(scenario.graph)
    target.addN((s, p, o, target) for s, p, o in scenario.additions)


def _mentions(graph: Graph, node: Node) -> bool:
    return any(True for _ in graph.triples((node, None, None))) or any(True for _ in graph.triples((None, None, node)))


def as_scenario(value: Scenario | str | Path) -> Scenario:
    """A :class:`Scenario` as is, or read from a path."""
    return value if isinstance(value, Scenario) else read_scenario(value)


# ---------------------------------------------------------------------------------------- display


def compact(node: Node) -> str:
    """A node in short form: ``kg:hosting/x``, ``sov:planned``, ``true``, ``"2026-10-01"^^xsd:date``."""
    from rdflib import XSD, Literal, URIRef

    from sovkg.core.namespaces import PREFIXES

    if isinstance(node, URIRef):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if str(node).startswith(namespace):
                return f"{prefix}:{str(node)[len(namespace):]}"
        return f"<{node}>"
    if isinstance(node, Literal):
        if node.datatype == XSD.boolean or (node.datatype in (XSD.integer, XSD.decimal) and node.language is None):
            return str(node)
        if node.datatype is not None:
            return f'"{node}"^^{compact(node.datatype)}'
        return f'"{node}"@{node.language}' if node.language else f'"{node}"'
    return str(node.n3()) if hasattr(node, "n3") else str(node)


def _show(triple: Iterable[Node]) -> str:
    return " ".join(compact(n) for n in triple)


def short_label(label: str) -> str:
    """A scenario's label without a leading "Hypothetical:" (the banner says it already).

    >>> short_label("Hypothetical: X moves")
    'X moves'
    """
    return re.sub(r"^hypothetical\s*[:—–-]\s*", "", label, flags=re.IGNORECASE) or label


def banner(info: dict[str, Any] | None) -> str:
    """The line a report prints under its title when a scenario applies (empty without one).

    >>> banner({"label": "Hypothetical: X moves", "file": "x.trig"})
    'HYPOTHETICAL SCENARIO: X moves [x.trig]. Its facts are supposed, not recorded.'
    """
    if not info:
        return ""
    label = short_label(str(info["label"]))
    return f"HYPOTHETICAL SCENARIO: {label} [{info['file']}]. Its facts are supposed, not recorded."


def with_banner(text: str, info: dict[str, Any] | None) -> str:
    """Insert :func:`banner` under the first line of a rendered report."""
    line = banner(info)
    if not line:
        return text
    head, sep, rest = text.partition("\n")
    return f"{head}\n{line}{sep}{rest}"
