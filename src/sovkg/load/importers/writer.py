"""What every importer shares: N-Triples terms, the problem list, provenance and the quad sinks.

Takes the triples an importer emits, batch by batch, for one named graph per input file, and
gives them to a sink that never leaves a half-written result:

- :class:`QuadFile` streams N-Quads (``.nq``) or TriG (``.trig``) to a temporary file next to the
  target and renames it into place at the end (:meth:`QuadSink.commit`); an error removes it.
- :class:`StoreSink` streams N-Quads to a temporary file, then, at the end only, replaces the
  imported files' named graphs of an on-disk Oxigraph store with one ``bulk_load`` (Oxigraph's
  fastest loader, which does not hold the file in memory). A store is never left half-imported.

Terms are written as N-Triples text (:func:`iri`, :func:`literal`): the importers never build
rdflib or Oxigraph term objects, which keeps them fast and their memory flat.

>>> literal('Say "hi"\\n')
'"Say \\\\"hi\\\\"\\\\n"'
>>> literal("2024-01-31", XSD_DATE)
'"2024-01-31"^^<http://www.w3.org/2001/XMLSchema#date>'
>>> problems = Problems(strict=False)
>>> problems.add("gleif.csv", 3, "LEI", "'X' is not an LEI")
>>> str(problems.items[0]), problems.count
("gleif.csv: row 3, column 'LEI': 'X' is not an LEI", 1)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import KG, SOV
from sovkg.load.lei import case_leis

__all__ = [
    "XSD_BOOLEAN", "XSD_DATE", "XSD_DECIMAL", "Counts", "Output", "Problem", "Problems", "QuadFile", "QuadSink",
    "Source",
    "StoreSink", "iri", "literal", "open_progress",
]

_XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DATE = _XSD + "date"
XSD_DECIMAL = _XSD + "decimal"
XSD_BOOLEAN = _XSD + "boolean"
XSD_ANYURI = _XSD + "anyURI"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"

BATCH = 20_000
"""Lines buffered before they are written out: the importers' memory does not grow with the input."""

STORE_CHUNK = 250_000
"""Quads per bulk load into a store (Oxigraph's bulk loader keeps one call's quads in memory)."""

KEEP_PROBLEMS = 1_000
"""At most this many problems are kept for the message (all are counted)."""

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    """An IRI as an N-Triples term (the importers mint only IRIs with safe characters)."""
    return f"<{value}>"


@cache
def sov(name: str) -> str:
    """An ontology term as an N-Triples term."""
    return f"<{SOV}{name}>"


def kg(path: str) -> str:
    """An instance IRI (``kg:<path>``) as an N-Triples term."""
    return f"<{KG}{path}>"


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal as an N-Triples term."""
    text = '"' + value.translate(_ESCAPES) + '"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


TRUE = literal("true", XSD_BOOLEAN)


# ------------------------------------------------------------------------------------------ problems


@dataclass(frozen=True)
class Problem:
    """One malformed row or record: where it is and what is wrong."""

    path: str
    row: int | None
    column: str | None
    message: str
    unit: str = "row"
    """What ``row`` counts: a CSV ``row``, a JSON Lines ``row`` (its line) or a ``statement`` of a JSON array."""

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f": {self.unit} {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


@dataclass
class Problems:
    """The problems of one import. With ``strict``, the first one stops it (:class:`SovkgInputError`)."""

    strict: bool
    count: int = 0
    items: list[Problem] = field(default_factory=list)

    def add(self, path: str | Path, row: int | None, column: str | None, message: str, *, unit: str = "row") -> None:
        problem = Problem(str(path), row, column, message, unit)
        self.count += 1
        if self.strict:
            raise SovkgInputError(f"{problem} (--strict: nothing was imported)")
        if len(self.items) < KEEP_PROBLEMS:
            self.items.append(problem)


# ------------------------------------------------------------------------------------------- sinks


class QuadSink:
    """Where the quads go: lines are staged in a temporary N-Quads or TriG file until :meth:`commit`."""

    suffix = ".nq"

    def __init__(self, folder: Path) -> None:
        handle, name = tempfile.mkstemp(prefix=".sovkg-import-", suffix=self.suffix, dir=folder)
        self.temp = Path(name)
        self.handle: IO[str] = os.fdopen(handle, "w", encoding="utf-8", newline="\n")
        self.graphs: list[str] = []
        self.quads = 0
        self.done = False

    def write(self, graph: str, lines: list[str]) -> None:
        """Write triples (``s p o`` in N-Triples syntax, no final dot) of one named graph."""
        if graph not in self.graphs:
            self.graphs.append(graph)
        self.quads += len(lines)
        g = f" <{graph}> .\n"
        self.handle.write(g.join(lines) + g)

    def commit(self) -> None:
        """Publish what was written (subclasses), then forget the temporary file."""
        self.handle.close()
        self.done = True

    def abort(self) -> None:
        """Drop everything written: the target is left as it was."""
        with contextlib.suppress(OSError):
            self.handle.close()
        self.temp.unlink(missing_ok=True)
        self.done = True


class QuadFile(QuadSink):
    """An N-Quads (``.nq``) or TriG (``.trig``) file, written atomically."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.trig = target.suffix.lower() == ".trig"
        if not self.trig and target.suffix.lower() not in (".nq", ".nquads"):
            raise SovkgInputError(f"{target}: --output must end in .nq (N-Quads) or .trig (TriG)")
        if not target.parent.is_dir():
            raise SovkgInputError(f"{target}: the folder {target.parent} does not exist")
        self.suffix = target.suffix
        super().__init__(target.parent)

    def write(self, graph: str, lines: list[str]) -> None:
        if not self.trig:
            super().write(graph, lines)
            return
        if graph not in self.graphs:
            self.graphs.append(graph)
        self.quads += len(lines)
        self.handle.write(f"<{graph}> {{\n" + " .\n".join(lines) + " .\n}\n")

    def commit(self) -> None:
        super().commit()
        os.replace(self.temp, self.target)


class StoreSink(QuadSink):
    """An on-disk Oxigraph store: the imported files' graphs are replaced by bulk loads at the end.

    The quads are staged in temporary N-Quads files of at most :data:`STORE_CHUNK` quads each,
    loaded one after the other: Oxigraph's bulk loader holds a whole call's quads in memory, so
    the chunks keep its memory bounded whatever the input size.
    """

    def __init__(self, store: Path) -> None:
        if store.exists() and not store.is_dir():
            raise SovkgInputError(f"{store}: --store must be a folder (an Oxigraph store), not a file")
        if not store.parent.is_dir():
            raise SovkgInputError(f"{store}: the folder {store.parent} does not exist")
        self.store = store
        super().__init__(store.parent)
        self.chunks = [self.temp]
        self.in_chunk = 0

    def write(self, graph: str, lines: list[str]) -> None:
        if self.in_chunk >= STORE_CHUNK:
            self.handle.close()
            handle, name = tempfile.mkstemp(prefix=".sovkg-import-", suffix=self.suffix, dir=self.store.parent)
            self.temp = Path(name)
            self.chunks.append(self.temp)
            self.handle = os.fdopen(handle, "w", encoding="utf-8", newline="\n")
            self.in_chunk = 0
        self.in_chunk += len(lines)
        super().write(graph, lines)

    def commit(self) -> None:
        import pyoxigraph as ox

        super().commit()
        try:
            target = ox.Store(str(self.store))
            for graph in self.graphs:
                target.remove_graph(ox.NamedNode(graph))
            for chunk in self.chunks:
                target.bulk_load(path=str(chunk), format=ox.RdfFormat.N_QUADS)
            target.flush()
            del target
        finally:
            for chunk in self.chunks:
                chunk.unlink(missing_ok=True)

    def abort(self) -> None:
        super().abort()
        for chunk in self.chunks:
            chunk.unlink(missing_ok=True)


# -------------------------------------------------------------------------------------------- output


@dataclass
class Counts:
    """What one import read (records), imported and skipped."""

    rows: int = 0
    imported: int = 0
    skipped: int = 0



class Output:
    """The triples of one input file, buffered and written to the sink in batches."""

    def __init__(self, sink: QuadSink, graph: str) -> None:
        self.sink = sink
        self.graph = graph
        self.lines: list[str] = []
        self.count = 0

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o}")
        if len(self.lines) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            self.count += len(self.lines)
            self.sink.write(self.graph, self.lines)
            self.lines = []


@dataclass
class Source:
    """The provenance of one imported file: a ``sov:Source`` node that every fact of the file cites."""

    path: Path
    kind: str
    title: str
    publisher: str | None = None
    url: str | None = None
    url_precision: str = "document"
    published: str | None = None
    retrieved: dt.date | None = None
    licence: str | None = None
    confidence: str = "medium"
    member: str = ""
    """The file inside a zip archive, if any."""

    def __post_init__(self) -> None:
        digest = hashlib.sha1(f"{self.kind}\x1f{self.path.resolve()}\x1f{self.member}".encode()).hexdigest()[:12]
        self.node = kg(f"source/import/{self.kind}/{digest}")
        """The source node (an N-Triples IRI)."""

    def write(self, out: Output) -> None:
        """Describe the source, and the graph as derived from it (PROV)."""
        node = self.node
        out.add(node, RDF_TYPE, sov("Source"))
        out.add(node, RDFS_LABEL, literal(self.title, lang="en"))
        out.add(node, iri(DCT + "title"), literal(self.title, lang="en"))
        out.add(node, iri(DCT + "source"), literal(self.member or self.path.name))
        if self.publisher:
            out.add(node, iri(DCT + "publisher"), literal(self.publisher))
        url = self.url or self.path.resolve().as_uri()
        out.add(node, sov("url"), literal(url, XSD_ANYURI))
        out.add(node, sov("urlPrecision"), literal(self.url_precision if self.url else "document"))
        if self.published:
            out.add(node, iri(DCT + "date"), literal(self.published, XSD_DATE))
        retrieved = self.retrieved or dt.date.fromtimestamp(self.path.stat().st_mtime)
        out.add(node, sov("retrievedOn"), literal(retrieved.isoformat(), XSD_DATE))
        if self.licence:
            out.add(node, iri(DCT + "license"), iri(self.licence))
        out.add(iri(out.graph), iri(PROV + "wasDerivedFrom"), node)

    def cite(self, out: Output, subject: str, *, confidence: str | None = None) -> None:
        """Give a fact node this source and a confidence (``None``: the source's)."""
        out.add(subject, _SOURCE, self.node)
        out.add(subject, _CONFIDENCE, _LEVELS[confidence or self.confidence])


_SOURCE = sov("source")
_CONFIDENCE = sov("confidence")
_LEVELS = {level: sov(f"{level.capitalize()}Confidence") for level in ("high", "medium", "low")}


def lei_term(lei: str) -> str:
    """:func:`sovkg.load.lei.lei_iri` as an N-Triples term, without building an rdflib term (hot path)."""
    found = case_leis().get(lei)
    return f"<{found}>" if found is not None else f"<{KG}lei/{lei}>"


# ------------------------------------------------------------------------------------------ progress


@contextlib.contextmanager
def open_progress(raw: IO[bytes], total: int | None, description: str, *, show: bool | None = None
                  ) -> Iterator[IO[bytes]]:
    """Wrap a binary stream so that reading it moves a progress bar on stderr (when stderr is a terminal)."""
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        yield raw
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        reader: Any = progress.wrap_file(cast(BinaryIO, raw), total=total, description=description)
        yield reader


def text_stream(raw: IO[bytes]) -> io.TextIOWrapper:
    """A UTF-8 text view of a binary stream (a BOM is skipped), universal newlines left to ``csv``."""
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
